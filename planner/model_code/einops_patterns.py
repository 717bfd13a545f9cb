"""einops patterns (`rearrange`, `reduce`, `repeat` and their layer objects `Rearrange`, `Reduce`): the
output shape a pattern such as `'b c (h p1) (w p2) -> b (h w) (p1 p2 c)'` gives, computed by the rules einops
applies, and refused where einops raises.

The rules: each side is a list of axes; an axis is a name, a number (an anonymous axis of that size; `1` is
no axis at all inside a group and an axis of size 1 outside), `...` (the axes the pattern does not name; once
per side, never inside a group on the left), or a group in parentheses (one level) whose size is the product of
its axes. On the left each group may leave one axis unsized: it is the group's size divided by the others',
which must divide it. Sizes come from the tensor's shape and from keywords. `rearrange` keeps every name,
`reduce` may drop names (reduced with `min`, `max`, `sum`, `mean`, `prod`, `any` or `all`), `repeat` may add
names whose sizes are given.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any

from .source import Unreadable
from .values import BatchSize

REDUCTIONS = ("min", "max", "sum", "mean", "prod", "any", "all")
ELLIPSIS = "…"


@dataclass
class EinopsLayer:
    """`Rearrange(pattern, **sizes)`, `Reduce(pattern, reduction, **sizes)`: a layer without parameters that,
    called on a tensor, is the einops function (`einops.rearrange`) with these keywords."""

    function: str
    keywords: dict
    node: ast.AST


class _Anonymous:
    """A number in a pattern: an axis of that size, equal to no other axis (as in einops)."""

    def __init__(self, size: int):
        self.size = size

    def __repr__(self) -> str:
        return f"{self.size}-axis"


def _side(text: str, node: ast.AST) -> tuple[list, bool, bool]:
    """One side of a pattern: its groups (a list of axes, or ELLIPSIS alone), whether it has `...`, whether
    the `...` is inside a group."""
    if "." in text:
        if text.count("...") != 1 or text.count(".") != 3:
            raise Unreadable(node, "an einops pattern may hold dots only as one `...` per side (einops raises)")
        text = text.replace("...", ELLIPSIS)
    groups: list = []
    names: set = set()
    group: list | None = None
    ellipsis_grouped = None
    word = ""

    def add(name: str) -> None:
        nonlocal ellipsis_grouped
        if name in names:
            raise Unreadable(node, f"the einops pattern names the axis {name!r} twice on one side (einops raises)")
        if name == ELLIPSIS:
            names.add(name)
            ellipsis_grouped = group is not None
            (group if group is not None else groups).append(ELLIPSIS)
            return
        if name.isdecimal():
            size = int(name)
            if size == 1:
                if group is None:
                    groups.append([])
                return
            if size < 1:
                raise Unreadable(node, f"an anonymous einops axis must have a positive size, not {size}")
            axis: Any = _Anonymous(size)
        elif not name.isidentifier() or name.startswith("_") or name.endswith("_"):
            raise Unreadable(node, f"{name!r} is not an einops axis name (a Python name without leading or "
                                   "trailing underscores, or a number)")
        else:
            axis = name
        names.add(axis)
        (group if group is not None else groups).append(axis if group is not None else [axis])

    for char in text:
        if char in "() ":
            if word:
                add(word)
            word = ""
            if char == "(":
                if group is not None:
                    raise Unreadable(node, "einops groups are one level deep (no parentheses inside parentheses)")
                group = []
            elif char == ")":
                if group is None:
                    raise Unreadable(node, "the parentheses of this einops pattern are not balanced")
                groups.append(group)
                group = None
        elif char.isalnum() or char in ("_", ELLIPSIS):
            word += char
        else:
            raise Unreadable(node, f"the einops pattern has the character {char!r}, which einops refuses")
    if group is not None:
        raise Unreadable(node, "the parentheses of this einops pattern are not balanced")
    if word:
        add(word)
    return groups, ELLIPSIS in names, bool(ellipsis_grouped)


def _names(groups: list) -> set:
    return {axis for group in groups for axis in ([group] if group == ELLIPSIS else group)}


def einops_shape(operation: str, pattern: Any, shape: tuple, sizes: dict, node: ast.AST = None) -> tuple:
    """The shape einops' `operation` (`rearrange`, `repeat`, or a reduction such as `mean`) gives for a tensor
    of `shape` (BatchSize for the batch axis), with the axis sizes given by keyword.

    >>> einops_shape("rearrange", "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", (2, 3, 32, 32), {"p1": 8, "p2": 8})
    (2, 16, 192)
    >>> einops_shape("mean", "b n d -> b d", (2, 5, 7), {})
    (2, 7)
    >>> einops_shape("repeat", "h w -> h w c", (4, 5), {"c": 3})
    (4, 5, 3)
    """
    if not isinstance(pattern, str):
        raise Unreadable(node, f"an einops pattern must be a string the reader can compute, got {pattern!r}")
    parts = pattern.split("->")
    if len(parts) != 2:
        raise Unreadable(node, "an einops pattern has one `->` between its input and its output")
    left, left_ellipsis, left_grouped = _side(parts[0], node)
    right, right_ellipsis, _ = _side(parts[1], node)
    if right_ellipsis and not left_ellipsis:
        raise Unreadable(node, "this einops pattern has `...` on the right but not on the left (einops raises)")
    if left_grouped:
        raise Unreadable(node, "einops refuses `...` inside parentheses on the left of a pattern")
    left_names, right_names = _names(left), _names(right)
    if operation == "rearrange":
        if any(isinstance(a, _Anonymous) for a in left_names | right_names):
            raise Unreadable(node, "einops' rearrange refuses numbers other than 1 in its pattern")
        if left_names != right_names:
            raise Unreadable(node, "rearrange names these axes on one side only (einops raises): "
                                   + ", ".join(sorted(map(str, left_names ^ right_names))))
    elif operation == "repeat":
        if left_names - right_names:
            raise Unreadable(node, "repeat drops these axes (einops raises): "
                                   + ", ".join(sorted(map(str, left_names - right_names))))
        missing = {a for a in right_names - left_names if isinstance(a, str) and a not in sizes}
        if missing:
            raise Unreadable(node, "repeat needs the sizes of its new axes (einops raises): "
                                   + ", ".join(sorted(missing)) + "; give them as keywords")
    elif operation in REDUCTIONS:
        if right_names - left_names:
            raise Unreadable(node, f"reduce ({operation}) adds axes (einops raises): "
                                   + ", ".join(sorted(map(str, right_names - left_names))))
    else:
        raise Unreadable(node, f"{operation!r} is not an einops reduction (one of {', '.join(REDUCTIONS)})")

    if left_ellipsis:
        others = len(left) - 1
        if len(shape) < others:
            raise Unreadable(node, f"this einops pattern needs at least {others} axes, the tensor has {len(shape)}")
        hidden = [f"{ELLIPSIS}{i}" for i in range(len(shape) - others)]
        left = _expand(left, hidden)
        right = _expand(right, hidden)
        left_names = (left_names - {ELLIPSIS}) | set(hidden)
        right_names = (right_names - {ELLIPSIS}) | (set(hidden) if right_ellipsis else set())
    elif len(shape) != len(left):
        raise Unreadable(node, f"this einops pattern reads {len(left)} axes, the tensor has {len(shape)}")

    known: dict = {}
    for name, size in sizes.items():
        if name not in left_names | right_names:
            raise Unreadable(node, f"the einops axis {name} is not in the pattern (einops raises)")
        if not isinstance(size, int) or isinstance(size, bool):
            raise Unreadable(node, f"the size of the einops axis {name} must be a number the reader can compute, "
                                   f"got {size!r}")
        known[name] = size
    for group, length in zip(left, shape):
        unsized = [a for a in group if not isinstance(a, _Anonymous) and a not in known]
        if len(unsized) > 1:
            raise Unreadable(node, "einops cannot infer the sizes of " + ", ".join(map(str, unsized))
                                   + " in one group; give all but one as keywords")
        product = math.prod(a.size if isinstance(a, _Anonymous) else known[a] for a in group if a not in unsized)
        if isinstance(length, BatchSize):
            if len(group) != 1 or not unsized:
                raise Unreadable(node, "this einops pattern splits or sizes the batch axis; layerplan plans one "
                                       "sample at a time: keep the batch axis as one axis of its own")
            known[unsized[0]] = length
        elif unsized:
            if length % product:
                raise Unreadable(node, f"einops cannot divide an axis of size {length} into groups of {product}")
            known[unsized[0]] = length // product
        elif length != product:
            raise Unreadable(node, f"this einops axis has size {length}, the pattern says {product} (einops raises)")
    out = []
    for group in right:
        lengths = [a.size if isinstance(a, _Anonymous) else known[a] for a in group]
        if any(isinstance(n, BatchSize) for n in lengths):
            if len(lengths) != 1:
                raise Unreadable(node, "this einops pattern merges the batch axis with others; layerplan plans one "
                                       "sample at a time: keep the batch axis as one axis of its own")
            out.append(lengths[0])
        else:
            out.append(math.prod(lengths))
    return tuple(out)


def _expand(groups: list, hidden: list) -> list:
    """The groups with `...` replaced by the axes it stands for (each its own group, or inside a group)."""
    expanded = []
    for group in groups:
        if group == ELLIPSIS:
            expanded.extend([a] for a in hidden)
        else:
            expanded.append([b for a in group for b in (hidden if a == ELLIPSIS else [a])])
    return expanded
