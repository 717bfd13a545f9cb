"""Walking directories for `layerplan check`: special files, symlink loops and .gitignore, with git and without."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
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


# -- what the walk cannot read is reported, never dropped ------------------------------------------------------------

def problems(*args: str) -> tuple[int, list[tuple[str, str, str]]]:
    """(exit status, (file, code, message) of each diagnostic) of `layerplan check --isolated --format json ARGS`."""
    code, out, err = run(["check", "--isolated", "--format", "json", *args])
    assert "Traceback" not in out + err
    return code, [(report["file"], d["code"], d["message"]) for report in json.loads(out) for d in report["diagnostics"]]


LEAVE_OUT = "; add it to .gitignore or --exclude to leave it out"


@pytest.mark.process
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_with_a_spec_name_is_reported_without_blocking_the_walk(tmp_path):
    write(tmp_path, {"models/good.yaml": GOOD})
    os.mkfifo(tmp_path / "net.yaml")
    os.mkfifo(tmp_path / "models" / "other.json")
    os.mkfifo(tmp_path / "notes.txt")  # not a name the walk checks: left alone
    result = layerplan_process(["check", "--isolated", "."], tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == (  # a directory's files before its subdirectories
        f"net.yaml: error LP001 unreadable-file: net.yaml is a named pipe (FIFO): not read{LEAVE_OUT}\n"
        f"models/other.json: error LP001 unreadable-file: models/other.json is a named pipe (FIFO): not read{LEAVE_OUT}\n"
        "3 files checked: 2 errors, 0 warnings (2 files with problems)\n")


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


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(path.name)  # relative: a socket path must be short
    _OPEN_SOCKETS.append(server)


_OPEN_SOCKETS: list = []


def _deny(monkeypatch, function: str, denied: str) -> None:
    """Make os.<function> raise PermissionError for paths ending in `denied` (tests run as root, where
    chmod 000 denies nothing)."""
    original = getattr(os, function)

    def denying(path, *args, **kwargs):
        if os.fspath(path).endswith(denied):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, function, denying)


# (what the walk meets, how to make it, the diagnostics of `check .`); each was passed over without a word once
UNREADABLE = [
    ("a socket", lambda root, mp: _socket(root / "server.yaml"),
     [("server.yaml", "LP001", f"server.yaml is a socket: not read{LEAVE_OUT}")]),
    ("a broken symlink", lambda root, mp: (root / "gone.yaml").symlink_to(root / "nowhere.yaml"),
     [("gone.yaml", "LP001", f"gone.yaml is a broken symlink (to {{root}}/nowhere.yaml): nothing to read{LEAVE_OUT}")]),
    ("a symlink to itself", lambda root, mp: (root / "loop.yaml").symlink_to("loop.yaml"),
     [("loop.yaml", "LP001", f"cannot read loop.yaml: too many levels of symbolic links{LEAVE_OUT}")]),
    ("a file it may not open", lambda root, mp: (write(root, {"secret.yaml": GOOD}), _deny(mp, "open", "secret.yaml")),
     [("secret.yaml", "LP001", f"permission denied: secret.yaml{LEAVE_OUT}")]),
    ("a directory it may not list", lambda root, mp: (write(root, {"locked/net.yaml": GOOD}), _deny(mp, "scandir", "locked")),
     [("locked", "LP001", f"cannot list the directory locked: permission denied{LEAVE_OUT}")]),
    ("a file over 16 MiB", lambda root, mp: os.truncate(write(root, {"huge.json": ""}) / "huge.json", 17 * 2 ** 20),
     [("huge.json", "LP004", f"17,825,792 bytes is over the 16,777,216-byte limit for a spec file{LEAVE_OUT}")]),
]


@pytest.mark.parametrize("what, make, expected", UNREADABLE, ids=[row[0] for row in UNREADABLE])
def test_what_the_walk_cannot_read_is_an_error(tmp_path, monkeypatch, what, make, expected):
    if what == "a socket" and not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets on this system")
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"good.yaml": GOOD, "notes.txt": "not a spec"})
    try:
        make(tmp_path, monkeypatch)
        code, found = problems(".")
    finally:
        while _OPEN_SOCKETS:
            _OPEN_SOCKETS.pop().close()
    expected = [(file, code, message.format(root=tmp_path)) for file, code, message in expected]
    assert (code, found) == (2, expected)


@pytest.mark.parametrize("make", [
    lambda root: os.mkfifo(root / "pipe.txt"),
    lambda root: (root / "gone.txt").symlink_to(root / "nowhere.txt"),
    lambda root: os.truncate(write(root, {"huge.bin": ""}) / "huge.bin", 17 * 2 ** 20),
])
def test_what_the_walk_would_not_check_anyway_is_left_alone(tmp_path, monkeypatch, make):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"good.yaml": GOOD})
    make(tmp_path)
    assert problems(".") == (0, [])


@pytest.mark.parametrize("args", [["--exclude", "gone.yaml"], ["--include", "*.json"]])
def test_an_unreadable_entry_left_out_by_name_is_not_reported(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"good.yaml": GOOD})
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert problems(*args, ".")[0] == 0


def test_an_ignored_unreadable_entry_is_not_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"good.yaml": GOOD, ".gitignore": "gone.yaml\nlocked/\n", "locked/net.yaml": GOOD})
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    _deny(monkeypatch, "scandir", "locked")
    assert problems(".") == (0, [])


def test_an_unreadable_walked_directory_named_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"models/good.yaml": GOOD})
    _deny(monkeypatch, "scandir", "models")
    assert problems("models") == (2, [("models", "LP001", f"cannot list the directory models: permission denied{LEAVE_OUT}")])


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


# -- the repository's own files, read without git -----------------------------------------------------------------

@needs_git
def test_the_exclude_file_is_read_and_a_tracked_file_is_ignored_like_any_other(tmp_path, monkeypatch):
    """The walk reads .git/info/exclude; it does not read git's index, so a tracked file that a pattern
    matches is left out like an untracked one (git would list it), unless it is named."""
    make_repository(tmp_path)
    write(tmp_path, {"models/good.yaml": GOOD, "local/broken.yaml": BROKEN, "vendored/broken.yaml": BROKEN})
    git(tmp_path, "add", "vendored/broken.yaml")
    write(tmp_path, {".gitignore": "vendored/\n", ".git/info/exclude": "local/\n"})
    monkeypatch.chdir(tmp_path)
    assert checked(".") == (0, ["models/good.yaml"])
    assert checked(".", "vendored/broken.yaml") == (1, ["models/good.yaml", "vendored/broken.yaml"])


@pytest.mark.parametrize("maker", ["git init", "a .git folder"])
def test_a_nested_repository_gets_its_own_gitignore(tmp_path, monkeypatch, maker):
    write(tmp_path, {".gitignore": "*.gen.yaml\n", "nested/keep.gen.yaml": GOOD})
    (tmp_path / ".git").mkdir()
    nested = write(tmp_path / "nested", {".gitignore": "out/\n", "good.yaml": GOOD, "out/broken.yaml": BROKEN,
                                         "local.yaml": BROKEN})
    if maker == "git init":
        if not HAS_GIT:
            pytest.skip("git is not on PATH")
        make_repository(nested)
    else:
        (nested / ".git" / "info").mkdir(parents=True)
    write(nested, {".git/info/exclude": "local.yaml\n"})
    monkeypatch.chdir(tmp_path)
    # the outer *.gen.yaml does not reach into the nested repository, as git lists it on its own
    assert checked(".") == (0, ["nested/good.yaml", "nested/keep.gen.yaml"])


# -- nothing in the walked tree is run -----------------------------------------------------------------------------

def _marker_command(marker: Path) -> str:
    return f"touch {marker}; false"


# (what a hostile repository configures, how) -> each would run a command when git runs in the repository
HOSTILE_CONFIGURATIONS = {
    "core.fsmonitor": lambda repo, marker: git(repo, "config", "core.fsmonitor", _marker_command(marker)),
    "core.hooksPath": lambda repo, marker: (
        write(repo, {"hooks/post-index-change": f"#!/bin/sh\n{_marker_command(marker)}\n"}),
        (repo / "hooks" / "post-index-change").chmod(0o755),
        git(repo, "config", "core.hooksPath", str(repo / "hooks"))),
    "include.path": lambda repo, marker: (
        write(repo, {"included.config": f"[core]\n\tfsmonitor = {_marker_command(marker)}\n"}),
        git(repo, "config", "include.path", str(repo / "included.config"))),
    "a filter with .gitattributes": lambda repo, marker: (
        write(repo, {".gitattributes": "*.yaml filter=evil\n"}),
        git(repo, "config", "filter.evil.clean", _marker_command(marker)),
        git(repo, "config", "filter.evil.process", _marker_command(marker))),
    "core.pager and core.sshCommand": lambda repo, marker: (
        git(repo, "config", "core.pager", _marker_command(marker)),
        git(repo, "config", "core.sshCommand", _marker_command(marker))),
}


@needs_git
@pytest.mark.parametrize("configure", list(HOSTILE_CONFIGURATIONS.values()), ids=list(HOSTILE_CONFIGURATIONS))
@pytest.mark.parametrize("where", ["the walked repository", "a nested repository"])
def test_no_command_configured_in_a_walked_repository_runs(tmp_path, monkeypatch, configure, where):
    tree = write(tmp_path / "tree", GENERATED_TREE)
    make_repository(tree)
    repository = tree if where == "the walked repository" else make_repository(write(tree / "vendor", {"x.yaml": GOOD}))
    marker = tmp_path / "ran"
    configure(repository, marker)
    monkeypatch.chdir(tree)
    code, files = checked(".")
    assert not marker.exists()
    assert "models/good.yaml" in files and "generated/broken.yaml" not in files


def test_the_walk_starts_no_program(tmp_path, monkeypatch):
    """Neither git (a git that would leave a mark is first on PATH) nor any other: starting one fails."""
    import subprocess as subprocess_module

    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ntouch {tmp_path / 'ran'}\nexit 128\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))

    def no_process(*args, **kwargs):
        raise AssertionError(f"the walk started a program: {args}")

    monkeypatch.setattr(subprocess_module.Popen, "__init__", no_process)
    monkeypatch.setattr(os, "posix_spawn", no_process, raising=False)
    monkeypatch.setattr(os, "fork", no_process)
    tree = write(tmp_path / "tree", GENERATED_TREE)
    (tree / ".git").mkdir()
    monkeypatch.chdir(tree)
    assert checked(".") == (0, ["models/good.yaml"])
    assert not (tmp_path / "ran").exists()


# -- .gitignore lines git does not read as written -----------------------------------------------------------------

def test_bad_gitignore_patterns_are_warnings_on_their_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {".gitignore": "# generated\n[z-a]\nout/\n\\\n", "out/broken.yaml": BROKEN, "good.yaml": GOOD,
                     "models/.gitignore": "x[\n", "models/z": GOOD})
    code, out, err = run(["check", "--isolated", "."])
    assert "internal error" not in err
    assert (code, out) == (0, (
        ".gitignore:2: warning LP009 bad-gitignore: pattern '[z-a]': the range z-a runs backwards, so it matches "
        "only 'z'\n"
        ".gitignore:4: warning LP009 bad-gitignore: pattern '\\': it ends with a backslash, which escapes nothing: "
        "git never matches this pattern\n"
        "models/.gitignore:1: warning LP009 bad-gitignore: pattern 'x[': the bracket '[' is never closed: git never "
        "matches this pattern\n"
        "3 files checked: 0 errors, 3 warnings (2 files with problems)\n"))
    assert run(["check", "--isolated", "--strict", "."])[0] == 1


@pytest.mark.parametrize("make, message", [
    (lambda root: (root / ".gitignore").symlink_to(write(root, {"patterns": "out/\n"}) / "patterns"),
     "a symlink: not followed (git does not follow it either), so it ignores nothing"),
    (lambda root: (root / ".gitignore").mkdir(), "not a regular file: not read, so it ignores nothing"),
    (lambda root: os.truncate(write(root, {".gitignore": ""}) / ".gitignore", 2 * 2 ** 20),
     "2,097,152 bytes is over the 1,048,576-byte limit: not read, so it ignores nothing"),
])
def test_a_gitignore_that_is_not_read_is_a_warning_and_ignores_nothing(tmp_path, monkeypatch, make, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"out/good.yaml": GOOD})
    make(tmp_path)
    assert problems(".") == (0, [(".gitignore", "LP009", message)])
    assert checked(".") == (0, [".gitignore", "out/good.yaml"])


@pytest.mark.process
def test_a_pattern_that_backtracks_does_not_slow_the_walk(tmp_path):
    """`a*a*a*a*a*a*a*a*ab` against a 60-letter name took 27 s with a backtracking matcher."""
    write(tmp_path, {".gitignore": "a*a*a*a*a*a*a*a*ab\n" * 20, "good.yaml": GOOD,
                     **{"a" * 60 + str(n) + ".yaml": GOOD for n in range(10)}})
    started = time.monotonic()
    result = layerplan_process(["check", "--isolated", "."], tmp_path)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "11 files checked: 0 errors, 0 warnings")
    assert time.monotonic() - started < 20


# -- git as the oracle of the whole walk ----------------------------------------------------------------------------

ORACLE_TREES = [
    GENERATED_TREE,
    {".gitignore": "*.gen.yaml\nscratch/\n", "a.gen.yaml": "", "scratch/x.yaml": "", "models/.gitignore": "!keep.gen.yaml\n/local.yaml\n",
     "models/keep.gen.yaml": "", "models/drop.gen.yaml": "", "models/local.yaml": "", "models/deep/local.yaml": ""},
    {".gitignore": "/build-*/\n**/tmp/**\n!**/tmp/keep\ndocs/**/*.yaml\n", "build-1/x.yaml": "", "src/build-1/x.yaml": "",
     "a/tmp/b/x.yaml": "", "a/tmp/keep": "", "docs/x.yaml": "", "docs/a/b/x.yaml": "", "docs/x.json": ""},
    {".gitignore": "ignored/\n", "ignored/.gitignore": "!*\n", "ignored/x.yaml": "", "[ab]/x.yaml": "", "a/y.yaml": "",
     "sub/.gitignore": "\\[ab\\]\n[!x]*.yaml\n", "sub/[ab]": "", "sub/x.yaml": "", "sub/y.yaml": ""},
]


@pytest.mark.process
@needs_git
@pytest.mark.parametrize("tree", ORACLE_TREES)
def test_the_walk_lists_what_git_lists(tmp_path, tree):
    from layerplan.walk import walk_files

    write(tmp_path, {**tree, ".git/info/exclude": "*.local\n", "x.local": "", "d/y.local": ""})
    (tmp_path / ".git").rename(tmp_path / ".keep")
    make_repository(tmp_path)
    (tmp_path / ".keep" / "info" / "exclude").replace(tmp_path / ".git" / "info" / "exclude")
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z"], cwd=tmp_path,
                            capture_output=True, check=True, timeout=60).stdout.decode().split("\0")
    walked = [os.path.relpath(path, tmp_path).replace(os.sep, "/")
              for path in walk_files(str(tmp_path), lambda directory: os.path.basename(directory) in (".git", ".keep"))]
    assert sorted(walked) == sorted(path for path in listed if path)


def test_a_worktrees_git_file_is_not_walked(tmp_path, monkeypatch):
    """A linked worktree or submodule holds `.git` as a file: the repository's, never a file to check."""
    write(tmp_path, {".git": "gitdir: /elsewhere\n", "notes.txt": "text"})
    monkeypatch.chdir(tmp_path)
    assert checked("--include", "*", ".") == (2, ["notes.txt"])
