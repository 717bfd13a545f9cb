"""Long stacks repeat layers, and the engine plans and measures each distinct layer once.

The shortcuts must be invisible: a report planned with the memo equals one planned layer by layer,
and the receptive fields (composed in closed form, or walked cell by cell through a graph) equal a
brute-force composition of every layer's index map, cell by cell: the size is the largest over every
cell, never over a sample of them.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import layerplan.planner.metrics
import layerplan.planner.plan
from layerplan.planner import plan_data
from layerplan.planner.metrics import (_peak, _width, layer_axis_maps, layer_sources, network_metrics,
                             receptive_fields, split)

SIDE = st.integers(min_value=1, max_value=4)

LAYERS_2D = st.one_of(
    st.builds(lambda f, k, s, p, d: {"conv2d": {"filters": f, "kernel_size": k, "stride": s, "padding": p,
                                                "dilation": d}},
              st.integers(1, 3), st.one_of(SIDE, st.lists(SIDE, min_size=2, max_size=2)), st.integers(1, 3),
              st.one_of(st.integers(0, 2), st.sampled_from(["same", "valid"])), st.integers(1, 2)),
    st.builds(lambda k, s, p: {"max_pool2d": {"pool_size": k, "stride": s, "padding": p}},
              st.integers(1, 3), st.integers(1, 3), st.integers(0, 1)),
    st.builds(lambda k, s: {"avg_pool2d": {"pool_size": k, "stride": s}}, st.integers(1, 3), st.integers(1, 3)),
    st.builds(lambda f: {"upsample2d": {"scale_factor": f}}, st.sampled_from([1, 2, 3, [2, 1]])),
    st.builds(lambda f, k, s, p: {"conv_transpose2d": {"filters": f, "kernel_size": k, "stride": s, "padding": p}},
              st.integers(1, 3), SIDE, st.integers(1, 3), st.integers(0, 1)),
    st.builds(lambda p: {"zero_padding2d": {"padding": p}}, st.integers(0, 2)),
    st.builds(lambda c: {"cropping2d": {"cropping": c}}, st.integers(0, 1)),
    st.sampled_from(["relu", "batch_norm2d", "sigmoid", {"dropout": {"rate": 0.5}}]),
)

LAYERS_1D = st.one_of(
    st.builds(lambda k, s, p, d: {"conv1d": {"filters": 2, "kernel_size": k, "stride": s, "padding": p,
                                             "dilation": d}},
              SIDE, st.integers(1, 3), st.integers(0, 2), st.integers(1, 3)),
    st.builds(lambda k: {"max_pool1d": {"pool_size": k}}, st.integers(1, 3)),
    st.builds(lambda f: {"upsample1d": {"scale_factor": f}}, st.integers(1, 3)),
    st.sampled_from(["relu", "batch_norm1d"]),
)


@st.composite
def repetitive_specs(draw):
    """A stack drawn from a small pool of layers, so the same layer often meets the same shape."""
    two_d = draw(st.booleans())
    pool = draw(st.lists(LAYERS_2D if two_d else LAYERS_1D, min_size=1, max_size=4))
    layers = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=24))
    sides = draw(st.lists(st.integers(4, 40), min_size=2 if two_d else 1, max_size=2 if two_d else 1))
    return {"input": [2, *sides], "layers": layers}


def _plan_without_memo(spec):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layerplan.planner.plan, "_memo_key", lambda entry, sources, framework: None)
        return plan_data(spec)


@settings(max_examples=150, deadline=None)
@given(repetitive_specs())
def test_the_memo_is_invisible(spec):
    with_memo, without = plan_data(spec), _plan_without_memo(spec)
    assert with_memo == without
    assert with_memo.to_dict() == without.to_dict()


def _brute_force_fields(report):
    """Each layer's field per axis, by composing every layer's index map for every output cell."""
    framework = report.framework
    chain, fields = [], []
    for row in report.layers:
        maps = layer_axis_maps(row, framework) if chain is not None else None
        if maps is None:
            chain = None
            fields.append(None)
            continue
        chain.append(maps)
        out = split(row.output, framework)[1]
        per_axis = []
        for axis, cells in enumerate(out):
            def bound(j, upper):
                for maps_of_layer in reversed(chain):
                    j = maps_of_layer[axis].hi(j) if upper else maps_of_layer[axis].lo(j)
                return j
            jump = Fraction(1)
            for maps_of_layer in chain:
                jump *= Fraction(*maps_of_layer[axis].factor)
            size = max(bound(j, True) - bound(j, False) + 1 for j in range(cells))
            per_axis.append({"size": max(size, 0),
                             "jump": int(jump) if jump.denominator == 1 else round(float(jump), 6),
                             "start": bound(0, False)})
        fields.append(per_axis)
    return fields


#: the most cells (summed over the layers, on each one's longest axis) of a spec whose every cell is
#: composed: upsampling stacks grow past billions, where the brute force (and the walk) would never end
MOST_CELLS = 20_000


def _cells(report) -> int:
    return sum(max(split(row.output, report.framework)[1]) for row in report.layers if row.output is not None)


@settings(max_examples=150, deadline=None)
@given(repetitive_specs())
def test_fields_equal_the_cell_by_cell_composition(spec):
    report = plan_data(spec)
    assume(_cells(report) <= MOST_CELLS)
    assert receptive_fields(report) == _brute_force_fields(report)
    metrics = network_metrics(report)
    inputs = split(report.input, report.framework)[1]
    for layer, field in zip(metrics.layers, receptive_fields(report)):
        expected = [] if field is None else [name for name, f, n in zip(("H", "W") if len(inputs) == 2 else ("L",),
                                                                         field, inputs) if f["size"] > n]
        assert layer.field_exceeds_input == expected


def _with_self_merge(spec, at):
    """(the spec with an `add` of a tensor with itself before layer `at`, the fields that planning it
    must give). The add keeps the cells and their fields, but makes the spec a graph, whose fields
    after the add are walked cell by cell instead of composed in closed form."""
    stack = plan_data(spec)
    source = stack.layers[at - 1].name if at else "input"
    layers = [*spec["layers"][:at], {"add": {"inputs": [source, source]}}, *spec["layers"][at:]]
    fields = _brute_force_fields(stack)
    dims = len(split(stack.input, stack.framework)[1])
    merged = fields[at - 1] if at else [{"size": 1, "jump": 1, "start": 0}] * dims
    return {**spec, "layers": layers}, [*fields[:at], merged, *fields[at:]]


@settings(max_examples=150, deadline=None)
@given(repetitive_specs(), st.data())
def test_fields_through_a_merge_equal_the_cell_by_cell_composition(spec, data):
    assume(_cells(plan_data(spec)) <= MOST_CELLS)  # within the walk's step budget (past it: below)
    graph, expected = _with_self_merge(spec, data.draw(st.integers(0, len(spec["layers"]))))
    assert receptive_fields(plan_data(graph)) == expected


def test_past_the_step_budget_the_walk_gives_no_field(monkeypatch):
    layers = [{"conv1d": {"filters": 2, "kernel_size": 3, "padding": 1}}] * 3
    graph, expected = _with_self_merge({"input": [2, 50], "layers": layers}, 1)
    assert receptive_fields(plan_data(graph)) == expected
    cuts = set()
    for budget in range(0, 1000, 10):
        monkeypatch.setattr(layerplan.planner.metrics, "FIELD_STEP_BUDGET", budget)
        fields = receptive_fields(plan_data(graph))
        known = next((at for at, field in enumerate(fields) if field is None), len(fields))
        assert fields == expected[:known] + [None] * (len(fields) - known)  # exact, or null from there on
        cuts.add(known)
    assert cuts == {1, 2, 3, 4}  # the conv before the add has a closed form, so it never needs the walk


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.integers(1, 10**6), st.integers(2, 10**6), st.integers(-10**6, 10**6),
       st.integers(-3, 3 * 10**6), st.integers(1, 3000))
def test_the_widest_field_of_a_form_is_the_widest_of_its_cells(A, a, q, b_lo, d, cells):
    shared = math.gcd(a, q)  # _step reduces every core so
    a, q = a // shared, q // shared
    b_hi = b_lo + d
    widest = max(A * ((a * j + b_hi) // q - (a * j + b_lo) // q) for j in range(cells)) + 1
    assert _width((A, a, q, b_lo, b_hi), cells) == widest


UPSAMPLE_3 = {"upsample2d": {"scale_factor": 3}}
POOL_3 = {"max_pool2d": {"pool_size": 3, "stride": 1}}

# Fields once reported wrong, and the size of the last layer's field (the largest over its cells)
FIELD_CASES = [
    # 4 -> 12 -> 10 -> 8 -> 24 -> 72 -> 216 -> 648 cells: the widest fields (3 input cells) are those of
    # output cells 162..242 and 405..485; a sample of 64 cells at the start, middle and end saw only 2
    ({"input": [2, 4, 4], "layers": [UPSAMPLE_3, POOL_3, POOL_3, *[UPSAMPLE_3] * 4]}, 3),
]


@pytest.mark.parametrize("spec, size", FIELD_CASES)
@pytest.mark.parametrize("merge", [False, True])
def test_fields_once_reported_wrong(spec, size, merge):
    expected = _brute_force_fields(plan_data(spec))
    if merge:  # the same fields, walked cell by cell after the merge
        spec, expected = _with_self_merge(spec, len(spec["layers"]) - 4)
    report = plan_data(spec)
    assert report.ok, report.diagnostics
    fields = receptive_fields(report)
    assert fields == expected
    assert [axis["size"] for axis in fields[-1]] == [size, size]


def test_a_long_repeated_stack_plans_like_a_short_one():
    cycle = [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}}, "batch_norm2d", "relu",
             {"max_pool2d": 2}, {"upsample2d": {"scale_factor": 2}}]
    report = plan_data({"input": [8, 16, 16], "layers": cycle * 40})
    assert report.ok and report.output == (8, 16, 16)
    assert [row.name for row in report.layers[:6]] == ["conv2d_1", "batch_norm2d_1", "relu_1", "max_pool2d_1",
                                                       "upsample2d_1", "conv2d_2"]
    assert report.layers[-1].name == "upsample2d_40"
    assert report.total_params == 40 * (8 * 8 * 9 + 8 + 2 * 8)
    fields = receptive_fields(report)
    assert fields == _brute_force_fields(report)


@settings(max_examples=150, deadline=None)
@given(repetitive_specs())
def test_the_peak_of_a_stack_is_its_largest_input_plus_output(spec):
    """In a plain stack only a layer's input and output are alive while it runs."""
    report = plan_data(spec)
    sizes = {"input": 4 * len(report.layers) + 3}
    sizes.update({row.name: 7 * row.index % 11 + 1 for row in report.layers})
    values = list(sizes.values())
    largest_pair = max([values[0], *(a + b for a, b in zip(values, values[1:]))])
    assert _peak(report, sizes, layer_sources(report)) == largest_pair


def test_the_peak_of_no_layers_is_the_input():
    report = plan_data({"input": [1, 28, 28], "layers": []})
    assert network_metrics(report).peak_activation_bytes == 28 * 28 * 4
