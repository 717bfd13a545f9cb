"""Walking a directory for `layerplan check`: regular files only, each real directory once, .gitignore respected.

The walk never opens anything but regular files (a FIFO, socket or device found in a tree is passed
over: opening a FIFO blocks until something writes to it), never loops through symlinks, and leaves out
what git ignores. Git itself answers when the tree is in a repository and git is on PATH; otherwise the
.gitignore files are read with pathspec (the library black uses for the same job).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator

#: environment variables that would point git at another repository than the one holding the walked
#: directory (a git hook, for one, sets them for its own repository)
_GIT_LOCATION_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                           "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX")
GIT_TIMEOUT_SECONDS = 60


def _relative(path: str, base: str) -> str:
    relative = os.path.relpath(path, base)
    return "" if relative == "." else relative.replace(os.sep, "/")


class NoIgnoreRules:
    """Nothing is ignored (--no-gitignore)."""

    def ignores(self, path: str, is_directory: bool) -> bool:
        """Never."""
        return False

    def inside(self, directory: str) -> NoIgnoreRules:
        """The same rules apply inside every directory."""
        return self


class GitListing:
    """What git lists under one directory: its tracked files and the untracked ones it does not ignore.

    A file is ignored when git does not list it, and a directory when git lists nothing under it. Git
    lists a submodule, a nested repository or a symlink as one entry: a directory walked through such
    an entry gets rules of its own (`inside`).
    """

    def __init__(self, base: str, entries: list[str]):
        self.base = base
        self.entries = {entry.rstrip("/") for entry in entries}
        self.directories = {""}
        for entry in self.entries:
            parts = entry.split("/")
            self.directories.update("/".join(parts[:end]) for end in range(1, len(parts)))

    def ignores(self, path: str, is_directory: bool) -> bool:
        """Is `path` (a file or directory under the base) left out?"""
        relative = _relative(path, self.base)
        if is_directory:
            return relative not in self.directories and relative not in self.entries
        return relative not in self.entries

    def inside(self, directory: str):
        """The rules for the contents of `directory`: its own when git lists it as one entry."""
        if _relative(directory, self.base) in self.entries:
            return ignore_rules_for(directory)
        return self


class GitignorePatterns:
    """The patterns of the .gitignore files met so far, each applying under its own directory.

    As in git, the deepest .gitignore with a pattern matching a path decides, and within one file the
    last matching pattern; a file under an ignored directory is never reached, so it cannot be
    re-included.
    """

    def __init__(self, base: str, layers: tuple = ()):
        self.base = base
        self.layers = layers  # (directory relative to base, with a trailing '/' or '', GitIgnoreSpec)

    def ignores(self, path: str, is_directory: bool) -> bool:
        """Is `path` (a file or directory under the base) matched by an ignoring pattern?"""
        relative = _relative(path, self.base) + ("/" if is_directory else "")
        for prefix, spec in reversed(self.layers):
            if relative.startswith(prefix):
                result = spec.check_file(relative[len(prefix):])
                if result.include is not None:
                    return result.include
        return False

    def inside(self, directory: str) -> GitignorePatterns:
        """These rules plus those of `directory`/.gitignore, if it has one."""
        import pathspec

        try:
            with open(_regular_file_descriptor(os.path.join(directory, ".gitignore")), encoding="utf-8",
                      errors="replace") as handle:
                lines = handle.read().splitlines()
        except (OSError, NotARegularFile):
            return self
        prefix = _relative(directory, self.base)
        prefix = prefix + "/" if prefix else ""
        return GitignorePatterns(self.base, (*self.layers, (prefix, pathspec.GitIgnoreSpec.from_lines(lines))))


def _git_listing(directory: str) -> GitListing | None:
    """Git's listing of `directory`; None when git is missing, the directory is in no repository, or git fails."""
    git = shutil.which("git")
    if git is None:
        return None
    environment = {key: value for key, value in os.environ.items() if key not in _GIT_LOCATION_VARIABLES}
    try:
        completed = subprocess.run(
            [git, "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=directory,
            stdin=subprocess.DEVNULL, capture_output=True, env=environment, timeout=GIT_TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    entries = [os.fsdecode(entry) for entry in completed.stdout.split(b"\0") if entry]
    return GitListing(directory, entries)


def _repository_root(directory: str) -> str | None:
    """The nearest directory at or above `directory` holding `.git`."""
    current = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def ignore_rules_for(directory: str):
    """The .gitignore rules that apply inside `directory`: git's answer, else the .gitignore files' patterns.

    Without git the patterns are read from the .gitignore files between the repository's root (the
    nearest directory above holding `.git`) and `directory`, or from `directory` down when there is none.
    """
    listing = _git_listing(directory)
    if listing is not None:
        return listing
    base = os.path.abspath(directory)
    root = _repository_root(base) or base
    rules = GitignorePatterns(root)
    ancestors = []
    current = base
    while current != root:
        current = os.path.dirname(current)
        ancestors.append(current)
    for ancestor in reversed(ancestors):
        rules = rules.inside(ancestor)
    return rules.inside(directory)


def _contains(directory: str, path: str) -> bool:
    return os.path.commonpath([directory, path]) == directory


def walk_files(top: str, skip_directory: Callable[[str], bool], respect_gitignore: bool = True) -> Iterator[str]:
    """The regular files under the directory `top`, in sorted order, each directory's files before its subdirectories.

    FIFOs, sockets and devices are passed over, as is every directory for which `skip_directory(path)`
    is true or that .gitignore rules leave out (unless `respect_gitignore` is false). A symlinked
    directory is followed only when it leads out of the tree, and each real directory is visited once,
    so a symlink loop ends the walk of that branch.
    """
    tree = os.path.realpath(top)
    visited = {tree}
    rules = ignore_rules_for(top) if respect_gitignore else NoIgnoreRules()
    pending = [(top, rules)]
    while pending:
        directory, rules = pending.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue
        subdirectories = []
        for entry in entries:
            path = os.path.join(directory, entry.name)
            try:
                is_directory = entry.is_dir()
                is_regular_file = not is_directory and entry.is_file()  # false for a FIFO, socket or device
            except OSError:
                continue
            if is_regular_file and not rules.ignores(path, is_directory=False):
                yield os.path.normpath(path)
            elif is_directory and not skip_directory(path) and not rules.ignores(path, is_directory=True):
                subdirectories.append((path, entry))
        entered = []
        for path, entry in subdirectories:
            real = os.path.realpath(path)
            if real in visited:
                continue
            if entry.is_symlink() and (_contains(tree, real) or _contains(real, tree)):
                continue  # reached by its real path in this walk, left out on purpose, or a loop
            visited.add(real)
            entered.append((path, rules.inside(path)))
        pending.extend(reversed(entered))  # the first subdirectory is walked next


class NotARegularFile(Exception):
    """A path that was a regular file when walked is something else now."""


def _regular_file_descriptor(path: str) -> int:
    """An open descriptor on `path`, which must be a regular file; opening never blocks, even on a FIFO."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError:
        os.close(descriptor)
        raise
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise NotARegularFile(path)
    return descriptor


def read_walked_file(path: str) -> bytes | None:
    """The bytes of a file found by a walk, within the spec size limit; None when it is no longer a regular file.

    The walk saw a regular file, but the path may since have been replaced: it is opened without blocking
    and checked again before anything is read.
    """
    from layerplan.inputs import too_large, unreadable
    from layerplan.planner.spec_text import MAX_SPEC_BYTES

    try:
        descriptor = _regular_file_descriptor(path)
    except NotARegularFile:
        return None
    except OSError as exc:
        raise unreadable(path, exc) from None
    with open(descriptor, "rb") as handle:
        size = os.fstat(descriptor).st_size
        if size > MAX_SPEC_BYTES:
            raise too_large(size)
        try:
            return handle.read(MAX_SPEC_BYTES + 1)
        except OSError as exc:
            raise unreadable(path, exc) from None
