"""Every `$ command` in a console block of README.md and docs/*.md runs as written, from the repository's
top folder, exits 0 and prints what the page shows (read from the pages, so the two cannot drift).

Commands run with bash's `pipefail`, so a command that exits 1 on purpose (an example that fails its
`expect`, `diff` on differences) cannot hide behind a pipe: it says so beside it, `|| echo "exit status
$?"`, and the page shows that line. A command shown with its output is a console block: no page shows
a command block followed by a block of its output that the suite would not run."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = str(Path(sys.executable).parent)


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"the page has no '## {title}' section"
    return match.group(1)


def page_examples() -> list[tuple[str, str]]:
    """(command, expected stdout) for each `$ ` line of the console blocks of the pages."""
    examples = []
    for page in PAGES:
        for block in re.findall(r"```console\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
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


EXAMPLES = page_examples()


def test_the_pages_have_examples():
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_example_runs_as_written(command, expected):
    for tool in ("jq",):
        if re.search(rf"\|\s*{tool}\b", command) and shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": "200"}
    env.pop("FORCE_COLOR", None)
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert "Traceback" not in result.stderr


def _blocks(page: Path) -> list[tuple[str, str]]:
    """(language, body) of each fenced block of a page, in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M)


def _commands(body: str) -> bool:
    return any(line.startswith(("layerplan ", "$ layerplan ", "cat ", "$ ")) for line in body.splitlines())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_command_shown_with_its_output_is_run(page):
    """A shell block's command followed by a plain block of what it prints is a console block instead;
    a plain block that starts with `$ ` is one too, but for `layerplan verify`, which needs the
    frameworks (tests/export/test_verify.py runs it)."""
    blocks = _blocks(page)
    for (language, body), (next_language, next_body) in zip(blocks, blocks[1:]):
        if language in ("bash", "sh", "shell") and next_language in ("", "text") and _commands(body):
            assert next_body.lstrip().startswith(("layerplan ", "$ ")), \
                f"{page.name}: the output of `{body.strip()}` is shown but not run: make it a console block"
    for language, body in blocks:
        if language in ("", "text") and body.startswith("$ "):
            assert body.startswith("$ layerplan verify "), f"{page.name}: `{body.splitlines()[0]}` is not run"


def test_completion_commands_in_the_docs_exist():
    section = _section((ROOT / "docs" / "cli.md").read_text(), "Shell completion")
    shells = re.findall(r"layerplan completion (\w+)", section)
    assert set(shells) == {"bash", "zsh", "fish"}
    for shell in shells:
        result = subprocess.run([os.path.join(BIN, "layerplan"), "completion", shell], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0 and "_LAYERPLAN_COMPLETE" in result.stdout
