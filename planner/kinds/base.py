"""The building blocks of the layer table: Kind, the call a kind receives, and what it returns.

A kind's `plan` function is pure: from (input shape, options, framework) it returns an
`Outcome` (output shape, params, the geometry it applied, warnings) or raises `LayerError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from planner.options import Option

Shape = tuple[int, ...]


class LayerError(Exception):
    """The framework would reject this layer. `name` is a diagnostic name from the catalog."""

    def __init__(self, name: str, message: str, option: str | None = None):
        super().__init__(message)
        self.name = name
        self.message = message
        self.option = option


@dataclass
class LayerCall:
    """What a kind's plan function receives."""

    shape: Shape
    options: dict[str, Any]
    framework: str
    dims: int
    given: frozenset = frozenset()  # canonical names of options the spec set explicitly
    kind_family: str = ""
    shapes: tuple[Shape, ...] = ()  # merge layers: every input's shape (shape is the first)
    input_names: tuple[str, ...] = ()  # the names those inputs come from, for messages

    @property
    def channels_first(self) -> bool:
        return self.framework == "torch"

    def split(self) -> tuple[int, Shape]:
        """(channels, spatial sizes) in the framework's layout."""
        if self.channels_first:
            return self.shape[0], self.shape[1:]
        return self.shape[-1], self.shape[:-1]

    def join(self, channels: int, spatial: Shape) -> Shape:
        return (channels, *spatial) if self.channels_first else (*spatial, channels)


@dataclass
class AxisGeometry:
    """How one spatial axis was processed, for the table and `explain`."""

    kernel: int | None = None
    stride: int | None = None
    dilation: int | None = None
    pad_before: int = 0
    pad_after: int = 0


@dataclass
class Outcome:
    output: Shape
    params: int = 0
    non_trainable: int = 0
    geometry: list[AxisGeometry] = field(default_factory=list)
    warnings: list[tuple[str, str, str | None]] = field(default_factory=list)  # (name, message, option)

    @property
    def trainable(self) -> int:
        return self.params - self.non_trainable

    def warn(self, name: str, message: str, option: str | None = None) -> None:
        self.warnings.append((name, message, option))


@dataclass(frozen=True)
class Kind:
    """One entry of the layer table."""

    name: str  # canonical type, e.g. "conv2d"
    family: str  # e.g. "conv"
    dims: int  # spatial axes (0 for layers that act on any shape)
    options: tuple[Option, ...]
    plan: Callable[[LayerCall], Outcome]
    doc: str
    input_rank: int | None = None  # required sample rank; None: any rank >= 1
    positional: tuple[str, ...] = ()  # option order for command-line layer tokens
    formulas: dict[str, str] = field(default_factory=dict)  # framework -> shape formula text
    keras_class: str = ""
    torch_class: str = ""
    arity: tuple[int, int | None] = (1, 1)  # how many inputs it takes (min, max; None: no maximum)

    def option(self, name: str) -> Option | None:
        for option in self.options:
            if option.name == name:
                return option
        return None
