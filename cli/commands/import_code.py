"""`layerplan import`: write the spec equivalent to a model written in code (read statically, never run)."""

from __future__ import annotations

import sys

import click

from layerplan.output import EXIT_OK, input_shape_option, settings_option, say, write_output_file


@click.command("import", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", metavar="MODEL.py[::NAME]")
@click.option("--input", "-i", "input_shape", metavar="SHAPE", callback=input_shape_option,
              help="Input shape of one sample where the code gives none (replaces the code's).")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Read the code as this framework's (default: from its imports).")
@click.option("--output", "-o", "output_path", metavar="FILE", default=None,
              help="Write the spec to FILE (default: standard output; never to MODEL.py itself).")
@settings_option
def import_command(model, input_shape, framework, output_path, settings) -> None:
    """Read MODEL.py (PyTorch, Keras or TensorFlow 1 code) without running it and write the equivalent
    spec, with the layer names of the code. NAME picks a class, function, variable or output tensor
    when the file holds several models."""
    from layerplan.inputs import document_or_exit, report_name
    from layerplan.planner.model_code import is_model_path
    from layerplan.planner.model_code.to_spec import spec_text

    if not is_model_path(model):
        raise click.BadParameter(f"{model!r} is not a Python file (MODEL.py or MODEL.py::NAME)",
                                 param_hint="'MODEL.py[::NAME]'")
    document = document_or_exit(model, framework, settings, input_shape)
    data = dict(document.data)
    if framework:
        data["framework"] = framework
    if input_shape is not None:
        data.pop("inputs", None)
        data = {**{k: v for k, v in data.items() if k != "layers"}, "input": input_shape, "layers": data["layers"]}
    text = spec_text(data, model)
    if output_path is None or output_path == "-":
        sys.stdout.write(text)
    else:
        write_output_file(output_path, text, inputs=[report_name(model)])
    sys.exit(EXIT_OK)

