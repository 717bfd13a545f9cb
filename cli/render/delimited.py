"""CSV and TSV: one header line of column keys, one line per layer; written directly, never through rich.

Values are plain: shapes as 32x28x28, counts without separators, an unknown value empty. Text cells
(file and layer names) stay on one line, control characters shown as escapes (`\x0a`) as on a
terminal, and one that a spreadsheet would read as a formula (it starts with =, +, -, @) starts with
an apostrophe.
Totals and problems are not rows (problems go to standard error), so every line is a layer.
"""

from __future__ import annotations

import csv
import io

from layerplan.render.columns import Column, with_file
from layerplan.render.escape import spreadsheet, terminal


def _plain(value) -> str:
    """A cell: a number as it is; text on one line as a terminal line is (`escape.terminal`: a name's
    line break or a workflow command cannot reach a CI log), then as a spreadsheet shows it as text
    (`escape.spreadsheet`)."""
    if value is None:
        return ""
    return spreadsheet(terminal(value)) if isinstance(value, str) else str(value)


def render_csv(reports, columns: list[Column]) -> str:
    columns = with_file(columns, reports)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.key for column in columns])
    for report in reports:
        for row in report.layers:
            writer.writerow([_plain(column.value(row, report)) for column in columns])
    return buffer.getvalue()


def _tsv_cell(value) -> str:
    # TSV has no quoting: a tab or line break inside a value (a layer name) becomes a space.
    return _plain(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def render_tsv(reports, columns: list[Column]) -> str:
    columns = with_file(columns, reports)
    lines = ["\t".join(column.key for column in columns)]
    for report in reports:
        for row in report.layers:
            lines.append("\t".join(_tsv_cell(column.value(row, report)) for column in columns))
    return "\n".join(lines) + "\n"
