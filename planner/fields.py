"""repr, == and hash in the dataclass style for the plain __slots__ classes of planner.

planner builds many small objects (a row per layer) and starts often, so its value classes are plain
classes with __slots__ rather than dataclasses (which cost start-up time); these three functions give
them what a dataclass would, from their slots:

>>> class Point:
...     __slots__ = ("x", "y")
...     def __init__(self, x, y):
...         self.x, self.y = x, y
...     __repr__, __eq__, __hash__ = fields_repr, fields_eq, fields_hash
>>> Point(1, 2), Point(1, 2) == Point(1, 2), hash(Point(1, 2)) == hash(Point(1, 2))
(Point(x=1, y=2), True, True)
"""

from __future__ import annotations


def fields_repr(self) -> str:
    """`Name(field=value, ...)`; slots starting with an underscore are private and left out."""
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__ if not name.startswith("_"))
    return f"{type(self).__name__}({fields})"


def fields_eq(self, other: object) -> bool:
    """Same class, equal fields."""
    if other.__class__ is not self.__class__:
        return NotImplemented
    return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)


def fields_hash(self) -> int:
    """The hash of every field, for the immutable classes (it agrees with fields_eq)."""
    return hash(tuple(getattr(self, name) for name in self.__slots__))
