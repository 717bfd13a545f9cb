"""Shell completion candidates (click's completion machinery calls these); cheap: no rich, no yaml."""

from __future__ import annotations


def layer_type_names() -> list[str]:
    """Canonical layer types, in table order."""
    from layerplan.planner.kinds import KINDS

    return list(KINDS)


def complete_layer_argument(incomplete: str) -> list[str]:
    """Layer types for `con`; after `conv2d:32,3,` the option keys of that type (`conv2d:32,3,stride=`)."""
    if ":" not in incomplete:
        prefix = incomplete.lower()
        return [name for name in layer_type_names() if name.startswith(prefix)]
    type_name, _, args = incomplete.partition(":")
    from layerplan.planner.layer_docs import find_kind
    from layerplan.planner.layer_arguments import SHORT_KEYS

    kind = find_kind(type_name)
    if kind is None:
        return []
    head, _, last = args.rpartition(",")
    if "=" in last:
        return []
    start = f"{type_name}:{head}," if head else f"{type_name}:"
    keys = [option.name for option in kind.options] + [short for short, long in SHORT_KEYS.items()
                                                        if kind.option(long) is not None]
    return [f"{start}{key}=" for key in keys if key.startswith(last.lower())]


def complete_columns(incomplete: str) -> list[str]:
    """Column keys for --columns, one more after each comma."""
    from layerplan.render.columns import COLUMNS

    head, _, last = incomplete.rpartition(",")
    sign = last[:1] if last[:1] in "+-" else ""
    start = (head + "," if head else "") + sign
    return [start + key for key in list(COLUMNS) + ["all"] if key.startswith(last[len(sign):])]


def complete_spec_files(incomplete: str) -> list[str]:
    """Spec files (.yaml, .yml, .json) in the current directory whose names start with `incomplete`."""
    import os

    try:
        names = os.listdir(".")
    except OSError:
        return []
    return sorted(name for name in names if name.startswith(incomplete)
                  and name.lower().endswith((".yaml", ".yml", ".json")) and os.path.isfile(name))
