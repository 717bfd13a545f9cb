"""The `check` text format: one `path:line:col: severity CODE name: message` line per diagnostic, then a summary.

Shared by the other check formats: diagnostics sorted by position, and the summary counts.
"""

from __future__ import annotations

from layerplan.planner import Diagnostic, Report, Severity

from layerplan.render import common


def sorted_diagnostics(report: Report) -> list[Diagnostic]:
    """A report's diagnostics in file order (those without a line first, as they concern the whole file)."""
    return sorted(report.diagnostics, key=lambda d: (d.line or 0, d.column or 0))


def diagnostic_line(file: str, diagnostic: Diagnostic) -> str:
    """'spec.yaml:12:5: error LP203 kernel-too-large: layer 3: kernel 5 is larger than ...' (line and
    column when known): `cli.render.common.diagnostic_line`, the layout of every command."""
    return common.diagnostic_line(diagnostic, file)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(reports: list[Report]) -> str:
    """'3 files checked: 2 errors, 1 warning (2 files with problems)'; a file with only information
    (what layerplan took on trust, what a model file's reader skipped) has no problem."""
    counts = {severity: 0 for severity in Severity}
    failing = 0
    for report in reports:
        for diagnostic in report.diagnostics:
            counts[diagnostic.severity] += 1
        failing += any(diagnostic.severity is not Severity.INFO for diagnostic in report.diagnostics)
    parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning")]
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} info")
    text = f"{_plural(len(reports), 'file')} checked: {', '.join(parts)}"
    if failing:
        text += f" ({_plural(failing, 'file')} with problems)"
    return text


def render_text(reports: list[Report]) -> str:
    lines = [diagnostic_line(report.file, d) for report in reports for d in sorted_diagnostics(report)]
    return "".join(line + "\n" for line in lines)
