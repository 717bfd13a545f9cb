"""torch's side of the metrics differential test (test_metrics_oracle.py), run in the torch worker
(isolation.py): FLOPs from torch's FlopCounterMode, and receptive fields as the support of a gradient."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

BATCH = 2


def _module(layer: dict, channels: int, dims: int):
    (kind, o), = layer.items()
    if kind.startswith("conv_transpose"):
        cls = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}[dims]
        return cls(channels, o["filters"], o["kernel_size"], stride=o.get("stride", 1), padding=o.get("padding", 0),
                   output_padding=o.get("output_padding", 0), groups=o.get("groups", 1),
                   dilation=o.get("dilation", 1))
    if kind.startswith("conv"):
        cls = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[dims]
        return cls(channels, o["filters"], o["kernel_size"], stride=o.get("stride", 1), padding=o.get("padding", 0),
                   groups=o.get("groups", 1), dilation=o.get("dilation", 1))
    if kind == "dense":
        return nn.Linear(channels, o["units"])
    raise AssertionError(kind)


def flops_of_layer(shape: list[int], layer: dict, dims: int) -> int:
    """torch's FLOP count of one layer run on a zeros batch of BATCH samples of `shape`."""
    module = _module(layer, shape[0] if dims else shape[-1], dims)
    with FlopCounterMode(display=False) as counter:
        with torch.no_grad():
            module(torch.zeros(BATCH, *shape))
    return counter.get_total_flops()


class _Slice(nn.Module):
    """x[..., start:stop:step] along one axis of the batched tensor (the spec's slice)."""

    def __init__(self, o: dict):
        super().__init__()
        self.key = (*[slice(None)] * (o["axis"] % 4), slice(o.get("start"), o.get("stop"), o.get("step", 1)))

    def forward(self, x):
        return x[self.key]


def _stack(layers: list[dict], channels: list[int]):
    modules = []
    for layer, in_channels in zip(layers, channels):
        (kind, o), = layer.items()
        if kind == "conv2d":
            conv = nn.Conv2d(in_channels, o["filters"], o["kernel_size"], stride=o.get("stride", 1),
                             padding=o.get("padding", 0), dilation=o.get("dilation", 1))
        elif kind == "conv_transpose2d":
            conv = nn.ConvTranspose2d(in_channels, o["filters"], o["kernel_size"], stride=o.get("stride", 1),
                                      padding=o.get("padding", 0))
        elif kind == "max_pool2d":
            # max pooling sends the gradient to one cell only: its window is the same as average pooling's
            modules.append(nn.AvgPool2d(o if isinstance(o, int) else o["pool_size"]))
            continue
        elif kind == "avg_pool2d":
            modules.append(nn.AvgPool2d(o["pool_size"], stride=o["stride"]))
            continue
        elif kind == "upsample2d":
            modules.append(nn.Upsample(scale_factor=o["scale_factor"]))
            continue
        elif kind == "zero_padding2d":
            (top, bottom), (left, right) = o["padding"]
            modules.append(nn.ZeroPad2d((left, right, top, bottom)))
            continue
        elif kind == "slice":
            modules.append(_Slice(o))
            continue
        with torch.no_grad():  # positive weights: no cancellation hides a dependence
            conv.weight.fill_(1.0)
            conv.bias.zero_()
        modules.append(conv)
    return nn.Sequential(*modules)


def gradient_spans(layers: list[dict], channels: list[int], size: int,
                   cells: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """For each output cell (axis, j, other): the lowest and highest input row (axis 0) or column
    (axis 1) whose value reaches output cell j on `axis` (at index `other` on the other axis), found
    as the support of the gradient through a positive input."""
    net = _stack(layers, channels)
    spans = []
    for axis, j, other in cells:
        x = (torch.rand(1, 1, size, size) + 0.5).requires_grad_(True)
        y = net(x)
        index = [0, 0, other, other]
        index[2 + axis] = j
        y[tuple(index)].backward()
        support = x.grad[0, 0].abs().sum(dim=1 - axis).nonzero().flatten().tolist()
        spans.append((min(support), max(support)))
    return spans
