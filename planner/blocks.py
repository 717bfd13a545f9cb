"""Reusable blocks: `blocks: {name: [layers...]}` defined once, used as `- block: name` in `layers:`.

A use expands into copies of the block's layers. Every name inside a copy is prefixed by the use's
name (`down1.conv`), so repeats and reuses stay unique, and the use's name also names the copy's
output (its last layer). Inside a body, `inputs:` names resolve first to the body's own layers, then
`input` is the block's input, then names of the enclosing scope (the spec's layers and inputs).
`repeat: N` chains N copies named `use.1` ... `use.N` (`start: 0`: `use.0` ... `use.N-1`, as torch's
nn.Sequential numbers them); `use` then names the last copy's output. `segment: false` adds no name of
the use's own: its copies are named under the enclosing copy (`stage2.0`, `stage2.1`), or share its
names when not numbered. Blocks may use blocks; a block that uses itself is an error.

Conditions: a body entry (a layer or a use) with `if: CONDITION` (planner/expressions.py's conditions
of the arguments) is left out when it does not hold: it and its name vanish, and a reader of its name,
or the entry after it, reads what it would have read (Spec.skipped and Spec.redirects, which
planner/graph.py follows). `in.channels` and `in.shape[K]` are the use's input (one sample, in the
framework's layout), found by planning the layers before the copy (the `input_shape_of` probe).

Arguments: a block written as `{args: {width: 64, stride: 1}, layers: [...]}` declares arguments with
their defaults (null: the use must give it); a use passes values with `args: {width: 128}`. Inside
the body, a string value that names an argument is replaced by the argument's value, and a string
that is an integer expression of arguments (`width * 4`, `(c + n * growth) // 2`, see
planner/expressions.py) by its value; `name:` values are kept. A use's own values (`args:`,
`repeat:`, `inputs:`) are read in the scope that holds the use: the enclosing copy's arguments and
the use's `index:` name, which counts the copies of `repeat:` from 1.

Expanded layers keep the JSON pointer of their entry in the block body (so a diagnostic gives the
line in the body) and the pointers of the uses that produced them (so it also gives the use's line).

>>> from layerplan.planner.spec import build_spec
>>> spec = build_spec({"input": [8, 16, 16], "blocks": {"res": [{"conv2d": {"filters": 8, "kernel_size": 3,
...     "padding": 1, "name": "conv"}}, {"add": {"inputs": ["conv", "input"]}}]},
...     "layers": [{"block": "res", "name": "r", "repeat": 2}]})
>>> [(e.index, e.name or e.type_name, e.pointer) for e in spec.layers]
[(1, 'r.1.conv', '/blocks/res/0'), (2, 'add', '/blocks/res/1'), (3, 'r.2.conv', '/blocks/res/0'), (4, 'add', '/blocks/res/1')]
>>> spec.layers[3].aliases, spec.layers[3].block_path, spec.layers[3].uses
((('r.2', '/layers/0/name'), ('r', '/layers/0/name')), ('r', 'r.2'), ('/layers/0',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .options import describe, is_int
from .spec_text import escape_pointer_token
from .suggest import did_you_mean

#: A spec may expand to at most this many layers (repeat and nesting multiply).
MAX_EXPANDED_LAYERS = 100_000
USE_KEYS = ("block", "inputs", "repeat", "start", "name", "segment", "args", "index", "if")
#: the most layer plans the `in.` probes of one spec may take (each plans the layers before its copy)
MAX_PROBED_LAYERS = 100_000
#: the keys of a block written as a mapping (the short form is a list of layers)
BLOCK_KEYS = ("args", "layers")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: a word of a text, to tell whether a string mentions an argument before parsing it
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
#: a mention of the use's input in a value (`in.channels`, `in.shape[1]`)
_READS_INPUT = re.compile(r"(?<![A-Za-z0-9_.])in\.(?:channels|shape)\b")
#: a text of digits and operators only (a use's `args: {width: "64 * 2"}`)
_ARITHMETIC = re.compile(r"[\s\d+\-*/()]*\d[\s\d+\-*/()]*\Z")


class Scope:
    """Where names are looked up: the spec's top level, or one copy of a block body.

    prefix: "down1." inside the copy named down1, "" at the top level; use_name: the copy's full name,
    e.g. "down1" or "stage.2"; input_ref: the use's `inputs:` name, resolved in the parent scope;
    input_name: the name the copy's input resolved to (set while planning); counters: default layer
    names inside this copy; args: the copy's argument values (empty at the top level); input_target:
    what the copy reads instead of the layer before it, when `if:` left that entry out. Compared by
    identity.
    """

    __slots__ = ("prefix", "parent", "use_name", "input_ref", "input_ref_pointer", "input_name", "counters",
                 "args", "input_target")

    def __init__(self, prefix: str = "", parent: "Scope | None" = None, use_name: str | None = None,
                 input_ref: str | None = None, input_ref_pointer: str | None = None, input_name: str | None = None,
                 counters: dict[str, int] | None = None, args: dict[str, Any] | None = None) -> None:
        self.prefix = prefix
        self.parent = parent
        self.use_name = use_name
        self.input_ref = input_ref
        self.input_ref_pointer = input_ref_pointer
        self.input_name = input_name
        self.counters = {} if counters is None else counters
        self.args = {} if args is None else args
        self.input_target = None  # what the copy reads when the entry before its use was left out (a Target)

    def __repr__(self) -> str:
        return (f"Scope(prefix={self.prefix!r}, parent={self.parent!r}, use_name={self.use_name!r}, "
                f"input_ref={self.input_ref!r}, input_ref_pointer={self.input_ref_pointer!r}, "
                f"input_name={self.input_name!r}, counters={self.counters!r}, args={self.args!r})")

    def chain(self):
        """This scope and its enclosing ones, innermost first."""
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent


class _TooLarge(Exception):
    pass


def is_block_use(item: Any) -> bool:
    """Is a layer entry a block use (`- block: name`)?

    >>> is_block_use({"block": "down", "repeat": 2}), is_block_use({"conv2d": {"filters": 3}})
    (True, False)
    """
    return isinstance(item, dict) and "block" in item and "type" not in item


def expand_layers(spec, layers: list, blocks: Any, read_layer: Callable, read_input_names: Callable,
                  input_shape_of: Callable | None = None) -> list:
    """Expand `layers` (with block uses) into a flat list of LayerEntry; errors go to spec.diagnostics.

    `read_layer(spec, item, list_pointer, position, index)` reads one layer entry and
    `read_input_names(spec, value, pointer, index)` an `inputs:` value (both planner/spec.py's, which
    calls this module: they are passed in, so that the two modules do not import each other);
    `input_shape_of(spec, entries, reader)` plans `entries` and gives the shape `reader` reads after them
    (planner/plan.py's probe_input, for `in.channels`; None: `in.` is an error)."""
    return _Expander(spec, _read_blocks(spec, blocks), read_layer, read_input_names, input_shape_of).run(layers)


def condition_of(item: Any) -> tuple[Any, Any, str | None]:
    """(the entry without its `if:`, the condition, where it is written: "" on the entry itself, else
    the key that holds the options) of a raw entry; where is None when it has no `if:`.

    >>> condition_of({"conv2d": {"filters": 8, "if": "stride > 1"}})
    ({'conv2d': {'filters': 8}}, 'stride > 1', 'conv2d')
    >>> condition_of({"block": "unit", "if": False})[1:], condition_of("relu")[2]
    ((False, ''), None)
    """
    if item.__class__ is not dict:
        return item, None, None
    if "if" in item:
        return {k: v for k, v in item.items() if k != "if"}, item["if"], ""
    if len(item) == 1:
        key, body = next(iter(item.items()))
        if body.__class__ is dict and "if" in body:
            return {key: {k: v for k, v in body.items() if k != "if"}}, body["if"], key
    return item, None, None


def _entry_meta(item: Any) -> dict:
    """The `name:` and `inputs:` of a raw layer entry, in either of its spellings."""
    if not isinstance(item, dict):
        return {}
    if "type" in item or len(item) != 1:
        return item
    body = next(iter(item.values()))
    return body if isinstance(body, dict) else {}


def _about_input(exc: Exception, scope: "Scope") -> str:
    """A hint for an expression that reads `in.` where the input's shape is not known."""
    if "'in." in str(exc) and not any(key.startswith("in.") for key in scope.args):
        return " (in.channels and in.shape are the block use's input: its shape is unknown here)"
    return ""


def _is_last(target: "Target | None", out: list) -> bool:
    """Is `target` the output of the last layer written (what the next layer reads anyway)?"""
    return target is not None and target[0] == "entry" and bool(out) and target[1] is out[-1]


#: what a layer reads when the entry before it was left out by `if:` (planner/graph.py resolves these):
#: ("entry", LayerEntry) its output, ("input", Scope) the input of that block copy, ("name", raw, Scope)
#: a name as written in that copy.
Target = tuple


#: the default of an argument that each use must give (written as null)
REQUIRED_ARG = None


@dataclass(frozen=True, slots=True)
class BlockDef:
    """One entry of `blocks:`: its layers, where they are written, and its arguments (name -> default,
    None for an argument each use must give)."""

    layers: list
    pointer: str
    args: dict[str, Any]


def _read_blocks(spec, blocks: Any) -> dict[str, BlockDef]:
    if blocks is None:
        return {}
    if not isinstance(blocks, dict):
        spec.error("bad-block", f"blocks must map block names to lists of layers, got {describe(blocks)}", "/blocks")
        return {}
    result = {}
    for name, body in blocks.items():
        pointer = f"/blocks/{escape_pointer_token(name)}"
        args: dict[str, Any] = {}
        layers_pointer = pointer
        if isinstance(body, dict):
            for key in body:
                if key not in BLOCK_KEYS:
                    spec.error("bad-block", f"a block is a list of layers or a mapping with {' and '.join(BLOCK_KEYS)}; "
                               f"got {key!r}{did_you_mean(str(key), BLOCK_KEYS)}",
                               f"{pointer}/{escape_pointer_token(key)}")
            args = _read_declared_args(spec, body.get("args"), f"{pointer}/args")
            body, layers_pointer = body.get("layers"), f"{pointer}/layers"
        if not isinstance(body, list) or not body:
            spec.error("bad-block", f"block {name!r} must be a non-empty list of layers, got {describe(body)}",
                       layers_pointer)
            continue
        result[str(name)] = BlockDef(body, layers_pointer, args)
    return result


def _read_declared_args(spec, value: Any, pointer: str) -> dict[str, Any]:
    """A block's `args:` mapping, checked: names are identifiers other than `input`."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        spec.error("bad-block", f"args must map argument names to defaults (null: the use must give it), e.g. "
                   f"args: {{width: 64, stride: 1}}; got {describe(value)}", pointer)
        return {}
    args = {}
    for name, default in value.items():
        if not isinstance(name, str) or not _IDENTIFIER.match(name) or name == "input":
            spec.error("bad-block", f"an argument name is a word of letters, digits and _ (not starting with a "
                       f"digit, not 'input'), got {describe(name)}", f"{pointer}/{escape_pointer_token(name)}")
            continue
        args[name] = default
    return args


class _Unresolved(Exception):
    """A value in a block could not be read with the arguments in scope: (message, pointer)."""

    def __init__(self, message: str, pointer: str):
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def substitute(value: Any, env: dict[str, Any], pointer: str = "") -> Any:
    """`value` with the arguments in `env` put in: a string naming an argument becomes its value, a
    string that is an integer expression of arguments becomes its value, and one that also names other
    things (a custom layer's `x[0]`) gets the arguments' values written in. Strings that mention no
    argument, `name:` values and mapping keys are kept. Raises _Unresolved.

    >>> substitute({"filters": "width * 4", "kernel_size": ["k", 1], "padding": "same", "name": "width"},
    ...            {"width": 64, "k": 3})
    {'filters': 256, 'kernel_size': [3, 1], 'padding': 'same', 'name': 'width'}
    >>> substitute("x[-1] * k", {"k": 2})
    'x[-1] * 2'
    """
    if not env:
        return value
    if isinstance(value, str):
        return _substitute_text(value, env, pointer)
    if isinstance(value, list):
        return [substitute(item, env, f"{pointer}/{position}") for position, item in enumerate(value)]
    if isinstance(value, dict):
        return {key: item if key == "name" else substitute(item, env, f"{pointer}/{escape_pointer_token(key)}")
                for key, item in value.items()}
    return value


def _substitute_text(text: str, env: dict[str, Any], pointer: str, arithmetic: bool = False) -> Any:
    """One string (see substitute); `arithmetic`: also compute expressions of numbers alone (`64 * 2`),
    as a use's `args:` values are, and refuse malformed ones."""
    stripped = text.strip()
    if stripped in env:
        return env[stripped]
    words = _WORD.findall(text)
    if not any(word in env for word in words) and not (arithmetic and not words and _ARITHMETIC.match(text)):
        return text
    # the expression reader loads only for a spec whose blocks compute values
    from .expressions import ExpressionError, evaluate, names, parse, render

    try:
        node = parse(text)
        read = names(node)
        if all(name in env for name, _ in read):
            return evaluate(node, env)
        return render(node, {name: v for name, v in env.items() if is_int(v)})
    except ExpressionError as exc:
        raise _Unresolved(f"{text!r}: {exc}", pointer) from None


class _UnknownInput:
    """The value of `in.channels` and `in.shape` when an error before the use leaves its input unknown."""

    def __repr__(self) -> str:
        return "unknown (an error before this block use)"


def input_values(shape: tuple | None, framework: str) -> dict[str, Any]:
    """The values a block's expressions read as `in.channels` and `in.shape` for an input of `shape`
    (one sample, the framework's layout); for an unknown shape, values that say so when read.

    >>> input_values((3, 32, 32), "torch"), input_values((32, 32, 3), "keras")["in.channels"]
    ({'in.shape': (3, 32, 32), 'in.channels': 3}, 3)
    """
    if shape is None:
        return {"in.shape": _UnknownInput(), "in.channels": _UnknownInput()}
    values: dict[str, Any] = {"in.shape": tuple(shape)}
    if shape:
        values["in.channels"] = shape[0] if framework == "torch" else shape[-1]
    return values


class _Expander:
    def __init__(self, spec, blocks: dict[str, BlockDef], read_layer: Callable, read_input_names: Callable,
                 input_shape_of: Callable | None = None):
        self.spec = spec
        self.blocks = blocks
        self.read_layer = read_layer
        self.read_input_names = read_input_names
        self.input_shape_of = input_shape_of
        self.out: list = []
        self.pending_opens: list[Scope] = []
        self.used_blocks = False  # whether a block use was met (a too-long expansion is then the blocks')
        self.probed_layers = 0  # the layer plans the `in.` probes took so far

    def run(self, layers: list) -> list:
        try:
            self._expand(layers, "/layers", Scope(), (), (), ())
        except _TooLarge:
            if self.used_blocks:
                self.spec.error("bad-block", f"the blocks expand to more than {MAX_EXPANDED_LAYERS:,} layers "
                                "(check repeat: and nested blocks)", "/layers")
            else:  # a plain list: the file itself is over the limit
                self.spec.error("too-large", f"the spec has {len(layers):,} layers, over the "
                                f"{MAX_EXPANDED_LAYERS:,}-layer limit of a spec", "/layers")
            self.spec.layers_missing = True
            return []  # nothing is planned: the spec is refused as a whole
        return self.out

    def _error(self, name: str, message: str, pointer: str, index: int, uses: tuple) -> None:
        """An error inside a block: it points at the body and at each use (used_at)."""
        self.spec.error(name, message, pointer, index, uses)

    def _expand(self, items: list, base: str, scope: Scope, stack: tuple, uses: tuple, path: tuple,
                path_blocks: tuple = ()) -> Target | None:
        """Expand `items` into self.out. Returns what a layer after them reads when the last of them was
        left out by `if:` (a Target), else None (the last layer written)."""
        read_layer = self.read_layer
        # Once per layer of a large stack: attributes are held in locals, a bare type name skips the
        # block-use test, and the entry's pointer is built only if a diagnostic needs it.
        spec, out, pending_opens, prefix, env = self.spec, self.out, self.pending_opens, scope.prefix, scope.args
        follows: Target | None = None  # what the next layer reads, when the entry before it was left out
        for position, item in enumerate(items):
            if item.__class__ is dict:
                item, condition, where = condition_of(item)
                if where is not None:
                    pointer = f"{base}/{position}" + (f"/{escape_pointer_token(where)}" if where else "")
                    kept = self._holds(condition, scope, f"{pointer}/if", len(out) + 1, uses)
                    if kept is None:
                        continue
                    if not kept:
                        follows = self._leave_out(item, f"{base}/{position}", scope, follows, len(out) + 1, uses)
                        continue
            if item.__class__ is not str and is_block_use(item):  # its values are read by _use
                before = len(out)
                done = self._use(item, f"{base}/{position}", scope, stack, uses, path, path_blocks, follows)
                if not done:
                    spec.layers_missing = True  # the plan cannot say what the spec outputs
                if len(out) > before:
                    follows = None if done is True else done
                continue
            unresolved = False
            if env:
                try:
                    item = substitute(item, env, f"{base}/{position}")
                except _Unresolved as exc:
                    self._error("bad-option-value", exc.message, exc.pointer, len(out) + 1, uses)
                    unresolved = True
            if len(out) >= MAX_EXPANDED_LAYERS:
                raise _TooLarge
            entry = read_layer(spec, item, base, position, len(out) + 1)
            if unresolved:  # the layer keeps its name and place (later layers still find it), not its options
                entry.type_name, entry.options, entry.positional = None, {}, None
            if entry.name is not None:
                entry.name = prefix + entry.name
            if entry.names is not None:
                entry.names = [prefix + name for name in entry.names]
            entry.scope = scope
            entry.uses = uses
            entry.block_path = path
            entry.block_names = path_blocks
            if pending_opens:
                entry.opens = tuple(pending_opens)
                pending_opens.clear()
            if follows is not None:
                if entry.inputs is None and not _is_last(follows, out):
                    spec.redirects[entry.index] = follows
                follows = None
            out.append(entry)
        return None if _is_last(follows, out) else follows

    def _probe(self, instance: Scope, pointer: str, index: int, uses: tuple) -> tuple | None | bool:
        """The sample shape a block copy reads (None: unknown, after an error before it), found by planning
        the layers before it; False after an error of its own (reported)."""
        if self.input_shape_of is None:
            self._error("bad-block", "in.channels and in.shape are read while planning: this use is read without "
                        "planning it", pointer, index, uses)
            return False
        self.probed_layers += len(self.out) + 1
        if self.probed_layers > MAX_PROBED_LAYERS:
            self._error("too-large", f"the blocks' in.channels and in.shape need more than {MAX_PROBED_LAYERS:,} layer "
                        "plans (each use that reads them plans the layers before it): give the sizes as args", pointer,
                        index, uses)
            return False
        reader = self.read_layer(self.spec, "identity", pointer, 0, len(self.out) + 1)
        reader.scope, reader.opens = instance, tuple(self.pending_opens)
        return self.input_shape_of(self.spec, self.out, reader)

    def _holds(self, condition: Any, scope: Scope, pointer: str, index: int, uses: tuple) -> bool | None:
        """Whether a body entry's `if:` holds (None after an error, which is reported)."""
        if scope.parent is None:
            self._error("bad-block", "if: is read in a block body, where it tests the block's arguments; at the top "
                        "level, keep the layer or leave it out", pointer, index, uses)
            return None
        if isinstance(condition, bool) or is_int(condition):
            return bool(condition)
        if not isinstance(condition, str):
            self._error("bad-block", f"if: takes a condition of the block's arguments (stride > 1, in.channels != "
                        f"width), true or false; got {describe(condition)}", pointer, index, uses)
            return None
        from .expressions import ExpressionError, holds, parse_condition

        try:
            return holds(parse_condition(condition), scope.args)
        except ExpressionError as exc:
            self._error("bad-block", f"if: {condition!r}: {exc}{_about_input(exc, scope)}", pointer, index, uses)
            return None

    def _leave_out(self, item: Any, pointer: str, scope: Scope, follows: Target | None, index: int,
                   uses: tuple) -> Target | None:
        """A body entry whose `if:` does not hold: its name (if it has one) reads what it would have read,
        and so does the entry after it. Returns what the entry after it reads."""
        if follows is None:
            out = self.out
            wrote = bool(out) and scope not in self.pending_opens and out[-1].scope is not None \
                and any(s is scope for s in out[-1].scope.chain())
            follows = ("entry", out[-1]) if wrote else ("input", scope)
        meta = item if is_block_use(item) else _entry_meta(item)
        raw_inputs, name = meta.get("inputs"), meta.get("name")
        if raw_inputs is not None:
            if scope.args:
                try:
                    raw_inputs = substitute(raw_inputs, scope.args, f"{pointer}/inputs")
                except _Unresolved as exc:
                    self._error("bad-inputs", exc.message, exc.pointer, index, uses)
                    return follows
            names_ = self.read_input_names(self.spec, raw_inputs, f"{pointer}/inputs", index)
            if names_ is None:
                return follows
            if len(names_) != 1:
                self._error("bad-block", f"a layer left out by if: is read as its input, so it may read only one; "
                            f"this one reads {len(names_)} ({', '.join(names_)})", pointer, index, uses)
                return follows
            follows = ("name", names_[0], scope)
        if isinstance(name, str) and name:
            self.spec.skipped[scope.prefix + name] = follows
        return follows

    def _use(self, item: dict, pointer: str, scope: Scope, stack: tuple, uses: tuple, path: tuple,
             path_blocks: tuple = (), follows: Target | None = None) -> bool | Target | None:
        """Expand one block use: True when every copy gave its layers, None when an error left some out, a
        Target when the last copy's last entry was left out by `if:` (what a layer after the use reads).
        `follows`: what the first copy reads, when the entry before the use was left out."""
        spec = self.spec
        self.used_blocks = True
        index = len(self.out) + 1
        for key in item:
            if key not in USE_KEYS:
                self._error("bad-block", f"a block use takes {', '.join(USE_KEYS)}; got {key!r}"
                            f"{did_you_mean(str(key), USE_KEYS)}", f"{pointer}/{escape_pointer_token(key)}", index,
                            uses)
        block = item["block"]
        if not isinstance(block, str) or block not in self.blocks:
            known = ", ".join(self.blocks) or "none defined"
            self._error("bad-block", f"unknown block {describe(block)}{did_you_mean(str(block), self.blocks)} "
                        f"(blocks: {known})", f"{pointer}/block", index, uses)
            return
        if block in stack:
            cycle = " -> ".join((*stack[stack.index(block):], block))
            self._error("bad-block", f"block {block!r} uses itself ({cycle}); blocks may use other blocks, "
                        "not themselves", f"{pointer}/block", index, uses)
            return
        definition = self.blocks[block]
        counter = item.get("index")
        if counter is not None and (not isinstance(counter, str) or not _IDENTIFIER.match(counter)):
            self._error("bad-block", f"index names the copy number for args: (a word such as i), got "
                        f"{describe(counter)}", f"{pointer}/index", index, uses)
            return
        repeat = item.get("repeat", 1)
        if isinstance(repeat, str) and scope.args:
            try:
                repeat = _substitute_text(repeat, scope.args, f"{pointer}/repeat")
            except _Unresolved as exc:
                self._error("bad-block", f"repeat {exc.message}", exc.pointer, index, uses)
                return
        if not is_int(repeat) or repeat < 1:
            self._error("bad-block", f"repeat must be a positive integer, got {describe(repeat)}",
                        f"{pointer}/repeat", index, uses)
            return
        start = item.get("start")
        if start is not None and (not is_int(start) or start < 0 or "repeat" not in item):
            self._error("bad-block", "start numbers the copies of repeat: (start: 0 names them NAME.0, NAME.1 ... as "
                        f"nn.Sequential does); it takes an integer >= 0 beside repeat:, got {describe(start)}"
                        + ("" if "repeat" in item else " without repeat:"), f"{pointer}/start", index, uses)
            return
        segment = item.get("segment", True)
        if not isinstance(segment, bool) or (segment is False and "name" in item):
            self._error("bad-block", "segment: false gives the copies no name of the use's own (they are named under "
                        "the enclosing copy), so it takes no name:" if isinstance(segment, bool) else
                        f"segment is true or false, got {describe(segment)}", f"{pointer}/segment", index, uses)
            return
        passed = item.get("args")
        if passed is not None and not isinstance(passed, dict):
            self._error("bad-block", f"args must map argument names to values, got {describe(passed)}",
                        f"{pointer}/args", index, uses)
            return
        passed = passed or {}
        problems = False
        for key in passed:
            if key not in definition.args:
                declared = ", ".join(definition.args) or "none"
                self._error("bad-block", f"block {block!r} has no argument {key!r}"
                            f"{did_you_mean(str(key), definition.args)} (its args: {declared})",
                            f"{pointer}/args/{escape_pointer_token(key)}", index, uses)
                problems = True
        missing = [k for k, default in definition.args.items() if default is REQUIRED_ARG and k not in passed]
        if missing:
            self._error("bad-block", f"block {block!r} needs args {', '.join(missing)} (they have no default): "
                        f"add args: {{{', '.join(f'{k}: ...' for k in missing)}}} to this use",
                        f"{pointer}/args" if "args" in item else pointer, index, uses)
            problems = True
        if problems:
            return
        input_ref = None
        if "inputs" in item:
            raw_inputs = item["inputs"]
            if scope.args:
                try:
                    raw_inputs = substitute(raw_inputs, scope.args, f"{pointer}/inputs")
                except _Unresolved as exc:
                    self._error("bad-inputs", exc.message, exc.pointer, index, uses)
                    return
            names_ = self.read_input_names(spec, raw_inputs, f"{pointer}/inputs", index)
            if names_ is not None and len(names_) != 1:
                spec.error("bad-inputs", f"a block takes one input; got {len(names_)} ({', '.join(names_)}). "
                           "Merge them first (concatenate, add), or merge inside the block body with inputs: "
                           "naming outer layers", f"{pointer}/inputs", index)
                names_ = None
            input_ref = names_[0] if names_ else None
        name = item.get("name")
        name_pointer = f"{pointer}/name" if "name" in item else pointer
        if name is not None and (not isinstance(name, str) or not name):
            spec.error("bad-value", f"a block use's name must be a non-empty string, got {describe(name)}",
                       name_pointer, index)
            name = None
        numbered = repeat > 1 or start is not None
        first = 1 if start is None else start
        if not segment:
            # the copies go straight under the enclosing copy: stage2.0, stage2.1 (or its own names, unnumbered)
            full = scope.use_name or ""
        else:
            if name is None:
                scope.counters[f"block:{block}"] = scope.counters.get(f"block:{block}", 0) + 1
                name = f"{block}_{scope.counters[f'block:{block}']}"
            full = scope.prefix + name
        needs_input = bool(_READS_INPUT.search(repr(passed)) or _READS_INPUT.search(repr(definition.layers)))
        ends: Target | None = None
        for number in range(first, first + repeat):
            env = dict(scope.args)
            if counter is not None:
                env[counter] = number
            copy_name = (f"{full}.{number}" if full else str(number)) if numbered else full
            if segment or numbered:
                instance = Scope(prefix=copy_name + ".", parent=scope, use_name=copy_name)
            else:  # no name of its own: its layers are named, and counted, as the enclosing copy's
                instance = Scope(prefix=scope.prefix, parent=scope, use_name=scope.use_name, counters=scope.counters)
            if number == first:
                instance.input_ref = input_ref
                instance.input_ref_pointer = f"{pointer}/inputs" if input_ref else None
                if input_ref is None and follows is not None:
                    instance.input_target = follows
            elif ends is not None:
                instance.input_target = ends
            self.pending_opens.append(instance)
            if needs_input:
                shape = self._probe(instance, pointer, index, uses)
                if shape is False:
                    self.pending_opens.remove(instance)
                    return
                env.update(input_values(shape, spec.framework))
            values = dict(definition.args)
            for key, value in passed.items():
                where = f"{pointer}/args/{escape_pointer_token(key)}"
                try:
                    values[key] = (_substitute_text(value, env, where, arithmetic=True) if isinstance(value, str)
                                   else substitute(value, env, where))
                except _Unresolved as exc:
                    self._error("bad-block", f"argument {key} = {exc.message}{_about_input(exc, instance)}",
                                exc.pointer, index, uses)
                    self.pending_opens.remove(instance)
                    return
            if needs_input:
                values.update((k, v) for k, v in env.items() if k.startswith("in."))
            instance.args = values
            before, reported = len(self.out), len(spec.diagnostics)
            if segment or numbered:
                copy_path = path + ((full,) if not numbered else (full, copy_name) if segment else (copy_name,))
                copy_blocks = path_blocks + ((block,) if not numbered or not segment else (block, block))
            else:
                copy_path, copy_blocks = path, path_blocks
            ends = self._expand(definition.layers, definition.pointer, instance, stack + (block,),
                                (pointer,) + uses, copy_path, copy_blocks)
            if len(self.out) == before:  # the copy failed (its errors are reported): the next ones would too
                if instance in self.pending_opens:
                    self.pending_opens.remove(instance)
                if len(spec.diagnostics) == reported:
                    self._error("bad-block", f"if: left out every layer of block {block!r} in this use; a use keeps "
                                "at least one (an if: on the use leaves out the whole use)", pointer, index, uses)
                return
            names = [] if not segment and not numbered else [copy_name]
            if numbered and segment and number == first + repeat - 1:
                names.append(full)
            for alias in names:
                if ends is None:
                    self.out[-1].aliases += ((alias, name_pointer),)
                else:
                    spec.skipped[alias] = ends
        return True if ends is None else ends
