"""`layerplan verify`: build the exported model with the installed framework and compare it with the plan."""

from __future__ import annotations

import sys

import click

from layerplan.output import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, reader_may_leave


def verify_exported(report, exported) -> tuple[int, str, str]:
    """(exit status, table, closing line) of running `exported` and comparing it with `report`.
    Raises FrameworkMissing when the framework cannot be imported."""
    from layerplan.verification import compare, device_of, render, run_framework, summary

    run = run_framework(exported)
    rows = compare(report, run)
    ok, line = summary(report, run, rows, exported.framework, device_of(run))
    return (EXIT_OK if ok else EXIT_INVALID), render(rows, exported.framework), line


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", metavar="SPEC")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Framework to check against (default: the spec's own; the other one ports the spec first).")
def verify(spec, framework) -> None:
    """Check SPEC's plan with the installed framework: export the model in memory, build it (torch on
    the meta device, or zeros of batch 1 on the CPU where a layer needs it; keras symbolically and on
    one zeros batch) and compare every layer's output shape and parameter counts with the plan.

    The framework runs in a child process: a crash there is a finding, not a crash of layerplan.
    Exit status 0 when every layer agrees, 1 on any difference or error (or a spec with errors), 2
    when the framework is not installed or the spec cannot be read.
    """
    from layerplan.commands.export import planned_export
    from layerplan.verification import FrameworkMissing

    report, exported = planned_export(spec, framework)
    try:
        status, table, line = verify_exported(report, exported)
    except FrameworkMissing as exc:
        click.echo(f"layerplan: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    with reader_may_leave():
        sys.stdout.write(table + line + "\n")
    if status != EXIT_OK:
        click.echo(f"layerplan: {spec}: {exported.framework} does not confirm the plan", err=True)
    sys.exit(status)
