"""Walking a directory for `layerplan check`: regular files only, each real directory once, .gitignore respected.

The walk runs nothing: it lists directories and reads `.gitignore` files and `.git/info/exclude` itself
(cli/gitignore.py matches their patterns as git does), so no program and no configuration found in the
walked tree (a repository's `.git/config`, its hooks, an fsmonitor or a filter) is ever started.

It never opens anything but regular files, never loops through symlinks, and fails closed: what it
cannot read is reported, not dropped. A directory it cannot list, an entry it cannot look at, a FIFO,
socket, device or broken symlink where a spec file could be, are `Unreadable` items among the files it
yields; so is a `.gitignore` it cannot read or with a pattern that does not do what it seems to
(LP009 warnings: such a file ignores less, so the walk checks more, never less).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: a .gitignore (or exclude file) larger than this is not read: matching each path against more patterns
#: would make the walk slow, and no real one comes near
MAX_IGNORE_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Unreadable:
    """Something a walk found and could not read, and why (planner Diagnostics).

    `candidate`: an entry that could be a spec file (a FIFO, a broken symlink, an entry that cannot be
    looked at): it is filtered by its name like the files that could be read. Otherwise a directory
    that cannot be listed or a .gitignore with problems: always reported.
    """

    path: str
    diagnostics: tuple
    candidate: bool


def _unreadable_file(message: str):
    from layerplan.planner import Diagnostic

    return Diagnostic.make("unreadable-file", message)


def _system_reason(exc: OSError) -> str:
    return "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc)).lower()


class NoIgnoreRules:
    """Nothing is ignored (--no-gitignore)."""

    def ignores(self, relative: str, is_directory: bool) -> bool:
        """Never."""
        return False

    def inside(self, directory: str, relative: str, problems: list) -> tuple[NoIgnoreRules, str]:
        """The same rules apply inside every directory."""
        return self, relative


def _read_ignore_file(path: str, problems: list) -> list:
    """The patterns of a .gitignore or exclude file ([] when there is none); its problems go to `problems`.

    As git does, a symlinked .gitignore is not followed.
    """
    from layerplan.gitignore import parse_gitignore
    from layerplan.planner import Diagnostic

    def warn(message: str) -> list:
        problems.append(Unreadable(os.path.normpath(path), (Diagnostic.make("bad-gitignore", message),), False))
        return []

    try:
        descriptor = _regular_file_descriptor(path, follow_symlinks=False)
    except FileNotFoundError:
        return []
    except NotARegularFile:
        return warn("not a regular file: not read, so it ignores nothing")
    except OSError as exc:
        if os.path.islink(path):
            return warn("a symlink: not followed (git does not follow it either), so it ignores nothing")
        return warn(f"cannot be read ({_system_reason(exc)}), so it ignores nothing")
    with open(descriptor, "rb") as handle:
        size = os.fstat(descriptor).st_size
        if size > MAX_IGNORE_FILE_BYTES:
            return warn(f"{size:,} bytes is over the {MAX_IGNORE_FILE_BYTES:,}-byte limit: not read, so it ignores "
                        "nothing")
        try:
            data = handle.read(MAX_IGNORE_FILE_BYTES + 1)
        except OSError as exc:
            return warn(f"cannot be read ({_system_reason(exc)}), so it ignores nothing")
    patterns, pattern_problems = parse_gitignore(data.decode("utf-8", "surrogateescape"))  # as os.fsdecode names
    if pattern_problems:
        diagnostics = tuple(Diagnostic.make("bad-gitignore", f"pattern '{problem.pattern}': {problem.reason}",
                                            line=problem.line) for problem in pattern_problems)
        problems.append(Unreadable(os.path.normpath(path), diagnostics, candidate=False))
    return patterns


def _is_repository(directory: str) -> bool:
    return os.path.lexists(os.path.join(directory, ".git"))


class IgnoreRules:
    """The ignore patterns that apply in one directory of a repository (or of a walked tree in none).

    `layers`: (directory under the root, with a trailing '/' or '', its patterns), shallowest first:
    the repository's `.git/info/exclude`, then each `.gitignore` met on the way down. As in git, the
    last pattern that matches a path decides (a deeper .gitignore overrides a shallower one), and a
    file under an ignored directory is never reached, so it cannot be re-included.
    """

    def __init__(self, layers: tuple = ()):
        self.layers = layers

    @classmethod
    def for_repository(cls, root: str, problems: list) -> IgnoreRules:
        """The rules at the top of a repository (or of a walked tree in none): its exclude file and .gitignore."""
        rules = cls()
        if os.path.isdir(os.path.join(root, ".git")):  # a submodule's .git is a file pointing elsewhere
            rules = rules._with_file("", os.path.join(root, ".git", "info", "exclude"), problems)
        return rules._with_file("", os.path.join(root, ".gitignore"), problems)

    def _with_file(self, prefix: str, path: str, problems: list) -> IgnoreRules:
        patterns = _read_ignore_file(path, problems)
        return IgnoreRules((*self.layers, (prefix, patterns))) if patterns else self

    def ignores(self, relative: str, is_directory: bool) -> bool:
        """Is the file or directory at `relative` ('/'-separated, under the root) left out?"""
        for prefix, patterns in reversed(self.layers):
            if relative.startswith(prefix):
                below = relative[len(prefix):]
                for pattern in reversed(patterns):
                    if pattern.matches(below, is_directory):
                        return not pattern.negated
        return False

    def inside(self, directory: str, relative: str, problems: list) -> tuple[IgnoreRules, str]:
        """The rules for the contents of `directory` (at `relative`), and its path under their root:
        these plus its .gitignore, or a nested repository's own rules (as git lists it on its own)."""
        if _is_repository(directory):
            return IgnoreRules.for_repository(directory, problems), ""
        return self._with_file(relative + "/", os.path.join(directory, ".gitignore"), problems), relative


def _repository_root(directory: str) -> str | None:
    """The nearest directory at or above `directory` holding `.git`."""
    current = directory
    while True:
        if _is_repository(current):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def ignore_rules_for(directory: str, problems: list) -> tuple[IgnoreRules, str]:
    """The rules inside `directory` and its path under their root: the exclude file and .gitignore
    files from the repository's root (the nearest directory above holding `.git`) down to it, or
    from `directory` itself when it is in no repository. Files are named as `directory` is (relative
    or absolute)."""
    base = os.path.abspath(directory)
    root = _repository_root(base) or base
    below_root = os.path.relpath(base, root)
    root = os.path.normpath(os.path.join(directory, os.path.relpath(root, base)))  # named as `directory` is
    rules = IgnoreRules.for_repository(root, problems)
    relative = ""
    for name in ([] if below_root == "." else below_root.split(os.sep)):
        relative = f"{relative}/{name}" if relative else name
        rules = rules._with_file(relative + "/", os.path.join(root, *relative.split("/"), ".gitignore"), problems)
    return rules, relative


def _contains(directory: str, path: str) -> bool:
    return os.path.commonpath([directory, path]) == directory


def _not_a_regular_file(path: str):
    """The diagnostic for a walked entry that is no regular file (a FIFO, socket, device, broken symlink)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        try:
            target = os.readlink(path)
        except OSError:
            return _unreadable_file(f"{path} is gone")
        return _unreadable_file(f"{path} is a broken symlink (to {target}): nothing to read")
    except OSError as exc:
        return _unreadable_file(f"cannot read {path}: {_system_reason(exc)}")
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return _unreadable_file(f"{path} is {kind}: not read")


def walk_files(top: str, skip_directory: Callable[[str], bool],
               respect_gitignore: bool = True) -> Iterator[str | Unreadable]:
    """The regular files under the directory `top`, in sorted order, each directory's files before its
    subdirectories, and (as `Unreadable`) what could not be read.

    Every directory for which `skip_directory(path)` is true, or that .gitignore rules leave out (unless
    `respect_gitignore` is false), is passed over. A symlinked directory is followed only when it leads
    out of the tree, and each real directory is visited once, so a symlink loop ends the walk of that
    branch.
    """
    tree = os.path.realpath(top)
    visited = {tree}
    problems: list[Unreadable] = []
    rules, relative = ignore_rules_for(top, problems) if respect_gitignore else (NoIgnoreRules(), "")
    pending = [(top, relative, rules)]
    while pending:
        yield from problems
        problems.clear()
        directory, relative, rules = pending.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            message = f"cannot list the directory {directory}: {_system_reason(exc)}"
            yield Unreadable(directory, (_unreadable_file(message),), candidate=False)
            continue
        subdirectories = []
        for entry in entries:
            if entry.name == ".git":  # a repository's own data (a directory, or a worktree's pointer file)
                continue
            path = os.path.normpath(os.path.join(directory, entry.name))
            entry_relative = f"{relative}/{entry.name}" if relative else entry.name
            try:
                is_directory = entry.is_dir()
                is_regular_file = not is_directory and entry.is_file()  # false for a FIFO, socket or device
            except OSError as exc:
                if not rules.ignores(entry_relative, is_directory=False):
                    message = f"cannot read {path}: {_system_reason(exc)}"
                    yield Unreadable(path, (_unreadable_file(message),), candidate=True)
                continue
            if is_directory:
                if not skip_directory(path) and not rules.ignores(entry_relative, is_directory=True):
                    subdirectories.append((path, entry_relative, entry))
            elif not rules.ignores(entry_relative, is_directory=False):
                yield path if is_regular_file else Unreadable(path, (_not_a_regular_file(path),), candidate=True)
        entered = []
        for path, entry_relative, entry in subdirectories:
            real = os.path.realpath(path)
            if real in visited:
                continue
            if entry.is_symlink() and (_contains(tree, real) or _contains(real, tree)):
                continue  # reached by its real path in this walk, left out on purpose, or a loop
            visited.add(real)
            inner_rules, inner_relative = rules.inside(path, entry_relative, problems)
            entered.append((path, inner_relative, inner_rules))
        pending.extend(reversed(entered))  # the first subdirectory is walked next
    yield from problems


class NotARegularFile(Exception):
    """A path that was a regular file when walked is something else now."""


def _regular_file_descriptor(path: str, follow_symlinks: bool = True) -> int:
    """An open descriptor on `path`, which must be a regular file; opening never blocks, even on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError:
        os.close(descriptor)
        raise
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise NotARegularFile(path)
    return descriptor


def read_walked_file(path: str) -> bytes:
    """The bytes of a file found by a walk, within the spec size limit.

    The walk saw a regular file, but the path may since have been replaced: it is opened without blocking
    and checked again before anything is read. Raises SpecReadError (LP001, LP004) when it cannot be read.
    """
    from layerplan.inputs import too_large, unreadable
    from layerplan.planner import SpecReadError
    from layerplan.planner.spec_text import MAX_SPEC_BYTES

    try:
        descriptor = _regular_file_descriptor(path)
    except NotARegularFile:
        raise SpecReadError(_unreadable_file(f"{path} is no longer a regular file: not read")) from None
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
