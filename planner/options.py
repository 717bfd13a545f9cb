"""Option declarations and value parsers for layer kinds.

An `Option` declares one layer option: its canonical name, aliases, parser, default,
the frameworks that have it, and a line of documentation. Parsers turn a raw spec value
into a normalised one or raise `OptionError` with a message that says what was received
and what would work. Per-axis values become tuples with one entry per spatial axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from .suggest import did_you_mean


BOTH = frozenset({"torch", "keras"})
TORCH = frozenset({"torch"})
KERAS = frozenset({"keras"})


class OptionError(Exception):
    """A value that an option does not accept."""


class _Required:
    def __repr__(self) -> str:
        return "required"


REQUIRED: Any = _Required()


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What a parser needs to know: the number of spatial axes (0 for layers without any) and the framework."""

    dims: int
    framework: str


Parser = Callable[[Any, ParseContext], Any]


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a layer kind.

    `default` is a value, REQUIRED, or a dict framework -> value (REQUIRED allowed).
    `type_doc` is the human/JSON-Schema description of accepted values.
    """

    name: str
    parse: Parser
    type_doc: str
    doc: str
    default: Any = field(default=None, hash=False)
    aliases: tuple[str, ...] = ()
    frameworks: frozenset = BOTH

    def default_for(self, framework: str) -> Any:
        if isinstance(self.default, dict):
            return self.default.get(framework, REQUIRED)
        return self.default


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def describe(value: Any) -> str:
    """A short description of a received value for messages."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        text = repr(value)  # a spec may hold megabytes in one string: a message quotes the start
        return text if len(text) <= 100 else text[:96] + "...'"
    if isinstance(value, float):
        return f"{value!r} (a float)"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _int_at_least(value: Any, minimum: int, what: str) -> int:
    if not is_int(value):
        if isinstance(value, float) and value.is_integer() and not isinstance(value, bool):
            raise OptionError(f"expected {what}, got {describe(value)}; write {int(value)}")
        raise OptionError(f"expected {what}, got {describe(value)}")
    if value < minimum:
        raise OptionError(f"expected {what}, got {value}")
    return value


def positive_int(value: Any, ctx: ParseContext) -> int:
    return _int_at_least(value, 1, "a positive integer")


def section_count(value: Any, ctx: ParseContext) -> int:
    """How many equal parts (keras.ops.split with a number). keras' `indices_or_sections` also takes a
    list, the split points: that is the `indices` option, and the message says so."""
    if isinstance(value, (list, tuple)):
        raise OptionError(f"expected a positive integer (how many equal parts), got {describe(value)}; a list is "
                          f"keras.ops.split's split points: write it as indices: {describe(value)}")
    return positive_int(value, ctx)


def non_negative_int(value: Any, ctx: ParseContext) -> int:
    return _int_at_least(value, 0, "an integer >= 0")


def any_int(value: Any, ctx: ParseContext) -> int:
    if not is_int(value):
        raise OptionError(f"expected an integer, got {describe(value)}")
    return value


def optional_int(value: Any, ctx: ParseContext) -> int | None:
    """An integer, or null for "not given" (a slice's omitted start or stop)."""
    return None if value is None else any_int(value, ctx)


def _per_axis(value: Any, ctx: ParseContext, minimum: int, what: str) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        if len(value) != ctx.dims:
            raise OptionError(
                f"expected one value or {ctx.dims} (one per spatial axis), got {len(value)}: {describe(value)}"
            )
        return tuple(_int_at_least(v, minimum, what) for v in value)
    return (_int_at_least(value, minimum, what),) * ctx.dims


def positive_ints(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    return _per_axis(value, ctx, 1, "a positive integer")


def non_negative_ints(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    return _per_axis(value, ctx, 0, "an integer >= 0")


def optional_non_negative_ints(value: Any, ctx: ParseContext) -> tuple[int, ...] | None:
    return None if value is None else non_negative_ints(value, ctx)


PADDING_WORDS = ("valid", "same", "causal")


def conv_padding(value: Any, ctx: ParseContext) -> str | tuple[int, ...]:
    """'valid' / 'same' / 'causal', or integer padding per side (one, or one per axis)."""
    if isinstance(value, str):
        word = value.lower()
        if word not in PADDING_WORDS:
            raise OptionError(f"expected 'valid', 'same' or an integer, got {describe(value)}")
        return word
    return _per_axis(value, ctx, 0, "'valid', 'same' or an integer >= 0")


def boolean(value: Any, ctx: ParseContext) -> bool:
    if not isinstance(value, bool):
        raise OptionError(f"expected true or false, got {describe(value)}")
    return value


def _finite_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OptionError(f"expected a number, got {describe(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise OptionError(f"expected a finite number, got {value}")
    return value


def number(value: Any, ctx: ParseContext) -> float:
    return _finite_number(value)


def probability(value: Any, ctx: ParseContext) -> float:
    number_value = _finite_number(value)
    if not 0 <= number_value <= 1:
        raise OptionError(f"expected a rate between 0 and 1, got {value}")
    return number_value


def positive_scales(value: Any, ctx: ParseContext) -> tuple[float, ...]:
    """A positive scale factor, one or one per axis (int or float)."""
    values = value if isinstance(value, (list, tuple)) else [value] * ctx.dims
    if len(values) != ctx.dims:
        raise OptionError(f"expected one scale or {ctx.dims} (one per spatial axis), got {describe(value)}")
    result = []
    for v in values:
        v = _finite_number(v)
        if v <= 0:
            raise OptionError(f"expected a positive scale, got {v}")
        result.append(v)
    return tuple(result)


def text(value: Any, ctx: ParseContext) -> str:
    if not isinstance(value, str):
        raise OptionError(f"expected a string, got {describe(value)}")
    return value


def choice(*choices: str) -> Parser:
    def parse(value: Any, ctx: ParseContext) -> str:
        if not isinstance(value, str) or value.lower() not in choices:
            raise OptionError(f"expected one of {', '.join(choices)}, got {describe(value)}")
        return value.lower()

    parse.choices = choices  # read by planner.schema
    return parse


def target_shape(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    """A reshape target: positive integers, at most one -1."""
    if is_int(value):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise OptionError(f"expected a list of positive integers (one may be -1), got {describe(value)}")
    shape = []  # an empty list: a per-sample scalar (torch x.view(N), keras Reshape(()))
    for v in value:
        if not is_int(v) or (v < 1 and v != -1):
            raise OptionError(f"expected positive integers or a single -1, got {describe(value)}")
        shape.append(v)
    if shape.count(-1) > 1:
        raise OptionError(f"only one axis may be -1, got {describe(value)}")
    return tuple(shape)


def int_list(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    """A list of integers (negative axes allowed); one integer alone is a list of one."""
    if is_int(value):
        return (value,)
    if not isinstance(value, (list, tuple)) or not value or not all(is_int(v) for v in value):
        raise OptionError(f"expected a list of integers, got {describe(value)}")
    return tuple(value)


def positive_int_list(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    """A non-empty list of positive integers (split sizes)."""
    values = int_list(value, ctx)
    if any(v < 1 for v in values):
        raise OptionError(f"expected positive integers (a part of size 0 would be an empty tensor), got "
                          f"{describe(value)}")
    return values


def output_size(value: Any, ctx: ParseContext) -> tuple[int | None, ...]:
    """Adaptive pooling output size: one or per-axis positive integers; null keeps an axis."""
    values = value if isinstance(value, (list, tuple)) else [value] * ctx.dims
    if len(values) != ctx.dims:
        raise OptionError(f"expected one size or {ctx.dims} (one per spatial axis), got {describe(value)}")
    result = []
    for v in values:
        if v is None:
            result.append(None)
        else:
            result.append(_int_at_least(v, 1, "a positive integer or null"))
    return tuple(result)


def padding_pairs(value: Any, ctx: ParseContext) -> tuple[tuple[int, int], ...]:
    """zero_padding / cropping amounts as (before, after) per spatial axis, in (D, H, W) order.

    Accepts an int, one int per axis, or one [before, after] per axis; in 1d a flat [a, b]
    means before, after.
    """
    what = "an int, one int per spatial axis, or one [before, after] per spatial axis"
    if is_int(value):
        amount = _int_at_least(value, 0, "an integer >= 0")
        return ((amount, amount),) * ctx.dims
    if not isinstance(value, (list, tuple)):
        raise OptionError(f"expected {what}, got {describe(value)}")
    if ctx.dims == 1 and len(value) == 2 and all(is_int(v) for v in value):
        return ((_int_at_least(value[0], 0, "integers >= 0"), _int_at_least(value[1], 0, "integers >= 0")),)
    if len(value) != ctx.dims:
        raise OptionError(f"expected {what} ({ctx.dims} axes), got {describe(value)}")
    pairs = []
    for entry in value:
        if is_int(entry):
            amount = _int_at_least(entry, 0, "integers >= 0")
            pairs.append((amount, amount))
        elif isinstance(entry, (list, tuple)) and len(entry) == 2:
            pairs.append(tuple(_int_at_least(v, 0, "integers >= 0") for v in entry))
        else:
            raise OptionError(f"expected {what}, got {describe(value)}")
    return tuple(pairs)


ACTIVATIONS = (
    "linear", "identity", "relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax", "leaky_relu",
    "elu", "selu", "gelu", "silu", "swish", "mish", "softplus", "softsign", "hard_sigmoid",
    "hard_swish", "hard_silu", "exponential", "celu", "log_sigmoid", "tanh_shrink",
    "hard_tanh", "sparse_plus", "squareplus",
)


def activation_name(value: Any, ctx: ParseContext) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise OptionError(f"expected an activation name, got {describe(value)}")
    name = value.lower()
    if name not in ACTIVATIONS:
        raise OptionError(f"unknown activation {value!r}{did_you_mean(name, ACTIVATIONS)}")
    return name


def positive_shape(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    """One positive integer or a non-empty list of them (a shape such as LayerNorm's normalized_shape)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise OptionError("expected a positive integer or a non-empty list of them, got []")
    return tuple(_int_at_least(v, 1, "a positive integer") for v in values)


def axis_list(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    """One axis or a non-empty list of axes, counted on the batched tensor (negative from the end)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise OptionError("expected an axis or a non-empty list of axes, got []")
    for v in values:
        if not is_int(v):
            raise OptionError(f"expected an integer axis or a list of them, got {describe(value)}")
    return tuple(values)


def axes_or_none(value: Any, ctx: ParseContext) -> tuple[int, ...]:
    """Axes counted on the batched tensor: one, a list (possibly empty), or null for none (keras
    Normalization's axis=None).

    >>> axes_or_none(None, None), axes_or_none(-1, None), axes_or_none([1, 2], None)
    ((), (-1,), (1, 2))
    """
    if value is None:
        return ()
    values = value if isinstance(value, (list, tuple)) else [value]
    if not all(is_int(v) for v in values):
        raise OptionError(f"expected an integer axis, a list of them or null, got {describe(value)}")
    return tuple(values)


def numbers_or_none(value: Any, ctx: ParseContext) -> float | tuple[float, ...] | None:
    """A number or a non-empty list of numbers (values such as keras Normalization's mean); null for none.

    >>> numbers_or_none(0.5, None), numbers_or_none([0.5, 1], None), numbers_or_none(None, None)
    (0.5, (0.5, 1), None)
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        if not value:
            raise OptionError("expected a number or a non-empty list of numbers, got []")
        return tuple(_finite_number(v) for v in value)
    return _finite_number(value)


def numbers(value: Any, ctx: ParseContext) -> float | tuple[float, ...]:
    """A number or a non-empty list of numbers (keras Rescaling's per-channel scale).

    >>> numbers(0.5, None), numbers([2, 0.5], None)
    (0.5, (2, 0.5))
    """
    if value is None:
        raise OptionError("expected a number or a non-empty list of numbers, got null")
    return numbers_or_none(value, ctx)
