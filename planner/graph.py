"""Names in a graph spec: what each layer reads, what each name refers to, what reaches an output.

Layers are planned in the order written; a name must be defined before it is read. Every layer,
spec input and block use has a name, unique across all three: the explicit `name:`, else a generated
one (`conv2d_1`, counted per type; inside a block copy the copy's name is the prefix). `inputs:` may
name explicit and generated names alike. Names are resolved innermost scope first (see planner/blocks.py).

Internally a producer is a key: the 1-based layer index (int) or the spec input's name (str), so a
duplicated name never makes a layer read the wrong branch.

>>> from layerplan.planner import plan_data
>>> report = plan_data({"input": [4, 8, 8], "layers": [
...     {"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1, "name": "a"}},
...     {"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}},
...     {"add": {"inputs": ["a", "conv2d_2"]}}]})
>>> [row.inputs for row in report.layers], report.output
([['input'], ['a'], ['a', 'conv2d_2']], (4, 8, 8))

Several outputs: a layer whose kind returns several outputs (split, chunk; see
planner/kinds/split.py) is read one output at a time, as `NAME:K` (output K, from 0: TensorFlow's
names for an op's output tensors), in `inputs:` and `outputs:`. Its producer key for output K is
(index, K). Reading it whole, by its name or as the layer after it, is an error that says how to pick
one; `NAME:0` also reads a layer with one output. An exact name always wins over this reading.
`names: [a, b]` on such a layer names its outputs: a later layer reads `a` as it reads `NAME:0`.

>>> report = plan_data({"input": [8, 4], "layers": [
...     {"chunk": {"chunks": 2, "dim": 1, "name": "halves"}},
...     {"relu": {"inputs": "halves:1"}}]})
>>> report.layers[0].outputs, report.layers[1].inputs, report.layers[1].input
(((4, 4), (4, 4)), ['halves:1'], (4, 4))
"""

from __future__ import annotations

import re
from typing import Any

from .diagnostics import Diagnostic
from .suggest import did_you_mean

Key = Any  # int (layer index), str (spec input name) or (layer index, K): output K of a layer with several

_OUTPUT_REFERENCE = re.compile(r"(.+):([0-9]+)")


def output_reference(raw: str) -> tuple[str, int] | None:
    """`NAME:K` as (NAME, K): output K of a layer with several outputs; None for a plain name.

    >>> output_reference("halves:1"), output_reference("conv2d_1")
    (('halves', 1), None)
    """
    match = _OUTPUT_REFERENCE.fullmatch(raw) if isinstance(raw, str) else None
    return None if match is None else (match.group(1), int(match.group(2)))


def tensor_name(name: str) -> str:
    """The layer that writes a tensor read as `name` (`halves:1` is written by `halves`).

    >>> tensor_name("halves:1"), tensor_name("relu_2")
    ('halves', 'relu_2')
    """
    reference = output_reference(name)
    return name if reference is None else reference[0]


class Names:
    """The name table of one spec while it is being planned."""

    def __init__(self, spec):
        self.spec = spec
        self.producers: dict[str, Key] = {}  # visible full name -> producer key
        self.shapes: dict[Key, Any] = {}
        self.labels: dict[Key, str] = {}  # producer key -> its name
        self.sources: dict[int, list[Key]] = {}  # layer index -> the producer keys it reads
        self.structure_errors = False
        for name, shape in spec.inputs.items():
            self.producers[name] = name
            self.shapes[name] = shape
            self.labels[name] = name
        # Explicit names (layers and block uses) with the index of the layer they name: for
        # "defined later" messages and for keeping generated names clear of them.
        self.explicit: dict[str, int] = {}
        for entry in spec.layers:
            if entry.name is not None:
                self.explicit.setdefault(entry.name, entry.index)
            for alias, _ in entry.aliases:
                self.explicit.setdefault(alias, entry.index)
            for output_name in entry.names or ():
                self.explicit.setdefault(output_name, entry.index)
        self.taken: set[str] = set(self.explicit) | set(spec.inputs)
        self.output_counts: dict[int, int] = {}  # layer index -> how many outputs, for layers with several

    # ------------------------------------------------------------------ reading
    def first_default(self) -> Key | None:
        """What the first layer reads without `inputs:`: the single input."""
        return next(iter(self.spec.inputs)) if len(self.spec.inputs) == 1 else None

    def sources_for(self, entry, previous: Key | None) -> tuple[list[tuple[str, Any]], list[Key | None], list[Diagnostic]]:
        """(name, shape) of each input of `entry`, their producer keys, and naming errors."""
        diagnostics: list[Diagnostic] = []
        default = previous
        if entry.index in self.spec.redirects:  # the entry before it was left out by `if:`
            default = self._target(self.spec.redirects[entry.index])
        for scope in entry.opens:  # block copies starting at this layer, outermost first
            if scope.input_ref is not None:
                default = self._resolve(scope.input_ref, scope.parent, entry, scope.input_ref_pointer, diagnostics)
            elif scope.input_target is not None:
                default = self._target(scope.input_target)
            scope.input_name = default
        if entry.inputs is None:
            if default is None:
                if len(self.spec.inputs) > 1 and not any(s.input_ref for s in entry.opens):
                    names = ", ".join(self.spec.inputs)
                    self.structure_errors = True
                    diagnostics.append(Diagnostic.make(
                        "bad-inputs", f"this spec has several inputs ({names}): the first layer must say which it "
                        f"reads, e.g. inputs: {next(iter(self.spec.inputs))}", layer=entry.index, pointer=entry.pointer))
                return [], [], diagnostics
            if self._whole(default, entry, entry.pointer, diagnostics):
                return [(self.labels[default], None)], [default], diagnostics
            return [(self.labels[default], self.shapes.get(default))], [default], diagnostics
        sources, keys = [], []
        for position, raw in enumerate(entry.inputs):
            pointer = f"{entry.inputs_pointer}/{position}" if len(entry.inputs) > 1 else entry.inputs_pointer
            key = self._resolve(raw, entry.scope, entry, pointer, diagnostics)
            if self._whole(key, entry, pointer, diagnostics):
                key = None
            keys.append(key)
            sources.append((self.labels.get(key, raw) if key is not None else raw, self.shapes.get(key) if key is not None else None))
        return sources, keys, diagnostics

    def _whole(self, key: Key | None, entry, pointer: str | None, diagnostics: list[Diagnostic]) -> bool:
        """Is `key` a layer with several outputs read whole? (an error that says how to pick one)"""
        count = self.output_counts.get(key) if isinstance(key, int) else None
        if count is None:
            return False
        label = self.labels[key]
        self.structure_errors = True
        diagnostics.append(Diagnostic.make(
            "bad-inputs", f"{label!r} has {count} outputs: read one of them by its index, e.g. inputs: {label}:0 "
            f"(outputs {label}:0 to {label}:{count - 1})", layer=entry.index, pointer=pointer))
        return True

    def _target(self, target: tuple) -> Key | None:
        """The producer key of what a layer left out by `if:` would have read (planner/blocks.py's Target)."""
        if target[0] == "entry":
            return target[1].index
        if target[0] == "input":
            return target[1].input_name
        raw, scope = target[1], target[2]
        scopes = list(scope.chain())
        found, key = self._lookup(raw, scopes)
        reference = output_reference(raw)
        if not found and reference is not None and self._lookup(reference[0], scopes)[0]:
            key = self._lookup(reference[0], scopes)[1]
            return None if key is None else (key, reference[1])
        return key

    def _lookup(self, raw: str, scopes: list) -> tuple[bool, Key | None]:
        """(found, producer key) of a name as written, innermost scope first; a name that `if:` left out
        is what it would have read."""
        skipped = self.spec.skipped
        for s in scopes:
            if s.prefix + raw in self.producers:
                return True, self.producers[s.prefix + raw]
            if raw == "input" and s.parent is not None:  # the block copy's own input
                return True, s.input_name
            if skipped and s.prefix + raw in skipped:
                return True, self._target(skipped[s.prefix + raw])
        if not scopes and raw in self.producers:
            return True, self.producers[raw]
        if not scopes and raw in skipped:
            return True, self._target(skipped[raw])
        return False, None

    def _output_key(self, key: Key, index: int, raw: str, entry, pointer, diagnostics) -> Key | None:
        """The producer key of output `index` of `key` (read as `raw`), or None after an error."""
        count = self.output_counts.get(key) if isinstance(key, int) else None
        if count is None:
            if isinstance(key, int) and self.shapes.get(key) is None:
                return (key, index)  # a layer that did not plan: shown as read, `NAME:K`
            if index == 0:
                return key  # a layer with one output
            message = f"{self.labels[key]!r} has one output: read it as {self.labels[key]!r} (or {self.labels[key]}:0)"
        elif index < count:
            return (key, index)
        else:
            message = (f"{self.labels[key]!r} has {count} outputs ({self.labels[key]}:0 to "
                       f"{self.labels[key]}:{count - 1}); there is no output {index}")
        self.structure_errors = True
        diagnostics.append(Diagnostic.make("bad-inputs", message, layer=None if entry is None else entry.index,
                                           pointer=pointer))
        return None

    def _resolve(self, raw: str, scope, entry, pointer: str | None, diagnostics: list[Diagnostic]) -> Key | None:
        scopes = list(scope.chain()) if scope is not None else []
        found, key = self._lookup(raw, scopes)
        if found:
            return key
        reference = output_reference(raw)
        if reference is not None and self._lookup(reference[0], scopes)[0]:
            key = self._lookup(reference[0], scopes)[1]
            return None if key is None else self._output_key(key, reference[1], raw, entry, pointer, diagnostics)
        self.structure_errors = True
        fulls = [s.prefix + raw for s in scopes] or [raw]
        own = {entry.name, *(a for a, _ in entry.aliases), *(entry.names or ())}
        if own & set(fulls):
            diagnostics.append(Diagnostic.make(
                "defined-later", f"{raw!r} is this layer's own output: a layer cannot read itself (a cycle)",
                layer=entry.index, pointer=pointer))
            return None
        later = next((self.explicit[f] for f in fulls if self.explicit.get(f, 0) > entry.index), None)
        if later is not None:
            if self._depends_on(later, entry.index):
                message = (f"{raw!r} (layer {later}) is written later and itself reads this layer's output: a cycle. "
                           "A graph runs in the order written, so a layer can only read layers written before it")
            else:
                message = (f"{raw!r} is written later (layer {later}); a layer can only read layers and inputs "
                           f"written before it: move this layer after {raw!r}")
            diagnostics.append(Diagnostic.make("defined-later", message, layer=entry.index, pointer=pointer))
            return None
        visible = []
        for s in scopes or [None]:
            prefix = s.prefix if s is not None else ""
            visible += [n[len(prefix):] for n in self.producers if n.startswith(prefix)]
            if s is not None and s.parent is not None:
                visible.append("input")
        known = ", ".join(sorted(set(visible))[:12]) + (" ..." if len(set(visible)) > 12 else "")
        diagnostics.append(Diagnostic.make(
            "unknown-name", f"no layer or input named {raw!r}{did_you_mean(raw, visible)} (known so far: {known})",
            layer=entry.index, pointer=pointer))
        return None

    def _depends_on(self, start: int, target: int) -> bool:
        """Does layer `start` read layer `target`, directly or through other layers (judged from names)?"""
        layers = self.spec.layers
        seen, stack = set(), [start]
        while stack:
            index = stack.pop()
            if index == target:
                return True
            if index in seen or index < target or index > len(layers):
                continue
            seen.add(index)
            entry = layers[index - 1]
            refs = list(entry.inputs or [])
            refs += [s.input_ref for s in entry.opens if s.input_ref]
            if not refs:
                stack.append(index - 1)
            for raw in refs:
                for s in (list(entry.scope.chain()) if entry.scope is not None else []):
                    if s.prefix + raw in self.explicit:
                        stack.append(self.explicit[s.prefix + raw])
                        break
        return False

    # ------------------------------------------------------------------ defining
    def define(self, entry, row, keys: list[Key | None]) -> list[Diagnostic]:
        """Register a planned layer's name (and the block uses it ends); duplicates are errors."""
        diagnostics = []
        self.shapes[row.index] = row.output
        self.labels[row.index] = row.name
        if row.outputs is not None:
            self.output_counts[row.index] = len(row.outputs)
            for k, shape in enumerate(row.outputs):
                self.shapes[(row.index, k)] = shape
                self.labels[(row.index, k)] = f"{row.name}:{k}"
        self.sources[row.index] = keys if None not in keys else [k for k in keys if k is not None]
        self.taken.add(row.name)
        if entry.names is not None:
            diagnostics += self._define_output_names(entry, row)
        if not entry.aliases and row.name not in self.producers:  # the common case, said quickly
            self.producers[row.name] = row.index
            return diagnostics
        # the layer's own name has no pointer here: it is built only for a duplicate
        for name, pointer in [(row.name, None), *entry.aliases]:
            if name in self.producers:
                pointer = pointer if pointer is not None else f"{entry.pointer}/name"
                other = self.producers[name]
                where = f"layer {other}" if isinstance(other, int) else "a spec input"
                self.structure_errors = True
                diagnostics.append(Diagnostic.make(
                    "duplicate-name", f"the name {name!r} is already used by {where}; names are unique across "
                    "inputs, layers and block uses", layer=entry.index, pointer=pointer))
                continue
            self.producers[name] = row.index
        return diagnostics

    def _define_output_names(self, entry, row) -> list[Diagnostic]:
        """`names:` of a layer with several outputs: name K reads output K (one name per output)."""
        count = None if row.outputs is None else len(row.outputs)
        if count is None and row.output is not None:
            message = (f"names names the outputs of a layer with several (split, chunk, a recurrent layer's states); "
                       f"{row.name!r} has one output: call it {entry.names[0]!r} with name:")
        elif count is not None and count != len(entry.names):
            message = (f"{row.name!r} has {count} outputs, so names lists {count} names, one per output; got "
                       f"{len(entry.names)} ({', '.join(entry.names)})")
        else:
            message = None
        if message is not None:
            self.structure_errors = True
            return [Diagnostic.make("bad-inputs", message, layer=entry.index, pointer=entry.names_pointer)]
        diagnostics = []
        for k, output_name in enumerate(entry.names):  # a layer that did not plan still defines them
            if output_name in self.producers:
                other = self.producers[output_name]
                where = f"layer {other}" if isinstance(other, int) else "a spec input"
                self.structure_errors = True
                diagnostics.append(Diagnostic.make(
                    "duplicate-name", f"the name {output_name!r} is already used by {where}; names are unique across "
                    "inputs, layers and block uses", layer=entry.index, pointer=f"{entry.names_pointer}/{k}"))
                continue
            self.producers[output_name] = (row.index, k)
            self.taken.add(output_name)
        return diagnostics

    # ------------------------------------------------------------------ outputs
    def outputs(self, last: Key | None) -> tuple[dict[str, Any] | None, list[Key], list[Diagnostic]]:
        """The spec's `outputs:` as name -> shape (None without `outputs:`), their keys, and errors."""
        names = self.spec.outputs
        if names is None:
            return None, ([last] if last is not None else []), []
        result, keys, diagnostics = {}, [], []
        for position, name in enumerate(names):
            pointer = f"{self.spec.outputs_pointer}/{position}" if len(names) > 1 else self.spec.outputs_pointer
            key = self.producers.get(name)
            reference = output_reference(name)
            if key is None and reference is not None and reference[0] in self.producers:
                key = self._output_key(self.producers[reference[0]], reference[1], name, None, pointer, diagnostics)
                if key is None:
                    result[name] = None
                    continue
            if key is None:
                self.structure_errors = True
                diagnostics.append(Diagnostic.make(
                    "unknown-name", f"outputs: no layer or input named {name!r}{did_you_mean(name, self.producers)}",
                    pointer=pointer))
                result[name] = None
                continue
            if name in result:
                diagnostics.append(Diagnostic.make("duplicate-name", f"outputs lists {name!r} twice", pointer=pointer))
                continue
            if isinstance(key, int) and key in self.output_counts:  # every output of a layer with several
                for k in range(self.output_counts[key]):
                    result[f"{name}:{k}"] = self.shapes[(key, k)]
                    keys.append((key, k))
                continue
            result[name] = self.shapes.get(key)
            keys.append(key)
        return result, keys, diagnostics

    def unreachable(self, output_keys: list[Key]) -> list[Diagnostic]:
        """Warnings for layers and inputs that no output depends on."""
        if self.structure_errors or not output_keys:
            return []
        if self.spec.outputs is None and not any(e.inputs is not None or e.opens for e in self.spec.layers):
            return []  # a plain stack: each layer reads the one before it, and the last one is the output
        reached, stack = set(), list(output_keys)
        while stack:
            key = stack.pop()
            if key in reached:
                continue
            reached.add(key)
            if isinstance(key, tuple):  # one output of a layer with several: the layer itself is reached
                stack.append(key[0])
            stack.extend(self.sources.get(key, []) if isinstance(key, int) else [])
        diagnostics = []
        for entry in self.spec.layers:
            if entry.index in self.labels and entry.index not in reached:
                diagnostics.append(Diagnostic.make(
                    "unreachable", f"layer {self.labels[entry.index]!r} reaches no output: nothing that leads to an "
                    "output reads it (name it in outputs: if it is one); its params still count in the totals",
                    layer=entry.index, pointer=entry.pointer))
        if len(self.spec.inputs) > 1 or self.spec.layers:
            for name in self.spec.inputs:
                if name not in reached:
                    diagnostics.append(Diagnostic.make(
                        "unreachable", f"input {name!r} is not read on the way to any output",
                        pointer=f"/inputs/{name}" if "input" not in self.spec.inputs else "/input"))
        return diagnostics
