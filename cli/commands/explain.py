"""`layerplan explain`: why each layer has its shape, step by step, in the framework's own formulas."""

from __future__ import annotations

import sys

import click

from layerplan.output import (EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, color_option, input_shape_option,
                              no_layers_message, reader_may_leave, settings_option, summary_lines, say)
from layerplan.render.escape import json_text

EXPLAIN_FORMATS = ("table", "json")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("arguments", nargs=-1, metavar="SPEC | LAYER...")
@click.option("--layer", "-l", "layer", default=None, metavar="N|NAME",
              help="Explain one layer only: its 1-based index or its name.")
@click.option("--input", "-i", "input_shape", metavar="SHAPE", callback=input_shape_option,
              help="Input shape of one sample for layer arguments (or to replace a spec's input), e.g. 28x28x1.")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Framework rules (overrides the spec's framework; default torch).")
@click.option("--sketch", is_flag=True, help="Draw each axis: which input cells every window reads, and which "
              "cells are never read.")
@click.option("--dtype", default="float32", show_default=True,
              type=click.Choice(["float32", "float16", "bfloat16", "float64", "int8", "uint8", "int32", "int64", "int16"]),
              help="Element type for the memory figures.")
@click.option("--brief", "-b", is_flag=True, help="One line per layer: its shape formula with your numbers, "
              "its output shape and params.")
@click.option("--format", "output_format", type=click.Choice(EXPLAIN_FORMATS), default="table", show_default=True,
              help="table: text for people; json: the explanation data.")
@color_option()
@settings_option
def explain(arguments, layer, input_shape, framework, sketch, dtype, brief, output_format, color, settings) -> None:
    """Explain how each layer of SPEC gets its output shape, params and MACs.

    For every layer: the framework's shape formula with your numbers substituted, where the padding
    goes and why, window positions versus filters, how the params decompose, the MACs and the
    receptive field. One layer from the command line (layer arguments as in `plan`):

      layerplan explain conv2d:32,3,p=same -i 28x28x1 -f keras

    On a pipe or in a file, lines are never wrapped or cut (a formula stays on its line); on a
    terminal they wrap at its width. --brief gives one line per layer:

      layerplan explain --brief conv2d:8,3 max_pool2d:2 -i 1x28x28
    """
    from layerplan.planner.layer_arguments import split_arguments

    if not arguments:
        if input_shape is None:
            raise click.UsageError("explain needs a spec file, or layers with -i SHAPE, e.g. "
                                   "layerplan explain conv2d:32,3,p=same -i 28x28x1 -f keras")
        raise click.UsageError(no_layers_message("explain", input_shape, framework))
    specs, tokens = split_arguments(arguments, prefer_layers=input_shape is not None)
    if len(specs) > 1:
        raise click.UsageError("explain takes one spec at a time")
    if not specs and input_shape is None:
        raise click.UsageError("layer arguments need an input shape: add -i SHAPE, e.g. -i 28x28x1")
    if specs:
        report, data = _plan_file(specs[0], framework, tokens, input_shape, settings)
    else:
        from layerplan.planner.layer_arguments import plan_tokens

        report = plan_tokens(tokens, input_shape, framework)
        data = None
    report.dtype = dtype
    if report.read_error:
        from layerplan.render.common import diagnostic_line

        say(f"layerplan: {diagnostic_line(report.diagnostics[0], report.file)}")
        sys.exit(EXIT_UNREADABLE)
    from layerplan.planner.explain import explain_data

    try:
        payload = explain_data(report, layer)
    except LookupError as exc:
        raise click.BadParameter(str(exc), param_hint="'--layer'") from None
    fixes = []
    if data is not None and not report.ok and any(d.name == "expect-failed" and d.layer is None
                                                   for d in report.diagnostics):
        from layerplan.planner.solve import solve_expect

        fixes = [fix.to_dict() for fix in solve_expect(data, framework, limit=5)]
    payload["spec_fixes"] = fixes
    payload["path"] = _spatial_path(report)
    with reader_may_leave():
        if output_format == "json":
            import json

            sys.stdout.write(json_text(json.dumps(payload, indent=2)) + "\n")
        else:
            from layerplan.render.explain import render_explain

            from layerplan.render.console import make_console

            render_explain(payload, sketch=sketch, brief=brief, console=make_console(color))
    for line in summary_lines([report]):  # the findings are in the output; stderr says why the status is 1
        say(line)
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)


def _spatial_path(report) -> list[dict]:
    """Each spatial size along the stack, per axis of the input, for the summary line."""
    from layerplan.planner.metrics import split

    if report.input is None or len(report.input) < 2:
        return []
    from layerplan.planner.kinds.spatial import AXIS_NAMES

    _, spatial = split(report.input, report.framework)
    names = AXIS_NAMES.get(len(spatial), ())
    path = []
    for axis, name in enumerate(names):
        sizes, notes = [spatial[axis]], []
        for row in report.layers:
            if row.output is None or len(row.output) != len(report.input):
                break
            size = split(row.output, report.framework)[1][axis]
            stride = row.geometry[axis].stride if axis < len(row.geometry) else None
            if stride and stride > 1 and sizes[-1] % stride:
                way = "up" if size * stride > sizes[-1] else "down"
                notes.append(f"layer {row.index} ({row.name}) rounds {sizes[-1]}/{stride} {way} to {size}")
            if size != sizes[-1]:
                sizes.append(size)
        path.append({"axis": name, "sizes": sizes, "notes": notes})
    return path


def _plan_file(path, framework, tokens, input_shape, settings=None):
    from layerplan.inputs import load_document, report_name
    from layerplan.planner import SpecReadError, plan_document, unreadable_report

    try:
        document = load_document(path, framework=framework, settings=settings, input_shape=input_shape)
    except SpecReadError as exc:
        return unreadable_report(report_name(path), exc.diagnostic, framework), None
    if tokens or input_shape is not None:
        from layerplan.planner.layer_arguments import plan_tokens

        report = plan_tokens(tokens, input_shape, framework, base=document)
        return report, None
    return plan_document(document, framework), document.data
