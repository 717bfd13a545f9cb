"""`-o FILE` of every command that has it (check, export, port, import, schema): never onto an input, whole
or not at all, a symlink at the path replaced rather than followed, one phrasing for every failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan.main import cli

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "examples" / "resnet_stem.yaml").read_text()
MODEL = (ROOT / "examples" / "models" / "lenet.py").read_text()

# command -> (the input file it reads, its arguments before -o); schema reads nothing
COMMANDS = {
    "check": ("net.yaml", ["check", "--isolated", "net.yaml"]),
    "check a directory": ("specs/net.yaml", ["check", "--isolated", "specs"]),
    "export": ("net.yaml", ["export", "net.yaml"]),
    "port": ("net.yaml", ["port", "net.yaml"]),
    "import": ("lenet.py", ["import", "lenet.py::LeNet"]),
}
WITH_INPUTS = list(COMMANDS)
ALL = [*WITH_INPUTS, "schema"]


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    for name in ("net.yaml", "specs/net.yaml"):
        (tmp_path / name).write_text(SPEC)
    (tmp_path / "lenet.py").write_text(MODEL)
    return tmp_path


def arguments(command: str) -> list[str]:
    return ["schema"] if command == "schema" else COMMANDS[command][1]


# (how the output names the input) -> the -o argument, made in the workspace
SAME_FILE = {
    "the same name": lambda root, source: source,
    "another spelling": lambda root, source: f"./specs/../{source}",
    "a symlink to it": lambda root, source: (os.symlink(root / source, root / "link"), "link")[1],
    "a hard link to it": lambda root, source: (os.link(root / source, root / "hard"), "hard")[1],
}


@pytest.mark.parametrize("way", SAME_FILE)
@pytest.mark.parametrize("command", WITH_INPUTS)
def test_an_output_that_is_an_input_is_refused(workspace, command, way):
    source = COMMANDS[command][0]
    before = (workspace / source).read_bytes()
    output = SAME_FILE[way](workspace, source)
    code, _, err = run([*arguments(command), "-o", output])
    assert (code, err.splitlines()[-1]) == (
        2, f"layerplan: cannot write {output}: it is the input {source}, which it would overwrite; choose another "
           "output file")
    assert (workspace / source).read_bytes() == before


@pytest.mark.parametrize("command", ALL)
def test_a_symlink_at_the_output_path_is_replaced_not_followed(workspace, command):
    (workspace / "elsewhere.txt").write_text("keep me\n")
    (workspace / "out").symlink_to(workspace / "elsewhere.txt")
    code, _, err = run([*arguments(command), "-o", "out"])
    assert code in (0, 1), err
    assert (workspace / "elsewhere.txt").read_text() == "keep me\n"
    assert not (workspace / "out").is_symlink() and (workspace / "out").read_text() != "keep me\n"


@pytest.mark.parametrize("command", ALL)
def test_a_failed_write_leaves_the_old_file_untouched(workspace, command, monkeypatch):
    (workspace / "out").write_text("the previous report\n")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    code, _, err = run([*arguments(command), "-o", "out"])
    assert (code, err.splitlines()[-1]) == (2, "layerplan: cannot write out: No space left on device")
    assert (workspace / "out").read_text() == "the previous report\n"
    assert sorted(path.name for path in workspace.iterdir()) == ["lenet.py", "net.yaml", "out", "specs"]


@pytest.mark.parametrize("command", ALL)
def test_a_replaced_file_keeps_its_mode(workspace, command):
    (workspace / "out").write_text("old\n")
    (workspace / "out").chmod(0o640)
    assert run([*arguments(command), "-o", "out"])[0] in (0, 1)
    assert stat.S_IMODE((workspace / "out").stat().st_mode) == 0o640 and (workspace / "out").read_text() != "old\n"


@pytest.mark.parametrize("output, reason", [
    ("missing/out", "No such file or directory"),
    ("specs", "it is a directory"),
])
@pytest.mark.parametrize("command", ALL)
def test_every_command_says_why_it_cannot_write_in_one_phrasing(workspace, command, output, reason):
    code, _, err = run([*arguments(command), "-o", output])
    assert (code, err.splitlines()[-1]) == (2, f"layerplan: cannot write {output}: {reason}")
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ALL)
def test_a_device_is_written_into(workspace, command):
    if not os.path.exists(os.devnull):
        pytest.skip("no null device")
    assert run([*arguments(command), "-o", os.devnull])[0] in (0, 1)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_the_written_file_is_the_output(workspace):
    assert run(["export", "net.yaml", "-o", "net.py"])[0] == 0
    assert (workspace / "net.py").read_text() == run(["export", "net.yaml"])[1]
