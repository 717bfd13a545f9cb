"""`layerplan verify`: build the exported model with the installed framework and compare it with the plan."""

from __future__ import annotations

import sys

import click

from layerplan.output import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, reader_may_leave, settings_option, say


def verify_exported(report, exported, rejection=None, limits=None, python=None) -> tuple[int, str, str]:
    """(exit status, table, closing line) of running `exported` and comparing it with `report`;
    `rejection` (planner/export.py up_to_rejection): the plan rejects the report's last layer, and
    the framework is to reject it too; `limits`: the child's memory and time (verification.Limits);
    `python`: the interpreter the framework runs in (None: layerplan's own).
    Raises FrameworkMissing when the framework cannot be imported, NotVerified when the model does not
    fit the limits (before it is run, from the plan's estimate, or when the child runs out of them)."""
    from layerplan.verification import (Limits, NotVerified, compare, device_of, memory_estimate, render,
                                        run_framework, size_text, summary)

    limits = limits or Limits()
    estimate = memory_estimate(report, exported.framework)
    fits = limits.memory is None or estimate.total <= limits.memory
    over = "" if fits else (f"{estimate.text(exported.framework)}, over verify's memory limit of "
                            f"{size_text(limits.memory)}; raise it with --memory-limit SIZE")
    if not fits and exported.framework == "keras":
        raise NotVerified(f"building this model in keras needs {over}")
    run = run_framework(exported, limits, cpu_fallback=fits, python=python)  # torch's meta device allocates nothing
    if run.needs_cpu:
        raise NotVerified(f"torch's meta device cannot run this model ({run.needs_cpu}), and building it on the "
                          f"CPU needs {over}")
    rows = compare(report, run, rejection)
    ok, line = summary(report, run, rows, exported.framework, device_of(run), rejection)
    return (EXIT_OK if ok else EXIT_INVALID), render(rows, exported.framework), line


class MemorySize(click.ParamType):
    """--memory-limit's value: bytes, 512MiB, 4GiB, 1.5G..., or none."""

    name = "SIZE"

    def convert(self, value, param, ctx):
        from layerplan.verification import parse_size

        if value is None or isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _model_to_run(spec: str, framework: str | None, settings: dict | None = None):
    """(report, exported, rejection): the whole spec when it plans cleanly; when the plan rejects a
    layer the framework can be asked about, the layers up to and including it; else the command exits
    with the spec's problems."""
    from layerplan.commands.export import exported_or_exit, planned_report, refuse
    from layerplan.planner.export import export_report, up_to_rejection

    report, ported = planned_report(spec, framework, settings)
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
@click.option("--memory-limit", type=MemorySize(), default="4GiB", show_default=True,
              help="Memory the framework's process may use (512MiB, 8GiB, ... or none); a model whose "
                   "estimate exceeds it is not run.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=600, show_default=True,
              metavar="SECONDS", help="Time the framework's process may take.")
@click.option("--python", "python", type=click.Path(exists=True, dir_okay=False), default=None, metavar="PATH",
              help="Run the framework with this Python interpreter (one whose environment has torch or "
                   "keras, such as a project's .venv/bin/python), not layerplan's own.")
@settings_option
def verify(spec, framework, memory_limit, timeout, python, settings) -> None:
    """Check SPEC's plan with the installed framework: export the model in memory, build it (torch on
    the meta device, or zeros of batch 1 on the CPU where a layer needs it; keras symbolically and on
    one zeros batch) and compare every layer's output shape and parameter counts with the plan.

    Where the plan rejects a layer (a kernel larger than its input...), the layers up to it are run and
    the framework must reject that layer too ("both reject"). The framework runs in an isolated child
    process, within a memory and a time limit: a crash there is a finding, not a crash of layerplan.
    Exit status 0 when every layer agrees, 1 on any difference or error (or a spec with errors the
    framework is not asked about), 2 when the framework is not installed, the spec cannot be read, or
    the model does not fit the limits. With --python PATH the framework runs in that interpreter
    (layerplan installed with pipx, the frameworks in a project's virtual environment).
    """
    from layerplan.render.escape import terminal
    from layerplan.verification import FrameworkMissing, Limits, NotVerified

    report, exported, rejection = _model_to_run(spec, framework, settings)
    try:
        status, table, line = verify_exported(report, exported, rejection, Limits(memory_limit, timeout), python)
    except FrameworkMissing as exc:
        say(f"layerplan: {exc}")
        sys.exit(EXIT_UNREADABLE)
    except NotVerified as exc:
        say(f"layerplan: {spec}: not verified: {exc}")
        sys.exit(EXIT_UNREADABLE)
    with reader_may_leave():
        sys.stdout.write(table + terminal(line) + "\n")
    if status != EXIT_OK:
        say(f"layerplan: {spec}: {exported.framework} does not confirm the plan")
    sys.exit(status)
