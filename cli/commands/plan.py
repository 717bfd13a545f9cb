"""`layerplan plan`: plan specs, or layers written on the command line, and print the result."""

from __future__ import annotations

import sys

import click

from layerplan.output import (FORMATS, color_option, emit, exit_status, input_shape_option, no_layers_message,
                              reader_may_leave, settings_option)

PLAN_FORMATS = FORMATS


def _complete_arguments(ctx, param, incomplete: str):
    """Layer types (and, after `TYPE:`, its option keys) and spec files; plain file completion otherwise."""
    from click.shell_completion import CompletionItem

    from layerplan.completion_candidates import complete_layer_argument, complete_spec_files

    if "/" in incomplete:
        return [CompletionItem(incomplete, type="file")]
    values = complete_layer_argument(incomplete)
    if not values or ":" in incomplete:
        return [CompletionItem(value) for value in values] or [CompletionItem(incomplete, type="file")]
    return [CompletionItem(value) for value in complete_spec_files(incomplete) + values]


def _complete_columns(ctx, param, incomplete: str):
    from click.shell_completion import CompletionItem

    from layerplan.completion_candidates import complete_columns

    return [CompletionItem(value) for value in complete_columns(incomplete)]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("arguments", nargs=-1, metavar="[SPEC]... [LAYER]...", shell_complete=_complete_arguments)
@click.option("--input", "-i", "input_shape", metavar="SHAPE", callback=input_shape_option,
              help="Input shape of one sample, e.g. 1x28x28 or 28,28,1 (replaces a spec's input).")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Plan with this framework's rules (overrides the spec's framework; default torch).")
@click.option("--format", "output_format", type=click.Choice(PLAN_FORMATS), default="table", show_default=True,
              help="table for people; json, jsonl, csv, tsv for programs; markdown to paste; shape or params: "
                   "one value for $(...); svg, html, mermaid, dot: a picture of the network.")
@click.option("--columns", "-c", metavar="LIST", default=None, shell_complete=_complete_columns,
              help="Table columns: a list like name,output,params, changes like +trainable,-status, or all.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems (on standard error); the exit status tells.")
@color_option("the table")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("--unfold", is_flag=True, help="Show every layer of each block use (the table folds a use into one row, a picture into one box).")
@click.option("--stdin-filename", default=None, help="Name to report for a spec read from standard input ('-').")
@settings_option
def plan(arguments, input_shape, framework, output_format, columns, quiet, color, strict, unfold,
         stdin_filename, settings) -> None:
    """Plan each SPEC (YAML or JSON file; '-' reads standard input; or model code, MODEL.py[::NAME], read
    without running it) and print its layer table.

    Or write the layers on the command line, one argument per layer, TYPE[:ARGS]:

      layerplan plan -i 1x28x28 conv2d:32,3,p=same max_pool2d:2 flatten dense:10

    ARGS are positional for the main options (conv: filters, kernel_size, stride, padding;
    pool: pool_size, stride; upsample: scale_factor; dense: units; reshape: dims) or key=value
    for any option or alias; k, s, p, d, g are kernel_size, stride, padding, dilation, groups.
    Layer arguments after a SPEC are appended to its layers. `layerplan layers` lists the types.
    """
    from layerplan.planner.layer_arguments import split_arguments

    specs, tokens = split_arguments(arguments, prefer_layers=input_shape is not None)
    if not specs and input_shape is None:
        if tokens:
            raise click.UsageError("layer arguments need an input shape: add -i SHAPE, e.g. -i 1x28x28 "
                                   "(torch: channels first) or -i 28x28x1 --framework keras")
        raise click.UsageError("give a spec file, or an input shape and layers: plan -i 1x28x28 conv2d:32,3 ...")
    if not specs and not tokens:
        raise click.UsageError(no_layers_message("plan", input_shape, framework))
    try:
        picked = _columns(columns)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--columns'") from None
    if specs:
        reports = [_plan_spec(path, stdin_filename if path == "-" and stdin_filename else None, framework,
                              tokens, input_shape, settings) for path in specs]
    else:
        from layerplan.planner.layer_arguments import plan_tokens

        reports = [plan_tokens(tokens, input_shape, framework)]
    status = exit_status(reports, strict)
    with reader_may_leave():
        emit(reports, output_format, columns=picked, color=color, quiet=quiet, strict=strict, unfold=unfold)
    sys.exit(status)


def _columns(choice):
    if choice is None:
        return None
    from layerplan.render.columns import pick_columns

    return pick_columns(choice)


def _plan_spec(path, display_name, framework, tokens, input_shape, settings):
    from layerplan.inputs import plan_path

    if not tokens and input_shape is None:
        return plan_path(path, display_name, framework, settings)
    from layerplan.inputs import load_document, report_name
    from layerplan.planner import SpecReadError, unreadable_report
    from layerplan.planner.layer_arguments import plan_tokens

    try:
        document = load_document(path, display_name, framework, settings, input_shape)
    except SpecReadError as exc:
        return unreadable_report(report_name(path, display_name), exc.diagnostic, framework)
    return plan_tokens(tokens, input_shape, framework, base=document)


