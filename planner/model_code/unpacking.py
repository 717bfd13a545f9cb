"""Assignment to several names at once: `a, b = pair`, and one starred name that takes the rest as a list
(`first, *_, last = widths`, `*head, tail = widths`), as Python unpacks."""

from __future__ import annotations

import ast

from .source import Unreadable


def unpacked(targets: list[ast.expr], items: list, node: ast.AST) -> list[tuple[ast.expr, object]]:
    """Each target with the value it receives; a starred target receives a list of the items left over.
    A count that does not fit is the error Python raises.

    >>> targets = ast.parse("a, *rest, b = x").body[0].targets[0].elts
    >>> [(ast.unparse(t), v) for t, v in unpacked(targets, [1, 2, 3, 4], None)]
    [('a', 1), ('rest', [2, 3]), ('b', 4)]
    """
    starred = [index for index, target in enumerate(targets) if isinstance(target, ast.Starred)]
    if len(starred) > 1:
        raise Unreadable(node, "multiple starred names in one assignment (Python refuses it)")
    if not starred:
        if len(items) != len(targets):
            raise Unreadable(node, f"{len(targets)} names for {len(items)} values")
        return list(zip(targets, items))
    at = starred[0]
    after = len(targets) - at - 1
    if len(items) < len(targets) - 1:
        raise Unreadable(node, f"at least {len(targets) - 1} values are needed to unpack, got {len(items)}")
    rest = list(items[at:len(items) - after])
    return ([*zip(targets[:at], items[:at]), (targets[at].value, rest)]
            + list(zip(targets[at + 1:], items[len(items) - after:])))
