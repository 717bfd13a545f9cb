""".gitignore patterns as `layerplan check` matches them (cli/gitignore.py): a table of git's rules, the lines
git never matches as written, bounded time, and git itself as the oracle (`process`: it runs git)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from layerplan.gitignore import IgnorePattern, parse_gitignore

HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not on PATH: it is the oracle of these tests")

# (pattern, path under the .gitignore's directory, is a directory, does the pattern match it)
MATCHES = [
    ("*.yaml", "a.yaml", False, True),
    ("*.yaml", "d/a.yaml", False, True),  # no slash: a name at any depth
    ("/a.yaml", "a.yaml", False, True),
    ("/a.yaml", "d/a.yaml", False, False),  # a leading slash anchors
    ("d/*.yaml", "d/a.yaml", False, True),
    ("d/*.yaml", "e/d/a.yaml", False, False),  # a slash in the middle anchors too
    ("d/*.yaml", "d/e/a.yaml", False, False),  # `*` never crosses '/'
    ("out/", "out", True, True),
    ("out/", "out", False, False),  # a trailing slash: directories only
    ("out/", "x/out", True, True),
    ("a/**/b", "a/b", False, True),  # `/**/`: zero directories...
    ("a/**/b", "a/x/y/b", False, True),  # ...or several
    ("a/**", "a", True, False),  # `/**`: what is inside, not the directory itself
    ("a/**", "a/x/y", False, True),
    ("**/foo", "foo", False, True),
    ("**/foo", "x/y/foo", False, True),
    ("/**/x", "a/x", False, True),
    ("foo/**/", "foo/a", True, True),
    ("foo/**/", "foo/a", False, False),
    ("a**b", "axyb", False, True),  # `**` not between slashes is `*`
    ("a**b", "ax/yb", False, False),
    ("***", "x/y", False, True),
    ("**", "x/y", False, True),
    ("a?c", "abc", False, True),
    ("a?c", "a/c", False, False),  # `?` never matches '/'
    ("a[/]c", "a/c", False, False),  # nor does a bracket
    ("[!a]", "b", False, True),
    ("[^a]", "a", False, False),
    ("[]]", "]", False, True),  # a ']' first in a bracket is a member
    ("[!]]", "a", False, True),
    ("[]a]", "a", False, True),
    ("[a-c-e]", "-", False, True),  # after a range, '-' is itself
    ("[a-c-e]", "d", False, False),
    ("[a-]", "-", False, True),
    ("[-a]", "-", False, True),
    ("[\\]]", "]", False, True),
    ("[a\\-c]", "b", False, False),  # an escaped '-' makes no range
    ("[a\\-c]", "-", False, True),
    ("[[:digit:]x]", "5", False, True),
    ("[[:digit:]x]", "x", False, True),
    ("[[:alpha]", "[", False, True),  # no ':]': a plain '[' and letters
    ("[[:alpha]", "a", False, True),
    ("[z-a]", "z", False, True),  # a backwards range matches its first character only, as in git
    ("[z-a]", "m", False, False),
    ("x\\*", "x*", False, True),  # an escaped wildcard is itself
    ("x\\*", "xa", False, False),
    ("\\#a", "#a", False, True),
    ("\\!a", "!a", False, True),
    ("foo\\ ", "foo ", False, True),  # an escaped trailing space stays
    ("foo  ", "foo", False, True),  # trailing spaces go
    ("foo\\\\ ", "foo\\", False, True),  # an escaped backslash does not keep the space after it
    ("a*a*a*a*a*a*a*a*ab", "a" * 60, False, False),
    ("a*a*a*a*a*a*a*a*ab", "a" * 60 + "b", False, True),
]


def _pattern(line: str) -> IgnorePattern:
    patterns, problems = parse_gitignore(line + "\n")
    assert len(patterns) == 1, problems
    return patterns[0]


@pytest.mark.parametrize("line, path, is_directory, expected", MATCHES)
def test_patterns_match_as_in_git(line, path, is_directory, expected):
    assert _pattern(line).matches(path, is_directory) is expected


@pytest.mark.parametrize("text, expected", [
    ("# a comment\n\n   \n*.yaml\n", ["*.yaml"]),
    ("\ufeffout/\r\n!keep.yaml\r\n", ["out/", "!keep.yaml"]),  # a byte-order mark and CRLF lines
    ("!\n/\n", []),  # nothing left to match
])
def test_which_lines_are_patterns(text, expected):
    patterns, problems = parse_gitignore(text)
    assert ([p.text for p in patterns], problems) == (expected, [])


# (line, why git does not match it as written, or matches less)
PROBLEMS = [
    ("[z-a]", "the range z-a runs backwards, so it matches only 'z'"),
    ("x[b-a0]", "the range b-a runs backwards, so it matches only 'b'"),
    ("bad[", "the bracket '[' is never closed: git never matches this pattern"),
    ("[a\\", "the bracket '[' is never closed: git never matches this pattern"),
    ("\\", "it ends with a backslash, which escapes nothing: git never matches this pattern"),
    ("foo\\", "it ends with a backslash, which escapes nothing: git never matches this pattern"),
    ("[[:vowel:]]", "[:vowel:] is not a character class: git never matches this pattern"),
]


@pytest.mark.parametrize("line, reason", PROBLEMS)
def test_lines_git_does_not_match_as_written_are_problems_with_their_line(line, reason):
    _, problems = parse_gitignore(f"ok\n# note\n{line}\n")
    assert [(p.line, p.pattern, p.reason) for p in problems] == [(3, line, reason)]


@pytest.mark.parametrize("line", ["a*a*a*a*a*a*a*a*ab", "*a*a*a*a*a*a*a*a*a*a*a*a*b", "**/a*a*a*a*a*a*a*a*/**/b",
                                  "[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*!"])
def test_matching_time_grows_with_the_lengths_only(line):
    pattern = _pattern(line)
    names = ["a" * 250, "a/" * 120 + "a", ("a" * 40 + "/") * 5 + "c"]
    started = time.perf_counter()
    for name in names:
        pattern.matches(name, is_directory=False)
    assert time.perf_counter() - started < 1.0


# -- git as the oracle ---------------------------------------------------------------------------------------------

_GIT_ENVIRONMENT = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _git_ignored(repository, text: str, paths: dict[str, bool]) -> dict[str, bool]:
    """What `git check-ignore` says of each path (True: a directory) under a .gitignore holding `text`."""
    subprocess.run(["git", "init", "-q", str(repository)], check=True, capture_output=True, timeout=60)
    (repository / ".gitignore").write_text(text, encoding="utf-8")
    for path, is_directory in paths.items():
        full = repository / path
        if is_directory:
            full.mkdir(parents=True, exist_ok=True)
        else:
            full.parent.mkdir(parents=True, exist_ok=True)
            full.touch()
    listed = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin", "-z", "-v", "-n"], cwd=repository, capture_output=True,
        input="".join(path + "\0" for path in paths).encode(), env={**os.environ, **_GIT_ENVIRONMENT}, timeout=60)
    fields = listed.stdout.decode().split("\0")
    return {fields[i + 3]: bool(fields[i]) and not fields[i + 2].startswith("!") for i in range(0, len(fields) - 1, 4)}


def _ignored(text: str, path: str, is_directory: bool) -> bool:
    """Is `path` ignored under `text`: itself or a directory above it, the last matching pattern deciding."""
    patterns, _ = parse_gitignore(text)
    parts = path.split("/")
    for end in range(1, len(parts) + 1):
        verdict = False
        for pattern in patterns:
            if pattern.matches("/".join(parts[:end]), is_directory or end < len(parts)):
                verdict = not pattern.negated
        if verdict:
            return True
    return False


@pytest.mark.process
@needs_git
@pytest.mark.parametrize("line, path, is_directory, expected", MATCHES)
def test_git_agrees_with_the_table(tmp_path, line, path, is_directory, expected):
    # git answers for the path and the directories above it: the table's rows are for the path itself
    assert _git_ignored(tmp_path, line + "\n", {path: is_directory})[path] == _ignored(line + "\n", path, is_directory)


_PATTERN_PIECES = st.sampled_from(["a", "b", "/", "*", "**", "?", "[", "]", "!", "-", "\\", "^", "[:alpha:]", " "])
_NAMES = st.sampled_from(["a", "b", "ab", "ba", "a-b", "[a]", "*", "a b", "!a"])


@pytest.mark.process
@needs_git
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.lists(_PATTERN_PIECES, min_size=1, max_size=6).map("".join), min_size=1, max_size=3),
       paths=st.lists(st.lists(_NAMES, min_size=1, max_size=3).map("/".join), min_size=1, max_size=6, unique=True))
def test_git_agrees_on_random_patterns(tmp_path_factory, lines, paths):
    files = [path for path in paths if not any(other.startswith(path + "/") for other in paths)]
    assume(files)
    directories = {"/".join(file.split("/")[:end]) for file in files for end in range(1, file.count("/") + 1)}
    assume(not directories & set(files))
    text = "\n".join(lines) + "\n"
    entries = {**{file: False for file in files}, **{directory: True for directory in directories}}
    answers = _git_ignored(tmp_path_factory.mktemp("repository"), text, entries)
    assert {path: _ignored(text, path, is_directory) for path, is_directory in entries.items()} == answers
