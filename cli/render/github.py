"""GitHub Actions workflow commands: one `::error file=...,line=...,col=...,title=...::message` per diagnostic.

GitHub turns each into an annotation on the pull request's changed line. Values are escaped as the
Actions toolkit escapes them: in the message % CR LF become %25 %0D %0A; in properties also : and ,
become %3A and %2C.
"""

from __future__ import annotations

from layerplan.planner import Diagnostic, Report, Severity

from layerplan.render.text import sorted_diagnostics

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow-command message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(file: str, diagnostic: Diagnostic, layer_name: str | None = None) -> str:
    properties = [f"file={escape_property(file)}"]
    if diagnostic.line is not None:
        properties.append(f"line={diagnostic.line}")
        if diagnostic.column is not None:
            properties.append(f"col={diagnostic.column}")
    title = f"{diagnostic.code} {diagnostic.name}"
    if layer_name:
        title += f" (layer {diagnostic.layer} {layer_name})"
    properties.append(f"title={escape_property(title)}")
    return f"::{_COMMANDS[diagnostic.severity]} {','.join(properties)}::{escape_data(diagnostic.message)}"


def render_github(reports: list[Report]) -> str:
    lines = []
    for report in reports:
        names = {row.index: row.name for row in report.layers}
        for diagnostic in sorted_diagnostics(report):
            lines.append(annotation(report.file, diagnostic, names.get(diagnostic.layer)))
    return "".join(line + "\n" for line in lines)
