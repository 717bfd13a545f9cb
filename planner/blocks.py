"""Reusable blocks: `blocks: {name: [layers...]}` defined once, used as `- block: name` in `layers:`.

A use expands into copies of the block's layers. Every name inside a copy is prefixed by the use's
name (`down1.conv`), so repeats and reuses stay unique, and the use's name also names the copy's
output (its last layer). Inside a body, `inputs:` names resolve first to the body's own layers, then
`input` is the block's input, then names of the enclosing scope (the spec's layers and inputs).
`repeat: N` chains N copies named `use.1` ... `use.N`; `use` then names the last copy's output.
Blocks may use blocks; a block that uses itself is an error.

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

from typing import Any, Callable

from layerplan.planner.options import describe, is_int
from layerplan.planner.spec_text import escape_pointer_token
from layerplan.planner.suggest import did_you_mean

#: A spec may expand to at most this many layers (repeat and nesting multiply).
MAX_EXPANDED_LAYERS = 100_000
USE_KEYS = ("block", "inputs", "repeat", "name")


class Scope:
    """Where names are looked up: the spec's top level, or one copy of a block body.

    prefix: "down1." inside the copy named down1, "" at the top level; use_name: the copy's full name,
    e.g. "down1" or "stage.2"; input_ref: the use's `inputs:` name, resolved in the parent scope;
    input_name: the name the copy's input resolved to (set while planning); counters: default layer
    names inside this copy. Compared by identity.
    """

    __slots__ = ("prefix", "parent", "use_name", "input_ref", "input_ref_pointer", "input_name", "counters")

    def __init__(self, prefix: str = "", parent: "Scope | None" = None, use_name: str | None = None,
                 input_ref: str | None = None, input_ref_pointer: str | None = None, input_name: str | None = None,
                 counters: dict[str, int] | None = None) -> None:
        self.prefix = prefix
        self.parent = parent
        self.use_name = use_name
        self.input_ref = input_ref
        self.input_ref_pointer = input_ref_pointer
        self.input_name = input_name
        self.counters = {} if counters is None else counters

    def __repr__(self) -> str:
        return (f"Scope(prefix={self.prefix!r}, parent={self.parent!r}, use_name={self.use_name!r}, "
                f"input_ref={self.input_ref!r}, input_ref_pointer={self.input_ref_pointer!r}, "
                f"input_name={self.input_name!r}, counters={self.counters!r})")

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


def expand_layers(spec, layers: list, blocks: Any, read_layer: Callable, read_input_names: Callable) -> list:
    """Expand `layers` (with block uses) into a flat list of LayerEntry; errors go to spec.diagnostics.

    `read_layer(spec, item, list_pointer, position, index)` reads one layer entry and
    `read_input_names(spec, value, pointer, index)` an `inputs:` value (both planner/spec.py's, which
    calls this module: they are passed in, so that the two modules do not import each other)."""
    return _Expander(spec, _read_blocks(spec, blocks), read_layer, read_input_names).run(layers)


def _read_blocks(spec, blocks: Any) -> dict[str, list]:
    if blocks is None:
        return {}
    if not isinstance(blocks, dict):
        spec.error("bad-block", f"blocks must map block names to lists of layers, got {describe(blocks)}", "/blocks")
        return {}
    result = {}
    for name, body in blocks.items():
        pointer = f"/blocks/{escape_pointer_token(name)}"
        if not isinstance(body, list) or not body:
            spec.error("bad-block", f"block {name!r} must be a non-empty list of layers, got {describe(body)}",
                       pointer)
            continue
        result[str(name)] = body
    return result


class _Expander:
    def __init__(self, spec, blocks: dict[str, list], read_layer: Callable, read_input_names: Callable):
        self.spec = spec
        self.blocks = blocks
        self.read_layer = read_layer
        self.read_input_names = read_input_names
        self.out: list = []
        self.pending_opens: list[Scope] = []

    def run(self, layers: list) -> list:
        try:
            self._expand(layers, "/layers", Scope(), (), (), ())
        except _TooLarge:
            self.spec.error("bad-block", f"the blocks expand to more than {MAX_EXPANDED_LAYERS:,} layers "
                            "(check repeat: and nested blocks)", "/layers")
            return []  # nothing is planned: the spec is refused as a whole
        return self.out

    def _expand(self, items: list, base: str, scope: Scope, stack: tuple, uses: tuple, path: tuple,
                path_blocks: tuple = ()) -> None:
        read_layer = self.read_layer
        # Once per layer of a large stack: attributes are held in locals, a bare type name skips the
        # block-use test, and the entry's pointer is built only if a diagnostic needs it.
        spec, out, pending_opens, prefix = self.spec, self.out, self.pending_opens, scope.prefix
        for position, item in enumerate(items):
            if item.__class__ is not str and is_block_use(item):
                self._use(item, f"{base}/{position}", scope, stack, uses, path, path_blocks)
                continue
            if len(out) >= MAX_EXPANDED_LAYERS:
                raise _TooLarge
            entry = read_layer(spec, item, base, position, len(out) + 1)
            if entry.name is not None:
                entry.name = prefix + entry.name
            entry.scope = scope
            entry.uses = uses
            entry.block_path = path
            entry.block_names = path_blocks
            if pending_opens:
                entry.opens = tuple(pending_opens)
                pending_opens.clear()
            out.append(entry)

    def _use(self, item: dict, pointer: str, scope: Scope, stack: tuple, uses: tuple, path: tuple,
             path_blocks: tuple = ()) -> None:
        spec = self.spec
        index = len(self.out) + 1
        for key in item:
            if key not in USE_KEYS:
                spec.error("bad-block", f"a block use takes {', '.join(USE_KEYS)}; got {key!r}"
                           f"{did_you_mean(str(key), USE_KEYS)}", f"{pointer}/{escape_pointer_token(key)}", index)
        block = item["block"]
        if not isinstance(block, str) or block not in self.blocks:
            known = ", ".join(self.blocks) or "none defined"
            spec.error("bad-block", f"unknown block {describe(block)}{did_you_mean(str(block), self.blocks)} "
                       f"(blocks: {known})", f"{pointer}/block", index)
            return
        if block in stack:
            cycle = " -> ".join((*stack[stack.index(block):], block))
            spec.error("bad-block", f"block {block!r} uses itself ({cycle}); blocks may use other blocks, "
                       "not themselves", f"{pointer}/block", index)
            return
        repeat = item.get("repeat", 1)
        if not is_int(repeat) or repeat < 1:
            spec.error("bad-block", f"repeat must be a positive integer, got {describe(repeat)}",
                       f"{pointer}/repeat", index)
            return
        input_ref = None
        if "inputs" in item:
            names = self.read_input_names(spec, item["inputs"], f"{pointer}/inputs", index)
            if names is not None and len(names) != 1:
                spec.error("bad-inputs", f"a block takes one input; got {len(names)} ({', '.join(names)}). "
                           "Merge them first (concatenate, add), or merge inside the block body with inputs: "
                           "naming outer layers", f"{pointer}/inputs", index)
                names = None
            input_ref = names[0] if names else None
        name = item.get("name")
        name_pointer = f"{pointer}/name" if "name" in item else pointer
        if name is not None and (not isinstance(name, str) or not name):
            spec.error("bad-value", f"a block use's name must be a non-empty string, got {describe(name)}",
                       name_pointer, index)
            name = None
        if name is None:
            scope.counters[f"block:{block}"] = scope.counters.get(f"block:{block}", 0) + 1
            name = f"{block}_{scope.counters[f'block:{block}']}"
        full = scope.prefix + name
        body = self.blocks[block]
        for copy in range(1, repeat + 1):
            copy_name = full if repeat == 1 else f"{full}.{copy}"
            instance = Scope(prefix=copy_name + ".", parent=scope, use_name=copy_name,
                             input_ref=input_ref if copy == 1 else None,
                             input_ref_pointer=f"{pointer}/inputs" if copy == 1 and input_ref else None)
            self.pending_opens.append(instance)
            start = len(self.out)
            copy_path = path + ((full,) if repeat == 1 else (full, copy_name))
            copy_blocks = path_blocks + ((block,) if repeat == 1 else (block, block))
            self._expand(body, f"/blocks/{escape_pointer_token(block)}", instance, stack + (block,),
                         (pointer,) + uses, copy_path, copy_blocks)
            if len(self.out) > start:
                last = self.out[-1]
                last.aliases += ((copy_name, name_pointer),)
                if repeat > 1 and copy == repeat:
                    last.aliases += ((full, name_pointer),)
            elif instance in self.pending_opens:
                self.pending_opens.remove(instance)
