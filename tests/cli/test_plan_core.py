"""`layerplan plan` as scripts see it: (exit status, stdout, stderr) for good, bad and unreadable specs."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan.main import cli

ROOT = Path(__file__).resolve().parents[2]
GOOD = "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 32, kernel_size: 3, padding: same}\n"
INVALID = "input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 32, kernel_size: 5}\n"
WARNING = "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 3, stride: 2}\n"
BROKEN_YAML = "input: [1, 4, 4\nlayers: []\n"


def run(args, stdin=None):
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def spec_files(tmp_path):
    files = {}
    for name, text in {"good.yaml": GOOD, "invalid.yaml": INVALID, "warning.yaml": WARNING,
                       "broken.yaml": BROKEN_YAML}.items():
        (tmp_path / name).write_text(text)
        files[name] = str(tmp_path / name)
    return files


def test_good_spec_json(spec_files):
    code, out, err = run(["plan", spec_files["good.yaml"], "--format", "json"])
    report = json.loads(out)
    assert (code, err) == (0, "")
    assert report["ok"] and report["output"] == [32, 28, 28] and report["total_params"] == 320
    assert report["file"] == spec_files["good.yaml"]


def test_invalid_spec_exits_1_with_the_error_pinned(spec_files):
    code, out, _ = run(["plan", spec_files["invalid.yaml"], "--format", "json"])
    report = json.loads(out)
    assert code == 1 and not report["ok"] and report["output"] is None
    (diagnostic,) = report["diagnostics"]
    assert (diagnostic["code"], diagnostic["layer"], diagnostic["line"]) == ("LP203", 1, 3)


@pytest.mark.parametrize("name, words", [("missing.yaml", "no such file"), ("broken.yaml", ":2:")])
def test_unreadable_spec_exits_2_with_a_message_on_stderr(spec_files, tmp_path, name, words):
    path = spec_files.get(name, str(tmp_path / name))
    code, out, err = run(["plan", path, "--format", "json"])
    assert code == 2 and words in err and "Traceback" not in err + out
    assert json.loads(out)["ok"] is False


def test_several_specs_give_an_array_and_the_worst_status(spec_files):
    code, out, _ = run(["plan", spec_files["good.yaml"], spec_files["invalid.yaml"], "--format", "json"])
    assert code == 1 and [r["ok"] for r in json.loads(out)] == [True, False]
    code, out, _ = run(["plan", spec_files["invalid.yaml"], spec_files["broken.yaml"], "--format", "jsonl"])
    assert code == 2 and len(out.splitlines()) == 2


def test_stdin_with_a_display_name():
    code, out, _ = run(["plan", "-", "--stdin-filename", "model.yaml", "--format", "json"], stdin=GOOD)
    assert code == 0 and json.loads(out)["file"] == "model.yaml"
    code, out, _ = run(["plan", "-", "--format", "json"], stdin=GOOD)
    assert json.loads(out)["file"] == "-"


def test_framework_flag_overrides_the_spec(tmp_path):
    spec = tmp_path / "bn.yaml"
    spec.write_text("framework: torch\ninput: [8, 8, 32]\nlayers: [batch_norm]\n")
    assert json.loads(run(["plan", str(spec), "--format", "json"])[1])["total_params"] == 16
    report = json.loads(run(["plan", str(spec), "--format", "json", "--framework", "keras"])[1])
    assert (report["framework"], report["total_params"], report["non_trainable_params"]) == ("keras", 128, 64)


def test_strict_fails_on_warnings(spec_files):
    assert run(["plan", spec_files["warning.yaml"], "--format", "json"])[0] == 0
    assert run(["plan", spec_files["warning.yaml"], "--format", "json", "--strict"])[0] == 1


def test_table_flags_the_mnist_mismatch():
    code, out, _ = run(["plan", str(ROOT / "examples" / "mnist_autoencoder.yaml")])
    assert code == 1
    assert "LP401" in out and "28x28x1" in out and "32x32x1" in out
    assert "28x28x32" in out and "\x1b[" not in out  # not a terminal: no colour codes


def test_bad_command_line_is_status_2():
    assert run(["plan", "--format", "nope", "x.yaml"])[0] == 2
    assert run(["plan"])[0] == 2
