"""How each kind explains itself: the framework's formula with the user's numbers substituted, step
by step; where the padding goes; window positions versus filters; how the parameters and MACs
decompose. Each kind's definition names its `explain` and `macs_text` functions from here;
planner/explain.py runs them over a report.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .. import shapes
from .base import split
from .counting import GATES
from .indexing import slice_text, sliced_length
from .spatial import AXIS_NAMES, product

SIDE = {"H": ("top", "bottom"), "W": ("left", "right"), "D": ("front", "back"), "L": ("start", "end")}
SKETCH_LIMIT = 64  # longest padded axis drawn


@dataclass
class AxisWork:
    """One spatial axis of one layer."""

    axis: str
    input: int
    output: int | None
    formula: str
    steps: list[str] = field(default_factory=list)
    padding: list[str] = field(default_factory=list)
    windows: str = ""
    # The sketch: padded length, padding, where each window starts (padded coordinates), the cells
    # one window reads (offsets), and the input cells no window reads.
    sketch: dict | None = None


@dataclass
class LayerExplanation:
    index: int
    name: str
    type: str
    framework: str
    input: list[int] | None
    output: list[int] | None
    summary: str
    axes: list[AxisWork] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    macs: list[str] = field(default_factory=list)
    receptive_field: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # this layer's diagnostics, with fixes

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _n(value: int) -> str:
    return f"{value:,}"


def _shape(shape) -> str:
    if shape is None:
        return "?"
    return "x".join(str(v) for v in shape) if shape else "() (a per-sample scalar)"


def _axis_names(dims: int) -> tuple[str, ...]:
    return AXIS_NAMES.get(dims, tuple(str(a) for a in range(dims)))



# ---------------------------------------------------------------------------------------------
# sliding windows: conv, depthwise, separable, pooling
# ---------------------------------------------------------------------------------------------

def _padding_story(axis: str, padding: Any, framework: str, length: int, k: int, s: int, d: int,
                   before: int, after: int) -> list[str]:
    first, last = SIDE.get(axis, ("before", "after"))
    k_eff = shapes.effective_kernel(k, d)
    where = f"{before} before ({first}), {after} after ({last})"
    if padding == "same" and framework == "keras":
        out = shapes.ceil_div(length, s)
        total = before + after
        lines = [f"'same' makes o = ceil(i / s) = {out}; the padding needed is "
                 f"total = max((o - 1)*s + k_eff - i, 0) = max({out - 1}*{s} + {k_eff} - {length}, 0) = {total}",
                 f"-> {where}"]
        if before != after:
            bigger = shapes.conv_output_length(length, k, s, d, after, after)
            smaller = shapes.conv_output_length(length, k, s, d, before, before)
            lines.append(f"TensorFlow puts the odd pixel after ({last}). torch pads both sides alike: padding={after} "
                         f"gives {bigger} with every window one pixel earlier"
                         + (" (same shape, shifted grid: a classic porting bug)" if bigger == out else "")
                         + f"; padding={before} gives {smaller}")
        elif total == 0:
            lines.append("no padding is needed: the windows already fit")
        return lines
    if padding == "same":
        lines = [f"torch padding='same' (stride 1 only) pads d*(k-1) = {d}*({k}-1) = {before + after} in total -> {where}"]
        if before != after:
            lines.append(f"the kernel is even, so torch puts the extra pixel after ({last})")
        return lines
    if padding == "causal":
        return [f"'causal' pads d*(k-1) = {before} before and nothing after, so output step t sees only "
                "input steps <= t"]
    if padding == "valid" or (before == 0 and after == 0):
        lines = [f"no padding ('valid'): windows must fit inside the {length} input cells"]
        valid = shapes.conv_output_length(length, k, s, d, 0, 0)
        # what 'same' would give instead: TensorFlow's ceil(i/s) at any stride, torch's only at stride 1
        same = shapes.ceil_div(length, s) if framework == "keras" else (length if s == 1 else None)
        if same is not None and same != valid:
            keeps = f"keeps {length}" if same == length else f"gives ceil({length} / {s}) = {same}"
            spelled = "padding='same'" if framework == "keras" else (
                f"padding='same' (or padding={k_eff // 2})" if k_eff % 2 else "padding='same'")
            lines.append(f"{spelled} {keeps} instead of {valid}")
        return lines
    return [f"padding={before} adds {where}"]


def _window_axis(axis: str, length: int, out: int | None, k: int, s: int, d: int, before: int, after: int,
                 padding: Any, framework: str, pooling: bool, ceil_mode: bool, what: str) -> AxisWork:
    k_eff = shapes.effective_kernel(k, d)
    dil = f"{d}*({k}-1)" if d > 1 else f"({k}-1)"
    if framework == "keras" and padding == "same":
        formula = "o = ceil(i / s)"
        steps = [formula, f"  = ceil({length} / {s})", f"  = {shapes.ceil_div(length, s)}"]
    elif framework == "keras" and pooling:
        formula = "o = floor((i - k) / s) + 1"
        steps = [formula, f"  = floor(({length} - {k}) / {s}) + 1", f"  = floor({length - k} / {s}) + 1",
                 f"  = {(length - k) // s + 1}"]
    elif ceil_mode:
        formula = "o = ceil((i + 2p - d*(k-1) - 1) / s) + 1, minus 1 if the last window would start in the right padding"
        numerator = length + before + after - k_eff
        raw = shapes.ceil_div(numerator, s) + 1
        steps = [formula, f"  = ceil(({length} + {before + after} - {d}*({k}-1) - 1) / {s}) + 1",
                 f"  = ceil({numerator} / {s}) + 1 = {raw}"]
        if out is not None and out != raw:
            steps.append(f"  the last window would start at {(raw - 1) * s} >= {length} + {before}: "
                         f"dropped -> {out}")
    else:
        formula = "o = floor((i + p_before + p_after - d*(k-1) - 1) / s) + 1"
        numerator = length + before + after - k_eff
        steps = [formula,
                 f"  = floor(({length} + {before} + {after} - {dil} - 1) / {s}) + 1",
                 f"  = floor({numerator} / {s}) + 1",
                 f"  = {numerator // s} + 1 = {numerator // s + 1}" if numerator >= 0 else "  <= 0: no window fits"]
    work = AxisWork(axis, length, out, formula, steps)
    work.padding = _padding_story(axis, padding, framework, length, k, s, d, before, after)
    if out is not None and out > 0:
        reach = f"{k} taps spread over {k_eff} cells (dilation {d})" if d > 1 else f"{k} cells"
        work.windows = (f"the {what} ({reach}) fits at {out} positions along {axis}, one every {s} "
                        f"cell{'s' if s > 1 else ''}")
        padded = before + length + after
        starts = [j * s for j in range(out)]
        taps = [t * d for t in range(k)]
        read = set()
        for start in starts:
            for tap in taps:
                read.add(start + tap - before)
        unread = [c for c in range(length) if c not in read]
        work.sketch = {"padded": padded, "pad_before": before, "pad_after": after, "starts": starts,
                       "taps": taps, "unread": unread, "drawable": padded <= SKETCH_LIMIT}
        if unread:
            work.windows += f"; input cells {_ranges(unread)} are never read"
    return work


def _ranges(cells: list[int]) -> str:
    parts, start = [], None
    for i, c in enumerate(cells):
        if start is None:
            start = c
        if i + 1 == len(cells) or cells[i + 1] != c + 1:
            parts.append(str(start) if start == c else f"{start}..{c}")
            start = None
    return ", ".join(parts)


def _sliding(row, framework: str, e: LayerExplanation, variant: str) -> None:
    """conv, depthwise, separable and pooling: a window slides over each spatial axis."""
    opts = row.options
    channels, spatial = split(row.input, framework)
    out_spatial = split(row.output, framework)[1] if row.output is not None else (None,) * len(spatial)
    names = _axis_names(len(spatial))
    pooling = variant == "pool"
    kernel = opts["pool_size"] if pooling else opts["kernel_size"]
    stride = opts.get("stride") or kernel
    dilation = opts.get("dilation") or (1,) * len(spatial)
    geometry = row.geometry or []
    for axis, length in enumerate(spatial):
        if axis < len(geometry):
            before, after = geometry[axis].pad_before, geometry[axis].pad_after
        else:
            before = after = 0
        e.axes.append(_window_axis(names[axis], length, out_spatial[axis], kernel[axis], stride[axis],
                                   dilation[axis], before, after, opts.get("padding"), framework, pooling,
                                   bool(opts.get("ceil_mode")), "pool window" if pooling else "kernel"))
    positions = product(out_spatial) if row.output is not None else None
    kernel_text = "x".join(str(k) for k in kernel)
    pos_text = f"{' x '.join(str(o) for o in out_spatial)} = {_n(positions)}" if positions is not None else "?"
    if pooling:
        e.channels = [
            f"window positions: {pos_text} per channel, set by pool_size, stride and padding",
            f"channels: {channels} in, {channels} out — pooling works on each channel separately; it has no "
            "filters and no parameters",
        ]
        e.params = ["0 params: a pooling window has no weights"]
        return
    groups = opts.get("groups") or 1
    if variant == "conv":
        filters = opts["filters"]
        per_group = channels // groups
        e.channels = [
            f"window positions: {pos_text} per output map — derived from kernel, stride and padding; not a "
            "choice, and they add no parameters (the same kernel slides over all of them)",
            f"filters: {filters} — your choice. Each filter is one {kernel_text}x{per_group} kernel"
            f"{' + 1 bias' if opts['bias'] else ''}; sliding it over the {pos_text.split(' = ')[-1]} positions gives "
            f"one output map, and the {filters} maps stack into the channel axis: output {_shape(row.output)}",
        ]
        if groups > 1:
            e.channels.append(f"groups={groups}: the {channels} input channels split into {groups} groups of "
                              f"{per_group}; each filter sees only its group")
        weights = product(kernel) * per_group * filters
        bias = filters if opts["bias"] else 0
        e.params = [f"kernel volume {kernel_text} = {product(kernel)} x input channels {channels} / groups {groups} "
                    f"x filters {filters} = {_n(weights)}",
                    f"= {_n(weights)} weights + {bias} biases = {_n(weights + bias)} params"]
        return
    multiplier = opts["depth_multiplier"]
    depth = channels * multiplier
    e.channels = [
        f"window positions: {pos_text} per output map — derived, not a choice",
        f"depthwise: each of the {channels} input channels gets its own {kernel_text} kernel"
        f"{f' ({multiplier} of them: depth_multiplier)' if multiplier > 1 else ''} -> {depth} channels",
    ]
    depthwise = product(kernel) * depth
    if variant == "depthwise":
        bias = depth if opts["bias"] else 0
        e.params = [f"kernel volume {kernel_text} = {product(kernel)} x channels {channels} x depth_multiplier "
                    f"{multiplier} = {_n(depthwise)}",
                    f"= {_n(depthwise)} weights + {bias} biases = {_n(depthwise + bias)} params"]
        return
    filters = opts["filters"]
    e.channels.append(f"pointwise: a 1x1 conv with filters={filters} (your choice) mixes the {depth} channels "
                      f"-> output {_shape(row.output)}")
    pointwise = depth * filters
    if framework == "keras":
        bias = filters if opts["bias"] else 0
        e.params = [f"depthwise {kernel_text} x {channels} x {multiplier} = {_n(depthwise)}",
                    f"pointwise {depth} x {filters} = {_n(pointwise)}",
                    f"= {_n(depthwise + pointwise)} weights + {bias} biases (keras: one bias, after the pointwise "
                    f"step) = {_n(depthwise + pointwise + bias)} params"]
    else:
        bias = (depth + filters) if opts["bias"] else 0
        e.params = [f"depthwise conv (groups={channels}) {kernel_text} x 1 x {depth} = {_n(depthwise)}",
                    f"pointwise 1x1 conv {depth} x {filters} = {_n(pointwise)}",
                    f"= {_n(depthwise + pointwise)} weights + {bias} biases (torch: each conv has its own bias, "
                    f"{depth} + {filters}) = {_n(depthwise + pointwise + bias)} params"]


# ---------------------------------------------------------------------------------------------
# transposed convolution
# ---------------------------------------------------------------------------------------------

def _transposed(row, framework: str, e: LayerExplanation) -> None:
    opts = row.options
    channels, spatial = split(row.input, framework)
    out_spatial = split(row.output, framework)[1] if row.output is not None else (None,) * len(spatial)
    names = _axis_names(len(spatial))
    for axis, length in enumerate(spatial):
        k, s, d = opts["kernel_size"][axis], opts["stride"][axis], opts["dilation"][axis]
        k_eff = shapes.effective_kernel(k, d)
        op = None if opts.get("output_padding") is None else opts["output_padding"][axis]
        stamps = (length - 1) * s + k_eff
        if framework == "torch":
            p = opts["padding"][axis] if isinstance(opts["padding"], tuple) else 0
            formula = "o = (i-1)*s - 2p + d*(k-1) + output_padding + 1"
            value = shapes.torch_conv_transpose_output_length(length, k, s, p, op or 0, d)
            steps = [formula, f"  = ({length}-1)*{s} - 2*{p} + {d}*({k}-1) + {op or 0} + 1", f"  = {value}"]
            padding = [f"the {length} input cells each stamp the {k_eff}-cell kernel onto the output, one every "
                       f"{s} cells: the stamps span ({length}-1)*{s} + {k_eff} = {stamps} cells",
                       f"padding={p} crops {p} from each end ({stamps} - {2 * p} = {stamps - 2 * p})"
                       + (f"; output_padding={op} adds {op} cell{'s' if op > 1 else ''} at the end" if op else "")]
        else:
            word = opts["padding"]
            value = shapes.keras_conv_transpose_output_length(length, k, s, word, op, d)
            if op is None:
                formula = ("o = i*s + max(k_eff - s, 0)" if word == "valid" else "o = i*s") + \
                    " (output_padding absent)"
                steps = [formula, (f"  = {length}*{s} + max({k_eff} - {s}, 0)" if word == "valid"
                                   else f"  = {length}*{s}"), f"  = {value}"]
                other = shapes.keras_conv_transpose_output_length(length, k, s, word, 0, d)
            else:
                formula = ("o = (i-1)*s + k_eff + output_padding" if word == "valid"
                           else "o = (i-1)*s + (k_eff mod 2) + output_padding")
                steps = [formula, (f"  = ({length}-1)*{s} + {k_eff} + {op}" if word == "valid"
                                   else f"  = ({length}-1)*{s} + {k_eff % 2} + {op}"), f"  = {value}"]
                other = shapes.keras_conv_transpose_output_length(length, k, s, word, None, d)
            padding = [f"the {length} input cells each stamp the {k_eff}-cell kernel onto the output, one every "
                       f"{s} cells: the stamps span ({length}-1)*{s} + {k_eff} = {stamps} cells"]
            if other != value:
                padding.append(f"keras: output_padding {'absent' if op is not None else '0'} would give {other} "
                               f"instead — absent and 0 are different")
        work = AxisWork(names[axis], length, out_spatial[axis], formula, steps, padding)
        if s > k_eff:
            work.windows = f"stride {s} > kernel {k_eff}: some output cells receive no input (only the bias)"
        e.axes.append(work)
    filters = opts["filters"]
    groups = opts.get("groups") or 1
    e.channels = [
        f"input positions: {' x '.join(str(i) for i in spatial)} = {_n(product(spatial))}, each stamping the kernel "
        "once — derived, not a choice",
        f"filters: {filters} — your choice; they become the output channels: output {_shape(row.output)}",
    ]
    weights = channels * (filters // groups) * product(opts["kernel_size"])
    bias = filters if opts["bias"] else 0
    kernel_text = "x".join(str(k) for k in opts["kernel_size"])
    e.params = [f"kernel volume {kernel_text} = {product(opts['kernel_size'])} x input channels {channels} / groups "
                f"{groups} x filters {filters} = {_n(weights)}",
                f"= {_n(weights)} weights + {bias} biases = {_n(weights + bias)} params"]


# ---------------------------------------------------------------------------------------------
# the hooks the kinds name
# ---------------------------------------------------------------------------------------------

def explain_conv(row, framework: str, e: LayerExplanation) -> None:
    """Convolution: window positions (derived) versus filters (your choice).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [28, 28, 1], "layers": [{"conv2d": {
    ...     "filters": 32, "kernel_size": 3, "padding": "same"}}]}).layers[0]
    >>> e = LayerExplanation(1, row.name, row.type, "keras", [28, 28, 1], [28, 28, 32], "")
    >>> explain_conv(row, "keras", e)
    >>> e.channels[1][:28], e.params[-1]
    ('filters: 32 — your choice. E', '= 288 weights + 32 biases = 320 params')
    """
    _sliding(row, framework, e, "conv")


def explain_depthwise(row, framework: str, e: LayerExplanation) -> None:
    """Depthwise convolution: one kernel per input channel (times depth_multiplier)."""
    _sliding(row, framework, e, "depthwise")


def explain_separable(row, framework: str, e: LayerExplanation) -> None:
    """Separable convolution: depthwise, then a 1x1 pointwise conv."""
    _sliding(row, framework, e, "separable")


def explain_pool(row, framework: str, e: LayerExplanation) -> None:
    """Max and average pooling: a window per channel, no parameters."""
    _sliding(row, framework, e, "pool")


def explain_conv_transpose(row, framework: str, e: LayerExplanation) -> None:
    """Transposed convolution: each input cell stamps the kernel onto the output."""
    _transposed(row, framework, e)


def explain_dense(row, framework: str, e: LayerExplanation) -> None:
    """Dense / Linear: the last axis is mapped, the others kept.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [784], "layers": [{"dense": {"units": 10}}]}).layers[0]
    >>> e = LayerExplanation(1, row.name, row.type, "torch", [784], [10], "")
    >>> explain_dense(row, "torch", e)
    >>> e.params
    ['in_features 784 x units 10 = 7,840 weights + 10 biases = 7,850 params']
    """
    opts = row.options
    features, units = row.input[-1], opts["units"]
    bias = units if opts["bias"] else 0
    e.channels = [f"acts on the last axis only: {features} features -> {units} units (units is your choice)"]
    if len(row.input) > 1:
        e.channels.append(f"the other axes ({_shape(row.input[:-1])}) are kept: each of the "
                          f"{_n(product(row.input[:-1]))} vectors is mapped separately; flatten first for one "
                          "vector per sample")
    e.params = [f"in_features {features} x units {units} = {_n(features * units)} weights + {bias} biases "
                f"= {_n(features * units + bias)} params"]



def explain_flatten(row, framework: str, e: LayerExplanation) -> None:
    """Flatten: every value in one axis, in the framework's order."""
    e.channels = [f"{' x '.join(str(v) for v in row.input)} = {_n(product(row.input))} values in one axis"
                  + (" (channels first: torch order C, H, W)" if framework == "torch" and len(row.input) > 1
                     else " (channels last: keras order H, W, C)" if len(row.input) > 1 else "")]



def explain_reshape(row, framework: str, e: LayerExplanation) -> None:
    """Reshape: the values rearranged."""
    e.channels = [f"{_n(product(row.input))} values rearranged into {_shape(row.output)}"]



def explain_select(row, framework: str, e: LayerExplanation) -> None:
    """select: which position of which axis, and the axis dropped."""
    axis, index = row.options.get("axis"), row.options.get("index")
    line = f"{_shape(row.input)} -> {_shape(row.output)}: position {index}"
    if row.input is not None and axis is not None and index is not None and index < 0:
        length = row.input[axis % (len(row.input) + 1) - 1]
        line += f" ({index} + {length} = {index + length})"
    e.channels = [line + f" of axis {axis}, which is dropped; no parameters"]


def explain_slice(row, framework: str, e: LayerExplanation) -> None:
    """slice: Python's arithmetic of start:stop:step on the axis (bounds normalised, then clamped)."""
    o = row.options
    text = slice_text(o.get("start"), o.get("stop"), o.get("step") or 1)
    if row.input is None or row.output is None:
        e.channels = [f"[{text}] along axis {o.get('axis')}; no parameters"]
        return
    axis = o["axis"]
    length = row.input[axis % (len(row.input) + 1) - 1]
    first, end, step = slice(o["start"], o["stop"], o["step"]).indices(length)
    taken = sliced_length(length, o["start"], o["stop"], step)
    e.channels = [f"axis {axis} (size {length}) [{text}]: from {first} up to {end} (bounds from the end add "
                  f"{length}, then clamp to the axis) by {step}: ceil(({end} - {first}) / {step}) = {taken} positions",
                  f"{_shape(row.input)} -> {_shape(row.output)}; no parameters"]


def explain_split(row, framework: str, e: LayerExplanation) -> None:
    """split / chunk: the parts each output holds."""
    parts = row.outputs or ()
    e.channels = [f"{_shape(row.input)} cut into {len(parts)} parts along axis {row.options.get('axis')}: "
                  + ", ".join(f"{row.name}:{k} = {_shape(s)}" for k, s in enumerate(parts)) + "; no parameters"]



def explain_rearrange(row, framework: str, e: LayerExplanation) -> None:
    """squeeze, unsqueeze, permute, transpose, unflatten, repeat_vector: the axes change, no arithmetic."""
    e.channels = [f"{_shape(row.input)} -> {_shape(row.output)}: axes rearranged, no arithmetic, no parameters"]



def explain_batch_norm(row, framework: str, e: LayerExplanation) -> None:
    """Batch normalisation: parameters per channel, as each framework counts them."""
    channels = split(row.input, framework)[0] if len(row.input) > 1 else row.input[0]
    if framework == "torch":
        e.params = [f"torch: weight and bias per channel: 2 x {channels} = {2 * channels} params (running mean "
                    "and variance are buffers, not parameters)"]
    else:
        learned = [n for n, kept in (("gamma", row.options.get("scale", True)), ("beta", row.options.get("center", True)))
                   if kept]
        count = len(learned) + 2
        e.params = [f"keras: {', '.join(learned + ['moving mean', 'moving variance'])} per channel: {count} x "
                    f"{channels} = {count * channels} params, of which {2 * channels} (the moving statistics) are "
                    "non-trainable"]



def explain_upsample(row, framework: str, e: LayerExplanation) -> None:
    """Upsampling: each axis multiplied (keras size, torch scale_factor) or set (torch size)."""
    opts = row.options
    _, spatial = split(row.input, framework)
    out = split(row.output, framework)[1] if row.output is not None else None
    names = _axis_names(len(spatial))
    for axis, length in enumerate(spatial):
        if framework == "keras":
            factor = (opts.get("size") or opts.get("scale_factor") or (2,) * len(spatial))[axis]
            steps = ["o = i * size", f"  = {length} * {int(factor)}", f"  = {length * int(factor)}"]
            formula = "o = i * size"
        elif opts.get("size") is not None:
            formula = "o = size (torch Upsample size is the output size)"
            steps = [formula, f"  = {opts['size'][axis]}"]
        else:
            factor = opts["scale_factor"][axis]
            formula = "o = floor(i * scale_factor)"
            steps = [formula, f"  = floor({length} * {factor:g})", f"  = {out[axis] if out else '?'}"]
        e.axes.append(AxisWork(names[axis], length, None if out is None else out[axis], formula, steps))
    e.channels = ["channels are kept; each cell is repeated (nearest) or interpolated — no parameters"]



def explain_padding_or_cropping(row, framework: str, e: LayerExplanation) -> None:
    """Zero padding and cropping: cells added or removed at each end of each axis."""
    opts = row.options
    _, spatial = split(row.input, framework)
    key = "padding" if "padding" in opts else "cropping"
    sign = "+" if key == "padding" else "-"
    names = _axis_names(len(spatial))
    for axis, (length, (before, after)) in enumerate(zip(spatial, opts[key])):
        first, last = SIDE.get(names[axis], ("before", "after"))
        value = length + before + after if sign == "+" else length - before - after
        formula = f"o = i {sign} before {sign} after"
        e.axes.append(AxisWork(names[axis], length, value, formula,
                               [formula, f"  = {length} {sign} {before} {sign} {after}", f"  = {value}"],
                               [f"{before} {first}, {after} {last}"]))



def explain_sized_like(row, framework: str, e: LayerExplanation) -> None:
    """resize_to, pad_to, crop_to: each axis takes the reference's size (the second input)."""
    shapes_in = getattr(row, "input_shapes", None) or []
    if row.input is None or row.output is None or len(shapes_in) != 2:
        return
    _, spatial = split(row.input, framework)
    _, out = split(row.output, framework)
    names = _axis_names(len(spatial))
    for axis, (length, value) in enumerate(zip(spatial, out)):
        if row.geometry and len(row.geometry) == len(spatial):
            before, after = row.geometry[axis].pad_before, row.geometry[axis].pad_after
            diff = before + after
            first, last = SIDE.get(names[axis], ("before", "after"))
            steps = [f"diff = {value} - {length} = {diff}", f"before = diff // 2 = {before}",
                     f"after = diff - diff // 2 = {after}", f"o = {length} + {before} + {after} = {value}"]
            padding = [f"{before} {first}, {after} {last}" + (" (negative: cropped)" if diff < 0 else "")]
            e.axes.append(AxisWork(names[axis], length, value, "o = reference's size", steps, padding))
        else:
            e.axes.append(AxisWork(names[axis], length, value, "o = reference's size",
                                   [f"o = {value} (the reference {_shape(shapes_in[1])})"]))
    e.channels = [f"channels are kept; the spatial sizes are taken from {_shape(shapes_in[1])}; no parameters"]


def explain_global_pool(row, framework: str, e: LayerExplanation) -> None:
    """Global pooling: every spatial axis pooled away."""
    opts = row.options
    e.channels = ["every spatial axis is pooled away: one value per channel"
                  + (" (kept as size-1 axes: keepdims)" if opts.get("keepdims") else "")]



def explain_adaptive_pool(row, framework: str, e: LayerExplanation) -> None:
    """Adaptive pooling: the output size is given, the windows follow."""
    e.channels = ["o = output_size whatever the input: window j covers cells floor(j*i/o) .. ceil((j+1)*i/o)-1"]



def explain_same_shape(row, framework: str, e: LayerExplanation) -> None:
    """Activations and dropout: the shape is kept."""
    e.channels = ["same shape, no parameters"]



def explain_merge(row, framework: str, e: LayerExplanation) -> None:
    """Merges: how the inputs join."""
    shapes_in = getattr(row, "input_shapes", None) or []
    e.channels = [f"joins {', '.join(_shape(s) for s in shapes_in)} -> {_shape(row.output)}; no parameters"]



def explain_custom(row, framework: str, e: LayerExplanation) -> None:
    """A custom op: its output is the stated one."""
    shapes_in = getattr(row, "input_shapes", None) or [row.input]
    function = row.options.get("function") if row.options else None
    e.channels = [f"{', '.join(_shape(s) for s in shapes_in)} -> {_shape(row.output)} as stated (output:), taken "
                  "on trust" + (f"; computes {function}" if function else "") + "; no parameters"]


def macs_text_conv(row, framework: str, macs: int) -> list[str]:
    """The MACs of a convolution: output positions x kernel x input channels per group x filters.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 32, "kernel_size": 3}}]}).layers[0]
    >>> macs_text_conv(row, "torch", 194688)
    ['676 output positions x kernel 9 x 1/1 input channels x 32 filters = 194,688 MACs']
    """
    opts = row.options
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    return [f"{_n(product(spatial_out))} output positions x kernel {product(opts['kernel_size'])} x "
            f"{channels}/{opts['groups']} input channels x {opts['filters']} filters = {_n(macs)} MACs"]


def macs_text_conv_transpose(row, framework: str, macs: int) -> list[str]:
    """The MACs of a transposed convolution, counted on input positions."""
    opts = row.options
    channels, spatial_in = split(row.input, framework)
    groups = opts.get("groups") or 1
    return [f"{_n(product(spatial_in))} input positions x kernel {product(opts['kernel_size'])} x "
            f"{channels}/{groups} input channels x {opts['filters']} filters = {_n(macs)} MACs (input positions: "
            "each input cell stamps the kernel once)"]


def macs_text_depthwise(row, framework: str, macs: int) -> list[str]:
    """The MACs of a depthwise (and, with filters, separable) convolution."""
    opts = row.options
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    depth = channels * opts["depth_multiplier"]
    lines = [f"depthwise: {_n(product(spatial_out))} positions x kernel {product(opts['kernel_size'])} x {depth} "
             "channels"]
    if "filters" in opts:
        lines.append(f"pointwise: {_n(product(spatial_out))} positions x {depth} x {opts['filters']} filters")
    return lines + [f"= {_n(macs)} MACs"]


def macs_text_dense(row, framework: str, macs: int) -> list[str]:
    """The MACs of a dense layer: one vector per position of the other axes."""
    return [f"{_n(product(row.input[:-1]))} vector(s) x {row.input[-1]} x {row.options['units']} = {_n(macs)} MACs"]


def macs_text_none(row, framework: str, macs: int) -> list[str]:
    """Layers without weights that multiply the input."""
    return ["0 MACs (no weights multiply the input)"]


def macs_text_total(row, framework: str, macs: int) -> list[str]:
    """Sequence layers: the total, with the convention their module states (planner/kinds/sequence.py)."""
    if row.type == "embedding":
        return ["0 MACs (a table lookup)"]
    if row.type == "multi_head_attention":
        return [f"query/key/value/output projections + scores and weighted sum = {_n(macs)} MACs"]
    return [f"steps x gates x units x (inputs + units), per layer and direction = {_n(macs)} MACs"]


def explain_normalisation(row, framework: str, e: LayerExplanation) -> None:
    """Instance, group and layer norm: the shape is kept; what is learned, as the framework counts it.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 4], "layers": [{"group_norm": {"groups": 2}}]}).layers[0]
    >>> e = LayerExplanation(1, row.name, row.type, "torch", [8, 4, 4], [8, 4, 4], "")
    >>> explain_normalisation(row, "torch", e)
    >>> e.params
    ['16 params: a scale and a shift per learned position (2 x 8)']
    """
    e.channels = ["same shape: each value is normalised with the statistics of its group (no per-cell receptive field)"]
    learned = row.params or 0
    if row.type == "layer_norm":
        positions = "the normalised axes"
    else:
        positions = str(split(row.input, framework)[0] if len(row.input) > 1 else row.input[0])
    e.params = [f"{_n(learned)} params: a scale and a shift per learned position (2 x {positions})" if learned
                else "0 params (not affine)"]
    if framework == "torch" and row.options.get("track_running_stats"):
        e.params.append("running mean and variance are buffers, not parameters")


def explain_embedding(row, framework: str, e: LayerExplanation) -> None:
    """Embedding: each id becomes a vector."""
    opts = row.options
    e.channels = [f"each of the {_n(product(row.input))} ids becomes a vector of {opts['output_dim']}"]
    e.params = [f"input_dim {opts['input_dim']} x output_dim {opts['output_dim']} = "
                f"{_n(opts['input_dim'] * opts['output_dim'])} params"]


def explain_recurrent(row, framework: str, e: LayerExplanation) -> None:
    """Recurrent layers: what is returned and how the parameters add up.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [10, 3], "layers": [{"lstm": {"units": 4}}]}).layers[0]
    >>> e = LayerExplanation(1, row.name, row.type, "torch", [10, 3], [10, 4], "")
    >>> explain_recurrent(row, "torch", e)
    >>> e.params[0]
    'layer 1: 1 direction(s) x (4 gates x 4 units x (3 inputs + 4 units) + 2 x 4 x 4 biases) = 144'
    """
    opts = row.options
    gates, units = GATES[row.type], opts["units"]
    directions = 2 if opts["bidirectional"] else 1
    steps, width = row.input
    returned = "every step" if framework == "torch" or opts.get("return_sequences") else "the last step"
    e.channels = [f"{steps} steps of {width} features -> {returned}, {directions} x {units} features"]
    e.params = []
    layers = (opts.get("num_layers") or 1) if framework == "torch" else 1
    # every torch layer after the first reads directions x units features: those layers are one line
    for first, last in ((1, 1), (2, layers))[:2 if layers > 1 else 1]:
        if framework == "torch":
            bias = 2 * gates * units if opts["bias"] else 0
            total = directions * (gates * units * (width + units) + bias)
            which = f"layer {first}" if first == last else f"layers {first} to {_n(last)}, each"
            e.params.append(f"{which}: {directions} direction(s) x ({gates} gates x {units} units x ({width} "
                            f"inputs + {units} units) + 2 x {gates} x {units} biases) = {_n(total)}")
            width = directions * units
        else:
            bias = (2 if row.type == "gru" and opts.get("reset_after") else 1) * gates * units if opts["bias"] else 0
            total = directions * (gates * units * (width + units) + bias)
            e.params.append(f"{directions} direction(s) x ({gates} gates x {units} units x ({width} inputs + {units} "
                            f"units) + {bias} biases) = {_n(total)}")


def explain_attention(row, framework: str, e: LayerExplanation) -> None:
    """Multi-head attention: queries against keys, the output per query step."""
    heads = row.options["num_heads"]
    e.channels = [f"{heads} heads; each query step attends over every key step; output per query step: "
                  f"{row.output_shapes[0][-1] if row.output_shapes else '?'} features"]
    e.params = [f"{_n(row.params or 0)} params: the query, key, value and output projections"
                + (" and their biases" if row.options.get("bias") else "")]


def explain_pixel_shuffle(row, framework: str, e: LayerExplanation) -> None:
    """Pixel shuffle and unshuffle: channels traded for spatial cells."""
    if row.type == "pixel_shuffle":
        r = row.options["upscale_factor"]
        e.channels = [f"channels / {r * r}, H x {r}, W x {r}: each group of {r * r} channels becomes an {r}x{r} block"]
    else:
        r = row.options["downscale_factor"]
        e.channels = [f"channels x {r * r}, H / {r}, W / {r}: each {r}x{r} block becomes {r * r} channels"]


def explain_resizing(row, framework: str, e: LayerExplanation) -> None:
    """Resizing: the output size is given."""
    e.channels = [f"resized to {row.options['height']} x {row.options['width']} whatever the input; channels kept"]


def explain_learned(row, framework: str, e: LayerExplanation) -> None:
    """prelu, learned_tensor and keras Normalization: what is learned or held, and the shape.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [196, 8], "layers": [{"learned_tensor": {"shape": [1, 8],
    ...                                                                    "merge": "concatenate"}}]}).layers[0]
    >>> e = LayerExplanation(1, row.name, row.type, "torch", [196, 8], [197, 8], "")
    >>> explain_learned(row, "torch", e)
    >>> e.channels[0], e.params[0]
    ('a learned tensor 1x8 concatenated: 196x8 -> 197x8', '8 params: the learned tensor (1 x 8)')
    """
    opts = row.options
    params, frozen = row.params or 0, row.non_trainable or 0
    if row.type == "learned_tensor":
        how = {"add": "added", "multiply": "multiplied", "concatenate": "concatenated"}[opts["merge"]]
        e.channels = [f"a learned tensor {_shape(opts['shape'])} {how}: {_shape(row.input)} -> {_shape(row.output)}"]
        e.params = [f"{_n(params)} params: the learned tensor ({' x '.join(str(s) for s in opts['shape'])})"]
        return
    e.channels = ["same shape"]
    if row.type == "prelu":
        e.params = [f"{_n(params)} params: one learned slope per " + (
            "channel" if framework == "torch" and params > 1 else "value not on a shared axis" if framework == "keras"
            else "layer")]
        return
    e.params = [f"{_n(frozen)} non-trainable params: mean and variance per kept position, and a count"
                if frozen else "0 params (mean and variance are given)"]
