"""One clean value per spec for `$(...)`: the final output shape (`shape`) or the total params (`params`).

With several specs each line is `FILE: VALUE`. A spec whose value cannot be computed prints
nothing here; its problems go to standard error and the exit status says it failed.
"""

from __future__ import annotations

from cli.render.common import shape_text


def render_shape(reports) -> str:
    return _lines(reports, lambda report: None if report.output is None else shape_text(report.output))


def render_params(reports) -> str:
    return _lines(reports, lambda report: None if report.total_params is None else str(report.total_params))


def _lines(reports, value) -> str:
    lines = []
    for report in reports:
        found = None if report.read_error or not report.ok else value(report)
        if found is None:
            continue
        lines.append(f"{report.file}: {found}" if len(reports) > 1 else found)
    return "".join(line + "\n" for line in lines)
