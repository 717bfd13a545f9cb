"""JSON and JSON Lines: spec-v1 reports, written directly (never through rich)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice

from planner import Report


def render_json(reports: list[Report], single: bool) -> str:
    """One report as an object when one spec was given, else an array of reports.

    Indented for reading, with each layer and each diagnostic on one line of its own: readable,
    greppable, and written by json's C encoder (a fully indented dump of a 100,000-layer report
    takes seconds in the pure-Python one).
    """
    return "".join(json_pieces(reports, single))


def json_pieces(reports: list[Report], single: bool) -> Iterator[str]:
    """render_json's text in pieces, to write as they come: a large report is never one string."""
    if single:
        yield from _report_pieces(reports[0], "")
        yield "\n"
        return
    if not reports:
        yield "[]\n"
        return
    yield "["
    for position, report in enumerate(reports):
        yield ",\n  " if position else "\n  "
        yield from _report_pieces(report, "  ")
    yield "\n]\n"


def _compact_encoder():
    """json.dumps(value, separators=(", ", ": ")) as one reusable function.

    JSONEncoder.encode builds a new C encoder on every call; a report encodes each layer on its
    own, so building it once saves a few microseconds per layer (the output is the same).
    """
    encoder = json.JSONEncoder(separators=(", ", ": "))
    from json.encoder import c_make_encoder, encode_basestring_ascii

    if c_make_encoder is None:  # an interpreter without json's C accelerator
        return encoder.encode
    encode = c_make_encoder({}, encoder.default, encode_basestring_ascii, None, encoder.key_separator,
                            encoder.item_separator, encoder.sort_keys, encoder.skipkeys, encoder.allow_nan)
    return lambda value: encoder.encode(value) if isinstance(value, str) else "".join(encode(value, 0))


#: layers joined into one piece of text at a time
_BATCH = 4096


def _report_pieces(report: Report, margin: str) -> Iterator[str]:
    compact = _compact_encoder()
    metrics = report.metrics()
    yield "{\n"
    for position, (key, value) in enumerate(report.fields_but_layers(metrics).items()):
        separator = ",\n" if position else ""
        head = f"{separator}{margin}  {json.dumps(key)}: "
        if key == "layers" and report.layers:
            items = _layer_objects(report, metrics, compact)
        elif key == "diagnostics" and value:
            items = (compact(item) for item in value)
        else:
            yield head + ("[]" if key == "layers" else compact(value))
            continue
        # one item per line, joined a batch at a time as the items are made
        yield f"{head}[\n"
        indent = f"{margin}    "
        between = ",\n" + indent
        batch = list(islice(items, _BATCH))
        yield indent + between.join(batch)
        while batch := list(islice(items, _BATCH)):
            yield between + between.join(batch)
        yield f"\n{margin}  ]"
    yield f"\n{margin}}}"


def _layer_objects(report: Report, metrics, compact) -> Iterator[str]:
    """Each layer of the report as compact JSON text: exactly compact({**row.to_dict(), **layer_dict(m)}),
    the layer of Report.to_dict() (tests/cli/test_json_layers.py holds the two equal), written from
    the row and its metrics without building the dicts, with the texts of repeated shapes and
    receptive fields encoded once. A 100,000-layer report spends most of its writing time here.

    The counts (index, params, MACs, bytes) are ints or None, which an f-string writes as json does
    once None is spelled null.
    """
    from json.encoder import encode_basestring_ascii as string

    shapes: dict = {None: "null"}
    fields: dict[int, str] = {}  # id(a field dict or list) -> its text; the metrics keep them alive

    def shape(value) -> str:
        text = shapes.get(value)
        if text is None:
            text = shapes[value] = compact(list(value))
        return text

    def field_text(field) -> str:
        if field is None:
            return "null"
        text = fields.get(id(field))
        if text is None:
            parts = []
            for axis in field:  # square layers share one dict between their axes: one text each
                part = fields.get(id(axis))
                if part is None:
                    # {size, jump, start}: ints, and a float jump after upsampling, which an f-string
                    # writes as json does
                    part = fields[id(axis)] = compact(axis) if len(axis) != 3 else \
                        f'{{"size": {axis["size"]}, "jump": {axis["jump"]}, "start": {axis["start"]}}}'
                parts.append(part)
            text = fields[id(field)] = "[" + ", ".join(parts) + "]"
        return text

    # The middle of a layer's text depends on a few values that repeat down a long stack.
    planned: dict[tuple, str] = {}  # (type, input, output, params, non-trainable) -> its text
    counted: dict[tuple, str] = {}  # (MACs, other ops, activation bytes, param bytes) -> its text

    def planned_text(key: tuple) -> str:
        type_name, input_shape, output_shape, params, fixed = key
        trainable = None if params is None or fixed is None else params - fixed
        text = planned[key] = (
            f'"type": {string(type_name)}, "input": {shape(input_shape)}, "output": {shape(output_shape)}, '
            f'"params": {"null" if params is None else params}, '
            f'"trainable_params": {"null" if trainable is None else trainable}, '
            f'"non_trainable_params": {"null" if fixed is None else fixed}')
        return text

    def counted_text(key: tuple) -> str:
        macs, other_ops, activation_bytes, param_bytes = key
        text = counted[key] = (
            f'"macs": {"null" if macs is None else macs}, "flops": {"null" if macs is None else 2 * macs}, '
            f'"other_ops": {"null" if other_ops is None else other_ops}, '
            f'"activation_bytes": {"null" if activation_bytes is None else activation_bytes}, '
            f'"param_bytes": {"null" if param_bytes is None else param_bytes}')
        return text

    for row, m in zip(report.layers, metrics.layers):
        key = (row.type, row.input, row.output, row.params, row.non_trainable)
        middle = planned.get(key) or planned_text(key)
        key = (m.macs, m.other_ops, m.activation_bytes, m.param_bytes)
        counts = counted.get(key) or counted_text(key)
        inputs = f"[{string(row.inputs[0])}]" if len(row.inputs) == 1 else \
            "[" + ", ".join([string(name) for name in row.inputs]) + "]"
        block = string(row.block_path[-1]) if row.block_path else "null"
        yield (f'{{"index": {row.index}, "name": {string(row.name)}, {middle}, "inputs": {inputs}, '
               f'"block": {block}, {counts}, "receptive_field": {field_text(m.receptive_field)}}}')


def render_jsonl(reports: list[Report]) -> str:
    return "".join(json.dumps(r.to_dict(), separators=(",", ":")) + "\n" for r in reports)
