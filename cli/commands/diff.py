"""`layerplan diff`: the same spec under torch and keras semantics, and where they differ."""

from __future__ import annotations

import json
import sys

import click

from layerplan.output import EXIT_INVALID, EXIT_OK, color_option, reader_may_leave, settings_option, say
from layerplan.render.escape import json_text


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("spec", metavar="SPEC")
@click.option("--all", "show_all", is_flag=True, help="Show every layer, not only those that differ.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json for programs.")
@color_option()
@settings_option
def diff(spec, show_all, output_format, color, settings) -> None:
    """Plan SPEC under torch and keras rules and show where shapes, params and padding differ.

    The spec is planned as written in its own framework and ported to the other: the channel axis
    of the input, of expect shapes and of reshape targets moves (C,H,W <-> H,W,C), and padding is
    spelled the usual way (keras 'same' with stride 2 -> torch padding (k-1)//2). Exit status 0 when
    both agree, 1 when they differ, 2 when the spec cannot be read.
    """
    from layerplan.inputs import document_or_exit
    from layerplan.planner.port import compare_data

    document = document_or_exit(spec, settings=settings)
    payload = compare_data(document.data, spec)
    with reader_may_leave():
        if output_format == "json":
            sys.stdout.write(json_text(json.dumps(payload, indent=2)) + "\n")
        else:
            from layerplan.render.diff import render_diff

            from layerplan.render.console import make_console

            render_diff(payload, show_all=show_all, console=make_console(color))
    if not payload["same"]:  # the differences are in the output; stderr says why the status is 1
        differing = sum(1 for row in payload["layers"] if row["differences"])
        where = f"on {differing} layer{'' if differing == 1 else 's'}" if differing else "on the spec"
        say(f"layerplan: {spec}: torch and keras differ {where}")
    sys.exit(EXIT_OK if payload["same"] else EXIT_INVALID)
