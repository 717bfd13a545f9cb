"""The table format: one row per layer and a footer with totals, laid out by rich's `Table`, then the
params line and one line per problem.

Imported only when a table is printed (cli/output.py), so the other formats never import rich.
"""

from __future__ import annotations

import re

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
    `width`: the terminal's width (None: any width). A name, a shape or a number is never split: on a
    narrow terminal the default columns give way whole, in `GIVE_WAY` order (`fit_columns`), and names,
    types, k/s/p and inputs wrap onto more lines only after a `BREAK_AFTER` character (`wrap_cell`).
    """
    chosen = bool(columns)
    columns = shown_columns(report, columns)
    rows = fold_rows(report, unfold)
    cells = {column.key: [terminal(column.text(row, report)) for row in rows] for column in columns}
    footers = {column.key: column.total(report) if column.total else "" for column in columns}
    widths: dict[str, int] = {}
    if width is not None:
        if not chosen:
            columns = fit_columns(columns, cells, footers, width)
        widths = folded_widths(columns, cells, footers, width)
    title = report.file if not report.name else f"{report.name} ({report.file})"
    table = Table(title=Text(terminal(f"{title} · {report.framework} · input {input_caption(report)}"), style="bold"),
                  show_footer=any(column.total for column in columns), header_style="bold", footer_style="bold")
    for column in columns:
        footer = footers[column.key]
        if column.key in widths:  # wrapped here, at the places a name may break: rich never folds it
            options = {"no_wrap": True, "width": widths[column.key]}
            footer = wrap_cell(footer, widths[column.key], column.key in SHAPE_LISTS)
        else:  # a number or a shape: its full width, on one line
            options = {"no_wrap": True, "min_width": _natural_width(column, cells[column.key], footer)}
        table.add_column(Text(_heading(column)), justify="right" if column.numeric else "left", footer=Text(footer),
                         **options)
    for number, row in enumerate(rows):
        table.add_row(*(Text(wrap_cell(cells[column.key][number], widths[column.key], column.key in SHAPE_LISTS)
                             if column.key in widths else cells[column.key][number], style=_cell_style(column, row))
                        for column in columns))
    return table


#: the table's heading of a column whose header elsewhere is blank (markdown keeps it blank)
HEADINGS = {"status": "!"}
#: columns whose text may wrap onto more lines on a narrow terminal (the others hold numbers and shapes)
FOLDING = ("name", "type", "geometry", "inputs", "file", "receptive_field")
#: a wrapping column's text breaks only after one of these: `conv_transpose2d_1` as `conv_` /
#: `transpose2d_1`, `layer1.0.conv1` after a dot, `conv2d+relu` after the `+`, k/s/p and inputs at a
#: space; a name, a shape or a number is never cut
BREAK_AFTER = " _.+,"
#: shape columns, whose cells list a shape per output: they wrap only after the comma between shapes
SHAPE_LISTS = ("input", "output")
#: the default columns that give way whole, first to last, when the table is wider than the terminal:
#: the status column when no layer has a problem (it is empty), k/s/p, a graph's inputs, the input
#: shape, the type; the index, the name, the output and the params always stay
GIVE_WAY = ("status", "geometry", "inputs", "input", "type")
_PIECE = re.compile(rf"[^{re.escape(BREAK_AFTER)}]*[{re.escape(BREAK_AFTER)}]*")
_SHAPE = re.compile(r"[^,]*,? *")


def _natural_width(column: Column, texts: list[str], footer: str) -> int:
    return max([len(_heading(column)), len(footer), *(len(text) for text in texts)])


def _heading(column: Column) -> str:
    return column.header or HEADINGS.get(column.key, column.key)


def _narrowest(column: Column, texts: list[str], footer: str) -> int:
    """The narrowest a wrapping column gets: its heading, and the longest piece between break points."""
    shapes = column.key in SHAPE_LISTS
    return max([len(_heading(column)),
                *(len(piece.rstrip()) for text in (*texts, footer) for piece in pieces(text, shapes))])


def pieces(text: str, shapes: bool = False) -> list[str]:
    """`text` cut after each BREAK_AFTER character (the pieces, joined, are the text); `shapes`: a
    list of shapes, cut after each comma only.

    >>> pieces("conv_transpose2d_1"), pieces("k3 s1 p1 same"), pieces("layer1.0.conv1")
    (['conv_', 'transpose2d_', '1'], ['k3 ', 's1 ', 'p1 ', 'same'], ['layer1.', '0.', 'conv1'])
    >>> pieces("58x28x28, 58x28x28", shapes=True)
    ['58x28x28, ', '58x28x28']
    """
    return [piece for piece in (_SHAPE if shapes else _PIECE).findall(text) if piece]


def _wraps(column: Column) -> bool:
    return column.key in FOLDING or column.key in SHAPE_LISTS


def wrap_cell(text: str, width: int, shapes: bool = False) -> str:
    """`text` on lines of at most `width` characters, broken only between `pieces` (a piece longer
    than `width` stays whole on its own line).

    >>> print(wrap_cell("conv_transpose2d_1", 12))
    conv_
    transpose2d_
    1
    >>> wrap_cell("max_pool2d_1", 12), wrap_cell("k3 s2 p0/1 same", 10)
    ('max_pool2d_1', 'k3 s2\np0/1 same')
    """
    lines: list[str] = []
    line = ""
    for piece in pieces(text, shapes):
        if line and len((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    return "\n".join([*lines, line.rstrip()]) if lines else line


def fit_columns(columns: list[Column], cells: dict, footers: dict, width: int) -> list[Column]:
    """The columns that fit `width` with every name, number and shape whole: the wrapping columns at
    their narrowest (`_narrowest`), the others at their natural width; `GIVE_WAY` columns are dropped
    whole, in order (the status column only when it is empty), until the rest fits (or none is left)."""
    shown = list(columns)
    for key in GIVE_WAY:
        if _needed(shown, cells, footers) <= width:
            break
        if key == "status" and any(cells.get(key, [])):
            continue  # a problem's mark is never dropped
        shown = [column for column in shown if column.key != key]
    return shown


def narrowest_table(report: Report, unfold: bool = False) -> int:
    """The narrowest terminal the default table fits whole: every column that gives way dropped, names
    and shapes wrapped at every break point. On a narrower one rich has to cut."""
    columns = shown_columns(report)
    rows = fold_rows(report, unfold)
    cells = {column.key: [terminal(column.text(row, report)) for row in rows] for column in columns}
    footers = {column.key: column.total(report) if column.total else "" for column in columns}
    return _needed(fit_columns(columns, cells, footers, 0), cells, footers)


def _needed(shown: list[Column], cells: dict, footers: dict) -> int:
    widths = [_narrowest(c, cells[c.key], footers[c.key]) if _wraps(c)
              else _natural_width(c, cells[c.key], footers[c.key]) for c in shown]
    return sum(widths) + 3 * len(shown) + 1  # one space each side of a cell, and the rules between


def folded_widths(columns: list[Column], cells: dict, footers: dict, width: int) -> dict[str, int]:
    """The width of each wrapping column on a terminal of `width`: its natural width when the table
    fits, else its narrowest, the room left given to the columns in order up to their natural width."""
    spare = width - _needed(columns, cells, footers)
    widths = {}
    for column in columns:
        if not _wraps(column):
            continue
        narrowest = _narrowest(column, cells[column.key], footers[column.key])
        natural = _natural_width(column, cells[column.key], footers[column.key])
        extra = max(0, min(spare, natural - narrowest))
        widths[column.key] = narrowest + extra
        spare -= extra
    return widths


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
