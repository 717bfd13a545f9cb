"""Plan one spec under torch and keras semantics and say where they differ: the porting bugs.

The spec is planned as written in its own framework and, converted, in the other. Converting moves
the channel axis of every layout-dependent shape: the input (or each named input), layer and spec
`expect` shapes and reshape targets of rank >= 2 go from channels first (C, H, W) to channels last
(H, W, C) or back; rank-1 shapes (after flatten or dense) stay. Options keep their values, so an
option the other framework lacks (keras integer padding, torch transposed 'same') shows as an error
on that side, which is itself a porting note.

>>> d = compare_data({"framework": "keras", "input": [28, 28, 1],
...                   "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}, "batch_norm"]})
>>> [(row["index"], row["differences"]) for row in d["layers"] if row["differences"]]
[(2, ['params: torch 16, keras 32 (keras counts the moving mean and variance: 16 non-trainable)'])]
"""

from __future__ import annotations

import copy
from typing import Any

from layerplan.planner.api import plan_data
from layerplan.planner.kinds import KINDS
from layerplan.planner.shapes import shape_text
from layerplan.planner.solve import _entry_type_and_options
from layerplan.planner.spec import map_input, parse_shape

FRAMEWORKS = ("torch", "keras")


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


def port_options(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """The option changes a straightforward port of a planned layer makes, and a note saying so: the
    layer's kind says how (its `port` hook, planner/kinds/porting.py); kinds without one keep their
    options."""
    kind = KINDS.get(row.type)
    if kind is None or kind.port is None or source == target or not row.options:
        return {}, None
    return kind.port(row, source, target)


def _aliases(type_name: str, option: str) -> tuple[str, ...]:
    kind = KINDS.get(type_name)
    found = None if kind is None else kind.option(option)
    return () if found is None else found.aliases


def convert_spec(data: dict, target: str, source_report=None) -> tuple[dict, dict[int, str]]:
    """The spec written for the other framework (see the module doc), and the porting note of each
    layer whose options changed. `source_report` (the spec planned in its own framework) lets the
    padding be ported; without it options are kept as written."""
    notes: dict[int, str] = {}

    source = data.get("framework", "torch") if isinstance(data.get("framework"), str) else "torch"
    source = source.lower()
    converted = copy.deepcopy(data)
    converted["framework"] = target
    if source == target:
        return converted, notes
    converted = map_input(converted, lambda shape: move_channels(shape, source))
    if isinstance(converted.get("inputs"), dict):
        converted["inputs"] = {k: move_channels(v, source) for k, v in converted["inputs"].items()}
    expect = converted.get("expect")
    if isinstance(expect, dict) and "output" in expect and expect["output"] != "input":
        expect["output"] = move_channels(expect["output"], source)
    layers = converted.get("layers")
    if isinstance(layers, list):
        for position, item in enumerate(layers):
            parsed = _entry_type_and_options(item)
            if parsed is None:
                continue
            type_name, options, meta = parsed
            if source_report is not None and position < len(source_report.layers):
                row = source_report.layers[position]
                changes, note = port_options(row, source, target)
                for key, value in changes.items():
                    for alias in _aliases(row.type, key):  # `dim: 1` ported is `axis: 3`, not both
                        options.pop(alias, None)
                    if value is None:
                        options.pop(key, None)
                    else:
                        options[key] = value
                if note:
                    notes[position + 1] = note
            if not options and not meta:
                if source_report is not None and position + 1 in notes and not isinstance(item, str):
                    layers[position] = type_name  # every option dropped by the port
                continue
            if "expect" in meta:
                meta["expect"] = move_channels(meta["expect"], source)
            for key in ("target_shape", "shape"):
                if key in options and type_name.lower().replace("_", "") in ("reshape", "view"):
                    options[key] = move_channels(options[key], source)
            layers[position] = {"type": type_name, **options, **meta}
    return converted, notes


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


def _neutral(shape, framework: str):
    """A shape as (C, spatial...) whatever the layout, for comparison."""
    if shape is None or len(shape) < 2:
        return shape
    return list(shape) if framework == "torch" else [shape[-1], *shape[:-1]]


def compare_data(data: dict, file: str = "<spec>") -> dict:
    """Plan `data` under both frameworks and list the differences layer by layer."""
    source = data.get("framework", "torch") if isinstance(data, dict) else "torch"
    source = source.lower() if isinstance(source, str) and source.lower() in FRAMEWORKS else "torch"
    other = "keras" if source == "torch" else "torch"
    reports = {source: plan_data({**data, "framework": source}, source, file=file)}
    converted, notes = convert_spec(data, other, reports[source])
    reports[other] = plan_data(converted, other, file=file)
    errors = {fw: {} for fw in FRAMEWORKS}
    for fw in FRAMEWORKS:
        for diagnostic in reports[fw].diagnostics:
            if diagnostic.is_error:
                errors[fw].setdefault(diagnostic.layer, f"{diagnostic.code} {diagnostic.message}")
    rows = []
    torch_rows, keras_rows = reports["torch"].layers, reports["keras"].layers
    for t, k in zip(torch_rows, keras_rows):
        differences = _differences(t, k, errors["torch"].get(t.index), errors["keras"].get(k.index))
        rows.append({"index": t.index, "name": t.name, "type": t.type, "torch": _side(t), "keras": _side(k),
                     "torch_error": errors["torch"].get(t.index), "keras_error": errors["keras"].get(k.index),
                     "ported": notes.get(t.index), "differences": differences})
    spec_notes = []
    for fw in FRAMEWORKS:
        if None in errors[fw]:
            spec_notes.append(f"{fw}: {errors[fw][None]}")
    totals = {fw: reports[fw].total_params for fw in FRAMEWORKS}
    return {
        "file": file, "source_framework": source, "converted_spec": converted,
        "input": {fw: None if reports[fw].input is None else list(reports[fw].input) for fw in FRAMEWORKS},
        "output": {fw: None if reports[fw].output is None else list(reports[fw].output) for fw in FRAMEWORKS},
        "total_params": totals,
        "layers": rows,
        "spec_notes": spec_notes,
        # spec-level errors count as a difference only when one framework has them and the other not
        "same": all(not row["differences"] for row in rows) and totals["torch"] == totals["keras"]
        and (None in errors["torch"]) == (None in errors["keras"]),
    }


def _differences(t, k, torch_error: str | None, keras_error: str | None) -> list[str]:
    notes = []
    if torch_error and not keras_error:
        notes.append(f"torch rejects it: {torch_error}")
    elif keras_error and not torch_error:
        notes.append(f"keras rejects it: {keras_error}")
    if t.output is not None and k.output is not None:
        if _neutral(t.output, "torch") != _neutral(k.output, "keras"):
            notes.append(f"shape: torch {shape_text(t.output)}, keras {shape_text(k.output)}")
    kind = KINDS.get(t.type)
    why, kind_notes = kind.differences(t, k) if kind is not None and kind.differences is not None else ("", [])
    if t.params is not None and k.params is not None and t.params != k.params:
        notes.append(f"params: torch {t.params:,}, keras {k.params:,}{why}")
    return notes + kind_notes


