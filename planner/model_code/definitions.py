"""What the definitions of the files read evaluate to: classes (their bases, class-level values,
classmethods and staticmethods, `super()`), decorators, and imports of modules of the same tree.

Classes: a class's members are looked up in the class, then in its bases of the files read, depth
first (single inheritance and mixins as Python orders them for the usual cases). Class-level values
are the class body's, read once when first used; a member of an `enum.Enum` subclass is an enum
member (enum_members.py), an object with the value written.

Decorators, by rule: a decorator of the table of known decorators that return what they decorate
(whatever their arguments) keeps the function or class; a decorator that is a function of the files
is followed (called with the function); any other makes the name an Unknown value, which fails only
where the model uses it.
"""

from __future__ import annotations

import ast
from typing import Any

from .imported_files import MAX_FILES, LazyName, ModuleFile, home, public_imports, public_names
from .container_classes import ContainerMethod, container_kind
from .enum_members import enum_member
from .layer_forwards import base_forward
from .source import Unreadable
from .values import Class, Function, ModuleValue, Qualified, Scope, Super, Unknown
from .tf_slim import arg_scoped
from .named_tuples import NAMEDTUPLE, is_namedtuple_call, literal_fields, set_fields

Interpreter = Any

#: Decorators (canonical dotted names) that return the function or class they decorate, unchanged for
#: what the reader computes, whatever their arguments: registries, gradient modes, API markers.
#: `handle_legacy_interface` only maps the legacy `pretrained=` keyword onto `weights=`; a call that
#: passes `pretrained=` reaches the model's constructor, which refuses it.
IDENTITY_DECORATORS = frozenset({
    "torch.no_grad", "torch.enable_grad", "torch.inference_mode", "torch.jit.ignore", "torch.jit.unused",
    "functools.wraps", "typing.final", "typing.overload", "typing.no_type_check",
    "torchvision.models._api.register_model", "torchvision.models._utils.handle_legacy_interface",
    "keras.api_export.keras_export", "keras.saving.register_keras_serializable",
    "keras.utils.register_keras_serializable", "keras.saving.object_registration.register_keras_serializable",
})
#: Decorators whose result the reader models: the method kinds
_METHOD_KINDS = {"builtins.classmethod": "classmethod", "builtins.staticmethod": "staticmethod",
                 "builtins.property": "property", "abc.abstractmethod": None,
                 "functools.cached_property": "property"}
#: the library bases of a layer or model class whose `__init__` makes no layer (super().__init__() of them is
#: nothing to follow)
EMPTY_BASES = frozenset({"torch.nn.Module", "keras.Model", "keras.models.Model", "keras.layers.Layer", "keras.Layer",
                         "builtins.object", "enum.Enum", "abc.ABC"})


def decorator_name(it: Interpreter, node: ast.AST) -> str | None:
    """The dotted name a decorator expression stands for (`@register_model()` -> its function's name):
    a library name, or a function of the files as `MODULE.NAME` of its package."""
    target = node.func if isinstance(node, ast.Call) else node
    qualified = it.imports.qualified(target)
    if qualified is None and isinstance(target, ast.Name):
        qualified = f"builtins.{target.id}" if target.id in ("classmethod", "staticmethod", "property") else None
        try:
            bound = it.module.get(target.id)
        except KeyError:
            bound = None
        if isinstance(bound, LazyName):
            return _dotted(bound.module, bound.name)
        if isinstance(bound, Function):
            return _dotted(home(bound.node, it.files.main), target.id)
    return qualified


def _dotted(module: ModuleFile, name: str) -> str:
    return f"{module.dotted}.{name}" if module.dotted else name


def method_kind(it: Interpreter, definition: ast.FunctionDef) -> str | None:
    """classmethod, staticmethod, property or None (a plain method) for a function in a class body."""
    for decorator in definition.decorator_list:
        name = decorator_name(it, decorator)
        if name in _METHOD_KINDS and _METHOD_KINDS[name]:
            return _METHOD_KINDS[name]
    return None


def decorated(it: Interpreter, definition: ast.FunctionDef | ast.ClassDef, value: Any, scope: Scope) -> Any:
    """The value a decorated definition binds its name to (the decorators applied innermost first)."""
    for decorator in reversed(definition.decorator_list):
        it._step(decorator)
        name = decorator_name(it, decorator)
        if name in IDENTITY_DECORATORS or name in _METHOD_KINDS:
            continue  # method kinds are read where the class is (method_kind)
        if name == "tf_slim.add_arg_scope":  # tf-slim: the function, called with its arg scopes' defaults
            value = arg_scoped(value, decorator)
            continue
        if name == "dataclasses.dataclass" and isinstance(definition, ast.ClassDef):
            it.cache.setdefault("dataclasses", {})[id(definition)] = True  # its __init__ is made from its fields
            continue
        try:
            applied = it.value(decorator, scope)
            if isinstance(applied, (Function, Class)):
                value = it.apply(applied, [value], {}, decorator, scope)
                continue
            raise Unreadable(decorator, f"the decorator @{ast.unparse(decorator)[:60]} is not one the reader can "
                                        "follow (it may replace what it decorates)")
        except Unreadable as error:
            return Unknown(error, definition, kind=error.kind)
    return value


# ------------------------------------------------------------------------------------------------ imports


def bind_import(it: Interpreter, node: ast.Import | ast.ImportFrom, scope: Scope) -> None:
    """An import statement: names of modules of the tree are bound to what those modules hold (read when
    first used); a library's names stay what source.Imports makes them (opaque, by their dotted name)."""
    module = it.current
    if isinstance(node, ast.Import):
        for alias in node.names:
            path = it.files.resolve(module, alias.name, 0)
            if path is not None and alias.asname:
                scope.names[alias.asname] = ModuleValue(str(path))
                it.imports.names.pop(alias.asname, None)
        return
    path = it.files.resolve(module, node.module, node.level)
    if path is None:
        return
    target = it.files.load(path, node)
    for alias in node.names:
        local = alias.asname or alias.name
        if alias.name == "*":
            read_module(it, target, node)
            for name in public_names(target):
                scope.names[name] = target.scope.names[name]
            for name, dotted in public_imports(target).items():  # its library imports: `nn`, `F`...
                if name not in scope.names:
                    it.imports.names.setdefault(name, dotted)
            continue
        it.imports.names.pop(local, None)
        submodule = it.files.submodule(target, alias.name)
        if submodule is not None:
            scope.names[local] = ModuleValue(str(submodule))
        else:
            scope.names[local] = LazyName(target, alias.name, node)


def read_module(it: Interpreter, module: ModuleFile, node: ast.AST) -> None:
    """Read a module's body once (statements it cannot follow make Unknown values, as at module level)."""
    if module.state != "new":
        return  # read, or being read (an import cycle: the names it has so far)
    module.state = "reading"
    module.classes = {n.name: n for n in module.tree.body if isinstance(n, ast.ClassDef)}
    with it.inside(module):
        it.run(module.tree.body, module.scope, strict=False)
    module.state = "read"


def resolve(it: Interpreter, value: Any, node: ast.AST) -> Any:
    """A LazyName's value: its module read, the name looked up there (a submodule, if it is one)."""
    seen = 0
    while isinstance(value, LazyName):
        seen += 1
        if seen > 2 * MAX_FILES:
            raise Unreadable(node, "these imports name each other in a cycle")
        read_module(it, value.module, value.node)
        if value.name in value.module.scope.names:
            value = value.module.scope.names[value.name]
        elif value.name in value.module.classes:
            value = Class(value.module.classes[value.name])
        else:
            raise Unreadable(value.node, f"{value.module.label} has no name '{value.name}' the reader can see")
    return value


def module_attribute(it: Interpreter, module: ModuleValue, name: str, node: ast.AST) -> Any:
    """`resnet.ResNet` where `resnet` is a module of the tree."""
    from pathlib import Path

    loaded = it.files.load(Path(module.path), node)
    return resolve(it, LazyName(loaded, name, node), node)


# ------------------------------------------------------------------------------------------------ classes


def base_classes(it: Interpreter, cls: ast.ClassDef) -> list[ast.ClassDef | str]:
    """The bases of a class: classes of the files (their definitions) or library classes (dotted names)."""
    cache = it.cache.setdefault("bases", {})
    if id(cls) in cache:
        return cache[id(cls)]
    module = home(cls, it.files.main)
    found: list[ast.ClassDef | str] = []
    for base in cls.bases:
        it._step(base)
        resolved = None
        if isinstance(base, ast.Name):
            if base.id in module.classes and module.classes[base.id] is not cls:
                resolved = module.classes[base.id]
            else:
                bound = module.scope.names.get(base.id)
                try:
                    with it.inside(module):
                        bound = resolve(it, bound, base)
                except Unreadable:
                    bound = None
                if isinstance(bound, Class) and bound.node is not cls:
                    resolved = bound.node
        if resolved is None and is_namedtuple_call(module, base):
            resolved = NAMEDTUPLE
        if resolved is None:
            qualified = module.imports.qualified(base)
            resolved = qualified if qualified is not None else f"?{ast.unparse(base)}"
        found.append(resolved)
    cache[id(cls)] = found
    return found


#: The most classes of the files one class may derive from, directly or through others.
MAX_BASE_CLASSES = 64


def class_order(it: Interpreter, cls: ast.ClassDef) -> list[ast.ClassDef]:
    """The class and its bases of the files, in lookup order (depth first, each once)."""
    order: list[ast.ClassDef] = []
    stack = [cls]
    while stack:
        current = stack.pop()
        if any(current is seen for seen in order):
            continue
        order.append(current)
        if len(order) > MAX_BASE_CLASSES:
            raise Unreadable(cls, f"this class has more than {MAX_BASE_CLASSES} classes among its bases, over the "
                                  "reader's limit")
        stack.extend(reversed([b for b in base_classes(it, current) if isinstance(b, ast.ClassDef)]))
    return order


def library_bases(it: Interpreter, cls: ast.ClassDef) -> list[str]:
    """The library classes a class of the files derives from (through its bases of the files)."""
    return [base for current in class_order(it, cls) for base in base_classes(it, current) if isinstance(base, str)]


def derives_from(it: Interpreter, cls: ast.ClassDef, other: ast.ClassDef) -> bool:
    return any(current is other for current in class_order(it, cls))


def find_method(it: Interpreter, cls: ast.ClassDef, name: str, after: ast.ClassDef | None = None) \
        -> tuple[ast.FunctionDef, ast.ClassDef] | None:
    """A method of a class or of its bases of the files (with the class that defines it); `after`: only the
    classes after that one in lookup order (what `super()` sees)."""
    order = class_order(it, cls)
    if after is not None:
        index = next((i for i, c in enumerate(order) if c is after), None)
        order = order[index + 1:] if index is not None else []
    for current in order:
        it._step(current)
        for item in reversed(current.body):  # a name defined twice in a class body is its last definition
            if isinstance(item, ast.FunctionDef) and item.name == name:
                it.cache.setdefault("method class", {})[id(item)] = current
                return item, current
    return None


def class_values(it: Interpreter, cls: ast.ClassDef) -> dict[str, Any]:
    """The class-level values a class body assigns (read once, in the class's module; one that cannot be
    read is an Unknown that fails where it is used)."""
    cache = it.cache.setdefault("class values", {})
    if id(cls) in cache:
        return cache[id(cls)]
    module = home(cls, it.files.main)
    scope = Scope(parent=module.scope)
    cache[id(cls)] = scope.names
    with it.inside(module):
        for item in cls.body:
            it._step(item)
            targets = item.targets if isinstance(item, ast.Assign) else [item.target] \
                if isinstance(item, ast.AnnAssign) and item.value is not None else []
            if not targets:
                continue
            try:
                value = it.value(item.value, scope)
            except Unreadable as error:
                value = Unknown(error, item, kind=error.kind)
            for target in targets:
                if isinstance(target, ast.Name):
                    scope.names[target.id] = value
    return scope.names


def class_member(it: Interpreter, cls: ast.ClassDef, name: str, owner: Any, node: ast.AST) -> Any:
    """`owner.name` found on the class of `owner` (a Class: the class itself; an Instance: its class):
    None when no class of the files defines it."""
    enum = "enum.Enum" in library_bases(it, cls)
    for current in class_order(it, cls):
        for item in reversed(current.body):  # the last definition of the name
            if isinstance(item, ast.FunctionDef) and item.name == name:
                it.cache.setdefault("method class", {})[id(item)] = current
                kind = method_kind(it, item)
                if kind == "classmethod":
                    return Function(item, Class(cls))
                if kind == "staticmethod" or isinstance(owner, Class):
                    return Function(item)
                if kind == "property":
                    return it.invoke(Function(item, owner), [], {}, node)
                return Function(item, owner)
        values = class_values(it, current)
        if name in values:
            if enum and not isinstance(values[name], Function) and isinstance(owner, Class):
                return enum_member(it, current, name, values[name], node)
            return values[name]
    return None


def super_member(it: Interpreter, receiver: Super, name: str, node: ast.AST) -> Any:
    """`super().name`: the method of the next class after the one whose method is running; `__init__` of a
    framework base that makes no layer does nothing; `__setattr__` sets the attribute."""
    instance, defining = receiver.instance, receiver.defining
    if instance is None or defining is None:
        raise Unreadable(node, f"super().{name} outside a method of a class is not read")
    if name == "__init__":
        generated = _next_dataclass(it, instance, defining)
        if generated is not None:
            return DataclassInit(instance, generated)
    found = find_method(it, instance.cls, name, after=defining)
    if found is not None:
        return Function(found[0], instance)
    if name == "__setattr__":
        return SetAttribute(instance)
    if name == "__init__" and container_kind(it, instance) is not None:
        return ContainerMethod(instance, name)
    if name == "__init__" and id(instance) in it.cache.get("subclass layers", {}):
        from .layer_subclasses import LayerInit, layer_base
        return LayerInit(instance, layer_base(it, instance.cls))
    if name == "__init__":
        bases = set(library_bases(it, instance.cls))
        unknown = sorted(b for b in bases if b not in EMPTY_BASES)
        if unknown:
            raise Unreadable(node, f"super().__init__() of {unknown[0].lstrip('?')} is not read (what it makes is "
                                   "not known to the reader)")
        return NOTHING
    if name == "forward" and base_forward(it, instance) is not None:  # in a layer subclass's own forward
        return base_forward(it, instance)
    raise Unreadable(node, f"super().{name}() of a framework class is not read")


class SetAttribute:
    """super().__setattr__ of a model object: sets the attribute as `self.NAME = value` does."""

    def __init__(self, instance):
        self.instance = instance


NOTHING = object()


def plain_class(it: Interpreter, cls: ast.ClassDef) -> bool:
    """Whether a class of the files is a plain Python class (its bases are classes of the files or
    `object`): its objects hold values, as a configuration record does."""
    return all(base in ("builtins.object", NAMEDTUPLE) for base in library_bases(it, cls))


def make_plain(it: Interpreter, cls: ast.ClassDef, args: list, kwargs: dict, node: ast.AST) -> Any:
    """An object of a plain class: its `__init__` run (a dataclass's made from its fields, then its
    `__post_init__`)."""
    from .values import Instance

    instance = Instance(cls, {}, "", node, plain=True)
    if id(cls) in it.cache.get("dataclasses", {}):
        dataclass_init(it, cls, instance, args, kwargs, node)
        return instance
    init = find_method(it, cls, "__init__")
    record = _namedtuple_base(it, cls) if init is None else None
    if record is not None:  # a namedtuple's fields, by position or keyword (named_tuples.py)
        set_fields(it, cls.name, literal_fields(record), instance, args, kwargs, node)
    elif init is not None:
        it.invoke(Function(init[0], instance), args, kwargs, node)
    elif args or kwargs:
        raise Unreadable(node, f"{cls.name}() takes no arguments")
    return instance


def _namedtuple_base(it: Interpreter, cls: ast.ClassDef) -> ast.Call | None:
    """The `collections.namedtuple(...)` call a class of the files derives from, if any."""
    for current in class_order(it, cls):
        module = home(current, it.files.main)
        for base in current.bases:
            if is_namedtuple_call(module, base):
                return base
    return None


class DataclassInit:
    """The `__init__` a `@dataclass` class is given (from its fields), reached through `super().__init__`."""

    def __init__(self, instance, cls: ast.ClassDef):
        self.instance, self.cls = instance, cls

    def __call__(self, it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> None:
        dataclass_init(it, self.cls, self.instance, args, kwargs, node)


def _next_dataclass(it: Interpreter, instance: Any, defining: ast.ClassDef) -> ast.ClassDef | None:
    """The dataclass whose generated `__init__` `super().__init__` reaches from `defining` (None: a class
    with an `__init__` of its own comes first, or no dataclass follows)."""
    order = class_order(it, instance.cls)
    index = next((i for i, c in enumerate(order) if c is defining), None)
    for current in order[index + 1:] if index is not None else []:
        it._step(current)
        if any(isinstance(item, ast.FunctionDef) and item.name == "__init__" for item in current.body):
            return None
        if id(current) in it.cache.get("dataclasses", {}):
            return current
    return None


def dataclass_init(it: Interpreter, cls: ast.ClassDef, instance: Any, args: list, kwargs: dict,
                   node: ast.AST) -> None:
    """A dataclass's generated `__init__`: its fields (of it and its bases) set from the arguments or their
    defaults, then the object's `__post_init__`."""
    kwargs = dict(kwargs)
    fields = [item for current in reversed(class_order(it, cls)) for item in current.body
              if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
              and "ClassVar" not in ast.unparse(item.annotation)]
    if len(args) > len(fields):
        raise Unreadable(node, f"{cls.name}() takes {len(fields)} fields here")
    module = home(cls, it.files.main)
    for index, item in enumerate(fields):
        name = item.target.id
        if index < len(args):
            value = args[index]
        elif name in kwargs:
            value = kwargs.pop(name)
        elif item.value is not None and not isinstance(item.value, ast.Call):
            with it.inside(module):
                value = it.value(item.value, Scope(parent=module.scope))
        else:
            raise Unreadable(node, f"{cls.name}() needs its field '{name}' (or its default is not read)")
        instance.attributes[name] = value
    if kwargs:
        raise Unreadable(node, f"{cls.name}() has no field '{next(iter(kwargs))}'")
    post = find_method(it, instance.cls, "__post_init__")
    if post is not None:
        it.invoke(Function(post[0], instance), [], {}, node)
