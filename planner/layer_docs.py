"""The layer table as documentation data: every type with its options, defaults, aliases and formulas.

Generated from `planner.kinds.KINDS` and the alias table the engine resolves types with, so
`layerplan layers`, completion and any generated docs cannot drift from what is planned.

>>> doc = describe_kind("conv2d")
>>> doc["positional"], doc["options"][2]["name"], doc["options"][2]["default"]
(['filters', 'kernel_size', 'stride', 'padding'], 'stride', {'torch': 1, 'keras': 1})
>>> "Conv2D" in doc["aliases"] and "Conv2d" in doc["aliases"]
True
"""

from __future__ import annotations

from typing import Any

from . import kinds as _kinds
from .kinds import KINDS, Kind, normalise_type
from .options import REQUIRED

FRAMEWORK_NAMES = ("torch", "keras")


def find_kind(name: str) -> Kind | None:
    """The kind a type name or alias means; a name without a dimension suffix gives its 2-D member.

    >>> find_kind("MaxPooling2D").name, find_kind("upsample").name, find_kind("nope")
    ('max_pool2d', 'upsample2d', None)
    """
    for rank in (3, 2, 4):
        try:
            kind = _kinds.resolve_type(name, rank)
        except _kinds.LayerError:
            kind = None
        if kind is not None:
            return kind
    return None


def aliases_of(kind: Kind) -> list[str]:
    """Every other spelling that resolves to `kind`: framework class names first, then the rest.

    >>> aliases_of(KINDS["dense"])
    ['Linear', 'Dense', 'fullyconnected']
    """
    shown: list[str] = []
    for name in (kind.spelling("torch"), kind.spelling("keras")):
        if name and name.isidentifier() and name != kind.name and name not in shown and _resolves(name, kind):
            shown.append(name)
    seen = {normalise_type(name) for name in [kind.name, *shown]}
    exact = getattr(_kinds, "_EXACT", {})
    for alias, target in exact.items():
        if target == kind.name and alias not in seen:
            shown.append(alias)
            seen.add(alias)
    return shown


def dimensionless_alias(kind: Kind) -> str | None:
    """The name without a dimension suffix that also reaches this kind (from the input rank).

    >>> dimensionless_alias(KINDS["conv2d"]), dimensionless_alias(KINDS["dense"])
    ('conv', None)
    """
    if not kind.dims:
        return None
    table = getattr(_kinds, "_DIMENSIONLESS", {})
    return kind.family if table.get(normalise_type(kind.family)) == kind.family else None


def _resolves(name: str, kind: Kind) -> bool:
    try:
        return _kinds.resolve_type(name, kind.input_rank or 3) is kind
    except _kinds.LayerError:
        return False


def _plain(value: Any) -> Any:
    if value is REQUIRED:
        return "required"
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def describe_option(option, kind: Kind) -> dict:
    """One option as data: name, aliases (with a framework's keyword that sets it for some values:
    torch.split's split_size_or_sections), accepted values, default per framework (or 'required').

    >>> describe_option(KINDS["split"].option("split_size"), KINDS["split"])["aliases"]
    ['split_size_or_sections']
    """
    default = {framework: _plain(option.default_for(framework)) for framework in FRAMEWORK_NAMES
               if framework in option.frameworks}
    keywords = [keyword for keyword, meaning in kind.keywords.items() if option.name in (meaning(1), meaning([1]))]
    return {
        "name": option.name,
        "aliases": [*option.aliases, *keywords],
        "values": option.type_doc,
        "default": default,
        "frameworks": [f for f in FRAMEWORK_NAMES if f in option.frameworks],
        "positional": option.name in kind.positional,
        "doc": option.doc,
    }


def describe_kind(name: str) -> dict:
    """One layer type as data (the canonical name, or any alias)."""
    kind = find_kind(name)
    if kind is None:
        raise KeyError(name)
    return {
        "type": kind.name,
        "family": kind.family,
        "dims": kind.dims,
        "doc": kind.doc,
        "torch": kind.spelling("torch"),
        "keras": kind.spelling("keras"),
        "aliases": aliases_of(kind),
        "dimensionless": dimensionless_alias(kind),
        "input_rank": kind.input_rank,
        "positional": list(kind.positional),
        "options": [describe_option(option, kind) for option in kind.options],
        "formulas": dict(kind.formulas),
    }


def describe_kinds() -> list[dict]:
    """Every layer type, in table order."""
    return [describe_kind(name) for name in KINDS]
