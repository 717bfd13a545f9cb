"""GitHub Actions workflow commands: one `::error file=...,line=...,col=...,title=...::message` per diagnostic.

GitHub turns each into an annotation on the pull request's changed line. Values are escaped as the
Actions toolkit escapes them (`cli.render.escape`): in the message % CR LF become %25 %0D %0A; in
properties also : and , become %3A and %2C, so a file or layer name cannot end the command or start
another.
"""

from __future__ import annotations

from layerplan.planner import Diagnostic, Report, Severity

from layerplan.render.escape import github_data, github_property
from layerplan.render.text import sorted_diagnostics

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def annotation(file: str, diagnostic: Diagnostic, layer_name: str | None = None) -> str:
    properties = [f"file={github_property(file)}"]
    if diagnostic.line is not None:
        properties.append(f"line={diagnostic.line}")
        if diagnostic.column is not None:
            properties.append(f"col={diagnostic.column}")
    title = f"{diagnostic.code} {diagnostic.name}"
    if layer_name:
        title += f" (layer {diagnostic.layer} {layer_name})"
    properties.append(f"title={github_property(title)}")
    return f"::{_COMMANDS[diagnostic.severity]} {','.join(properties)}::{github_data(diagnostic.message)}"


def render_github(reports: list[Report]) -> str:
    lines = []
    for report in reports:
        names = {row.index: row.name for row in report.layers}
        for diagnostic in sorted_diagnostics(report):
            lines.append(annotation(report.file, diagnostic, names.get(diagnostic.layer)))
    return "".join(line + "\n" for line in lines)
