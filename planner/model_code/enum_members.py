"""Members of an `enum.Enum` class of the files read: `Color.RED` is one object per class and member
name (so `is`, `==` and `isinstance` answer as Python does), an object of its class whose `name` is the
member's name and whose `value` is the value the class body writes for it (read like any class-level
value: one the reader cannot compute fails only where it is used). The class's methods and properties
read a member like any object of the class (torchvision's `weights.meta` is `self.value.meta`).
"""

from __future__ import annotations

import ast
from typing import Any

from .values import Instance

Interpreter = Any


def enum_member(it: Interpreter, cls: ast.ClassDef, name: str, value: Any, node: ast.AST) -> Instance:
    """The member `name` of the enum class `cls`, whose class body writes `value` for it.

    >>> class Reader:
    ...     cache = {}
    >>> colour = ast.parse("class Colour(Enum):\\n    RED = 1").body[0]
    >>> red = enum_member(Reader(), colour, "RED", 1, colour)
    >>> red.attributes["name"], red.attributes["value"], red is enum_member(Reader(), colour, "RED", 1, colour)
    ('RED', 1, True)
    """
    members = it.cache.setdefault("enum members", {})
    key = (id(cls), name)
    if key not in members:
        members[key] = Instance(cls, {"name": name, "value": value, "_name_": name, "_value_": value}, "", node,
                                plain=True)
    return members[key]
