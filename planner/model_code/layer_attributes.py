"""An attribute set on a framework layer object (`self.fc.stddev = 0.001`, a note torchvision's
inception leaves for its own weight initialisation).

torch keeps whatever is assigned to a layer object; the layer's forward reads only its own options and
weights, and only a module or a parameter assigned to it would be registered and counted. So a plain
value (a number, a string, a tuple of them, None) under a name the layer does not read is provably
irrelevant: it is kept (the code may read it back) and the statement is noted once (LP320). Under a name
the layer reads — one of its kind's options as torch spells them, its weights, `training` — or a value
that is a module, a tensor or one the reader cannot compute, it is refused (LP007), naming the layer and
the attribute.
"""

from __future__ import annotations

import ast
from typing import Any

from .layers import Layer, kind_for
from .source import Unreadable

Interpreter = Any

#: attributes of every torch layer that its forward, its parameters or its mode read
_READ_BY_EVERY_LAYER = frozenset({"weight", "bias", "training", "forward", "requires_grad", "trainable",
                                  "padding_mode", "inplace"})


def read_attributes(layer: Layer) -> frozenset:
    """The attribute names a layer object reads: its kind's options in torch's spelling, and its weights.

    >>> "out_features" in read_attributes(Layer({"type": "dense"}, None, {}, class_name="Linear"))
    True
    """
    kind = kind_for(layer.class_name or layer.entry.get("type", ""))
    names = set(_READ_BY_EVERY_LAYER)
    if kind is not None:
        names.update(option.name for option in kind.options)
        for spelling in kind.spellings.values():
            names.update(spelling.positional)
            names.update(spelling.arguments.values())
    return frozenset(names)


def set_layer_attribute(it: Interpreter, layer: Layer, name: str, value: Any, node: ast.AST) -> None:
    """`layer.name = value` (see the module's docstring)."""
    written = layer.class_name or layer.entry.get("type")
    if name in read_attributes(layer):
        raise Unreadable(node, f"setting '{name}' on a {written} layer changes what it computes or counts, which "
                               "the reader does not follow; give it as the layer's argument")
    if not it.is_constant(value, node):
        raise Unreadable(node, f"'{name}' set on a {written} layer is not a plain value (torch would register a "
                               "module or a parameter, and count it); set it on the model object instead")
    it.cache.setdefault("layer attributes", {}).setdefault(id(layer), {})[name] = value
    it.note("code-skipped", ("skipped", "an attribute the layer never reads"), it.here(node) or it.call_site,
            f"`{ast.unparse(node)} = ...` is skipped: an attribute the layer never reads cannot change shapes or "
            "parameter counts (the first of its kind here; the others are skipped without a note)")


def layer_attributes(it: Interpreter, layer: Layer) -> dict:
    """The values the code set on a layer object so far, by name."""
    return it.cache.get("layer attributes", {}).get(id(layer), {})
