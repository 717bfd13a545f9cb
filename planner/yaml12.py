"""YAML 1.2 plain scalars: which ones are numbers, booleans and null (the core schema), and which ones
YAML 1.1 reads otherwise.

Specs are read as YAML 1.2, as an editor checking them against the JSON Schema reads them: `010` is
10, `1:00` and `yes` are text, `0o10` is 8 and `1e3` is 1000.0. PyYAML and other YAML 1.1 readers
read some of the same plain values otherwise (`010` as 8, `1:00` as 60, `yes` as true), so such a
value would mean one thing to layerplan and another to a script or tool that reads the spec too:
`yaml11_conflict` finds them, and the reader refuses them with both readings and what to write.
"""

from __future__ import annotations

import math
import re
from typing import Any

_STANDARD = "tag:yaml.org,2002:"

_CORE = (  # (tag, pattern, first characters): the YAML 1.2 core schema
    ("null", r"~|null|Null|NULL|", "~nN"),
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
     "-+.0123456789"),
)


_CORE_PATTERNS = [(name, re.compile(f"(?:{pattern})")) for name, pattern, _ in _CORE]


def core_tag(text: str) -> str:
    """The short tag the core schema gives a plain scalar: null, bool, int, float or str.

    >>> [core_tag(t) for t in ("", "NULL", "True", "yes", "010", "0o17", "1e3", "1:00", ".inf")]
    ['null', 'null', 'bool', 'str', 'int', 'int', 'float', 'str', 'float']
    """
    for name, pattern in _CORE_PATTERNS:
        if pattern.fullmatch(text):
            return name
    return "str"


def core_resolver():
    """A PyYAML resolver class that tags plain scalars by the YAML 1.2 core schema (and keeps the
    merge key `<<`, which the reader expands). Built on first use: planning JSON never imports yaml."""
    import yaml.resolver

    class CoreResolver(yaml.resolver.BaseResolver):
        yaml_implicit_resolvers: dict = {}

    for name, pattern, first in _CORE:
        CoreResolver.add_implicit_resolver(_STANDARD + name, re.compile(f"^(?:{pattern})$"), list(first))
    CoreResolver.add_implicit_resolver(_STANDARD + "null", re.compile("^$"), [""])
    CoreResolver.add_implicit_resolver(_STANDARD + "merge", re.compile("^<<$"), ["<"])
    return CoreResolver


def core_value(tag: str, text: str) -> Any:
    """The value of a plain scalar that the core schema tagged `tag` (a short tag: int, float, bool, null).

    >>> [core_value("int", t) for t in ("010", "-7", "0o10", "0x1F")]
    [10, -7, 8, 31]
    >>> core_value("float", "1e3"), core_value("float", "-.inf"), core_value("bool", "TRUE"), core_value("null", "~")
    (1000.0, -inf, True, None)
    """
    if tag == "null":
        return None
    if tag == "bool":
        if text not in ("true", "True", "TRUE", "false", "False", "FALSE"):
            raise ValueError(text)
        return text.lower() == "true"
    if tag == "int":
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text, 10)
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


# plain scalars both versions read alike; the first characters of YAML 1.1's numbers and booleans
_SAME_IN_BOTH = re.compile("[-+]?(?:0|[1-9][0-9]*)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|")
_YAML11_STARTS = frozenset("yYnNtTfFoO+-.0123456789")
_YAML11: list = []  # PyYAML's YAML 1.1 resolver and constructor, made on first use


def _yaml11_reading(text: str, explicit_tag: str | None = None) -> tuple[str, Any] | None:
    """(tag, value) of a scalar as YAML 1.1 (PyYAML) reads it, when that is a number or a boolean:
    a plain one by YAML 1.1's resolution, an explicitly tagged one (`!!int 010`) by its tag."""
    if explicit_tag is not None and explicit_tag not in ("int", "float", "bool"):
        return None
    if not _YAML11:
        import yaml.constructor
        import yaml.nodes
        import yaml.resolver

        _YAML11.extend((yaml.resolver.Resolver(), yaml.constructor.SafeConstructor(), yaml.nodes.ScalarNode))
    resolver, constructor, scalar_node = _YAML11
    tag = resolver.resolve(scalar_node, text, (True, False)) if explicit_tag is None else _STANDARD + explicit_tag
    name = tag.rsplit(":", 1)[1]
    if name not in ("int", "float", "bool"):
        return None
    node = scalar_node(tag, text)
    build = {"int": constructor.construct_yaml_int, "float": constructor.construct_yaml_float,
             "bool": constructor.construct_yaml_bool}[name]
    try:
        return name, build(node)
    except (ValueError, KeyError, OverflowError, IndexError):  # PyYAML's int and float fail on '', '_', '+'
        return None


def yaml11_conflict(text: str, tag: str, explicit: bool = False) -> str | None:
    """Why a scalar cannot be read, when YAML 1.1 reads it as a number or a boolean and YAML 1.2
    (`tag`: its short tag, 'str' for text) reads something else; None when both agree. `explicit`:
    the tag was written (`!!int 010`, or a quoted scalar's str), not resolved from a plain scalar.

    >>> yaml11_conflict("010", "int")
    "'010' is 8 in YAML 1.1 (octal) but 10 in YAML 1.2, which layerplan reads: write 10, or 0o10 for 8"
    >>> yaml11_conflict("1:00", "str")
    "'1:00' is 60 in YAML 1.1 (base 60) but text in YAML 1.2, which layerplan reads: write 60 for the number, or quote it for the text"
    >>> yaml11_conflict("yes", "str")
    "'yes' is true in YAML 1.1 but text in YAML 1.2, which layerplan reads: write true, or quote it for the text"
    >>> yaml11_conflict("12", "int"), yaml11_conflict("1e3", "float"), yaml11_conflict("007", "int")
    (None, None, None)
    """
    if not explicit and (_SAME_IN_BOTH.fullmatch(text) or tag == "str" and text[:1] not in _YAML11_STARTS):
        return None  # the common cases, without asking PyYAML: a plain decimal, true/false/null, a name
    old = _yaml11_reading(text, tag if explicit else None)
    if old is None:
        return None
    old_tag, old_value = old
    try:
        new_value = core_value(tag, text) if tag != "str" else text
    except ValueError:  # `!!bool yes`: a boolean in YAML 1.1 only
        new_value, tag = text, "str"
    if tag == old_tag and repr(new_value) == repr(old_value):
        return None
    shown_old = str(old_value).lower() if old_tag == "bool" else repr(old_value)
    shown_new = "text" if tag == "str" else (str(new_value).lower() if tag == "bool" else repr(new_value))
    body = text.lstrip("-+")
    if ":" in text:
        detail = " (base 60)"
    elif body.startswith("0b"):
        detail = " (binary)"
    elif "_" in text:
        detail = " (its _ ignored)"
    elif old_tag == "int" and re.fullmatch("0[0-9]+", body):
        detail = " (octal)"
    else:
        detail = ""
    if old_tag == "bool":
        advice = f"write {shown_old}, or quote it for the text"
    elif tag == "int" and detail == " (octal)":
        advice = f"write {new_value}" + (f", or 0o{body.lstrip('0')} for {old_value}" if body == text else "")
    else:
        advice = f"write {shown_old} for the number, or quote it for the text"
    return (f"{text!r} is {shown_old} in YAML 1.1{detail} but {shown_new} in YAML 1.2, which layerplan reads: "
            f"{advice}")
