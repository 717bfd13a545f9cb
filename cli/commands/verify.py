"""`layerplan verify`: build the exported model with the installed framework and compare it with the plan."""

from __future__ import annotations

import sys

import click

from layerplan.output import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, reader_may_leave, say


def verify_exported(report, exported, rejection=None) -> tuple[int, str, str]:
    """(exit status, table, closing line) of running `exported` and comparing it with `report`;
    `rejection` (planner/export.py up_to_rejection): the plan rejects the report's last layer, and
    the framework is to reject it too. Raises FrameworkMissing when the framework cannot be imported."""
    from layerplan.verification import compare, device_of, render, run_framework, summary

    run = run_framework(exported)
    rows = compare(report, run, rejection)
    ok, line = summary(report, run, rows, exported.framework, device_of(run), rejection)
    return (EXIT_OK if ok else EXIT_INVALID), render(rows, exported.framework), line


def _model_to_run(spec: str, framework: str | None):
    """(report, exported, rejection): the whole spec when it plans cleanly; when the plan rejects a
    layer the framework can be asked about, the layers up to and including it; else the command exits
    with the spec's problems."""
    from layerplan.commands.export import exported_or_exit, planned_report, refuse
    from layerplan.planner.export import export_report, up_to_rejection

    report, ported = planned_report(spec, framework)
    if report.ok:
        return report, exported_or_exit(report, spec), None
    # a spec with errors is not ported (planner/export.py plan_for_export): only its own framework is asked
    rejection = up_to_rejection(report) if not ported and report.framework == (framework or report.framework) \
        else None
    exported = None
    if rejection is not None:
        try:
            exported = export_report(rejection.report)
        except Exception:  # noqa: BLE001 - a rejected layer's options may not make a call at all
            exported = None
    if exported is None and ported:
        refuse(report, spec, f"not verified: the plan has errors in {report.framework}, and a spec with errors "
                             "is not ported; verify it in its own framework")
    if exported is None:
        refuse(report, spec, "not verified: the plan has errors that the framework is not asked about (only the "
                             "first rejected layer, when the framework checks the same and it can be written, is run)")
    return rejection.report, exported, rejection


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", metavar="SPEC")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Framework to check against (default: the spec's own; the other one ports the spec first).")
def verify(spec, framework) -> None:
    """Check SPEC's plan with the installed framework: export the model in memory, build it (torch on
    the meta device, or zeros of batch 1 on the CPU where a layer needs it; keras symbolically and on
    one zeros batch) and compare every layer's output shape and parameter counts with the plan.

    Where the plan rejects a layer (a kernel larger than its input...), the layers up to it are run and
    the framework must reject that layer too ("both reject"). The framework runs in a child process: a
    crash there is a finding, not a crash of layerplan. Exit status 0 when every layer agrees, 1 on any
    difference or error (or a spec with errors the framework is not asked about), 2 when the framework
    is not installed or the spec cannot be read.
    """
    from layerplan.render.escape import terminal
    from layerplan.verification import FrameworkMissing

    report, exported, rejection = _model_to_run(spec, framework)
    try:
        status, table, line = verify_exported(report, exported, rejection)
    except FrameworkMissing as exc:
        say(f"layerplan: {exc}")
        sys.exit(EXIT_UNREADABLE)
    with reader_may_leave():
        sys.stdout.write(table + terminal(line) + "\n")
    if status != EXIT_OK:
        say(f"layerplan: {spec}: {exported.framework} does not confirm the plan")
    sys.exit(status)
