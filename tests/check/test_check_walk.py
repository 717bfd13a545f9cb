"""Walking directories for `layerplan check`: special files, symlink loops and .gitignore, with git and without."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from check_helpers import CASES, ROOT, run

GOOD = (CASES / "good" / "classifier.yaml").read_text()
BROKEN = (CASES / "bad" / "budget.yaml").read_text()
HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not on PATH: the git side of the walk cannot be tested")


@pytest.fixture(autouse=True)
def _quiet_git(monkeypatch, tmp_path):
    """Git as a fresh install sees it: no user or system configuration, no repository above tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(variable, raising=False)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, timeout=60)


def make_repository(root: Path) -> Path:
    git(root, "init", "-q")
    return root


def checked(*args: str) -> tuple[int, list[str]]:
    """(exit status, the files reported) of `layerplan check --isolated --format json ARGS`."""
    code, out, err = run(["check", "--isolated", "--format", "json", *args])
    assert "Traceback" not in out + err
    return code, sorted(report["file"] for report in json.loads(out))


def hide_git(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")


def layerplan_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layerplan", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": ""}, timeout=60,
                          stdin=subprocess.DEVNULL)


# -- files that are not regular files ---------------------------------------------------------------------------

@pytest.mark.process
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_with_a_spec_name_does_not_block_the_walk(tmp_path):
    write(tmp_path, {"models/good.yaml": GOOD})
    os.mkfifo(tmp_path / "net.yaml")
    os.mkfifo(tmp_path / "models" / "other.json")
    result = layerplan_process(["check", "--isolated", "."], tmp_path)
    assert (result.returncode, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n"), result.stderr
    assert result.stderr == ""


@pytest.mark.process
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_named_on_the_command_line_is_read(tmp_path):
    fifo = tmp_path / "net.yaml"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w") as pipe:  # blocks until layerplan opens the other end
            pipe.write(BROKEN)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = layerplan_process(["check", "--isolated", "net.yaml"], tmp_path)
    writer.join(timeout=10)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith("net.yaml:7:5: error LP401 expect-failed:")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this system")
def test_a_socket_is_passed_over(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"good.yaml": GOOD})
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("server.yaml")  # relative: a socket path must be short
        assert checked(".") == (0, ["good.yaml"])


def test_a_broken_symlink_is_passed_over(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"good.yaml": GOOD})
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert checked(".") == (0, ["good.yaml"])


# -- symlinks -----------------------------------------------------------------------------------------------------

def test_symlink_loops_end_and_each_real_directory_is_visited_once(tmp_path, monkeypatch):
    tree = write(tmp_path / "tree", {"a/good.yaml": GOOD, "b/good.yaml": GOOD})
    outside = write(tmp_path / "shared", {"shared.yaml": GOOD})
    (tree / "a" / "up").symlink_to(tree)  # a loop through an ancestor
    (tree / "a" / "self").symlink_to(tree / "a")  # a loop onto itself
    (tree / "b" / "again").symlink_to(tree / "a")  # into the tree: a/ is walked by its real path
    (tree / "c").symlink_to(outside)  # out of the tree: followed once...
    (tree / "d").symlink_to(outside)  # ...not twice
    (outside / "back").symlink_to(tree)  # and from there back into the tree: not followed
    monkeypatch.chdir(tree)
    assert checked(".") == (0, ["a/good.yaml", "b/good.yaml", "c/shared.yaml"])


def test_a_symlinked_file_is_checked_once(tmp_path, monkeypatch):
    write(tmp_path, {"good.yaml": GOOD})
    (tmp_path / "alias.yaml").symlink_to(tmp_path / "good.yaml")
    monkeypatch.chdir(tmp_path)
    assert checked(".") == (0, ["alias.yaml"])  # the first name in sorted order


# -- .gitignore ----------------------------------------------------------------------------------------------------

GENERATED_TREE = {
    ".gitignore": "generated/\n",
    "models/good.yaml": GOOD,
    "generated/broken.yaml": BROKEN,
    "generated/deeper/broken.yaml": BROKEN,
}


@pytest.fixture(params=["git", "no repository", "git missing"])
def mode(request, tmp_path, monkeypatch):
    """The three ways the walk reads .gitignore: git in a repository, patterns outside one, patterns without git."""
    if request.param == "git":
        if not HAS_GIT:
            pytest.skip("git is not on PATH: the git side of the walk cannot be tested")
        make_repository(tmp_path)
    elif request.param == "git missing":
        (tmp_path / ".git").mkdir()  # a repository's root, for the patterns above the walked directory
        hide_git(monkeypatch)
    monkeypatch.chdir(tmp_path)
    return request.param


def test_an_ignored_folder_of_broken_specs_is_not_checked(tmp_path, mode):
    write(tmp_path, GENERATED_TREE)
    assert checked(".") == (0, ["models/good.yaml"])
    code, out, _ = run(["check", "--isolated", "."])
    assert (code, out.splitlines()[-1]) == (0, "1 file checked: 0 errors, 0 warnings")


def test_no_gitignore_checks_the_ignored_folder_too(tmp_path, mode):
    write(tmp_path, GENERATED_TREE)
    assert checked("--no-gitignore", ".") == (
        1, ["generated/broken.yaml", "generated/deeper/broken.yaml", "models/good.yaml"])


def test_nested_gitignore_files_apply_under_their_directory(tmp_path, mode):
    write(tmp_path, {
        ".gitignore": "*.gen.yaml\nscratch/\n",
        "a.gen.yaml": BROKEN,
        "scratch/broken.yaml": BROKEN,
        "models/.gitignore": "!keep.gen.yaml\n/local.yaml\n",
        "models/keep.gen.yaml": GOOD,  # re-included by the deeper file
        "models/drop.gen.yaml": BROKEN,
        "models/local.yaml": BROKEN,  # anchored to models/
        "models/deep/local.yaml": GOOD,  # the anchored pattern does not reach here
    })
    assert checked(".") == (0, ["models/deep/local.yaml", "models/keep.gen.yaml"])


def test_a_walk_below_the_root_still_follows_the_root_gitignore(tmp_path, mode):
    write(tmp_path, {".gitignore": "generated/\n", "models/good.yaml": GOOD, "models/generated/broken.yaml": BROKEN})
    expected = ["models/good.yaml"]
    if mode == "no repository":
        expected = ["models/generated/broken.yaml", "models/good.yaml"]  # no root above the walked directory
    assert checked("models")[1] == expected


def test_an_ignored_file_named_on_the_command_line_is_checked(tmp_path, mode):
    write(tmp_path, GENERATED_TREE)
    assert checked("generated/broken.yaml") == (1, ["generated/broken.yaml"])


def test_skipped_directories_stay_skipped_without_gitignore(tmp_path, monkeypatch):
    write(tmp_path, {"node_modules/broken.yaml": BROKEN, "build/broken.yaml": BROKEN, ".cache/broken.yaml": BROKEN,
                     "models/good.yaml": GOOD})
    monkeypatch.chdir(tmp_path)
    assert checked(".") == (0, ["models/good.yaml"])
    assert checked("--no-gitignore", ".") == (0, ["models/good.yaml"])


# -- git's own view -------------------------------------------------------------------------------------------------

@needs_git
def test_git_answers_in_a_repository(tmp_path, monkeypatch):
    """Git's exclude file is read, and a tracked file is checked even where a pattern matches it."""
    make_repository(tmp_path)
    write(tmp_path, {"models/good.yaml": GOOD, "local/broken.yaml": BROKEN, "vendored/broken.yaml": BROKEN})
    git(tmp_path, "add", "vendored/broken.yaml")
    write(tmp_path, {".gitignore": "vendored/\n", ".git/info/exclude": "local/\n"})
    monkeypatch.chdir(tmp_path)
    assert checked(".") == (1, ["models/good.yaml", "vendored/broken.yaml"])


@needs_git
def test_a_nested_repository_gets_its_own_gitignore(tmp_path, monkeypatch):
    make_repository(tmp_path)
    nested = write(tmp_path / "nested", {".gitignore": "out/\n", "good.yaml": GOOD, "out/broken.yaml": BROKEN})
    make_repository(nested)
    monkeypatch.chdir(tmp_path)
    assert checked(".") == (0, ["nested/good.yaml"])


def test_a_failing_git_falls_back_to_the_gitignore_patterns(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'fatal: broken' >&2\nexit 128\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    tree = write(tmp_path / "tree", GENERATED_TREE)
    (tree / ".git").mkdir()
    monkeypatch.chdir(tree)
    assert checked(".") == (0, ["models/good.yaml"])
