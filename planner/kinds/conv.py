"""Convolutions: conv, transposed conv, depthwise and separable conv, in 1d/2d/3d."""

from __future__ import annotations

from .. import shapes
from . import axis_maps, counting
from .base import (AxisGeometry, FunctionSpelling, Kind, LayerCall, LayerError, Outcome, SolveView, deferred,
                                         spellings)
from .weight_wrappers import SPECTRAL_NORM, WEIGHT_NORM, add_weight_wrappers
from .spatial import (
    axis_name,
    check_keras_stride_dilation,
    check_window_padding,
    fmt_axes,
    product,
    slide_window,
    warn_even_same,
    window_pads,
)
from ..options import (
    REQUIRED,
    TORCH,
    Option,
    activation_name,
    boolean,
    conv_padding,
    optional_non_negative_ints,
    positive_int,
    positive_ints,
)

FILTERS = Option("filters", positive_int, "integer >= 1", "output channels: a free choice, it becomes the channel axis",
                 REQUIRED, aliases=("out_channels", "out_features"))
KERNEL = Option("kernel_size", positive_ints, "integer or one per axis", "window size per spatial axis", REQUIRED,
                aliases=("kernel",))
STRIDE = Option("stride", positive_ints, "integer or one per axis", "step between windows", 1, aliases=("strides",))
PADDING = Option("padding", conv_padding, "'valid' | 'same' | integer or one per axis (torch); 'valid' | 'same' | "
                 "'causal' (keras, causal for Conv1D only)", "zero padding", "valid")
DILATION = Option("dilation", positive_ints, "integer or one per axis", "spacing between kernel taps", 1,
                  aliases=("dilation_rate",))
GROUPS = Option("groups", positive_int, "integer >= 1", "split channels into groups (in and out must divide)", 1)
BIAS = Option("bias", boolean, "boolean", "add a learned bias per output channel", True, aliases=("use_bias",))
ACTIVATION = Option("activation", activation_name, "activation name", "fused activation (no params, same shape)", None)
OUTPUT_PADDING = Option("output_padding", optional_non_negative_ints, "integer or one per axis (keras: absent and 0 "
                        "differ)", "extra size added to one side of the output", {"torch": 0, "keras": None})
DEPTH_MULTIPLIER = Option("depth_multiplier", positive_int, "integer >= 1", "output channels per input channel", 1)


def plan_conv(call: LayerCall) -> Outcome:
    opts = call.options
    channels, spatial = call.split()
    filters, groups = opts["filters"], opts["groups"]
    kernel, stride, dilation = opts["kernel_size"], opts["stride"], opts["dilation"]
    check_groups(channels, filters, groups)
    check_keras_stride_dilation(opts, call.framework)
    pads = window_pads(call, kernel, stride, dilation, spatial, allow_causal=call.dims == 1)
    outcome = Outcome(output=())
    out = slide_window(call, outcome, kernel, stride, dilation, pads, spatial)
    warn_even_same(call, outcome, kernel, dilation, pads)
    outcome.output = call.join(filters, out)
    outcome.params = product(kernel) * (channels // groups) * filters + (filters if opts["bias"] else 0)
    add_weight_wrappers(outcome, opts, call.framework, filters, filters)
    return outcome


def check_groups(channels: int, filters: int, groups: int) -> None:
    """Input channels, then filters, must be divisible by groups."""
    if channels % groups:
        raise LayerError(
            "groups-mismatch",
            f"input channels {channels} are not divisible by groups {groups}; "
            f"groups must divide {channels} (e.g. {_divisors_text(channels)})",
            "groups",
        )
    check_filter_groups({"filters": filters, "groups": groups}, "torch")


def check_filter_groups(options: dict, framework: str, dims: int = 0) -> None:
    """Filters must be divisible by groups (both frameworks reject it when the layer is built).

    >>> check_filter_groups({"filters": 8, "groups": 4}, "torch")
    """
    filters, groups = options.get("filters"), options.get("groups")
    if filters is not None and groups is not None and filters % groups:
        raise LayerError(
            "groups-mismatch",
            f"filters {filters} are not divisible by groups {groups}; use a multiple of {groups}",
            "filters",
        )


def check_conv_padding(options: dict, framework: str, dims: int) -> None:
    """A convolution's padding rules (planner/kinds/spatial.py); 'causal' is for keras Conv1D only."""
    check_window_padding(options, framework, dims, allow_causal=dims == 1)


def _divisors_text(n: int) -> str:
    small = [d for d in range(1, min(n, 64) + 1) if n % d == 0][:6]
    return ", ".join(str(d) for d in small)


def plan_conv_transpose(call: LayerCall) -> Outcome:
    opts = call.options
    channels, spatial = call.split()
    filters, kernel, stride, dilation = opts["filters"], opts["kernel_size"], opts["stride"], opts["dilation"]
    output_padding = opts["output_padding"]
    padding = opts["padding"]
    outcome = Outcome(output=())
    out = []
    if call.framework == "torch":
        groups = opts["groups"]
        check_groups(channels, filters, groups)
        check_transpose_options(opts, call.framework, call.dims)
        if output_padding is None:  # keras' "absent" is a value of its own; torch's output_padding is integers
            raise LayerError("bad-option-value", "torch transposed convolutions take output_padding as integers "
                             "(0 when left out), got null", "output_padding")
        for axis, (i, k, s, p, op, d) in enumerate(zip(spatial, kernel, stride, padding, output_padding, dilation)):
            o = shapes.torch_conv_transpose_output_length(i, k, s, p, op, d)
            if o <= 0:
                raise LayerError(
                    "non-positive-output",
                    f"axis {axis_name(call.dims, axis)}: output size ({i}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 "
                    f"= {o}; use less padding (at most {((i - 1) * s + d * (k - 1) + op) // 2})",
                    "padding",
                )
            outcome.geometry.append(AxisGeometry(k, s, d, p, p))
            out.append(o)
        params = channels * (filters // groups) * product(kernel)
    else:
        check_transpose_options(opts, call.framework, call.dims)
        if max(dilation) > 1:
            # keras builds the layer and computes its shape; TensorFlow 2.21 runs it with its oneDNN CPU
            # kernels and raises with its own (Conv2DBackpropInput), so whether it runs depends on the
            # machine: a warning, never an error.
            outcome.warn(
                "transpose-dilation",
                f"keras Conv{call.dims}DTranspose with dilation_rate {fmt_axes(dilation)} runs where TensorFlow uses "
                "its oneDNN CPU kernels and fails at run time where it does not (\"Current CPU implementations do "
                "not yet support dilation rates larger than 1\", e.g. with TF_ENABLE_ONEDNN_OPTS=0); for a model "
                "that runs everywhere, use dilation_rate 1 or UpSampling + Conv",
                "dilation",
            )
        for axis, (i, k, s, d) in enumerate(zip(spatial, kernel, stride, dilation)):
            op = None if output_padding is None else output_padding[axis]
            o = shapes.keras_conv_transpose_output_length(i, k, s, padding, op, d)
            k_eff = shapes.effective_kernel(k, d)
            if o <= 0:
                raise LayerError(
                    "non-positive-output",
                    f"axis {axis_name(call.dims, axis)}: output size would be {o}",
                    "kernel_size",
                )
            if op is not None and not _tensorflow_accepts_transpose(i, o, k_eff, s, padding):
                raise LayerError(
                    "transpose-same-crash",
                    f"axis {axis_name(call.dims, axis)}: keras computes output {o}, but TensorFlow's "
                    f"conv_transpose needs a forward conv of {o} to give back {i} and gets "
                    f"{_tensorflow_forward(o, k_eff, s, padding)}; it crashes at run time. "
                    f"Use an odd kernel, output_padding >= 1, or omit output_padding",
                    "output_padding",
                )
            # TensorFlow pads the forward conv (output -> input) it transposes: the odd pixel goes after.
            total = max((i - 1) * s + k_eff - o, 0)
            outcome.geometry.append(AxisGeometry(k, s, d, total // 2, total - total // 2))
            out.append(o)
        params = channels * filters * product(kernel)
    outcome.output = call.join(filters, tuple(out))
    outcome.params = params + (filters if opts["bias"] else 0)
    add_weight_wrappers(outcome, opts, call.framework, channels, channels)
    return outcome


def check_transpose_options(options: dict, framework: str, dims: int) -> None:
    """What a transposed convolution's options must satisfy whatever the input shape, in the order its plan
    checks them: groups, padding, output_padding against stride (and dilation in torch), keras strides
    with dilation. Options that did not parse (None) are not checked.

    >>> check_transpose_options({"padding": "same", "stride": (2,), "dilation": (1,), "output_padding": (1,),
    ...                          "filters": 4, "groups": 1}, "torch", 1)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: torch transposed convolutions take integer padding, not 'same' (torch accepts it at construction and fails at forward)
    """
    padding, stride, dilation = options.get("padding"), options.get("stride"), options.get("dilation")
    output_padding = options.get("output_padding")
    if framework == "torch":
        check_filter_groups(options, framework)
        if isinstance(padding, str):
            raise LayerError(
                "bad-padding",
                f"torch transposed convolutions take integer padding, not {padding!r} "
                "(torch accepts it at construction and fails at forward)",
                "padding",
            )
        if None in (output_padding, stride, dilation):
            return
        for axis, (op, s, d) in enumerate(zip(output_padding, stride, dilation)):
            if op >= max(s, d):
                raise LayerError(
                    "output-padding-too-large",
                    f"axis {axis_name(dims, axis)}: output_padding {op} must be smaller than stride {s} "
                    f"or dilation {d}; use output_padding < {max(s, d)}",
                    "output_padding",
                )
        return
    if isinstance(padding, tuple):
        raise LayerError(
            "bad-padding",
            f"keras Conv{dims}DTranspose takes padding 'valid' or 'same' (got {fmt_axes(padding)})",
            "padding",
        )
    if padding == "causal":
        raise LayerError("bad-padding", "padding='causal' exists only for keras Conv1D", "padding")
    if output_padding is not None and stride is not None:
        for axis, (op, s) in enumerate(zip(output_padding, stride)):
            if op >= s:
                raise LayerError(
                    "output-padding-too-large",
                    f"axis {axis_name(dims, axis)}: keras needs output_padding {op} smaller than "
                    f"strides {s}; use output_padding < {s}",
                    "output_padding",
                )
    check_keras_stride_dilation(options, framework)


def _tensorflow_forward(output: int, k_eff: int, stride: int, padding: str) -> int:
    if padding == "same":
        return shapes.ceil_div(output, stride)
    return (output - k_eff) // stride + 1


def _tensorflow_accepts_transpose(length: int, output: int, k_eff: int, stride: int, padding: str) -> bool:
    # TensorFlow's conv_transpose checks that the forward conv of the requested output size gives
    # back the input size; keras' own formula for 'same' with output_padding can violate that.
    return _tensorflow_forward(output, k_eff, stride, padding) == length


def plan_depthwise(call: LayerCall) -> Outcome:
    opts = call.options
    channels, spatial = call.split()
    kernel, stride, dilation, multiplier = opts["kernel_size"], opts["stride"], opts["dilation"], opts["depth_multiplier"]
    # keras depthwise/separable accept strides > 1 with dilation > 1 (TensorFlow runs a dilated stride-1
    # conv and subsamples it), unlike Conv*D. Without that combination, TensorFlow's DepthwiseConv2dNative
    # only runs equal row and column strides.
    strided_and_dilated = max(stride) > 1 and max(dilation) > 1
    unequal_strides = call.framework == "keras" and call.dims == 2 and stride[0] != stride[1] and not strided_and_dilated
    pads = window_pads(call, kernel, stride, dilation, spatial)
    outcome = Outcome(output=())
    if unequal_strides:
        # TensorFlow 2.21's own DepthwiseConv2dNative raises on unequal row and column strides; its
        # oneDNN CPU kernels run them. Which one a machine uses decides: a warning, never an error.
        outcome.warn(
            "unequal-strides",
            f"keras {'Separable' if call.kind_family == 'separable_conv' else 'Depthwise'}Conv2D with strides "
            f"{fmt_axes(stride)} runs where TensorFlow uses its oneDNN CPU kernels and fails at run time where it "
            "does not (\"only supports equal length strides in the row and column dimensions\", e.g. with "
            "TF_ENABLE_ONEDNN_OPTS=0); for a model that runs everywhere, use equal strides",
            "stride",
        )
    out = slide_window(call, outcome, kernel, stride, dilation, pads, spatial)
    warn_even_same(call, outcome, kernel, dilation, pads)
    depth = channels * multiplier
    outcome.output = call.join(depth, out)
    outcome.params = product(kernel) * depth + (depth if opts["bias"] else 0)
    return outcome


def plan_separable(call: LayerCall) -> Outcome:
    opts = call.options
    channels = call.split()[0]
    filters = opts["filters"]
    outcome = plan_depthwise(call)
    depth = channels * opts["depth_multiplier"]
    depthwise_kernel = outcome.params - (depth if opts["bias"] else 0)
    outcome.output = _with_channels(call, outcome.output, filters)
    bias = opts["bias"]
    if call.framework == "keras":
        # keras SeparableConv: one bias, on the pointwise output.
        outcome.params = depthwise_kernel + depth * filters + (filters if bias else 0)
    else:
        # torch equivalent: depthwise grouped conv and 1x1 conv, each with its own bias.
        outcome.params = depthwise_kernel + (depth if bias else 0) + depth * filters + (filters if bias else 0)
    return outcome


def _with_channels(call: LayerCall, shape, channels: int):
    spatial = shape[1:] if call.channels_first else shape[:-1]
    return call.join(channels, spatial)


_TORCH_CONV_FORMULA = "o = floor((i + p_before + p_after - d*(k-1) - 1) / s) + 1"
_KERAS_CONV_FORMULA = "valid: o = floor((i - d*(k-1) - 1) / s) + 1; same: o = ceil(i / s); causal: o = ceil(i / s)"


# canonical option -> each framework's keyword, where they differ
_TORCH_CONV_ARGUMENTS = {"filters": "out_channels"}
_KERAS_CONV_ARGUMENTS = {"stride": "strides", "dilation": "dilation_rate", "bias": "use_bias"}
# The constructors' positional parameters (torch 2.13, keras 3.15), as model code passes them.
_TORCH_CONV_POSITIONAL = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
                          "bias")
_TORCH_TRANSPOSE_POSITIONAL = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding",
                               "groups", "bias", "dilation")
_KERAS_CONV_POSITIONAL = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
                          "activation", "use_bias")
_KERAS_TRANSPOSE_POSITIONAL = ("filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
                               "dilation_rate", "activation", "use_bias")
_KERAS_DEPTHWISE_POSITIONAL = ("kernel_size", "strides", "padding", "depth_multiplier", "data_format",
                               "dilation_rate", "activation", "use_bias")
_KERAS_SEPARABLE_POSITIONAL = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                               "depth_multiplier", "activation", "use_bias")

# tf-slim 1.1's layer functions (TensorFlow 1, keras' layout): their keywords, positional parameters after the
# input tensor, and defaults (its normalizer_fn, biases_initializer=None and activation_fn are read by
# planner/model_code/tf_slim.py, which makes the batch_norm and activation layers they add)
_SLIM_CONV_ARGUMENTS = {"filters": "num_outputs", "dilation": "rate", "activation": "activation_fn"}
_SLIM_CONV_POSITIONAL = ("num_outputs", "kernel_size", "stride", "padding", "data_format", "rate", "activation_fn",
                         "normalizer_fn", "normalizer_params", "weights_initializer", "weights_regularizer",
                         "biases_initializer", "biases_regularizer", "reuse", "variables_collections",
                         "outputs_collections", "trainable", "scope")
_SLIM_SEPARABLE_POSITIONAL = ("num_outputs", "kernel_size", "depth_multiplier", "stride", "padding", "data_format",
                              "rate", "activation_fn", "normalizer_fn", "normalizer_params", "weights_initializer",
                              "pointwise_initializer", "weights_regularizer", "biases_initializer",
                              "biases_regularizer", "reuse", "variables_collections", "outputs_collections",
                              "trainable", "scope")
_SLIM_CONV_DEFAULTS = {"stride": 1, "padding": "same", "activation": "relu"}
SLIM_CONV = {"tf_slim.convolution2d": FunctionSpelling(_SLIM_CONV_ARGUMENTS, _SLIM_CONV_POSITIONAL,
                                                       _SLIM_CONV_DEFAULTS)}
SLIM_SEPARABLE = {"tf_slim.separable_convolution2d": FunctionSpelling(_SLIM_CONV_ARGUMENTS, _SLIM_SEPARABLE_POSITIONAL,
                                                                      _SLIM_CONV_DEFAULTS)}
#: separable_conv2d with num_outputs=None is its depthwise step alone
SLIM_DEPTHWISE = {"tf_slim.separable_convolution2d": FunctionSpelling(
    {k: v for k, v in _SLIM_CONV_ARGUMENTS.items() if k != "filters"}, _SLIM_SEPARABLE_POSITIONAL, _SLIM_CONV_DEFAULTS)}

CONV_HOOKS = dict(
    macs=counting.conv_macs, macs_text=deferred("explaining", "macs_text_conv"), other_ops=counting.weighted_ops,
    receptive_field=axis_maps.window_field, explain=deferred("explaining", "explain_conv"), port=deferred("porting", "port_conv"), differences=deferred("porting", "window_differences"),
    solve=SolveView("conv", "kernel_size", lambda call: call.options["filters"], filters_free=True),
)
CONV_TRANSPOSE_HOOKS = dict(
    macs=counting.conv_transpose_macs, macs_text=deferred("explaining", "macs_text_conv_transpose"),
    other_ops=counting.weighted_ops, receptive_field=axis_maps.transpose_field,
    explain=deferred("explaining", "explain_conv_transpose"), port=deferred("porting", "port_conv_transpose"),
    differences=deferred("porting", "conv_transpose_differences"),
    solve=SolveView("conv_transpose", "kernel_size", lambda call: call.options["filters"], filters_free=True),
)
DEPTHWISE_HOOKS = dict(
    macs=counting.depthwise_macs, macs_text=deferred("explaining", "macs_text_depthwise"), other_ops=counting.weighted_ops,
    receptive_field=axis_maps.window_field, explain=deferred("explaining", "explain_depthwise"), port=deferred("porting", "port_conv"),
    differences=deferred("porting", "window_differences"),
    solve=SolveView("conv", "kernel_size", lambda call: call.split()[0] * call.options["depth_multiplier"]),
)
SEPARABLE_HOOKS = dict(
    macs=counting.separable_macs, macs_text=deferred("explaining", "macs_text_depthwise"), other_ops=counting.separable_ops,
    receptive_field=axis_maps.window_field, explain=deferred("explaining", "explain_separable"), port=deferred("porting", "port_conv"),
    differences=deferred("porting", "separable_differences"),
    solve=SolveView("conv", "kernel_size", lambda call: call.options["filters"], filters_free=True),
)


def conv_kinds() -> list[Kind]:
    kinds = []
    for dims in (1, 2, 3):
        common = (KERNEL, STRIDE, PADDING, DILATION)
        kinds.append(Kind(
            f"conv{dims}d", "conv", dims, (FILTERS, *common, GROUPS, BIAS, ACTIVATION, WEIGHT_NORM, SPECTRAL_NORM), plan_conv,
            f"{dims}-D convolution: filters (chosen) become the channel axis; kernel, stride, padding and "
            "dilation decide the spatial size.",
            input_rank=dims + 1, positional=("filters", "kernel_size", "stride", "padding"),
            formulas={"torch": _TORCH_CONV_FORMULA, "keras": _KERAS_CONV_FORMULA},
            spellings=spellings(f"Conv{dims}d", f"Conv{dims}D", _TORCH_CONV_ARGUMENTS, _KERAS_CONV_ARGUMENTS,
                                torch_positional=_TORCH_CONV_POSITIONAL, keras_positional=_KERAS_CONV_POSITIONAL,
                                write=(deferred("writing", "torch_conv"), deferred("writing", "keras_conv")),
                                keras_functions=SLIM_CONV if dims == 2 else None),
            option_rules=(check_filter_groups, check_keras_stride_dilation, check_conv_padding),
            **CONV_HOOKS,
        ))
        transpose_padding = Option(
            "padding", conv_padding, "integer or one per axis (torch); 'valid' | 'same' (keras)",
            "torch: implicit padding removed from each side; keras: 'valid' or 'same'", {"torch": 0, "keras": "valid"},
        )
        kinds.append(Kind(
            f"conv_transpose{dims}d", "conv_transpose", dims,
            (FILTERS, KERNEL, STRIDE, transpose_padding, OUTPUT_PADDING, DILATION,
             Option("groups", positive_int, "integer >= 1", "channel groups (torch only)", 1, frameworks=TORCH),
             BIAS, ACTIVATION, WEIGHT_NORM, SPECTRAL_NORM),
            plan_conv_transpose,
            f"{dims}-D transposed convolution (learned upsampling).",
            input_rank=dims + 1, positional=("filters", "kernel_size", "stride", "padding"),
            formulas={
                "torch": "o = (i-1)*s - 2*p + d*(k-1) + output_padding + 1",
                "keras": "output_padding absent: valid o = i*s + max(d*(k-1)+1 - s, 0), same o = i*s; "
                         "set: valid o = (i-1)*s + d*(k-1)+1 + op, same o = (i-1)*s + (d*(k-1)+1) mod 2 + op",
            },
            spellings=spellings(f"ConvTranspose{dims}d", f"Conv{dims}DTranspose", _TORCH_CONV_ARGUMENTS,
                                _KERAS_CONV_ARGUMENTS, torch_positional=_TORCH_TRANSPOSE_POSITIONAL,
                                keras_positional=_KERAS_TRANSPOSE_POSITIONAL,
                                write=(deferred("writing", "torch_conv_transpose"), deferred("writing", "keras_conv"))),
            option_rules=(check_transpose_options,),
            **CONV_TRANSPOSE_HOOKS,
        ))
        if dims <= 2:
            depthwise_options = (KERNEL, STRIDE, PADDING, DILATION, DEPTH_MULTIPLIER, BIAS, ACTIVATION)
            kinds.append(Kind(
                f"depthwise_conv{dims}d", "depthwise_conv", dims, depthwise_options, plan_depthwise,
                f"{dims}-D depthwise convolution: one kernel per input channel (times depth_multiplier). "
                "torch: a grouped conv with groups = channels.",
                input_rank=dims + 1, positional=("kernel_size", "stride", "padding"),
                formulas={"torch": _TORCH_CONV_FORMULA, "keras": _KERAS_CONV_FORMULA},
                spellings=spellings(f"Conv{dims}d(groups=C)", f"DepthwiseConv{dims}D", {}, _KERAS_CONV_ARGUMENTS,
                                    keras_positional=_KERAS_DEPTHWISE_POSITIONAL,
                                    write=(deferred("writing", "torch_depthwise"), deferred("writing", "keras_depthwise")),
                                    keras_functions=SLIM_DEPTHWISE if dims == 2 else None),
                option_rules=(check_window_padding,),
                **DEPTHWISE_HOOKS,
            ))
            kinds.append(Kind(
                f"separable_conv{dims}d", "separable_conv", dims, (FILTERS, *depthwise_options), plan_separable,
                f"{dims}-D separable convolution: depthwise then 1x1 pointwise. keras has one bias; the torch "
                "equivalent (two convs) has a bias on each.",
                input_rank=dims + 1, positional=("filters", "kernel_size", "stride", "padding"),
                formulas={"torch": _TORCH_CONV_FORMULA, "keras": _KERAS_CONV_FORMULA},
                spellings=spellings(f"Conv{dims}d(groups=C) + Conv{dims}d(k=1)", f"SeparableConv{dims}D",
                                    _TORCH_CONV_ARGUMENTS, _KERAS_CONV_ARGUMENTS,
                                    keras_positional=_KERAS_SEPARABLE_POSITIONAL,
                                    write=(deferred("writing", "torch_separable"), deferred("writing", "keras_conv")),
                                    keras_functions=SLIM_SEPARABLE if dims == 2 else None),
                option_rules=(check_window_padding,),
                **SEPARABLE_HOOKS,
            ))
    return kinds
