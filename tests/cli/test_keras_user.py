"""What a new Keras user trips over, as (exit status, stdout, stderr) of each command."""

import json

import pytest
from click.testing import CliRunner

from layerplan.main import cli


def run(args, stdin=None):
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def spec(tmp_path, text, name="net.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# --------------------------------------------------------------------------------------------- layout

LAYOUT_ARGS = ("`-i 128x128x3` looks channels-last: torch reads 128 channels of 128x3; "
               "use -f keras or -i 3x128x128")
POOL_ERROR = ("`max_pool2d:2` at `2`: axis W: pool window 2 does not fit the padded input 1 (output size 0); use a "
              "smaller pool_size or more padding (the input looks channels-last: see LP313)")
CHANNELS_LAST = "input: [64, 64, 3]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 1}\n"
LAYOUT_SPEC = ("input 64x64x3 looks channels-last: torch reads 64 channels of 64x3; "
               "use framework: keras or input: [3, 64, 64]")


def test_plan_of_a_channels_last_input_says_so_and_the_error_refers_to_it():
    assert run(["plan", "-i", "128x128x3", "conv2d:32,3", "max_pool2d:2", "--format", "shape"]) == (
        1, "", f"<args>: warning LP313 layout-mismatch: {LAYOUT_ARGS}\n"
               f"<args>: error LP202 non-positive-output: layer 2: {POOL_ERROR}\n")


def test_plan_table_lists_the_layout_warning_once():
    status, out, err = run(["plan", "-i", "128x128x3", "conv2d:32,3", "max_pool2d:2"])
    assert (status, err) == (1, "layerplan: <args>: 1 error, 1 warning\n")
    assert out.count("LP313") == 2  # the warning, and the reference at the end of the error
    assert f"<args>: warning LP313 layout-mismatch: {LAYOUT_ARGS}\n" in out


def test_plan_json_carries_the_warning_pinned_to_the_input():
    status, out, err = run(["plan", "-i", "224x224x3", "conv2d:8,3", "--format", "json"])
    assert (status, err) == (0, "")
    (diagnostic,) = json.loads(out)["diagnostics"]
    assert diagnostic == {
        "severity": "warning", "code": "LP313", "name": "layout-mismatch", "layer": None, "line": None,
        "column": None, "pointer": "/input",
        "message": "`-i 224x224x3` looks channels-last: torch reads 224 channels of 224x3; "
                   "use -f keras or -i 3x224x224"}


@pytest.mark.parametrize("args", [
    ["-i", "3x224x224"],
    ["-i", "224x224x3", "-f", "keras"],
    ["-i", "16x8"],
    ["-i", "16x8", "-f", "keras"],
])
def test_no_warning_where_the_layout_is_plausible(args):
    status, out, err = run(["plan", *args, "identity", "--format", "shape"])
    assert (status, err) == (0, "")


def test_keras_reading_a_channels_first_input():
    assert run(["plan", "-i", "1x28x28", "-f", "keras", "conv2d:32,3", "--format", "shape"]) == (
        1, "", "<args>: warning LP313 layout-mismatch: `-i 1x28x28` looks channels-first: keras reads 28 channels "
               "of 1x28; use -f torch or -i 28x28x1\n"
               "<args>: error LP203 kernel-too-large: layer 1: `conv2d:32,3` at `3`: kernel 3 is larger than the "
               "padded input 1 on axis H (input 1 + padding 0+0); use a kernel <= 1 or more padding (the input "
               "looks channels-first: see LP313)\n")


def test_check_pins_the_warning_to_the_input_line(tmp_path):
    path = spec(tmp_path, "name: rgb\n" + CHANNELS_LAST)
    assert run(["check", path]) == (
        0, f"{path}:2:1: warning LP313 layout-mismatch: {LAYOUT_SPEC}\n1 file checked: 0 errors, 1 warning (1 file with problems)\n",
        "")
    assert run(["check", path, "-f", "keras"]) == (0, "1 file checked: 0 errors, 0 warnings\n", "")
    assert run(["check", "--strict", path])[0] == 1


def test_explain_says_it_once_and_plans_with_the_given_framework(tmp_path):
    path = spec(tmp_path, CHANNELS_LAST)
    status, out, err = run(["explain", path])
    assert (status, err) == (0, "")
    text = " ".join(out.split())
    assert text.startswith(f"{path} · torch · input 64x64x3 -> output 8x64x3 {path}:1:1: warning LP313 layout-mismatch: {LAYOUT_SPEC} ")
    assert text.count("LP313") == 1
    status, out, err = run(["explain", path, "--format", "json"])
    assert [(p["code"], p["line"], p["column"]) for p in json.loads(out)["spec_problems"]] == [("LP313", 1, 1)]


@pytest.mark.parametrize("command", [["solve", "input", "--near", "64"], ["solve", "expect"]])
def test_solve_says_it_once_on_standard_error(tmp_path, command):
    path = spec(tmp_path, CHANNELS_LAST)
    status, out, err = run([*command[:2], path, *command[2:], "--format", "json"])
    assert status == 0
    assert err == f"{path}:1:1: warning LP313 layout-mismatch: {LAYOUT_SPEC}\n"
    json.loads(out)


# --------------------------------------------------------------------------------------------- input_shape

KERAS_FIRST_LAYER = ("framework: keras\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3, input_shape: [28, 28, 1]}\n"
                     "  - max_pool2d: 2\n")


def test_plan_reads_the_first_layers_input_shape(tmp_path):
    path = spec(tmp_path, KERAS_FIRST_LAYER)
    assert run(["plan", path, "--format", "shape"]) == (0, "13x13x8\n", "")
    assert run(["plan", path, "-i", "32x32x1", "--format", "shape"]) == (0, "15x15x8\n", "")


def test_plan_reads_the_top_level_alias(tmp_path):
    path = spec(tmp_path, "framework: keras\ninput_shape: [28, 28, 1]\nlayers: [flatten]\n")
    assert run(["plan", path, "--format", "shape"]) == (0, "784\n", "")
    assert run(["plan", path, "-i", "8x8x2", "--format", "shape"]) == (0, "128\n", "")


def test_check_reports_input_and_input_shape_together(tmp_path):
    path = spec(tmp_path, "input: [16]\ninput_shape: [16]\nlayers:\n  - dense: {units: 4}\n"
                          "  - dense: {units: 2, input_shape: [4]}\n")
    assert run(["check", path]) == (
        1, f"{path}:2:1: error LP111 conflicting-options: input_shape is the Keras name of input: give the shape once, as input: [16] or "
           "input_shape: [16]\n"
           f"{path}:5:23: error LP107 unknown-option: layer 2: input_shape [4]: Keras reads input_shape only on the first layer; remove it (a "
           "layer reads the output of the one before), and give the spec's input shape once, as input: at the top "
           "level\n"
           "1 file checked: 2 errors, 0 warnings (1 file with problems)\n", f"layerplan: {path}: 2 errors\n")


def test_check_finds_specs_that_use_the_alias_in_directories(tmp_path):
    path = spec(tmp_path, "input_shape: [16]\nlayers: [{dense: 4}]\nexpect: {output: [5]}\n", "model.yaml")
    status, out, err = run(["check", str(tmp_path)])
    assert (status, err) == (1, f"layerplan: {path}: 1 error\n")
    assert out.endswith("1 file checked: 1 error, 0 warnings (1 file with problems)\n")


# --------------------------------------------------------------------------------------------- -i and no layers

@pytest.mark.parametrize("shape", ["128x128x3", "128,128,3", "(128,128,3)", "(128, 128, 3)", "[128,128,3]",
                                   " [128, 128, 3] "])
def test_input_shape_written_as_keras_writes_it(shape):
    assert run(["plan", "-i", shape, "-f", "keras", "conv2d:32,3", "max_pool2d:2", "--format", "shape"]) == (
        0, "63x63x32\n", "")


@pytest.mark.parametrize("shape", ["(128,128,3]", "(128,128", "()", "[0,3]", "128x3.5"])
def test_input_shape_that_is_not_one(shape):
    status, out, err = run(["plan", "-i", shape, "flatten"])
    assert (status, out) == (2, "")
    assert err.endswith(f"Error: Invalid value for '--input' / '-i': {shape!r} is not a shape: positive integers "
                        "joined by x or commas, such as 1x28x28 (torch: channels first), 28,28,1 or '(28, 28, 1)' "
                        "(keras: channels last)\n")


@pytest.mark.parametrize("args, command", [
    (["-i", "128x128x3", "-f", "keras"], "layerplan plan -i 128x128x3 -f keras conv2d:32,3 max_pool2d:2"),
    (["-i", "1x28x28"], "layerplan plan -i 1x28x28 conv2d:32,3 max_pool2d:2"),
    (["-i", "2x100"], "layerplan plan -i 2x100 conv1d:32,3 max_pool1d:2"),
    (["-i", "784", "-f", "torch"], "layerplan plan -i 784 -f torch dense:10"),
])
def test_an_input_without_layers_says_what_to_type(args, command):
    status, out, err = run(["plan", *args])
    shape = args[1]
    assert (status, out) == (2, "")
    assert err.endswith(f"Error: no layers to plan on the input {shape}: write them after it, one argument per layer, "
                        f"e.g. {command} (layerplan layers lists the types), or give a spec file\n")
