"""Solvers: which hyper-parameters give the size you want, and which input sizes a network accepts.

Per layer (one spatial axis at a time): every (kernel, stride, padding, dilation) combination — with
output_padding for transposed convolutions, ceil_mode for torch pooling — inside the search ranges
that turns an input length into exactly the target length *with no dropped input*, spelled as the
chosen framework spells it, simplest first. "No dropped input" means: every input cell is read by
some window (no remainder left at the end, no stride larger than the window), and for a transposed
convolution every input cell reaches the output and every output cell receives some input.

>>> [c.text("torch") for c in solve_layer("conv", 28, 14, "torch").combos[:3]]
['kernel_size=2, stride=2', 'kernel_size=3, stride=2, padding=1', 'kernel_size=4, stride=2, padding=1']
>>> [c.text("keras") for c in solve_layer("conv", 28, 14, "keras").combos[:2]]
['kernel_size=2, strides=2', "kernel_size=2, strides=2, padding='same'"]

Per network: `solve_input` plans the whole spec for input sizes near N and keeps the sizes for
which it plans with no error, no dropped input and every expect met.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable

from layerplan.planner import shapes
from layerplan.planner.diagnostics import FIXABLE
from layerplan.planner.kinds import resolve_type
from layerplan.planner.kinds.base import SolveView
from layerplan.planner.kinds.conv import _tensorflow_accepts_transpose
from layerplan.planner.kinds.spatial import AXIS_NAMES
from layerplan.planner.plan import plan_only
from layerplan.planner.spec import build_spec, with_input

LAYER_KINDS = ("conv", "pool", "conv_transpose")


@dataclass(frozen=True)
class Ranges:
    """The search space of a per-layer solve."""

    max_kernel: int = 7
    max_stride: int = 4
    max_dilation: int = 2

    def kernels(self) -> range:
        return range(1, self.max_kernel + 1)

    def strides(self) -> range:
        return range(1, self.max_stride + 1)

    def dilations(self) -> range:
        return range(1, self.max_dilation + 1)


@dataclass(frozen=True)
class Combo:
    """One combination of one spatial axis and the length it gives.

    `padding` is an integer (torch) or 'valid' / 'same' (keras, and torch conv 'same');
    `output_padding` is None when not set (keras: absent, which differs from 0).
    """

    kind: str  # conv | pool | conv_transpose
    input: int
    output: int
    kernel: int
    stride: int
    padding: int | str
    dilation: int = 1
    output_padding: int | None = None
    ceil_mode: bool = False
    pad_before: int = 0
    pad_after: int = 0

    def simplicity(self) -> tuple:
        """Sort key: no dilation first, then the fewest and smallest numbers."""
        pad = self.padding if isinstance(self.padding, int) else (0 if self.padding == "valid" else 1)
        extra = (self.output_padding or 0) + int(self.ceil_mode)
        return (self.dilation, self.kernel + self.stride + pad + extra, self.kernel, self.stride, pad,
                self.output_padding is not None, extra, str(self.padding))

    def options(self) -> dict[str, Any]:
        """The layer options in spec-v1 spelling (canonical names), defaults left out.

        >>> Combo("conv", 28, 14, 3, 2, 1).options()
        {'kernel_size': 3, 'stride': 2, 'padding': 1}
        """
        kernel_key = "pool_size" if self.kind == "pool" else "kernel_size"
        result: dict[str, Any] = {kernel_key: self.kernel}
        if self.stride != (self.kernel if self.kind == "pool" else 1):
            result["stride"] = self.stride
        if self.padding not in (0, "valid"):
            result["padding"] = self.padding
        if self.dilation != 1:
            result["dilation"] = self.dilation
        if self.output_padding is not None:
            result["output_padding"] = self.output_padding
        if self.ceil_mode:
            result["ceil_mode"] = True
        return result

    def text(self, framework: str) -> str:
        """The combination as the framework's own keyword arguments.

        >>> Combo("pool", 7, 4, 2, 2, "same").text("keras")
        "pool_size=2, padding='same'"
        >>> Combo("conv", 28, 28, 3, 1, 1, dilation=2).text("keras")
        'kernel_size=3, padding=1, dilation_rate=2'
        """
        keras = framework == "keras"
        names = {
            "kernel_size": "pool_size" if self.kind == "pool" and keras else "kernel_size",
            "pool_size": "pool_size" if keras else "kernel_size",
            "stride": "strides" if keras else "stride",
            "dilation": "dilation_rate" if keras else "dilation",
        }
        parts = []
        for key, value in self.options().items():
            shown = repr(value) if isinstance(value, str) else ("True" if value is True else str(value))
            parts.append(f"{names.get(key, key)}={shown}")
        return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# one axis, one combination: the output length, or None when the framework rejects it or some
# input is dropped
# ---------------------------------------------------------------------------------------------

def _window_reads_everything(length: int, kernel: int, stride: int, dilation: int, before: int, out: int) -> bool:
    """Does every input cell fall under a tap of some window? Window j's taps read cells
    j*s - before + t*d (t < kernel)."""
    if out < 1 or stride > shapes.effective_kernel(kernel, dilation):
        return False
    if shapes.unread_input(length, kernel, stride, dilation, before, out):
        return False
    if dilation == 1:
        return True  # contiguous windows no further apart than their width leave no gap

    def read(cell: int) -> bool:
        for t in range(kernel):
            q = cell + before - t * dilation
            if q % stride == 0 and 0 <= q // stride < out:
                return True
        return False

    # Dilated taps can leave holes; away from the edges the pattern repeats every `stride` cells.
    margin = shapes.effective_kernel(kernel, dilation) + 2 * stride
    cells = range(length) if length <= 2 * margin + stride else \
        [*range(margin), *range(length // 2, length // 2 + stride), *range(length - margin, length)]
    return all(read(cell) for cell in cells)


def conv_candidates(length: int, framework: str, ranges: Ranges = Ranges()) -> Iterable[Combo]:
    """Every convolution combination in the ranges whose output reads every input cell."""
    for d in ranges.dilations():
        for k in ranges.kernels():
            k_eff = shapes.effective_kernel(k, d)
            for s in ranges.strides():
                if s > k_eff:
                    continue
                if framework == "keras":
                    if s > 1 and d > 1:  # keras rejects strides > 1 with dilation_rate > 1
                        continue
                    for word in ("valid", "same"):
                        before, after = (0, 0) if word == "valid" else shapes.tf_same_padding(length, k, s, d)
                        if length + before + after < k_eff:
                            continue
                        out = shapes.conv_output_length(length, k, s, d, before, after)
                        if _window_reads_everything(length, k, s, d, before, out):
                            yield Combo("conv", length, out, k, s, word, d, pad_before=before, pad_after=after)
                    continue
                # torch: integer padding; a window must touch the input (p < k_eff)
                for p in range(0, k_eff):
                    if length + 2 * p < k_eff:
                        continue
                    out = shapes.conv_output_length(length, k, s, d, p, p)
                    if _window_reads_everything(length, k, s, d, p, out):
                        yield Combo("conv", length, out, k, s, p, d, pad_before=p, pad_after=p)
                if s == 1:
                    before, after = shapes.torch_same_padding(k, d)
                    out = shapes.conv_output_length(length, k, s, d, before, after)
                    if length + before + after >= k_eff and _window_reads_everything(length, k, s, d, before, out):
                        yield Combo("conv", length, out, k, s, "same", d, pad_before=before, pad_after=after)


def pool_candidates(length: int, framework: str, ranges: Ranges = Ranges()) -> Iterable[Combo]:
    """Every pooling combination (no dilation) in the ranges whose output reads every input cell.

    torch: integer padding up to kernel // 2, and ceil_mode where it changes the size;
    keras: 'valid' or 'same'.
    """
    for k in ranges.kernels():
        for s in ranges.strides():
            if s > k:
                continue
            if framework == "keras":
                for word in ("valid", "same"):
                    if word == "valid" and length < k:
                        continue
                    out = shapes.keras_pool_output_length(length, k, s, word)
                    before, after = shapes.tf_same_padding(length, k, s) if word == "same" else (0, 0)
                    if word == "valid" and not _window_reads_everything(length, k, s, 1, 0, out):
                        continue
                    if out >= 1:
                        yield Combo("pool", length, out, k, s, word, pad_before=before, pad_after=after)
                continue
            for p in range(0, k // 2 + 1):
                floor_out = shapes.torch_pool_output_length(length, k, s, p, 1, False)
                if floor_out >= 1 and _window_reads_everything(length, k, s, 1, p, floor_out):
                    yield Combo("pool", length, floor_out, k, s, p, pad_before=p, pad_after=p)
                ceil_out = shapes.torch_pool_output_length(length, k, s, p, 1, True)
                if ceil_out != floor_out and ceil_out >= 1 and \
                        _window_reads_everything(length, k, s, 1, p, ceil_out):
                    yield Combo("pool", length, ceil_out, k, s, p, ceil_mode=True, pad_before=p, pad_after=p)


def transposed_covers(length: int, out: int, kernel: int, stride: int, dilation: int, pad_before: int) -> bool:
    """Does every input cell reach the output, and every output cell receive an input, when input
    cell i writes output cells i*s - pad_before + t*d (t < kernel)?

    >>> transposed_covers(7, 14, 4, 2, 1, 1), transposed_covers(7, 14, 1, 2, 1, 0)
    (True, False)
    """
    k_eff = shapes.effective_kernel(kernel, dilation)

    def reaches(i: int) -> bool:
        base = i * stride - pad_before
        return any(0 <= base + t * dilation < out for t in range(kernel))

    def receives(o: int) -> bool:
        for t in range(kernel):
            q = o + pad_before - t * dilation
            if q % stride == 0 and 0 <= q // stride < length:
                return True
        return False

    # Away from the edges both properties repeat with period `stride`: check the edges and one period.
    margin_in, margin_out = k_eff // stride + 3, k_eff + 2 * stride
    inputs = range(length) if length <= 2 * margin_in else \
        [*range(margin_in), *range(length - margin_in, length)]
    outputs = range(out) if out <= 2 * margin_out + stride else \
        [*range(margin_out), *range(out // 2, out // 2 + stride), *range(out - margin_out, out)]
    return all(reaches(i) for i in inputs) and all(receives(o) for o in outputs)


def conv_transpose_candidates(length: int, framework: str, ranges: Ranges = Ranges()) -> Iterable[Combo]:
    """Every transposed-convolution combination in the ranges with full coverage (see
    `transposed_covers`). torch: integer padding below the effective kernel, output_padding below
    max(stride, dilation); keras: 'valid' / 'same' with output_padding absent or below the stride
    (combinations TensorFlow crashes on, on every machine or on some, are left out)."""

    for d in ranges.dilations():
        for k in ranges.kernels():
            k_eff = shapes.effective_kernel(k, d)
            for s in ranges.strides():
                if framework == "keras":
                    if d > 1:  # fails with some TensorFlow CPU kernels (LP310): never suggested
                        continue
                    for word in ("valid", "same"):
                        for op in (None, *range(s)):
                            out = shapes.keras_conv_transpose_output_length(length, k, s, word, op, d)
                            if out < 1:
                                continue
                            if op is not None and not _tensorflow_accepts_transpose(length, out, k_eff, s, word):
                                continue
                            total = max((length - 1) * s + k_eff - out, 0) if word == "same" else 0
                            before = total // 2
                            if transposed_covers(length, out, k, s, d, before):
                                yield Combo("conv_transpose", length, out, k, s, word, d, op,
                                            pad_before=before, pad_after=total - before)
                    continue
                for p in range(0, k_eff):
                    for op in range(max(s, d)):
                        out = shapes.torch_conv_transpose_output_length(length, k, s, p, op, d)
                        if out >= 1 and transposed_covers(length, out, k, s, d, p):
                            # torch's default output_padding is 0: leave it out of the spelling
                            yield Combo("conv_transpose", length, out, k, s, p, d, op or None,
                                        pad_before=p, pad_after=p)


_CANDIDATES = {"conv": conv_candidates, "pool": pool_candidates, "conv_transpose": conv_transpose_candidates}


@dataclass
class LayerSolution:
    """Every combination that gives the target, simplest first; when there is none, the nearest
    reachable lengths below and above with their simplest combination."""

    kind: str
    framework: str
    input: int
    target: int
    ranges: Ranges
    combos: list[Combo] = field(default_factory=list)
    below: Combo | None = None
    above: Combo | None = None

    @property
    def possible(self) -> bool:
        return bool(self.combos)

    def to_dict(self) -> dict:
        def combo(c: Combo | None) -> dict | None:
            if c is None:
                return None
            return {"output": c.output, "options": c.options(), "call": c.text(self.framework),
                    "pad_before": c.pad_before, "pad_after": c.pad_after}

        return {
            "kind": self.kind, "framework": self.framework, "input": self.input, "target": self.target,
            "ranges": {"max_kernel": self.ranges.max_kernel, "max_stride": self.ranges.max_stride,
                       "max_dilation": self.ranges.max_dilation},
            "possible": self.possible,
            "solutions": [combo(c) for c in self.combos],
            "nearest_below": combo(self.below), "nearest_above": combo(self.above),
        }


def solve_layer(kind: str, length: int, target: int, framework: str, ranges: Ranges = Ranges()) -> LayerSolution:
    """All combinations of one layer kind turning `length` into `target` on one axis.

    >>> s = solve_layer("conv_transpose", 7, 14, "torch")
    >>> s.combos[0].text("torch")
    'kernel_size=2, stride=2'
    >>> s = solve_layer("pool", 28, 5, "keras", Ranges(max_kernel=3, max_stride=3))
    >>> s.possible, s.below, s.above.output, s.above.text("keras")
    (False, None, 10, "pool_size=3, padding='same'")
    """
    if kind not in _CANDIDATES:
        raise ValueError(f"unknown layer kind {kind!r}; use one of {', '.join(LAYER_KINDS)}")
    solution = LayerSolution(kind, framework, length, target, ranges)
    candidates = sorted(_CANDIDATES[kind](length, framework, ranges), key=Combo.simplicity)
    solution.combos = [c for c in candidates if c.output == target]
    if not solution.combos:
        below = [c for c in candidates if c.output < target]
        above = [c for c in candidates if c.output > target]
        if below:
            best = max(c.output for c in below)
            solution.below = next(c for c in below if c.output == best)
        if above:
            best = min(c.output for c in above)
            solution.above = next(c for c in above if c.output == best)
    return solution


# ---------------------------------------------------------------------------------------------
# fixes for diagnostics: the smallest change of one layer that removes the problem
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fix:
    """A change of a layer's options (spec-v1 canonical names) and the output shape it gives."""

    changes: dict[str, Any]
    output: tuple[int, ...]
    framework: str

    def text(self) -> str:
        parts = []
        for key, value in self.changes.items():
            if isinstance(value, (list, tuple)):
                value = "[" + ", ".join(str(v) for v in value) + "]"
            elif isinstance(value, str):
                value = repr(value)
            elif isinstance(value, bool):
                value = str(value).lower()
            parts.append(f"{key}={value}")
        return f"{', '.join(parts)} gives {shapes.shape_text(self.output)}"


#: larger kernels or inputs are not searched for a fix (the search is per cell of padding)
_FIX_LIMIT = 4096


def fix_text(kind, call, name: str, expected: list | None = None) -> str | None:
    """The solver's concrete change for a diagnostic of a layer ("padding=1 gives 8x14x14"), if any;
    the engine attaches it to the diagnostic as `fix`."""
    if name not in FIXABLE:
        return None
    try:
        fix = layer_fix(kind, call, name, expected)
    except Exception:  # a suggestion must never stop planning; tests/solve exercise layer_fix directly
        return None
    return None if fix is None else fix.text()


def _per_axis_value(values: list) -> Any:
    return values[0] if len(set(values)) == 1 else list(values)


def layer_fix(kind, call, diagnostic: str, expected: list | None = None) -> Fix | None:
    """A concrete change of one option that removes a diagnostic of a planned (or rejected) layer.

    `kind` is the layer's Kind, `call` its LayerCall. For 'expect-failed', `expected` is the
    expected output shape (None entries match anything).

    >>> from layerplan.planner.kinds import KINDS, LayerCall
    >>> kind = KINDS["conv2d"]
    >>> options = {"filters": 8, "kernel_size": (3, 3), "stride": (2, 2), "padding": (0, 0), "dilation": (1, 1),
    ...            "groups": 1, "bias": True, "activation": None}
    >>> layer_fix(kind, LayerCall((1, 28, 28), options, "torch", 2, kind_family="conv"), "dropped-input").text()
    'padding=1 gives 8x14x14'
    """
    view = kind.solve
    if view is None:  # the solver changes windows only
        return None
    solver = view.solver
    if call.framework == "torch" and solver == "pool" and call.options.get("dilation") and \
            max(call.options["dilation"]) > 1:
        return None
    channels, spatial = call.split()
    opts = call.options
    kernel = opts[view.kernel]
    stride = opts.get("stride") or kernel
    dilation = opts.get("dilation") or (1,) * len(spatial)
    if any(shapes.effective_kernel(k, d) > _FIX_LIMIT or s > _FIX_LIMIT for k, s, d in zip(kernel, stride, dilation)):
        return None
    out_channels = view.out_channels(call)

    targets: list[int | None] = [None] * len(spatial)
    if diagnostic == "expect-failed":
        if expected is None or len(expected) != len(call.shape):
            return None
        exp_channels, exp_spatial = (expected[0], expected[1:]) if call.channels_first else (expected[-1], expected[:-1])
        if exp_channels is not None and exp_channels != out_channels:
            if view.filters_free:
                return _channel_fix(call, solver, exp_channels, expected, opts)
            return None
        targets = list(exp_spatial)

    # per axis: keep kernel, stride and dilation; vary padding / output_padding / ceil_mode only
    per_axis: list[Combo] = []
    for axis, length in enumerate(spatial):
        space = Ranges(max_kernel=kernel[axis], max_stride=stride[axis], max_dilation=dilation[axis])
        options = [c for c in _CANDIDATES[solver](length, call.framework, space)
                   if c.kernel == kernel[axis] and c.stride == stride[axis] and c.dilation == dilation[axis]]
        current = _current_output(call, solver, axis)
        if targets[axis] is not None:
            options = [c for c in options if c.output == targets[axis]]
        if not options:
            return None
        if call.framework == "keras":
            options = [c for c in options if c.padding != call.options.get("padding") or
                       c.output_padding != _axis(call.options.get("output_padding"), axis)] or options
        options.sort(key=lambda c: (abs(c.output - current) if current is not None else 0, c.simplicity()))
        per_axis.append(options[0])
    changes = _combine(per_axis, call, solver)
    if changes is None:
        return None
    out_spatial = tuple(c.output for c in per_axis)
    return Fix(changes, call.join(out_channels, out_spatial), call.framework)


def _axis(values, axis: int):
    return None if values is None else values[axis]


def _current_output(call, solver: str, axis: int) -> int | None:
    """The output length the layer has now on one axis, if it can be planned (`solver`: the kind's
    SolveView.solver)."""
    opts = call.options
    length = call.split()[1][axis]
    try:
        if solver == "conv_transpose":
            k, s, d = opts["kernel_size"][axis], opts["stride"][axis], opts["dilation"][axis]
            op = _axis(opts.get("output_padding"), axis)
            if call.framework == "torch":
                p = opts["padding"][axis] if isinstance(opts["padding"], tuple) else 0
                return shapes.torch_conv_transpose_output_length(length, k, s, p, op or 0, d)
            padding = opts["padding"] if isinstance(opts["padding"], str) else "valid"
            return shapes.keras_conv_transpose_output_length(length, k, s, padding, op, d)
        kernel = opts.get("pool_size") or opts.get("kernel_size")
        k = kernel[axis]
        s = (opts.get("stride") or kernel)[axis]
        d = (opts.get("dilation") or (1,) * len(kernel))[axis]
        padding = opts.get("padding")
        if isinstance(padding, tuple):
            return shapes.conv_output_length(length, k, s, d, padding[axis], padding[axis])
        if padding == "same":
            return shapes.ceil_div(length, s)
        return shapes.conv_output_length(length, k, s, d, 0, 0)
    except (KeyError, TypeError, IndexError):
        return None


def _combine(per_axis: list[Combo], call, solver: str) -> dict[str, Any] | None:
    """The option changes that apply every axis' combination at once (None if the framework cannot
    spell them together, e.g. keras 'same' on one axis and 'valid' on another)."""
    opts = call.options
    changes: dict[str, Any] = {}
    paddings = [c.padding for c in per_axis]
    if call.framework == "keras" and len(set(paddings)) > 1:
        return None
    if call.framework == "torch" and solver != "conv_transpose" and "same" in paddings:
        if len(set(paddings)) > 1:
            paddings = [c.pad_before if c.padding == "same" else c.padding for c in per_axis]
            if any(c.padding == "same" and c.pad_before != c.pad_after for c in per_axis):
                return None
    new_padding = paddings[0] if isinstance(paddings[0], str) and len(set(paddings)) == 1 else tuple(paddings)
    old_padding = opts.get("padding")
    if new_padding != old_padding:
        changes["padding"] = _per_axis_value(list(new_padding)) if isinstance(new_padding, tuple) else new_padding
    if solver == "conv_transpose":
        ops = [c.output_padding for c in per_axis]
        old_op = opts.get("output_padding")
        if call.framework == "torch" or len(set(op is None for op in ops)) > 1:
            ops = [op or 0 for op in ops]  # torch: absent is 0
            old_op = tuple(old_op or (0,) * len(ops)) if call.framework == "torch" else old_op
        new_op = None if all(op is None for op in ops) else tuple(ops)
        if new_op != old_op:
            if new_op is None:
                return None  # an option cannot be removed by a one-line change
            changes["output_padding"] = _per_axis_value(list(new_op))
    if solver == "pool" and call.framework == "torch":
        ceil = {c.ceil_mode for c in per_axis}
        if len(ceil) > 1:
            return None
        if ceil.pop() != bool(opts.get("ceil_mode")):
            changes["ceil_mode"] = per_axis[0].ceil_mode
    return changes or None


def _channel_fix(call, solver: str, channels: int, expected, opts) -> Fix | None:
    groups = opts.get("groups") or 1
    if channels % groups:
        return None
    # The spatial sizes are unchanged by filters; the expect must agree on them for this to be a fix.
    _, spatial = call.split()
    current = tuple(_current_output(call, solver, axis) for axis in range(len(spatial)))
    if None in current:
        return None
    exp_spatial = expected[1:] if call.channels_first else expected[:-1]
    if any(e is not None and e != c for e, c in zip(exp_spatial, current)):
        return None
    return Fix({"filters": channels}, call.join(channels, current), call.framework)


# ---------------------------------------------------------------------------------------------
# per network: input sizes
# ---------------------------------------------------------------------------------------------

@dataclass
class InputSolution:
    """Input sizes near a target for which the whole spec plans cleanly."""

    axis: str  # "all" or an axis name (H, W, ...)
    near: int
    lo: int
    hi: int
    valid: list[int]
    rule: tuple[int, int] | None = None  # (modulus, residue) when every valid size in the range fits it
    problems: dict[int, str] = field(default_factory=dict)  # first problem of each rejected size

    @property
    def nearest(self) -> list[int]:
        """The valid sizes closest to `near` (one each side, or the size itself)."""
        if self.near in self.valid:
            return [self.near]
        below = [v for v in self.valid if v < self.near]
        above = [v for v in self.valid if v > self.near]
        return ([max(below)] if below else []) + ([min(above)] if above else [])

    def to_dict(self) -> dict:
        return {
            "axis": self.axis, "near": self.near, "range": [self.lo, self.hi], "valid": self.valid,
            "nearest": self.nearest,
            "rule": None if self.rule is None else {"modulus": self.rule[0], "residue": self.rule[1]},
        }


def spatial_axes(input_shape, framework: str) -> list[int]:
    """Indexes of the spatial axes of a sample shape.

    >>> spatial_axes([1, 28, 28], "torch"), spatial_axes([28, 28, 1], "keras")
    ([1, 2], [0, 1])
    """
    rank = len(input_shape)
    if rank < 2:
        return []
    return list(range(1, rank)) if framework == "torch" else list(range(rank - 1))


def first_problem(report):
    """The first diagnostic that keeps a planned report from counting as clean for the solver: an error,
    or input rows a layer never reads (None when there is none)."""
    for diagnostic in report.diagnostics:
        if diagnostic.is_error or diagnostic.name == "dropped-input":
            return diagnostic
    return None


def input_problem(report) -> str | None:
    """Why a planned report does not count as clean for `solve input` (None when it does), in words."""
    diagnostic = first_problem(report)
    if diagnostic is None:
        return None
    where = f"layer {diagnostic.layer}: " if diagnostic.layer is not None else ""
    return f"{where}{diagnostic.code} {diagnostic.message}"


def _rule(valid: list[int]) -> tuple[int, int] | None:
    if len(valid) < 2:
        return None
    from math import gcd

    modulus = 0
    for a, b in zip(valid, valid[1:]):
        modulus = gcd(modulus, b - a)
    if modulus <= 1:
        return None
    # Only a rule if every size of that residue in the range is valid.
    return modulus, valid[0] % modulus


def without_shape_expects(data: dict) -> dict:
    """The spec without its shape assertions (layer `expect`s and `expect.output`); budgets stay.

    >>> without_shape_expects({"input": [1, 8], "expect": {"output": [4], "max_params": 9},
    ...                        "layers": [{"dense": {"units": 4, "expect": [4]}}]})
    {'input': [1, 8], 'expect': {'max_params': 9}, 'layers': [{'type': 'dense', 'units': 4}]}
    """
    stripped = dict(data)
    if isinstance(stripped.get("expect"), dict):
        stripped["expect"] = {k: v for k, v in stripped["expect"].items() if k != "output"}
    if isinstance(stripped.get("layers"), list):
        layers = []
        for item in stripped["layers"]:
            parsed = _entry_type_and_options(item)
            if parsed is not None and "expect" in parsed[2]:
                type_name, options, meta = parsed
                meta = {k: v for k, v in meta.items() if k != "expect"}
                item = {"type": type_name, **options, **meta}
            layers.append(item)
        stripped["layers"] = layers
    return stripped


#: sizes on each side of `near` that solve_input tries at most
MAX_INPUT_SPAN = 1024


def solve_input(data: dict, near: int, *, axis: str | int = "all", span: int | None = None,
                framework: str | None = None, shape_expects: bool = True) -> InputSolution:
    """Input sizes within `span` of `near` for which the spec plans with no error, no dropped input
    and every expect met. `axis` "all" sets every spatial axis to the size (square inputs); an axis
    name (H, W, D, L) or 0-based spatial index varies that axis alone. `shape_expects=False` ignores
    the spec's shape assertions (written for one input size).

    >>> spec = {"input": [1, 64, 64], "layers": [{"max_pool2d": 2}, {"max_pool2d": 2}, {"max_pool2d": 2}]}
    >>> s = solve_input(spec, 100, span=20)
    >>> s.valid, s.nearest, s.rule
    ([80, 88, 96, 104, 112, 120], [96, 104], (8, 0))
    """

    if not shape_expects:
        data = without_shape_expects(data)
    spec = build_spec(data, framework)
    if spec.input is None:
        raise ValueError("the spec has no valid input shape")
    fw = spec.framework
    axes = spatial_axes(spec.input, fw)
    if not axes:
        raise ValueError(f"input {shapes.shape_text(spec.input)} has no spatial axis")
    names = AXIS_NAMES.get(len(axes), tuple(str(a) for a in range(len(axes))))
    if axis == "all":
        chosen = axes
        label = "all"
    else:
        if isinstance(axis, str) and axis.upper() in names:
            position = names.index(axis.upper())
        elif isinstance(axis, int) or (isinstance(axis, str) and axis.isdigit()):
            position = int(axis)
        else:
            raise ValueError(f"axis must be 'all' or one of {', '.join(names)}, got {axis!r}")
        if not 0 <= position < len(axes):
            raise ValueError(f"axis {axis!r} is out of range: the input has {len(axes)} spatial axes")
        chosen = [axes[position]]
        label = names[position]
    # Each size tried is a whole plan: the span is capped so that --near 10**40 stays a short run.
    span = span if span is not None else min(max(16, near // 2), MAX_INPUT_SPAN)
    if span > MAX_INPUT_SPAN:
        raise ValueError(f"span {span} is over the limit of {MAX_INPUT_SPAN} (each size tried is a whole plan)")
    lo, hi = max(1, near - span), near + span
    valid: list[int] = []
    problems: dict[int, str] = {}
    for size in range(lo, hi + 1):
        shape = list(spec.input)
        for index in chosen:
            shape[index] = size
        trial = with_input(data, shape)
        problem = input_problem(plan_only(trial, framework))
        if problem is None:
            valid.append(size)
        else:
            problems[size] = problem
    rule = _rule(valid)
    if rule is not None:
        modulus, residue = rule
        if any(size % modulus == residue and size not in valid for size in range(lo, hi + 1)):
            rule = None
    return InputSolution(label, near, lo, hi, valid, rule, problems)


# ---------------------------------------------------------------------------------------------
# per network: one-layer changes that make a failing spec pass
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpecFix:
    """A change of one layer's options after which the whole spec plans with no error and no
    dropped input (so every expect is met)."""

    layer: int  # 1-based
    name: str
    changes: dict[str, Any]
    output: tuple[int, ...] | None

    def text(self) -> str:
        parts = []
        for key, value in self.changes.items():
            parts.append(f"{key}={value!r}" if isinstance(value, str) else f"{key}={value}")
        return f"layer {self.layer} ({self.name}): {', '.join(parts)} gives {shapes.shape_text(self.output)}"

    def to_dict(self) -> dict:
        return {"layer": self.layer, "name": self.name, "changes": self.changes,
                "output": None if self.output is None else list(self.output), "text": self.text()}


def _entry_type_and_options(item: Any) -> tuple[str, dict, dict] | None:
    """(type, options, meta) of a layer entry in any of spec-v1's three spellings."""
    if isinstance(item, str):
        return item, {}, {}
    if not isinstance(item, dict) or not item:
        return None
    if "type" in item:
        meta = {k: v for k, v in item.items() if k in ("name", "expect", "inputs")}
        return item["type"], {k: v for k, v in item.items() if k not in ("type", "name", "expect", "inputs")}, meta
    keys = [k for k in item if k not in ("name", "expect", "inputs")]
    if len(keys) != 1:
        return None
    body = item[keys[0]]
    meta = {k: v for k, v in item.items() if k in ("name", "expect", "inputs")}
    if isinstance(body, dict):
        inner = dict(body)
        for key in ("name", "expect", "inputs"):
            if key in inner:
                meta.setdefault(key, inner.pop(key))
        return keys[0], inner, meta
    return None if body is not None else (keys[0], {}, meta)


def _variants(view: SolveView, framework: str, options: dict, ranges: Ranges) -> Iterable[dict[str, Any]]:
    """Option changes to try on one layer: padding, output_padding, ceil_mode, then kernel sizes."""
    kernel_key = view.kernel
    paddings: list[Any]
    if framework == "keras":
        paddings = ["valid", "same"]
    elif view.solver == "conv_transpose":
        paddings = list(range(0, ranges.max_kernel))
    else:
        paddings = list(range(0, ranges.max_kernel)) + (["same"] if view.solver != "pool" else [])
    for padding in paddings:
        yield {"padding": padding}
    if view.solver == "conv_transpose":
        for op in range(0, ranges.max_stride):
            yield {"output_padding": op}
            for padding in paddings:
                yield {"padding": padding, "output_padding": op}
    if view.solver == "pool" and framework == "torch":
        yield {"ceil_mode": not bool(options.get("ceil_mode"))}
    for kernel in ranges.kernels():
        yield {kernel_key: kernel}
        for padding in paddings:
            yield {kernel_key: kernel, "padding": padding}


def solve_expect(data: dict, framework: str | None = None, ranges: Ranges = Ranges(max_kernel=7, max_stride=4),
                 limit: int = 10) -> list[SpecFix]:
    """Changes of a single layer (padding, output_padding, ceil_mode, kernel size) that make a spec
    plan with no error and no dropped input, fewest changed options first, later layers first.

    >>> spec = {"framework": "keras", "input": [28, 28, 1], "expect": {"output": [28, 28, 1]},
    ...         "layers": [{"max_pool2d": {"pool_size": 2, "padding": "same"}}, {"max_pool2d": {"padding": "same"}},
    ...                    {"max_pool2d": {"padding": "same"}}, {"upsample2d": 2}, {"upsample2d": 2},
    ...                    {"upsample2d": 2}, {"conv2d": {"filters": 1, "kernel_size": 3, "padding": "same"}}]}
    >>> print(solve_expect(spec)[0].text())
    layer 7 (conv2d_1): kernel_size=5, padding='valid' gives 28x28x1
    """

    base = plan_only(data, framework)
    if input_problem(base) is None:
        return []
    layers = data.get("layers") if isinstance(data, dict) else None
    if not isinstance(layers, list):
        return []
    fw = base.framework
    found: list[tuple[tuple, SpecFix]] = []
    for position, item in enumerate(layers):
        parsed = _entry_type_and_options(item)
        row = base.layers[position] if position < len(base.layers) else None
        if parsed is None or row is None:
            continue
        type_name, options, meta = parsed
        rank = None if row.input is None else len(row.input)
        try:
            kind = resolve_type(type_name, rank)
        except Exception:
            continue
        if kind is None or kind.solve is None:
            continue
        seen = set()
        for change in _variants(kind.solve, fw, options, ranges):
            merged = {**options, **change}
            key = repr(sorted(merged.items()))
            if key in seen or all(options.get(k) == v for k, v in change.items()):
                continue
            seen.add(key)
            trial = copy.copy(data)
            trial["layers"] = list(layers)
            trial["layers"][position] = {"type": type_name, **merged, **meta}
            report = plan_only(trial, framework)
            if input_problem(report) is None and not any(d.name == "stride-exceeds-kernel" for d in report.diagnostics):
                changed = {k: v for k, v in change.items() if options.get(k) != v}
                fix = SpecFix(position + 1, row.name, changed, report.output)
                found.append(((len(changed), -position, repr(changed)), fix))
    found.sort(key=lambda pair: pair[0])
    unique: list[SpecFix] = []
    for _, fix in found:
        if fix not in unique:
            unique.append(fix)
    return unique[:limit]
