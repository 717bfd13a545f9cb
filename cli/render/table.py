"""The rich table: one row per layer, a footer with totals, problems listed underneath."""

from __future__ import annotations

from planner import Report, Severity

from cli.render.common import location_text, shape_text

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SEVERITY_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


def render_table(report: Report, console, columns=None, unfold: bool = False) -> None:
    """Print one report as a table (and its diagnostics) on a rich Console.

    `columns` are `cli.render.columns.Column`s (the defaults when None; a graph adds `inputs`).
    Block uses are folded into one row each unless `unfold` (see cli/render/graph.py).
    The table is laid out by `cli.render.table_layout.LayerTable` (what rich's Table prints, faster).
    """
    from rich.text import Text

    console.print(layer_table(report, columns, unfold))
    params = params_line(report)
    if params is not None:
        console.print(Text(params))
    render_diagnostics(report, console)


def print_tables(reports, color: str = "auto", columns=None, unfold: bool = False, stream=None) -> None:
    """Print each readable report as `render_table` prints it on `make_console(color, stream)` (stdout
    when None). Without colour on a stream that is not a terminal, a report rich would print as plain
    text is written directly, without importing rich (cli/render/plain_table.py); rich prints the rest."""
    import sys

    from cli.render.plain_table import plain_report, plain_width

    stream = stream if stream is not None else sys.stdout
    width = plain_width(color, stream)
    console = None
    for report in reports:
        if report.read_error:
            continue
        text = plain_report(report, width, columns, unfold) if width is not None else None
        if text is not None:
            stream.write(text)
            continue
        if console is None:
            from cli.render.console import make_console

            console = make_console(color, stream)
        render_table(report, console, columns, unfold=unfold)


def params_line(report: Report) -> str | None:
    """The summary line under the table (None when the report has no totals)."""
    if report.total_params is None:
        return None
    return (f"params: {report.total_params:,} total, {report.trainable_params:,} trainable, "
            f"{report.non_trainable_params:,} non-trainable · output {shape_text(report.output)}")


def layer_table(report: Report, columns=None, unfold: bool = False):
    """The table of one report as a `LayerTable`: title, headers, footers and styled cells."""
    from rich.text import Text

    table = plain_layer_table(report, columns, unfold)
    table.title = Text(table.title, style="bold")
    return table


def plain_layer_table(report: Report, columns=None, unfold: bool = False):
    """`layer_table` with the title as a str (without rich: what the plain path lays out)."""
    from cli.render.columns import COLUMNS, default_columns
    from cli.render.graph import fold_rows, input_caption, is_graph
    from cli.render.table_layout import LayerTable

    if columns is None and is_graph(report):
        columns = default_columns()
        columns.insert([c.key for c in columns].index("type") + 1 if "type" in [c.key for c in columns]
                       else len(columns), COLUMNS["inputs"])
    columns = columns or default_columns()
    title = report.file if not report.name else f"{report.name} ({report.file})"
    caption_input = input_caption(report)
    show_footer = any(column.total for column in columns)
    rows = []
    for row in fold_rows(report, unfold):
        style = SEVERITY_STYLE.get(row.severity, "")
        cells = []
        for column in columns:
            cell_style = ""
            if column.key == "status":
                cell_style = style
            elif column.key == "output" and row.output is None and row.input is not None \
                    and row.severity is Severity.ERROR:
                cell_style = "bold red"
            cells.append((column.text(row, report), cell_style))
        rows.append(cells)
    return LayerTable(
        title=f"{title} · {report.framework} · input {caption_input}",
        headers=[column.header for column in columns],
        right=[column.numeric for column in columns],
        footers=[column.total(report) if column.total else "" for column in columns] if show_footer else None,
        rows=rows,
    )


def render_diagnostics(report: Report, console) -> None:
    from rich.text import Text

    for diagnostic in report.diagnostics:
        line = Text()
        for text, style in diagnostic_pieces(diagnostic, report):
            line.append(text, style=style)
        console.print(line)


def diagnostic_pieces(diagnostic, report: Report) -> list[tuple[str, str | None]]:
    """One diagnostic's line under the table as (text, style) runs: the styled mark and severity, the rest plain."""
    from cli.render.graph import used_at_text

    where = location_text(diagnostic, report.file)
    layer = f"layer {diagnostic.layer} " if diagnostic.layer is not None else ""
    return [(f"{SEVERITY_MARK[diagnostic.severity]} {diagnostic.severity.value}", SEVERITY_STYLE[diagnostic.severity]),
            (f" {where}: {layer}{diagnostic.code} {diagnostic.name}: ", None), (diagnostic.message, None),
            (used_at_text(diagnostic), None)]
