"""docs/pictures.md: the commands of its `sh` blocks run as written (tests/cli/test_docs_console_examples.py
runs the console blocks of every page), the pictures it shows are what layerplan draws today, and every
picture format is documented."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.output import PICTURE_FORMATS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "pictures.md"
BIN = str(Path(sys.executable).parent)


def _shell_lines() -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.S | re.M)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": "200"}
    env.pop("FORCE_COLOR", None)
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def workdir(tmp_path):
    """A directory where the examples are where the page says (examples/...) and files may be written."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    return tmp_path


def test_the_page_has_examples():
    text = DOC.read_text(encoding="utf-8")
    assert text.count("```console\n") >= 3 and len(_shell_lines()) >= 5  # tests/cli/test_docs_console_examples.py runs the console ones


@pytest.mark.process
@pytest.mark.parametrize("command", _shell_lines())
def test_shell_example_runs(command, workdir):
    result = _run(command, workdir)
    assert result.returncode in (0, 1), result.stderr  # 1: the MNIST autoencoder's expect fails, on purpose
    assert "Traceback" not in result.stderr
    for written in re.findall(r"(?:> |:-)(\w+\.\w+)", command):  # > file.svg, ${VARIABLE:-file.md}
        assert (workdir / written).stat().st_size > 0


def test_the_pictures_shown_are_what_layerplan_draws(monkeypatch):
    monkeypatch.chdir(ROOT)
    pictures = re.findall(r"\]\(pictures/(\w+)\.svg\)", DOC.read_text(encoding="utf-8"))
    assert {"mnist_autoencoder", "unet_original"} <= set(pictures)
    for name in pictures:
        result = CliRunner().invoke(cli, ["plan", f"examples/{name}.yaml", "--format", "svg"])
        assert result.stdout == (ROOT / "docs" / "pictures" / f"{name}.svg").read_text(encoding="utf-8"), (
            f"docs/pictures/{name}.svg is stale: layerplan plan examples/{name}.yaml --format svg > "
            f"docs/pictures/{name}.svg")


def test_every_picture_format_is_documented_and_offered():
    text = DOC.read_text(encoding="utf-8")
    help_text = CliRunner().invoke(cli, ["plan", "--help"]).stdout
    for name in PICTURE_FORMATS:
        assert f"| `{name}` |" in text
        assert name in help_text


def test_the_mermaid_drawn_on_the_page_is_the_command_s_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = re.findall(r"^```mermaid\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.S | re.M)
    result = CliRunner().invoke(cli, ["plan", "examples/autoencoder_skip.yaml", "--format", "mermaid"])
    assert shown == [result.stdout]
