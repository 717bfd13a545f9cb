"""Problems as one plain line each, compiler style, for standard error and `--quiet`; never through rich.

    net.yaml:12:5: error LP203 kernel-too-large: layer 3: kernel 5 is larger than ...
"""

from __future__ import annotations

from layerplan.render.common import diagnostic_line


def problem_line(report, diagnostic) -> str:
    return diagnostic_line(diagnostic, report.file)


def render_problems(reports, include_info: bool = False) -> str:
    lines = []
    for report in reports:
        for diagnostic in report.diagnostics:
            if include_info or diagnostic.severity.value != "info":
                lines.append(problem_line(report, diagnostic))
    return "".join(line + "\n" for line in lines)
