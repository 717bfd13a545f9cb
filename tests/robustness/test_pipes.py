"""Every command in a `set -o pipefail` pipeline into `head -1`: the reader goes away long before the
output ends, and the command still ends quietly with the status its run earned."""

from __future__ import annotations

import os
import shlex
import subprocess

import pytest

from fuzzing import TRACEBACK_MARKS
from process import ROOT, command

pytestmark = pytest.mark.process

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
#: far more output than a pipe holds, so every command is still writing when `head` leaves
LAYERS = 1500
VALID = "input: [1, 28, 28]\nlayers:\n" + "  - conv2d: {filters: 8, kernel_size: 3, padding: same}\n" * LAYERS
INVALID = ("input: [1, 28, 28]\nlayers:\n"
           + "  - conv2d: {filters: 8, kernel_size: 3, padding: same, bogus: 1}\n" * LAYERS)
PLAN_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown", "shape", "params", "svg", "html", "mermaid", "dot")


@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pipes")
    (folder / "valid.yaml").write_text(VALID)
    (folder / "invalid.yaml").write_text(INVALID)
    (folder / "small.yaml").write_text("input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 5}\n")
    return folder


def into_head(*args: str) -> subprocess.CompletedProcess:
    """`layerplan ARGS | head -1` under `set -o pipefail`: the pipeline's status is layerplan's."""
    line = " ".join(shlex.quote(part) for part in command(*args)) + " | head -1"
    return subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=ROOT, env=ENV, capture_output=True,
                          timeout=120)


def assert_quiet(run: subprocess.CompletedProcess, status: int) -> None:
    stderr = run.stderr.decode()
    assert run.returncode == status, stderr
    for mark in (*TRACEBACK_MARKS, "Broken pipe", "BrokenPipeError", "Exception ignored"):
        assert mark not in stderr, stderr


CASES = [
    *[(("plan", "{valid}", "--format", f), 0) for f in PLAN_FORMATS],
    *[(("plan", "{invalid}", "--format", f), 1) for f in PLAN_FORMATS],
    (("check", "{valid}"), 0),
    (("check", "{invalid}"), 1),
    (("check", "{invalid}", "--format", "jsonl"), 1),
    (("explain", "{valid}"), 0),
    (("explain", "{invalid}"), 1),
    (("explain", "{valid}", "--format", "json"), 0),
    (("solve", "conv", "--in", "224", "--out", "112", "--limit", "0"), 0),
    (("solve", "conv", "--in", "5", "--out", "112"), 1),
    (("solve", "input", "examples/unet_original.yaml", "--near", "572"), 0),
    (("solve", "expect", "{small}"), 0),
    (("layers",), 0),
    (("layers", "--format", "json"), 0),
    (("diff", "--all", "{valid}"), 0),
    (("diff", "--all", "examples/resnet50.yaml"), 1),
    (("diff", "examples/resnet50.yaml", "--format", "json"), 1),
    (("schema",), 0),
    (("completion", "bash"), 0),
]


@pytest.mark.parametrize("args, status", CASES, ids=lambda value: " ".join(value) if isinstance(value, tuple) else None)
def test_every_command_into_head(specs, args, status):
    args = [part.format(valid=specs / "valid.yaml", invalid=specs / "invalid.yaml", small=specs / "small.yaml") for part in args]
    unpiped = subprocess.run(command(*args), cwd=ROOT, env=ENV, capture_output=True, timeout=120)
    assert unpiped.returncode == status, unpiped.stderr.decode()  # the status this run earns
    run = into_head(*args)
    assert_quiet(run, status)
    # a failing run still says why on stderr (a summary line, or the problems themselves); a passing one is silent
    assert bool(run.stderr.strip()) == (status == 1), run.stderr.decode()
