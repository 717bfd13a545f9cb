"""The pre-commit hook: its entry, run the way pre-commit runs it (the command plus file names)."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from check_helpers import CASES, ROOT, case

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def hook_command(hook_id: str = "layerplan") -> list[str]:
    hook = next(h for h in HOOKS if h["id"] == hook_id)
    command = shlex.split(hook["entry"])
    installed = Path(sys.executable).with_name(command[0])
    return [str(installed) if installed.exists() else command[0], *command[1:]]


def staged(folder: Path) -> list[str]:
    """What pre-commit passes for `types_or: [yaml, json]`: every YAML and JSON file, specs or not."""
    return sorted(str(p.relative_to(ROOT)) for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


def run_hook(files: list[str]) -> subprocess.CompletedProcess:
    env = {"PATH": str(Path(sys.executable).parent), "GITHUB_ACTIONS": "", "HOME": str(ROOT)}
    return subprocess.run([*hook_command(), *files], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)


def test_hook_definition():
    (hook,) = HOOKS
    assert hook["id"] == "layerplan" and hook["language"] == "python"
    assert set(hook["types_or"]) == {"yaml", "json"}
    assert hook.get("pass_filenames", True)


def test_hook_on_examples_reports_what_check_reports():
    files = staged(ROOT / "examples")
    result = run_hook(files)
    direct = subprocess.run([hook_command()[0], "check", "--isolated", "examples"], cwd=ROOT, capture_output=True,
                            text=True, env={"PATH": str(Path(sys.executable).parent), "GITHUB_ACTIONS": ""})
    assert "Traceback" not in result.stderr
    assert result.stdout == direct.stdout
    assert result.returncode == direct.returncode
    assert f"{len(files)} files checked" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize(("folder", "status"), [("good", 0), ("bad", 1), ("unreadable", 2)])
def test_hook_on_case_folders(folder, status):
    result = run_hook(staged(CASES / folder))
    assert result.returncode == status, result.stdout + result.stderr


def test_hook_skips_yaml_that_is_not_a_spec():
    result = run_hook([case("other/workflow.yml"), case("other/report.json"), ".pre-commit-hooks.yaml"])
    assert (result.returncode, result.stdout) == (0, "0 files checked: 0 errors, 0 warnings\n")


def test_hook_checks_a_spec_in_a_hidden_folder_but_not_the_other_files():
    result = run_hook(staged(CASES / "other"))
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == [case("other/.hidden/spec.yaml")]
