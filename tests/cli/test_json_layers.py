"""`--format json` writes each layer from the row and its metrics without building dicts first.

The text must be exactly what encoding Report.to_dict() gives: the object indented, each layer and
each diagnostic compact on a line of its own. The reference below encodes to_dict() with json.
"""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.render.json_format import render_json
from planner import plan_data, plan_text

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "tests" / "check" / "cases").glob("*/*.*ml")) \
    + sorted((ROOT / "tests" / "cases" / "bad").iterdir())


def _reference(data: dict, margin: str) -> str:
    compact = json.JSONEncoder(separators=(", ", ": ")).encode
    lines = []
    for key, value in data.items():
        head = f"{margin}  {json.dumps(key)}: "
        if key in ("layers", "diagnostics") and value:
            items = ",\n".join(f"{margin}    {compact(item)}" for item in value)
            lines.append(f"{head}[\n{items}\n{margin}  ]")
        else:
            lines.append(head + compact(value))
    return "{\n" + ",\n".join(lines) + f"\n{margin}}}"


def reference_json(reports, single: bool) -> str:
    if single:
        return _reference(reports[0].to_dict(), "") + "\n"
    if not reports:
        return "[]\n"
    return "[\n" + ",\n".join("  " + _reference(r.to_dict(), "  ") for r in reports) + "\n]\n"


def _plan_file(path: Path):
    return plan_text(path.read_bytes().decode("utf-8", "replace"), str(path))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_spec_is_written_as_its_to_dict(path):
    report = _plan_file(path)
    assert render_json([report], True) == reference_json([report], True)


def test_several_reports_and_none():
    reports = [_plan_file(path) for path in SPECS[:6]]
    assert render_json(reports, False) == reference_json(reports, False)
    assert render_json([], False) == "[]\n"


# Layer names and inputs with characters JSON escapes; fractional jumps (upsampling, transposed
# convolution) and keras layouts.
NAMES = st.text(alphabet=st.sampled_from('ab_"\\\n\té€😀\u202e'), min_size=1, max_size=6)
LAYERS = st.sampled_from([
    {"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}}, {"max_pool2d": 2}, "relu", "flatten",
    {"upsample2d": {"scale_factor": 2}}, {"conv_transpose2d": {"filters": 2, "kernel_size": 3, "stride": 2}},
    {"dense": {"units": 3}}, {"conv2d": {"filters": 4, "kernel_size": 9}}, "batch_norm2d",
])


@st.composite
def specs(draw):
    layers = []
    for layer in draw(st.lists(LAYERS, min_size=0, max_size=8)):
        if draw(st.booleans()):
            layer = {"type": layer} if isinstance(layer, str) else {**layer}
            layer["name"] = draw(NAMES)
        layers.append(layer)
    framework = draw(st.sampled_from(["torch", "keras"]))
    shape = [3, 12, 12] if framework == "torch" else [12, 12, 3]
    return {"framework": framework, "input": shape, "name": draw(st.none() | NAMES), "layers": layers}


@settings(max_examples=200, deadline=None)
@given(specs())
def test_random_reports_are_written_as_their_to_dict(spec):
    report = plan_data(spec)
    assert render_json([report], True) == reference_json([report], True)


def test_a_stack_longer_than_one_batch_of_lines():
    cycle = [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}}, "batch_norm2d", "relu",
             {"max_pool2d": 2}, {"upsample2d": {"scale_factor": 2}}]
    report = plan_data({"input": [8, 16, 16], "layers": cycle * 1000})
    assert len(report.layers) > 4096  # cli/render/json_format.py joins 4,096 layers at a time
    assert render_json([report], True) == reference_json([report], True)
