"""Pooling: max/avg pooling, global pooling and adaptive pooling, in 1d/2d/3d."""

from __future__ import annotations

from .. import shapes
from . import axis_maps, counting
from .base import (AxisGeometry, FunctionSpelling, Kind, LayerCall, LayerError, Outcome, SolveView, deferred,
                                         no_count, spellings)
from .spatial import CELL_WORDS, axis_name, fmt_axes
from ..options import REQUIRED, TORCH, Option, boolean, conv_padding, output_size, positive_ints

POOL_SIZE = Option("pool_size", positive_ints, "integer or one per axis", "window size per spatial axis",
                   {"torch": REQUIRED, "keras": 2}, aliases=("kernel_size", "pool", "kernel"))
POOL_STRIDE = Option("stride", positive_ints, "integer or one per axis", "step between windows (default: pool_size)",
                     None, aliases=("strides",))
POOL_PADDING = Option("padding", conv_padding, "integer or one per axis (torch); 'valid' | 'same' (keras)",
                      "zero padding per side (torch) or padding mode (keras)", {"torch": 0, "keras": "valid"})
POOL_DILATION = Option("dilation", positive_ints, "integer or one per axis", "spacing between window taps (torch max "
                       "pool only)", 1, frameworks=TORCH)
CEIL_MODE = Option("ceil_mode", boolean, "boolean", "round the output size up (torch only)", False, frameworks=TORCH)
KEEPDIMS = Option("keepdims", boolean, "boolean", "keep the pooled axes as size 1", False, aliases=("keepdim",))
OUTPUT_SIZE = Option("output_size", output_size, "integer or one per axis (null keeps an axis)", "output size per "
                     "spatial axis", REQUIRED)


def plan_pool(call: LayerCall) -> Outcome:
    opts = call.options
    channels, spatial = call.split()
    kernel = opts["pool_size"]
    stride = opts["stride"] or kernel
    outcome = Outcome(output=())
    if call.framework == "torch":
        out = _torch_pool(call, outcome, spatial, kernel, stride)
    else:
        out = _keras_pool(call, outcome, spatial, kernel, stride)
    outcome.output = call.join(channels, out)
    return outcome


def check_pool_padding(options: dict, framework: str, dims: int, *, is_max: bool = False) -> None:
    """The padding rules of max and average pooling that need no input shape: torch takes integer
    amounts of at most half the (effective) window, keras the words 'valid' and 'same'.

    >>> check_pool_padding({"padding": (2, 1), "pool_size": (3, 3), "dilation": None}, "torch", 2)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: axis H: torch pooling padding 2 must be at most half the kernel (1 for kernel 3); use padding <= 1
    """
    padding = options.get("padding")
    if padding is None:
        return
    if framework == "keras":
        if not isinstance(padding, str) or padding == "causal":
            raise LayerError(
                "bad-padding",
                f"keras pooling takes padding 'valid' or 'same' (got {fmt_axes(padding) if not isinstance(padding, str) else repr(padding)}); "
                f"for explicit amounts put a zero_padding{dims}d layer before this one",
                "padding",
            )
        return
    if isinstance(padding, str):
        raise LayerError(
            "bad-padding",
            f"torch pooling takes integer padding, not {padding!r}; 'same' for pooling is a keras mode",
            "padding",
        )
    kernel = options.get("pool_size")
    if kernel is None:
        return
    dilation = options.get("dilation") or (1,) * dims
    # torch checks the padding of every axis before it computes any output size
    for axis, (k, p, d) in enumerate(zip(kernel, padding, dilation)):
        k_eff = shapes.effective_kernel(k, d)
        limit = min(k_eff // 2, k // 2) if is_max else k // 2
        if p > limit:
            raise LayerError(
                "pool-padding-too-large",
                f"axis {axis_name(dims, axis)}: torch pooling padding {p} must be at most half the "
                f"{'effective ' if d > 1 else ''}kernel ({limit} for kernel {k}"
                f"{f', dilation {d}' if d > 1 else ''}); use padding <= {limit}",
                "padding",
            )


def check_max_pool_padding(options: dict, framework: str, dims: int) -> None:
    """check_pool_padding for max pooling, whose torch limit also counts the dilation."""
    check_pool_padding(options, framework, dims, is_max=True)


def _torch_pool(call: LayerCall, outcome: Outcome, spatial, kernel, stride) -> tuple[int, ...]:
    opts = call.options
    padding = opts["padding"]
    is_max = call.kind_family == "max_pool"
    if isinstance(padding, str):  # a word is rejected before the input is looked at
        check_pool_padding(opts, call.framework, call.dims, is_max=is_max)
    dilation = opts.get("dilation") or (1,) * call.dims
    ceil_mode = opts["ceil_mode"]
    if call.kind_family == "avg_pool" and call.dims == 3:
        # torch's CPU avg_pool3d checks the unpadded input against the kernel, padding or not.
        for axis, (i, k) in enumerate(zip(spatial, kernel)):
            if i < k:
                raise LayerError(
                    "kernel-too-large",
                    f"axis {axis_name(call.dims, axis)}: torch AvgPool3d needs every input axis at least as large "
                    f"as the kernel, padding aside: input {i} < kernel {k}",
                    "pool_size",
                )
    check_pool_padding(opts, call.framework, call.dims, is_max=is_max)
    out = []
    for axis, (i, k, s, p, d) in enumerate(zip(spatial, kernel, stride, padding, dilation)):
        name = axis_name(call.dims, axis)
        k_eff = shapes.effective_kernel(k, d)
        o = shapes.torch_pool_output_length(i, k, s, p, d, ceil_mode)
        if o <= 0:
            raise LayerError(
                "non-positive-output",
                f"axis {name}: pool window {k_eff} does not fit the padded input {i + 2 * p} "
                f"(output size {o}); use a smaller pool_size or more padding",
                "pool_size",
            )
        outcome.geometry.append(AxisGeometry(k, s, d, p, p))
        floor_o = shapes.torch_pool_output_length(i, k, s, p, d, False)
        if ceil_mode and o > floor_o:
            overhang = (o - 1) * s + k_eff - (i + 2 * p)
            outcome.warn(
                "ceil-window-in-padding",
                f"axis {name}: ceil_mode adds a last window that runs {overhang} past the padded input "
                f"({i} + 2*{p}); it pools only the cells it covers",
                "ceil_mode",
            )
        unread = shapes.unread_input(i, k, s, d, p, o)
        if unread and s <= k_eff:  # with s > k_eff the skipped-cells warning below already says it
            remainder = (i + 2 * p - k_eff) % s
            outcome.warn(
                "dropped-input",
                f"axis {name}: the last {unread} input {CELL_WORDS[name]} of {i} are never pooled; "
                f"{_resize_hint(i, remainder, s)}, or ceil_mode=true, would use every cell",
                "pool_size",
            )
        if s > k_eff:
            outcome.warn(
                "stride-exceeds-kernel",
                f"axis {name}: stride {s} is larger than the pool window {k_eff}, so {s - k_eff} of every "
                f"{s} input {CELL_WORDS[name]} are skipped",
                "stride",
            )
        out.append(o)
    return tuple(out)


def _keras_pool(call: LayerCall, outcome: Outcome, spatial, kernel, stride) -> tuple[int, ...]:
    padding = call.options["padding"]
    check_pool_padding(call.options, call.framework, call.dims)
    out = []
    for axis, (i, k, s) in enumerate(zip(spatial, kernel, stride)):
        name = axis_name(call.dims, axis)
        o = shapes.keras_pool_output_length(i, k, s, padding)
        if o <= 0:
            raise LayerError(
                "non-positive-output",
                f"axis {name}: pool_size {k} is larger than the input {i} with padding 'valid'; "
                f"use pool_size <= {i} or padding 'same'",
                "pool_size",
            )
        before, after = shapes.tf_same_padding(i, k, s) if padding == "same" else (0, 0)
        outcome.geometry.append(AxisGeometry(k, s, 1, before, after))
        if padding == "valid":
            unread = shapes.unread_input(i, k, s, 1, 0, o)
            if unread and s <= k:
                remainder = (i - k) % s
                outcome.warn(
                    "dropped-input",
                    f"axis {name}: the last {unread} input {CELL_WORDS[name]} of {i} are never pooled; "
                    f"{_resize_hint(i, remainder, s)}, or padding 'same', would use every cell",
                    "pool_size",
                )
        if s > k:
            outcome.warn(
                "stride-exceeds-kernel",
                f"axis {name}: strides {s} is larger than pool_size {k}, so {s - k} of every {s} input "
                f"{CELL_WORDS[name]} are skipped",
                "stride",
            )
        out.append(o)
    return tuple(out)


def _resize_hint(length: int, remainder: int, stride: int) -> str:
    smaller, larger = length - remainder, length + stride - remainder
    return f"an input of {smaller} or {larger}" if smaller > 0 else f"an input of {larger}"


def plan_global_pool(call: LayerCall) -> Outcome:
    channels, _ = call.split()
    if call.options["keepdims"]:
        return Outcome(output=call.join(channels, (1,) * call.dims))
    return Outcome(output=(channels,))


def plan_adaptive_pool(call: LayerCall) -> Outcome:
    channels, spatial = call.split()
    check_adaptive_output_size(call.options, call.framework, call.dims)
    sizes = tuple(i if o is None else o for i, o in zip(spatial, call.options["output_size"]))
    outcome = Outcome(output=call.join(channels, sizes))
    if call.framework == "keras" and call.kind_family == "adaptive_max_pool":
        warn_adaptive_max_pool_crash(call, outcome, spatial[-1], sizes[-1])
    return outcome


def check_adaptive_output_size(options: dict, framework: str, dims: int) -> None:
    """A null (keep the axis) output size is torch's, and only in 2d and 3d.

    >>> check_adaptive_output_size({"output_size": (None, 4)}, "torch", 2)
    """
    output_size = options.get("output_size")
    if output_size is None or None not in output_size:
        return
    if framework == "torch" and dims == 1:
        raise LayerError(
            "bad-option-value",
            "torch AdaptivePool1d takes an integer output size; null (keep the axis) works only in 2d and 3d",
            "output_size",
        )
    if framework == "keras":
        raise LayerError(
            "bad-option-value",
            "keras adaptive pooling needs an integer output size on every axis; null (keep the axis) is torch only",
            "output_size",
        )


def warn_adaptive_max_pool_crash(call: LayerCall, outcome: Outcome, length: int, size: int) -> None:
    # keras (TensorFlow backend) pools each axis twice, with windows ceil(i/o) and ceil(i/o) + 1, then
    # gathers. On the last spatial axis a window longer than the input (ceil(i/o) >= i: output 1, or
    # input 1) makes an empty max pool, which TensorFlow 2.21's oneDNN CPU kernels kill the process on
    # (SIGFPE); its own kernels run it. Which one a machine uses decides: a warning, never an error.
    if -(-length // size) >= length:
        outcome.warn(
            "adaptive-max-pool-crash",
            f"keras AdaptiveMaxPooling{call.dims}D to {size} on the last spatial axis (input {length}) runs where "
            "TensorFlow uses its own CPU kernels and crashes the process (SIGFPE) where it uses oneDNN (the default "
            "on many x86 CPUs; TF_ENABLE_ONEDNN_OPTS=0 turns it off); for a model that runs everywhere, use "
            "GlobalMaxPooling with keepdims or a MaxPooling whose window covers the axis",
            "output_size",
        )


# canonical option -> each framework's keyword, where they differ
_TORCH_POOL_ARGUMENTS = {"pool_size": "kernel_size"}
_KERAS_POOL_ARGUMENTS = {"stride": "strides"}
# tf-slim 1.1's max_pool2d / avg_pool2d (inputs, kernel_size, stride=2, padding='VALID', ...)
_SLIM_POOL = FunctionSpelling({"pool_size": "kernel_size"}, ("kernel_size", "stride", "padding", "data_format",
                                                             "outputs_collections", "scope"),
                              {"stride": 2, "padding": "valid"})
# torch's positional parameters of the window pools (keyed like the loop below that builds them)
_TORCH_POOL_POSITIONAL = {
    "max_pool": ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    "avg_pool": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"),
}

WINDOW_POOL_HOOKS = dict(
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=counting.window_pool_ops,
    receptive_field=axis_maps.window_field, explain=deferred("explaining", "explain_pool"), parameter_free=True,
    port=deferred("porting", "port_pool"), differences=deferred("porting", "window_differences"), solve=SolveView("pool", "pool_size", lambda call: call.split()[0]),
)
GLOBAL_POOL_HOOKS = dict(
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=counting.whole_input_pool_ops,
    receptive_field=axis_maps.adaptive_field, explain=deferred("explaining", "explain_global_pool"), parameter_free=True,
)
ADAPTIVE_POOL_HOOKS = dict(
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=counting.whole_input_pool_ops,
    receptive_field=axis_maps.adaptive_field, explain=deferred("explaining", "explain_adaptive_pool"), parameter_free=True,
)


def pool_kinds() -> list[Kind]:
    kinds = []
    for dims in (1, 2, 3):
        for family, word, keras_word, torch_word in (
            ("max_pool", "max", "MaxPooling", "MaxPool"),
            ("avg_pool", "average", "AveragePooling", "AvgPool"),
        ):
            options = (POOL_SIZE, POOL_STRIDE, POOL_PADDING) + (
                (POOL_DILATION, CEIL_MODE) if family == "max_pool" else (CEIL_MODE,)
            )
            kinds.append(Kind(
                f"{family}{dims}d", family, dims, options, plan_pool,
                f"{dims}-D {word} pooling; stride defaults to pool_size. Channels are kept.",
                input_rank=dims + 1, positional=("pool_size", "stride", "padding"),
                formulas={
                    "torch": "o = floor((i + 2p - d*(k-1) - 1 [+ s-1 with ceil_mode]) / s) + 1; with ceil_mode "
                             "a window may not start in the right padding",
                    "keras": "valid: o = floor((i - k) / s) + 1; same: o = ceil(i / s)",
                },
                spellings=spellings(f"{torch_word}{dims}d", f"{keras_word}{dims}D", _TORCH_POOL_ARGUMENTS, _KERAS_POOL_ARGUMENTS,
                                    torch_positional=_TORCH_POOL_POSITIONAL[family],
                                    keras_positional=("pool_size", "strides", "padding", "data_format"),
                                    write=(deferred("writing", "torch_pool"), deferred("writing", "keras_pool")),
                                    keras_functions={f"tf_slim.{family}2d": _SLIM_POOL} if dims == 2 else None),
                option_rules=(check_max_pool_padding if family == "max_pool" else check_pool_padding,),
                **WINDOW_POOL_HOOKS,
            ))
        for family, word, keras_word, torch_word in (
            ("global_avg_pool", "average", "GlobalAveragePooling", "AdaptiveAvgPool"),
            ("global_max_pool", "max", "GlobalMaxPooling", "AdaptiveMaxPool"),
        ):
            kinds.append(Kind(
                f"{family}{dims}d", family, dims, (KEEPDIMS,), plan_global_pool,
                f"{dims}-D global {word} pooling: every spatial axis pooled away (kept as 1 with keepdims). "
                f"torch: {torch_word}{dims}d(1) then flatten.",
                input_rank=dims + 1,
                formulas={"torch": "(C, *spatial) -> (C) or (C, 1, ...)", "keras": "(*spatial, C) -> (C) or (1, ..., C)"},
                spellings=spellings(f"{torch_word}{dims}d(1) + Flatten", f"{keras_word}{dims}D",
                                    keras_positional=("data_format", "keepdims"),
                                    write=(deferred("writing", "torch_global_pool"), deferred("writing", "keras_global_pool"))),
                **GLOBAL_POOL_HOOKS,
            ))
        for family, word, keras_word, torch_word in (
            ("adaptive_avg_pool", "average", "AdaptiveAveragePooling", "AdaptiveAvgPool"),
            ("adaptive_max_pool", "max", "AdaptiveMaxPooling", "AdaptiveMaxPool"),
        ):
            kinds.append(Kind(
                f"{family}{dims}d", family, dims, (OUTPUT_SIZE,), plan_adaptive_pool,
                f"{dims}-D adaptive {word} pooling to a fixed output size, whatever the input size.",
                input_rank=dims + 1, positional=("output_size",),
                formulas={"torch": "o = output_size", "keras": "o = output_size"},
                spellings=spellings(f"{torch_word}{dims}d", f"{keras_word}{dims}D",
                                    torch_positional=("output_size", "return_indices"),
                                    keras_positional=("output_size", "data_format"),
                                    write=(deferred("writing", "torch_adaptive_pool"), deferred("writing", "keras_adaptive_pool"))),
                option_rules=(check_adaptive_output_size,),
                **ADAPTIVE_POOL_HOOKS,
            ))
    return kinds
