"""Markdown: a GitHub-flavoured table per spec, for pasting into issues and READMEs; never through rich."""

from __future__ import annotations

from layerplan.render.columns import Column, SEVERITY_MARK
from layerplan.render.common import location_text, number_text, output_text, shape_text
from layerplan.render.escape import markdown as _cell


def render_markdown(reports, columns: list[Column]) -> str:
    return "\n".join(_report(report, columns) for report in reports if not report.read_error)


def _report(report, columns: list[Column]) -> str:
    lines = []
    title = report.name or ("" if report.file == "<args>" else report.file)
    summary = (f"{report.framework} · input {shape_text(report.input)} · output {output_text(report) or '?'} · "
               f"{number_text(report.total_params)} params")
    lines.append(f"**{_cell(title)}** · {summary}" if title else summary)
    lines.append("")
    lines.append("| " + " | ".join(_cell(column.header) for column in columns) + " |")
    lines.append("|" + "|".join("---:" if column.numeric else "---" for column in columns) + "|")
    for row in report.layers:
        lines.append("| " + " | ".join(_cell(column.text(row, report)) for column in columns) + " |")
    if any(column.total for column in columns):
        lines.append("| " + " | ".join(f"**{_cell(column.total(report))}**" if column.total else ""
                                       for column in columns) + " |")
    if report.diagnostics:
        lines.append("")
        for d in report.diagnostics:
            where = location_text(d)
            layer = f"layer {d.layer}" if d.layer is not None else ""
            place = ", ".join(part for part in (layer, f"line {where}" if where else "") if part)
            lines.append(f"- {SEVERITY_MARK[d.severity.value]} **{d.severity.value}** `{d.code} {d.name}`"
                         f"{f' ({place})' if place else ''}: {_cell(d.message)}")
    return "\n".join(lines) + "\n"
