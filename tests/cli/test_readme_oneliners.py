"""Every `$ command` in the README's spec-file, one-liner, output-format and completion sections runs as written
and prints what the README shows (read from README.md, so the two cannot drift)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("Spec files", "One-liners", "Output formats")
BIN = str(Path(sys.executable).parent)


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def readme_examples() -> list[tuple[str, str]]:
    """(command, expected stdout) for each `$ ` line of the console blocks in the sections."""
    text = (ROOT / "README.md").read_text()
    examples = []
    for title in SECTIONS:
        for block in re.findall(r"```console\n(.*?)```", _section(text, title), re.S):
            command, expected = None, []
            for line in block.splitlines():
                if line.startswith("$ "):
                    if command is not None:
                        examples.append((command, "".join(expected)))
                    command, expected = line[2:], []
                else:
                    expected.append(line + "\n")
            if command is not None:
                examples.append((command, "".join(expected)))
    return examples


EXAMPLES = readme_examples()


def test_the_sections_have_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_readme_example_runs_as_written(command, expected):
    for tool in ("jq",):
        if re.search(rf"\|\s*{tool}\b", command) and shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": "200"}
    env.pop("FORCE_COLOR", None)
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert "Traceback" not in result.stderr


def test_completion_commands_in_the_readme_exist():
    section = _section((ROOT / "README.md").read_text(), "Shell completion")
    shells = re.findall(r"layerplan completion (\w+)", section)
    assert set(shells) == {"bash", "zsh", "fish"}
    for shell in shells:
        result = subprocess.run([os.path.join(BIN, "layerplan"), "completion", shell], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0 and "_LAYERPLAN_COMPLETE" in result.stdout
