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

>>> from layerplan.planner import plan_data
>>> report = plan_data({"framework": "keras", "input": [28, 28, 1],
...                     "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})
>>> m = network_metrics(report).layers[0]
>>> m.macs, m.flops, m.activation_bytes, m.receptive_field[0]
(225792, 451584, 100352, {'size': 3, 'jump': 1, 'start': -1})
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import accumulate
from operator import attrgetter
from typing import Any

from .graph import tensor_name
from .kinds import KINDS
from .kinds.axis_maps import AxisMap, ratio
from .kinds.base import split
from .kinds.spatial import AXIS_NAMES

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


@dataclass(slots=True)
class LayerMetrics:
    """Metrics of one planned layer; None where the layer could not be planned (or, for MACs, where
    its kind cannot count them).

    receptive_field: one {size, jump, start} per spatial axis; field_exceeds_input: the axis names
    where the field's size is larger than the input's length.
    """

    index: int
    macs: int | None = None
    other_ops: int | None = None
    activation_bytes: int | None = None
    param_bytes: int | None = None
    receptive_field: list[dict] | None = None
    field_exceeds_input: list[str] = field(default_factory=list)

    @property
    def flops(self) -> int | None:
        return None if self.macs is None else 2 * self.macs


@dataclass(slots=True)
class NetworkMetrics:
    """Per-layer metrics and the totals of a report."""

    layers: list[LayerMetrics]
    dtype: str
    batch: int
    input_bytes: int | None
    peak: int | None = None
    #: False when layers of the spec are missing (a block use failed): no total is known then
    complete: bool = True

    def _total(self, attribute: str) -> int | None:
        if not self.complete:
            return None
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
        return self.peak if self.complete else None


# ---------------------------------------------------------------------------------------------
# operation counts: each kind counts its own (planner/kinds/counting.py)
# ---------------------------------------------------------------------------------------------

def layer_macs(row, framework: str) -> int | None:
    """Multiply-accumulates of one planned layer for one sample; None when the layer could not be
    planned or its kind cannot count them.

    >>> from layerplan.planner import plan_data
    >>> report = plan_data({"framework": "keras", "input": [28, 28, 1],
    ...                     "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})
    >>> layer_macs(report.layers[0], "keras")
    225792
    """
    kind = KINDS.get(row.type)
    if kind is None or kind.macs is None or row.input is None or row.output_shapes is None:
        return None
    return kind.macs(row, framework)


def layer_other_ops(row, framework: str) -> int | None:
    """Operations that are not MACs, for one sample: bias adds, normalisation, pooling reads,
    activations; None when the layer could not be planned or its kind cannot count them."""
    kind = KINDS.get(row.type)
    if kind is None or kind.other_ops is None or row.input is None or row.output_shapes is None:
        return None
    return kind.other_ops(row, framework)


# ---------------------------------------------------------------------------------------------
# receptive field
# ---------------------------------------------------------------------------------------------

def layer_axis_maps(row, framework: str) -> list[AxisMap] | None:
    """Index maps of a planned layer's spatial axes (its kind's receptive_field hook), or None when
    the layer mixes or removes the spatial axes (flatten, reshape, global pooling, dense acting on a
    spatial axis)."""
    kind = KINDS.get(row.type)
    if kind is None or kind.receptive_field is None or row.input is None or row.output_shapes is None:
        return None
    return kind.receptive_field(row, framework)


def layer_sources(report) -> list[list[str]]:
    """The tensors each layer reads, by name: its `inputs` in a graph, else the layer before it
    (the spec's input for the first layer). Tensors are named after the layer that writes them."""
    first = next(iter(report.inputs), "input") if getattr(report, "inputs", None) else "input"
    sources, previous = [], first
    for row in report.layers:
        # read, never changed; `halves:1` is a tensor of the layer `halves` (its outputs are counted together)
        sources.append([tensor_name(name) for name in row.inputs] if getattr(row, "inputs", None) else [previous])
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
    (see _step); _width gives the widest field over a tensor's cells.
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
        step = _step(self.core, map_form)
        if step is None:
            return None
        core, shift_lo, shift_hi = step
        return _FloorForm(core, self.L + shift_lo, self.H + shift_hi)

    def largest_field(self, cells: int) -> int:
        """The largest field size over the cells 0 .. cells - 1 (see _width)."""
        return _width(self.core, cells) + self.H - self.L


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
    """max over the cells j in range(cells) of hi(j) - lo(j) + 1, less H - L; exact, in O(log q) steps.

    >>> _width((1, 1, 1, 0, 0), 5)  # the network input: each cell is its own field
    1
    >>> [_width((1, 1, 81, 0, 27), cells) for cells in (54, 55, 648)]  # reached from cell 54 on
    [1, 2, 2]
    """
    A, a, q, b_lo, b_hi = core
    if q == 1:
        return A * (b_hi - b_lo) + 1
    # With x = a*j + b_lo and b_hi - b_lo = whole*q + rest (0 <= rest < q):
    #     floor((x + b_hi - b_lo) / q) - floor(x / q) = whole + (1 if x mod q >= q - rest else 0),
    # so the widest field is A*(whole + 1) + 1 if the residue x mod q of some cell falls in the top
    # `rest` residues, q - rest .. q - 1, and A*whole + 1 if none does (A > 0).
    # _step keeps a and q coprime, so q consecutive cells take every residue: with cells >= q the top
    # residues are reached as soon as there are any. With fewer cells, count the cells that reach them:
    # floor((x + rest) / q) - floor(x / q) is 1 for those cells and 0 for the others.
    whole, rest = divmod(b_hi - b_lo, q)
    if rest == 0:
        reached = False
    elif cells >= q:
        reached = True
    else:
        reached = _floor_sum(cells, q, a, b_lo + rest) > _floor_sum(cells, q, a, b_lo)
    return A * (whole + reached) + 1


def _floor_sum(n: int, q: int, a: int, b: int) -> int:
    """sum of floor((a*j + b) / q) for j in range(n), q > 0, in O(log q) steps: a Euclid-like
    reduction that swaps the roles of a and q, as Euclid's algorithm does.

    >>> _floor_sum(10, 7, 3, -2), sum((3 * j - 2) // 7 for j in range(10))
    (12, 12)
    """
    total = 0
    while True:
        if not 0 <= a < q:
            total += n * (n - 1) // 2 * (a // q)
            a %= q
        if not 0 <= b < q:
            total += n * (b // q)
            b %= q
        # Now 0 <= a, b < q. The sum counts the lattice points (j, y), 1 <= y <= (a*j + b) / q, under
        # a line; counted along y instead, they make the same kind of sum with a and q swapped.
        top = a * n + b
        if top < q:  # every term is 0
            return total
        n, b, q, a = top // q, top % q, a, q


#: the field of a network-input cell is the cell itself
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


def _number(value: tuple[int, int]) -> int | float:
    numerator, denominator = value
    return numerator if denominator == 1 else round(numerator / denominator, 6)


def _times(value: tuple[int, int], factor: tuple[int, int]) -> tuple[int, int]:
    if factor == (1, 1):
        return value
    return ratio(value[0] * factor[0], value[1] * factor[1])


def receptive_fields(report, sources: list[list[str]] | None = None) -> list[list[dict] | None]:
    """Receptive field of every layer's output, per spatial axis of the network input.

    Per axis, a tensor's field bounds are kept in closed form while every map on its path has one
    (windows, nearest resizing, transposed convs, adaptive pools: a few integer operations per layer);
    elsewhere (linear resizing, merges of several reaching branches) each cell's bounds are walked
    back through the graph, within FIELD_STEP_BUDGET steps (past it, the remaining layers get None).
    The size is exact: the largest over every cell of the tensor.

    >>> from layerplan.planner import plan_data
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
    origin = sources[0][0] if report.layers and not report.layers[0].inputs else next(iter(report.inputs), "input")
    budget = [FIELD_STEP_BUDGET]
    graphs = [_Graph(origin, budget) for _ in range(dims)]
    jumps: dict[str, list[tuple[int, int]]] = {origin: [(1, 1)] * dims}
    result: list[list[dict] | None] = []
    for row, names in zip(report.layers, sources):
        maps = layer_axis_maps(row, framework)
        reaching = [name for name in names if name in jumps]
        if maps is None or len(maps) != dims or not reaching or row.output_shapes is None:
            result.append(None)
            continue
        jump = [_times(jumps[reaching[0]][axis], maps[axis].factor) for axis in range(dims)]
        spatial_out = split(row.output_shapes[0], framework)[1]  # several outputs share them (split_field)
        fields = []
        try:
            for axis, axis_map in enumerate(maps):
                graph = graphs[axis]
                source_form = graph.forms.get(reaching[0]) if len(reaching) == 1 else None
                form = source_form.then(axis_map.form) if source_form and axis_map.form else None
                if form is not None:  # closed form: the walk never needs this layer's edges
                    graph.forms[row.name] = form
                    fields.append({"size": max(form.largest_field(spatial_out[axis]), 0),
                                   "jump": _number(jump[axis]), "start": form.bound(0, False)})
                    continue
                graph.add(row.name, [(name, axis_map) for name in reaching])
                sizes = []
                for j in range(spatial_out[axis]):  # every cell: the size is the largest, exactly
                    lo, hi = graph.bound(row.name, j, False), graph.bound(row.name, j, True)
                    if lo is not None and hi is not None:
                        sizes.append(hi - lo + 1)
                start = graph.bound(row.name, 0, False)
                fields.append({"size": max(max(sizes, default=0), 0), "jump": _number(jump[axis]),
                               "start": start})
        except _OverBudget:
            return result + [None] * (len(report.layers) - len(result))
        jumps[row.name] = jump
        result.append(fields)
    return result


def _peak(report, sizes: dict[str, int | None], sources: list[list[str]]) -> int | None:
    # Liveness, layer by layer: a tensor lives from the layer that writes it to its last reader;
    # the outputs of the network live to the end.
    last_use = {name: step for step, names in enumerate(sources, start=1) for name in names}
    outputs = getattr(report, "output_map", None)
    final = {tensor_name(name) for name in outputs} if outputs else ({report.layers[-1].name} if report.layers else set(sizes))
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

    >>> from layerplan.planner import plan_data
    >>> report = plan_data({"input": [1, 28, 28], "batch": 8, "layers": [{"conv2d": {"filters": 32, "kernel_size": 3}}]})
    >>> m = network_metrics(report)
    >>> m.total_macs, m.total_flops, m.peak_activation_bytes, m.param_bytes
    (194688, 389376, 717312, 1280)
    """
    dtype = dtype or report.dtype or DEFAULT_DTYPE
    batch = batch or report.batch or 1
    size = dtype_bytes(dtype)
    framework = report.framework
    sources = layer_sources(report)
    fields = receptive_fields(report, sources)
    input_lengths = split(report.input, framework)[1] if report.input is not None and len(report.input) > 1 else ()
    layers = []
    sizes: dict[str, int | None] = {}  # tensor -> bytes, for the peak
    inputs = report.inputs or {"input": report.input}
    for name, shape in inputs.items():
        sizes[name] = None if shape is None else product(shape) * batch * size
    for row, rf in zip(report.layers, fields):
        shapes = row.output_shapes
        activation_bytes = None if shapes is None else sum(product(shape) for shape in shapes) * batch * size
        exceeds = []
        if rf is not None:
            names = AXIS_NAMES.get(len(rf)) or tuple(str(a) for a in range(len(rf)))
            exceeds = [names[a] for a, f in enumerate(rf) if f["size"] > input_lengths[a]]
        layers.append(LayerMetrics(row.index, layer_macs(row, framework), layer_other_ops(row, framework),
                                   activation_bytes, None if row.params is None else row.params * size, rf, exceeds))
        sizes[row.name] = activation_bytes
    input_bytes = None if report.input is None else product(report.input) * batch * size
    peak = None
    if report.input is not None or inputs:
        peak = _peak(report, sizes, sources)
    return NetworkMetrics(layers, dtype, batch, input_bytes, peak, complete=not report.layers_missing)


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
