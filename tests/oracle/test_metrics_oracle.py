"""Differential metrics against torch: MACs = FlopCounterMode's FLOPs / 2 for conv, transposed conv and
linear layers; receptive fields = the cells whose gradient is non-zero for one output cell.

Both run on small random layers and networks; torch is the reference, layerplan's counts come from
the report.
"""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")

from planner import plan_data  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

BATCH = 2


def _module(layer: dict, channels: int, dims: int):
    from torch import nn

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


def random_layer(rng: random.Random) -> tuple[list[int], dict, int]:
    kind = rng.choice(["conv", "conv_transpose", "dense"])
    if kind == "dense":
        shape = [rng.randint(1, 5), rng.randint(1, 40)] if rng.random() < 0.5 else [rng.randint(1, 60)]
        return shape, {"dense": {"units": rng.randint(1, 30)}}, 0
    dims = rng.choice([1, 2, 3])
    groups = rng.choice([1, 1, 2])
    channels = groups * rng.randint(1, 4)
    size = [rng.randint(6, 14 if dims < 3 else 8) for _ in range(dims)]
    options = {"filters": groups * rng.randint(1, 4), "kernel_size": rng.randint(1, 4), "stride": rng.randint(1, 3),
               "padding": rng.randint(0, 1), "dilation": rng.randint(1, 2), "groups": groups}
    if kind == "conv_transpose" and rng.random() < 0.5:
        options["output_padding"] = rng.randint(0, max(options["stride"], options["dilation"]) - 1)
    return [channels, *size], {f"{kind}{dims}d": options}, dims


@pytest.mark.parametrize("seed", range(60))
def test_macs_are_torch_flops_over_two(seed):
    from torch.utils.flop_counter import FlopCounterMode

    rng = random.Random(seed)
    shape, layer, dims = random_layer(rng)
    report = plan_data({"framework": "torch", "input": shape, "layers": [layer]})
    if not report.ok:
        pytest.skip("layerplan rejects this layer (the shape oracle checks that torch does too)")
    module = _module(layer, shape[0] if dims else shape[-1], dims)
    x = torch.zeros(BATCH, *shape)
    with FlopCounterMode(display=False) as counter:
        with torch.no_grad():
            module(x)
    assert report.total_macs * BATCH == counter.get_total_flops() // 2, (shape, layer)
    assert report.total_flops * BATCH == counter.get_total_flops()


NETWORKS = [
    [{"conv2d": {"filters": 2, "kernel_size": 3}}, {"conv2d": {"filters": 2, "kernel_size": 3, "dilation": 2}}],
    [{"conv2d": {"filters": 2, "kernel_size": 3, "stride": 2, "padding": 1}}, {"max_pool2d": 2},
     {"conv2d": {"filters": 2, "kernel_size": 3}}],
    [{"conv2d": {"filters": 2, "kernel_size": 5, "padding": 2}}, {"avg_pool2d": {"pool_size": 3, "stride": 2}},
     {"conv2d": {"filters": 2, "kernel_size": 3, "dilation": 3}}],
    [{"zero_padding2d": {"padding": [[2, 0], [0, 1]]}}, {"conv2d": {"filters": 2, "kernel_size": 3, "stride": 2}}],
    [{"conv2d": {"filters": 2, "kernel_size": 3}}, {"upsample2d": {"scale_factor": 2}},
     {"conv2d": {"filters": 2, "kernel_size": 3}}],
    [{"conv_transpose2d": {"filters": 2, "kernel_size": 4, "stride": 2, "padding": 1}},
     {"conv2d": {"filters": 2, "kernel_size": 3}}],
]


def _torch_stack(layers, report):
    from torch import nn

    modules = []
    for layer, row in zip(layers, report.layers):
        (kind, o), = layer.items()
        channels = row.input[0]
        if kind == "conv2d":
            conv = nn.Conv2d(channels, o["filters"], o["kernel_size"], stride=o.get("stride", 1),
                             padding=o.get("padding", 0), dilation=o.get("dilation", 1))
        elif kind == "conv_transpose2d":
            conv = nn.ConvTranspose2d(channels, o["filters"], o["kernel_size"], stride=o.get("stride", 1),
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
        with torch.no_grad():  # positive weights: no cancellation hides a dependence
            conv.weight.fill_(1.0)
            conv.bias.zero_()
        modules.append(conv)
    return nn.Sequential(*modules)


@pytest.mark.parametrize("layers", NETWORKS, ids=range(len(NETWORKS)))
def test_receptive_field_matches_gradients(layers):
    size = 32
    report = plan_data({"framework": "torch", "input": [1, size, size], "layers": layers})
    assert report.ok, report.diagnostics
    field = report.to_dict()["layers"][-1]["receptive_field"]
    net = _torch_stack(layers, report)
    out_h = report.output[1]
    # every output cell whose whole field lies inside the input: the gradient's support must span the
    # field exactly, and max pooling is replaced by its sum-equivalent through positive inputs
    x = torch.rand(1, 1, size, size) + 0.5
    for axis, f in enumerate(field):
        for j in range(out_h):
            lo = None
            # nominal field of cell j: for stacks without upsampling, start + j*jump
            if isinstance(f["jump"], int):
                lo = f["start"] + j * f["jump"]
                hi = lo + f["size"] - 1
                if lo < 0 or hi >= size:
                    continue
            x.grad = None
            x.requires_grad_(True)
            y = net(x)
            index = [0, 0, out_h // 2, out_h // 2]
            index[2 + axis] = j
            y[tuple(index)].backward()
            support = x.grad[0, 0].abs().sum(dim=1 - axis).nonzero().flatten().tolist()
            if lo is None:
                assert max(support) - min(support) + 1 <= f["size"]
            else:
                assert (min(support), max(support)) == (lo, hi), (axis, j, f)


def test_receptive_field_with_upsampling_is_the_largest_span():
    layers = NETWORKS[4]
    size = 32
    report = plan_data({"framework": "torch", "input": [1, size, size], "layers": layers})
    field = report.to_dict()["layers"][-1]["receptive_field"][0]
    net = _torch_stack(layers, report)
    spans = []
    for j in range(4, report.output[1] - 4):
        x = (torch.rand(1, 1, size, size) + 0.5).requires_grad_(True)
        net(x)[0, 0, j, report.output[2] // 2].backward()
        rows = x.grad[0, 0].abs().sum(dim=1).nonzero().flatten().tolist()
        spans.append(max(rows) - min(rows) + 1)
    assert max(spans) == field["size"]
