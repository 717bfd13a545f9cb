"""`layerplan port`: the spec written for the other framework, checked layer by layer."""

from __future__ import annotations

import sys

import click

from layerplan.output import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, reader_may_leave, settings_option, say, write_output_file


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", metavar="SPEC")
@click.option("--to", "target", type=click.Choice(["torch", "keras"]), default=None,
              help="The framework to port to (default: the other one).")
@click.option("-o", "--output", "output", metavar="FILE", default=None,
              help="Write the ported spec to FILE instead of standard output (never to SPEC itself).")
@settings_option
def port(spec, target, output, settings) -> None:
    """Write SPEC ported to torch or keras, as YAML: the channel axis of shapes moves (C,H,W <-> H,W,C),
    options take the target's keywords, padding, output_padding, axes, reshape targets and BatchNorm's
    momentum are translated, names and comments kept. Each layer whose output shape the target framework
    cannot reproduce is marked (LP501, with what would match) and listed on standard error, with notes on
    what differs besides shapes (LP502). Exit status 0 when every layer ports exactly, 1 when one does
    not (or the spec is invalid), 2 when the spec cannot be read.
    """
    from layerplan.inputs import load_document, read_bytes, report_name
    from layerplan.planner import SpecReadError, load_text
    from layerplan.planner.model_code import is_model_path
    from layerplan.planner.port import port_spec
    from layerplan.planner.spec_text import decode
    from layerplan.planner.spec_writer import spec_yaml
    from layerplan.render.common import diagnostic_line
    from layerplan.render.problems import problem_line

    try:  # the spec's text is read once: the written port keeps its comments
        if is_model_path(spec):  # model code: ported from its spec; problems keep the code's lines
            from layerplan.planner.model_code.to_spec import spec_text

            document = load_document(spec, settings=settings)
            text = spec_text(document.data, spec)
            written = load_text(text, report_name(spec))
        else:
            text = decode(read_bytes(spec), spec)
            document = written = load_text(text, spec)
    except SpecReadError as exc:
        say(f"layerplan: {diagnostic_line(exc.diagnostic, report_name(spec))}")
        sys.exit(EXIT_UNREADABLE)
    if not isinstance(document.data, dict):
        say(f"layerplan: {spec}: a spec is a mapping with input and layers")
        sys.exit(EXIT_UNREADABLE)
    result = port_spec(document.data, target, file=spec)
    marks: dict[str, list[str]] = {}
    lines: list[str] = []
    for layer in result.layers:
        for diagnostic in layer.diagnostics():
            position = document.locate(diagnostic.pointer)
            if position is not None:
                diagnostic = diagnostic.replace(line=position[0], column=position[1])
            line = problem_line(result.source_report, diagnostic)
            if line not in lines:
                lines.append(line)
            if diagnostic.name == "port-inexact":
                mark = f"layerplan port: {diagnostic.code} {diagnostic.name}: {diagnostic.message}"
                if mark not in marks.setdefault(layer.pointer, []):
                    marks[layer.pointer].append(mark)
    ported = spec_yaml(result.data, written, text, marks)
    if output:
        write_output_file(output, ported, inputs=[report_name(spec)])
    else:
        with reader_may_leave():
            sys.stdout.write(ported)
    source_errors = any(d.is_error for d in result.source_report.diagnostics)
    for line in lines:
        say(line)
    if source_errors:
        say(f"layerplan: {spec}: the spec does not plan in {result.source}: run layerplan plan {spec}")
    elif not result.exact:
        inexact = sum(1 for layer in result.layers if layer.exact is False)
        say(f"layerplan: {spec}: {inexact} layer{'' if inexact == 1 else 's'} not exact in {result.target}")
    sys.exit(EXIT_OK if result.exact and not source_errors else EXIT_INVALID)
