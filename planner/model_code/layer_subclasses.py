"""Classes of the files that derive from one of torch's layer classes (`class Conv3DSimple(nn.Conv3d)`).

Such a class is that layer: calling it runs its `__init__`, whose `super().__init__(...)` makes the
layer from the arguments it passes, as calling the framework class with them would. Its other methods
(a staticmethod read through the class) are read as any class's; a forward of its own is what applying
the layer runs (layer_forwards.py). A class that makes no layer or two, or that holds other modules
(torch would count their parameters too) is refused, naming the class.
"""

from __future__ import annotations

import ast
from typing import Any

from .container_classes import is_module
from .layer_forwards import remember_forward
from .layers import kind_for
from .source import Unreadable
from .values import Instance, Qualified, Scope, Unknown

Interpreter = Any


class LayerInit:
    """`super().__init__` of an object of a layer subclass, not called yet: it makes the layer."""

    def __init__(self, instance: Instance, base: str):
        self.instance, self.base = instance, base


def layer_base(it: Interpreter, cls: ast.ClassDef) -> str | None:
    """The torch layer class (dotted name) a class of the files derives from, when it derives from one
    layerplan has a kind for; None otherwise.

    >>> class Bases:
    ...     def library_bases(self, cls): return ["torch.nn.Conv3d"]
    >>> layer_base(Bases(), None)
    'torch.nn.Conv3d'
    """
    for base in it.library_bases(cls):
        head, _, last = base.rpartition(".")
        if head == "torch.nn" and kind_for(last) is not None:
            return base
    return None


def make_subclass_layer(it: Interpreter, cls: ast.ClassDef, base: str, args: list, kwargs: dict,
                        node: ast.AST) -> Any:
    """The layer an object of a layer subclass is (see the module's docstring)."""
    written = base.rpartition(".")[2]
    instance = Instance(cls, {}, "", node)
    made = it.cache.setdefault("subclass layers", {})
    made[id(instance)] = []
    init = it.method_of(cls, "__init__")
    from .values import Function

    if init is not None:
        it.invoke(Function(init, instance), args, kwargs, node)
    else:  # the framework class's own __init__, called with the arguments given
        it.apply(LayerInit(instance, base), args, kwargs, node, Scope())
    layers = made.pop(id(instance))
    if len(layers) != 1:
        raise Unreadable(node, f"{cls.name} (an nn.{written} subclass) makes its layer {len(layers)} times here; "
                               "the reader reads one super().__init__(...)")
    for name, value in instance.attributes.items():
        it._step(node)
        if is_module(value) or isinstance(value, Unknown) and value.network:
            raise Unreadable(node, f"{cls.name} (an nn.{written} subclass) also holds '{name}', which torch would "
                                   "count with the layer; write it as an nn.Module that holds both")
    it.cache.setdefault("layer classes", {})[id(layers[0])] = cls  # isinstance(layer, cls) is true
    if it.method_of(cls, "forward") is not None:  # applied, the layer runs that forward (layer_forwards.py)
        remember_forward(it, layers[0], cls, instance, base)
    return layers[0]


def call_layer_init(it: Interpreter, init: LayerInit, args: list, kwargs: dict, call: ast.Call, scope: Scope) -> None:
    """`super().__init__(...)` of a layer subclass: the framework class called with those arguments (`call`:
    the call with the values the reader computed, from which the layer reads its options)."""
    layer = it.apply(Qualified(init.base), list(args), dict(kwargs), call, scope)
    it.cache.setdefault("subclass layers", {}).setdefault(id(init.instance), []).append(layer)
    return None
