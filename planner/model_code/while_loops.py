"""`while` loops, run concretely on the values the reader computes.

A `while` loop whose condition the reader computes (`while num_block - 1: ... num_block -= 1`) is run turn by
turn, as Python would (`break` and `continue` included: loop_exits.py): each turn tests the condition again and counts as a step of the work budget, and a loop
of more turns than the reader unrolls for a `for` loop (max_turns) is refused with the same message, so a loop
that never ends stops the reader at its line. A condition on a value the
reader cannot compute is refused, naming that value and the line that made it.
"""

from __future__ import annotations

import ast
from typing import Any

from .loop_exits import run_turn
from .source import Unreadable
from .values import Scope, Unknown

#: The interpreter (planner/model_code/evaluate.py); not imported here, so the modules import one way only.
Interpreter = Any


def run_while(it: Interpreter, node: ast.While, scope: Scope, strict: bool, max_turns: int) -> None:
    """Run a `while` loop: the body while the condition is true, then the `else` body; more than `max_turns`
    turns is unreadable.

    >>> from layerplan.planner.model_code.evaluate import Interpreter
    >>> from layerplan.planner.model_code.source import Imports
    >>> tree = ast.parse("n = 3\\nt = 0\\nwhile n:\\n    t += n\\n    n -= 1")
    >>> it = Interpreter(tree, Imports(tree), "torch")
    >>> it.run(tree.body, it.module, strict=True)
    >>> it.module.names["t"], it.module.names["n"]
    (6, 0)
    """
    it.loops.append(node)
    turns, broke = 0, False
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
            if run_turn(it, node.body, scope, strict):
                broke = True
                break
    finally:
        it.loops.pop()
    if not broke:  # Python runs a while loop's else block when the condition, not a break, ended it
        it.run(node.orelse, scope, strict=strict)
