"""A status of 1 always says why on standard error, in one summary line per failing spec (as `plan`
does), while the findings stay where each format puts them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli

FAILED_EXPECT = "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3}\nexpect:\n  output: [8, 28, 28]\n"
PROBLEM = "5:3: LP401 error: expected the output [8, 28, 28], planned [8, 26, 26]\n"
WARNED = "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 3, stride: 2}\n"
GOOD = "input: [1, 8, 8]\nlayers:\n  - flatten\n"


def run(args):
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def specs(tmp_path):
    for name, text in [("failing.yaml", FAILED_EXPECT), ("warned.yaml", WARNED), ("good.yaml", GOOD)]:
        (tmp_path / name).write_text(text)
    return tmp_path


def test_check_text(specs):
    path = specs / "failing.yaml"
    assert run(["check", str(path)]) == (
        1, f"{path}:{PROBLEM}1 file checked: 1 error, 0 warnings (1 file with problems)\n",
        f"layerplan: {path}: 1 error\n")


def test_check_quiet_still_says_why(specs):
    path = specs / "failing.yaml"
    assert run(["check", "-q", str(path)]) == (1, f"{path}:{PROBLEM}", f"layerplan: {path}: 1 error\n")


def test_check_json_keeps_the_findings_in_the_report(specs):
    path = specs / "failing.yaml"
    code, out, err = run(["check", str(path), "--format", "json"])
    assert code == 1 and json.loads(out)[0]["ok"] is False
    assert err == f"1 file checked: 1 error, 0 warnings (1 file with problems)\nlayerplan: {path}: 1 error\n"


def test_check_one_line_per_failing_spec(specs):
    failing, warned, good = specs / "failing.yaml", specs / "warned.yaml", specs / "good.yaml"
    code, _, err = run(["check", "-q", str(failing), str(warned), str(good)])
    assert (code, err) == (1, f"layerplan: {failing}: 1 error\n")
    code, _, err = run(["check", "-q", "--strict", str(failing), str(warned), str(good)])
    assert (code, err) == (1, f"layerplan: {failing}: 1 error\nlayerplan: {warned}: 2 warnings (--strict)\n")


def test_check_passing_is_quiet_on_stderr(specs):
    code, out, err = run(["check", str(specs / "warned.yaml"), str(specs / "good.yaml")])
    assert (code, err) == (0, "") and out.endswith("2 files checked: 0 errors, 2 warnings (1 file with problems)\n")


@pytest.mark.parametrize("output_format", ["table", "json"])
def test_explain_says_why_on_stderr(specs, output_format):
    path = specs / "failing.yaml"
    code, out, err = run(["explain", str(path), "--format", output_format])
    assert (code, err) == (1, f"layerplan: {path}: 1 error\n")
    assert "expected the output [8, 28, 28]" in out  # the finding stays in the explanation


def test_explain_passing_is_quiet_on_stderr(specs):
    code, out, err = run(["explain", str(specs / "good.yaml")])
    assert (code, err) == (0, "") and out
