"""explain, diff and the solve/explain/diff command lines."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layerplan.planner import plan_data, plan_text
from layerplan.planner.port import compare_data, move_channels
from layerplan.planner.explain import explain_data, explain_report

ROOT = Path(__file__).resolve().parent.parent.parent
MNIST = ROOT / "examples" / "mnist_autoencoder.yaml"


def run(*args, stdin=None):
    result = subprocess.run([sys.executable, "-m", "layerplan", *args], cwd=ROOT, capture_output=True, text=True,
                            input=stdin, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    return result.returncode, result.stdout, result.stderr


def test_mnist_explanation_answers_the_motivating_question():
    report = plan_text(MNIST.read_text(), "mnist")
    first = explain_report(report, 1)[0]
    text = "\n".join(first.channels + first.params + first.macs)
    # positions are derived, filters are chosen and become the channel axis
    assert "28 x 28 = 784" in text and "not a choice" in text
    assert "filters: 32" in text and "your choice" in text and "channel axis" in text
    assert "3x3 = 9 x input channels 1 / groups 1 x filters 32 = 288" in text
    assert "= 288 weights + 32 biases = 320 params" in text
    assert "225,792 MACs" in text
    pool = explain_report(report, "max_pool2d_3")[0]
    assert "0 before (top), 1 after (bottom)" in "\n".join(pool.axes[0].padding)
    assert "odd pixel after" in "\n".join(pool.axes[0].padding)


@settings(max_examples=120, deadline=None)
@given(length=st.integers(1, 40), kernel=st.integers(1, 7), stride=st.integers(1, 4), dilation=st.integers(1, 3),
       padding=st.one_of(st.integers(0, 4), st.sampled_from(["valid", "same"])),
       framework=st.sampled_from(["torch", "keras"]), family=st.sampled_from(["conv1d", "max_pool1d", "avg_pool1d",
                                                                               "conv_transpose1d"]))
def test_the_last_step_is_the_planned_size(length, kernel, stride, dilation, padding, framework, family):
    options = {"kernel_size": kernel, "stride": stride, "padding": padding}
    if family == "conv1d" or family == "conv_transpose1d":
        options.update(filters=2, dilation=dilation)
    shape = [1, length] if framework == "torch" else [length, 1]
    report = plan_data({"framework": framework, "input": shape, "layers": [{family: options}]})
    if not report.ok:
        return
    (explanation,) = explain_report(report)
    axis = explanation.axes[0]
    out = report.output[-1] if framework == "torch" else report.output[0]
    assert axis.output == out
    last = axis.steps[-1]
    assert int(re.findall(r"-?\d+", last)[-1]) == out, axis.steps
    if axis.sketch:  # the sketch's windows are the ones the size counts, and reach every cell they say
        assert len(axis.sketch["starts"]) == out


def test_sketch_marks_cells_never_read():
    report = plan_data({"input": [1, 8], "layers": [{"conv1d": {"filters": 1, "kernel_size": 3, "stride": 2}}]})
    axis = explain_report(report)[0].axes[0]
    assert axis.sketch["unread"] == [7]
    from layerplan.render.explain import sketch_lines

    lines = sketch_lines(axis.to_dict() if hasattr(axis, "to_dict") else axis.__dict__)
    assert lines[-1].rstrip().endswith("x") and lines[1].endswith("01234567")


def test_explain_layer_lookup():
    report = plan_text(MNIST.read_text(), "mnist")
    assert [e.index for e in explain_report(report, "3")] == [3]
    with pytest.raises(LookupError):
        explain_report(report, "nope")
    data = explain_data(report)
    assert len(data["layers"]) == 13 and data["ok"] is False
    json.dumps(data)


# ---------------------------------------------------------------------------------------------
# diff
# ---------------------------------------------------------------------------------------------

def test_move_channels_round_trip():
    assert move_channels(move_channels([3, 32, 32], "torch"), "keras") == [3, 32, 32]


@pytest.mark.parametrize("layers, needle", [
    (["batch_norm"], "params: torch 16, keras 32"),
    ([{"separable_conv2d": {"filters": 4, "kernel_size": 3}}], "keras has one bias"),
    ([{"conv2d": {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}}], "every window starts"),
    ([{"dense": 4}], "flatten (or global pooling) before it ports exactly"),
])
def test_diff_finds_the_porting_bugs(layers, needle):
    data = compare_data({"framework": "keras", "input": [28, 28, 8], "layers": layers})
    notes = "\n".join(note for row in data["layers"] for note in row["differences"])
    assert needle in notes
    assert data["same"] is False


def test_diff_of_a_portable_spec_is_same():
    data = compare_data({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}},
                                                          "relu", {"max_pool2d": 2}]})
    assert data["same"], data["layers"]
    assert data["input"] == {"torch": [1, 28, 28], "keras": [28, 28, 1]}


# ---------------------------------------------------------------------------------------------
# command lines
# ---------------------------------------------------------------------------------------------

def test_cli_explain_one_layer_form():
    status, out, err = run("explain", "conv2d:32,3,p=same", "-i", "28x28x1", "-f", "keras")
    assert status == 0, err
    assert "looks channels" not in out and "28 x 28 = 784" in out and "320 params" in out


def test_cli_explain_keeps_the_framework_and_warns_about_the_layout():
    """No guess: a channels-last input is explained with torch rules (the default), as `plan` plans it,
    and the layout warning comes first, once."""
    status, out, err = run("explain", "conv2d:32,3,p=same", "-i", "28x28x1")
    assert status == 0, err
    assert out.splitlines()[0] == "<args> · torch · input 28x28x1 -> output 32x28x1"
    assert " ".join(out.split()).count("LP313 layout-mismatch: `-i 28x28x1` looks channels-last: torch reads 28 "
                                       "channels of 28x1; use -f keras or -i 1x28x28") == 1
    assert "8,096 params" in out


def test_cli_explain_spec_json_and_exit_status():
    status, out, err = run("explain", str(MNIST), "--format", "json", "--layer", "6")
    assert status == 1  # the example's expect fails: invalid spec
    data = json.loads(out)
    assert [layer["index"] for layer in data["layers"]] == [6]
    assert any("padding='valid' gives 28x28x1" in fix["text"] for fix in data["spec_fixes"])
    assert run("explain", str(MNIST), "--layer", "99")[0] == 2
    assert run("explain", "missing.yaml")[0] == 2


@pytest.mark.parametrize("args, status, needle", [
    (["solve", "conv", "--in", "28", "--out", "14"], 0, "kernel_size=3, stride=2, padding=1"),
    (["solve", "pool", "--in", "28", "--out", "5", "-f", "keras"], 1, "nearest"),
    (["solve", "transpose", "--in", "7", "--out", "14", "-f", "keras"], 0, "strides=2"),
    (["solve", "expect", str(MNIST)], 0, "padding='valid' gives 28x28x1"),
    (["solve", "input", str(ROOT / "examples" / "unet_encoder.yaml"), "--near", "500", "--ignore-expect"], 0,
     "12 more than a multiple of 16"),
    (["diff", str(MNIST)], 0, "same in both frameworks"),
])
def test_cli_solve_and_diff(args, status, needle):
    code, out, err = run(*args)
    assert code == status, err
    assert needle in out


def test_cli_json_formats():
    code, out, _ = run("solve", "conv", "--in", "9", "--out", "4", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["possible"] and data["solutions"][0]["output"] == 4
    code, out, _ = run("diff", str(MNIST), "--format", "json")
    assert json.loads(out)["source_framework"] == "keras"
    code, out, _ = run("solve", "input", str(MNIST), "--near", "28", "--format", "json")
    assert json.loads(out)["valid"] == []  # the spec's own expect fails for every size


# (wrapped layer on a (steps, ...) sample, words of the explanation: the step, the params, the MACs)
TIME_DISTRIBUTED = [
    ([8, 32, 32, 3], {"conv2d": {"filters": 16, "kernel_size": 3, "padding": "same"}},
     ["the same conv2d on each of the 8 steps: one step 32x32x3 -> 32x32x16",
      "= 432 weights + 16 biases = 448 params, shared by the 8 steps",
      "8 steps x 442,368 MACs of the wrapped layer per step = 3,538,944 MACs"]),
    ([7, 5], {"dense": {"units": 10}},
     ["the same dense on each of the 7 steps: one step 5 -> 10", "= 60 params, shared by the 7 steps",
      "7 steps x 50 MACs of the wrapped layer per step = 350 MACs"]),
    ([3, 4, 4, 2], "flatten", ["the same flatten on each of the 3 steps: one step 4x4x2 -> 32",
                               "0 params (the wrapped flatten's), shared by the 3 steps"]),
]


@pytest.mark.parametrize(("shape", "layer", "words"), TIME_DISTRIBUTED, ids=["conv2d", "dense", "flatten"])
def test_a_layer_on_every_step_is_explained_as_the_wrapped_layer_on_one_step(shape, layer, words):
    spec = {"framework": "keras", "input": shape, "layers": [{"time_distributed": {"layer": layer}}]}
    explained = explain_report(plan_data(spec))[0]
    layer_text = "\n".join(explained.channels + explained.params + explained.macs)
    for word in words:
        assert word in layer_text, layer_text
