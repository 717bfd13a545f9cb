"""Text pieces shared by every output format: shapes, hyper-parameters, diagnostic lines."""

from __future__ import annotations

from layerplan.planner import Diagnostic, LayerRow


def shape_text(shape, sep: str = "x") -> str:
    """(32, 28, 28) -> '32x28x28'; () (a per-sample scalar) -> '()'; None -> '?'."""
    if shape is None:
        return "?"
    if not shape:
        return "()"
    return sep.join(str(v) for v in shape)


def _axes(values) -> str:
    values = list(values)
    if len(set(values)) == 1:
        return str(values[0])
    return "x".join(str(v) for v in values)


def geometry_text(row: LayerRow) -> str:
    """The hyper-parameters that decided the shape, with the padding actually applied.

    'k3 s2 p0/1' means kernel 3, stride 2, 0 padding before and 1 after on every axis.
    """
    geometry = row.geometry
    if not geometry:
        return ""
    parts = []
    if geometry[0].kernel is not None:
        parts.append("k" + _axes(g.kernel for g in geometry))
        parts.append("s" + _axes(g.stride for g in geometry))
    pads = [(g.pad_before, g.pad_after) for g in geometry]
    if any(b or a for b, a in pads):
        texts = [str(b) if b == a else f"{b}/{a}" for b, a in pads]
        label = "crop" if all(b <= 0 and a <= 0 for b, a in pads) else "p"
        if label == "crop":
            texts = [str(-b) if b == a else f"{-b}/{-a}" for b, a in pads]
        parts.append(label + (texts[0] if len(set(texts)) == 1 else "x".join(texts)))
    elif geometry[0].kernel is not None:
        parts.append("p0")
    if any(g.dilation and g.dilation > 1 for g in geometry):
        parts.append("d" + _axes(g.dilation for g in geometry))
    return " ".join(parts)


def location_text(diagnostic: Diagnostic, file: str | None = None) -> str:
    """'spec.yaml:12:5' (or as much of it as is known)."""
    parts = [file] if file else []
    if diagnostic.line is not None:
        parts.append(str(diagnostic.line))
        if diagnostic.column is not None:
            parts.append(str(diagnostic.column))
    return ":".join(parts)


def number_text(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def value_text(value) -> str:
    """An option value as a spec would write it: true/false, null, [a, b]."""
    if value is True or value is False:
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return str(value)
