"""The columns of a layer table, declared once for every tabular format (table, markdown, csv, tsv).

A column is one `Column` entry in `COLUMNS`: its key (what `--columns` and csv headers use),
its heading, how to get its value from a planned row (`value`: int / str / None for machine
formats; `text`: what people read), its footer and whether it is shown by default. Adding a
column (a metric such as MACs or activation memory: its values come from
cli/render/metric_columns.py) is one `add_column(...)` call here; every format and `--columns`
pick it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


from layerplan.render.common import geometry_text, number_text, output_text, shape_text, type_text
from layerplan.render.metric_columns import bytes_metric_text, layer_metric, receptive_field_text, total_metric

SEVERITY_MARK = {"error": "✗", "warning": "!", "info": "i"}


@dataclass(frozen=True, slots=True)
class Column:
    """value: (row, report) -> int | str | None, for csv / tsv; text: (row, report) -> what the table
    and markdown show; total: (report) -> the footer cell; numeric: right-aligned."""

    key: str
    header: str
    value: Callable[[Any, Any], Any]
    text: Callable[[Any, Any], str]
    total: Callable[[Any], str] | None = None
    numeric: bool = False
    default: bool = True
    doc: str = ""


#: key -> Column, in display order.
COLUMNS: dict[str, Column] = {}


def add_column(key: str, header: str, value: Callable[[Any, Any], Any], *, text: Callable[[Any, Any], str] | None = None,
               total: Callable[[Any], str] | None = None, numeric: bool = False, default: bool = True,
               doc: str = "") -> Column:
    """Declare a column. `text` defaults to the value shown as text (numbers with thousands separators)."""
    if text is None:
        def text(row, report, _value=value):
            found = _value(row, report)
            return number_text(found) if numeric else ("" if found is None else str(found))
    column = Column(key, header, value, text, total, numeric, default, doc)
    COLUMNS[key] = column
    return column


def _severity(row, report=None) -> str | None:
    return None if row.severity is None else row.severity.value


def _shape_value(shape) -> str | None:
    return None if shape is None else shape_text(shape)


add_column("file", "file", lambda row, report: report.file, default=False, doc="the spec the row belongs to")
add_column("index", "#", lambda row, report: row.index, text=lambda row, report: str(row.index), numeric=True,
           doc="1-based layer index")
add_column("status", "", _severity, text=lambda row, report: SEVERITY_MARK.get(_severity(row) or "", ""),
           doc="worst problem on the layer: ✗ error, ! warning, i info")
add_column("name", "name", lambda row, report: row.name, total=lambda report: "total", doc="layer name")
add_column("type", "type", lambda row, report: row.type, text=lambda row, report: type_text(row),
           doc="canonical layer type; the table adds the activation it fuses: conv2d+relu")
add_column("inputs", "inputs", lambda row, report: ", ".join(row.inputs) or None, default=False,
           doc="the layers or spec inputs a layer reads (shown by default for graphs: skips, merges, blocks)")
add_column("geometry", "k/s/p", lambda row, report: geometry_text(row) or None,
           text=lambda row, report: geometry_text(row),
           doc="kernel, stride and the padding applied (before/after), the padding's name when it was written "
               "by name, dilation: k3 s2 p0/1 same d2 (the same in every format)")
add_column("input", "input", lambda row, report: _shape_value(row.input),
           text=lambda row, report: shape_text(row.input), numeric=True, doc="input shape of one sample")
def _outputs_text(row) -> str:
    """The output shape; a layer with several outputs shows each, output 0 first ('3x4, 3x4')."""
    if row.outputs is not None:
        return ", ".join(shape_text(shape) for shape in row.outputs)
    return shape_text(row.output)


add_column("output", "output", lambda row, report: None if row.output_shapes is None else _outputs_text(row),
           text=lambda row, report: _outputs_text(row), total=lambda report: output_text(report) or "?",
           numeric=True, doc="output shape of one sample (each output, from 0, for a layer with several)")
add_column("params", "params", lambda row, report: row.params, total=lambda report: number_text(report.total_params),
           numeric=True, doc="parameters (trainable + non-trainable)")
add_column("trainable", "trainable", lambda row, report: row.trainable,
           total=lambda report: number_text(report.trainable_params), numeric=True, default=False,
           doc="trainable parameters")
add_column("non_trainable", "non-trainable", lambda row, report: row.non_trainable,
           total=lambda report: number_text(report.non_trainable_params), numeric=True, default=False,
           doc="non-trainable parameters (keras batch-norm moving statistics)")
# Metrics: off by default, picked with --columns +macs,+activation_bytes or all.
add_column("macs", "MACs", layer_metric("macs"), total=total_metric("total_macs"), numeric=True, default=False,
           doc="multiply-accumulates per sample (conv: output positions x kernel volume x C_in/groups x filters; "
               "transposed conv: input positions)")
add_column("flops", "FLOPs", layer_metric("flops"), total=total_metric("total_flops"), numeric=True, default=False,
           doc="2 x MACs")
add_column("activation_bytes", "activations", layer_metric("activation_bytes"),
           text=bytes_metric_text("activation_bytes"), total=total_metric("peak_activation_bytes", "peak ", in_bytes=True),
           numeric=True, default=False,
           doc="memory of the layer's output for the spec's batch and the dtype (KiB/MiB; csv and json: bytes)")
add_column("param_bytes", "param bytes", layer_metric("param_bytes"), text=bytes_metric_text("param_bytes"),
           total=total_metric("param_bytes", in_bytes=True), numeric=True, default=False,
           doc="memory of the layer's parameters in the dtype (KiB/MiB; csv and json: bytes)")
add_column("receptive_field", "field", receptive_field_text, text=receptive_field_text, default=False,
           doc="receptive field size / jump per spatial axis (>in: larger than the input)")


def default_columns() -> list[Column]:
    return [column for column in COLUMNS.values() if column.default]


def pick_columns(choice: str | None) -> list[Column]:
    """Columns from a `--columns` value: 'name,output,params' (exactly these, in this order),
    '+trainable,-status' (the defaults with changes) or 'all'. Raises ValueError for an unknown key.

    >>> [c.key for c in pick_columns("name,output")], [c.key for c in pick_columns("-status,+trainable")][-1]
    (['name', 'output'], 'trainable')
    """
    if choice is None or not choice.strip():
        return default_columns()
    items = [item.strip() for item in choice.split(",") if item.strip()]
    if items == ["all"]:
        return list(COLUMNS.values())
    for item in items:
        if item.lstrip("+-") not in COLUMNS:
            from layerplan.planner.suggest import did_you_mean

            raise ValueError(f"unknown column {item.lstrip('+-')!r}{did_you_mean(item.lstrip('+-'), COLUMNS)}; "
                             f"columns: {', '.join(COLUMNS)} (or all)")
    if all(item[0] in "+-" for item in items):
        keys = [column.key for column in default_columns()]
        for item in items:
            key = item[1:]
            if item[0] == "+" and key not in keys:
                keys.append(key)
            elif item[0] == "-" and key in keys:
                keys.remove(key)
        return [COLUMNS[key] for key in keys]
    return [COLUMNS[item.lstrip("+")] for item in items]


def with_file(columns: list[Column], reports) -> list[Column]:
    """Several specs in one table: a file column first, unless it was picked already."""
    if len(reports) > 1 and not any(column.key == "file" for column in columns):
        return [COLUMNS["file"], *columns]
    return columns
