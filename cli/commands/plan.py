"""`layerplan plan`: plan specs and print their layer tables."""

from __future__ import annotations

import sys

import click

from cli.output import emit, exit_status

PLAN_FORMATS = ("table", "json", "jsonl")


@click.command()
@click.argument("specs", nargs=-1, required=True, metavar="SPEC...")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Plan with this framework's rules (overrides the spec's framework).")
@click.option("--format", "output_format", type=click.Choice(PLAN_FORMATS), default="table", show_default=True,
              help="Output format.")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("--stdin-filename", default=None, help="Name to report for a spec read from standard input ('-').")
def plan(specs, framework, output_format, strict, stdin_filename) -> None:
    """Plan each SPEC (YAML or JSON file; '-' reads standard input) and print its layer table."""
    from cli.inputs import plan_path

    reports = [
        plan_path(path, stdin_filename if path == "-" and stdin_filename else None, framework) for path in specs
    ]
    emit(reports, output_format)
    sys.exit(exit_status(reports, strict))
