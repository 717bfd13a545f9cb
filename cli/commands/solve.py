"""`layerplan solve`: which hyper-parameters give the size you want; which input sizes a network takes."""

from __future__ import annotations

import json
import sys

import click

from layerplan.output import EXIT_INVALID, EXIT_OK, color_option, input_shape_option, reader_may_leave, settings_option, say
from layerplan.render.escape import json_text
from layerplan.render.common import diagnostic_line
from layerplan.render.solve import KIND_WORDS

SOLVE_FORMATS = ("table", "json")
_FORMAT = click.option("--format", "output_format", type=click.Choice(SOLVE_FORMATS), default="table",
                       show_default=True, help="table for people, json for programs.")
_FRAMEWORK = click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default="torch",
                          show_default=True, help="Whose rules and spelling.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def solve() -> None:
    """Find hyper-parameters for a size (conv, pool, transpose), the input sizes a spec accepts
    (input), or one-layer changes that make a failing spec pass (expect)."""


def _layer_command(kind: str, name: str, summary: str):
    @click.command(name, help=summary, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--in", "length", type=click.IntRange(min=1), required=True, help="Input length of one axis.")
    @click.option("--out", "target", type=click.IntRange(min=1), required=True, help="Output length wanted.")
    @_FRAMEWORK
    @click.option("--max-kernel", type=click.IntRange(1, 64), default=7, show_default=True, help="Largest kernel tried.")
    @click.option("--max-stride", type=click.IntRange(1, 64), default=4, show_default=True, help="Largest stride tried.")
    @click.option("--max-dilation", type=click.IntRange(1, 16), default=1 if kind == "pool" else 2, show_default=True,
                  help="Largest dilation tried (pooling: none).")
    @click.option("--limit", type=click.IntRange(min=0), default=15, show_default=True,
                  help="Most combinations shown in the table (0: all); json lists all.")
    @_FORMAT
    @color_option()
    def command(length, target, framework, max_kernel, max_stride, max_dilation, limit, output_format, color):
        from layerplan.planner.solve import Ranges, solve_layer

        ranges = Ranges(max_kernel, max_stride, 1 if kind == "pool" else max_dilation)
        solution = solve_layer(kind, length, target, framework, ranges)
        with reader_may_leave():
            if output_format == "json":
                sys.stdout.write(json_text(json.dumps(solution.to_dict(), indent=2)) + "\n")
            else:
                from layerplan.render.solve import render_layer_solution

                render_layer_solution(solution, limit, console=_console(color))
        if not solution.possible:
            r = solution.ranges
            _say_why(f"no {framework} {KIND_WORDS[kind]} turns {length} into {target} with every input cell read "
                     f"(kernel <= {r.max_kernel}, stride <= {r.max_stride}, dilation <= {r.max_dilation})")
        sys.exit(EXIT_OK if solution.possible else EXIT_INVALID)

    return command


solve.add_command(_layer_command(
    "conv", "conv", "Convolutions turning --in into --out on one axis, with no input dropped, simplest first."))
solve.add_command(_layer_command(
    "pool", "pool", "Pooling windows turning --in into --out on one axis, with no input dropped."))
solve.add_command(_layer_command(
    "conv_transpose", "transpose", "Transposed convolutions (with output_padding) turning --in into --out."))


def _console(color: str):
    """The Console of solve's tables and lines: coloured as --color says, never wrapped on a pipe."""
    from layerplan.render.console import make_console

    return make_console(color)


def _say_why(reason: str) -> None:
    """The one line on standard error that comes with exit status 1 (the details are in the output)."""
    say(f"layerplan: {reason}")


def _load(path: str, framework: str | None, input_shape: list[int] | None = None, settings: dict | None = None):
    """(data, report) of a spec file (its input replaced by `input_shape` when given), or exit 2 when it
    cannot be read."""
    from layerplan.inputs import document_or_exit
    from layerplan.planner import plan_document

    document = document_or_exit(path, framework, settings, input_shape)
    if input_shape is not None and isinstance(document.data, dict):
        from layerplan.planner.layer_arguments import plan_tokens
        from layerplan.planner.spec import with_input

        data = with_input(document.data, input_shape)
        report = plan_tokens([], input_shape, framework, base=document)  # keeps the spec's line numbers
    else:
        data, report = document.data, plan_document(document, framework)
    for d in report.diagnostics:
        if d.name == "layout-mismatch":  # said once, here: the sizes solved for keep the layout
            say(diagnostic_line(d, path))
    if not isinstance(data, dict) or report.input is None:
        say(f"layerplan: {path}: the spec has no valid input shape to vary (give one with -i SHAPE)")
        sys.exit(EXIT_INVALID)
    return data, report


@solve.command("input", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", metavar="SPEC")
@click.option("--near", type=click.IntRange(min=1), default=None,
              help="Look for input sizes near this one (default: the spec's own input size on the axes varied).")
@click.option("--axis", default="all", show_default=True,
              help="all: every spatial axis takes the size (square inputs); or one axis (H, W, D, L) varies alone.")
@click.option("--span", type=click.IntRange(min=0, max=1024), default=None,
              help="How far from --near to look (default: max(16, near/2), at most 1024).")
@click.option("--ignore-expect", is_flag=True,
              help="Ignore the spec's shape expects (written for its own input size); budgets still count.")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Plan with this framework's rules (overrides the spec's).")
@_FORMAT
@color_option()
@settings_option
def solve_input_command(spec, near, axis, span, ignore_expect, framework, output_format, color, settings) -> None:
    """Input sizes near --near for which SPEC plans with no error, no dropped rows and every expect met
    (the U-Net "multiple of 16" rule)."""
    from layerplan.planner.solve import solve_input

    data, _ = _load(spec, framework, settings=settings)
    try:
        solution = solve_input(data, near, axis=axis, span=span, framework=framework,
                               shape_expects=not ignore_expect)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--axis'") from None
    with reader_may_leave():
        if output_format == "json":
            payload = {"file": spec, **solution.to_dict()}
            sys.stdout.write(json_text(json.dumps(payload, indent=2)) + "\n")
        else:
            from layerplan.render.solve import render_input_solution

            render_input_solution(spec, solution, console=_console(color))
    if not solution.valid:
        _say_why(f"{spec}: no input size in {solution.lo}..{solution.hi} plans cleanly")
    sys.exit(EXIT_OK if solution.valid else EXIT_INVALID)


@solve.command("expect", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", metavar="SPEC")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Plan with this framework's rules (overrides the spec's).")
@click.option("--input", "-i", "input_shape", metavar="SHAPE", callback=input_shape_option,
              help="Plan with this input shape instead of the spec's, e.g. 128x128x3.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Most changes listed.")
@_FORMAT
@color_option()
@settings_option
def solve_expect_command(spec, framework, input_shape, limit, output_format, color, settings) -> None:
    """One-layer changes after which SPEC plans with no error, no dropped input and every expect met,
    the smallest first: a layer's padding, output_padding, ceil_mode, kernel size, stride or upsampling
    factor, then an added upsampling or pooling layer. Never a layer that does nothing (a window of 1,
    an option set to its default). When the input size is the cause (a net that needs multiples of 4
    fed 90), it says so and points to `layerplan solve input`."""
    from layerplan.planner.solve import first_problem, input_cause, input_problem, solve_expect

    data, report = _load(spec, framework, input_shape, settings)
    problem = input_problem(report)
    fixes = solve_expect(data, framework, limit=limit) if problem else []
    cause = input_cause(data, framework) if problem else None
    with reader_may_leave():
        if output_format == "json":
            payload = {"file": spec, "ok": problem is None, "problem": problem, "fixes": [f.to_dict() for f in fixes],
                       "input_cause": None if cause is None else cause.to_dict()}
            sys.stdout.write(json_text(json.dumps(payload, indent=2)) + "\n")
        else:
            from layerplan.render.solve import render_spec_fixes

            render_spec_fixes(spec, first_problem(report), fixes, cause=cause, console=_console(color))
    if problem is not None and not fixes:
        _say_why(f"{spec}: no one-layer change makes the spec plan cleanly"
                 + (f"; the input size is the cause (layerplan solve input {spec} --near {cause.size} --ignore-expect)" if cause else ""))
    sys.exit(EXIT_OK if problem is None or fixes else EXIT_INVALID)
