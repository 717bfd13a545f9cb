"""Statements that change what a loop or a scope holds without computing a value: `break` and `continue`
(an exception the enclosing `for` catches: the loop stops, or goes on with its next element, as Python
does), and `del` of a name, of a dict's key or of a list's element or slice the reader holds.
"""

from __future__ import annotations

import ast
from typing import Any

from .source import Unreadable
from .values import Scope

Interpreter = Any


class LoopExit(Exception):
    """A `break` or `continue` on its way to the loop around it."""

    def __init__(self, node: ast.Break | ast.Continue):
        super().__init__()
        self.stops = isinstance(node, ast.Break)


def run_turn(it: Interpreter, body: list[ast.stmt], scope: Scope, strict: bool) -> bool:
    """Run one turn of a `for` or `while` loop's body: whether a `break` ended the loop (a `continue` ends
    the turn only).

    >>> class Reader:
    ...     def run(self, body, scope, strict): raise LoopExit(body[0])
    >>> run_turn(Reader(), [ast.Break()], Scope(), True), run_turn(Reader(), [ast.Continue()], Scope(), True)
    (True, False)
    """
    try:
        it.run(body, scope, strict=strict)
    except LoopExit as leaving:
        return leaving.stops
    return False


def delete(it: Interpreter, node: ast.Delete, scope: Scope) -> None:
    """`del name`, `del table[key]`, `del items[i]`, `del items[a:b]` on values the reader holds.

    >>> class Reader:
    ...     def value(self, node, scope): return scope.names[node.id] if isinstance(node, ast.Name) else node.value
    ...     def _slice(self, node, scope): return slice(None)
    ...     def _step(self, node): pass
    >>> scope = Scope(); scope.names["table"] = {"a": 1, "b": 2}
    >>> delete(Reader(), ast.parse("del table['a']").body[0], scope); scope.names["table"]
    {'b': 2}
    """
    for target in node.targets:
        it._step(target)
        if isinstance(target, ast.Name):
            if target.id not in scope.names:
                raise Unreadable(target, f"del {target.id}: the reader holds no such name here")
            del scope.names[target.id]
            continue
        if not isinstance(target, ast.Subscript):
            raise Unreadable(target, f"del {ast.unparse(target)[:40]} is not read (only a name, or an item of a "
                                     "dict or list the code built)")
        container = it.value(target.value, scope)
        key = it._slice(target.slice, scope) if isinstance(target.slice, ast.Slice) else it.value(target.slice, scope)
        if not isinstance(container, (dict, list)):
            raise Unreadable(target, f"del {ast.unparse(target)[:40]} is not read (only an item of a dict or list "
                                     "the code built)")
        try:
            del container[key]
        except (KeyError, IndexError, TypeError) as exc:
            raise Unreadable(target, f"del {ast.unparse(target)[:40]} fails: {exc!r}") from None
