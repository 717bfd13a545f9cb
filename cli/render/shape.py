"""One clean value per spec for `$(...)`: the final output shape (`shape`) or the total params (`params`).

A value is printed whenever it was computed, even when the spec fails otherwise (a failed `expect`,
a budget): the exit status tells whether the spec passed, and its problems go to standard error.
With several specs every spec has a line, `FILE: VALUE`, and `FILE:` alone when its value could not
be computed (the file is unreadable, or a layer fails).
"""

from __future__ import annotations

from layerplan.render.common import output_text
from layerplan.render.escape import terminal


def render_shape(reports) -> str:
    """The final output shape of each report, as `shape` prints it; a spec with several outputs prints
    each shape, comma-separated in the order of its outputs (`58x28x28, 58x28x28`)."""
    return _lines(reports, output_text)


def render_params(reports) -> str:
    """The total parameter count of each report, as `params` prints it."""
    return _lines(reports, lambda report: None if report.total_params is None else str(report.total_params))


def _lines(reports, value) -> str:
    lines = []
    for report in reports:
        found = None if report.read_error else value(report)
        if len(reports) > 1:
            lines.append(terminal(f"{report.file}:" if found is None else f"{report.file}: {found}"))
        elif found is not None:
            lines.append(found)
    return "".join(line + "\n" for line in lines)
