"""Exit statuses and writing reports in the chosen format."""

from __future__ import annotations

import sys

import click

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def exit_status(reports, strict: bool = False) -> int:
    """0: all planned cleanly; 1: a spec is invalid (or has warnings with --strict); 2: a spec was unreadable."""
    if any(r.read_error for r in reports):
        return EXIT_UNREADABLE
    if any(not r.ok for r in reports):
        return EXIT_INVALID
    if strict and any(r.warnings for r in reports):
        return EXIT_INVALID
    return EXIT_OK


def emit(reports, output_format: str) -> None:
    """Write reports in a format; read errors also go to stderr as one line each."""
    for report in reports:
        if report.read_error:
            d = report.diagnostics[0]
            where = f"{report.file}:{d.line}:{d.column}" if d.line else report.file
            click.echo(f"layerplan: {where}: {d.code} {d.name}: {d.message}", err=True)
    if output_format == "json":
        from cli.render.json_format import render_json

        sys.stdout.write(render_json(reports, single=len(reports) == 1))
    elif output_format == "jsonl":
        from cli.render.json_format import render_jsonl

        sys.stdout.write(render_jsonl(reports))
    else:
        from rich.console import Console

        from cli.render.table import render_table

        console = Console()
        for report in reports:
            if not report.read_error:
                render_table(report, console)
    sys.stdout.flush()
