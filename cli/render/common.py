"""Text pieces shared by every output format: shapes, hyper-parameters, diagnostic lines."""

from __future__ import annotations

from layerplan.planner import Diagnostic, LayerRow
from layerplan.render.escape import terminal
from layerplan.planner.shapes import shape_text  # noqa: F401 (the one shape notation, re-exported for renderers)


def output_text(report) -> str | None:
    """The spec's output as every renderer writes it: one shape, or with several outputs (a split as the
    last layer, or `outputs:` naming several) each shape in order, comma-separated as the table's
    output cell shows a split ('58x28x28, 58x28x28'). None when a shape is unknown.
    """
    shapes = list(report.outputs.values())
    if not shapes or any(shape is None for shape in shapes):
        return None
    return ", ".join(shape_text(shape) for shape in shapes)




def _axes(values) -> str:
    values = list(values)
    if len(set(values)) == 1:
        return str(values[0])
    return "x".join(str(v) for v in values)


def geometry_text(row: LayerRow) -> str:
    """The hyper-parameters that decided the shape, with the padding actually applied: one notation in
    every format (table, markdown, csv, tsv, HTML).

    'k3 s2 p0/1' means kernel 3, stride 2, 0 padding before and 1 after on every axis; padding written
    by name ('same', 'valid', 'causal') adds the name after the amounts it gave: 'k3 s2 p0/1 same',
    'k2 s2 p0 valid', 'k3 s1 p2/0 causal'; a negative padding (a transposed convolution's) is a crop:
    'k4 s2 crop1'.
    """
    geometry = row.geometry
    if not geometry:
        return ""
    parts = []
    if geometry[0].kernel is not None:
        parts.append("k" + _axes(g.kernel for g in geometry))
        parts.append("s" + _axes(g.stride for g in geometry))
    pads = [(g.pad_before, g.pad_after) for g in geometry]
    named = row.options.get("padding") if isinstance(row.options.get("padding"), str) else None
    call = row.call
    if named is not None and call is not None and call.framework == "torch" and "padding" not in call.given:
        named = None  # torch's default, unwritten: the amounts say it (keras users read 'valid' as written)
    if any(b or a for b, a in pads):
        crop = all(b <= 0 and a <= 0 for b, a in pads)
        texts = [_pad_text(-b, -a) if crop else _pad_text(b, a) for b, a in pads]
        parts.append(("crop" if crop else "p") + (texts[0] if len(set(texts)) == 1 else "x".join(texts)))
    elif geometry[0].kernel is not None or named is not None:
        parts.append("p0")
    if named is not None:
        parts.append(named)
    if any(g.dilation and g.dilation > 1 for g in geometry):
        parts.append("d" + _axes(g.dilation for g in geometry))
    return " ".join(parts)


def _pad_text(before: int, after: int) -> str:
    return str(before) if before == after else f"{before}/{after}"


def diagnostic_line(diagnostic, file: str | None = None) -> str:
    """One problem on one line, the same in every command and format that prints lines (the gcc/ruff shape):

        net.yaml:12:5: error LP203 kernel-too-large: layer 3: kernel 5 is larger than ...

    `diagnostic`: a planner Diagnostic, or its `to_dict()` form (as explain's and diff's data carry it).
    A block's problem ends with where the block was used. The line is safe to print as it is
    (`cli.render.escape.terminal`): a file name or a message cannot break it or hold control characters.
    """
    d = diagnostic.to_dict() if hasattr(diagnostic, "to_dict") else diagnostic
    position = [str(d[key]) for key in ("line", "column") if d.get(key) is not None]
    if d.get("line") is None:
        position = []
    where = ":".join(([file] if file else []) + position)
    layer = f"layer {d['layer']}: " if d.get("layer") is not None else ""
    used = [str(u["line"]) for u in d.get("used_at") or () if u.get("line") is not None]
    used_text = f" (in the block used at line {' <- '.join(used)})" if used else ""
    message = " ".join(str(d["message"]).splitlines())
    return terminal(f"{where + ': ' if where else ''}{d['severity']} {d['code']} {d['name']}: {layer}{message}{used_text}")


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


def bytes_text(value: int | None) -> str:
    """A byte count for people, in binary units (exact bytes stay in JSON and csv).

    >>> bytes_text(512), bytes_text(2_621_440), bytes_text(1536), bytes_text(None)
    ('512 B', '2.5 MiB', '1.5 KiB', '?')
    """
    if value is None:
        return "?"
    size, unit = float(value), "B"
    for bigger in ("KiB", "MiB", "GiB", "TiB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    if unit == "B":
        return f"{value} B"
    return f"{size:.1f} {unit}" if size < 100 else f"{size:.0f} {unit}"


def type_text(row: LayerRow) -> str:
    """The layer's type with the activation it fuses, as people read it: 'conv2d+relu'."""
    activation = row.options.get("activation")
    if isinstance(activation, str) and activation not in ("linear", "none", "identity"):
        return f"{row.type}+{activation}"
    return row.type


def value_text(value) -> str:
    """An option value as a spec would write it: true/false, null, [a, b]."""
    if value is True or value is False:
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return str(value)
