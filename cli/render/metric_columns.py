"""Metric columns for layer tables (MACs, FLOPs, memory, receptive field), declared through
cli.render.columns.add_column; off by default, picked with --columns +macs,+activation_bytes or all."""

from __future__ import annotations

from cli.render.columns import add_column
from cli.render.common import number_text

_CACHE: list = []  # (report, metrics) of the last report asked about: one computation per table


def _metrics(report):
    if not _CACHE or _CACHE[0][0] is not report:
        _CACHE[:] = [(report, report.metrics())]
    return _CACHE[0][1]


def _layer(row, report):
    metrics = _metrics(report)
    position = row.index - 1
    return metrics.layers[position] if 0 <= position < len(metrics.layers) else None


def _value(attribute: str):
    def value(row, report):
        layer = _layer(row, report)
        return None if layer is None else getattr(layer, attribute)
    return value


def _field_text(row, report) -> str:
    layer = _layer(row, report)
    if layer is None or layer.receptive_field is None:
        return ""
    sizes = "x".join(str(f["size"]) for f in layer.receptive_field)
    jumps = "x".join(str(f["jump"]) for f in layer.receptive_field)
    return f"{sizes} /{jumps}" + (" >in" if layer.field_exceeds_input else "")


add_column("macs", "MACs", _value("macs"), total=lambda report: number_text(_metrics(report).total_macs),
           numeric=True, default=False, doc="multiply-accumulates per sample (conv: output positions x kernel "
           "volume x C_in/groups x filters; transposed conv: input positions)")
add_column("flops", "FLOPs", _value("flops"), total=lambda report: number_text(_metrics(report).total_flops),
           numeric=True, default=False, doc="2 x MACs")
add_column("activation_bytes", "activations", _value("activation_bytes"),
           total=lambda report: "peak " + number_text(_metrics(report).peak_activation_bytes), numeric=True,
           default=False, doc="bytes of the layer's output for the spec's batch and the dtype")
add_column("param_bytes", "param bytes", _value("param_bytes"),
           total=lambda report: number_text(_metrics(report).param_bytes), numeric=True, default=False,
           doc="bytes of the layer's parameters in the dtype")
add_column("receptive_field", "field", _field_text, text=_field_text, default=False,
           doc="receptive field size / jump per spatial axis (>in: larger than the input)")
