"""Numbers designers ask for: MACs and FLOPs, activation and parameter memory, receptive fields.

The counting convention (stated once, used everywhere):

- A MAC is one multiply-accumulate of a weight with an input value, per sample (batch 1).
- Convolution: output positions x kernel volume x C_in/groups x filters.
- Transposed convolution: *input* positions x kernel volume x C_in/groups x filters (each input cell
  stamps the kernel once; counting output positions, as some tools do, overcounts by about stride^n).
- Depthwise: output positions x kernel volume x C x depth_multiplier. Separable: depthwise + pointwise
  (output positions x C*depth_multiplier x filters).
- Dense/Linear: (product of the axes it does not act on) x in_features x units.
- FLOPs = 2 x MACs. Bias additions, normalisation, pooling and activations are *not* MACs; they are
  counted separately as `other_ops` (one op per bias add, two per normalised value (scale and shift),
  one per activation value, one per cell a pooling window reads).
- Activation memory of a layer: its output tensor, batch x elements x dtype bytes. The peak is the
  largest input + output pair of one layer (inference, layer by layer, nothing in place); the total is
  the sum of every layer's output (what training keeps for the backward pass, roughly).
- Receptive field, per spatial axis of the network input: `size` (cells spanned by the field of one
  output cell, padding included, holes of dilation included), `jump` (input cells between the fields of
  neighbouring output cells: the product of strides, a fraction after upsampling) and `start` (the
  input coordinate where output cell 0's field starts; negative when it starts in padding).

>>> from planner import plan_data
>>> report = plan_data({"framework": "keras", "input": [28, 28, 1],
...                     "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})
>>> m = network_metrics(report).layers[0]
>>> m.macs, m.flops, m.activation_bytes, m.receptive_field[0]
(225792, 451584, 100352, {'size': 3, 'jump': 1, 'start': -1})
"""

from __future__ import annotations

import math
from itertools import accumulate
from operator import add, attrgetter
from typing import Any, Callable

from planner import shapes
from planner.fields import fields_eq, fields_repr
from planner.kinds import KINDS

#: bytes per element of the dtypes accepted by --dtype
DTYPE_BYTES: dict[str, int] = {
    "float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int64": 8, "int32": 4, "int16": 2,
    "int8": 1, "uint8": 1,
}
DEFAULT_DTYPE = "float32"

MAC_CONVENTION = (
    "MACs per sample: conv = output positions x kernel volume x C_in/groups x filters; transposed conv = "
    "input positions x kernel volume x C_in/groups x filters; dense = in_features x units per vector; "
    "FLOPs = 2 x MACs; bias, normalisation, pooling and activations are counted separately (other_ops)"
)

Shape = tuple[int, ...]


def product(values) -> int:
    """Product of integers (1 for none).

    >>> product([28, 28])
    784
    """
    result = 1
    for value in values:
        result *= value
    return result


def dtype_bytes(dtype: str) -> int:
    """Bytes per element of a dtype name.

    >>> dtype_bytes("float16")
    2
    """
    try:
        return DTYPE_BYTES[dtype]
    except KeyError:
        raise ValueError(f"unknown dtype {dtype!r}; use one of {', '.join(DTYPE_BYTES)}") from None


class LayerMetrics:
    """Metrics of one planned layer; None where the layer could not be planned.

    receptive_field: one {size, jump, start} per spatial axis; field_exceeds_input: the axis names
    where the field's size is larger than the input's length.
    """

    __slots__ = ("index", "macs", "other_ops", "activation_bytes", "param_bytes", "receptive_field",
                 "field_exceeds_input")

    def __init__(self, index: int, macs: int | None = None, other_ops: int | None = None,
                 activation_bytes: int | None = None, param_bytes: int | None = None,
                 receptive_field: list[dict] | None = None, field_exceeds_input: list[str] | None = None) -> None:
        self.index = index
        self.macs = macs
        self.other_ops = other_ops
        self.activation_bytes = activation_bytes
        self.param_bytes = param_bytes
        self.receptive_field = receptive_field
        self.field_exceeds_input = [] if field_exceeds_input is None else field_exceeds_input

    __repr__ = fields_repr

    __hash__ = None  # mutable

    __eq__ = fields_eq

    @property
    def flops(self) -> int | None:
        return None if self.macs is None else 2 * self.macs


class NetworkMetrics:
    """Per-layer metrics and the totals of a report."""

    __slots__ = ("layers", "dtype", "batch", "input_bytes", "peak")

    def __init__(self, layers: list[LayerMetrics], dtype: str, batch: int, input_bytes: int | None,
                 peak: int | None = None) -> None:
        self.layers = layers
        self.dtype = dtype
        self.batch = batch
        self.input_bytes = input_bytes
        self.peak = peak

    __repr__ = fields_repr

    __hash__ = None  # mutable

    __eq__ = fields_eq

    def _total(self, attribute: str) -> int | None:
        values = list(map(attrgetter(attribute), self.layers))
        return None if None in values else sum(values)

    @property
    def total_macs(self) -> int | None:
        return self._total("macs")

    @property
    def total_flops(self) -> int | None:
        macs = self.total_macs
        return None if macs is None else 2 * macs

    @property
    def total_other_ops(self) -> int | None:
        return self._total("other_ops")

    @property
    def total_activation_bytes(self) -> int | None:
        return self._total("activation_bytes")

    @property
    def param_bytes(self) -> int | None:
        return self._total("param_bytes")

    @property
    def peak_activation_bytes(self) -> int | None:
        """Largest memory of the tensors alive while one layer runs: for a stack, the largest input +
        output of one layer; in a graph, skip branches waiting for their merge count too."""
        return self.peak


# ---------------------------------------------------------------------------------------------
# layout helpers
# ---------------------------------------------------------------------------------------------

def split(shape: Shape, framework: str) -> tuple[int, Shape]:
    """(channels, spatial sizes) of a sample in the framework's layout.

    >>> split((1, 28, 28), "torch"), split((28, 28, 1), "keras")
    ((1, (28, 28)), (1, (28, 28)))
    """
    if framework == "torch":
        return shape[0], tuple(shape[1:])
    return shape[-1], tuple(shape[:-1])


def _family(type_name: str) -> str | None:
    kind = KINDS.get(type_name)
    return None if kind is None else kind.family


# ---------------------------------------------------------------------------------------------
# operation counts
# ---------------------------------------------------------------------------------------------

def layer_macs(type_name: str, options: dict, input: Shape | None, output: Shape | None, framework: str) -> int | None:
    """Multiply-accumulates of one layer for one sample, by the convention of this module.

    >>> layer_macs("conv2d", {"kernel_size": (3, 3), "filters": 32, "groups": 1}, (28, 28, 1), (28, 28, 32), "keras")
    225792
    >>> layer_macs("conv_transpose2d", {"kernel_size": (3, 3), "filters": 1, "groups": 1}, (8, 7, 7), (1, 14, 14), "torch")
    3528
    """
    if input is None or output is None:
        return None
    family = _family(type_name)
    if family == "dense":
        return product(input[:-1]) * input[-1] * options["units"]
    if family not in ("conv", "conv_transpose", "depthwise_conv", "separable_conv"):
        return 0
    channels, spatial_in = split(input, framework)
    _, spatial_out = split(output, framework)
    kernel = product(options["kernel_size"])
    if family == "conv":
        return product(spatial_out) * kernel * (channels // options["groups"]) * options["filters"]
    if family == "conv_transpose":
        groups = options.get("groups") or 1
        return product(spatial_in) * kernel * (channels // groups) * options["filters"]
    depth = channels * options["depth_multiplier"]
    macs = product(spatial_out) * kernel * depth
    if family == "separable_conv":
        macs += product(spatial_out) * depth * options["filters"]
    return macs


def layer_other_ops(type_name: str, options: dict, input: Shape | None, output: Shape | None,
                    framework: str) -> int | None:
    """Operations that are not MACs, for one sample: bias adds, normalisation, pooling reads,
    activations.

    >>> layer_other_ops("conv2d", {"kernel_size": (3, 3), "filters": 32, "groups": 1, "bias": True,
    ...                 "activation": "relu"}, (28, 28, 1), (28, 28, 32), "keras")
    50176
    >>> layer_other_ops("max_pool2d", {"pool_size": (2, 2)}, (28, 28, 32), (14, 14, 32), "keras")
    25088
    """
    if input is None or output is None:
        return None
    family = _family(type_name)
    out_elements = product(output)
    ops = 0
    if options.get("bias"):
        ops += out_elements
        if family == "separable_conv" and framework == "torch":
            # the torch equivalent has a second bias, on the depthwise output
            channels, _ = split(input, framework)
            _, spatial_out = split(output, framework)
            ops += product(spatial_out) * channels * options["depth_multiplier"]
    if options.get("activation") not in (None, "linear", "identity"):
        ops += out_elements
    if family == "activation" and type_name not in ("identity",):
        ops += out_elements
    elif family == "batch_norm":
        ops += 2 * out_elements
    elif family in ("max_pool", "avg_pool"):
        ops += out_elements * product(options["pool_size"])
    elif family in ("global_avg_pool", "global_max_pool", "adaptive_avg_pool", "adaptive_max_pool"):
        ops += product(input)
    return ops


# ---------------------------------------------------------------------------------------------
# receptive field
# ---------------------------------------------------------------------------------------------

# One axis of one layer as an index map: output cell j depends on input cells lo(j)..hi(j) of the
# layer's input (coordinates may fall in padding, i.e. outside 0..n-1), and the jump factor.
class AxisMap:
    """`factor`: input cells per output cell step, as a reduced (numerator, denominator) pair.

    `form` is (m, f, c_lo, c_hi) when lo(j) = floor((m*j + c_lo) / f) and hi(j) = floor((m*j + c_hi) / f):
    windows (f = 1), nearest resizing, transposed convs and adaptive pools. Chains of such maps
    compose in closed form (see _FloorForm), so a long stack needs no per-cell walk. Maps without a
    form (linear resizing) give `lo` and `hi` as functions.
    """

    __slots__ = ("factor", "form", "_lo", "_hi")

    def __init__(self, factor: tuple[int, int], form: tuple[int, int, int, int] | None = None,
                 lo: Callable[[int], int] | None = None, hi: Callable[[int], int] | None = None) -> None:
        self.factor = factor
        self.form = form
        self._lo = lo
        self._hi = hi

    def lo(self, j: int) -> int:
        if self._lo is not None:
            return self._lo(j)
        m, f, c_lo, _ = self.form
        return (m * j + c_lo) // f

    def hi(self, j: int) -> int:
        if self._hi is not None:
            return self._hi(j)
        m, f, _, c_hi = self.form
        return (m * j + c_hi) // f


def _ratio(numerator: int, denominator: int) -> tuple[int, int]:
    shared = math.gcd(numerator, denominator)
    return numerator // shared, denominator // shared


#: (kernel, stride, dilation, pad_before) -> its map: stacks repeat the same few windows
_WINDOW_MAPS: dict[tuple[int, int, int, int], AxisMap] = {}


def _window_map(kernel: int, stride: int, dilation: int, pad_before: int) -> AxisMap:
    key = (kernel, stride, dilation, pad_before)
    found = _WINDOW_MAPS.get(key)
    if found is None:
        span = shapes.effective_kernel(kernel, dilation) - 1
        found = AxisMap((stride, 1), (stride, 1, -pad_before, -pad_before + span))
        if len(_WINDOW_MAPS) < 4096:
            _WINDOW_MAPS[key] = found
    return found


_IDENTITY = AxisMap((1, 1), (1, 1, 0, 0))


def _transpose_map(length: int, out: int, kernel: int, stride: int, dilation: int, pad_before: int) -> AxisMap:
    # Output cell o receives input cell i through tap t when o = i*s - pad_before + t*d:
    # lo(o) = ceil((o + pad_before - span) / s), hi(o) = floor((o + pad_before) / s).
    span = shapes.effective_kernel(kernel, dilation) - 1
    return AxisMap((1, stride), (1, stride, pad_before - span + stride - 1, pad_before))


def _resize_map(length: int, out: int, scale: tuple[int, int], mode: str | None) -> AxisMap:
    # scale (reduced numerator, denominator): input cells per output cell. nearest: src = floor(j * scale)
    # (torch and keras); linear modes with half-pixel centres: src = (j + 0.5) * scale - 0.5, two neighbours.
    top, bottom = scale
    if mode in (None, "nearest", "nearest-exact", "area"):
        if mode == "nearest-exact":  # floor((j + 1/2) * scale)
            return AxisMap((top, bottom), (2 * top, 2 * bottom, top, top))
        return AxisMap((top, bottom), (top, bottom, 0, 0))
    from fractions import Fraction

    scale = Fraction(top, bottom)
    reach = 1 if mode in ("bicubic",) or mode.startswith("lanczos") else 0

    def source(j: int) -> Fraction:
        return max((j + Fraction(1, 2)) * scale - Fraction(1, 2), Fraction(0))

    return AxisMap((top, bottom), lo=lambda j: math.floor(source(j)) - reach,
                   hi=lambda j: math.ceil(source(j)) + reach)


def _inverse(scale_factor: int | float) -> tuple[int, int]:
    """1 / scale_factor, exactly, as a reduced (numerator, denominator) pair."""
    if isinstance(scale_factor, int):
        return 1, scale_factor
    numerator, denominator = scale_factor.as_integer_ratio()
    return denominator, numerator


def _adaptive_map(length: int, out: int) -> AxisMap:
    # torch/keras adaptive pooling: window j covers floor(j*n/o) .. ceil((j+1)*n/o) - 1
    return AxisMap(_ratio(length, out), (length, out, 0, length - 1))


def layer_axis_maps(row, framework: str) -> list[AxisMap] | None:
    """Index maps of a planned layer's spatial axes, or None when the layer mixes or removes the
    spatial axes (flatten, reshape, global pooling, dense acting on a spatial axis)."""
    if row.input is None or row.output is None:
        return None
    family = _family(row.type)
    options = row.options
    rank = len(row.input)
    if rank < 2:
        return None
    _, spatial_in = split(row.input, framework)
    if len(row.output) != rank:
        return None
    _, spatial_out = split(row.output, framework)
    dims = len(spatial_in)
    if family in ("activation", "dropout", "batch_norm"):
        return [_IDENTITY] * dims
    if family == "dense":
        return [_IDENTITY] * dims if framework == "keras" else None
    if family in ("conv", "depthwise_conv", "separable_conv", "max_pool", "avg_pool", "zero_padding", "cropping"):
        maps = []
        for g in row.geometry:
            maps.append(_window_map(g.kernel or 1, g.stride or 1, g.dilation or 1, g.pad_before))
        return maps if len(maps) == dims else None
    if family == "conv_transpose":
        maps = []
        for axis, (i, o) in enumerate(zip(spatial_in, spatial_out)):
            k, s, d = options["kernel_size"][axis], options["stride"][axis], options["dilation"][axis]
            if framework == "torch":
                pad = options["padding"][axis]
            else:
                # TensorFlow runs the transposed conv as the gradient of a forward conv from the output
                # size back to the input size, with that conv's own padding.
                k_eff = shapes.effective_kernel(k, d)
                total = max((i - 1) * s + k_eff - o, 0) if options["padding"] == "same" else 0
                pad = total // 2
            maps.append(_transpose_map(i, o, k, s, d, pad))
        return maps
    if family == "upsample":
        mode = options.get("mode")
        return [_resize_map(i, o, _ratio(i, o) if options.get("size") is not None or framework == "keras"
                            else _inverse(options["scale_factor"][axis]), mode)
                for axis, (i, o) in enumerate(zip(spatial_in, spatial_out))]
    if family in ("adaptive_avg_pool", "adaptive_max_pool", "global_avg_pool", "global_max_pool"):
        return [_adaptive_map(i, o) for i, o in zip(spatial_in, spatial_out)]
    return None


def layer_sources(report) -> list[list[str]]:
    """The tensors each layer reads, by name: its `inputs` in a graph, else the layer before it
    (the spec's input for the first layer). Tensors are named after the layer that writes them."""
    first = next(iter(report.inputs), "input") if getattr(report, "inputs", None) else "input"
    sources, previous = [], first
    for row in report.layers:
        sources.append(getattr(row, "inputs", None) or [previous])  # read, never changed
        previous = row.name
    return sources


#: Steps the receptive-field walk may take for one report. Real networks need a few hundred
#: thousand; a hostile stack (thousands of padded convolutions) would need billions, so past this
#: budget the remaining layers get no field (null) instead of an unbounded run.
FIELD_STEP_BUDGET = 500_000


class _OverBudget(Exception):
    pass


class _FloorForm:
    """Field bounds of every cell j of a tensor, in network-input coordinates, in closed form:
    lo(j) = A*floor((a*j + b_lo) / q) + L and hi(j) = A*floor((a*j + b_hi) / q) + H.

    The network input is the identity form; `then` composes a layer's map onto it. Immutable.
    `core` is (A, a, q, b_lo, b_hi): composing a map onto a form changes the core and shifts L and H
    by amounts that depend on the core alone, so a stack that repeats its layers repeats its cores,
    and each (core, map) step and each field width is worked out once (see _step, _width).
    """

    __slots__ = ("core", "L", "H")

    def __init__(self, core: tuple[int, int, int, int, int] = (1, 1, 1, 0, 0), L: int = 0, H: int = 0) -> None:
        self.core, self.L, self.H = core, L, H

    def bound(self, j: int, upper: bool) -> int:
        A, a, q, b_lo, b_hi = self.core
        return A * ((a * j + (b_hi if upper else b_lo)) // q) + (self.H if upper else self.L)

    def then(self, map_form: tuple[int, int, int, int]) -> "_FloorForm | None":
        """This form after a layer whose map is j -> floor((m*j + c)/f); None when the result leaves
        the family (a resampling map after an unreduced stride)."""
        if map_form == (1, 1, 0, 0):  # identity (activations, normalisation): the same form
            return self
        key = (self.core, map_form)
        step = _STEPS.get(key, _UNKNOWN)
        if step is _UNKNOWN:
            if len(_STEPS) > 4096:
                _STEPS.clear()
            step = _STEPS[key] = _step(self.core, map_form)
        if step is None:
            return None
        core, shift_lo, shift_hi = step
        return _FloorForm(core, self.L + shift_lo, self.H + shift_hi)

    def same_as(self, other: "_FloorForm | None") -> bool:
        return other is not None and self.core == other.core and self.L == other.L and self.H == other.H

    def largest_field(self, cells: int) -> int:
        """The largest field size over the sampled cells (the bounds repeat with period q)."""
        key = (self.core, cells)
        width = _WIDTHS.get(key)
        if width is None:
            if len(_WIDTHS) > 4096:
                _WIDTHS.clear()
            width = _WIDTHS[key] = _width(self.core, cells)
        return width + self.H - self.L


_UNKNOWN = object()
#: (core, map form) -> (core after the map, shift of L, shift of H), or None (see _FloorForm)
_STEPS: dict[tuple, tuple | None] = {}
#: (core, cells) -> the widest field of those cells, less H - L
_WIDTHS: dict[tuple, int] = {}


def _step(core: tuple[int, int, int, int, int], map_form: tuple[int, int, int, int]) -> tuple | None:
    """(new core, shift of L, shift of H) after composing j -> floor((m*j + c)/f) onto a form's core.

    >>> _step((1, 1, 1, 0, 0), (2, 1, -1, 1))  # a stride-2 window of 3 on the input: 2*j - 1 .. 2*j + 1
    ((2, 1, 1, 0, 0), -1, 1)
    """
    m, f, c_lo, c_hi = map_form
    A, a, q, b_lo, b_hi = core
    if f == 1:
        # floor((a*(m*j + c) + b) / q)
        a, b_lo, b_hi = a * m, a * c_lo + b_lo, a * c_hi + b_hi
    elif a == 1:
        # floor((floor((m*j + c)/f) + b) / q) = floor((m*j + c + b*f) / (q*f))
        a, q, b_lo, b_hi = m, q * f, c_lo + b_lo * f, c_hi + b_hi * f
    else:
        return None
    shared = math.gcd(a, q)
    if shared > 1:  # floor((a*j + b)/q) = floor((a/g*j + floor(b/g)) / (q/g))
        a, q, b_lo, b_hi = a // shared, q // shared, b_lo // shared, b_hi // shared
    if q == 1:  # plain affine: fold the inner slope into A and the offsets into L and H
        return (A * a, 1, 1, 0, 0), A * b_lo, A * b_hi
    return (A, a, q, b_lo, b_hi), 0, 0


def _width(core: tuple[int, int, int, int, int], cells: int) -> int:
    """max over the sampled cells j of hi(j) - lo(j) + 1, less H - L (the bounds repeat with period q)."""
    A, a, q, b_lo, b_hi = core
    if q == 1:
        return A * (b_hi - b_lo) + 1
    sample = range(min(q, cells)) if q <= 64 else _sample_cells(cells)
    return max(A * ((a * j + b_hi) // q - (a * j + b_lo) // q) for j in sample) + 1


#: the field of a network-input cell is the cell itself; every axis starts from this one form, so
#: axes that see the same layers share their forms (and their fields are computed once)
_NETWORK_INPUT = _FloorForm()


class _Graph:
    """Composes the per-layer index maps of one spatial axis through the graph, memoising each
    (tensor, cell, bound). A tensor's field is the union of the fields through every source that
    reaches the network input."""

    def __init__(self, origin: str, budget: list[int] | None = None) -> None:
        self.origin = origin
        self.edges: dict[str, list[tuple[str, AxisMap]]] = {}
        self.memo: dict[tuple[str, int, bool], int | None] = {}
        # tensor -> its field bounds in closed form, where every map on its path had one
        self.forms: dict[str, _FloorForm] = {origin: _NETWORK_INPUT}
        self.budget = budget if budget is not None else [FIELD_STEP_BUDGET]  # shared by the axes

    def add(self, name: str, edges: list[tuple[str, AxisMap]]) -> None:
        self.edges[name] = edges

    def bound(self, name: str, cell: int, upper: bool) -> int | None:
        """Network-input coordinate of the lowest (highest) cell in the field of `cell` of tensor `name`."""
        stack = [(name, cell)]
        while stack:
            self.budget[0] -= 1
            if self.budget[0] < 0:
                raise _OverBudget
            node, at = stack[-1]
            key = (node, at, upper)
            if key in self.memo:
                stack.pop()
                continue
            if node in self.forms:
                self.memo[key] = self.forms[node].bound(at, upper)
                stack.pop()
                continue
            if node == self.origin:
                self.memo[key] = at
                stack.pop()
                continue
            pending, values = [], []
            for source, axis_map in self.edges.get(node, ()):
                mapped = axis_map.hi(at) if upper else axis_map.lo(at)
                child = (source, mapped, upper)
                if child in self.memo:
                    if self.memo[child] is not None:
                        values.append(self.memo[child])
                elif source == self.origin or source in self.forms or source in self.edges:
                    pending.append((source, mapped))
            if pending:
                stack.extend(pending)
                continue
            self.memo[key] = (max(values) if upper else min(values)) if values else None
            stack.pop()
        return self.memo[(name, cell, upper)]


def _sample_cells(n: int, limit: int = 64) -> range | list[int]:
    if n <= 3 * limit:
        return range(n)
    middle = n // 2
    return [*range(limit), *range(middle - limit // 2, middle + limit // 2), *range(n - limit, n)]


def _number(value: tuple[int, int]) -> int | float:
    numerator, denominator = value
    return numerator if denominator == 1 else round(numerator / denominator, 6)


def _times(value: tuple[int, int], factor: tuple[int, int]) -> tuple[int, int]:
    if factor == (1, 1):
        return value
    return _ratio(value[0] * factor[0], value[1] * factor[1])


def _merge_maps(row, framework: str) -> list[AxisMap] | None:
    # Merges keep each branch's cells in place when the spatial sizes agree (channel concatenation,
    # element-wise joins); a join along a spatial axis or with broadcasting has no field here.
    if row.output is None or len(row.output) < 2:
        return None
    shapes_in = getattr(row, "input_shapes", None) or [row.input]
    if any(shape is None or len(shape) != len(row.output) or split(shape, framework)[1]
           != split(row.output, framework)[1] for shape in shapes_in):
        return None
    return [_IDENTITY] * (len(row.output) - 1)


_MERGE_TYPES = frozenset(name for name, kind in KINDS.items() if kind.family == "merge")


def _with_identity(maps: list[AxisMap] | None) -> tuple[list[AxisMap] | None, bool, bool]:
    """The maps, whether every axis is the identity (activations, normalisation), and whether every
    axis has one closed form (a square window)."""
    if not maps:
        return maps, False, False
    first = maps[0]
    return (maps, all(m is _IDENTITY for m in maps),
            first.form is not None and all(m.form == first.form and m.factor == first.factor for m in maps))


def _stack_fields(report, sources: list[list[str]], dims: int) -> list[list[dict] | None] | None:
    """receptive_fields of a plain stack (each layer reads the one before it) whose layers all have
    closed-form maps: only the latest tensor's forms are kept, each (form, map) step is worked out once
    (_layer_step), and axes that are alike (a square kernel on a square input) share one form and one
    field. None when the report is not such a stack, and receptive_fields takes the general way."""
    framework = report.framework
    if not report.layers or len(sources[0]) != 1:
        return None
    lengths = split(report.input, framework)[1]
    forms, jumps = [_NETWORK_INPUT] * dims, [(1, 1)] * dims
    fields = [{"size": 1, "jump": 1, "start": 0}] * dims  # a network-input cell is its own field
    previous = sources[0][0]
    maps_of: dict[tuple, tuple[list[AxisMap] | None, bool, bool]] = {}  # as in receptive_fields
    alike = lengths.count(lengths[0]) == dims  # every axis has one form, one jump and one length
    result: list[list[dict] | None] = []
    for row, names in zip(report.layers, sources):
        if len(names) != 1 or names[0] != previous or row.type in _MERGE_TYPES:
            return None
        previous = row.name
        key = (row.type, id(row.options), id(row.geometry), row.input, row.output)
        known = maps_of.get(key)
        if known is None:
            known = maps_of[key] = _with_identity(layer_axis_maps(row, framework))
        maps, identity, same = known
        if maps is None or len(maps) != dims or row.output is None:
            # the fields end here (flatten, global pooling, an error): nothing after has one
            return result + [None] * (len(report.layers) - len(result))
        if identity:  # activations, normalisation: the same cells, the same fields
            result.append(fields)
            continue
        spatial_out = row.output[1:] if framework == "torch" else row.output[:-1]
        alike = alike and same and spatial_out.count(spatial_out[0]) == dims
        new_forms, new_jumps, new_fields = [], [], []
        for axis in range(1 if alike else dims):  # a square window on a square input: one axis for all
            axis_map = maps[axis]
            form, jump, cells = forms[axis], jumps[axis], spatial_out[axis]
            if axis and form is forms[axis - 1] and jump == jumps[axis - 1] and cells == spatial_out[axis - 1] \
                    and axis_map.form == maps[axis - 1].form and axis_map.factor == maps[axis - 1].factor:
                new_forms.append(new_forms[-1])  # this axis is the one before it again
                new_jumps.append(new_jumps[-1])
                new_fields.append(new_fields[-1])
                continue
            if axis_map.form is None:  # linear resizing: no closed form
                return None
            key = (form.core, axis_map.form, axis_map.factor, cells, jump)
            step = _LAYER_STEPS.get(key, _UNKNOWN)
            if step is _UNKNOWN:
                if len(_LAYER_STEPS) > 4096:
                    _LAYER_STEPS.clear()
                step = _LAYER_STEPS[key] = _layer_step(form, axis_map, cells, jump)
            if step is None:
                return None
            core, shift_lo, shift_hi, width, start, jump, jump_number = step
            form = _FloorForm(core, form.L + shift_lo, form.H + shift_hi)
            new_forms.append(form)
            new_jumps.append(jump)
            new_fields.append({"size": max(width + form.H - form.L, 0), "jump": jump_number, "start": start + form.L})
        if alike:
            new_forms, new_jumps, new_fields = new_forms * dims, new_jumps * dims, new_fields * dims
        forms, jumps, fields = new_forms, new_jumps, new_fields
        result.append(fields)
    return result


#: (form core, map form, map factor, cells, jump) -> _layer_step's result: what a layer does to a
#: field does not depend on where the field is (L, H), so a repeated layer is worked out once
_LAYER_STEPS: dict[tuple, tuple | None] = {}


def _layer_step(form: _FloorForm, axis_map: AxisMap, cells: int, jump: tuple[int, int]) -> tuple | None:
    """(core after, shift of L, shift of H, field width less H - L, start less L, jump after, the jump
    as the report writes it) for a map on one axis; None when the result has no closed form."""
    after = form.then(axis_map.form)
    if after is None:
        return None
    jump = _times(jump, axis_map.factor)
    return (after.core, after.L - form.L, after.H - form.H, after.largest_field(cells) - after.H + after.L,
            after.bound(0, False) - after.L, jump, _number(jump))


def receptive_fields(report, sources: list[list[str]] | None = None) -> list[list[dict] | None]:
    """Receptive field of every layer's output, per spatial axis of the network input.

    >>> from planner import plan_data
    >>> report = plan_data({"input": [1, 32, 32], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3}},
    ...                     {"max_pool2d": 2}, {"conv2d": {"filters": 4, "kernel_size": 3, "dilation": 2}}]})
    >>> [rf[0] for rf in receptive_fields(report)]
    [{'size': 3, 'jump': 1, 'start': 0}, {'size': 4, 'jump': 2, 'start': 0}, {'size': 12, 'jump': 2, 'start': 0}]
    """
    framework = report.framework
    if report.input is None or len(report.input) < 2:
        return [None] * len(report.layers)
    dims = len(report.input) - 1
    if sources is None:
        sources = layer_sources(report)
    fast = _stack_fields(report, sources, dims)
    if fast is not None:
        return fast
    origin = sources[0][0] if report.layers and not getattr(report.layers[0], "inputs", None) else (
        next(iter(report.inputs), "input") if getattr(report, "inputs", None) else "input")
    budget = [FIELD_STEP_BUDGET]
    graphs = [_Graph(origin, budget) for _ in range(dims)]
    jumps: dict[str, list[tuple[int, int]]] = {origin: [(1, 1)] * dims}
    result: list[list[dict] | None] = []
    # Long stacks repeat layers: rows planned from one memo share their options and geometry objects,
    # so their index maps are worked out once (the rows are alive, so the ids stay theirs).
    maps_of: dict[tuple, tuple[list[AxisMap] | None, bool, bool]] = {}
    # tensor -> its fields, when every axis has a closed form (a network-input cell is its own field)
    closed: dict[str, list[dict]] = {origin: [{"size": 1, "jump": 1, "start": 0}] * dims}
    all_forms = [graph.forms for graph in graphs]
    for row, names in zip(report.layers, sources):
        if row.type in _MERGE_TYPES:
            maps = _merge_maps(row, framework)
            identity = maps is not None
        else:
            key = (row.type, id(row.options), id(row.geometry), row.input, row.output)
            known = maps_of.get(key)
            if known is None:
                known = maps_of[key] = _with_identity(layer_axis_maps(row, framework))
            maps, identity, _ = known
        if len(names) == 1:  # a stack: the layer before
            reaching = names if names[0] in jumps else ()
        else:
            reaching = [name for name in names if name in jumps]
        if maps is None or len(maps) != dims or not reaching or row.output is None:
            result.append(None)
            continue
        if len(reaching) == 1 and reaching[0] in closed:
            source = reaching[0]
            if identity:
                # activations, normalisation: the same cells, so the same fields as the layer's input
                name = row.name
                for forms in all_forms:
                    forms[name] = forms[source]
                jumps[name] = jumps[source]
                fields = closed[name] = closed[source]
                result.append(fields)
                continue
        jump = [_times(jumps[reaching[0]][axis], maps[axis].factor) for axis in range(dims)]
        spatial_out = split(row.output, framework)[1]
        fields = []
        try:
            for axis, axis_map in enumerate(maps):
                graph = graphs[axis]
                source_form = graph.forms.get(reaching[0]) if len(reaching) == 1 else None
                form = source_form.then(axis_map.form) if source_form and axis_map.form else None
                if form is not None:  # closed form: the walk never needs this layer's edges
                    if axis and form.same_as(graphs[axis - 1].forms.get(row.name)):
                        form = graphs[axis - 1].forms[row.name]  # alike axes share one form
                    graph.forms[row.name] = form
                    fields.append({"size": max(form.largest_field(spatial_out[axis]), 0),
                                   "jump": _number(jump[axis]), "start": form.bound(0, False)})
                    continue
                graph.add(row.name, [(name, axis_map) for name in reaching])
                sizes = []
                for j in _sample_cells(spatial_out[axis]):
                    lo, hi = graph.bound(row.name, j, False), graph.bound(row.name, j, True)
                    if lo is not None and hi is not None:
                        sizes.append(hi - lo + 1)
                start = graph.bound(row.name, 0, False)
                fields.append({"size": max(max(sizes, default=0), 0), "jump": _number(jump[axis]),
                               "start": start})
        except _OverBudget:
            return result + [None] * (len(report.layers) - len(result))
        jumps[row.name] = jump
        if all(row.name in graph.forms for graph in graphs):
            closed[row.name] = fields
        else:
            closed.pop(row.name, None)
        result.append(fields)
    return result


def _stack_peak(report, sizes: dict[str, int | None], sources: list[list[str]]) -> int | None:
    """_peak for a plain stack (each layer reads the one before it, names unique, no outputs:), where
    the tensors alive while layer i runs are its input and its output; None when not a plain stack.

    >>> from planner import plan_data
    >>> report = plan_data({"input": [1, 4], "layers": [{"dense": {"units": 8}}, {"dense": {"units": 2}}]})
    >>> sizes = {"input": 16, "dense_1": 32, "dense_2": 8}
    >>> _stack_peak(report, sizes, layer_sources(report)), _peak(report, sizes, layer_sources(report))
    (48, 48)
    """
    names = list(sizes)  # the input, then the layers in order
    if getattr(report, "output_map", None) is not None or len(names) != len(report.layers) + 1 \
            or names[1:] != [row.name for row in report.layers] \
            or sources != [[name] for name in names[:-1]] or None in sizes.values():
        return None
    values = list(sizes.values())
    return max([values[0], *map(add, values, values[1:])])


def _peak(report, sizes: dict[str, int | None], sources: list[list[str]]) -> int | None:
    # Liveness, layer by layer: a tensor lives from the layer that writes it to its last reader;
    # the outputs of the network live to the end.
    last_use = {name: step for step, names in enumerate(sources, start=1) for name in names}
    outputs = getattr(report, "output_map", None)
    final = set(outputs) if outputs else ({report.layers[-1].name} if report.layers else set(sizes))
    end = len(report.layers) + 1
    for name in final:
        last_use[name] = end
    if None in sizes.values():
        return None
    born = {name: 0 for name in getattr(report, "inputs", None) or {"input": None}}
    born.update(zip(map(attrgetter("name"), report.layers), range(1, len(report.layers) + 1)))
    # One sweep over the steps (linear, so a stack of 100,000 layers stays fast): a tensor adds its
    # size at the step that writes it and removes it after its last reader.
    steps = len(report.layers)
    change = [0] * (steps + 2)
    for name, at in born.items():
        last = last_use.get(name, at)
        if last > steps:
            last = steps
        if name in sizes and at <= last:
            change[at] += sizes[name]
            change[last + 1] -= sizes[name]
    return max(0, *accumulate(change[:steps + 1]))  # the most bytes alive at any step


# ---------------------------------------------------------------------------------------------
# everything together
# ---------------------------------------------------------------------------------------------

def network_metrics(report, dtype: str | None = None, batch: int | None = None) -> NetworkMetrics:
    """Metrics of every layer of a planned report, for its batch and dtype (or the ones given).

    >>> from planner import plan_data
    >>> report = plan_data({"input": [1, 28, 28], "batch": 8, "layers": [{"conv2d": {"filters": 32, "kernel_size": 3}}]})
    >>> m = network_metrics(report)
    >>> m.total_macs, m.total_flops, m.peak_activation_bytes, m.param_bytes
    (194688, 389376, 717312, 1280)
    """
    dtype = dtype or getattr(report, "dtype", None) or DEFAULT_DTYPE
    batch = batch or getattr(report, "batch", 1) or 1
    size = dtype_bytes(dtype)
    framework = report.framework
    sources = layer_sources(report)
    fields = receptive_fields(report, sources)
    input_lengths = split(report.input, framework)[1] if report.input is not None and len(report.input) > 1 else ()
    from planner.kinds.spatial import AXIS_NAMES

    layers = []
    sizes: dict[str, int | None] = {}  # tensor -> bytes, for the peak
    inputs = getattr(report, "inputs", None) or {"input": report.input}
    for name, shape in inputs.items():
        sizes[name] = None if shape is None else product(shape) * batch * size
    # Rows planned from one memo share their options object (see planner/propagate.py), so a long
    # stack counts each distinct layer once; the rows are alive, so the ids stay theirs.
    counts_of: dict[tuple, tuple[int | None, int | None, int]] = {}
    exceeds_of: dict[int, list[str]] = {}  # id(fields) -> the axes where they exceed the input
    add = layers.append
    for row, rf in zip(report.layers, fields):
        row_input, row_output = row.input, row.output
        if row_input is None or row_output is None:
            macs = other_ops = activation_bytes = None
        else:
            key = (row.type, id(row.options), row_input, row_output)
            counts = counts_of.get(key)
            if counts is None:
                counts = counts_of[key] = (layer_macs(row.type, row.options, row_input, row_output, framework),
                                           layer_other_ops(row.type, row.options, row_input, row_output, framework),
                                           product(row_output) * batch * size)
            macs, other_ops, activation_bytes = counts
        exceeds = None
        if rf is not None:
            exceeds = exceeds_of.get(id(rf))
            if exceeds is None:
                names = AXIS_NAMES.get(len(rf)) or tuple(str(a) for a in range(len(rf)))
                exceeds = exceeds_of[id(rf)] = [names[a] for a, f in enumerate(rf) if f["size"] > input_lengths[a]]
        params = row.params
        add(LayerMetrics(row.index, macs, other_ops, activation_bytes, None if params is None else params * size,
                         rf, exceeds))
        sizes[row.name] = activation_bytes
    input_bytes = None if report.input is None else product(report.input) * batch * size
    peak = None
    if report.input is not None or inputs:
        peak = _stack_peak(report, sizes, sources)
        if peak is None:
            peak = _peak(report, sizes, sources)
    return NetworkMetrics(layers, dtype, batch, input_bytes, peak)


def layer_dict(metrics: LayerMetrics) -> dict[str, Any]:
    """The report fields a layer gains from its metrics."""
    return {
        "macs": metrics.macs,
        "flops": metrics.flops,
        "other_ops": metrics.other_ops,
        "activation_bytes": metrics.activation_bytes,
        "param_bytes": metrics.param_bytes,
        "receptive_field": metrics.receptive_field,
    }
