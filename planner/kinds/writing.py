"""How each kind is written as code in torch and keras: the `write` hook of a kind's spellings.

`layerplan export` asks each planned layer's kind for its spelling in the target framework and calls
the spelling's `write(row, spelling)`. A writer returns a `Written`: either a module (torch `nn.*`,
keras `layers.*`) built once and applied to the layer's inputs, or, for torch operations with no module
(concatenation, element-wise merges, cropping by slicing, reshape), an inline expression over the
inputs `{0}`, `{1}`, ... Every argument the framework needs is written out, inferred ones included
(in_channels, in_features, num_features); arguments equal to the framework's default are left out.

>>> from layerplan.planner import plan_data
>>> row = plan_data({"input": [3, 32, 32], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3,
...                                                                "padding": 1, "bias": False}}]}).layers[0]
>>> from layerplan.planner.kinds import KINDS
>>> spelling = KINDS["conv2d"].spellings["torch"]
>>> spelling.write(row, spelling).module.text()
'nn.Conv2d(3, 8, kernel_size=3, padding=1, bias=False)'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..code_text import python_string
from .indexing import slice_text, subscript


@dataclass(frozen=True, slots=True)
class Call:
    """A constructor call: `callee(args..., name=value...)`; an argument is source text or a nested Call."""

    callee: str
    args: tuple = ()
    kwargs: tuple = ()  # (keyword, source text or Call) pairs

    def arguments(self) -> list:
        """The arguments in order, keywords written `name=value` (nested calls kept as Call)."""
        return [*self.args, *((name, value) for name, value in self.kwargs)]

    def text(self) -> str:
        """The call on one line.

        >>> Call("nn.Sequential", (Call("nn.Flatten"),), (("x", "1"),)).text()
        'nn.Sequential(nn.Flatten(), x=1)'
        """
        return f"{self.callee}({', '.join(argument_text(a) for a in self.arguments())})"


def argument_text(argument) -> str:
    """One argument of a Call on one line (`name=value` for a keyword pair)."""
    if isinstance(argument, tuple):
        name, value = argument
        return f"{name}={argument_text(value)}"
    return argument.text() if isinstance(argument, Call) else argument


@dataclass(frozen=True, slots=True)
class Written:
    """A layer as code: `module` (built once, applied to the inputs) or `inline` (an expression over
    the inputs `{0}`, `{1}`...; `{inputs}` is all of them separated by commas; in keras an inline
    expression is a `keras.ops` call, which only the functional API can hold). `takes_list`: a keras
    merge is applied to a list of its inputs."""

    module: Call | None = None
    inline: str | None = None
    takes_list: bool = False
    integer_input: bool = False  # reads integer ids (an embedding): its input is fed integers
    reads: int | None = None  # a keras layer applied to its first `reads` inputs only (None: all)
    # A layer with several outputs, or a call that returns more than the plan reads (torch's LSTM
    # always returns its states): `applied` is what goes between the parentheses when the module is
    # applied (over the inputs `{0}`, `{1}`...; default: the inputs in order); `unpack` the assignment
    # target over the output variables `{0}`, `{1}`... (None: one value); `parts` each output's
    # variable suffix ("" for the layer's own name); `read` per output how a later layer reads the
    # variable (`{}` is the variable; None: as it is).
    applied: str | None = None
    unpack: str | None = None
    parts: tuple[str, ...] = ()
    read: tuple[str, ...] | None = None


class NotWritable(Exception):
    """The framework has no spelling for this layer as planned (the message says why)."""


def literal(value: Any) -> str:
    """Python source for a plain value, as black writes it (double quotes); a string through
    planner/code_text.py python_string, whatever it holds.

    >>> literal((3, 3)), literal("same"), literal(0.5), literal((7,)), literal(None), literal("a\\nb")
    ('(3, 3)', '"same"', '0.5', '(7,)', 'None', '"a\\\\nb"')
    """
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, (list, tuple)):
        items = [literal(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    return repr(value)


def axes(value: Any) -> Any:
    """A per-axis value written the short way: one number when every axis has it.

    >>> axes((3, 3)), axes((1, 2)), axes((5,)), axes(2)
    (3, (1, 2), 5, 2)
    """
    if isinstance(value, tuple) and value and all(v == value[0] for v in value):
        return value[0]
    return value


def _channels(row) -> int:
    """Input channels of a torch layer (channels first)."""
    return row.input[0]


def _keywords(pairs) -> tuple:
    """(keyword, value) pairs with values written as literals, leaving out those set to None."""
    return tuple((name, literal(value) if not isinstance(value, Call) else value)
                 for name, value in pairs if value is not None)


def _unless(value, default):
    return None if value == default else value


def _torch_activation(name: str | None) -> Call | None:
    if name in (None, "linear"):
        return None
    cls = TORCH_ACTIVATIONS.get(name)
    if cls is None:
        raise NotWritable(f"torch has no module for the activation {name!r}")
    return Call(cls)


def _torch_wrapped(module: Call, row) -> Call:
    """torch's weight_norm / spectral_norm parametrisations around a layer."""
    for option, function in (("weight_norm", "weight_norm"), ("spectral_norm", "spectral_norm")):
        if row.options.get(option):
            module = Call(f"nn.utils.parametrizations.{function}", (module,))
    return module


def _keras_wrapped(written: Written, row) -> Written:
    """keras' SpectralNormalization wrapper around a layer."""
    if row.options.get("spectral_norm"):
        return Written(Call("layers.SpectralNormalization", (written.module,)))
    return written


def _fused(module: Call, row) -> Written:
    """torch: a layer with a fused activation is the layer then the activation module."""
    module = _torch_wrapped(module, row)
    activation = _torch_activation(row.options.get("activation"))
    return Written(Call("nn.Sequential", (module, activation)) if activation else module)


def _keras_activation(row) -> Any:
    name = row.options.get("activation")
    return None if name in (None, "linear") else name


def _torch_padding(padding) -> Any:
    if padding == "valid" or (isinstance(padding, tuple) and not any(padding)):
        return None
    return axes(padding)


# ------------------------------------------------------------------------------------------ torch


def torch_conv(row, spelling) -> Written:
    """nn.ConvNd(in_channels, filters, kernel_size=..., ...), then the fused activation."""
    o = row.options
    module = Call(f"nn.{spelling.cls}", (str(_channels(row)), str(o["filters"])), _keywords([
        ("kernel_size", axes(o["kernel_size"])), ("stride", _unless(axes(o["stride"]), 1)),
        ("padding", _torch_padding(o["padding"])), ("dilation", _unless(axes(o["dilation"]), 1)),
        ("groups", _unless(o["groups"], 1)), ("bias", _unless(o["bias"], True)),
    ]))
    return _fused(module, row)


def torch_conv_transpose(row, spelling) -> Written:
    """nn.ConvTransposeNd(in_channels, filters, kernel_size=..., ...), then the fused activation."""
    o = row.options
    module = Call(f"nn.{spelling.cls}", (str(_channels(row)), str(o["filters"])), _keywords([
        ("kernel_size", axes(o["kernel_size"])), ("stride", _unless(axes(o["stride"]), 1)),
        ("padding", _torch_padding(o["padding"])), ("output_padding", _torch_padding(o["output_padding"])),
        ("groups", _unless(o["groups"], 1)), ("bias", _unless(o["bias"], True)),
        ("dilation", _unless(axes(o["dilation"]), 1)),
    ]))
    return _fused(module, row)


def _torch_depthwise(row, dims: int) -> Call:
    o = row.options
    channels = _channels(row)
    return Call(f"nn.Conv{dims}d", (str(channels), str(channels * o["depth_multiplier"])), _keywords([
        ("kernel_size", axes(o["kernel_size"])), ("stride", _unless(axes(o["stride"]), 1)),
        ("padding", _torch_padding(o["padding"])), ("dilation", _unless(axes(o["dilation"]), 1)),
        ("groups", channels), ("bias", _unless(o["bias"], True)),
    ]))


def torch_depthwise(row, spelling) -> Written:
    """A grouped convolution with groups = in_channels (spec-v1's torch equivalent)."""
    return _fused(_torch_depthwise(row, len(row.input) - 1), row)


def torch_separable(row, spelling) -> Written:
    """Depthwise then a 1x1 convolution, each with its own bias (spec-v1's torch equivalent)."""
    dims = len(row.input) - 1
    o = row.options
    depthwise = _torch_depthwise(row, dims)
    pointwise = Call(f"nn.Conv{dims}d", (str(_channels(row) * o["depth_multiplier"]), str(o["filters"])),
                     _keywords([("kernel_size", 1), ("bias", _unless(o["bias"], True))]))
    module = Call("nn.Sequential", (depthwise, pointwise))
    activation = _torch_activation(o.get("activation"))
    return Written(Call("nn.Sequential", (depthwise, pointwise, activation)) if activation else module)


def torch_pool(row, spelling) -> Written:
    """nn.MaxPoolNd / nn.AvgPoolNd; the stride is left out where it equals the window (torch's default)."""
    o = row.options
    kernel = axes(o["pool_size"])
    stride = o["stride"]
    return Written(Call(f"nn.{spelling.cls}", (), _keywords([
        ("kernel_size", kernel), ("stride", None if stride is None or axes(stride) == kernel else axes(stride)),
        ("padding", _torch_padding(o["padding"])),
        ("dilation", _unless(axes(o.get("dilation", 1)), 1)), ("ceil_mode", _unless(o["ceil_mode"], False)),
    ])))


def torch_global_pool(row, spelling) -> Written:
    """Adaptive pooling to 1, then Flatten unless keepdims (spec-v1's torch equivalent)."""
    pool = Call(f"nn.{spelling.cls.split('(')[0]}", ("1",))
    return Written(pool if row.options["keepdims"] else Call("nn.Sequential", (pool, Call("nn.Flatten"))))


def torch_adaptive_pool(row, spelling) -> Written:
    """nn.AdaptiveAvgPoolNd / nn.AdaptiveMaxPoolNd(output_size); a null axis is kept as None."""
    return Written(Call(f"nn.{spelling.cls}", (literal(axes(row.options["output_size"])),)))


def torch_upsample(row, spelling) -> Written:
    """nn.Upsample(scale_factor=... or size=..., mode=...)."""
    o = row.options
    scale = o["scale_factor"]
    if scale is not None:
        scale = axes(tuple(float(v) if v != int(v) else int(v) for v in scale))
    return Written(Call("nn.Upsample", (), _keywords([
        ("size", None if o["size"] is None else axes(o["size"])), ("scale_factor", scale),
        ("mode", _unless(o["mode"], "nearest")),
    ])))


def torch_zero_padding(row, spelling) -> Written:
    """nn.ZeroPadNd with torch's last-axis-first (before, after) tuple."""
    pairs = row.options["padding"]
    torch_order = tuple(side for pair in reversed(pairs) for side in pair)
    value = axes(torch_order)
    return Written(Call(f"nn.{spelling.cls}", (literal(value),)))


def torch_cropping(row, spelling) -> Written:
    """Slicing: batch and channel axes kept, each spatial axis cut to [before, length - after)."""
    cuts = [f"{before or ''}:{-after if after else ''}" for before, after in row.options["cropping"]]
    return Written(inline="{0}[:, :, " + ", ".join(cuts) + "]")


def torch_batch_norm(row, spelling) -> Written:
    """nn.BatchNormNd(num_features, eps=..., momentum=...)."""
    o = row.options
    return Written(Call(f"nn.{spelling.cls}", (str(_channels(row)),),
                        _keywords([("eps", o["epsilon"]), ("momentum", o["momentum"])])))


def torch_dense(row, spelling) -> Written:
    """nn.Linear(in_features, units), then the fused activation."""
    o = row.options
    module = Call("nn.Linear", (str(row.input[-1]), str(o["units"])), _keywords([("bias", _unless(o["bias"], True))]))
    return _fused(module, row)


def torch_flatten(row, spelling) -> Written:
    """nn.Flatten(start_dim, end_dim), the defaults (1, -1: every sample axis) left out."""
    o = row.options
    start, end = _unless(o.get("start_dim", 1), 1), _unless(o.get("end_dim", -1), -1)
    args = () if start is None and end is None else (str(o.get("start_dim", 1)),)
    return Written(Call("nn.Flatten", args + ((str(end),) if end is not None else ())))


def torch_reshape(row, spelling) -> Written:
    """`x.reshape(x.shape[0], *target_shape)`: reshape, not view, which fails after cropping by slicing."""
    target = ", ".join(str(v) for v in row.options["target_shape"])
    return Written(inline="{0}.reshape({0}.shape[0], " + target + ")")


def torch_dropout(row, spelling) -> Written:
    """nn.Dropout(p)."""
    return Written(Call("nn.Dropout", _keywords([("p", _unless(row.options["rate"], 0.5))])))


def torch_activation(row, spelling) -> Written:
    """The activation module; the activation kind names its activation in an option."""
    o = row.options
    name = o.get("activation", row.type)
    module = _torch_activation(name) or Call("nn.Identity")
    slope, dim = o.get("negative_slope"), o.get("dim")
    if name == "leaky_relu" and slope is not None:
        module = Call(module.callee, (literal(slope),))
    elif name in ("elu", "celu") and slope is not None:
        module = Call(module.callee, (), (("alpha", literal(slope)),))
    elif name in ("softmax", "log_softmax"):
        # torch's implicit dim is 1 for batched inputs of rank 2 and 4 (and warns): write it out.
        module = Call(module.callee, (), (("dim", literal(1 if dim is None else dim)),))
    return Written(module)


def torch_concatenate(row, spelling) -> Written:
    """torch.cat([...], dim=axis)."""
    return Written(inline="torch.cat([{inputs}], dim=" + str(row.options["axis"]) + ")")


_TORCH_OPERATORS = {"add": " + ", "subtract": " - ", "multiply": " * "}
_TORCH_FUNCTIONS = {"maximum": "torch.maximum", "minimum": "torch.minimum"}


def torch_elementwise(row, spelling) -> Written:
    """a + b, a - b, a * b, (a + b) / n, torch.maximum / torch.minimum (nested for more inputs)."""
    count = len(row.inputs)
    terms = [f"{{{i}}}" for i in range(count)]
    if row.type in _TORCH_OPERATORS:
        return Written(inline=_TORCH_OPERATORS[row.type].join(terms))
    if row.type == "average":
        return Written(inline="(" + " + ".join(terms) + f") / {count}")
    expression = terms[0]
    for term in terms[1:]:
        expression = f"{_TORCH_FUNCTIONS[row.type]}({expression}, {term})"
    return Written(inline=expression)


# ------------------------------------------------------------------------------------------ keras


def _keras(spelling, args=(), kwargs=()) -> Written:
    return Written(Call(f"layers.{spelling.cls}", tuple(args), _keywords(kwargs)))


def keras_conv(row, spelling) -> Written:
    """layers.ConvND / ConvNDTranspose / SeparableConvND(filters, kernel_size, ...)."""
    return _keras_wrapped(_keras_conv(row, spelling), row)


def _keras_conv(row, spelling) -> Written:
    o = row.options
    return _keras(spelling, (str(o["filters"]), literal(axes(o["kernel_size"]))), [
        ("strides", _unless(axes(o["stride"]), 1)), ("padding", _unless(o["padding"], "valid")),
        ("output_padding", None if o.get("output_padding") is None else axes(o["output_padding"])),
        ("dilation_rate", _unless(axes(o["dilation"]), 1)), ("groups", _unless(o.get("groups", 1), 1)),
        ("depth_multiplier", _unless(o.get("depth_multiplier", 1), 1)),
        ("use_bias", _unless(o["bias"], True)), ("activation", _keras_activation(row)),
    ])


def keras_depthwise(row, spelling) -> Written:
    """layers.DepthwiseConvND(kernel_size, ...)."""
    return _keras_wrapped(_keras_depthwise(row, spelling), row)


def _keras_depthwise(row, spelling) -> Written:
    o = row.options
    return _keras(spelling, (literal(axes(o["kernel_size"])),), [
        ("strides", _unless(axes(o["stride"]), 1)), ("padding", _unless(o["padding"], "valid")),
        ("depth_multiplier", _unless(o["depth_multiplier"], 1)), ("dilation_rate", _unless(axes(o["dilation"]), 1)),
        ("use_bias", _unless(o["bias"], True)), ("activation", _keras_activation(row)),
    ])


def keras_pool(row, spelling) -> Written:
    """layers.MaxPoolingND / AveragePoolingND(pool_size, strides=..., padding=...)."""
    o = row.options
    kernel = axes(o["pool_size"])
    stride = o["stride"]
    return _keras(spelling, (literal(kernel),), [
        ("strides", None if stride is None or axes(stride) == kernel else axes(stride)),
        ("padding", _unless(o["padding"], "valid")),
    ])


def keras_global_pool(row, spelling) -> Written:
    """layers.GlobalAveragePoolingND / GlobalMaxPoolingND(keepdims=...)."""
    return _keras(spelling, (), [("keepdims", _unless(row.options["keepdims"], False))])


def keras_adaptive_pool(row, spelling) -> Written:
    """layers.AdaptiveAveragePoolingND / AdaptiveMaxPoolingND(output_size)."""
    return _keras(spelling, (literal(axes(row.options["output_size"])),))


def keras_upsample(row, spelling) -> Written:
    """layers.UpSamplingND(size=..., interpolation=...): integer repeats per axis."""
    o = row.options
    factors = o["size"] if o["size"] is not None else o["scale_factor"]
    factors = None if factors is None else axes(tuple(int(v) for v in factors))
    return _keras(spelling, (), [("size", _unless(factors, 2)), ("interpolation", _unless(o["mode"], "nearest"))])


def _pairs(pairs) -> Any:
    """keras (before, after) per axis, shortened: one int, one int per axis, or the pairs."""
    if all(before == after for before, after in pairs):
        return axes(tuple(before for before, _ in pairs))
    return pairs[0] if len(pairs) == 1 else tuple(pairs)


def keras_zero_padding(row, spelling) -> Written:
    """layers.ZeroPaddingND(padding)."""
    return _keras(spelling, (literal(_pairs(row.options["padding"])),))


def keras_cropping(row, spelling) -> Written:
    """layers.CroppingND(cropping)."""
    return _keras(spelling, (literal(_pairs(row.options["cropping"])),))


def keras_batch_norm(row, spelling) -> Written:
    """layers.BatchNormalization(momentum=..., epsilon=..., center=..., scale=...)."""
    o = row.options
    return _keras(spelling, (), [("momentum", o["momentum"]), ("epsilon", o["epsilon"]),
                                 ("center", _unless(o.get("center", True), True)),
                                 ("scale", _unless(o.get("scale", True), True))])


def keras_dense(row, spelling) -> Written:
    """layers.Dense(units, use_bias=..., activation=...)."""
    o = row.options
    return _keras_wrapped(_keras(spelling, (str(o["units"]),), [("use_bias", _unless(o["bias"], True)),
                                                                ("activation", _keras_activation(row))]), row)


def keras_plain(row, spelling) -> Written:
    """A layer without options: layers.Flatten()."""
    return _keras(spelling)


def keras_reshape(row, spelling) -> Written:
    """layers.Reshape(target_shape)."""
    return _keras(spelling, (literal(tuple(row.options["target_shape"])),))


def keras_dropout(row, spelling) -> Written:
    """layers.Dropout(rate)."""
    return _keras(spelling, (literal(row.options["rate"]),))


def keras_activation(row, spelling) -> Written:
    """layers.ReLU(), LeakyReLU(negative_slope=...), Softmax(axis=...), ELU(alpha=...), else
    layers.Activation(name)."""
    o = row.options
    name = o.get("activation", row.type)
    slope, dim = o.get("negative_slope"), o.get("dim")
    if name == "relu":
        return Written(Call("layers.ReLU"))
    if name == "leaky_relu":
        return Written(Call("layers.LeakyReLU", (), _keywords([("negative_slope", slope)])))
    if name == "elu":
        return Written(Call("layers.ELU", (), _keywords([("alpha", slope)])))
    if name == "softmax":
        return Written(Call("layers.Softmax", (), _keywords([("axis", _unless(dim, -1))])))
    if name in ("identity", "linear"):
        return Written(Call("layers.Identity"))
    return Written(Call("layers.Activation", (literal(name),)))


def keras_concatenate(row, spelling) -> Written:
    """layers.Concatenate(axis=...) applied to the list of inputs."""
    return Written(Call("layers.Concatenate", (), _keywords([("axis", _unless(row.options["axis"], -1))])),
                   takes_list=True)


def keras_merge(row, spelling) -> Written:
    """layers.Add() / Subtract() / Multiply() / Average() / Maximum() / Minimum() applied to a list."""
    return Written(Call(f"layers.{spelling.cls}"), takes_list=True)


#: torch's module for each activation name (planner/options.py ACTIVATIONS); the names missing here
#: have no torch module.
TORCH_ACTIVATIONS = {
    "identity": "nn.Identity", "relu": "nn.ReLU", "relu6": "nn.ReLU6", "sigmoid": "nn.Sigmoid", "tanh": "nn.Tanh",
    "softmax": "nn.Softmax", "log_softmax": "nn.LogSoftmax", "leaky_relu": "nn.LeakyReLU", "elu": "nn.ELU",
    "selu": "nn.SELU", "gelu": "nn.GELU", "silu": "nn.SiLU", "swish": "nn.SiLU", "mish": "nn.Mish",
    "softplus": "nn.Softplus", "softsign": "nn.Softsign", "hard_sigmoid": "nn.Hardsigmoid",
    "hard_swish": "nn.Hardswish", "hard_silu": "nn.Hardswish", "celu": "nn.CELU", "log_sigmoid": "nn.LogSigmoid",
    "tanh_shrink": "nn.Tanhshrink", "hard_tanh": "nn.Hardtanh",
}


# ------------------------------------------------------------------------ the kinds of one framework


def none_in(framework: str):
    """The writer of a kind the framework has no layer for (its plan is an error there already)."""
    def write(row, spelling) -> Written:
        raise NotWritable(f"{framework} has no layer for {row.type} ({spelling.cls})")
    return write


def torch_pad_module(row, spelling) -> Written:
    """nn.ReflectionPadNd / nn.ReplicationPadNd with torch's last-axis-first (before, after) tuple."""
    pairs = row.options["padding"]
    return Written(Call(f"nn.{spelling.cls}", (literal(axes(tuple(s for pair in reversed(pairs) for s in pair))),)))


def torch_pixel_shuffle(row, spelling) -> Written:
    """nn.PixelShuffle(r) / nn.PixelUnshuffle(r)."""
    factor = row.options.get("upscale_factor", row.options.get("downscale_factor"))
    return Written(Call(f"nn.{spelling.cls}", (str(factor),)))


def torch_resizing(row, spelling) -> Written:
    """nn.Upsample(size=(height, width), mode=...)."""
    o = row.options
    return Written(Call("nn.Upsample", (), _keywords([("size", (o["height"], o["width"])),
                                                      ("mode", _unless(o["interpolation"], "nearest"))])))


def keras_resizing(row, spelling) -> Written:
    """layers.Resizing(height, width, interpolation=..., crop_to_aspect_ratio=...)."""
    o = row.options
    return _keras(spelling, (str(o["height"]), str(o["width"])), [
        ("interpolation", _unless(o["interpolation"], "bilinear")),
        ("crop_to_aspect_ratio", _unless(o.get("crop_to_aspect_ratio"), False))])


def torch_spatial_dropout(row, spelling) -> Written:
    """nn.Dropout1d / 2d / 3d(p)."""
    return Written(Call(f"nn.{spelling.cls}", (), _keywords([("p", _unless(row.options["rate"], 0.5))])))


def keras_rescaling(row, spelling) -> Written:
    """layers.Rescaling(scale, offset=...)."""
    o = row.options
    return _keras(spelling, (literal(o["scale"]),), [("offset", _unless(o["offset"], 0.0))])


def keras_gaussian_noise(row, spelling) -> Written:
    """layers.GaussianNoise(stddev, seed=...)."""
    return _keras(spelling, (literal(row.options["stddev"]),), [("seed", row.options.get("seed"))])


def torch_prelu(row, spelling) -> Written:
    """nn.PReLU(num_parameters=..., init=...)."""
    o = row.options
    return Written(Call("nn.PReLU", (), _keywords([("num_parameters", _unless(o["num_parameters"], 1)),
                                                   ("init", _unless(o.get("init"), 0.25))])))


def keras_prelu(row, spelling) -> Written:
    """layers.PReLU(shared_axes=[...])."""
    shared = row.options.get("shared_axes")
    return _keras(spelling, (), [("shared_axes", list(shared) if shared else None)])


def keras_normalization(row, spelling) -> Written:
    """layers.Normalization(axis=..., mean=..., variance=..., invert=...)."""
    o = row.options
    axis = o["axis"][0] if len(o["axis"]) == 1 else o["axis"]
    kwargs = _keywords([("axis", _unless(axis, -1)), ("mean", _listed(o["mean"])),
                        ("variance", _listed(o["variance"])), ("invert", _unless(o["invert"], False))])
    if axis == ():  # keras' axis=None: one mean and variance for every value
        kwargs = (("axis", "None"), *(pair for pair in kwargs if pair[0] != "axis"))
    return Written(Call(f"layers.{spelling.cls}", (), kwargs))


def _listed(value):
    """Means or variances: a tuple written as it is (keras takes any sequence), a number as it is."""
    return value


def learned_not_written(row, spelling) -> Written:
    """A learned tensor needs a parameter held by the model and code in forward() or call(): export does not
    write that yet."""
    raise NotWritable("a learned tensor is held by the model (nn.Parameter / add_weight) and used in forward(): "
                      "export does not write that yet")
def keras_time_distributed(row, spelling) -> Written:
    """layers.TimeDistributed(the wrapped layer's module), the wrapped layer written as planned on one step."""
    from . import KINDS
    from .time_distributed import plan_wrapped

    inner, _ = plan_wrapped(row.options, tuple(row.input[1:]), "keras")
    inner_spelling = KINDS[inner.type].spellings["keras"]
    written = inner_spelling.write(inner, inner_spelling)
    if written.module is None or written.unpack is not None or written.takes_list:
        raise NotWritable(f"keras TimeDistributed wraps a layer, and {inner.type} is written as an operation")
    return Written(Call(f"layers.{spelling.cls}", (written.module,)), integer_input=written.integer_input)


def torch_instance_norm(row, spelling) -> Written:
    """nn.InstanceNormNd(C, eps=..., momentum=..., affine=..., track_running_stats=...)."""
    o = row.options
    return Written(Call(f"nn.{spelling.cls}", (str(_channels(row)),), _keywords([
        ("eps", o["epsilon"]), ("momentum", o["momentum"]), ("affine", _unless(o["affine"], False)),
        ("track_running_stats", _unless(o["track_running_stats"], False))])))


def keras_instance_norm(row, spelling) -> Written:
    """layers.GroupNormalization(groups=-1): one group per channel, with center and scale when affine."""
    o = row.options
    return Written(Call("layers.GroupNormalization", (), _keywords([
        ("groups", -1), ("center", _unless(o["affine"], True)), ("scale", _unless(o["affine"], True)),
        ("epsilon", o["epsilon"])])))


def torch_group_norm(row, spelling) -> Written:
    """nn.GroupNorm(num_groups, num_channels, eps=..., affine=...)."""
    o = row.options
    return Written(Call("nn.GroupNorm", (str(o["groups"]), str(_channels(row))), _keywords([
        ("eps", o["epsilon"]), ("affine", _unless(o["affine"], True))])))


def keras_group_norm(row, spelling) -> Written:
    """layers.GroupNormalization(groups=..., center=..., scale=..., epsilon=...)."""
    o = row.options
    return _keras(spelling, (), [("groups", _unless(o["groups"], 32)), ("center", _unless(o["center"], True)),
                                 ("scale", _unless(o["scale"], True)), ("epsilon", o["epsilon"])])


def torch_layer_norm(row, spelling) -> Written:
    """nn.LayerNorm(normalized_shape, eps=..., elementwise_affine=..., bias=...)."""
    o = row.options
    return Written(Call("nn.LayerNorm", (literal(axes(tuple(o["normalized_shape"]))),), _keywords([
        ("eps", o["epsilon"]), ("elementwise_affine", _unless(o["elementwise_affine"], True)),
        ("bias", _unless(o["bias"], True))])))


def keras_layer_norm(row, spelling) -> Written:
    """layers.LayerNormalization(axis=..., center=..., scale=..., epsilon=...)."""
    o = row.options
    axis = tuple(o["axis"])
    return _keras(spelling, (), [("axis", None if axis == (-1,) else axes(axis) if len(axis) == 1 else list(axis)),
                                 ("center", _unless(o["center"], True)), ("scale", _unless(o["scale"], True)),
                                 ("epsilon", o["epsilon"])])


def torch_embedding(row, spelling) -> Written:
    """nn.Embedding(num_embeddings, embedding_dim, padding_idx=...); it reads integer ids."""
    o = row.options
    return Written(Call("nn.Embedding", (str(o["input_dim"]), str(o["output_dim"])),
                        _keywords([("padding_idx", o.get("padding_idx"))])), integer_input=True)


def keras_embedding(row, spelling) -> Written:
    """layers.Embedding(input_dim, output_dim, mask_zero=...); it reads integer ids."""
    o = row.options
    written = _keras(spelling, (str(o["input_dim"]), str(o["output_dim"])),
                     [("mask_zero", _unless(o.get("mask_zero"), False))])
    return Written(written.module, integer_input=True)


def torch_squeeze(row, spelling) -> Written:
    """x.squeeze(dim) (a tuple of dims for several)."""
    return Written(inline="{0}.squeeze(" + literal(axes_list(row.options["axis"])) + ")")


def keras_squeeze(row, spelling) -> Written:
    """keras.ops.squeeze(x, axis=...)."""
    return Written(inline="keras.ops.squeeze({0}, axis=" + literal(axes_list(row.options["axis"])) + ")")


def axes_list(value) -> Any:
    """One axis as an int, several as a tuple.

    >>> axes_list((1,)), axes_list((1, 2))
    (1, (1, 2))
    """
    value = tuple(value) if isinstance(value, (list, tuple)) else (value,)
    return value[0] if len(value) == 1 else value


def torch_unsqueeze(row, spelling) -> Written:
    """x.unsqueeze(dim)."""
    return Written(inline="{0}.unsqueeze(" + str(axes_list(row.options["axis"])) + ")")


def keras_unsqueeze(row, spelling) -> Written:
    """keras.ops.expand_dims(x, axis)."""
    return Written(inline="keras.ops.expand_dims({0}, " + str(axes_list(row.options["axis"])) + ")")


def torch_permute(row, spelling) -> Written:
    """x.permute(...): every axis of the batched tensor, the batch first."""
    return Written(inline="{0}.permute(" + ", ".join(str(d) for d in row.options["dims"]) + ")")


def keras_permute(row, spelling) -> Written:
    """layers.Permute(dims): 1-based sample axes."""
    return _keras(spelling, (literal(tuple(row.options["dims"])),))


def torch_transpose(row, spelling) -> Written:
    """x.transpose(dim0, dim1)."""
    return Written(inline="{0}.transpose(" + f"{row.options['dim0']}, {row.options['dim1']})")


def keras_transpose(row, spelling) -> Written:
    """keras.ops.swapaxes(x, axis1, axis2)."""
    return Written(inline="keras.ops.swapaxes({0}, " + f"{row.options['dim0']}, {row.options['dim1']})")


def write_select(row, spelling) -> Written:
    """x[:, index], the axis dropped: the same subscript in torch and on a keras tensor (keras.ops' get_item)."""
    return Written(inline="{0}" + subscript(row.options["axis"], len(row.input), str(row.options["index"])))


def write_slice(row, spelling) -> Written:
    """x[:, start:stop:step]: the same subscript in torch and on a keras tensor (keras.ops' get_item)."""
    o = row.options
    return Written(inline="{0}" + subscript(o["axis"], len(row.input), slice_text(o["start"], o["stop"], o["step"])))


def torch_unflatten(row, spelling) -> Written:
    """nn.Unflatten(dim, sizes)."""
    o = row.options
    return Written(Call("nn.Unflatten", (str(o["axis"]), literal(tuple(o["sizes"])))))


def keras_unflatten(row, spelling) -> Written:
    """layers.Reshape(the planned output shape)."""
    return _keras(spelling, (literal(tuple(row.output)),))


def torch_repeat_vector(row, spelling) -> Written:
    """x.unsqueeze(1).repeat(1, n, 1)."""
    return Written(inline="{0}.unsqueeze(1).repeat(1, " + str(row.options["n"]) + ", 1)")


def keras_repeat_vector(row, spelling) -> Written:
    """layers.RepeatVector(n)."""
    return _keras(spelling, (str(row.options["n"]),))


def not_in_spec(row, spelling) -> Written:
    """A custom layer: the spec states its output shape, not its function, so there is nothing to write."""
    raise NotWritable("a custom layer's function is not in the spec (only its output shape is)")


def _spatial_pairs(row, framework: str, towards) -> list[tuple[int, int]]:
    """(before, after) per spatial axis taking the first input to the second's size: `towards(diff)`
    splits diff = reference - input the way the kind does (diff // 2 before)."""
    first, reference = row.input_shapes[0], row.input_shapes[1]
    spatial = (lambda s: s[1:]) if framework == "torch" else (lambda s: s[:-1])
    return [towards(r - i) for i, r in zip(spatial(first), spatial(reference))]


def _half(diff: int) -> tuple[int, int]:
    return diff // 2, diff - diff // 2


def torch_resize_to(row, spelling) -> Written:
    """nn.functional.interpolate(x, size=reference.shape[2:], mode=...)."""
    mode = row.options.get("mode")
    tail = "" if mode in (None, "nearest") else f", mode={literal(mode)}"
    return Written(inline="nn.functional.interpolate({0}, size={1}.shape[2:]" + tail + ")")


def keras_resize_to(row, spelling) -> Written:
    """layers.Resizing(height, width) to the reference's planned size, on the first input."""
    height, width = row.input_shapes[1][:2]
    mode = row.options.get("mode")
    return Written(Call("layers.Resizing", (str(height), str(width)),
                        _keywords([("interpolation", mode)])), reads=1)


def torch_pad_to(row, spelling) -> Written:
    """nn.functional.pad(x, (...)) with the planned amounts, last axis first (negative amounts crop)."""
    pairs = _spatial_pairs(row, "torch", _half)
    return Written(inline="nn.functional.pad({0}, " + literal(tuple(v for p in reversed(pairs) for v in p)) + ")")


def keras_pad_to(row, spelling) -> Written:
    """layers.ZeroPaddingND (or CroppingND where the first input is larger) with the planned amounts."""
    pairs = _spatial_pairs(row, "keras", _half)
    dims = len(pairs)
    if all(b >= 0 and a >= 0 for b, a in pairs):
        return Written(Call(f"layers.ZeroPadding{dims}D", (literal(_pairs(tuple(pairs))),)), reads=1)
    if all(b <= 0 and a <= 0 for b, a in pairs):
        return Written(Call(f"layers.Cropping{dims}D", (literal(_pairs(tuple((-b, -a) for b, a in pairs))),)),
                       reads=1)
    raise NotWritable("keras pads some axes and crops others here: export does not write that yet")


def torch_crop_to(row, spelling) -> Written:
    """Slicing to the reference's planned size (diff // 2 cut before)."""
    pairs = _spatial_pairs(row, "torch", lambda diff: _half(-diff))
    cuts = [f"{before or ''}:{-after if after else ''}" for before, after in pairs]
    return Written(inline="{0}[:, :, " + ", ".join(cuts) + "]")


def keras_crop_to(row, spelling) -> Written:
    """layers.CroppingND to the reference's planned size, on the first input."""
    pairs = _spatial_pairs(row, "keras", lambda diff: _half(-diff))
    return Written(Call(f"layers.Cropping{len(pairs)}D", (literal(_pairs(tuple(pairs))),)), reads=1)


# ------------------------------------------------------------------ layers with several outputs


def unpacking(count: int) -> str:
    """The assignment target of `count` outputs, `{0}, {1}, ...` (a one-tuple as black writes it).

    >>> unpacking(3), unpacking(1)
    ('{0}, {1}, {2}', '({0},)')
    """
    return "({0},)" if count == 1 else ", ".join(f"{{{k}}}" for k in range(count))


def _list_text(values) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def torch_recurrent(row, spelling) -> Written:
    """nn.RNN / nn.LSTM / nn.GRU(input_size, hidden_size, ..., batch_first=True).

    The spec's sequence sample is (steps, features) and the exported model feeds (N, steps, features),
    so the module is always built batch-first (the spec's own batch_first says only where its tensor
    would put the batch). The module returns (output, h_n), (output, (h_n, c_n)) for an LSTM: without
    return_state the states are dropped (`x, _ = self.lstm(x)`). h_n and c_n keep the batch in their
    middle axis even with batch_first, so a later layer reads them as `h_n.transpose(0, 1)`, the
    (num_layers x directions, units) per sample that the plan states.
    """
    o = row.options
    module = Call(f"nn.{spelling.cls}", (str(row.input[-1]), str(o["units"])), _keywords([
        ("num_layers", _unless(o["num_layers"], 1)), ("bias", _unless(o["bias"], True)), ("batch_first", True),
        ("dropout", _unless(o["dropout"], 0)), ("bidirectional", _unless(o["bidirectional"], False))]))
    if not o["return_state"]:
        return Written(module, unpack="{0}, _")
    states = ("h_n", "c_n") if row.type == "lstm" else ("h_n",)
    target = "{0}, ({1}, {2})" if row.type == "lstm" else "{0}, {1}"
    return Written(module, unpack=target, parts=("", *states), read=(None, *("{}.transpose(0, 1)" for _ in states)))


def keras_recurrent(row, spelling) -> Written:
    """layers.SimpleRNN / LSTM / GRU(units, ...), inside layers.Bidirectional when bidirectional; with
    return_state keras returns [output, states...], the forward direction's states before the backward's."""
    o = row.options
    layer = Call(f"layers.{spelling.cls}", (str(o["units"]),), _keywords([
        ("use_bias", _unless(o["bias"], True)), ("dropout", _unless(o["dropout"], 0)),
        ("reset_after", _unless(o.get("reset_after", True), True)),
        ("return_sequences", _unless(o["return_sequences"], False)),
        ("return_state", _unless(o["return_state"], False))]))
    if o["bidirectional"]:
        layer = Call("layers.Bidirectional", (layer,))
    if not o["return_state"]:
        return Written(layer)
    states = ("h", "c") if row.type == "lstm" else ("h",)
    if o["bidirectional"]:
        states = tuple(f"{state}_{direction}" for direction in ("forward", "backward") for state in states)
    return Written(layer, unpack=unpacking(1 + len(states)), parts=("", *states))


def _attention_roles(row) -> tuple[str, str, str]:
    """The inputs as the framework's call takes them: one input is self-attention, a second is both
    of the other roles (torch (query, key, value), keras (query, value, key))."""
    count = len(row.inputs)
    second = "{1}" if count > 1 else "{0}"
    return "{0}", second, "{2}" if count > 2 else second


def torch_attention(row, spelling) -> Written:
    """nn.MultiheadAttention(embed_dim, num_heads, ..., batch_first=True) applied to (query, key, value);
    without return_attention_scores it is called with need_weights=False and the weights dropped."""
    o = row.options
    embed = o["embed_dim"] or row.input[-1]
    module = Call("nn.MultiheadAttention", (str(embed), str(o["num_heads"])), _keywords([
        ("dropout", _unless(o["dropout"], 0)), ("bias", _unless(o["bias"], True)),
        ("add_bias_kv", _unless(o["add_bias_kv"], False)), ("kdim", _unless(o["kdim"], embed)),
        ("vdim", _unless(o["vdim"], embed)), ("batch_first", True)]))
    roles = ", ".join(_attention_roles(row))
    if not o["return_attention_scores"]:
        return Written(module, applied=roles + ", need_weights=False", unpack="{0}, _")
    average = "" if o["average_attn_weights"] else ", average_attn_weights=False"
    return Written(module, applied=roles + average, unpack="{0}, {1}", parts=("", "weights"))


def keras_attention(row, spelling) -> Written:
    """layers.MultiHeadAttention(num_heads, key_dim, ...) applied as keras calls it, (query, value, key);
    with return_attention_scores it returns the output and the scores."""
    o = row.options
    shape = o["output_shape"]
    layer = _keras(spelling, (str(o["num_heads"]), str(o["key_dim"])), [
        ("value_dim", o["value_dim"]), ("dropout", _unless(o["dropout"], 0)), ("use_bias", _unless(o["bias"], True)),
        ("output_shape", None if shape is None else axes_list(shape))]).module
    query, value, key = _attention_roles(row)
    roles = ", ".join([query, value] + ([key] if len(row.inputs) > 2 else []))
    if not o["return_attention_scores"]:
        return Written(layer, applied=roles)
    return Written(layer, applied=roles + ", return_attention_scores=True", unpack="{0}, {1}",
                   parts=("", "scores"))


def _split_parts(row) -> dict:
    count = len(row.outputs)
    return dict(unpack=unpacking(count), parts=tuple(str(k) for k in range(count)))


def torch_split(row, spelling) -> Written:
    """torch.split(x, sizes or split_size, dim=axis): a tuple, unpacked into one name per part."""
    o = row.options
    sizes = _list_text(o["sizes"]) if o["sizes"] is not None else str(o["split_size"])
    return Written(inline="torch.split({0}, " + sizes + f", dim={o['axis']})", **_split_parts(row))


def torch_chunk(row, spelling) -> Written:
    """torch.chunk(x, chunks, dim=axis): a tuple, unpacked into one name per part (torch may return
    fewer than `chunks` parts; the plan says how many)."""
    o = row.options
    return Written(inline="torch.chunk({0}, " + f"{o['chunks']}, dim={o['axis']})", **_split_parts(row))


def keras_split(row, spelling) -> Written:
    """keras.ops.split(x, sections or indices, axis=axis); sizes are written as the split points
    (their running totals), which is how keras.ops.split takes unequal parts."""
    o = row.options
    if o.get("sizes") is not None:
        totals = [sum(o["sizes"][:k + 1]) for k in range(len(o["sizes"]) - 1)]
        how = _list_text(totals) if totals else "1"
    elif o.get("indices") is not None:
        how = _list_text(o["indices"])
    else:
        how = str(o["sections"] if row.type == "split" else o["chunks"])
    return Written(inline="keras.ops.split({0}, " + how + f", axis={o['axis']})", **_split_parts(row))
