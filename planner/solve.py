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

from dataclasses import dataclass, field
from typing import Any, Iterable

from . import shapes
from .diagnostics import FIXABLE
from .kinds import resolve_type
from .kinds.base import SolveView
from .kinds.conv import _tensorflow_accepts_transpose
from .kinds.spatial import AXIS_NAMES
from .plan import plan_only, probe_input
from .spec import build_spec, split_layer_item, with_input

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
            "larger_output": self.larger_output(),
        }

    def larger_output(self) -> str | None:
        """What reaches the target when it is longer than a convolution or pooling can make the axis
        (they shrink it, or keep it with padding): a transposed convolution or an upsampling.

        >>> print(solve_layer("conv", 7, 100, "torch").larger_output())
        a convolution never makes an axis longer than its padded input; 100 from 7 takes a transposed convolution (kernel_size=16, stride=14; layerplan solve transpose --in 7 --out 100 --max-kernel 16 --max-stride 14 lists more), or an upsampling by 15 (105) and a crop or a 'valid' convolution down to 100
        """
        if self.possible or self.kind == "conv_transpose" or self.target <= self.input:
            return None
        ways = []
        # a transposed conv with no padding: o = (i-1)*s + k, kernel >= stride so every output cell is written
        stride = self.target // self.input
        kernel = self.target - (self.input - 1) * stride
        if self.framework == "torch":
            reached = shapes.torch_conv_transpose_output_length(self.input, kernel, stride, 0, 0, 1)
            written = f"kernel_size={kernel}, stride={stride}"
        else:
            reached = shapes.keras_conv_transpose_output_length(self.input, kernel, stride, "valid", None, 1)
            written = f"kernel_size={kernel}, strides={stride}"
        if reached == self.target:
            ways.append(f"a transposed convolution ({written}; layerplan solve transpose --in {self.input} "
                        f"--out {self.target} --max-kernel {min(kernel, 64)} --max-stride {min(stride, 64)} lists more)")
        factor = -(-self.target // self.input)
        if self.target % self.input == 0:
            ways.append(f"an upsampling by {factor}")
        else:
            ways.append(f"an upsampling by {factor} ({self.input * factor}) and a crop or a 'valid' convolution "
                        f"down to {self.target}")
        return (f"a {KIND_WORDS[self.kind]} never makes an axis longer than its padded input; {self.target} from "
                f"{self.input} takes " + ", or ".join(ways))


#: how the solver's messages name its layer kinds
KIND_WORDS = {"conv": "convolution", "pool": "pooling", "conv_transpose": "transposed convolution"}


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
    """The first diagnostic that keeps a planned report from counting as clean for the solver: the first
    error, else the first input rows a layer never reads (None when there is none)."""
    errors = [d for d in report.diagnostics if d.is_error]
    dropped = [d for d in report.diagnostics if d.name == "dropped-input"]
    return (errors + dropped)[0] if errors or dropped else None


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
            parsed = split_layer_item(item)
            if parsed is not None and "expect" in parsed[2] and "" not in parsed[1]:
                type_name, options, meta = parsed
                meta = {k: v for k, v in meta.items() if k != "expect"}
                item = {"type": type_name, **options, **meta}
            layers.append(item)
        stripped["layers"] = layers
    return stripped


#: sizes on each side of `near` that solve_input tries at most
MAX_INPUT_SPAN = 1024


def solve_input(data: dict, near: int | None = None, *, axis: str | int = "all", span: int | None = None,
                framework: str | None = None, shape_expects: bool = True) -> InputSolution:
    """Input sizes within `span` of `near` for which the spec plans with no error, no dropped input
    and every expect met. `axis` "all" sets every spatial axis to the size (square inputs); an axis
    name (H, W, D, L) or 0-based spatial index varies that axis alone. `near` None: the spec's own
    input size on the axes varied (the largest of them). `shape_expects=False` ignores the spec's shape
    assertions (written for one input size).

    >>> spec = {"input": [1, 64, 64], "layers": [{"max_pool2d": 2}, {"max_pool2d": 2}, {"max_pool2d": 2}]}
    >>> s = solve_input(spec, 100, span=20)
    >>> s.valid, s.nearest, s.rule
    ([80, 88, 96, 104, 112, 120], [96, 104], (8, 0))
    >>> solve_input(spec, span=4).near, solve_input(spec, span=4).nearest
    (64, [64])
    """

    if not shape_expects:
        data = without_shape_expects(data)
    spec = build_spec(data, framework, probe_input)
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
    if near is None:
        near = max(spec.input[index] for index in chosen)
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
    """A change after which the whole spec plans with no error and no dropped input (so every expect
    is met): `action` "change" sets options of layer `layer`; "add" puts a new layer at position
    `layer` (after the layer named `name`, or first when `name` is empty), `changes` holding its type
    and options."""

    layer: int  # 1-based
    name: str
    changes: dict[str, Any]
    output: tuple[int, ...] | None
    action: str = "change"

    def text(self) -> str:
        gives = f"gives {shapes.shape_text(self.output)}"
        if self.action == "add":
            options = {k: v for k, v in self.changes.items() if k != "type"}
            where = f"after layer {self.layer - 1} ({self.name})" if self.name else "before layer 1"
            return f"add {self.changes['type']} ({_assignments(options)}) {where}: {gives}"
        return f"layer {self.layer} ({self.name}): {_assignments(self.changes)} {gives}"

    def to_dict(self) -> dict:
        return {"layer": self.layer, "name": self.name, "action": self.action, "changes": self.changes,
                "output": None if self.output is None else list(self.output), "text": self.text()}


def _assignments(changes: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" if isinstance(value, str) else f"{key}={value}"
                     for key, value in changes.items())


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
    if view.solver in ("conv_transpose", "pool"):  # the factor itself: a stride up or down
        for stride in range(1, ranges.max_stride + 1):
            yield {"stride": stride}
            for padding in paddings:
                yield {"stride": stride, "padding": padding}
    for kernel in ranges.kernels():
        yield {kernel_key: kernel}
        for padding in paddings:
            yield {kernel_key: kernel, "padding": padding}


def solve_expect(data: dict, framework: str | None = None, ranges: Ranges = Ranges(max_kernel=7, max_stride=4),
                 limit: int = 10) -> list[SpecFix]:
    """Changes that make a spec plan with no error and no dropped input, the smallest first: one
    layer's options (padding, output_padding, ceil_mode, kernel size, stride, upsampling factor), then
    one layer added (an upsampling, or a pooling like one the spec has). Never a change that does
    nothing or a layer that does nothing (a pool or conv of kernel 1, an option set to its default).

    >>> spec = {"framework": "keras", "input": [28, 28, 1], "expect": {"output": [28, 28, 1]},
    ...         "layers": [{"max_pool2d": {"pool_size": 2, "padding": "same"}}, {"max_pool2d": {"padding": "same"}},
    ...                    {"max_pool2d": {"padding": "same"}}, {"upsample2d": 2}, {"upsample2d": 2},
    ...                    {"upsample2d": 2}, {"conv2d": {"filters": 1, "kernel_size": 3, "padding": "same"}}]}
    >>> print(solve_expect(spec)[0].text())
    layer 7 (conv2d_1): kernel_size=5, padding='valid' gives 28x28x1
    >>> decoder = {"input": [1, 16, 16], "expect": {"output": [1, 16, 16]},
    ...            "layers": [{"max_pool2d": 2}, {"max_pool2d": 2}, {"upsample2d": 2}]}
    >>> [fix.text() for fix in solve_expect(decoder, limit=3)]
    ['layer 3 (upsample2d_1): scale_factor=4 gives 1x16x16', 'add upsample2d (scale_factor=2) after layer 3 (upsample2d_1): gives 1x16x16', 'add upsample2d (scale_factor=2) after layer 2 (max_pool2d_2): gives 1x16x16']
    """
    base = plan_only(data, framework)
    if input_problem(base) is None:
        return []
    layers = data.get("layers") if isinstance(data, dict) else None
    if not isinstance(layers, list):
        return []
    # Every change to try, as (rank, position, layers after the change, fix): the rank is the order the
    # answer lists fixes in (fewest options changed, then the latest layer, then the change's text), so
    # trying them in that order and stopping at `limit` fixes plans only as many variants as it needs.
    candidates: list[tuple[tuple, int, Any, dict]] = []
    for position, item in enumerate(layers):
        entry = _layer_entry(item, base, position)
        if entry is None:
            continue
        type_name, options, meta, kind, row = entry
        seen = set()
        for change in _changes(kind, base.framework, options, ranges):
            merged = {**options, **change}
            key = repr(sorted(merged.items()))
            if key in seen or _does_nothing(kind, base.framework, options, change):
                continue
            seen.add(key)
            changed = {k: v for k, v in change.items() if options.get(k) != v}
            candidates.append(((len(changed), -position, repr(changed)), position,
                               {"type": type_name, **merged, **meta},
                               {"layer": position + 1, "name": row.name, "changes": changed}))
    # a new layer weighs more than any one option: it is tried after them, and listed after them
    for position, new_layer in _added_layers(layers, base):
        after = base.layers[position - 1].name if position > 0 else ""
        candidates.append(((10, -position, repr(new_layer)), position, new_layer,
                           {"layer": position + 1, "name": after, "changes": new_layer, "action": "add"}))
    candidates.sort(key=lambda candidate: candidate[0])
    unique: list[SpecFix] = []
    for _, position, layer, fix in candidates:
        trial = list(layers)
        if fix.get("action") == "add":
            trial.insert(position, layer)
        else:
            trial[position] = layer
        report = plan_only({**data, "layers": trial}, framework)
        if input_problem(report) is not None or any(d.name == "stride-exceeds-kernel" for d in report.diagnostics):
            continue
        spec_fix = SpecFix(output=report.output, **fix)
        # one added layer works at many places: the two latest are listed, the others are the same idea
        placed = sum(1 for other in unique if other.action == "add" and other.changes == spec_fix.changes)
        if spec_fix not in unique and not (spec_fix.action == "add" and placed >= 2):
            unique.append(spec_fix)
            if 0 < limit <= len(unique):
                break
    return unique[:limit]


@dataclass(frozen=True)
class InputCause:
    """The input size is why a spec fails: at `size` a layer drops input or branches disagree, while
    the sizes in `sizes` (the nearest, `solve_input` with shape expects ignored) plan cleanly."""

    size: int
    sizes: list[int]
    rule: tuple[int, int] | None

    def text(self, file: str) -> str:
        rule = ""
        if self.rule is not None:
            modulus, residue = self.rule
            rule = f" (a multiple of {modulus})" if residue == 0 else f" ({residue} more than a multiple of {modulus})"
        sizes = " or ".join(str(v) for v in self.sizes)
        return (f"the input size is the cause: {self.size} fails, {sizes}{rule} would plan with every cell read; "
                f"layerplan solve input {file} --near {self.size} --ignore-expect lists them")

    def to_dict(self) -> dict:
        return {"size": self.size, "sizes": self.sizes, "rule": None if self.rule is None else list(self.rule)}


def input_cause(data: dict, framework: str | None = None, span: int = 16) -> InputCause | None:
    """Whether the size of a square input is why the spec fails (its shape expects set aside, which
    were written for that size), and the nearest sizes that plan cleanly.

    >>> spec = {"input": [3, 90, 90], "layers": [{"max_pool2d": 2}, {"max_pool2d": 2}]}
    >>> cause = input_cause(spec)
    >>> cause.sizes, cause.rule
    ([88, 92], (4, 0))
    """
    try:
        loose = without_shape_expects(data)
        report = plan_only(loose, framework)
        if report.input is None or input_problem(report) is None:
            return None
        spatial = [report.input[axis] for axis in spatial_axes(report.input, report.framework)]
        if not spatial or len(set(spatial)) != 1:
            return None
        solution = solve_input(loose, spatial[0], span=span, framework=framework, shape_expects=False)
    except ValueError:
        return None
    if not solution.valid:
        return None
    return InputCause(spatial[0], solution.nearest, solution.rule)


def _layer_entry(item: Any, report, position: int):
    """(type, options, meta, kind, row) of a layer the solver may change, else None."""
    parsed = split_layer_item(item)
    row = report.layers[position] if position < len(report.layers) else None
    if parsed is None or row is None:
        return None
    type_name, options, meta = parsed
    shorthand = options.pop("", None)  # `- max_pool2d: 2`: the first positional option
    try:
        kind = resolve_type(type_name, None if row.input is None else len(row.input))
    except Exception:
        return None
    if kind is None or (kind.solve is None and kind.scale is None):
        return None
    if shorthand is not None:
        if not kind.positional:
            return None
        options = {kind.positional[0]: shorthand}
    return type_name, options, meta, kind, row


def _changes(kind, framework: str, options: dict, ranges: Ranges) -> Iterable[dict[str, Any]]:
    """The option changes tried on one layer: its window's (`_variants`) and its upsampling factor."""
    if kind.solve is not None:
        yield from _variants(kind.solve, framework, options, ranges)
    if kind.scale is not None and _scale_key(kind, framework, options) is not None:
        for factor in range(2, ranges.max_stride + 1):
            yield {_scale_key(kind, framework, options): factor}


def _scale_key(kind, framework: str, options: dict) -> str | None:
    """The key holding a layer's integer upsampling factor, as the spec writes it (None: the layer is
    sized another way, e.g. torch's `size`, the output size)."""
    option = kind.option(kind.scale[framework])
    names = (option.name, *option.aliases)
    written = [key for key in options if key in names]
    others = [key for key in options if kind.option(key) is not None and key not in names
              and kind.option(key).name in kind.scale.values()]
    if others:
        return None
    return written[0] if written else option.name


def _does_nothing(kind, framework: str, options: dict, change: dict) -> bool:
    """Whether a change leaves the layer as it was, or makes it a layer that does nothing: an option
    set to the default it already had, a window of 1 (a pool of pool_size 1, a conv of kernel 1 with
    padding 0: a copy, or a per-cell mix that fixes no size)."""
    unchanged = True
    for key, value in change.items():
        option = kind.option(key)
        current = options.get(key, option.default_for(framework) if option is not None else None)
        unchanged = unchanged and current == value
    if unchanged:
        return True
    if kind.solve is not None:
        kernel = {**options, **change}.get(kind.solve.kernel)
        if kernel == 1 or (isinstance(kernel, (list, tuple)) and kernel and all(size == 1 for size in kernel)):
            return kind.solve.kernel in change
    return False


def _added_layers(layers: list, report) -> Iterable[tuple[int, dict]]:
    """(position, layer) of each one-layer addition tried: an upsampling by 2 (keras size, torch
    scale_factor), and a pooling by 2 of a kind the spec already uses, at each position where the input
    has the layer's rank."""
    from .kinds import KINDS

    framework = report.framework
    pools = []
    for position, item in enumerate(layers):
        entry = _layer_entry(item, report, position)
        if entry is not None and entry[3].solve is not None and entry[3].solve.solver == "pool":
            pools.append(entry[3])
    for position in range(len(layers) + 1):
        shape = report.input if position == 0 else report.layers[position - 1].output
        if shape is None:
            break
        dims = len(shape) - 1
        for kind in KINDS.values():
            if kind.scale is not None and kind.dims == dims:
                yield position, {"type": kind.name, kind.scale[framework]: 2}
        for kind in dict.fromkeys(pools):
            if kind.dims == dims:
                yield position, {"type": kind.name, kind.solve.kernel: 2}
