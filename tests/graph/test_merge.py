"""Merge layers: axis counting, broadcasting per framework, and the fixes their errors suggest."""

import pytest

from layerplan.planner import plan_data


def merge(framework, shapes, layer):
    names = [f"x{i}" for i in range(len(shapes))]
    layer = dict(layer)
    kind = layer.pop("type")
    return plan_data({"framework": framework, "inputs": dict(zip(names, shapes)),
                      "layers": [{kind: {**layer, "inputs": names}}]})


@pytest.mark.parametrize("framework, shapes, axis, output", [
    ("torch", [[3, 4, 5], [2, 4, 5]], None, (5, 4, 5)),
    ("torch", [[3, 4, 5], [3, 4, 6]], -1, (3, 4, 11)),
    ("torch", [[3, 4, 5], [3, 1, 5]], 2, (3, 5, 5)),
    ("keras", [[4, 5, 3], [4, 5, 2]], None, (4, 5, 5)),
    ("keras", [[4, 5, 3], [1, 5, 3]], 1, (5, 5, 3)),
    ("keras", [[4, 5, 3], [4, 5, 3], [4, 5, 3]], -3, (12, 5, 3)),
    ("torch", [[10], [6]], None, (16,)),
])
def test_concatenate_axis(framework, shapes, axis, output):
    layer = {"type": "concatenate", **({} if axis is None else {"axis": axis})}
    report = merge(framework, shapes, layer)
    assert report.ok and report.output == output


@pytest.mark.parametrize("axis", [0, 4, -4])
def test_concatenate_batch_or_out_of_range_axis(axis):
    report = merge("torch", [[3, 4, 5], [3, 4, 5]], {"type": "cat", "axis": axis})
    assert [d.code for d in report.diagnostics] == ["LP212"]


@pytest.mark.parametrize("framework, shapes, output, warned", [
    ("torch", [[8, 4, 4], [8, 4, 4]], (8, 4, 4), False),
    ("torch", [[8, 4, 4], [8, 1, 1]], (8, 4, 4), True),
    ("torch", [[1, 4, 1], [8, 1, 4]], (8, 4, 4), True),
    ("keras", [[4, 4, 8], [8]], (4, 4, 8), True),
    ("keras", [[4, 4, 8], [1, 8]], (4, 4, 8), True),
])
def test_elementwise_broadcasting(framework, shapes, output, warned):
    report = merge(framework, shapes, {"type": "add"})
    assert report.ok and report.output == output
    assert any(d.code == "LP307" for d in report.diagnostics) == warned


@pytest.mark.parametrize("kind", ["Add", "subtract", "Multiply", "average", "maximum", "Minimum"])
def test_elementwise_aliases_and_mismatch(kind):
    report = merge("torch", [[8, 4, 4], [8, 5, 5]], {"type": kind})
    assert not report.ok and report.diagnostics[0].code == "LP213"
    assert "'x0' 8x4x4" in report.diagnostics[0].message and "'x1' 8x5x5" in report.diagnostics[0].message


def test_torch_rejects_elementwise_merges_of_different_ranks():
    report = merge("torch", [[3, 4, 4], [4]], {"type": "add"})
    assert report.diagnostics[0].code == "LP213" and "rank" in report.diagnostics[0].message


def test_unet_skip_fix_is_the_center_crop():
    report = merge("torch", [[512, 64, 64], [512, 56, 56]], {"type": "concatenate"})
    message = report.diagnostics[0].message
    assert "cropping2d: {cropping: [[4, 4], [4, 4]], inputs: x0}" in message
    assert "Cropping2D(((4, 4), (4, 4)))" in message and "zero_padding2d" in message


def test_residual_shortcut_fix_is_a_strided_projection():
    report = merge("torch", [[128, 28, 28], [64, 56, 56]], {"type": "add"})
    assert "conv2d: {filters: 128, kernel_size: 1, stride: 2, bias: false, inputs: x1}" in report.diagnostics[0].message


def test_merges_have_no_params_and_unknown_inputs_give_unknown_output():
    report = plan_data({"input": [3, 8, 8], "layers": [
        {"conv2d": {"filters": 3, "kernel_size": 9, "name": "bad"}}, {"add": {"inputs": ["bad", "input"]}}]})
    assert report.layers[1].output is None and report.layers[1].params == 0
    assert [d.layer for d in report.diagnostics] == [1]
