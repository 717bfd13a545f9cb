"""The layer reference as a Markdown table (one row per layer family), from the engine's own table.

It is what `layerplan layers --format markdown` prints and what the layer reference of docs/spec.md is;
tests/test_docs_layer_reference.py keeps that copy current.
"""

from __future__ import annotations

from layerplan.render.common import value_text


def _option_text(option: dict) -> str:
    name = f"`{option['name']}`"
    if option["aliases"]:
        name += " (" + ", ".join(f"`{alias}`" for alias in option["aliases"]) + ")"
    defaults = {framework: value_text(value) for framework, value in option["default"].items()}
    if len(set(defaults.values())) == 1:
        only = next(iter(defaults.values()))
        default = "required" if only == "required" else ("" if only == "null" else f"= {only}")
    else:
        default = ", ".join(f"{framework} {'required' if v == 'required' else '= ' + v}"
                            for framework, v in defaults.items())
    if len(option["frameworks"]) == 1:
        default = (default + " " if default else "") + f"{option['frameworks'][0]} only"
    return name + (f" {default}" if default else "")


def layers_markdown(docs: list[dict]) -> str:
    """Markdown table: family, its types, framework class names, options with aliases and defaults."""
    families: dict[str, list[dict]] = {}
    for doc in docs:
        families.setdefault(doc["family"], []).append(doc)
    lines = ["| types | torch / keras | options (aliases) and defaults |", "|---|---|---|"]
    for members in families.values():
        first = members[0]
        types = ", ".join(f"`{doc['type']}`" for doc in members)
        if first["dimensionless"]:
            types += f" (or `{first['dimensionless']}`: from the input rank)"
        # class names of the 2-D member, with its dimension written as {n}
        shown = next((doc for doc in members if doc["dims"] == 2), first)
        classes = " / ".join(dict.fromkeys(name for name in (shown["torch"], shown["keras"]) if name))
        if len(members) > 1 and shown["dims"] == 2:
            classes = classes.replace("2d", "{n}d").replace("2D", "{n}D")
        same_options = all([o["name"] for o in doc["options"]] == [o["name"] for o in shown["options"]]
                           for doc in members)
        if same_options:
            options = "; ".join(_option_text(option) for option in shown["options"]) or "—"
        else:  # e.g. activations: say which types take each option
            takers: dict[str, tuple[dict, list[str]]] = {}
            for doc in members:
                for option in doc["options"]:
                    takers.setdefault(option["name"], (option, []))[1].append(f"`{doc['type']}`")
            options = "; ".join(f"{_option_text(option)} ({', '.join(types_)})"
                                for option, types_ in takers.values())
        lines.append(f"| {types} | {classes} | {options} |")
    return "\n".join(lines) + "\n"
