"""Calling the class or function a user selects (`PATH.py::NAME(ARGS)`): its arguments come from ARGS,
its defaults, `--set NAME.ATTRIBUTE=VALUE` (an object of attributes for a parameter such as `args`), or,
for a function's parameters that have none of these, the model's input (a network function that takes
its input tensor, `def vgg_16(inputs, num_classes=1000)`; `features["x"]` of a dict parameter is the
input named x). A constructor parameter without a value is an error that names it and the fix.
"""

from __future__ import annotations

import ast
from typing import Any

from .given import Selection
from .graph import Graph, Tensor
from .script_options import Namespace
from .source import Unreadable
from .values import Function

#: The interpreter (planner/model_code/evaluate.py); not imported here, so the modules import one way only.
Interpreter = Any


def _parameters(definition: ast.FunctionDef, skip: int) -> tuple[list[ast.arg], list[ast.arg]]:
    """(positional parameters, keyword-only parameters) without a default, the first `skip` left out."""
    arguments = definition.args
    positional = arguments.posonlyargs + arguments.args
    required = positional[:len(positional) - len(arguments.defaults)][skip:]
    keyword_only = [a for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is None]
    return required, keyword_only


def missing_parameters(definition: ast.FunctionDef, selection: Selection, skip: int = 0) -> list[ast.arg]:
    """The parameters without a default that the selection does not give.

    >>> f = ast.parse("def f(a, b, c=1, *, d): pass").body[0]
    >>> [p.arg for p in missing_parameters(f, Selection("f", (1,), {"d": 2}, True))]
    ['b']
    """
    required, keyword_only = _parameters(definition, skip)
    positional = definition.args.posonlyargs + definition.args.args
    given = len(selection.args) + skip
    missing = [p for p in required if positional.index(p) >= given and p.arg not in selection.kwargs]
    return missing + [p for p in keyword_only if p.arg not in selection.kwargs]


def _attribute_objects(it: Interpreter, missing: list[ast.arg]) -> dict[str, Namespace]:
    """The parameters that `--set NAME.ATTRIBUTE=VALUE` gives as an object of attributes."""
    found = {}
    for parameter in missing:
        prefix = f"{parameter.arg}."
        attributes = {name[len(prefix):]: value for name, value in it.given_attributes.items()
                      if name.startswith(prefix) and "." not in name[len(prefix):]}
        if attributes:
            found[parameter.arg] = Namespace(attributes, parameter, given=True)
    return found


def check_constructor_arguments(it: Interpreter, init: ast.FunctionDef, selection: Selection,
                                filename: str) -> dict[str, Any]:
    """The values of the selected class's constructor parameters that only `--set` gives (an object of
    attributes); a parameter without a default that nothing gives is an error naming it and the fix."""
    missing = missing_parameters(init, selection, skip=1)
    objects = _attribute_objects(it, missing)
    for parameter in missing:
        if parameter.arg not in objects:
            fixed = Selection(selection.name, selection.args, {**selection.kwargs, parameter.arg: ...}, True)
            raise Unreadable(parameter, f"{selection.name}() needs its argument '{parameter.arg}' (it has no "
                                        f"default): give it after the name, {filename}::"
                                        f"{fixed.written.replace('Ellipsis', '...')}")
    return objects


def call_selected_function(it: Interpreter, function: Function, selection: Selection, filename: str) -> Any:
    """Call the selected function with the given arguments; each parameter that nothing gives is an input
    of the model (its shape from -i or the code), or an object of `--set NAME.ATTRIBUTE=VALUE` values."""
    it.graph = Graph()
    missing = missing_parameters(function.node, selection)
    kwargs = dict(selection.kwargs)
    kwargs.update(_attribute_objects(it, missing))
    inputs = []
    for parameter in missing:
        if parameter.arg not in kwargs:
            tensor = it.graph.add_input(parameter.arg, None, parameter)
            it.parameter_inputs[tensor.name] = {}
            kwargs[parameter.arg] = tensor
            inputs.append(parameter.arg)
    try:
        return it.invoke(function, list(selection.args), kwargs, function.node)
    except Unreadable as error:
        used = [n for n in inputs if _reads_name(error.node, n)]
        if not used:
            raise
        raise Unreadable(error.node, f"{error.message} ({function.node.name}() takes '{used[0]}' as the model's "
                                     f"input; if it is a value, give it: {filename}::{function.node.name}"
                                     f"({used[0]}=...))", error.kind) from None


def _reads_name(node: ast.AST | None, name: str) -> bool:
    """Whether an expression reads a name (the parameter taken as the input is then a cause of its failure)."""
    return node is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def feature_input(it: Interpreter, tensor: Tensor, key: Any, node: ast.AST) -> Tensor | None:
    """`features["x"]` where `features` is a parameter taken as the input: the input named x (one per key);
    None when the tensor is no such parameter or the key is not a string."""
    keys = it.parameter_inputs.get(tensor.name)
    if keys is None or not isinstance(key, str):
        return None
    if key not in keys:
        keys[key] = it.graph.add_input(key, None, node)
    return keys[key]
