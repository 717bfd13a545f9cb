"""The patterns of a .gitignore file, read and matched as git reads and matches them, in bounded time.

A pattern compiles to a short list of steps (a literal character, `?`, a bracket expression, `*`, `**`)
and is matched by following every way through the steps at once, one character of the path at a time:
matching costs at most (pattern length) x (path length) steps, whatever the pattern, so no .gitignore
line can make a walk slow (a backtracking matcher takes exponential time on `a*a*a*a*a*a*ab`).

Git's rules (gitignore(5)): blank lines and lines starting with `#` are skipped, trailing spaces are
dropped unless escaped with a backslash, `!` re-includes, a trailing `/` matches directories only, a
pattern with a `/` elsewhere is anchored to the directory of its .gitignore (else it matches a name at
any depth), `*` and `?` never match `/`, `**/`, `/**/` and `/**` cross directories, and a backslash
escapes the next character. Lines that git reads but never matches as written (an unclosed `[`, an
unknown `[:class:]`, a trailing backslash) and backwards ranges are reported as problems.
"""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of step a pattern compiles to. A step is (kind, argument).
_LITERAL = "literal"  # one character, the argument
_ONE = "one"  # `?`: any character but '/'
_BRACKET = "bracket"  # `[...]`: a _Bracket
_STAR = "star"  # `*`: any run of characters without '/'
_EVERYTHING = "everything"  # a trailing `/**` (or a lone `**`): any run of characters
_DIRECTORIES = "directories"  # `**/`: nothing, or any run of characters that ends with '/' (two states)
_IN_DIRECTORIES = "in-directories"  # the second state of `**/`: inside a directory name

_CLASSES = {
    "alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t", "cntrl": lambda c: ord(c) < 32 or c == "\x7f",
    "digit": lambda c: "0" <= c <= "9", "graph": lambda c: c.isprintable() and c != " ", "lower": str.islower,
    "print": str.isprintable, "punct": lambda c: c.isascii() and c.isprintable() and not c.isalnum() and c != " ",
    "space": lambda c: c in " \t\n\r\f\v", "upper": str.isupper, "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class PatternError(ValueError):
    """A pattern git never matches as written; the message says why."""


@dataclass(frozen=True)
class _Bracket:
    negated: bool
    characters: frozenset
    ranges: tuple  # (low, high) pairs
    classes: tuple  # names from _CLASSES

    def accepts(self, character: str) -> bool:
        if character == "/":  # in a path, no bracket expression matches the separator
            return False
        found = (character in self.characters or any(low <= character <= high for low, high in self.ranges)
                 or any(_CLASSES[name](character) for name in self.classes))
        return found != self.negated


@dataclass(frozen=True)
class PatternProblem:
    """A .gitignore line whose pattern does not do what it seems to: `line` (1-based), the pattern, why."""

    line: int
    pattern: str
    reason: str


def _bracket(pattern: str, start: int, warnings: list[str]) -> tuple[_Bracket, int]:
    """The bracket expression opening at pattern[start] ('['), and the index just after its ']'."""
    position = start + 1
    negated = position < len(pattern) and pattern[position] in "!^"
    position += negated
    characters, ranges, classes = set(), [], []
    first = True
    while True:
        if position >= len(pattern):
            raise PatternError("the bracket '[' is never closed")
        character = pattern[position]
        if character == "]" and not first:
            return _Bracket(negated, frozenset(characters), tuple(ranges), tuple(classes)), position + 1
        first = False
        if character == "[" and pattern.startswith("[:", position):
            end = pattern.find(":]", position + 2)
            closing = pattern.find("]", position + 2)
            if end != -1 and end + 1 == closing:  # [:name:] ends at the first ']'
                name = pattern[position + 2:end]
                if name not in _CLASSES:
                    raise PatternError(f"[:{name}:] is not a character class")
                classes.append(name)
                position = end + 2
                continue
        if character == "\\":
            position += 1
            if position >= len(pattern):
                raise PatternError("the bracket '[' is never closed")
            character = pattern[position]
        characters.add(character)  # a range's first character is matched as itself too, as git does
        position += 1
        if (position + 1 < len(pattern) and pattern[position] == "-" and pattern[position + 1] != "]"):
            high = pattern[position + 1]
            position += 2
            if high == "\\":
                if position >= len(pattern):
                    raise PatternError("the bracket '[' is never closed")
                high = pattern[position]
                position += 1
            if high < character:
                warnings.append(f"the range {character}-{high} runs backwards, so it matches only {character!r}")
            ranges.append((character, high))


def _steps(pattern: str, warnings: list[str]) -> tuple:
    """The steps of a wildcard pattern (without its `!`, leading and trailing `/`)."""
    steps = []
    position = 0
    while position < len(pattern):
        character = pattern[position]
        if character == "*":
            end = position
            while end < len(pattern) and pattern[end] == "*":
                end += 1
            at_boundary_before = position == 0 or pattern[position - 1] == "/"
            if end - position >= 2 and at_boundary_before and end == len(pattern):
                steps.append((_EVERYTHING, None))
            elif end - position >= 2 and at_boundary_before and pattern[end] == "/":
                steps.extend([(_DIRECTORIES, None), (_IN_DIRECTORIES, None)])
                end += 1  # the '/' belongs to the step
            elif not steps or steps[-1][0] != _STAR:
                steps.append((_STAR, None))  # elsewhere, `**` is `*`
            position = end
        elif character == "?":
            steps.append((_ONE, None))
            position += 1
        elif character == "[":
            bracket, position = _bracket(pattern, position, warnings)
            steps.append((_BRACKET, bracket))
        elif character == "\\":
            if position + 1 >= len(pattern):
                raise PatternError("it ends with a backslash, which escapes nothing")
            steps.append((_LITERAL, pattern[position + 1]))
            position += 2
        else:
            steps.append((_LITERAL, character))
            position += 1
    return tuple(steps)


def _closure(steps: tuple, state: int, into: set) -> None:
    """Add `state` and every state reached from it without reading a character."""
    while state not in into:
        into.add(state)
        if state == len(steps):
            return
        kind = steps[state][0]
        if kind in (_STAR, _EVERYTHING):
            state += 1
        elif kind == _DIRECTORIES:
            state += 2
        else:
            return


def _matches_steps(steps: tuple, text: str) -> bool:
    """Does `text` match the steps as a whole? At most len(steps) states are live after each character."""
    states: set = set()
    _closure(steps, 0, states)
    for character in text:
        following: set = set()
        for state in states:
            if state == len(steps):
                continue
            kind, argument = steps[state]
            if kind == _LITERAL:
                if character == argument:
                    _closure(steps, state + 1, following)
            elif kind == _ONE:
                if character != "/":
                    _closure(steps, state + 1, following)
            elif kind == _BRACKET:
                if argument.accepts(character):
                    _closure(steps, state + 1, following)
            elif kind == _STAR:
                if character != "/":
                    _closure(steps, state, following)
            elif kind == _EVERYTHING:
                _closure(steps, state, following)
            elif character == "/":  # _DIRECTORIES or _IN_DIRECTORIES at the end of a directory name
                _closure(steps, state - (kind == _IN_DIRECTORIES), following)
            else:
                following.add(state + (kind == _DIRECTORIES))
        if not following:
            return False
        states = following
    return len(steps) in states


@dataclass(frozen=True)
class IgnorePattern:
    """One pattern of a .gitignore file.

    >>> pattern = IgnorePattern.parse("/build/**/*.yaml")
    >>> pattern.matches("build/a/b/net.yaml", is_directory=False), pattern.matches("src/build/net.yaml", is_directory=False)
    (True, False)
    >>> IgnorePattern.parse("*.gen.yaml").matches("models/x.gen.yaml", is_directory=False)
    True
    """

    text: str  # as written, for messages
    negated: bool  # `!`: a match re-includes
    directory_only: bool  # a trailing '/': matches directories only
    anchored: bool  # a '/' before the end: matched against the path under the .gitignore's directory
    steps: tuple
    literal: str | None  # the pattern, when it has no wildcard: compared as a string

    @classmethod
    def parse(cls, text: str, warnings: list[str] | None = None) -> IgnorePattern:
        """The pattern of one .gitignore line (already stripped of trailing spaces, not a comment or blank).
        Raises PatternError for a pattern git never matches; adds to `warnings` what matches less than it seems."""
        pattern = text
        negated = pattern.startswith("!")
        if negated:
            pattern = pattern[1:]
        directory_only = pattern.endswith("/")
        if directory_only:
            pattern = pattern[:-1]
        anchored = "/" in pattern
        if pattern.startswith("/"):
            pattern = pattern[1:]
        steps = _steps(pattern, [] if warnings is None else warnings)
        literal = "".join(argument for _, argument in steps) if all(kind == _LITERAL for kind, _ in steps) else None
        return cls(text, negated, directory_only, anchored, steps, literal)

    def matches(self, path: str, is_directory: bool) -> bool:
        """Does the pattern match `path` ('/'-separated, under the .gitignore's directory)?"""
        if self.directory_only and not is_directory:
            return False
        subject = path if self.anchored else path[path.rfind("/") + 1:]
        if self.literal is not None:
            return subject == self.literal
        return _matches_steps(self.steps, subject)


def parse_gitignore(text: str) -> tuple[list[IgnorePattern], list[PatternProblem]]:
    """The patterns of a .gitignore file's text, in order, and its problems (each line's, with why).

    >>> patterns, problems = parse_gitignore("# generated\\nout/\\n!out/keep.yaml\\n[z-a]\\nbad[\\n")
    >>> [p.text for p in patterns]
    ['out/', '!out/keep.yaml', '[z-a]']
    >>> [(p.line, p.pattern, p.reason) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    [(4, '[z-a]', "the range z-a runs backwards, so it matches only 'z'"),
     (5, 'bad[', "the bracket '[' is never closed: git never matches this pattern")]
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    patterns, problems = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        line = _without_trailing_spaces(line.removesuffix("\r"))
        if not line or line.startswith("#"):
            continue
        warnings: list[str] = []
        try:
            pattern = IgnorePattern.parse(line, warnings)
        except PatternError as exc:
            problems.append(PatternProblem(number, line, f"{exc}: git never matches this pattern"))
            continue
        if pattern.steps:  # "!" or "/" alone: nothing to match
            patterns.append(pattern)
        problems.extend(PatternProblem(number, line, warning) for warning in warnings)
    return patterns, problems


def _without_trailing_spaces(line: str) -> str:
    """The line without its trailing spaces; a backslash keeps the character after it (an escaped space stays)."""
    cut = None  # where the run of unescaped spaces that reaches the end starts
    position = 0
    while position < len(line):
        if line[position] == " ":
            if cut is None:
                cut = position
        else:
            cut = None
            if line[position] == "\\":
                position += 1  # the escaped character is kept, even a space
        position += 1
    return line if cut is None else line[:cut]
