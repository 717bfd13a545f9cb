"""Classes of the files that derive from torch's containers (nn.Sequential, nn.ModuleDict, nn.ModuleList).

Such an object is a model object whose contents are its registered modules, in the order torch
registers them: the modules given to `super().__init__(...)` (named 0, 1, ... or by the keys of a
dict), then each module assigned as an attribute (`self.conv = nn.Conv2d(...)`), added with
`add_module(NAME, m)` or with `append` / `extend`. Attributes that are not modules (`self.out_channels
= 64`) are not contents. An nn.Sequential subclass without a forward of its own applies its contents in
order, as nn.Sequential.forward does; iterating the object, `len()`, indexing and `items()` / `keys()`
/ `values()` read its contents as the container's own methods do.
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from typing import Any

from .layers import Layer
from .source import Unreadable
from .values import Instance, Model, ModuleList, Sequential, Unknown

Interpreter = Any

#: torch's container classes (canonical dotted names) -> what a subclass's contents are read as
CONTAINER_BASES = {
    "torch.nn.Sequential": "sequential", "torch.nn.modules.container.Sequential": "sequential",
    "torch.nn.ModuleDict": "dict", "torch.nn.modules.container.ModuleDict": "dict",
    "torch.nn.ModuleList": "list", "torch.nn.modules.container.ModuleList": "list",
}
#: the container methods read on such an object (add_module is every nn.Module's)
CONTAINER_METHODS = frozenset({"__init__", "add_module", "append", "extend", "items", "keys", "values"})
#: the containers' other methods: named as not read when called
OTHER_METHODS = frozenset({"insert", "pop", "update", "clear", "__getitem__", "__setitem__", "__delitem__",
                           "__len__", "__iter__", "forward"})
_MODULES = (Layer, Sequential, ModuleList, Instance, Model)


class ContainerMethod:
    """A container method of a model object (`super().__init__`, `self.add_module`, `self.items`), not
    called yet."""

    def __init__(self, instance: Instance, name: str):
        self.instance, self.name = instance, name


def container_kind(it: Interpreter, instance: Any) -> str | None:
    """'sequential', 'dict' or 'list' for an object of a class of the files that derives from a torch
    container; None otherwise.

    >>> container_kind(None, 3) is None
    True
    """
    if not isinstance(instance, Instance) or instance.plain:
        return None
    kinds = {CONTAINER_BASES[base] for base in it.library_bases(instance.cls) if base in CONTAINER_BASES}
    return kinds.pop() if len(kinds) == 1 else None


def is_module(value: Any) -> bool:
    """Whether an attribute value is a module torch registers (a layer, a container, a model object)."""
    return isinstance(value, _MODULES) and not (isinstance(value, Instance) and value.plain)


def contents(it: Interpreter, instance: Instance, node: ast.AST) -> list[tuple[str, Any]]:
    """The registered modules of a model object, in order, with their names. An attribute the reader could
    not compute may be a module: it fails here, where the contents are read."""
    found = []
    for name, value in instance.attributes.items():
        it._step(node)
        if isinstance(value, Unknown) and value.network:
            value.fail(node)
        if is_module(value):
            found.append((name, value))
    return found


def call_container_method(it: Interpreter, method: ContainerMethod, args: list, kwargs: dict, node: ast.AST) -> Any:
    """A container method called on a model object."""
    instance, name = method.instance, method.name
    kind = container_kind(it, instance)
    if name == "add_module":
        if len(args) + len(kwargs) != 2 or not isinstance(args[0] if args else kwargs.get("name"), str):
            raise Unreadable(node, "add_module() takes a name and a module")
        key = args[0] if args else kwargs["name"]
        it.set_attribute(instance, key, args[1] if len(args) > 1 else kwargs["module"], node)
        return None
    if name == "__init__":
        _initial_contents(it, instance, kind, args, kwargs, node)
        return None
    if kind is None:
        raise Unreadable(node, f".{name}() of {instance.cls.name} is not read")
    if name in ("append", "extend") and kind in ("list", "sequential"):
        added = [args[0]] if name == "append" else it.iterate(args[0], node)
        for value in added:
            _add(it, instance, str(len(contents(it, instance, node))), value, node)
        return instance if name == "append" else None
    if name in ("items", "keys", "values") and kind == "dict":
        pairs = contents(it, instance, node)
        picked = {"items": pairs, "keys": [k for k, _ in pairs], "values": [v for _, v in pairs]}[name]
        return it.built(list(picked), node)
    raise Unreadable(node, f".{name}() of {instance.cls.name} (an nn.{_CLASS_NAMES[kind]} subclass) is not read")


_CLASS_NAMES = {"sequential": "Sequential", "dict": "ModuleDict", "list": "ModuleList"}


def _initial_contents(it: Interpreter, instance: Instance, kind: str, args: list, kwargs: dict,
                      node: ast.AST) -> None:
    """`super().__init__(...)` of a container subclass: the modules it registers."""
    if kwargs:
        raise Unreadable(node, f"nn.{_CLASS_NAMES[kind]}.__init__() takes no keyword arguments here")
    if kind == "sequential":
        if len(args) == 1 and isinstance(args[0], (OrderedDict, dict)):
            pairs = list(args[0].items())
        else:
            pairs = [(str(index), value) for index, value in enumerate(args)]
    else:
        if len(args) > 1:
            raise Unreadable(node, f"nn.{_CLASS_NAMES[kind]}.__init__() takes one argument")
        given = args[0] if args and args[0] is not None else []
        if kind == "dict":
            pairs = list(given.items()) if isinstance(given, dict) else [tuple(p) for p in it.iterate(given, node)]
        else:
            pairs = [(str(index), value) for index, value in enumerate(it.iterate(given, node))]
    for key, value in pairs:
        _add(it, instance, key, value, node)


def _add(it: Interpreter, instance: Instance, key: Any, value: Any, node: ast.AST) -> None:
    if not isinstance(key, str):
        raise Unreadable(node, "a module's name in a container is a string")
    if isinstance(value, Unknown):
        value.fail(node)
    if not is_module(value):
        raise Unreadable(node, f"'{key}' of {instance.cls.name} is not a module the reader followed")
    it.set_attribute(instance, key, value, node)


def as_sequential(it: Interpreter, instance: Instance, node: ast.AST) -> Sequential | None:
    """An nn.Sequential subclass without a forward of its own, as the Sequential its contents make (what its
    inherited forward applies); None for any other object."""
    if container_kind(it, instance) != "sequential" or it.method_of(instance.cls, "forward") is not None:
        return None
    return Sequential(contents(it, instance, node), node)


def iterated(it: Interpreter, instance: Instance, node: ast.AST) -> list | None:
    """What looping over a container object gives (its modules; a ModuleDict's names); None when the
    object is no container."""
    kind = container_kind(it, instance)
    if kind is None:
        return None
    pairs = contents(it, instance, node)
    return [key for key, _ in pairs] if kind == "dict" else [value for _, value in pairs]


def item(it: Interpreter, instance: Instance, index: Any, node: ast.AST) -> Any:
    """`container[index]`: a module by position (a Sequential / ModuleList) or by name (a ModuleDict)."""
    kind = container_kind(it, instance)
    pairs = contents(it, instance, node)
    if kind == "dict":
        found = dict(pairs)
        if index not in found:
            raise Unreadable(node, f"{instance.cls.name} has no module named {index!r}")
        return found[index]
    if isinstance(index, slice):
        raise Unreadable(node, f"a slice of {instance.cls.name} is not read")
    try:
        return pairs[index][1]
    except (IndexError, TypeError):
        raise Unreadable(node, f"this index is outside {instance.cls.name}") from None
