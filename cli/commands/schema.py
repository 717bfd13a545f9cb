"""`layerplan schema`: print the JSON Schema of spec files (generated from the layer table)."""

from __future__ import annotations

import sys

import click


@click.command()
@click.option("--output", "-o", metavar="FILE", default=None,
              help="Write the schema to this file instead of standard output.")
@click.option("--path", "show_path", is_flag=True,
              help="Print where the copy shipped with layerplan is installed (for editor settings).")
def schema(output, show_path) -> None:
    """Print the JSON Schema of layerplan spec files.

    Editors that read JSON Schema (VS Code with the YAML extension, JetBrains, Neovim with
    yaml-language-server) complete and validate specs whose first line is
    '# yaml-language-server: $schema=PATH-OR-URL'.
    """
    if show_path:
        from layerplan.planner.schema import shipped_schema_path

        from layerplan.output import reader_may_leave

        with reader_may_leave():
            click.echo(str(shipped_schema_path()))
        return
    from layerplan.planner.schema import schema_text

    text = schema_text()
    if output:
        from layerplan.output import write_output_file

        write_output_file(output, text)
    else:
        from layerplan.output import reader_may_leave

        with reader_may_leave():
            sys.stdout.write(text)
