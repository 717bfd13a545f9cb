"""The rich table: one row per layer, a footer with totals, problems listed underneath."""

from __future__ import annotations

from planner import Report, Severity

from cli.render.common import geometry_text, location_text, number_text, shape_text

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SEVERITY_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


def render_table(report: Report, console) -> None:
    """Print one report as a table (and its diagnostics) on a rich Console."""
    from rich.table import Table
    from rich.text import Text

    title = report.file if not report.name else f"{report.name} ({report.file})"
    caption_input = shape_text(report.input)
    table = Table(
        title=Text(f"{title} · {report.framework} · input {caption_input}", style="bold"),
        show_footer=True,
        header_style="bold",
        footer_style="bold",
    )
    table.add_column("#", justify="right", footer="")
    table.add_column("", footer="")  # status mark
    table.add_column("name", footer="total")
    table.add_column("type", footer="")
    table.add_column("kernel / stride / pad", footer="")
    table.add_column("input", justify="right", footer="")
    table.add_column("output", justify="right", footer=shape_text(report.output))
    table.add_column("params", justify="right", footer=number_text(report.total_params))
    for row in report.layers:
        style = SEVERITY_STYLE.get(row.severity, "")
        mark = Text(SEVERITY_MARK.get(row.severity, ""), style=style)
        output = Text(shape_text(row.output), style="bold red" if row.output is None and row.input is not None
                      and row.severity is Severity.ERROR else "")
        table.add_row(
            str(row.index), mark, Text(row.name), Text(row.type), Text(geometry_text(row)),
            Text(shape_text(row.input)), output, Text(number_text(row.params)),
        )
    console.print(table)
    if report.total_params is not None:
        console.print(Text(
            f"params: {report.total_params:,} total, {report.trainable_params:,} trainable, "
            f"{report.non_trainable_params:,} non-trainable · output {shape_text(report.output)}"
        ))
    render_diagnostics(report, console)


def render_diagnostics(report: Report, console) -> None:
    from rich.text import Text

    for diagnostic in report.diagnostics:
        where = location_text(diagnostic, report.file)
        layer = f"layer {diagnostic.layer} " if diagnostic.layer is not None else ""
        line = Text()
        line.append(f"{SEVERITY_MARK[diagnostic.severity]} {diagnostic.severity.value}", style=SEVERITY_STYLE[diagnostic.severity])
        line.append(f" {where}: {layer}{diagnostic.code} {diagnostic.name}: ")
        line.append(diagnostic.message)
        console.print(line)
