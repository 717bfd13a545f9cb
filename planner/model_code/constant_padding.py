"""torch's `nn.ConstantPad1d/2d/3d(padding, value)`, read as the padding kind it is exactly.

The spec's padding kinds add zeros, so only `value=0` is one of them: amounts that are all positive (or zero)
are `zero_padding`, amounts that are all negative (or zero) remove cells and are `cropping` (torch pads by a
negative amount by cutting). Another value, or amounts of both signs, have no exact kind and are refused: a
padding that adds other numbers than zeros would be exported as zeros.
"""

from __future__ import annotations

import ast
from typing import Any

from .layers import Layer
from .source import Unreadable
from .values import Scope

#: The interpreter (planner/model_code/evaluate.py); not imported here, so the modules import one way only.
Interpreter = Any

#: torch class -> its number of spatial axes
CONSTANT_PADS = {"ConstantPad1d": 1, "ConstantPad2d": 2, "ConstantPad3d": 3}


def constant_pad_layer(it: Interpreter, class_name: str, call: ast.Call, scope: Scope) -> Layer:
    """The zero_padding or cropping layer a ConstantPad{n}d call is.

    >>> constant_pad_entry(2, (0, 1, 2, 3), 0, None)
    {'type': 'zero_padding2d', 'padding': [[2, 3], [0, 1]]}
    >>> constant_pad_entry(2, (-1, 0, -1, 0), 0, None)
    {'type': 'cropping2d', 'cropping': [[1, 0], [1, 0]]}
    """
    arguments = dict(zip(("padding", "value"), call.args))
    arguments.update({k.arg: k.value for k in call.keywords if k.arg in ("padding", "value")})
    if len(call.args) > 2 or any(k.arg not in ("padding", "value") for k in call.keywords) \
            or "padding" not in arguments or "value" not in arguments:
        raise Unreadable(call, f"nn.{class_name} takes (padding, value)")
    padding = it._option(arguments["padding"], scope)
    value = it._option(arguments["value"], scope)
    entry = constant_pad_entry(CONSTANT_PADS[class_name], padding, value, call)
    option = "padding" if "padding" in entry else "cropping"
    return Layer(entry, call, {option: arguments["padding"]}, class_name=class_name)


def constant_pad_entry(dims: int, padding: object, value: object, node: ast.AST | None) -> dict:
    """The spec entry of a constant padding of `dims` spatial axes (torch's last-axis-first amounts)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Unreadable(node, "the value of a constant padding must be a number")
    if value != 0:
        raise Unreadable(node, f"a constant padding with the value {value!r} has no spec kind (the padding kinds add "
                               "zeros, and an export would pad with zeros); write this step as a spec layer")
    if isinstance(padding, int) and not isinstance(padding, bool):
        padding = (padding,) * (2 * dims)
    if not isinstance(padding, (list, tuple)) or len(padding) != 2 * dims \
            or not all(isinstance(a, int) and not isinstance(a, bool) for a in padding):
        raise Unreadable(node, f"the padding of a {dims}-D constant padding is one int or {2 * dims} ints "
                               "(last axis first)")
    pairs = [list(padding[i:i + 2]) for i in range(0, len(padding), 2)][::-1]  # spatial-axis order
    if all(a >= 0 for a in padding):
        return {"type": f"zero_padding{dims}d", "padding": pairs}
    if all(a <= 0 for a in padding):
        return {"type": f"cropping{dims}d", "cropping": [[-a for a in pair] for pair in pairs]}
    raise Unreadable(node, "a constant padding that adds cells on some sides and removes them on others has no "
                           "spec kind; write it as a padding and a cropping")
