"""Framework helper functions whose result is plain Python the reader computes as the framework does
(without the framework): the value a call gives, from its arguments, by a rule of that function.

keras' `activations.get(identifier)` gives the activation function an identifier names; the reader
holds an activation as its name (what a layer's `activation=` takes), so a function the framework
spells with two names (`swish` is `silu`) is one name here, and two identifiers compare equal exactly
when keras' functions are the same object.

>>> activation_identifier(None, ["swish"], {}, None), activation_identifier(None, [None], {}, None)
('silu', 'linear')
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from .source import Unreadable
from .values import Qualified

#: keras 3's activation functions by the names `activations.get` takes (keras/src/activations): the aliases
#: name the function they stand for
KERAS_ACTIVATIONS = {name: name for name in (
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_tanh", "leaky_relu",
    "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "soft_shrink",
    "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh",
    "tanh_shrink", "threshold")}
KERAS_ACTIVATIONS.update({"swish": "silu", "hard_swish": "hard_silu"})


def activation_identifier(it: Any, args: list, kwargs: dict, node: ast.AST | None) -> Any:
    """`keras.activations.get(identifier)`: None is `linear`, a name is the function it names, a keras
    activation function (`activations.relu`) is itself; any other callable of the code is itself."""
    identifier = args[0] if args else kwargs.get("identifier")
    if identifier is None:
        return "linear"
    if isinstance(identifier, Qualified) and identifier.name.startswith("keras.activations."):
        identifier = identifier.name.rpartition(".")[2]
    if isinstance(identifier, str):
        if identifier not in KERAS_ACTIVATIONS:
            raise Unreadable(node, f"keras has no activation named {identifier!r} (activations.get raises)")
        return KERAS_ACTIVATIONS[identifier]
    if isinstance(identifier, (dict, int, float, tuple, list)):
        raise Unreadable(node, "activations.get() of this value is not read; give the activation's name")
    return identifier


#: qualified name -> its rule (it, args, kwargs, node) -> value
LIBRARY_FUNCTIONS: dict[str, Callable[[Any, list, dict, ast.AST | None], Any]] = {
    "keras.activations.get": activation_identifier,
}
