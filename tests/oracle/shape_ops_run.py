"""Run one shape operation (split, chunk, squeeze, ...) in a framework on a zeros batch of 2, inside a
worker process: each output's sample shape, or the framework's refusal.

Spec-v1 rules the frameworks do not enforce are applied the same way as in torch_build.py: an axis
that is the batch, or an output with a zero-sized axis, is refused ("spec").
"""

from __future__ import annotations

BATCH = 2


def _batch_axis(axis: int, batched: int, inserting: bool = False) -> bool:
    size = batched + (1 if inserting else 0)
    return -size <= axis < size and axis % size == 0


def _spec_refusal(kind: str, shape, options) -> str | None:
    batched = len(shape) + 1
    axes = []
    if kind in ("split", "chunk", "squeeze", "unflatten", "select", "slice"):
        axes = options["axis"] if isinstance(options["axis"], list) else [options["axis"]]
    elif kind == "transpose":
        axes = [options["dim0"], options["dim1"]]
    elif kind == "flatten" and "start_dim" in options:
        axes = [options["start_dim"], options.get("end_dim", -1)]
    if any(_batch_axis(a, batched) for a in axes):
        return "spec: the batch axis"
    if kind == "unsqueeze" and _batch_axis(options["axis"], batched, inserting=True):
        return "spec: the batch axis"
    if kind == "permute" and options.get("framework") == "torch":
        dims = options["dims"]
        if len(dims) == batched and len({d % batched for d in dims if -batched <= d < batched}) == batched \
                and dims[0] % batched != 0:
            return "spec: permute moves the batch"
    if kind == "repeat_vector" and len(shape) != 1:
        return "spec: repeat_vector takes a vector per sample"
    return None


def _subscript(kind: str, shape, options) -> tuple:
    """The index of x[...] that selects or slices at the option's axis: leading colons for an axis
    counted from the front, an Ellipsis for one counted from the end (an axis out of range gives more
    indices than the tensor has axes, which the framework refuses)."""
    item = options["index"] if kind == "select" else slice(options.get("start"), options.get("stop"),
                                                             options.get("step", 1))
    axis = options["axis"]
    if axis >= 0:
        return (*[slice(None)] * axis, item)
    return (Ellipsis, item, *[slice(None)] * (-axis - 1))


def _shapes(result) -> list[list[int]]:
    items = result if isinstance(result, (list, tuple)) else [result]
    shapes = [list(item.shape)[1:] for item in items]
    if any(0 in shape for shape in shapes):
        raise ValueError("spec: a zero-sized output")
    return shapes


def run_torch(kind: str, shape, options) -> dict:
    import torch
    from torch import nn

    refusal = _spec_refusal(kind, shape, {**options, "framework": "torch"})
    if refusal:
        return {"error": refusal}
    x = torch.zeros(BATCH, *shape)
    try:
        if kind == "split" and "split_size_or_sections" in options:  # torch's own keyword, as torch reads it
            result = torch.split(x, split_size_or_sections=options["split_size_or_sections"], dim=options["axis"])
        elif kind == "split":
            way = options.get("sizes", options.get("split_size"))
            result = torch.split(x, list(way) if isinstance(way, list) else way, dim=options["axis"])
        elif kind == "chunk":
            result = torch.chunk(x, options["chunks"], dim=options["axis"])
        elif kind == "squeeze":
            axis = options["axis"]
            result = torch.squeeze(x, tuple(axis) if isinstance(axis, list) else axis)
        elif kind == "unsqueeze":
            result = torch.unsqueeze(x, options["axis"])
        elif kind == "permute":
            result = x.permute(*options["dims"])
        elif kind == "transpose":
            result = torch.transpose(x, options["dim0"], options["dim1"])
        elif kind == "flatten":
            result = nn.Flatten(options.get("start_dim", 1), options.get("end_dim", -1))(x)
        elif kind == "unflatten":
            result = nn.Unflatten(options["axis"], tuple(options["sizes"]))(x)
        elif kind == "repeat_vector":
            result = x.unsqueeze(1).repeat(1, options["n"], 1)
        elif kind in ("select", "slice"):
            result = x[_subscript(kind, shape, options)]
        else:
            raise KeyError(kind)
        return {"outputs": _shapes(result)}
    except (RuntimeError, ValueError, IndexError, TypeError) as exc:
        return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}


def run_keras(kind: str, shape, options) -> dict:
    import keras
    import tensorflow as tf

    refusal = _spec_refusal(kind, shape, {**options, "framework": "keras"})
    if refusal:
        return {"error": refusal}
    x = keras.ops.zeros((BATCH, *shape))
    try:
        if kind == "split" and "num_or_size_splits" in options:  # tf.split's own keyword, as TensorFlow reads it
            result = tf.split(x, num_or_size_splits=options["num_or_size_splits"], axis=options["axis"])
        elif kind == "split" and "sizes" in options:
            result = tf.split(x, options["sizes"], axis=options["axis"])  # the spec's sizes are tf.split's
        elif kind == "split" and "indices" in options:
            result = keras.ops.split(x, options["indices"], axis=options["axis"])  # split points
        elif kind == "split":
            result = keras.ops.split(x, options["sections"], axis=options["axis"])
        elif kind == "chunk":
            result = keras.ops.split(x, options["chunks"], axis=options["axis"])
        elif kind == "squeeze":
            axis = options["axis"]
            result = keras.ops.squeeze(x, tuple(axis) if isinstance(axis, list) else axis)
        elif kind == "unsqueeze":
            result = keras.ops.expand_dims(x, options["axis"])
        elif kind == "permute":
            result = keras.layers.Permute(tuple(options["dims"]))(x)
        elif kind == "transpose":
            result = keras.ops.swapaxes(x, options["dim0"], options["dim1"])
        elif kind == "flatten":
            result = keras.layers.Flatten()(x)
        elif kind == "repeat_vector":
            result = keras.layers.RepeatVector(options["n"])(x)
        elif kind in ("select", "slice"):
            # as the export writes it: the subscript on the symbolic tensor of a functional model, then run
            inputs = keras.Input(shape=tuple(shape))
            symbolic = inputs[_subscript(kind, shape, options)]
            result = keras.Model(inputs, symbolic)(x)
            if list(symbolic.shape)[1:] != list(result.shape)[1:]:
                return {"error": f"keras: symbolic {list(symbolic.shape)} but ran {list(result.shape)}"}
        else:
            raise KeyError(kind)
        return {"outputs": _shapes(result)}
    except (ValueError, IndexError, TypeError, tf.errors.InvalidArgumentError) as exc:
        return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}


def shufflenet_unit_torch() -> dict:
    """torchvision's ShuffleNetV2 InvertedResidual (stage 2 of 1.0x: 24 -> 116, then 116 -> 116), written out
    as torchvision writes it: each unit's output shape and params, for examples/shufflenet_v2_unit.yaml."""
    import torch
    from torch import nn

    def channel_shuffle(x, groups):
        n, c, h, w = x.size()
        x = x.view(n, groups, c // groups, h, w)
        x = torch.transpose(x, 1, 2).contiguous()
        return x.view(n, -1, h, w)

    def depthwise(i, o, stride):
        return nn.Conv2d(i, o, 3, stride, 1, bias=False, groups=i)

    class InvertedResidual(nn.Module):
        def __init__(self, inp, oup, stride):
            super().__init__()
            self.stride = stride
            branch = oup // 2
            if stride > 1:
                self.branch1 = nn.Sequential(depthwise(inp, inp, stride), nn.BatchNorm2d(inp),
                                             nn.Conv2d(inp, branch, 1, bias=False), nn.BatchNorm2d(branch),
                                             nn.ReLU(inplace=True))
            else:
                self.branch1 = nn.Sequential()
            self.branch2 = nn.Sequential(
                nn.Conv2d(inp if stride > 1 else branch, branch, 1, bias=False), nn.BatchNorm2d(branch),
                nn.ReLU(inplace=True), depthwise(branch, branch, stride), nn.BatchNorm2d(branch),
                nn.Conv2d(branch, branch, 1, bias=False), nn.BatchNorm2d(branch), nn.ReLU(inplace=True))

        def forward(self, x):
            if self.stride == 1:
                x1, x2 = x.chunk(2, dim=1)
                out = torch.cat((x1, self.branch2(x2)), dim=1)
            else:
                out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
            return channel_shuffle(out, 2)

    units = [InvertedResidual(24, 116, 2), InvertedResidual(116, 116, 1)]
    x = torch.zeros(BATCH, 24, 56, 56)
    result = []
    with torch.no_grad():
        for unit in units:
            unit.eval()
            x = unit(x)
            result.append((list(x.shape)[1:], sum(p.numel() for p in unit.parameters())))
    return {"units": result}
