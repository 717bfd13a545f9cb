"""`verify --python PATH`: the framework runs in another interpreter (layerplan installed with pipx, the
frameworks in a project's virtual environment); without it, a missing framework says how to point
verify at one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan import verification
from layerplan.main import cli

ROOT = Path(__file__).resolve().parents[2]
STEM = str(ROOT / "examples" / "resnet_stem.yaml")


def run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _python_without_torch() -> str | None:
    """A Python interpreter of this machine that cannot import torch (None when there is none)."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists() and Path(candidate).resolve() != Path(sys.executable).resolve():
            found = subprocess.run([candidate, "-I", "-c", "import torch"], capture_output=True, timeout=60)
            if found.returncode != 0:
                return candidate
    return None


BARE = _python_without_torch()


@pytest.mark.parametrize("python, words", [
    (None, ["install it (pip install torch==2.13.0)", "verify --python PATH"]),
    ("/opt/tools/python", ["which /opt/tools/python cannot import", "install it there", "give --python"]),
])
def test_a_missing_framework_says_where_to_find_one(python, words):
    message = verification.missing_message("torch", "No module named 'torch'", python)
    assert all(word in message for word in words)


@pytest.mark.parametrize("path, words", [("/nonexistent/python", "does not exist"), (".", "is a directory")])
def test_python_must_be_a_file(path, words):
    status, _, err = run(["verify", STEM, "--python", path])
    assert status == 2 and words in err


@pytest.mark.process
def test_a_python_that_is_not_python_is_not_a_verdict():
    false = shutil.which("false")
    if false is None:
        pytest.skip("no `false` command")
    status, out, err = run(["verify", STEM, "--python", false])
    assert (status, out) == (2, "") and "--python takes a Python interpreter" in err


@pytest.mark.process
@pytest.mark.skipif(BARE is None, reason="no Python without torch on this machine")
def test_the_interpreter_named_is_the_one_asked():
    status, out, err = run(["verify", STEM, "--python", BARE])
    assert (status, out) == (2, "")
    assert f"which {BARE} cannot import" in err


@pytest.mark.process
@pytest.mark.skipif(BARE is None, reason="no Python without torch on this machine")
def test_without_python_a_missing_framework_points_to_the_option(monkeypatch):
    monkeypatch.setattr(verification.sys, "executable", BARE)  # layerplan's own Python, without torch
    status, _, err = run(["verify", STEM])
    assert status == 2 and "verify --python PATH" in err


@pytest.mark.framework
def test_the_python_with_the_framework_verifies():
    status, out, err = run(["verify", STEM, "--python", sys.executable])
    assert (status, err) == (0, "") and out.splitlines()[-1].endswith("all 4 layers agree with the plan")
