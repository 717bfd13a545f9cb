"""`module.named_children()` and `module.children()` of a module the reader holds: the modules torch
registers directly on it, in the order it registers them, each once (torch skips a module already
listed) — a model object's module attributes (and a container subclass's contents), an nn.Sequential's
children (named `0`, `1`, ... or by its dict's keys), an nn.ModuleList's elements. And
`self.__getattr__(name)` called explicitly on a model object: nn.Module's own `__getattr__`, which finds
only what torch registered (a module); a plain attribute is not found there (torch raises).
"""

from __future__ import annotations

import ast
from typing import Any

from .container_classes import contents, is_module
from .source import Unreadable
from .values import Instance, ModuleList, Sequential, Unknown

Interpreter = Any

#: the methods read here, and whether each gives (name, module) pairs or the modules alone
CHILDREN_METHODS = {"named_children": True, "children": False}


def children(it: Interpreter, module: Any, method: str, node: ast.AST) -> list | None:
    """What `module.<method>()` returns (None: not a module this rule reads).

    >>> class Reader:
    ...     def _step(self, node, count=1): pass
    ...     def built(self, value, node): return value
    >>> children(Reader(), Sequential([(None, "conv"), (None, "relu")], None), "named_children", None)
    [('0', 'conv'), ('1', 'relu')]
    """
    if isinstance(module, Instance) and not module.plain:
        pairs = contents(it, module, node)
    elif isinstance(module, Sequential):
        pairs = [(str(index) if name is None else str(name), child) for index, (name, child)
                 in enumerate(module.children)]
    elif isinstance(module, ModuleList):
        pairs = [(str(index), child) for index, child in enumerate(module.children)]
    else:
        return None
    seen, listed = set(), []
    for name, child in pairs:
        it._step(node)
        if id(child) not in seen:
            seen.add(id(child))
            listed.append((name, child) if CHILDREN_METHODS[method] else child)
    return it.built(listed, node)


class RegisteredModule:
    """`model.__getattr__` of a model object: called with a name, the module registered under it."""

    def __init__(self, instance: Instance):
        self.instance = instance

    def __call__(self, it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> Any:
        if len(args) != 1 or kwargs or not isinstance(args[0], str):
            raise Unreadable(node, "__getattr__() is read with one name the reader computes")
        name = args[0]
        value = self.instance.attributes.get(name)
        if isinstance(value, Unknown):
            value.fail(node)
        if not is_module(value):
            raise Unreadable(node, f"{self.instance.cls.name}.__getattr__({name!r}): nn.Module's __getattr__ finds "
                                   "only the modules torch registered, and there is no module of that name (torch "
                                   "raises AttributeError)")
        return value
