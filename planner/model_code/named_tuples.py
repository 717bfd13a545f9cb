"""Classes of the files that derive from `collections.namedtuple(NAME, FIELDS)` (tf-slim's
`class Block(collections.namedtuple('Block', ['scope', 'unit_fn', 'args']))`): plain records whose
objects hold one attribute per field, set from the constructor's arguments by position or keyword.

>>> import ast
>>> base = ast.parse("collections.namedtuple('Block', ['scope', 'unit_fn'])", mode="eval").body
>>> literal_fields(base)
['scope', 'unit_fn']
>>> literal_fields(ast.parse("namedtuple('P', 'x y')", mode="eval").body)
['x', 'y']
"""

from __future__ import annotations

import ast
from typing import Any

from .source import Unreadable

Interpreter = Any

#: the library base a namedtuple call stands for (planner/model_code/definitions.py base_classes)
NAMEDTUPLE = "collections.namedtuple"


def is_namedtuple_call(module: Any, base: ast.AST) -> bool:
    """Whether a class's base is a call of `collections.namedtuple`."""
    return isinstance(base, ast.Call) and module.imports.qualified(base.func) == NAMEDTUPLE


def literal_fields(call: ast.Call) -> list[str]:
    """The field names of a namedtuple call, written as a list or tuple of strings or one string (split on
    commas and spaces, as namedtuple does)."""
    node = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "field_names"),
                                                        None)
    if call.keywords and any(k.arg not in ("field_names",) for k in call.keywords):
        raise Unreadable(call, "a namedtuple with defaults, rename or a module is not read")
    try:
        fields = ast.literal_eval(node) if node is not None else None
    except ValueError:
        fields = None
    if isinstance(fields, str):
        fields = fields.replace(",", " ").split()
    if not isinstance(fields, (list, tuple)) or not all(isinstance(f, str) for f in fields):
        raise Unreadable(call, "a namedtuple's field names are read when they are written as strings")
    return list(fields)


def set_fields(it: Interpreter, name: str, fields: list[str], instance: Any, args: list, kwargs: dict,
               node: ast.AST) -> None:
    """A namedtuple object's attributes from its constructor's arguments (every field needs one)."""
    if len(args) > len(fields):
        raise Unreadable(node, f"{name}() takes {len(fields)} fields")
    values = dict(zip(fields, args))
    for key, value in kwargs.items():
        if key not in fields or key in values:
            raise Unreadable(node, f"{name}() has no field '{key}' (or gets it twice)")
        values[key] = value
    missing = [f for f in fields if f not in values]
    if missing:
        raise Unreadable(node, f"{name}() needs its field '{missing[0]}'")
    it._step(node, len(fields))
    instance.attributes.update(values)
