"""The building blocks of the layer table: Kind, the call a kind receives, and what it returns.

A kind's `plan` function is pure: from (input shape, options, framework) it returns an
`Outcome` (output shape, params, the geometry it applied, warnings) or raises `LayerError`.

These are small plain classes with __slots__ rather than dataclasses: every `layerplan` run
imports them, and building dataclasses costs start-up time.
"""

from __future__ import annotations

from typing import Any, Callable

from planner.fields import fields_eq, fields_hash, fields_repr
from planner.options import Option

Shape = tuple[int, ...]


class LayerError(Exception):
    """The framework would reject this layer. `name` is a diagnostic name from the catalog."""

    def __init__(self, name: str, message: str, option: str | None = None):
        super().__init__(message)
        self.name = name
        self.message = message
        self.option = option


class LayerCall:
    """What a kind's plan function receives.

    `given`: canonical names of the options the spec set explicitly; `shapes`: merge layers get
    every input's shape (shape is the first); `input_names`: the names those inputs come from.
    """

    __slots__ = ("shape", "options", "framework", "dims", "given", "kind_family", "shapes", "input_names")

    def __init__(self, shape: Shape, options: dict[str, Any], framework: str, dims: int,
                 given: frozenset = frozenset(), kind_family: str = "", shapes: tuple[Shape, ...] = (),
                 input_names: tuple[str, ...] = ()) -> None:
        self.shape = shape
        self.options = options
        self.framework = framework
        self.dims = dims
        self.given = given
        self.kind_family = kind_family
        self.shapes = shapes
        self.input_names = input_names

    __repr__ = fields_repr
    __hash__ = None  # mutable

    __eq__ = fields_eq

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


class AxisGeometry:
    """How one spatial axis was processed, for the table and `explain`."""

    __slots__ = ("kernel", "stride", "dilation", "pad_before", "pad_after")

    def __init__(self, kernel: int | None = None, stride: int | None = None, dilation: int | None = None,
                 pad_before: int = 0, pad_after: int = 0) -> None:
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.pad_before = pad_before
        self.pad_after = pad_after

    __repr__ = fields_repr
    __hash__ = None  # mutable

    __eq__ = fields_eq


class Outcome:
    """What a kind's plan function returns. `warnings`: (diagnostic name, message, option) triples."""

    __slots__ = ("output", "params", "non_trainable", "geometry", "warnings")

    def __init__(self, output: Shape, params: int = 0, non_trainable: int = 0,
                 geometry: list[AxisGeometry] | None = None,
                 warnings: list[tuple[str, str, str | None]] | None = None) -> None:
        self.output = output
        self.params = params
        self.non_trainable = non_trainable
        self.geometry = [] if geometry is None else geometry
        self.warnings = [] if warnings is None else warnings

    __repr__ = fields_repr
    __hash__ = None  # mutable

    __eq__ = fields_eq

    @property
    def trainable(self) -> int:
        return self.params - self.non_trainable

    def warn(self, name: str, message: str, option: str | None = None) -> None:
        self.warnings.append((name, message, option))


class Kind:
    """One entry of the layer table (immutable by convention).

    name: canonical type, e.g. "conv2d"; family: e.g. "conv"; dims: spatial axes (0 for layers that
    act on any shape); input_rank: required sample rank (None: any rank >= 1); positional: option
    order for command-line layer tokens; formulas: framework -> shape formula text; arity: how many
    inputs it takes (min, max; None: no maximum).
    """

    __slots__ = ("name", "family", "dims", "options", "plan", "doc", "input_rank", "positional", "formulas",
                 "keras_class", "torch_class", "arity")

    def __init__(self, name: str, family: str, dims: int, options: tuple[Option, ...],
                 plan: Callable[[LayerCall], Outcome], doc: str, input_rank: int | None = None,
                 positional: tuple[str, ...] = (), formulas: dict[str, str] | None = None, keras_class: str = "",
                 torch_class: str = "", arity: tuple[int, int | None] = (1, 1)) -> None:
        self.name = name
        self.family = family
        self.dims = dims
        self.options = options
        self.plan = plan
        self.doc = doc
        self.input_rank = input_rank
        self.positional = positional
        self.formulas = {} if formulas is None else formulas
        self.keras_class = keras_class
        self.torch_class = torch_class
        self.arity = arity

    __repr__, __eq__, __hash__ = fields_repr, fields_eq, fields_hash

    def option(self, name: str) -> Option | None:
        for option in self.options:
            if option.name == name:
                return option
        return None
