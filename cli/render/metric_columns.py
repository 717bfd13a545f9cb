"""Values of the metric columns (MACs, FLOPs, memory, receptive field) for a planned row or report.

cli/render/columns.py declares the columns from these; this module knows nothing of columns. A
report's metrics are computed once and kept for the rows asked about next (one computation per table).
"""

from __future__ import annotations

from layerplan.render.common import bytes_text, number_text

_CACHE: list = []  # (report, metrics) of the last report asked about


def report_metrics(report):
    """The report's metrics (`Report.metrics()`), computed once for consecutive calls on one report."""
    if not _CACHE or _CACHE[0][0] is not report:
        _CACHE[:] = [(report, report.metrics())]
    return _CACHE[0][1]


def _layer_metrics(row, report):
    metrics = report_metrics(report)
    position = row.index - 1
    return metrics.layers[position] if 0 <= position < len(metrics.layers) else None


def layer_metric(attribute: str):
    """A column value: (row, report) -> the row's metric `attribute` (macs, flops...), None when unknown."""
    def value(row, report):
        layer = _layer_metrics(row, report)
        return None if layer is None else getattr(layer, attribute)
    return value


def total_metric(attribute: str, prefix: str = "", in_bytes: bool = False):
    """A column footer: (report) -> the report's metric `attribute` as text, after `prefix` (a byte
    count in binary units when `in_bytes`)."""
    shown = bytes_text if in_bytes else number_text
    return lambda report: prefix + shown(getattr(report_metrics(report), attribute))


def bytes_metric_text(attribute: str):
    """A column's text: (row, report) -> the row's byte count `attribute` in binary units ('' when unknown)."""
    value = layer_metric(attribute)

    def text(row, report):
        found = value(row, report)
        return "" if found is None else bytes_text(found)
    return text


def receptive_field_text(row, report) -> str:
    """'7x7 /2x2' (sizes / jumps per spatial axis), ' >in' when larger than the input; '' when unknown."""
    layer = _layer_metrics(row, report)
    if layer is None or layer.receptive_field is None:
        return ""
    sizes = "x".join(str(f["size"]) for f in layer.receptive_field)
    jumps = "x".join(str(f["jump"]) for f in layer.receptive_field)
    return f"{sizes} /{jumps}" + (" >in" if layer.field_exceeds_input else "")
