"""Helpers shared by the layer kinds that slide a window over spatial axes."""

from __future__ import annotations

import math

from .. import shapes
from .base import AxisGeometry, LayerCall, LayerError, Outcome

AXIS_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}
CELL_WORDS = {"L": "steps", "H": "rows", "W": "columns", "D": "slices"}


def axis_name(dims: int, axis: int) -> str:
    return AXIS_NAMES[dims][axis]


def product(values) -> int:
    result = 1
    for value in values:
        result *= value
    return result


def check_window_padding(options: dict, framework: str, dims: int, *, allow_causal: bool = False) -> None:
    """Raise LayerError for a convolution `padding` the framework rejects whatever the input shape:
    torch 'causal', torch 'same' with a stride, keras integer amounts, keras 'causal' outside Conv1D.
    Options that did not parse (None) are not checked.

    >>> check_window_padding({"padding": (1, 1), "stride": (1, 1), "kernel_size": (3, 3)}, "keras", 2)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: keras takes padding 'valid' or 'same' (got 1); for explicit amounts put a zero_padding2d layer before this one
    """
    padding, stride, kernel = options.get("padding"), options.get("stride"), options.get("kernel_size")
    if padding is None:
        return
    if framework == "torch":
        if padding == "causal":
            raise LayerError(
                "bad-padding",
                "torch has no padding='causal'; put a zero_padding1d layer with [d*(k-1), 0] before the conv",
                "padding",
            )
        if padding == "same" and stride is not None and any(s != 1 for s in stride):
            example = f" such as {max((k - 1) // 2 for k in kernel)}" if kernel is not None else ""
            raise LayerError(
                "same-with-stride",
                f"torch padding='same' is not supported for strided convolutions (stride {_fmt(stride)}); "
                f"use an integer padding{example}",
                "padding",
            )
        return
    if isinstance(padding, tuple):
        raise LayerError(
            "bad-padding",
            f"keras takes padding 'valid' or 'same' (got {_fmt(padding)}); "
            f"for explicit amounts put a zero_padding{dims}d layer before this one",
            "padding",
        )
    if padding == "causal" and not allow_causal:
        raise LayerError("bad-padding", "padding='causal' exists only for keras Conv1D", "padding")


def window_pads(call: LayerCall, kernel, stride, dilation, spatial, *, allow_causal: bool = False) -> list[tuple[int, int]]:
    """The padding actually applied before/after each axis by a convolution-like window,
    following the framework's rules for the `padding` option."""
    check_window_padding(call.options, call.framework, call.dims, allow_causal=allow_causal)
    padding = call.options["padding"]
    if call.framework == "torch":
        if padding == "same":
            return [shapes.torch_same_padding(k, d) for k, d in zip(kernel, dilation)]
        if padding == "valid":
            return [(0, 0)] * len(kernel)
        return [(p, p) for p in padding]
    # keras
    if padding == "causal":
        return [shapes.causal_padding(k, d) for k, d in zip(kernel, dilation)]
    if padding == "same":
        return [shapes.tf_same_padding(i, k, s, d) for i, k, s, d in zip(spatial, kernel, stride, dilation)]
    return [(0, 0)] * len(kernel)


def slide_window(
    call: LayerCall,
    outcome: Outcome,
    kernel,
    stride,
    dilation,
    pads,
    spatial,
    *,
    what: str = "kernel",
) -> tuple[int, ...]:
    """Output sizes of a window sliding over each axis, with the framework's errors and the
    warnings a designer wants (unread input, skipped cells, asymmetric 'same').

    A 1x1 kernel with a stride (the projection shortcut of a residual block) subsamples on
    purpose: it gets no warning for the cells it skips.

    >>> from layerplan.planner.kinds.base import LayerCall, Outcome
    >>> call = LayerCall((8, 56, 56), {}, "torch", 2, frozenset(), "conv")
    >>> def warnings(kernel):
    ...     outcome = Outcome(())
    ...     sizes = slide_window(call, outcome, kernel, (2, 2), (1, 1), [(0, 0), (0, 0)], (56, 56))
    ...     return sizes, [name for name, _, _ in outcome.warnings]
    >>> warnings((1, 1)), warnings((1, 3))
    (((28, 28), []), ((28, 27), ['stride-exceeds-kernel', 'dropped-input']))
    """
    pointwise = all(k == 1 for k in kernel)
    out = []
    for axis, (i, k, s, d, (before, after)) in enumerate(zip(spatial, kernel, stride, dilation, pads)):
        name = axis_name(call.dims, axis)
        k_eff = shapes.effective_kernel(k, d)
        padded = i + before + after
        if padded < k_eff:
            span = f"{k_eff} (kernel {k}, dilation {d})" if d > 1 else f"{k}"
            raise LayerError(
                "kernel-too-large",
                f"{what} {span} is larger than the padded input {padded} on axis {name} "
                f"(input {i} + padding {before}+{after}); use a {what} <= {padded} or more padding",
                "kernel_size",
            )
        o = shapes.conv_output_length(i, k, s, d, before, after)
        outcome.geometry.append(AxisGeometry(k, s, d, before, after))
        unread = shapes.unread_input(i, k, s, d, before, o)
        if unread and s <= k_eff:  # with s > k_eff the skipped-cells warning below already says it
            remainder = (padded - k_eff) % s
            fix_input = i + (s - remainder)
            outcome.warn(
                "dropped-input",
                f"axis {name}: the last {unread} input {CELL_WORDS[name]} of {i} are never read "
                f"(({i} + {before + after} - {k_eff}) mod {s} = {remainder}); "
                + (f"an input of {i - remainder} or {fix_input}" if i - remainder > 0 else f"an input of {fix_input}")
                + (f", or {s - remainder} more padding after," if call.framework == "torch" else "")
                + " would read every cell",
                "stride",
            )
        shared = math.gcd(s, d)
        if shared > 1 and k > 1:
            outcome.warn(
                "dilation-holes",
                f"axis {name}: stride {s} and dilation {d} are both multiples of {shared}, so only 1 in "
                f"{shared} input {CELL_WORDS[name]} is ever read; use a stride and dilation without a "
                "common factor",
                "dilation",
            )
        if s > k_eff and not pointwise:
            outcome.warn(
                "stride-exceeds-kernel",
                f"axis {name}: stride {s} is larger than the {what} {k_eff}, so {s - k_eff} of every {s} "
                f"input {CELL_WORDS[name]} are skipped",
                "stride",
            )
        out.append(o)
    return tuple(out)


def warn_even_same(call: LayerCall, outcome: Outcome, kernel, dilation, pads) -> None:
    """'same' with an even effective kernel pads one more pixel after than before."""
    if call.options.get("padding") != "same":
        return
    for axis, (k, d, (before, after)) in enumerate(zip(kernel, dilation, pads)):
        if shapes.effective_kernel(k, d) % 2 == 0 and before != after:
            name = axis_name(call.dims, axis)
            outcome.warn(
                "even-kernel-same",
                f"axis {name}: kernel {k} is even, so 'same' pads {before} before and {after} after "
                f"(the extra pixel goes after: {'bottom' if name == 'H' else 'right' if name == 'W' else 'end'})",
                "kernel_size",
            )


def check_keras_stride_dilation(options: dict, framework: str, dims: int = 0) -> None:
    """keras rejects strides > 1 together with dilation_rate > 1 (whatever the input shape).

    >>> check_keras_stride_dilation({"stride": (2, 2), "dilation": (1, 1)}, "keras")
    """
    stride, dilation = options.get("stride"), options.get("dilation")
    if framework == "keras" and stride is not None and dilation is not None and max(stride) > 1 and max(dilation) > 1:
        raise LayerError(
            "stride-with-dilation",
            f"keras does not support strides > 1 together with dilation_rate > 1 "
            f"(got strides {_fmt(stride)}, dilation_rate {_fmt(dilation)})",
            "dilation",
        )


def _fmt(values) -> str:
    values = tuple(values)
    if len(set(values)) == 1:
        return str(values[0])
    return "(" + ", ".join(str(v) for v in values) + ")"


fmt_axes = _fmt
