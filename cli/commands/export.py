"""`layerplan export`: a spec planned cleanly, written as a torch or keras model."""

from __future__ import annotations

import sys

import click

from layerplan.output import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, reader_may_leave, settings_option, say, write_output_file


def planned_report(spec: str, target: str | None, settings: dict | None = None):
    """(report, note) for SPEC planned in the target framework (the spec's own by default); `note` says
    where it was ported from (`settings`: a model file's `--set` values). An unreadable spec exits with
    status 2, its problem on standard error."""
    from layerplan.inputs import document_or_exit
    from layerplan.planner.export import plan_for_export
    from layerplan.render.problems import render_problems

    document = document_or_exit(spec, settings=settings)  # a spec file, or a model file read without running it
    own = document.data.get("framework", "torch")
    target = target or (own if own in ("torch", "keras") else "torch")
    if target == own:
        from layerplan.planner.api import plan_document

        report = plan_document(document)
    else:
        report = plan_for_export(document.data, target, spec)
    if report.read_error:
        click.echo(render_problems([report]), err=True, nl=False)
        sys.exit(EXIT_UNREADABLE)
    return report, "" if target == own else f" (ported from {own} to {target})"


def refuse(report, spec: str, why: str) -> None:
    """A spec with errors: its problems and `why` on standard error, exit status 1."""
    from layerplan.render.problems import render_problems

    click.echo(render_problems([report]), err=True, nl=False)
    say(f"layerplan: {spec}: {why}")
    sys.exit(EXIT_INVALID)


def exported_or_exit(report, spec: str):
    """The report exported; a layer the framework cannot spell, or code that fails export's own last
    check (planner/export_check.py), exits with status 1."""
    from layerplan.planner.export import NotWritable, UnsafeExport, export_report

    try:
        return export_report(report)
    except NotWritable as exc:
        say(f"layerplan: {spec}: not exported: {report.framework} cannot write {exc}")
        sys.exit(EXIT_INVALID)
    except UnsafeExport as exc:
        click.echo(f"layerplan: {spec}: not exported: {exc}; layerplan refuses to write or run such code "
                   "(an error of layerplan's: please report it)", err=True)
        sys.exit(EXIT_INVALID)


def planned_export(spec: str, target: str | None, settings: dict | None = None):
    """(report, exported) for SPEC in the target framework (the spec's own by default); on an unreadable
    spec (status 2), a spec with errors or a layer the framework cannot spell (status 1), the problems
    go to standard error and the command exits."""
    report, ported = planned_report(spec, target, settings)
    if not report.ok:
        refuse(report, spec, f"not exported: the plan{ported} has errors")
    inexact = [d for d in report.diagnostics if d.name == "port-inexact"]
    if inexact:
        refuse(_only(report, inexact), spec,
               f"not exported: {len(inexact)} layer(s) have no exact {report.framework} port; `layerplan port` "
               f"writes the ported spec with each marked, to fix and export")
    return report, exported_or_exit(report, spec)


def _only(report, diagnostics):
    """The report with only these diagnostics (what a refusal shows)."""
    import copy

    shown = copy.copy(report)
    shown.diagnostics = list(diagnostics)
    return shown


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", metavar="SPEC")
@click.option("--to", "target", type=click.Choice(["torch", "keras"]), default=None,
              help="Framework to write (default: the spec's own; the other one ports the spec first).")
@click.option("--output", "-o", "output", metavar="FILE", default=None,
              help="Write to FILE instead of standard output (never to SPEC itself).")
@settings_option
def export(spec, target, output, settings) -> None:
    """Write SPEC as a torch nn.Module or a keras model: readable Python, black-formatted.

    Every inferred argument is written out (in_channels, in_features, num_features), each layer's
    planned output shape is a comment, and the file defines INPUT_SHAPE and build_model(); run as a
    script it builds the model and prints its summary. A spec with errors is not exported (exit
    status 1, its problems on standard error); an unreadable one exits with status 2.
    """
    _, exported = planned_export(spec, target, settings)
    if output is None:
        with reader_may_leave():
            sys.stdout.write(exported.text)
    else:
        from layerplan.inputs import report_name

        write_output_file(output, exported.text, inputs=[report_name(spec)])
    sys.exit(EXIT_OK)
