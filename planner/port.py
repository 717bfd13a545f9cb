"""A spec ported to the other framework, checked layer by layer: what `layerplan port` writes and
`layerplan diff` compares.

The port moves the channel axis of every layout-dependent shape (the input or each named input, layer
and spec `expect` shapes: rank >= 2 goes from channels first (C, H, W) to channels last (H, W, C) or
back; rank-1 shapes stay), writes each layer's options with the target framework's keywords, writes out
the options whose defaults differ between the frameworks (keras ZeroPadding's 1, pooling's 2, torch
Dropout's 0.5), and lets each layer's kind port what it knows (its `port` hook, planner/kinds/porting.py):
padding, output_padding, axes, reshape targets, BatchNorm's momentum. Block bodies are ported once, for
every use. The ported spec is then planned in the target framework, and every layer whose output shape
differs from the source's carries a diagnostic (LP501 port-inexact) that says what differs, why, and
what would match; same shapes with other values or weights (a shifted window grid, the order of
flattened features, counted params) are notes (LP502 port-note).

>>> port = port_spec({"framework": "keras", "input": [80, 80, 8],
...                    "layers": [{"max_pool2d": {"pool_size": 3, "strides": 2, "padding": "same"}}]})
>>> port.data["layers"], port.exact
([{'max_pool2d': {'kernel_size': 3, 'stride': 2, 'padding': 0, 'ceil_mode': True}}], True)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic
from .kinds import KINDS, Kind
from .kinds.porting import Ported
from .plan import plan_only, plan_spec, probe_input
from .report import LayerRow, Report
from .shapes import shape_text
from .spec import build_spec, map_input, parse_shape, split_layer_item

FRAMEWORKS = ("torch", "keras")


def other_framework(framework: str) -> str:
    """The framework a spec written for `framework` is ported to.

    >>> other_framework("torch")
    'keras'
    """
    return "keras" if framework == "torch" else "torch"


def move_channels(shape: Any, source: str) -> Any:
    """A shape in `source` layout written in the other layout (rank >= 2 only; -1 and null kept).

    >>> move_channels([1, 28, 28], "torch"), move_channels([28, 28, 1], "keras"), move_channels([10], "torch")
    ([28, 28, 1], [1, 28, 28], [10])
    """
    if isinstance(shape, str):
        parsed = parse_shape(shape)
        if parsed is None:
            return shape
        shape = list(parsed)
    if not isinstance(shape, (list, tuple)) or len(shape) < 2:
        return shape
    shape = list(shape)
    return shape[1:] + shape[:1] if source == "torch" else shape[-1:] + shape[:-1]


def neutral(shape, framework: str):
    """A shape as (C, spatial...) whatever the layout, for comparison.

    >>> neutral((28, 28, 8), "keras"), neutral((8, 28, 28), "torch"), neutral((10,), "keras")
    ([8, 28, 28], [8, 28, 28], [10])
    """
    if shape is None:
        return None
    if len(shape) < 2:
        return list(shape)
    return list(shape) if framework == "torch" else [shape[-1], *shape[:-1]]


@dataclass(slots=True)
class PortedLayer:
    """One planned layer of the port. `exact`: the target framework gives the source's output shape
    (None: not checked, the source does not plan this layer); `problem`: what differs, why, and what
    would match (when not exact); `ported`: what the port changed; `notes`: what differs besides the
    shapes."""

    index: int
    name: str
    type: str
    pointer: str
    source_output: list | None
    target_output: list | None
    exact: bool | None
    problem: str | None = None
    ported: str | None = None
    notes: list[str] = field(default_factory=list)
    source_row: Any = field(default=None, repr=False)
    target_row: Any = field(default=None, repr=False)

    def diagnostics(self) -> list[Diagnostic]:
        """The port's diagnostics on this layer: LP501 when the shapes differ, LP502 per note."""
        found = []
        if self.exact is False:
            found.append(Diagnostic.make("port-inexact", self.problem or "", layer=self.index, pointer=self.pointer))
        found += [Diagnostic.make("port-note", note, layer=self.index, pointer=self.pointer) for note in self.notes]
        return found


@dataclass(slots=True)
class Port:
    """A ported spec: `data` is the spec for `target`; `layers` one PortedLayer per planned layer."""

    source: str
    target: str
    data: dict
    layers: list[PortedLayer]
    source_report: Report
    target_report: Report

    @property
    def exact(self) -> bool:
        """Every layer the source plans has the same output shape in the target framework."""
        return all(layer.exact is not False for layer in self.layers)


def source_framework(data: Any) -> str:
    """The framework a spec is written for (torch when it does not say, or says something unknown)."""
    framework = data.get("framework", "torch") if isinstance(data, dict) else "torch"
    framework = framework.lower() if isinstance(framework, str) else "torch"
    return framework if framework in FRAMEWORKS else "torch"


def sequence_tensors(report: Report) -> tuple[set[int], set[str]]:
    """The layers whose output, and the spec inputs that, are sequences (steps, features): written the same
    way in both frameworks, so the port does not move their channel axis (Kind.sequence says which kinds
    make a sequence and which keep their input's layout).

    >>> report = plan_only({"input": [12, 8], "layers": [{"lstm": 16}, {"dense": 4}, {"conv1d": [4, 3]}]})
    >>> sequence_tensors(report)
    ({1, 2}, {'input'})
    """
    by_name = {row.name: row for row in report.layers}

    def producer(name: str):
        return by_name.get(name.split(":")[0] if name not in by_name else name)

    consumed: set[str] = set()  # tensors some sequence layer reads (through layers that keep the layout)
    for row in reversed(report.layers):
        kind = KINDS.get(row.type)
        if kind is not None and (kind.sequence == "makes" or (kind.sequence == "follows" and row.name in consumed)):
            consumed.update(row.inputs)
    inputs = {name for name in consumed if producer(name) is None}
    made: set[int] = set()
    for row in report.layers:
        kind = KINDS.get(row.type)
        if kind is None or not row.inputs:
            continue
        if kind.sequence == "makes" or (kind.sequence == "follows" and all(
                name in inputs or (producer(name) is not None and producer(name).index in made) for name in row.inputs)):
            made.add(row.index)
    return made, inputs


def port_spec(data: dict, target: str | None = None, *, file: str = "<spec>") -> Port:
    """Port a spec (plain data, as read from YAML or JSON) to `target` (default: the other framework).

    >>> port = port_spec({"input": [3, 32, 32], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3,
    ...                   "padding": 1}}, {"concatenate": {"inputs": ["conv2d_1", "input"], "axis": 1}}]})
    >>> port.data["input"], port.data["layers"], port.exact
    ([32, 32, 3], [{'conv2d': {'filters': 8, 'kernel_size': 3, 'padding': 'same'}}, {'concatenate': {'inputs': ['conv2d_1', 'input']}}], True)
    """
    source = source_framework(data)
    target = target or other_framework(source)
    spec = build_spec({**data, "framework": source}, source, probe_input)
    source_report = plan_spec(spec, file=file)
    ported = copy.deepcopy(data)
    ported["framework"] = target
    changed: dict[str, Ported] = {}
    sequences, sequence_inputs = sequence_tensors(source_report)
    sequence_names = sequence_inputs | {row.name for row in source_report.layers if row.index in sequences}
    if source != target:
        ported = _move_shapes(ported, source, sequence_inputs)
        by_pointer: dict[str, list[tuple[Any, LayerRow]]] = {}
        for entry, row in zip(spec.layers, source_report.layers):
            by_pointer.setdefault(entry.pointer, []).append((entry, row))
        for pointer, pairs in by_pointer.items():
            item = _get(ported, pointer)
            if item is None:
                continue
            new_item, result = _port_entry(item, pairs, source, target, sequences, sequence_names)
            _set(ported, pointer, new_item)
            if result is not None:
                changed[pointer] = result
    target_report = plan_only(ported, target, file=file)
    layers = _compare(spec, source_report, target_report, changed, source, target, sequences, sequence_names)
    return Port(source, target, ported, layers, source_report, target_report)


def _move_shapes(data: dict, source: str, sequence_inputs: set[str]) -> dict:
    if "input" not in sequence_inputs:
        data = map_input(data, lambda shape: move_channels(shape, source))
    if isinstance(data.get("inputs"), dict):
        data["inputs"] = {k: v if k in sequence_inputs else move_channels(v, source) for k, v in data["inputs"].items()}
    expect = data.get("expect")
    if isinstance(expect, dict) and "output" in expect and expect["output"] != "input":
        expect["output"] = move_channels(expect["output"], source)
    return data


def _get(data: dict, pointer: str) -> Any:
    node: Any = data
    for token in pointer.strip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)] if token.isdigit() and int(token) < len(node) else None
        elif isinstance(node, dict):
            node = node.get(token)
        else:
            return None
    return node


def _set(data: dict, pointer: str, value: Any) -> None:
    *path, last = [t.replace("~1", "/").replace("~0", "~") for t in pointer.strip("/").split("/")]
    node: Any = data
    for token in path:
        node = node[int(token)] if isinstance(node, list) else node[token]
    node[int(last) if isinstance(node, list) else last] = value


def _keyword(kind: Kind, option: str, target: str) -> str:
    """The key the target framework's spelling gives an option, where the spec accepts it."""
    spelling = kind.spellings.get(target)
    word = spelling.arguments.get(option, option) if spelling is not None else option
    declared = kind.option(option)
    return word if declared is not None and (word == declared.name or word in declared.aliases) else option


def _canonical(kind: Kind, options: dict) -> tuple[dict, dict]:
    """Options keyed by canonical name, and the keys the kind does not know (kept as written)."""
    known, unknown = {}, {}
    for key, value in options.items():
        if key == "" and kind.positional:
            known.setdefault(kind.positional[0], value)
            continue
        declared = kind.option_for(key, value)
        if declared is None or declared.name in known:
            unknown[key] = value
        else:
            known[declared.name] = value
    return known, unknown


def _differing_defaults(kind: Kind, given: dict, source: str, target: str) -> dict:
    """The source's default for every option whose default is not the target's (and is not given)."""
    written = {}
    for option in kind.options:
        if option.name in given or not isinstance(option.default, dict) or target not in option.frameworks:
            continue
        value, theirs = option.default.get(source), option.default.get(target)
        if value is not None and value != theirs and not repr(value) == "required":
            written[option.name] = value
    return written


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _ported_options(kind: Kind, options: dict, changes: dict, source: str, target: str) -> dict:
    known, unknown = _canonical(kind, options)
    known.update(_differing_defaults(kind, known, source, target))
    for key, value in changes.items():
        if value is None:
            known.pop(key, None)
        else:
            known[key] = _plain(value)
    written = {_keyword(kind, name, target): value for name, value in known.items()}
    written.update({k: v for k, v in unknown.items() if k != ""})
    return written


def _port_entry(item: Any, pairs: list, source: str, target: str, sequences: set[int],
                sequence_names: set[str]) -> tuple[Any, Ported | None]:
    split = split_layer_item(item)
    if split is None:
        return item, None
    type_name, options, meta = split
    rows = [row for _, row in pairs]
    kind = KINDS.get(rows[0].type)
    if "expect" in meta and not all(row.index in sequences for row in rows):
        meta["expect"] = move_channels(meta["expect"], source)
    if kind is None or any(row.type != kind.name for row in rows):  # an unknown type: moved shapes only
        body = {**options, **meta}
        return ({type_name: body} if body else type_name), None
    fits = _Fits(kind, options, pairs, source, target)
    fits.sequence = bool(rows[0].inputs) and all(
        name in sequence_names or name.rsplit(":", 1)[0] in sequence_names for row in rows for name in row.inputs)
    result = kind.port(rows, source, target, fits) if kind.port is not None else Ported()
    changes = dict(result.changes)
    if "inputs" in changes:  # the framework's call order (attention)
        meta["inputs"] = changes.pop("inputs")
    written = _ported_options(kind, options, changes, source, target)
    body = {**written, **meta}
    return ({kind.name: body} if body else kind.name), result


class _Fits:
    """Whether option changes reproduce every source row's output shape in the target framework: the
    ported layer alone is planned on each (moved) input the layer sees, with the options of that use
    (in a block with arguments, each use's values are written in). `sequence`: the layer reads sequences,
    which are written the same way in both frameworks (nothing moves)."""

    def __init__(self, kind: Kind, options: dict, pairs: list, source: str, target: str) -> None:
        self.kind, self.options, self.source, self.target = kind, options, source, target
        self.sequence = False
        seen, self.cases = set(), []
        for entry, row in pairs:
            shapes = row.input_shapes if len(row.input_shapes) > 1 else [row.input]
            if row.output_shapes is None or any(s is None for s in shapes):
                continue
            used = split_layer_item(_entry_item(entry))
            used_options = used[1] if used is not None else options
            key = (tuple(shapes), tuple(row.output_shapes), repr(used_options))
            if key not in seen:
                seen.add(key)
                self.cases.append((shapes, row.output_shapes, used_options))

    def __call__(self, changes: dict) -> bool:
        for shapes, output, options in self.cases:
            written = _ported_options(self.kind, options, changes, self.source, self.target)
            moved = [list(s) if self.sequence else move_channels(list(s), self.source) for s in shapes]
            if len(moved) == 1:
                spec = {"input": moved[0], "layers": [{self.kind.name: written}]}
            else:
                names = [f"in{i}" for i in range(len(moved))]
                spec = {"inputs": dict(zip(names, moved)), "layers": [{self.kind.name: {**written, "inputs": names}}]}
            row = plan_only({"framework": self.target, **spec}, self.target).layers[0]
            if row.severity is not None and row.severity.value == "error":
                return False
            got = row.output_shapes
            if got is None:
                return False
            # a sequence (steps, features) is written alike in both frameworks; images move their channels
            if self.sequence:
                if [tuple(o) for o in got] != [tuple(o) for o in output]:
                    return False
            elif [neutral(o, self.target) for o in got] != [neutral(o, self.source) for o in output]:
                return False
        return True


def _outputs_text(row) -> str:
    """A layer's output as messages write it; a split's outputs comma-separated ('3x4, 3x4')."""
    outputs = row.output_shapes
    return shape_text(None) if outputs is None else ", ".join(shape_text(o) for o in outputs)


_SPATIAL = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def layout_text(shape, framework: str) -> str:
    """How `framework` reads the axes of a sample of this shape: channels first in torch, last in keras.

    >>> layout_text((3, 5), "torch"), layout_text((3, 5), "keras"), layout_text((1, 8, 8), "keras")
    ('(C, L)', '(L, C)', '(H, W, C)')
    """
    spatial = _SPATIAL.get(len(shape) - 1, tuple(f"S{axis}" for axis in range(1, len(shape))))
    axes = ("C", *spatial) if framework == "torch" else (*spatial, "C")
    return "(" + ", ".join(axes) + ")"


def _outputs_compared(target_row, target: str, source_row, source: str, got: str) -> tuple[str, str]:
    """The two outputs as the port's message writes them; when they print the same (`3x5` both) what
    differs is how each framework reads the axes, so each is followed by its layout."""
    theirs = _outputs_text(source_row)
    shapes = source_row.output_shapes
    if got != theirs or not shapes or len(shapes[0]) < 2:
        return got, theirs
    return f"{got} as {layout_text(shapes[0], target)}", f"{theirs} as {layout_text(shapes[0], source)}"


def _shown_shapes(row) -> list | None:
    """A row's output shape as a list, or its outputs' shapes (a layer with several outputs)."""
    if row.outputs is not None:
        return [list(shape) for shape in row.outputs]
    return _plain(row.output)


def _entry_item(entry) -> dict:
    """A planned layer entry as a layer item (its options as the plan read them: with a block's
    arguments written in), for split_layer_item."""
    options = dict(entry.options)
    if entry.positional is not None:
        options[""] = entry.positional
    return {entry.type_name: options} if entry.type_name is not None else {}


def _first_error(report: Report, index: int) -> str | None:
    for d in report.diagnostics:
        if d.layer == index and d.is_error:
            return f"{d.code} {d.message}"
    return None


def _compare(spec, source_report: Report, target_report: Report, changed: dict[str, Ported],
             source: str, target: str, sequences: set[int], sequence_names: set[str]) -> list[PortedLayer]:
    layers = []

    def shapes_of(row, framework: str, sequence: bool):
        shapes = row.output_shapes
        if shapes is None:
            return None
        return [list(shape) if sequence else neutral(shape, framework) for shape in shapes]

    first_inexact: int | None = None
    for entry, s, t in zip(spec.layers, source_report.layers, target_report.layers):
        result = changed.get(entry.pointer)
        layer = PortedLayer(s.index, s.name, s.type, entry.pointer, _shown_shapes(s), _shown_shapes(t), None,
                            ported=result.note if result else None, source_row=s, target_row=t)
        layers.append(layer)
        if s.output_shapes is None or _first_error(source_report, s.index):
            continue
        sequence = s.index in sequences
        layer.exact = shapes_of(t, target, sequence) == shapes_of(s, source, sequence) and not _first_error(
            target_report, t.index)
        torch_row, keras_row = (s, t) if source == "torch" else (t, s)
        kind = KINDS.get(s.type)
        reads = [name in sequence_names or name.rsplit(":", 1)[0] in sequence_names for name in s.inputs or ["input"]]
        if layer.exact:
            # a layer that keeps its input's layout acts on the same axes of a sequence in both frameworks
            same_axes = kind is not None and kind.sequence == "follows" and all(reads)
            if kind is not None and kind.differences is not None and source != target and not same_axes:
                layer.notes = kind.differences(torch_row, keras_row)[1]
            continue
        inputs_s = [x if r else neutral(x, source) for x, r in zip(s.input_shapes or [s.input], reads)]
        inputs_t = [x if r else neutral(x, target) for x, r in zip(t.input_shapes or [t.input], reads)]
        error = _first_error(target_report, t.index)
        got, theirs = _outputs_compared(t, target, s, source, f"an error ({error})" if error else _outputs_text(t))
        own = error is not None and t.input is None and result is not None and bool(result.why)
        if inputs_s != inputs_t and first_inexact is not None and not own:
            layer.problem = (f"{target} gives {got} where {source} gives {theirs}: its input already "
                             f"differs (from layer {first_inexact} on)")
        else:
            why = result.why if result is not None and result.why else (
                f"no {target} spelling of these options was found that gives {source}'s shape")
            layer.problem = f"{target} gives {got} where {source} gives {theirs}: {why}"
            first_inexact = first_inexact or s.index
    return layers


# --- diff: the two frameworks' plans side by side


def _side(row) -> dict:
    """One framework's plan of a layer; a layer with several outputs adds `outputs`, as the report does."""
    side = {
        "output": None if row.output is None else list(row.output),
        "params": row.params, "trainable_params": row.trainable, "non_trainable_params": row.non_trainable,
        "padding": [[g.pad_before, g.pad_after] for g in row.geometry] if row.geometry else None,
    }
    if row.outputs is not None:
        side["outputs"] = [list(shape) for shape in row.outputs]
    return side


def compare_data(data: dict, file: str = "<spec>") -> dict:
    """Port `data` to the other framework (port_spec) and list, layer by layer, where the two plans
    differ: shapes, errors, params, and the port's notes.

    >>> d = compare_data({"framework": "keras", "input": [28, 28, 1],
    ...                   "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}, "batch_norm"]})
    >>> [(row["index"], row["differences"]) for row in d["layers"] if row["differences"]]
    [(2, ['params: torch 16, keras 32 (keras counts the moving mean and variance: 16 non-trainable)'])]
    """
    port = port_spec(data, file=file)
    source, other = port.source, port.target
    reports = {source: port.source_report, other: port.target_report}
    errors = {fw: {} for fw in FRAMEWORKS}
    for fw in FRAMEWORKS:
        for diagnostic in reports[fw].diagnostics:
            if diagnostic.is_error:
                errors[fw].setdefault(diagnostic.layer, f"{diagnostic.code} {diagnostic.message}")
    rows = []
    for layer in port.layers:
        t, k = (layer.source_row, layer.target_row) if source == "torch" else (layer.target_row, layer.source_row)
        differences = _differences(layer, t, k, errors["torch"].get(t.index), errors["keras"].get(k.index))
        rows.append({"index": t.index, "name": layer.name, "type": layer.type, "torch": _side(t), "keras": _side(k),
                     "torch_error": errors["torch"].get(t.index), "keras_error": errors["keras"].get(k.index),
                     "ported": layer.ported, "exact": layer.exact, "differences": differences})
    spec_notes = [f"{fw}: {errors[fw][None]}" for fw in FRAMEWORKS if None in errors[fw]]
    totals = {fw: reports[fw].total_params for fw in FRAMEWORKS}
    return {
        "file": file, "source_framework": source, "converted_spec": port.data,
        "input": {fw: None if reports[fw].input is None else list(reports[fw].input) for fw in FRAMEWORKS},
        "output": {fw: None if reports[fw].output is None else list(reports[fw].output) for fw in FRAMEWORKS},
        "total_params": totals,
        "layers": rows,
        "spec_notes": spec_notes,
        # spec-level errors count as a difference only when one framework has them and the other not
        "same": all(not row["differences"] for row in rows) and totals["torch"] == totals["keras"]
        and (None in errors["torch"]) == (None in errors["keras"]),
    }


def _differences(layer: PortedLayer, t, k, torch_error: str | None, keras_error: str | None) -> list[str]:
    notes = []
    if torch_error and not keras_error:
        notes.append(f"torch rejects it: {torch_error}")
    elif keras_error and not torch_error:
        notes.append(f"keras rejects it: {keras_error}")
    if layer.exact is False and layer.problem:
        notes.append(layer.problem)
    elif layer.exact is not True and t.output is not None and k.output is not None and neutral(
            t.output, "torch") != neutral(k.output, "keras"):
        notes.append(f"shape: torch {shape_text(t.output)}, keras {shape_text(k.output)}")
    kind = KINDS.get(t.type)
    why = kind.differences(t, k)[0] if kind is not None and kind.differences is not None else ""
    if t.params is not None and k.params is not None and t.params != k.params:
        notes.append(f"params: torch {t.params:,}, keras {k.params:,}{why}")
    return notes + layer.notes

