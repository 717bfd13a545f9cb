"""`layerplan layers`: the layer types layerplan knows, from the engine's own table; plain text, no rich."""

from __future__ import annotations

import sys

import click

from layerplan.render.common import value_text


def _complete_types(ctx, param, incomplete: str):
    from click.shell_completion import CompletionItem

    from layerplan.completion_candidates import complete_layer_argument

    return [CompletionItem(value) for value in complete_layer_argument(incomplete) if ":" not in value]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("types", nargs=-1, metavar="[TYPE]...", shell_complete=_complete_types)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "names", "markdown"]),
              default="text", show_default=True,
              help="text for people, json for programs, names: one type per line, markdown: a reference table.")
def layers(types, output_format) -> None:
    """List every layer type with its options, defaults and aliases; with TYPE (a name or alias,
    e.g. conv2d, Conv2D, upsample), show that type in full with its shape formula per framework."""
    from layerplan.planner.layer_docs import describe_kind, describe_kinds

    if types:
        docs = []
        for name in types:
            try:
                docs.append(describe_kind(name))
            except KeyError:
                from layerplan.planner.kinds import type_names
                from layerplan.planner.suggest import did_you_mean

                raise click.BadParameter(f"unknown layer type {name!r}{did_you_mean(name, type_names())} "
                                         "(`layerplan layers` lists them)", param_hint="TYPE") from None
    else:
        docs = describe_kinds()
    if output_format == "json":
        import json

        text = json.dumps(docs[0] if len(types) == 1 else docs, indent=2) + "\n"
    elif output_format == "markdown":
        from layerplan.render.reference import layers_markdown

        text = layers_markdown(docs)
    elif output_format == "names":
        text = "".join(doc["type"] + "\n" for doc in docs)
    elif types:
        text = "\n".join(_full(doc) for doc in docs)
    else:
        text = "".join(_brief(doc) for doc in docs)
    from layerplan.output import reader_may_leave

    with reader_may_leave():
        if sys.stdout is not None:
            sys.stdout.write(text)


def _default(option: dict) -> str:
    defaults = option["default"]
    values = {framework: value_text(value) for framework, value in defaults.items()}
    if len(set(values.values())) == 1:
        only = next(iter(values.values()))
        text = only if only == "required" else f"= {only}"
    else:
        text = ", ".join(f"{framework}: {value}" for framework, value in values.items())
    if len(option["frameworks"]) == 1:
        text += f" ({option['frameworks'][0]} only)"
    return text


def _option_brief(option: dict) -> str:
    default = _default(option)
    if default.startswith("= "):
        return f"{option['name']}={default[2:]}"
    return f"{option['name']} ({default})"


def _usage(doc: dict) -> str:
    if not doc["positional"]:
        return doc["type"] + (":key=value,..." if doc["options"] else "")
    return doc["type"] + ":" + ",".join(name.upper() for name in doc["positional"])


def _aliases(doc: dict) -> str:
    aliases = list(doc["aliases"])
    if doc["dimensionless"]:
        aliases.append(f"{doc['dimensionless']} (dimension from the input rank)")
    return ", ".join(aliases)


def _brief(doc: dict) -> str:
    lines = [f"{doc['type']:<22} {_usage(doc)}"]
    if doc["options"]:
        lines.append(f"{'':<4}options: " + ", ".join(_option_brief(option) for option in doc["options"]))
    if _aliases(doc):
        lines.append(f"{'':<4}aliases: {_aliases(doc)}")
    return "\n".join(lines) + "\n"


def _full(doc: dict) -> str:
    lines = [f"{doc['type']} — {doc['doc']}", ""]
    lines.append(f"  usage:    {_usage(doc)}")
    classes = [f"torch {doc['torch']}" if doc["torch"] else "", f"keras {doc['keras']}" if doc["keras"] else ""]
    lines.append(f"  classes:  {', '.join(c for c in classes if c)}")
    if _aliases(doc):
        lines.append(f"  aliases:  {_aliases(doc)}")
    if doc["input_rank"]:
        lines.append(f"  input:    rank {doc['input_rank']} (one sample; torch channels first, keras channels last)")
    lines.append("")
    if doc["options"]:
        lines.append("  options:")
        width = max(len(option["name"]) for option in doc["options"])
        for option in doc["options"]:
            alias = f" (alias {', '.join(option['aliases'])})" if option["aliases"] else ""
            lines.append(f"    {option['name']:<{width}}  {_default(option)}{alias}")
            lines.append(f"    {'':<{width}}  {option['doc']}; {option['values']}")
    else:
        lines.append("  options:  none")
    if doc["formulas"]:
        lines.append("")
        lines.append("  output size per framework (i input, k kernel, s stride, p padding, d dilation):")
        for framework, formula in doc["formulas"].items():
            lines.append(f"    {framework:<6} {formula}")
    return "\n".join(lines) + "\n"
