"""Reading spec text safely: YAML or JSON in, plain Python values plus source positions out.

Nothing in a spec is ever executed or constructed: YAML is composed into nodes (never into
Python objects) and only the plain standard tags are turned into values. Every limit here
(size, nesting depth, alias expansion) turns into a `SpecReadError` with a clear message.

Positions are looked up by JSON pointer ("/layers/2/stride") and only when a diagnostic
needs one, so a clean spec pays nothing for them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from .diagnostics import Diagnostic, SpecReadError
from .yaml12 import core_tag, core_value, yaml11_conflict

#: Refuse spec files larger than this (bytes). A real spec is a few kB; 16 MiB holds a JSON stack
#: of 100,000 layers with room to spare, and keeps the YAML parser within seconds.
MAX_SPEC_BYTES = 16 * 1024 * 1024
#: Refuse documents nested deeper than this.
MAX_DEPTH = 100
#: Refuse documents with more values than this, counted after YAML alias expansion (before any
#: value is built, so an alias bomb is refused in milliseconds).
MAX_VALUES = 1_000_000
#: Refuse integer literals longer than this many digits. Python refuses to print integers of
#: more than 4300 digits, and nothing a framework accepts is anywhere near this long.
MAX_INT_DIGITS = 100

Position = tuple[int, int]  # 1-based (line, column)


@dataclass(slots=True)
class Document:
    """A parsed spec document: `data` is plain dict/list/str/int/float/bool/None.

    Positions are computed on first use (`_value_positions`, `_key_positions` build the tables).

    >>> doc = load_text('{"input": [1, 28, 28], "layers": ["flatten"]}', "spec.json")
    >>> doc.data["input"], doc.locate("/layers/0")
    ([1, 28, 28], (1, 35))
    """

    data: Any
    filename: str
    _value_positions: Callable[[], dict[str, Position]] = field(default=dict, repr=False)
    _key_positions: Callable[[], dict[str, Position]] = field(default=dict, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)
    #: read from model code (planner/model_code): the input sizes its layers declare, as
    #: (layer index, argument, value, (line, column)), checked against the plan
    declared_inputs: tuple = ()
    model_code: bool = False
    #: read from model code: the name the code gives what was planned (`Net`, `decoded`), picked with ::NAME or
    #: chosen by the reader (the spec's `name` may differ: a file of layers is named after the file)
    selected: str = ""
    #: read from model code: what the reader skipped, assumed or stopped at (info and warning Diagnostics)
    reader_notes: tuple = ()

    def replace(self, **changes) -> "Document":
        """A copy with some fields changed (dataclasses.replace; the position tables are shared)."""
        return replace(self, **changes)

    def _table(self, which: str) -> dict[str, Position]:
        if which not in self._cache:
            self._cache[which] = (self._value_positions if which == "value" else self._key_positions)()
        return self._cache[which]

    def locate(self, pointer: str | None, *, key: bool = False) -> Position | None:
        """Line and column of the value at `pointer` (or of its key, with key=True).

        Falls back to the nearest enclosing value that has a position.
        """
        if pointer is None:
            return None
        if key:
            found = self._table("key").get(pointer)
            if found:
                return found
        values = self._table("value")
        while True:
            if pointer in values:
                return values[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]


def escape_pointer_token(token: Any) -> str:
    """A mapping key as one JSON pointer token (RFC 6901: "~" is written "~0", "/" is written "~1").

    >>> escape_pointer_token("conv2d"), escape_pointer_token("a/b~c"), escape_pointer_token(3)
    ('conv2d', 'a~1b~0c', '3')
    """
    token = str(token)
    if "~" in token or "/" in token:  # rare: a plain key is its own token (one call per layer of a stack)
        return token.replace("~", "~0").replace("/", "~1")
    return token


def _fail(name: str, message: str, filename: str, line: int | None = None, column: int | None = None):
    raise SpecReadError(Diagnostic.make(name, message, line=line, column=column))


def decode(raw: bytes, filename: str) -> str:
    """Bytes of a spec file to text, refusing oversized, binary and non-UTF-8 input."""
    if len(raw) > MAX_SPEC_BYTES:
        _fail("too-large", f"{len(raw):,} bytes is over the {MAX_SPEC_BYTES:,}-byte limit for a spec file", filename)
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        _fail("unreadable-file", "this text is UTF-16 or UTF-32 (it starts with a byte-order mark); save the "
              "spec as UTF-8", filename)
    if b"\x00" in raw[:65536]:
        _fail("unreadable-file", "this is a binary file, not YAML or JSON text", filename)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        _fail(
            "unreadable-file",
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start} (line {line}); save the spec as UTF-8",
            filename,
            line,
        )


def looks_like_json(text: str, filename: str) -> bool:
    return filename.lower().endswith(".json") or text.lstrip()[:1] in ("{", "[")


def load_text(text: str, filename: str = "<spec>") -> Document:
    """Parse spec text (JSON when it looks like JSON, else YAML) into a Document.

    >>> load_text("input: [3, 32, 32]\\nlayers: [flatten]\\n").data
    {'input': [3, 32, 32], 'layers': ['flatten']}
    """
    if len(text) > MAX_SPEC_BYTES:
        _fail("too-large", f"{len(text):,} characters is over the {MAX_SPEC_BYTES:,} limit for a spec", filename)
    if looks_like_json(text, filename):
        try:
            return _load_json(text, filename)
        except SpecReadError:
            if filename.lower().endswith(".json"):
                raise
            # `{a: 1}` is YAML flow style, not JSON: give YAML its chance.
    return _load_yaml(text, filename)


# --------------------------------------------------------------------------- JSON


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


class _LongInteger(Exception):
    def __init__(self, digits: str):
        self.digits = digits


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongInteger(digits)
    return int(digits)


def _long_integer_message(digits: str) -> str:
    return f"an integer of {len(digits.lstrip('-+')):,} digits is over the {MAX_INT_DIGITS}-digit limit for a spec"


def _load_json(text: str, filename: str) -> Document:
    """Parse JSON, checking each mapping for duplicate keys and each integer for its length as it is
    read, then the nesting depth and the number of values.

    >>> _load_json('{"input": [1, 28, 28]}', "spec.json").data
    {'input': [1, 28, 28]}
    >>> _load_json('{"input": [1], "input": [2]}', "spec.json")
    Traceback (most recent call last):
    layerplan.planner.diagnostics.SpecReadError: key 'input' appears twice in one mapping
    """
    try:
        data = json.loads(text, object_pairs_hook=_pairs_without_duplicates, parse_int=_json_int,
                          parse_constant=_json_constant)
    except _LongInteger as long:
        start = text.find(long.digits)
        _fail("too-large", _long_integer_message(long.digits), filename, *_offset_to_position(text, max(start, 0)))
    except _DuplicateKey as dup:
        line, column = _find_json_key(text, dup.key)
        _fail("duplicate-key", f"key {dup.key!r} appears twice in one mapping", filename, line, column)
    except json.JSONDecodeError as exc:
        _fail("syntax-error", f"invalid JSON: {exc.msg}", filename, exc.lineno, exc.colno)
    except RecursionError:
        _fail("too-large", f"the JSON is nested too deeply (the limit is {MAX_DEPTH} levels)", filename)
    except ValueError as exc:  # anything else json refuses (it never executes anything)
        _fail("syntax-error", f"invalid JSON: {exc}", filename)
    _check_depth_and_values(data, filename)
    return Document(
        data,
        filename,
        _value_positions=lambda: _json_positions(text)[0],
        _key_positions=lambda: _json_positions(text)[1],
    )


def _json_constant(name: str) -> float:
    # NaN and Infinity are not JSON (Python's json module accepts them by default).
    raise ValueError(f"{name} is not a JSON value")


def _check_depth_and_values(data: Any, filename: str) -> None:
    """Refuse parsed JSON nested deeper than MAX_DEPTH or holding more than MAX_VALUES values.

    >>> _check_depth_and_values([[1], 2], "spec.json")
    >>> _check_depth_and_values(json.loads("[" * 101 + "]" * 101), "spec.json")
    Traceback (most recent call last):
    layerplan.planner.diagnostics.SpecReadError: the spec is nested more than 100 levels deep
    """
    # Over both limits, the message names the limit met first by a depth-first walk that takes the
    # values of each list or mapping last to first. A stack of iterators keeps memory to the nesting
    # depth, not to the number of values.
    count = 0
    stack = [iter((data,))]
    while stack:
        for value in stack[-1]:
            count += 1
            if count > MAX_VALUES:
                _fail("too-large", f"the spec holds more than {MAX_VALUES:,} values", filename)
            if len(stack) > MAX_DEPTH:
                _fail("too-large", f"the spec is nested more than {MAX_DEPTH} levels deep", filename)
            if isinstance(value, dict):
                stack.append(reversed(value.values()))
                break
            if isinstance(value, list):
                stack.append(reversed(value))
                break
        else:
            stack.pop()


def _find_json_key(text: str, key: str) -> Position:
    quoted = json.dumps(key)
    matches = [m.start() for m in re.finditer(re.escape(quoted) + r"\s*:", text)]
    offset = matches[1] if len(matches) > 1 else (matches[0] if matches else 0)
    return _offset_to_position(text, offset)


def _offset_to_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


_JSON_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[{}\[\]:,])|(?P<atom>[^\s{}\[\]:,"]+))', re.S
)


def _json_positions(text: str) -> tuple[dict[str, Position], dict[str, Position]]:
    """Map every JSON pointer in `text` to the position of its value and of its key."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    import bisect

    def position(offset: int) -> Position:
        index = bisect.bisect_right(line_starts, offset) - 1
        return index + 1, offset - line_starts[index] + 1

    values: dict[str, Position] = {}
    keys: dict[str, Position] = {}
    # Each frame: [pointer, kind ('obj'|'arr'), next index, pending key, expecting key]
    stack: list[list] = []
    pos = 0
    pending_pointer = ""
    while pos < len(text):
        match = _JSON_TOKEN.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
        start = match.start(match.lastgroup)
        token = match.group(match.lastgroup)
        frame = stack[-1] if stack else None
        if match.lastgroup == "punct":
            if token in "{[":
                pointer = _value_pointer(frame, pending_pointer)
                values[pointer] = position(start)
                stack.append([pointer, "obj" if token == "{" else "arr", 0, None, token == "{"])
            elif token in "}]":
                stack.pop()
            elif token == "," and frame is not None:
                if frame[1] == "arr":
                    frame[2] += 1
                else:
                    frame[4] = True
            continue
        if frame is not None and frame[1] == "obj" and frame[4]:
            key = json.loads(token) if match.lastgroup == "str" else token
            frame[3] = key
            frame[4] = False
            keys[f"{frame[0]}/{escape_pointer_token(key)}"] = position(start)
            continue
        values[_value_pointer(frame, pending_pointer)] = position(start)
    return values, keys


def _value_pointer(frame: list | None, root: str) -> str:
    if frame is None:
        return root
    if frame[1] == "arr":
        return f"{frame[0]}/{frame[2]}"
    return f"{frame[0]}/{escape_pointer_token(frame[3])}"


# --------------------------------------------------------------------------- YAML

_STANDARD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STANDARD}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


_LOADER = None


def _loader_class():
    """The YAML loader of specs: libyaml's parser when PyYAML has it (else PyYAML's own), composing
    nodes only, with plain scalars tagged by the YAML 1.2 core schema (planner/yaml12.py)."""
    global _LOADER
    if _LOADER is None:
        import yaml
        import yaml.composer
        import yaml.parser
        import yaml.reader
        import yaml.scanner

        from .yaml12 import core_resolver

        resolver = core_resolver()
        if getattr(yaml, "__with_libyaml__", False):
            from yaml.cyaml import CParser

            class SpecLoader(CParser, resolver):
                def __init__(self, stream):
                    CParser.__init__(self, stream)
                    resolver.__init__(self)
        else:
            class SpecLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                             resolver):
                def __init__(self, stream):
                    yaml.reader.Reader.__init__(self, stream)
                    yaml.scanner.Scanner.__init__(self)
                    yaml.parser.Parser.__init__(self)
                    yaml.composer.Composer.__init__(self)
                    resolver.__init__(self)

        _LOADER = SpecLoader
    return _LOADER


#: the characters that make a YAML value something other than text: a list or a mapping written inline,
#: an alias, an anchor, a tag
_FLOW_STARTS = "[{*&!"


def _flow_value_hint(line: str) -> str:
    """A hint for a YAML error on a line whose value starts with [ { * & or ! (YAML syntax, not text):
    an expression such as `x[0] * 2` inside `[...]` reads as an alias, `[x] + 1` as a list and more.

    >>> _flow_value_hint("      output: [x[0] * 2, x[1]]")
    '; a value that starts with [ or { is a YAML list or mapping, and *, & and ! start an alias, an anchor and a tag: write an expression or text that holds them in quotes, e.g. output: ["x[0] * 2", "x[1]"]'
    >>> _flow_value_hint("  - conv2d: {filters: 8}"), _flow_value_hint("name: net")
    ('', '')
    """
    stripped = line.strip().removeprefix("- ").strip()
    key, separator, value = stripped.partition(": ")
    value = value.strip()
    while separator and value.startswith("{") and ": " in value:  # `{output: [...]}`: the innermost value
        key, separator, value = value[1:].partition(": ")
        value = value.strip().removesuffix("}").strip()
    if not separator or not value or value[0] not in _FLOW_STARTS or value == "[]" or value == "{}":
        return ""
    if value.startswith("[") and value.endswith("]"):
        parts = [part.strip() for part in _top_level_items(value[1:-1])]
        if not any(c in part for part in parts for c in "[]{}*&!"):
            return ""  # a plain list: the error is something else (an unclosed bracket on the line before)
        example = f"{key.strip()}: [" + ", ".join(f'"{part}"' if any(c in part for c in "[]{}*&!") else part
                                                    for part in parts) + "]"
    else:
        example = f'{key.strip()}: "{value}"'
    return ("; a value that starts with [ or { is a YAML list or mapping, and *, & and ! start an alias, an anchor "
            f"and a tag: write an expression or text that holds them in quotes, e.g. {example}")


def _top_level_items(text: str) -> list[str]:
    """The comma-separated items of a flow list's inside, brackets kept together.

    >>> _top_level_items("x[0] * 2, x[1], 4")
    ['x[0] * 2', ' x[1]', ' 4']
    """
    items, depth, start = [], 0, 0
    for position, character in enumerate(text):
        depth += character in "[{" and 1 or (character in "]}" and -1 or 0)
        if character == "," and depth == 0:
            items.append(text[start:position])
            start = position + 1
    return items + [text[start:]]


def _load_yaml(text: str, filename: str) -> Document:
    import yaml

    loader_class = _loader_class()
    try:
        loader = loader_class(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "nesting depth" in problem:  # libyaml's own limit (1000 levels), far beyond ours
            _fail("too-large", f"the spec is nested more than {MAX_DEPTH} levels deep", filename, line, column)
        lines = text.splitlines()
        hint = _flow_value_hint(lines[line - 1]) if line is not None and line <= len(lines) else ""
        _fail("syntax-error", f"invalid YAML: {problem}{hint}", filename, line, column)
    except yaml.YAMLError as exc:
        _fail("syntax-error", f"invalid YAML: {exc}", filename)
    except RecursionError:
        _fail("too-large", f"the YAML is nested too deeply (the limit is {MAX_DEPTH} levels)", filename)
    if root is None:
        return Document(None, filename)
    _check_expansion(root, filename)
    builder = _YamlBuilder(filename)
    data = builder.build(root)
    return Document(
        data,
        filename,
        _value_positions=lambda: builder.value_positions,
        _key_positions=lambda: builder.key_positions,
    )


def _check_expansion(root, filename: str) -> None:
    """Refuse a node graph that is recursive (`&a [*a]`), too deep, or expands to too many values.

    Aliases make the composed YAML a graph whose expansion can be exponentially larger than the
    text (the "billion laughs"); sizes are summed per distinct node, so this costs one visit each.
    """
    import yaml.nodes

    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(child)] for child in children)
            if size[key] > MAX_VALUES:
                _fail("too-large", f"the YAML expands to more than {MAX_VALUES:,} values (an alias/anchor bomb?)",
                      filename, node.start_mark.line + 1, node.start_mark.column + 1)
            continue
        if key in size:
            continue
        if key in on_path:
            _fail("syntax-error", "a YAML alias refers to a node that contains it (a recursive structure)",
                  filename, node.start_mark.line + 1, node.start_mark.column + 1)
        if depth > MAX_DEPTH:
            _fail("too-large", f"the spec is nested more than {MAX_DEPTH} levels deep", filename,
                  node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.nodes.ScalarNode):
            size[key] = 1
            continue
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node) -> list:
    import yaml.nodes

    if isinstance(node, yaml.nodes.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.nodes.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


class _YamlBuilder:
    """Turns composed YAML nodes into plain values, recording where each one stands."""

    def __init__(self, filename: str):
        import yaml.constructor

        self.filename = filename
        self.constructor = yaml.constructor.SafeConstructor()
        self.value_positions: dict[str, Position] = {}
        self.key_positions: dict[str, Position] = {}
        self.count = 0

    def _mark(self, node) -> Position:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node, pointer: str = "", depth: int = 1) -> Any:
        import yaml.nodes

        self.count += 1
        if self.count > MAX_VALUES:
            _fail(
                "too-large",
                f"the YAML expands to more than {MAX_VALUES:,} values (an alias/anchor bomb?)",
                self.filename,
                *self._mark(node),
            )
        if depth > MAX_DEPTH:
            _fail("too-large", f"the spec is nested more than {MAX_DEPTH} levels deep", self.filename, *self._mark(node))
        self.value_positions[pointer] = self._mark(node)
        if isinstance(node, yaml.nodes.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.nodes.SequenceNode):
            self._check_tag(node, "seq")
            return [self.build(child, f"{pointer}/{i}", depth + 1) for i, child in enumerate(node.value)]
        self._check_tag(node, "map")
        return self._mapping(node, pointer, depth)

    def _check_tag(self, node, expected: str) -> None:
        if node.tag != _STANDARD + expected:
            self._unsupported_tag(node)

    def _unsupported_tag(self, node) -> None:
        _fail(
            "unsupported-tag",
            f"YAML tag {node.tag!r} is not allowed: specs hold plain values only (nothing is constructed or run)",
            self.filename,
            *self._mark(node),
        )

    def _scalar(self, node, key: bool = False) -> Any:
        """A scalar's value: a plain one as YAML 1.2's core schema reads it (`planner/yaml12.py`),
        refused when YAML 1.1 reads it otherwise; an explicitly tagged one (`!!int 10`) likewise. A
        mapping `key` is not refused: every key of a spec is a name, and `on:` (a workflow file's
        key, true in YAML 1.1) is an unknown key whichever way it is read."""
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self._unsupported_tag(node)
        name = tag.rsplit(":", 1)[1]
        if not key:
            # explicit: quoted, a block scalar, or tagged (`!!int 010`); a plain scalar's style is None
            # (or '' from libyaml)
            explicit = bool(node.style) or core_tag(node.value) != name
            conflict = yaml11_conflict(node.value, name, explicit)
            if conflict:
                _fail("syntax-error", conflict, self.filename, *self._mark(node))
        if name in ("str", "timestamp"):
            return node.value
        if name == "int" and len(node.value) > MAX_INT_DIGITS:
            _fail("too-large", _long_integer_message(node.value), self.filename, *self._mark(node))
        try:
            return core_value(name, node.value)
        except ValueError:  # an explicit tag on a value it does not fit: `!!int abc`, `!!bool maybe`
            _fail("syntax-error", f"{node.value!r} is not a valid {name} (YAML 1.2)", self.filename,
                  *self._mark(node))

    def _mapping(self, node, pointer: str, depth: int) -> dict:
        import yaml.nodes

        result: dict = {}
        merged: list[tuple[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _STANDARD + "merge":
                merged.extend(self._merge_sources(value_node))
                continue
            if not isinstance(key_node, yaml.nodes.ScalarNode):
                _fail("syntax-error", "a mapping key must be a plain scalar", self.filename, *self._mark(key_node))
            key = self._scalar(key_node, key=True)
            if key in result:
                _fail("duplicate-key", f"key {key!r} appears twice in one mapping", self.filename, *self._mark(key_node))
            child = f"{pointer}/{escape_pointer_token(key)}"
            self.key_positions[child] = self._mark(key_node)
            result[key] = self.build(value_node, child, depth + 1)
        for key_node, value_node in merged:
            key = self._scalar(key_node, key=True)
            if key not in result:
                child = f"{pointer}/{escape_pointer_token(key)}"
                self.key_positions.setdefault(child, self._mark(key_node))
                result[key] = self.build(value_node, child, depth + 1)
        return result

    def _merge_sources(self, value_node) -> list:
        import yaml.nodes

        sources = value_node.value if isinstance(value_node, yaml.nodes.SequenceNode) else [value_node]
        pairs = []
        for source in sources:
            if not isinstance(source, yaml.nodes.MappingNode):
                _fail("syntax-error", "a YAML merge key (<<) needs a mapping or a list of mappings", self.filename, *self._mark(source))
            pairs.extend(source.value)
        return pairs
