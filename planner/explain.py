"""Why each layer has the shape it has: the framework's formula with the numbers substituted, step by
step; where the padding goes and why; window positions versus filters; how the parameters and MACs
decompose; the receptive field. Pure data: the command line renders it.

>>> from layerplan.planner import plan_data
>>> report = plan_data({"framework": "keras", "input": [28, 28, 1],
...                     "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})
>>> e = explain_report(report)[0]
>>> e.axes[0].steps
['o = ceil(i / s)', '  = ceil(28 / 1)', '  = 28']
>>> e.params[-1]
'= 288 weights + 32 biases = 320 params'
"""

from __future__ import annotations

from .kinds import KINDS
from .kinds.explaining import AxisWork, LayerExplanation, _axis_names, _n, _shape
from .metrics import MAC_CONVENTION, network_metrics

__all__ = ["AxisWork", "LayerExplanation", "explain_data", "explain_report", "explain_row"]


def _summary(row, framework: str) -> str:
    kind = KINDS.get(row.type)
    classname = "" if kind is None else kind.spelling(framework)
    text = f"{row.name}: {row.type}" + (f" ({framework} {classname})" if classname else "")
    text += f", {_shape(row.input)} -> {_shape(row.output)}"
    if row.params is not None:
        text += f", {_n(row.params)} params"
    return text


def explain_row(row, report, metrics=None, diagnostics=None) -> LayerExplanation:
    """The explanation of one planned layer of a report: its kind's `explain` hook fills the formula,
    padding, channel and params lines, its `macs_text` hook the MAC lines."""
    framework = report.framework
    kind = KINDS.get(row.type)
    e = LayerExplanation(row.index, row.name, row.type, framework, None if row.input is None else list(row.input),
                         None if row.output is None else list(row.output), _summary(row, framework))
    if row.input is not None and kind is not None and kind.explain is not None:
        try:
            kind.explain(row, framework, e)
        except (KeyError, TypeError, IndexError, ValueError, AttributeError):
            # options the engine rejected (None after an error): the problems below say why
            e.axes, e.channels, e.params = [], [], []
    if metrics is not None and row.output is not None:
        m = metrics.layers[row.index - 1] if row.index - 1 < len(metrics.layers) else None
        if m is not None and m.macs is not None:
            e.macs = _mac_lines(row, framework, kind, m)
            e.receptive_field = _field_lines(m, report)
    for diagnostic in diagnostics or ():
        e.problems.append(diagnostic.to_dict())
    return e


def _mac_lines(row, framework: str, kind, m) -> list[str]:
    lines = list(kind.macs_text(row, framework, m.macs)) if kind is not None and kind.macs_text else []
    if m.macs:
        lines.append(f"FLOPs = 2 x MACs = {_n(m.flops)}")
    if m.other_ops:
        lines.append(f"counted separately: {_n(m.other_ops)} other ops (bias adds, normalisation, pooling reads, "
                     "activations)")
    return lines


def _field_lines(m, report) -> list[str]:
    if m.receptive_field is None:
        return ["no receptive field: the spatial axes were flattened, reshaped or pooled away"]
    names = _axis_names(len(m.receptive_field))
    lines = []
    for name, f in zip(names, m.receptive_field):
        text = (f"{name}: each output cell sees up to {f['size']} input cells; neighbouring cells' fields are "
                f"{f['jump']} apart; output cell 0 sees cells {f['start']}..{f['start'] + f['size'] - 1}")
        if f["start"] < 0:
            text += " (negative: padding)"
        lines.append(text)
    if m.field_exceeds_input:
        lines.append(f"the field is larger than the input on {', '.join(m.field_exceeds_input)}: some of every "
                     "output cell's field is padding")
    return lines


def explain_report(report, layer: int | str | None = None) -> list[LayerExplanation]:
    """Explanations of a report's layers (one layer by 1-based index or name, or all).

    Raises LookupError when `layer` names no layer.
    """
    rows = report.layers
    if layer is not None:
        if isinstance(layer, int) or (isinstance(layer, str) and layer.isdigit()):
            number = int(layer)
            rows = [row for row in report.layers if row.index == number]
        else:
            rows = [row for row in report.layers if row.name == layer]
        if not rows:
            names = ", ".join(row.name for row in report.layers[:12])
            raise LookupError(f"no layer {layer!r}: use 1..{len(report.layers)} or a name ({names})")
    metrics = network_metrics(report) if report.layers else None
    by_layer: dict[int, list] = {}
    for diagnostic in report.diagnostics:
        by_layer.setdefault(diagnostic.layer, []).append(diagnostic)
    return [explain_row(row, report, metrics, by_layer.get(row.index)) for row in rows]


def explain_data(report, layer: int | str | None = None) -> dict:
    """Everything `explain` shows, as one JSON-ready dict."""
    explanations = explain_report(report, layer)
    return {
        "file": report.file, "framework": report.framework, "input": None if report.input is None else
        list(report.input), "output": None if report.output is None else list(report.output),
        "convention": MAC_CONVENTION,
        "layers": [e.to_dict() for e in explanations],
        "spec_problems": [d.to_dict() for d in report.diagnostics if d.layer is None],
        "ok": report.ok,
    }
