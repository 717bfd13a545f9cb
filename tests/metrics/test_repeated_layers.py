"""Long stacks repeat layers, and the engine plans and measures each distinct layer once.

The shortcuts must be invisible: a report planned with the memo equals one planned layer by layer,
and the receptive fields (computed in closed form, shared between equal axes and through
activations) equal a brute-force composition of every layer's index map, cell by cell.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planner.propagate
from planner import plan_data
from planner.metrics import _peak, _stack_peak, layer_axis_maps, layer_sources, network_metrics, receptive_fields, split

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
        patch.setattr(planner.propagate, "_memo_key", lambda entry, sources, framework: None)
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


@settings(max_examples=150, deadline=None)
@given(repetitive_specs())
def test_fields_equal_the_cell_by_cell_composition(spec):
    report = plan_data(spec)
    assert receptive_fields(report) == _brute_force_fields(report)
    metrics = network_metrics(report)
    inputs = split(report.input, report.framework)[1]
    for layer, field in zip(metrics.layers, receptive_fields(report)):
        expected = [] if field is None else [name for name, f, n in zip(("H", "W") if len(inputs) == 2 else ("L",),
                                                                         field, inputs) if f["size"] > n]
        assert layer.field_exceeds_input == expected


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
    assert fields[1] is fields[0]  # batch norm sees the same cells as the conv before it


@settings(max_examples=150, deadline=None)
@given(repetitive_specs(), st.booleans())
def test_the_peak_of_a_stack_is_the_peak_of_its_graph(spec, named):
    if named:  # explicit names, some repeated: a repeated name is no plain stack
        spec = {**spec, "layers": [{"type": layer, "name": f"n{i % 7}"} if isinstance(layer, str) else layer
                                   for i, layer in enumerate(spec["layers"])]}
    report = plan_data(spec)
    sizes = {"input": 4 * len(report.layers) + 3}
    sizes.update({row.name: 7 * row.index % 11 + 1 for row in report.layers})
    sources = layer_sources(report)
    quick = _stack_peak(report, sizes, sources)
    assert quick is None or quick == _peak(report, sizes, sources)
    if not named or len(report.layers) <= 1:
        assert quick is not None  # a plain stack takes the quick way


def test_the_peak_of_no_layers_is_the_input():
    report = plan_data({"input": [1, 28, 28], "layers": []})
    assert network_metrics(report).peak_activation_bytes == 28 * 28 * 4
