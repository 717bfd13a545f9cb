"""One diagnostic layout wherever a problem is printed as a line, `FILE:LINE:COL: SEVERITY CODE name:
message` (the gcc/ruff shape), and one shape notation in messages (64x64x32; lists only in JSON)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from layerplan.main import cli

FAILED_EXPECT = "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3}\nexpect:\n  output: [8, 28, 28]\n"
LINE = "{path}:5:3: error LP401 expect-failed: expected the output 8x28x28, planned 8x26x26"
#: a tuple or a list of sizes inside a message: (16384,) or [32, 32, 32]
BRACKETED_SHAPE = re.compile(r"[\(\[]\d+(, \d+)*,?[\)\]]")


def run(args):
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None, "COLUMNS": "300"}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", [
    ["plan"], ["plan", "--format", "shape"], ["plan", "--format", "params"], ["plan", "--format", "csv"],
    ["plan", "--quiet"], ["check"], ["explain"], ["solve", "expect"],
])
def test_every_command_prints_the_same_line(tmp_path, command):
    path = tmp_path / "failing.yaml"
    path.write_text(FAILED_EXPECT)
    head = 2 if command[0] == "solve" else 1
    code, out, err = run([*command[:head], str(path), *command[head:]])
    assert code == (0 if command[0] == "solve" else 1)  # solve finds a fix
    lines = [line.strip() for line in (out + err).splitlines()]
    assert LINE.format(path=path) in lines, out + err


def test_json_keeps_lists_and_the_same_message(tmp_path):
    path = tmp_path / "failing.yaml"
    path.write_text(FAILED_EXPECT)
    _, out, _ = run(["plan", str(path), "--format", "json"])
    report = json.loads(out)
    assert report["output"] == [8, 26, 26]
    assert report["diagnostics"][0]["message"] == "expected the output 8x28x28, planned 8x26x26"


@pytest.mark.parametrize("arguments", [
    ["-i", "16x32x32", "reshape:[32,32,32]"],           # reshape mismatch
    ["-i", "3x8x8", "linear:4"],                         # dense on an unflattened input
    ["-i", "8x8", "batch_norm2d"],                       # wrong rank
    ["-i", "128x128x3", "conv2d:8,3"],                   # the layout warning
])
def test_messages_write_shapes_with_x(arguments):
    code, out, err = run(["plan", *arguments, "--format", "json"])
    messages = [d["message"] for d in json.loads(out)["diagnostics"]]
    assert messages, out + err
    for message in messages:
        # a target_shape suggestion is a spec value and may be written as the spec writes it
        shown = message.split("use target_shape")[0]
        assert not BRACKETED_SHAPE.search(shown), message
