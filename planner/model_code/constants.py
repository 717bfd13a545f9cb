"""A safe constant folder over the syntax tree: literals and integer arithmetic, never `eval`.

Only numbers, strings, booleans, None, tuples and lists, names bound to such values, unary and
binary arithmetic, comparisons and boolean operators, and a few pure builtins (int, float, min,
max, abs, len, round, tuple, list) are folded. Anything else is `Unreadable` at its node.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from typing import Any, Callable

from .source import Unreadable

#: Refuse results larger than this (a `10 ** 10 ** 10` in a model file must not hang the reader).
MAX_MAGNITUDE = 10 ** 18
MAX_SEQUENCE = 10_000
#: A %-format whose width or precision is `*` or has five digits or more (`"%99999999d" % 1`).
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(\*|\d{5,})|%[-+ #0]*\d*\.(\*|\d{5,})")

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
    ast.Div: operator.truediv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.LShift: operator.lshift, ast.RShift: operator.rshift, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
}
_BUILTINS: dict[str, Callable[..., Any]] = {
    "int": int, "float": float, "min": min, "max": max, "abs": abs, "len": len, "round": round,
    "tuple": tuple, "list": list, "bool": bool,
}

Constant = int | float | str | bool | None | tuple | list


def is_constant(value: Any) -> bool:
    """Whether a value is plain data the folder makes (nested tuples and lists of plain scalars).

    >>> is_constant((1, [2, "same"])), is_constant(object())
    (True, False)
    """
    if value is None or isinstance(value, (int, float, str, bool)):
        return True
    return isinstance(value, (tuple, list)) and all(is_constant(v) for v in value)


def _checked(value: Any, node: ast.AST) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise Unreadable(node, "this number is too large to be a layer size")
    if isinstance(value, (tuple, list, str)) and len(value) > MAX_SEQUENCE:
        raise Unreadable(node, f"this sequence holds {len(value):,} elements, over the reader's limit of "
                               f"{MAX_SEQUENCE:,}")
    return value


def range_length(value: range) -> int:
    """len(range), also for a range too long for len() (which raises OverflowError beyond sys.maxsize).

    >>> range_length(range(0, 10, 3)), range_length(range(10 ** 30)) == 10 ** 30
    (4, True)
    """
    return max(0, (value.stop - value.start + value.step - (1 if value.step > 0 else -1)) // value.step)


def fold_binary(op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
    """`left op right` on two constants (bounded; a bad operation is Unreadable at `node`).

    >>> fold_binary(ast.FloorDiv(), 28, 2, None), fold_binary(ast.LShift(), 3, 2, None)
    (14, 12)
    """
    function = _BINARY.get(type(op))
    if function is None:
        raise Unreadable(node, f"the operator {type(op).__name__} on constants is not read")
    if isinstance(op, ast.Pow) and isinstance(right, int) and right > 64:
        raise Unreadable(node, "this power is too large to be a layer size")
    if isinstance(op, ast.LShift) and isinstance(right, int) and right > 64:
        raise Unreadable(node, "this shift is too large to be a layer size")
    if isinstance(op, ast.Mult) and _repeated_length(left, right) > MAX_SEQUENCE:  # checked before it is made
        raise Unreadable(node, f"this sequence would hold {_repeated_length(left, right):,} elements, over the "
                               f"reader's limit of {MAX_SEQUENCE:,}")
    if isinstance(op, ast.Mod) and isinstance(left, str) and _WIDE_FORMAT.search(left):
        raise Unreadable(node, f"a format wider than the reader's limit of {MAX_SEQUENCE:,} characters")
    try:
        return _checked(function(left, right), node)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as exc:
        raise Unreadable(node, f"this arithmetic fails: {exc}") from None


def _repeated_length(left: Any, right: Any) -> int:
    """The length of `left * right` when it repeats a sequence (either way round), else 0."""
    if isinstance(left, int) and isinstance(right, (tuple, list, str)):
        left, right = right, left
    if isinstance(left, (tuple, list, str)) and isinstance(right, int) and not isinstance(right, bool):
        return len(left) * max(right, 0)
    return 0


def fold(node: ast.AST, lookup: Callable[[ast.Name], Any]) -> Any:
    """The constant value of an expression; `lookup` gives the value of a name (or raises Unreadable).

    >>> fold(ast.parse("(K * 2 + 1, 'same')", mode="eval").body, lambda name: 3)
    (7, 'same')
    """
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bytes, complex)) or node.value is Ellipsis:
            raise Unreadable(node, "this literal is not a layer option")
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            return _checked(node.value, node)
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        values = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                values.extend(_sequence(fold(element.value, lookup), element))
            else:
                values.append(fold(element, lookup))
        return _checked(tuple(values) if isinstance(node, ast.Tuple) else values, node)
    if isinstance(node, ast.Name):
        return lookup(node)
    if isinstance(node, ast.UnaryOp):
        operand = fold(node.operand, lookup)
        if isinstance(node.op, ast.Not):
            return not operand
        if isinstance(operand, (int, float)) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return -operand if isinstance(node.op, ast.USub) else operand
        raise Unreadable(node, "this unary operation is not read")
    if isinstance(node, ast.BinOp):
        return fold_binary(node.op, fold(node.left, lookup), fold(node.right, lookup), node)
    if isinstance(node, ast.BoolOp):
        value = None
        for operand in node.values:
            value = fold(operand, lookup)
            if isinstance(node.op, ast.And) != bool(value):
                return value
        return value
    if isinstance(node, ast.Compare):
        left = fold(node.left, lookup)
        for op, comparator in zip(node.ops, node.comparators):
            right = fold(comparator, lookup)
            if isinstance(op, (ast.In, ast.NotIn)):
                result = (left in right) == isinstance(op, ast.In)
            else:
                result = _COMPARE[type(op)](left, right)
            if not result:
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        return fold(node.body if fold(node.test, lookup) else node.orelse, lookup)
    if isinstance(node, ast.Subscript):
        value, index = fold(node.value, lookup), fold(node.slice, lookup)
        try:
            return value[index]
        except (TypeError, IndexError, KeyError) as exc:
            raise Unreadable(node, f"this subscript fails: {exc}") from None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _BUILTINS \
            and not node.keywords:
        arguments = [fold(a, lookup) for a in node.args]
        try:
            return _checked(_BUILTINS[node.func.id](*arguments), node)
        except (TypeError, ValueError, OverflowError) as exc:
            raise Unreadable(node, f"this call fails: {exc}") from None
    raise Unreadable(node, f"{type(node).__name__} is not a constant the reader can compute")


def _sequence(value: Any, node: ast.AST) -> list:
    if not isinstance(value, (tuple, list)):
        raise Unreadable(node, "only a tuple or list can be unpacked here")
    return list(value)
