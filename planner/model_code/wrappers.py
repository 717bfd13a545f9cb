"""Layer wrappers in model code: a framework class that takes a layer and gives a layer (keras
`Bidirectional(LSTM(...))`). A wrapper that is an option of the wrapped layer's kind is read through the
kind's own spelling (`Spelling.wrappers`); a wrapper that is a kind of its own (keras `TimeDistributed`:
the time_distributed kind) holds the wrapped layer's entry as its `layer` option; a wrapper no kind plans
is refused with the reason.
"""

from __future__ import annotations

import ast
from typing import Any

from ..kinds import KINDS
from .layers import Layer, kind_for
from .source import Unreadable

#: wrappers of the frameworks that no layer kind plans, with what to write instead
_UNPLANNED: dict[str, str] = {}
#: wrappers that are a kind of their own, whose `layer` option is the wrapped layer's entry
_WRAPPER_KINDS = {"keras": {"TimeDistributed": "time_distributed"}}
#: the wrapper's own arguments that the reader takes itself (the layer's name and input shape)
_READER_ARGUMENTS = ("layer", "name", "input_shape", "batch_input_shape", "input_dim")


def wrapper_names(framework: str) -> frozenset[str]:
    """The wrapper classes of a framework that the reader recognises (planned or refused).

    >>> sorted(wrapper_names("keras"))
    ['Bidirectional', 'TimeDistributed']
    """
    names = set(_UNPLANNED) if framework == "keras" else set()
    names.update(_WRAPPER_KINDS.get(framework, {}))
    for kind in KINDS.values():
        spelling = kind.spellings.get(framework)
        if spelling is not None:
            names.update(spelling.wrappers)
    return frozenset(names)


def wrap_layer(wrapper: str, framework: str, args: list, kwargs: dict, node: ast.Call) -> Layer:
    """The layer a wrapper call gives: `Bidirectional(LSTM(64))` is the lstm layer with bidirectional.

    >>> lstm = Layer({"type": "lstm", "units": 64}, None, {})
    >>> wrap_layer("Bidirectional", "keras", [lstm], {}, None).entry
    {'type': 'lstm', 'units': 64, 'bidirectional': True}
    """
    if wrapper in _UNPLANNED:
        raise Unreadable(node, f"{wrapper}(...) is not read: {_UNPLANNED[wrapper]}")
    wrapped = args[0] if args else kwargs.get("layer")
    if not isinstance(wrapped, Layer):
        raise Unreadable(node, f"{wrapper}(...) wraps something that is not a layer the reader made here; write "
                               "the layer inside the call")
    if wrapper in _WRAPPER_KINDS.get(framework, {}):
        return _wrapper_kind(_WRAPPER_KINDS[framework][wrapper], wrapper, wrapped, kwargs, node)
    kind = kind_for(wrapped.entry["type"])
    spelling = kind.spellings.get(framework) if kind is not None else None
    rule = spelling.wrappers.get(wrapper) if spelling is not None else None
    if rule is None:
        raise Unreadable(node, f"{wrapper}({wrapped.entry['type']}) is not read: layerplan's {wrapped.entry['type']} "
                               f"has no {wrapper} form; write this layer as a spec")
    options = {key: value for key, value in wrapped.entry.items() if key != "type"}
    arguments = {key: value for key, value in kwargs.items() if key not in _READER_ARGUMENTS}
    try:
        options = rule(options, arguments)
    except ValueError as exc:
        raise Unreadable(node, f"{exc}; write this layer as a spec") from None
    layer = Layer({"type": wrapped.entry["type"], **options}, wrapped.node, dict(wrapped.option_nodes),
                  name=_text(kwargs.get("name")) or wrapped.name, input_shape=wrapped.input_shape,
                  declared=dict(wrapped.declared))
    shape = _input_shape(kwargs)
    if shape is not None:
        layer.input_shape = shape
    return layer


def _wrapper_kind(kind: str, wrapper: str, wrapped: Layer, kwargs: dict, node: ast.Call) -> Layer:
    """A wrapper that is a kind of its own: `TimeDistributed(Dense(10))` is a time_distributed layer whose
    `layer` is the dense entry; the wrapper takes the name and the input shape, the wrapped layer neither."""
    if wrapped.uses or wrapped.wrapped_at is not None:
        where = f"line {wrapped.wrapped_at}" if wrapped.wrapped_at is not None else "its call on a tensor"
        raise Unreadable(node, f"{wrapper}(...) wraps a layer already used ({where}), whose weights keras shares "
                               "with the wrapper; layerplan does not plan one layer both wrapped and used elsewhere: "
                               "make two layers, or write the model as a spec")
    if wrapped.positive_axis is not None:
        raise Unreadable(node, f"{wrapper}(...) wraps a layer given a positive axis, which keras counts on one "
                               "step's input; write axis=-1 for the last axis, or write this layer as a spec")
    if wrapped.input_shape is not None:
        raise Unreadable(node, f"{wrapper}(...) wraps a layer with its own input_shape; give input_shape to "
                               f"{wrapper} (the whole input, steps first)")
    unknown = [key for key in kwargs if key not in _READER_ARGUMENTS]
    if unknown:
        raise Unreadable(node, f"{wrapper}({', '.join(f'{key}=...' for key in unknown)}) is not read: layerplan's "
                               f"{kind} takes the wrapped layer only; write this layer as a spec")
    layer = Layer({"type": kind, "layer": dict(wrapped.entry)}, node, {"layer": wrapped.node},
                  name=_text(kwargs.get("name")), input_shape=_input_shape(kwargs))
    wrapped.wrapped_at = getattr(node, "lineno", None) or 0
    return layer


def _text(value: Any) -> str | None:
    return value.replace("/", ".") if isinstance(value, str) else None


def _input_shape(kwargs: dict) -> tuple | None:
    """A keras 2 wrapper's own `input_shape=` / `batch_input_shape=` (the first layer of a Sequential)."""
    if isinstance(kwargs.get("input_shape"), (list, tuple)):
        return tuple(kwargs["input_shape"])
    if isinstance(kwargs.get("batch_input_shape"), (list, tuple)):
        return tuple(kwargs["batch_input_shape"])[1:]
    return None
