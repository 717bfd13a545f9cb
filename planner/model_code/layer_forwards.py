"""A class of the files that derives from a torch layer class and writes its own `forward`
(`class LayerNorm2d(nn.LayerNorm)` whose forward permutes, calls `F.layer_norm(x, self.normalized_shape,
self.weight, self.bias, self.eps)` and permutes back).

Its object is the layer its `super().__init__(...)` makes (counted once, named as torch names the
module); applying it runs the class's own forward, in which the layer's own attributes (`self.weight`,
`self.normalized_shape`...) stand for themselves. The layer's functional form called with the layer's
own attributes, each in its own place (`F.layer_norm(x, self.normalized_shape, self.weight, self.bias,
self.eps)`), computes what the layer computes: it is the layer applied there, as is `super().forward(x)` (its step named
`NAME.layer_norm`: torch reports the module's own output, after the rest of its forward, as NAME). Any
other use of them
(arithmetic on `self.weight`, another function given it, an attribute in another argument's place) is
an error that names the attribute: the reader would not know what it computes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from .layers import Layer
from .source import Unreadable
from .tensor_ops import is_tensor
from .values import Function, Instance

Interpreter = Any

#: torch layer class -> its functional form in torch.nn.functional and that function's parameters in order
#: (the layer's forward is this function called with the layer's attributes of the same names)
OWN_FUNCTIONS = {
    "LayerNorm": ("layer_norm", ("input", "normalized_shape", "weight", "bias", "eps")),
    "GroupNorm": ("group_norm", ("input", "num_groups", "weight", "bias", "eps")),
    "Linear": ("linear", ("input", "weight", "bias")),
    "Conv1d": ("conv1d", ("input", "weight", "bias", "stride", "padding", "dilation", "groups")),
    "Conv2d": ("conv2d", ("input", "weight", "bias", "stride", "padding", "dilation", "groups")),
    "Conv3d": ("conv3d", ("input", "weight", "bias", "stride", "padding", "dilation", "groups")),
}


@dataclass(eq=False)
class LayerAttribute:
    """`self.NAME` inside a layer subclass's own forward, NAME an attribute of the layer torch made."""

    layer: Layer
    name: str
    node: ast.AST


def has_own_forward(it: Interpreter, layer: Any) -> bool:
    """Whether a layer is an object of a layer subclass with a forward of its own."""
    return isinstance(layer, Layer) and id(layer) in it.cache.get("layer forwards", {})


def remember_forward(it: Interpreter, layer: Layer, cls: ast.ClassDef, instance: Instance, base: str) -> None:
    """Keep the class and the object its `__init__` filled, for when the layer is applied; a base without a
    functional form in the table is refused here, naming the class."""
    written = base.rpartition(".")[2]
    if written not in OWN_FUNCTIONS:
        raise Unreadable(instance.node, f"{cls.name} derives from nn.{written} and has a forward of its own; the "
                                        f"reader reads such a forward for {', '.join(sorted(OWN_FUNCTIONS))} only: "
                                        "write it as an nn.Module that holds the layer, or as a spec")
    it.cache.setdefault("layer forwards", {})[id(layer)] = (cls, instance, written)


def apply_own_forward(it: Interpreter, layer: Layer, args: list, kwargs: dict, node: ast.AST) -> Any:
    """The layer applied: its class's forward run on an object whose attributes are the layer's own."""
    cls, instance, written = it.cache["layer forwards"][id(layer)]
    attributes = {name: LayerAttribute(layer, name, node) for name in OWN_FUNCTIONS[written][1][1:]}
    view = Instance(cls, {**attributes, **instance.attributes}, instance.prefix, instance.node)
    it.cache.setdefault("own forward of", {})[id(view)] = layer
    return it.invoke(Function(it.method_of(cls, "forward"), view), args, kwargs, node)


def own_layer_call(it: Interpreter, function: str, args: list, kwargs: dict, node: ast.Call) -> Any:
    """`F.<function>(x, self.a, self.b, ...)` given a layer's own attributes: the layer applied to x (None
    when no argument is such an attribute)."""
    given = list(args) + list(kwargs.values())
    owned = [value for value in given if isinstance(value, LayerAttribute)]
    if not owned:
        return None
    layer = owned[0].layer
    written = it.cache["layer forwards"][id(layer)][2]
    expected, parameters = OWN_FUNCTIONS[written]
    if function != expected:
        raise Unreadable(node, f"F.{function}() is given self.{owned[0].name} of an nn.{written}; the reader reads "
                               f"the layer's own attributes only as the arguments of F.{expected}(), which computes "
                               "the layer")
    placed = dict(zip(parameters, args))
    for keyword, value in kwargs.items():
        if keyword not in parameters or keyword in placed:
            raise Unreadable(node, f"F.{function}() is given {keyword}= that is not one of its parameters here")
        placed[keyword] = value
    missing = [parameter for parameter in parameters if parameter not in placed]
    if missing:
        raise Unreadable(node, f"F.{function}() is called without its {missing[0]} here: only the layer's own call, "
                               f"with every argument of F.{expected}() the layer's own, is read")
    tensor = placed.pop("input")
    if not is_tensor(tensor):
        raise Unreadable(node, f"F.{function}() is given no tensor of the model as its input")
    for parameter, value in placed.items():
        if not (isinstance(value, LayerAttribute) and value.layer is layer and value.name == parameter):
            raise Unreadable(node, f"F.{function}() is given its {parameter} from something other than "
                                   f"self.{parameter} of the layer: only the layer's own call is read")
    return _applied(it, layer, function, tensor, node)


def _applied(it: Interpreter, layer: Layer, function: str, tensor: Any, node: ast.AST) -> Any:
    """The layer applied to a tensor inside its own forward. torch reports the module's output (what that
    forward returns) under the module's name, so the layer's step is named apart: `norm.layer_norm`."""
    saved = layer.name
    layer.name = f"{saved}.{function}" if saved else function
    try:
        return it.apply_layer(layer, [tensor], node)
    finally:
        layer.name = saved


class BaseForward:
    """`super().forward` inside a layer subclass's own forward: the layer torch made, applied."""

    def __init__(self, layer: Layer):
        self.layer = layer

    def __call__(self, it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> Any:
        if len(args) != 1 or kwargs or not is_tensor(args[0]):
            raise Unreadable(node, "super().forward() of a layer is read with the one tensor it applies to")
        return _applied(it, self.layer, "forward", args[0], node)


def base_forward(it: Interpreter, instance: Any) -> BaseForward | None:
    """`super().forward` for the object a layer subclass's own forward runs on (None: another object)."""
    layer = it.cache.get("own forward of", {}).get(id(instance))
    return BaseForward(layer) if layer is not None else None


def refuse_layer_attribute(*values: Any, node: ast.AST) -> None:
    """An error naming the layer's own attribute, when one of `values` is one (used where it is not read)."""
    for value in values:
        if isinstance(value, LayerAttribute):
            raise Unreadable(node, f"self.{value.name} of the nn.{value.layer.class_name} this class derives from is "
                                   "read only as an argument of the layer's own functional form (F.layer_norm(x, "
                                   "self.normalized_shape, self.weight, ...)); write the forward with the layer's call")
