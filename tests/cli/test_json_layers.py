"""`--format json`: the report object indented, each layer and each diagnostic compact on one line of its
own (readable and greppable), written in pieces as the layers are made."""

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layerplan.render.json_format import json_pieces, render_json
from layerplan.planner import plan_data, plan_text

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "tests" / "check" / "cases").glob("*/*.*ml")) \
    + sorted((ROOT / "tests" / "cases" / "bad").iterdir())

TINY = {"name": "tiny", "input": [1, 5, 5],
        "layers": [{"conv2d": {"filters": 2, "kernel_size": 2, "stride": 2}}, "flatten"]}
TINY_JSON = """\
{
  "file": "<spec>",
  "name": "tiny",
  "framework": "torch",
  "input": [1, 5, 5],
  "output": [8],
  "outputs": {"flatten_1": [8]},
  "layers": [
    {"index": 1, "name": "conv2d_1", "type": "conv2d", "input": [1, 5, 5], "output": [2, 2, 2], "params": 10, "trainable_params": 10, "non_trainable_params": 0, "inputs": ["input"], "block": null, "macs": 32, "flops": 64, "other_ops": 8, "activation_bytes": 32, "param_bytes": 40, "receptive_field": [{"size": 2, "jump": 2, "start": 0}, {"size": 2, "jump": 2, "start": 0}]},
    {"index": 2, "name": "flatten_1", "type": "flatten", "input": [2, 2, 2], "output": [8], "params": 0, "trainable_params": 0, "non_trainable_params": 0, "inputs": ["conv2d_1"], "block": null, "macs": 0, "flops": 0, "other_ops": 0, "activation_bytes": 32, "param_bytes": 0, "receptive_field": null}
  ],
  "total_params": 10,
  "trainable_params": 10,
  "non_trainable_params": 0,
  "total_macs": 32,
  "total_flops": 64,
  "total_other_ops": 8,
  "peak_activation_bytes": 132,
  "total_activation_bytes": 64,
  "param_bytes": 40,
  "batch": 1,
  "dtype": "float32",
  "diagnostics": [
    {"severity": "warning", "code": "LP301", "name": "dropped-input", "layer": 1, "line": null, "column": null, "pointer": "/layers/0/conv2d/stride", "message": "axis H: the last 1 input rows of 5 are never read ((5 + 0 - 2) mod 2 = 1); an input of 4 or 6, or 1 more padding after, would read every cell", "fix": "padding=1 gives 2x3x3"},
    {"severity": "warning", "code": "LP301", "name": "dropped-input", "layer": 1, "line": null, "column": null, "pointer": "/layers/0/conv2d/stride", "message": "axis W: the last 1 input columns of 5 are never read ((5 + 0 - 2) mod 2 = 1); an input of 4 or 6, or 1 more padding after, would read every cell", "fix": "padding=1 gives 2x3x3"}
  ],
  "ok": true
}
"""


def test_the_layout_of_one_report():
    assert render_json([plan_data(TINY)], True) == TINY_JSON


def test_several_reports_are_an_array_of_the_single_layouts_indented():
    reports = [plan_data(TINY), plan_data({**TINY, "layers": []}), plan_data({**TINY, "name": None})]
    singles = [textwrap.indent(render_json([report], True).rstrip("\n"), "  ") for report in reports]
    assert render_json(reports, False) == "[\n" + ",\n".join(singles) + "\n]\n"
    assert render_json([], False) == "[]\n"


def lines_of(text: str, key: str) -> list[str]:
    """The lines of the items of one list field of a report's text (an empty list is `[]` on its key's line)."""
    lines = text.splitlines()
    if f'  "{key}": [],' in lines:
        return []
    opening = lines.index(f'  "{key}": [')
    return lines[opening + 1:lines.index("  ],", opening)]


def assert_written_as_its_to_dict(report) -> None:
    text = render_json([report], True)
    data = report.to_dict()
    assert json.loads(text) == data
    for key in ("layers", "diagnostics"):
        lines = lines_of(text, key)
        assert [json.loads(line.removeprefix("    ").removesuffix(",")) for line in lines] == data[key]


def _plan_file(path: Path):
    return plan_text(path.read_bytes().decode("utf-8", "replace"), str(path))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_spec_is_written_as_its_to_dict_one_layer_a_line(path):
    assert_written_as_its_to_dict(_plan_file(path))


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


@settings(max_examples=100, deadline=None)
@given(specs())
def test_random_reports_are_written_as_their_to_dict_one_layer_a_line(spec):
    assert_written_as_its_to_dict(plan_data(spec))


def test_a_large_report_is_written_in_pieces_of_a_layer_or_less():
    cycle = [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}}, "batch_norm2d", "relu",
             {"max_pool2d": 2}, {"upsample2d": {"scale_factor": 2}}]
    report = plan_data({"input": [8, 16, 16], "layers": cycle * 1000})
    pieces = list(json_pieces([report], True))
    longest_layer = max(len(json.dumps(layer)) for layer in report.to_dict()["layers"])
    assert max(map(len, pieces)) <= longest_layer + len(",\n    ")
    assert json.loads("".join(pieces)) == report.to_dict()
