"""Shared by the `layerplan check` tests: running the command, the case folders, golden files."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from layerplan.main import cli

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: set LAYERPLAN_UPDATE_GOLDEN=1 to rewrite the golden files from the current output
UPDATE = os.environ.get("LAYERPLAN_UPDATE_GOLDEN") == "1"


def run(args, stdin=None, env=None):
    """(exit status, stdout, stderr) of `layerplan ARGS`, never inheriting GITHUB_ACTIONS."""
    environment = {"GITHUB_ACTIONS": None, **(env or {})}
    result = CliRunner().invoke(cli, args, input=stdin, env=environment, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def case(name: str) -> str:
    """A case path relative to the repository root, as a user would type it (tests run from ROOT)."""
    return str((CASES / name).relative_to(ROOT))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (LAYERPLAN_UPDATE_GOLDEN=1 to accept)"
