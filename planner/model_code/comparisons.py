"""Comparisons of values of different Python kinds, answered as Python answers them whatever the values
hold: a list is never equal to a number (`==` is False, `!=` True), and ordering them (`<`) is the TypeError
Python raises. So `stage == 2` is computed where `stage` is a list of layers the file built."""

from __future__ import annotations

import ast
from typing import Any

from .source import Unreadable

_KINDS = ((bool, "number"), (int, "number"), (float, "number"), (str, "str"), (type(None), "None"),
          (list, "list"), (tuple, "tuple"), (dict, "dict"), (set, "set"), (frozenset, "set"))
_OPERATORS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def python_kind(value: Any) -> str | None:
    """The kind of a builtin value, as Python compares it (None for the reader's other objects).

    >>> python_kind(3), python_kind(2.5), python_kind([]), python_kind(frozenset()), python_kind(object())
    ('number', 'number', 'list', 'set', None)
    """
    for python_type, kind in _KINDS:
        if isinstance(value, python_type):
            return kind
    return None


def compare_kinds(op: ast.cmpop, left: Any, right: Any, node: ast.AST) -> bool | None:
    """Python's answer to comparing two builtin values of different kinds, None when the kinds are the same
    (or not both builtin). Ordering two such values is the TypeError Python raises, refused here.

    >>> compare_kinds(ast.Eq(), [1, 2], 2, None), compare_kinds(ast.NotEq(), (1,), [1], None)
    (False, True)
    >>> compare_kinds(ast.Eq(), 2, 2.0, None) is None
    True
    """
    left_kind, right_kind = python_kind(left), python_kind(right)
    if left_kind is None or right_kind is None or left_kind == right_kind:
        return None
    if isinstance(op, ast.Eq):
        return False
    if isinstance(op, ast.NotEq):
        return True
    if type(op) in _OPERATORS:
        raise Unreadable(node, f"'{_OPERATORS[type(op)]}' between a {left_kind} and a {right_kind} is a TypeError "
                               "in Python: this comparison fails when the code runs")
    return None
