"""select and slice: the shape each framework gives, what it refuses, and how the layer is written,
explained, ported and mapped for the receptive field.

Each planning row: framework, sample shape, layer, and the expected output shape or the diagnostic
name of the error the framework's behaviour gives (the differential test against torch and keras is
tests/oracle/test_shape_ops_oracle.py).
"""

import pytest
from hypothesis import given, strategies as st

from layerplan.planner import plan_data
from layerplan.planner.explain import explain_report
from layerplan.planner.kinds import KINDS
from layerplan.planner.kinds.axis_maps import slice_field
from layerplan.planner.kinds.indexing import sliced_length, subscript
from layerplan.planner.port import port_spec

T, K = "torch", "keras"

CASES = [
    # select: one position, the axis dropped; a negative index counts from the end
    (T, [10, 16], {"select": {"axis": 1, "index": -1}}, (16,)),
    (T, [10, 16], {"select": {"dim": 2, "index": 0}}, (10,)),
    (T, [3, 8, 8], {"select": {"axis": -1, "index": 7}}, (3, 8)),
    (T, [5], {"select": {"axis": 1, "index": 2}}, ()),  # a per-sample scalar
    (K, [10, 16], {"select": {"axis": 1, "index": -10}}, (16,)),
    (K, [10, 16], {"select": {"axis": -1, "index": 15}}, (10,)),
    (T, [10, 16], {"select": {"axis": 1, "index": 10}}, "index-out-of-range"),
    (K, [10, 16], {"select": {"axis": 1, "index": -11}}, "index-out-of-range"),
    (T, [10, 16], {"select": {"axis": 0, "index": 0}}, "bad-axis"),
    (K, [10, 16], {"select": {"axis": 3, "index": 0}}, "bad-axis"),
    (T, [10, 16], {"select": {"axis": 1}}, "missing-option"),
    (T, [10, 16], {"select": {"axis": 1, "index": 1.0}}, "bad-option-value"),
    # slice: Python's start:stop:step, bounds clamped
    (T, [3, 8, 8], {"slice": {"axis": 2, "start": 0, "stop": -1, "step": 1}}, (3, 7, 8)),
    (T, [3, 9], {"slice": {"axis": 2, "stop": -2}}, (3, 7)),  # Chomp1d
    (T, [3, 9], {"slice": {"axis": -1, "start": 1, "step": 2}}, (3, 4)),
    (T, [3, 5], {"slice": {"axis": 2, "start": -10, "stop": 10, "step": 3}}, (3, 2)),
    (T, [3, 5], {"slice": {"axis": 2, "start": None, "stop": None}}, (3, 5)),
    (K, [5, 4], {"slice": {"axis": 1, "step": -2}}, (3, 4)),  # keras tensors take a negative step
    (K, [5, 4], {"slice": {"axis": 1, "start": 3, "stop": 0, "step": -1}}, (3, 4)),
    (T, [5, 4], {"slice": {"axis": 1, "step": -1}}, "bad-option-value"),  # torch refuses it
    (K, [5, 4], {"slice": {"axis": 1, "step": 0}}, "bad-option-value"),
    (T, [5, 4], {"slice": {"axis": 1, "start": 3, "stop": 1}}, "non-positive-output"),  # empty
    (K, [5, 4], {"slice": {"axis": 2, "start": 9}}, "non-positive-output"),
    (T, [5, 4], {"slice": {"axis": 0, "stop": 1}}, "bad-axis"),
    (T, [5, 4], {"slice": {"axis": 1, "start": "a"}}, "bad-option-value"),
]


@pytest.mark.parametrize("framework, shape, layer, expected", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_indexing(framework, shape, layer, expected):
    report = plan_data({"framework": framework, "input": shape, "layers": [layer]})
    if isinstance(expected, str):
        assert expected in [d.name for d in report.errors], [d.message for d in report.diagnostics]
        return
    assert report.ok and not report.warnings, [d.message for d in report.diagnostics]
    assert report.layers[0].output == expected and report.layers[0].params == 0


@given(length=st.integers(1, 12), start=st.none() | st.integers(-15, 15), stop=st.none() | st.integers(-15, 15),
       step=st.integers(-4, 4).filter(bool))
def test_a_slice_takes_what_python_takes(length, start, stop, step):
    taken = len(list(range(length))[start:stop:step])
    assert sliced_length(length, start, stop, step) == taken
    report = plan_data({"framework": "keras", "input": [length, 2],
                        "layers": [{"slice": {"axis": 1, "start": start, "stop": stop, "step": step}}]})
    assert report.output == ((taken, 2) if taken else None)


@given(rank=st.integers(1, 4), data=st.data())
def test_the_written_subscript_indexes_the_axis_named(rank, data):
    axis = data.draw(st.integers(1, rank) | st.integers(-rank, -1))
    items = subscript(axis, rank, "7")[1:-1].split(", ")
    assert set(items) <= {":", "...", "7"} and items.count("7") == 1
    consumed = [item for item in items if item != "..."]
    at = items.index("7") if "..." not in items else (rank + 1) - len(consumed) + consumed.index("7")
    assert at == axis % (rank + 1) and len(consumed) <= rank + 1


@pytest.mark.parametrize("framework, layer, written", [
    (T, {"select": {"axis": 1, "index": -1}}, "x = x[:, -1]  # (8,)"),
    (K, {"select": {"axis": -1, "index": 0}}, "x = inputs[..., 0]  # (6,)"),
    (T, {"slice": {"axis": 2, "stop": -2}}, "x = x[:, :, :-2]  # (6, 6)"),
    (K, {"slice": {"axis": 1, "start": 1, "step": 2}}, "x = inputs[:, 1::2]  # (3, 8)"),
])
def test_export_writes_the_subscript(framework, layer, written):
    from layerplan.planner.export import export_report

    report = plan_data({"framework": framework, "input": [6, 8], "layers": [layer]})
    assert written in export_report(report).text


def test_explain_shows_the_arithmetic():
    report = plan_data({"input": [3, 10], "layers": [{"slice": {"axis": 2, "start": 2, "stop": -1, "step": 2}},
                                                     {"select": {"axis": -1, "index": -1}}]})
    sliced, selected = explain_report(report)
    assert sliced.channels[0] == ("axis 2 (size 10) [2:-1:2]: from 2 up to 9 (bounds from the end add 10, then clamp "
                                  "to the axis) by 2: ceil((9 - 2) / 2) = 4 positions")
    assert "position -1 (-1 + 4 = 3) of axis -1, which is dropped" in selected.channels[0]


@pytest.mark.parametrize("source, shape, layer, ported", [
    # an image: the axis moves with the channel axis
    (T, [8, 4, 5], {"slice": {"axis": 1, "stop": 4}}, {"slice": {"axis": 3, "stop": 4}}),
    (T, [8, 4, 5], {"select": {"dim": 2, "index": -1}}, {"select": {"axis": 1, "index": -1}}),
    (K, [4, 5, 8], {"slice": {"axis": -1, "start": 2}}, {"slice": {"axis": 1, "start": 2}}),
])
def test_port_moves_the_axis(source, shape, layer, ported):
    result = port_spec({"framework": source, "input": shape, "layers": [layer]})
    assert result.data["layers"] == [ported] and result.exact


def test_port_of_a_sequence_keeps_the_axis():
    spec = {"framework": "keras", "input": [10, 16], "layers": [{"lstm": {"units": 8, "return_sequences": True}},
                                                                 {"slice": {"axis": 1, "stop": -1}},
                                                                 {"select": {"axis": 1, "index": -1}}]}
    result = port_spec(spec)
    assert result.data["layers"][1:] == [{"slice": {"axis": 1, "stop": -1}}, {"select": {"dim": 1, "index": -1}}]
    assert result.exact


def test_receptive_field_through_a_spatial_slice():
    report = plan_data({"input": [3, 8, 8], "layers": [{"slice": {"axis": 2, "start": 1, "step": 2}}]})
    rows_map, cols_map = slice_field(report.layers[0], "torch")
    assert [(rows_map.lo(j), rows_map.hi(j)) for j in range(4)] == [(1, 1), (3, 3), (5, 5), (7, 7)]
    assert (cols_map.lo(5), cols_map.hi(5)) == (5, 5)
    assert KINDS["select"].receptive_field(report.layers[0], "torch") is None


@pytest.mark.parametrize("framework, arguments, output", [
    (T, ["select:1,-1"], "16"),
    (T, ["slice:2,0,-1"], "10x15"),
    (K, ["slice:axis=1,step=3"], "4x16"),
])
def test_command_line_layers(framework, arguments, output):
    from click.testing import CliRunner

    from layerplan.main import cli

    result = CliRunner().invoke(cli, ["plan", "-f", framework, "-i", "10x16", *arguments, "--format", "shape"])
    assert (result.exit_code, result.output.strip()) == (0, output)
