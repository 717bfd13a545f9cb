"""Sizes taken from another tensor (resize_to, pad_to, crop_to) and the custom layer with a stated
output (lambda): their shapes, errors, explanations, and `solve input` on a spec that uses them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from layerplan.planner import plan_data
from layerplan.planner.explain import explain_report

ROOT = Path(__file__).resolve().parents[2]


def _one(type_name: str, x, reference, framework: str = "torch", **options):
    return plan_data({"framework": framework, "inputs": {"x": list(x), "ref": list(reference)},
                      "layers": [{type_name: {"inputs": ["x", "ref"], **options}}]})


@pytest.mark.parametrize("type_name, x, reference, framework, output, pads", [
    ("pad_to", (8, 24, 24), (4, 25, 25), "torch", (8, 25, 25), [(0, 1), (0, 1)]),
    ("pad_to", (8, 24, 20), (4, 27, 21), "torch", (8, 27, 21), [(1, 2), (0, 1)]),
    ("pad_to", (8, 9, 9), (4, 6, 5), "torch", (8, 6, 5), [(-2, -1), (-2, -2)]),  # -3 // 2 == -2
    ("pad_to", (24, 24, 8), (25, 25, 4), "keras", (25, 25, 8), [(0, 1), (0, 1)]),
    ("pad_to1d", (2, 7), (1, 10), "torch", (2, 10), [(1, 2)]),
    ("crop_to", (8, 64, 64), (4, 56, 56), "torch", (8, 56, 56), [(-4, -4), (-4, -4)]),
    ("crop_to", (25, 25, 8), (24, 24, 1), "keras", (24, 24, 8), [(0, -1), (0, -1)]),  # 1 // 2 == 0 before
    ("crop_to3d", (1, 5, 6, 7), (1, 2, 6, 4), "torch", (1, 2, 6, 4), [(-1, -2), (0, 0), (-1, -2)]),
    ("resize_to", (8, 7, 9), (1, 14, 18), "torch", (8, 14, 18), []),
    ("resize_to", (7, 9, 8), (5, 3, 1), "keras", (5, 3, 8), []),
    ("resize_to1d", (3, 5), (1, 11), "torch", (3, 11), []),
])
def test_outputs(type_name, x, reference, framework, output, pads):
    report = _one(type_name, x, reference, framework)
    assert report.ok and report.layers[0].output == output and report.layers[0].params == 0
    assert [(g.pad_before, g.pad_after) for g in report.layers[0].geometry] == pads


@pytest.mark.parametrize("type_name, x, reference, framework, options, code, words", [
    ("crop_to", (8, 20, 20), (4, 24, 20), "torch", {}, "LP213", "axis H: the reference 'ref' is 24, larger than 'x' 20"),
    ("pad_to", (8, 20, 20), (4, 20), "torch", {}, "LP213", "has rank 2, but 'x' [8, 20, 20] has rank 3"),
    ("resize_to3d", (4, 4, 4, 2), (8, 8, 8, 1), "keras", {}, "LP201", "keras has no 3-D resizing layer"),
    ("resize_to", (8, 4, 4), (1, 8, 8), "torch", {"mode": "linear"}, "LP108", "works on 1-D inputs only"),
    ("resize_to", (4, 4, 8), (8, 8, 1), "keras", {"mode": "trilinear"}, "LP108", "no interpolation 'trilinear'"),
    ("resize_to", (8, 4, 4), (1, 8, 8), "torch", {"size": 2}, "LP107", "has no option 'size'"),
])
def test_errors(type_name, x, reference, framework, options, code, words):
    report = _one(type_name, x, reference, framework, **options)
    errors = [d for d in report.diagnostics if d.is_error]
    assert [d.code for d in errors] == [code] and words in errors[0].message, errors


def test_one_input_is_not_enough():
    report = plan_data({"input": [8, 8, 8], "layers": [{"pad_to2d": {}}]})
    assert [d.code for d in report.diagnostics] == ["LP115"] or not report.ok


def test_the_explanation_shows_the_split_of_the_difference():
    report = _one("pad_to", (8, 24, 20), (4, 27, 21))
    axes = explain_report(report)[0].axes
    assert axes[0].steps == ["diff = 27 - 24 = 3", "before = diff // 2 = 1", "after = diff - diff // 2 = 2",
                             "o = 24 + 1 + 2 = 27"]
    assert axes[1].padding == ["0 left, 1 right"]


@pytest.mark.parametrize("inputs, options, output", [
    ({"mu": [32], "logvar": [32]}, {}, (32,)),
    ({"a": [4, 6]}, {"output": ["x[0] * 2", "x[-1] // 2"]}, (8, 3)),
    ({"a": [4, 6], "b": [5]}, {"output": "x1"}, (5,)),
    ({"a": [4, 6], "b": [5]}, {"output": ["x1[0]", "x0[1]", 7]}, (5, 6, 7)),
])
def test_custom_layer_outputs_and_the_note(inputs, options, output):
    report = plan_data({"inputs": inputs, "layers": [{"lambda": {"inputs": list(inputs), **options}}]})
    assert report.ok and report.layers[0].output == output and report.layers[0].params == 0
    notes = [d for d in report.diagnostics if d.code == "LP330"]
    assert len(notes) == 1 and notes[0].severity.value == "info" and "as stated" in notes[0].message


@pytest.mark.parametrize("inputs, options, code, words", [
    ({"a": [4], "b": [5]}, {}, "LP213", "output: same needs every input to have one shape"),
    ({"a": [4]}, {"output": "x2"}, "LP108", "this layer has 1 input(s)"),
    ({"a": [4]}, {"output": ["x[1]"]}, "LP108", "x[1] is out of range"),
    ({"a": [4]}, {"output": ["x[0] - 4"]}, "LP202", "is 0; sizes are positive"),
    ({"a": [4]}, {"output": ["x[0] +"]}, "LP108", "axis 0 'x[0] +': expected a number"),
    ({"a": [4]}, {"output": "double"}, "LP108", "expected same, an input"),
    ({"a": [4]}, {"output": [0]}, "LP108", "sizes are positive, got 0"),
])
def test_custom_layer_errors(inputs, options, code, words):
    report = plan_data({"inputs": inputs, "layers": [{"lambda": {"inputs": list(inputs), **options}}]})
    errors = [d for d in report.diagnostics if d.is_error]
    assert [d.code for d in errors] == [code] and words in errors[0].message, errors


def test_solve_input_on_a_spec_that_pads_to_its_skips():
    """The U-Net that pads to its skips plans at every size; `solve input` then asks only for pooling
    that reads every cell (multiples of 16), where the fixed-size one fits no size near 100."""
    from layerplan.planner.solve import solve_input

    data = yaml.safe_load((ROOT / "examples" / "unet_any_size.yaml").read_text(encoding="utf-8"))
    result = solve_input(data, near=100)
    assert result.valid == [64, 80, 96, 112, 128, 144]
    for size in (37, 101, 150):
        report = plan_data({**data, "input": [3, size, size]})
        assert report.output == (2, size, size) and not [d for d in report.diagnostics if d.is_error]
