"""The table format: one row per layer and a footer with totals, laid out by rich's `Table`, then the
params line and one line per problem.

Imported only when a table is printed (cli/output.py), so the other formats never import rich.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from layerplan.planner import Report, Severity

from layerplan.render.columns import COLUMNS, Column, default_columns
from layerplan.render import common
from layerplan.render.common import output_text
from layerplan.render.console import PIPE_WIDTH, make_console
from layerplan.render.escape import terminal
from layerplan.render.graph import fold_rows, input_caption, is_graph

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_tables(reports, color: str = "auto", columns: list[Column] | None = None, unfold: bool = False,
                 stream=None) -> None:
    """Print each readable report as `render_table` does, on `make_console(color, stream)` (stdout when None)."""
    console = make_console(color, stream)
    for report in reports:
        if not report.read_error:
            render_table(report, console, columns, unfold)


def render_table(report: Report, console, columns: list[Column] | None = None, unfold: bool = False) -> None:
    """Print one report on a rich Console: its table (`layer_table`), the params line and its problems.
    A report without an input shape (LP102) prints its problems only: every row would be `?`."""
    if any(diagnostic.name == "missing-input" for diagnostic in report.diagnostics):
        for diagnostic in report.diagnostics:
            console.print(diagnostic_line(diagnostic, report))
        return
    width = None if console.width >= PIPE_WIDTH else console.width
    console.print(layer_table(report, columns, unfold, width=width))
    params = params_line(report)
    if params is not None:
        console.print(Text(params))
    for diagnostic in report.diagnostics:
        console.print(diagnostic_line(diagnostic, report))


def layer_table(report: Report, columns: list[Column] | None = None, unfold: bool = False,
                width: int | None = None) -> Table:
    """The table of one report: a bold title, one row per layer (block uses folded unless `unfold`, see
    cli/render/graph.py), numbers right-aligned, a footer row of totals when a column has one.

    `columns`: `cli.render.columns.Column`s; when None or empty, `shown_columns` picks the defaults.
    `width`: the terminal's width (None: any width). Shapes and counts are never cut: on a narrow
    terminal the default columns give way in `GIVE_WAY` order (`fit_columns`), and names, types and
    k/s/p fold onto more lines.
    """
    chosen = bool(columns)
    columns = shown_columns(report, columns)
    rows = fold_rows(report, unfold)
    cells = {column.key: [terminal(column.text(row, report)) for row in rows] for column in columns}
    if width is not None and not chosen:
        columns = fit_columns(columns, cells, {c.key: c.total(report) if c.total else "" for c in columns}, width)
    title = report.file if not report.name else f"{report.name} ({report.file})"
    table = Table(title=Text(terminal(f"{title} · {report.framework} · input {input_caption(report)}"), style="bold"),
                  show_footer=any(column.total for column in columns), header_style="bold", footer_style="bold")
    for column in columns:
        footer = column.total(report) if column.total else ""
        if column.key in FOLDING:
            options = {"overflow": "fold", "min_width": FOLDED_WIDTH}
        else:  # a number or a shape: its full width, on one line
            options = {"no_wrap": True, "min_width": _natural_width(column, cells[column.key], footer)}
        table.add_column(Text(_heading(column)), justify="right" if column.numeric else "left", footer=Text(footer),
                         **options)
    for number, row in enumerate(rows):
        table.add_row(*(Text(cells[column.key][number], style=_cell_style(column, row)) for column in columns))
    return table


#: the table's heading of a column whose header elsewhere is blank (markdown keeps it blank)
HEADINGS = {"status": "!"}
#: columns whose text may fold onto more lines on a narrow terminal (the others hold numbers and shapes)
FOLDING = ("name", "type", "geometry", "inputs", "file", "receptive_field")
#: the narrowest a folding column gets
FOLDED_WIDTH = 6
#: the default columns that give way, first to last, when the table is wider than the terminal
GIVE_WAY = ("input", "geometry")


def _natural_width(column: Column, texts: list[str], footer: str) -> int:
    return max([len(_heading(column)), len(footer), *(len(text) for text in texts)])


def _heading(column: Column) -> str:
    return column.header or HEADINGS.get(column.key, column.key)


def fit_columns(columns: list[Column], cells: dict, footers: dict, width: int) -> list[Column]:
    """The columns that fit `width` with every number and shape whole: the folding columns at
    `FOLDED_WIDTH` at least, the others at their natural width; `GIVE_WAY` columns are dropped in
    order until the rest fits (or none is left to drop)."""
    def needed(shown):
        widths = [min(_natural_width(c, cells[c.key], footers[c.key]), FOLDED_WIDTH) if c.key in FOLDING
                  else _natural_width(c, cells[c.key], footers[c.key]) for c in shown]
        return sum(widths) + 3 * len(shown) + 1  # one space each side of a cell, and the rules between
    shown = list(columns)
    for key in GIVE_WAY:
        if needed(shown) <= width:
            break
        shown = [column for column in shown if column.key != key]
    return shown


def shown_columns(report: Report, columns: list[Column] | None = None) -> list[Column]:
    """`columns` when given, else the default columns, with `inputs` after `type` for a graph (a layer
    that reads anything but the layer before it: cli/render/graph.py)."""
    if columns:
        return columns
    shown = default_columns()
    if is_graph(report):
        keys = [column.key for column in shown]
        shown.insert(keys.index("type") + 1 if "type" in keys else len(shown), COLUMNS["inputs"])
    return shown


def _cell_style(column: Column, row) -> str:
    """The status mark in its severity's style; an output that an error left unknown in bold red."""
    if column.key == "status":
        return SEVERITY_STYLE.get(row.severity, "")
    if column.key == "output" and row.output is None and row.input is not None and row.severity is Severity.ERROR:
        return "bold red"
    return ""


def params_line(report: Report) -> str | None:
    """The summary line under the table (None when the report has no totals)."""
    if report.total_params is None:
        return None
    return (f"params: {report.total_params:,} total, {report.trainable_params:,} trainable, "
            f"{report.non_trainable_params:,} non-trainable · output {output_text(report) or '?'}")


def diagnostic_line(diagnostic, report: Report) -> Text:
    """One problem's line under the table, in the layout of every command (`common.diagnostic_line`),
    its severity word in the severity's style."""
    return styled_line(common.diagnostic_line(diagnostic, report.file), diagnostic.severity.value)


def styled_line(line: str, severity: str) -> Text:
    """A diagnostic line (`common.diagnostic_line`) as rich Text, its first severity word styled."""
    text = Text(line)
    start = line.find(f" {severity} ") + 1 if not line.startswith(f"{severity} ") else 0
    text.stylize(SEVERITY_STYLE[Severity(severity)], start, start + len(severity))
    return text
