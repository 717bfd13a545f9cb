"""`while` loops, run concretely on the values the reader computes.

A `while` loop whose condition the reader computes (`while num_block - 1: ... num_block -= 1`) is run turn by
turn, as Python would: each turn tests the condition again and counts as a step of the work budget, and a loop
of more turns than the reader unrolls for a `for` loop (max_turns) is refused with the same message, so a loop
that never ends stops the reader at its line. A condition on a value the
reader cannot compute is refused, naming that value and the line that made it.
"""

from __future__ import annotations

import ast
from typing import Any

from .source import Unreadable
from .values import Scope, Unknown

#: The interpreter (planner/model_code/evaluate.py); not imported here, so the modules import one way only.
Interpreter = Any


def run_while(it: Interpreter, node: ast.While, scope: Scope, strict: bool, max_turns: int) -> None:
    """Run a `while` loop: the body while the condition is true, then the `else` body; more than `max_turns`
    turns is unreadable.

    >>> from planner.model_code.evaluate import Interpreter
    >>> from planner.model_code.source import Imports
    >>> tree = ast.parse("n = 3\\nt = 0\\nwhile n:\\n    t += n\\n    n -= 1")
    >>> it = Interpreter(tree, Imports(tree), "torch")
    >>> it.run(tree.body, it.module, strict=True)
    >>> it.module.names["t"], it.module.names["n"]
    (6, 0)
    """
    leaving = _loop_exit(node.body)
    if leaving is not None:
        raise Unreadable(leaving, f"`{type(leaving).__name__.lower()}` in a while loop is not read; write the loop "
                                  "with its condition alone")
    it.loops.append(node)
    turns = 0
    try:
        while True:
            it._step(node)  # each turn counts in the work budget
            turns += 1
            if turns > max_turns:
                raise Unreadable(node, f"a loop of more than {max_turns:,} steps is too long to unroll (the reader's "
                                       f"limit is {max_turns:,})")
            condition = it.value(node.test, scope)
            if isinstance(condition, Unknown):
                condition.fail(node.test)
            if not it.truth(condition, node.test):
                break
            it.run(node.body, scope, strict=strict)
    finally:
        it.loops.pop()
    it.run(node.orelse, scope, strict=strict)



def _loop_exit(body: list[ast.stmt]) -> ast.stmt | None:
    """The first `break` or `continue` of this loop's own body (not one of a loop or function inside it)."""
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        if isinstance(statement, (ast.Break, ast.Continue)):
            return statement
        if isinstance(statement, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef,
                                  ast.ClassDef)):
            stack.extend(reversed(statement.orelse) if isinstance(statement, (ast.For, ast.AsyncFor, ast.While))
                         else ())
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            stack.extend(reversed(getattr(statement, field, None) or []))
        for case in getattr(statement, "cases", None) or []:
            stack.extend(reversed(case.body))
    return None
