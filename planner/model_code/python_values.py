"""Plain Python on the reader's own values: what `if`, `in`, `is`, `isinstance`, a comprehension, a dict
method or `math.floor` compute when every value they touch is one the reader holds.

The rule is the same everywhere: the operation is computed exactly as Python computes it when its
operands are values the reader computed (numbers, strings, tuples, lists, dicts, sets, None, and the
reader's objects: layers, model objects, classes and functions of the files read); anything else is
Unreadable at its node. Every element made or looked at is a step of the Interpreter's budget.

>>> import ast
>>> truth(None, [], ast.parse("x").body[0]), truth(None, {"a": 1}, None)
(False, True)
"""

from __future__ import annotations

import ast
import math
import re
import string
from dataclasses import dataclass
from typing import Any

from .constants import MAX_SEQUENCE, _checked
from .graph import Tensor
from .layers import Layer
from .source import Unreadable
from .comparisons import compare_kinds, python_kind
from .tensor_ops import is_tensor
from .values import (Class, Function, Instance, Method, Model, ModuleList, Qualified, Sequential, Super,
                     Unknown)

#: The interpreter (planner/model_code/evaluate.py); not imported here, so the modules import one way only.
Interpreter = Any

#: builtin types a value may be tested against with isinstance / made with their name
_BUILTIN_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "tuple": tuple,
                  "dict": dict, "set": set, "frozenset": frozenset, "type": type}
#: the abstract collection classes plain values are instances of (collections.abc, typing)
_ABSTRACT_TYPES = {"Sequence": (list, tuple, str, range), "MutableSequence": (list,), "Mapping": (dict,),
                   "MutableMapping": (dict,), "Set": (set, frozenset), "Iterable": (list, tuple, str, range, dict,
                                                                                      set, frozenset),
                   "Collection": (list, tuple, str, range, dict, set, frozenset), "Sized": (list, tuple, str, range,
                                                                                           dict, set, frozenset)}
#: torch layer classes that derive from another layer class (isinstance(nn.ReLU6(), nn.Hardtanh) is True)
_LAYER_BASES = {"ReLU6": ("Hardtanh",)}
#: the framework bases every layer and model object derives from
_MODULE_BASES = ("torch.nn.Module", "torch.nn.modules.module.Module", "keras.layers.Layer", "keras.Layer")
#: torch's container classes, which a class of the files may derive from
_CONTAINER_CLASSES = ("torch.nn.Sequential", "torch.nn.ModuleList", "torch.nn.ModuleDict")
#: a str.format / f-string width or precision of five digits or more (a 10,000-character string)
_WIDE_SPEC = re.compile(r"\d{5,}")


@dataclass
class Partial:
    """functools.partial(function, *args, **keywords): called, the given arguments come first."""

    function: Any
    args: tuple
    keywords: dict
    node: ast.AST


class Given(ast.expr):
    """An argument whose value the reader already computed, written into a call it makes itself (the
    arguments a functools.partial or a `**kwargs` dict hold): evaluating it gives the value."""

    _fields = ()

    def __init__(self, held: Any):
        super().__init__()
        self.held = held


def given(value: Any, where: ast.AST) -> Given:
    """A Given holding `value`, placed at `where` (so a message about it lands on that line)."""
    return ast.copy_location(Given(value), where)


# ---------------------------------------------------------------------------------------------- truth, identity


def truth(it: Interpreter, value: Any, node: ast.AST | None) -> bool:
    """Python's truth of a value the reader holds: containers by their length (a torch Sequential or
    ModuleList too), the reader's objects are true; a tensor's truth depends on its data.

    >>> truth(None, (0,), None), truth(None, 0.0, None), truth(None, Qualified("torch.nn.ReLU"), None)
    (True, False, True)
    """
    if value is None or isinstance(value, (int, float, str, bool, tuple, list, dict, set, frozenset, range)):
        return bool(value)
    if isinstance(value, (Sequential, ModuleList)):
        return bool(value.children)
    if isinstance(value, (Layer, Instance, Model, Class, Function, Qualified, Partial, Method)):
        return True
    if isinstance(value, Tensor):
        raise Unreadable(node, "a test of a tensor's values depends on its data, which the reader never has; make "
                               "the condition a constant or write the model as a spec")
    raise Unreadable(node, "a test on a value the reader cannot compute")


_OBJECTS = (Layer, Instance, Model, Sequential, ModuleList, Class, Function, Qualified, Partial, Tensor)


def compare(it: Interpreter, op: ast.cmpop, left: Any, right: Any, node: ast.AST) -> bool | None:
    """`is`, `==` and `in` where an operand is not plain data: None (not handled here) when both are
    plain data. `x is None` is identity; the reader's objects are equal when they are the same object
    (a layer, a model object), or name the same class or function."""
    if isinstance(op, (ast.Is, ast.IsNot)):
        if not (_plain(left) and _plain(right)) or left is None or right is None or isinstance(left, bool) \
                or isinstance(right, bool):
            same = _same(left, right)
            return same if isinstance(op, ast.Is) else not same
        return None
    if isinstance(op, (ast.Eq, ast.NotEq)) and (isinstance(left, _OBJECTS) or isinstance(right, _OBJECTS)):
        same = _same(left, right)
        return same if isinstance(op, ast.Eq) else not same
    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (set, frozenset, dict, list, tuple, str)):
        it._step(node, len(right) if isinstance(right, (list, tuple)) else 1)
        if isinstance(right, str) and not isinstance(left, str):
            raise Unreadable(node, "`in` a string needs a string")
        try:
            found = any(_same(left, item) if isinstance(left, _OBJECTS) else _equal(left, item) for item in right) \
                if isinstance(right, (list, tuple)) else left in right
        except TypeError as exc:  # an unhashable key
            raise Unreadable(node, f"this membership test fails: {exc}") from None
        return found if isinstance(op, ast.In) else not found
    if it.is_constant(left, node) and it.is_constant(right, node):
        return None
    if is_tensor(left) or is_tensor(right):
        raise Unreadable(node, "a comparison of a tensor's values is data-dependent: the reader cannot compute it "
                               "without running the model; make the condition a constant or write the model as a spec")
    for operand in (left, right):
        if isinstance(operand, Unknown):  # its message names it and the line that made it
            operand.fail(node)
    by_kind = compare_kinds(op, left, right, node)  # a list against a number... (comparisons.py)
    if by_kind is not None:
        return by_kind
    unread = left if python_kind(left) is None else right
    made = getattr(getattr(unread, "node", None), "lineno", None)
    raise Unreadable(node, f"a comparison of values the reader cannot compute: {_described(unread)}"
                           + (f" (made at line {made})" if made is not None else ""))


def _plain(value: Any) -> bool:
    if value is None or isinstance(value, (int, float, str, bool)):
        return True
    if isinstance(value, (tuple, list)):
        return all(_plain(v) for v in value)
    return False


def _equal(left: Any, item: Any) -> bool:
    return not isinstance(item, _OBJECTS) and left == item


def _same(left: Any, right: Any) -> bool:
    """Identity of the reader's values: None and booleans are themselves, classes and functions are the
    same when they are the same definition or imported name, anything else when it is the same object."""
    if isinstance(left, (Class, Qualified)) or isinstance(right, (Class, Qualified)):
        return type(left) is type(right) and left == right
    if isinstance(left, Function) and isinstance(right, Function):
        return left.node is right.node and left.owner is right.owner
    if isinstance(left, Tensor) and isinstance(right, Tensor):
        return left.name == right.name
    return left is right


# ---------------------------------------------------------------------------------------------- literals


def build_set(it: Interpreter, items: list, node: ast.AST) -> set:
    """A set of plain values (numbers, strings, None, tuples of them)."""
    it._step(node, len(items))
    try:
        return set(items)
    except TypeError as exc:
        raise Unreadable(node, f"this set holds a value that cannot be in a set: {exc}") from None


def format_value(it: Interpreter, value: Any, spec: str, conversion: int, node: ast.AST) -> str:
    """One `{value!r:spec}` of an f-string or str.format: plain data only, within the length limit."""
    if not _plain(value) and not isinstance(value, (set, frozenset, dict)):
        raise Unreadable(node, "an f-string or format() of a value the reader cannot compute")
    if _WIDE_SPEC.search(spec):
        raise Unreadable(node, f"a format wider than the reader's limit of {MAX_SEQUENCE:,} characters")
    if conversion == ord("r"):
        value = repr(value)
    elif conversion == ord("s"):
        value = str(value)
    elif conversion == ord("a"):
        value = ascii(value)
    try:
        text = format(value, spec)
    except (TypeError, ValueError) as exc:
        raise Unreadable(node, f"this format fails: {exc}") from None
    return it.built(text, node)


def str_format(it: Interpreter, template: str, args: list, kwargs: dict, node: ast.AST) -> str:
    """`"{}_{name}".format(...)`: fields by position or name, with their format specs (no attribute or index
    lookups inside a field)."""
    pieces = []
    automatic = 0
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise Unreadable(node, f"this format string is not valid: {exc}") from None
    for literal, field, spec, conversion in parsed:
        pieces.append(literal)
        if field is None:
            continue
        if field == "":
            field, automatic = str(automatic), automatic + 1
        if "{" in (spec or ""):
            raise Unreadable(node, "a nested format field is not read")
        try:
            value = args[int(field)] if field.isdigit() else kwargs[field]
        except (IndexError, KeyError):
            raise Unreadable(node, f"format() has no value for the field {{{field}}}") from None
        pieces.append(format_value(it, value, spec or "", ord(conversion) if conversion else -1, node))
    return it.built("".join(pieces), node)


# ---------------------------------------------------------------------------------------------- builtins


#: builtins computed here (the plain arithmetic ones are in functional.BUILTINS)
PYTHON_BUILTINS = frozenset({"isinstance", "issubclass", "hasattr", "getattr", "setattr", "callable", "any", "all",
                             "sorted", "set", "frozenset", "type", "next", "iter", "map", "filter", "hash"})


def builtin(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Any:
    """A call of a builtin of PYTHON_BUILTINS on values the reader holds."""
    if name == "isinstance":
        _arguments(name, args, 2, node)
        return is_instance(it, args[0], args[1], node)
    if name == "issubclass":
        _arguments(name, args, 2, node)
        return _subclass(it, args[0], args[1], node)
    if name == "callable":
        _arguments(name, args, 1, node)
        return isinstance(args[0], (Function, Class, Qualified, Partial, Method, Layer, Sequential, Instance, Model))
    if name in ("hasattr", "getattr"):
        if len(args) not in (2, 3) or not isinstance(args[1], str) or (name == "hasattr" and len(args) == 3):
            raise Unreadable(node, f"{name}() takes an object and an attribute name here")
        try:
            value = it.attribute_of(args[0], args[1], node)
        except MissingAttribute as missing:
            if name == "hasattr":
                return False
            if len(args) == 3:
                return args[2]
            raise Unreadable(node, f"getattr(): {missing.message}") from None
        return True if name == "hasattr" else value
    if name == "setattr":
        if len(args) != 3 or not isinstance(args[1], str):
            raise Unreadable(node, "setattr() takes an object, an attribute name and a value here")
        it.set_attribute(args[0], args[1], args[2], node)
        return None
    if name in ("any", "all"):
        items = it.iterate(_one(name, args, node), node)
        values = [truth(it, item, node) for item in items]
        return any(values) if name == "any" else all(values)
    if name == "sorted":
        items = it.iterate(_one(name, args, node), node)
        if not all(_plain(v) for v in items) or set(kwargs) - {"reverse"}:
            raise Unreadable(node, "sorted() sorts plain values here (no key=)")
        try:
            return it.built(sorted(items, reverse=bool(kwargs.get("reverse", False))), node)
        except TypeError as exc:
            raise Unreadable(node, f"sorted() fails here: {exc}") from None
    if name in ("set", "frozenset"):
        items = it.iterate(args[0], node) if args else []
        made = build_set(it, items, node)
        return made if name == "set" else frozenset(made)
    if name == "type" and len(args) == 1:
        value = args[0]
        if isinstance(value, Instance):
            return Class(value.cls)
        for type_name, python_type in _BUILTIN_TYPES.items():
            if type(value) is python_type:
                return Qualified(f"builtins.{type_name}")
    if name == "map" and len(args) >= 2 and not kwargs:  # consumed at once, as unpacking or list() consumes it
        sequences = [it.iterate(sequence, node) for sequence in args[1:]]
        mapped = []
        for items in zip(*sequences):
            it._step(node)
            mapped.append(it.apply(args[0], list(items), {}, node, None))
        return it.built(mapped, node)
    if name in ("iter", "map", "filter", "next", "hash", "type"):
        raise Unreadable(node, f"{name}() is not read; write the values out (a list, a comprehension)")
    raise Unreadable(node, f"{name}() is not read")


class MissingAttribute(Unreadable):
    """An attribute an object does not have (getattr's default, hasattr's False)."""


def _one(name: str, args: list, node: ast.AST) -> Any:
    _arguments(name, args, 1, node)
    return args[0]


def _arguments(name: str, args: list, count: int, node: ast.AST) -> None:
    if len(args) != count:
        raise Unreadable(node, f"{name}() takes {count} arguments here")


def is_instance(it: Interpreter, value: Any, classes: Any, node: ast.AST) -> bool:
    """isinstance(value, classes) for the reader's values: plain data against builtin types, model objects
    against the classes of the files (and their bases), layers against their framework class."""
    options = classes if isinstance(classes, tuple) else (classes,)
    for option in options:
        it._step(node)
        abstract = isinstance(option, Qualified) and option.name.rpartition(".")[0] in ("collections.abc", "typing")
        if abstract and option.name.rpartition(".")[2] in _ABSTRACT_TYPES:
            if isinstance(value, _ABSTRACT_TYPES[option.name.rpartition(".")[2]]):
                return True
            if _plain(value) or isinstance(value, (dict, set, frozenset, Layer, Instance, Tensor)):
                continue  # a number, a layer or a model object is no collection
            raise Unreadable(node, f"isinstance() of this value against {option.name} is not read")
        if isinstance(option, Qualified) and option.name.startswith("builtins."):
            python_type = _BUILTIN_TYPES.get(option.name[len("builtins."):])
            if python_type is None:
                raise Unreadable(node, f"isinstance() against {option.name[9:]} is not read")
            if isinstance(value, python_type) and not (python_type is int and isinstance(value, bool) and False):
                return True
            continue
        if isinstance(option, Class):
            if isinstance(value, Instance) and it.derives_from(value.cls, option.node):
                return True
            made_by = it.cache.get("layer classes", {}).get(id(value)) if isinstance(value, Layer) else None
            if made_by is not None and it.derives_from(made_by, option.node):  # a layer subclass's object
                return True
            continue
        if isinstance(option, Qualified):
            if option.name in _MODULE_BASES:
                if isinstance(value, (Layer, Instance, Sequential, ModuleList, Model)):
                    return True
                if _plain(value) or isinstance(value, (dict, set, frozenset, Tensor, Function, Class)):
                    continue
            elif isinstance(value, Layer) and value.class_name is not None:
                wanted = option.name.rpartition(".")[2]
                if wanted == value.class_name or wanted in _LAYER_BASES.get(value.class_name, ()):
                    return True
                from .layers import kind_for
                if kind_for(wanted) is not None:
                    continue  # another layer class of the framework
            elif option.name == "torch.Tensor":
                if is_tensor(value):
                    return True
                if isinstance(value, (list, tuple, dict, set, frozenset, Layer, Instance, Sequential, ModuleList,
                                      Model, Function, Class)) or _plain(value):
                    continue
            elif isinstance(value, Instance) and option.name in _CONTAINER_CLASSES:
                if _library_base(it, value.cls, option.name):
                    return True
                continue
            elif option.name in ("torch.nn.Sequential", "keras.Sequential", "keras.models.Sequential"):
                if isinstance(value, Sequential):
                    return True
                if isinstance(value, (Layer, Instance, ModuleList, Model)) or _plain(value):
                    continue
            elif option.name == "torch.nn.ModuleList":
                if isinstance(value, ModuleList):
                    return True
                if isinstance(value, (Layer, Instance, Sequential, Model)) or _plain(value):
                    continue
            elif _plain(value) or isinstance(value, (dict, set, frozenset)):
                continue  # plain data is no instance of a library class
            elif isinstance(value, Instance) and not _library_base(it, value.cls, option.name):
                continue
            elif isinstance(value, Instance):
                return True
        raise Unreadable(node, f"isinstance() of this value against {_described(option)} is not read")
    return False


def _library_base(it: Interpreter, cls: ast.ClassDef, name: str) -> bool:
    """Whether a class of the files derives from the library class `name`."""
    return any(qualified == name for qualified in it.library_bases(cls))


def _subclass(it: Interpreter, value: Any, classes: Any, node: ast.AST) -> bool:
    options = classes if isinstance(classes, tuple) else (classes,)
    if not isinstance(value, Class):
        raise Unreadable(node, "issubclass() of this value is not read")
    for option in options:
        if isinstance(option, Class) and it.derives_from(value.node, option.node):
            return True
        if isinstance(option, Qualified) and option.name in it.library_bases(value.node):
            return True
        if not isinstance(option, (Class, Qualified)):
            raise Unreadable(node, "issubclass() against this value is not read")
    return False


def _described(value: Any) -> str:
    if isinstance(value, Qualified):
        return value.name
    if isinstance(value, Class):
        return value.node.name
    return type(value).__name__


# ---------------------------------------------------------------------------------------------- methods


#: methods of plain values computed here: (type, method) -> whether it changes the value in place
_PLAIN_METHODS = {
    dict: {"get", "items", "keys", "values", "pop", "update", "setdefault", "copy", "clear"},
    list: {"pop", "index", "count", "copy", "remove", "reverse", "clear"},
    tuple: {"index", "count"},
    set: {"add", "update", "discard", "remove", "copy", "union", "intersection", "difference", "issubset"},
    frozenset: {"union", "intersection", "difference", "issubset", "copy"},
    str: {"format", "join", "split", "rsplit", "replace", "startswith", "endswith", "lower", "upper", "strip",
          "rstrip", "lstrip", "capitalize", "title", "isdigit", "isalpha", "count", "find", "partition",
          "rpartition", "zfill"},
}


def plain_method(it: Interpreter, receiver: Any, name: str, args: list, kwargs: dict, node: ast.AST) -> Any:
    """`receiver.name(...)` on a dict, list, tuple, set or string the reader built; None as the answer is
    Python's None. Unreadable when the method is not one of _PLAIN_METHODS."""
    kind = next((t for t in _PLAIN_METHODS if type(receiver) is t or (t is dict and isinstance(receiver, dict))),
                None)
    if kind is None or name not in _PLAIN_METHODS[kind]:
        raise Unreadable(node, f".{name}() on a {type(receiver).__name__} is not read")
    size = len(receiver) + sum(len(a) for a in args if isinstance(a, (str, list, tuple, dict, set, frozenset)))
    it._step(node, max(size, 1))
    if kind is str:
        if name == "format":
            return str_format(it, receiver, args, kwargs, node)
        if not all(isinstance(a, (str, int)) or a is None for a in args) or kwargs:
            if name != "join":
                raise Unreadable(node, f"str.{name}() with these arguments is not read")
        if name == "join":
            parts = it.iterate(args[0], node) if len(args) == 1 else None
            if parts is None or not all(isinstance(p, str) for p in parts):
                raise Unreadable(node, "str.join() joins strings here")
            return it.built(receiver.join(parts), node)
        if name == "zfill" and args and isinstance(args[0], int) and args[0] > MAX_SEQUENCE:
            raise Unreadable(node, f"a string longer than the reader's limit of {MAX_SEQUENCE:,}")
        if name == "replace" and len(args) >= 2 and len(receiver) * (len(args[1]) + 1) > MAX_SEQUENCE:
            raise Unreadable(node, f"a string longer than the reader's limit of {MAX_SEQUENCE:,}")
    if kind in (dict, set) and name in ("update",):
        added = args[0] if args else {}
        if kind is dict:
            it.grow(receiver, len(added) + len(kwargs), node)
        else:
            added = it.iterate(added, node)
            it.grow(receiver, len(added), node)
    if kind is set and name == "add":
        it.grow(receiver, 1, node)
    if kind is dict and name == "setdefault":
        it.grow(receiver, 1, node)
    if kind is dict and name in ("items", "keys", "values"):
        return it.built(list(getattr(receiver, name)()), node)
    try:
        result = getattr(receiver, name)(*args, **kwargs)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise Unreadable(node, f".{name}() fails here: {exc!r}") from None
    if isinstance(result, (list, tuple, str, dict)):
        return it.built(result, node)
    return _checked(result, node)


# ---------------------------------------------------------------------------------------------- math


_MATH = {"floor": math.floor, "ceil": math.ceil, "sqrt": math.sqrt, "log": math.log, "log2": math.log2,
         "log10": math.log10, "exp": math.exp, "pow": math.pow, "gcd": math.gcd, "trunc": math.trunc,
         "isqrt": math.isqrt, "fabs": math.fabs, "prod": math.prod, "lcm": math.lcm}
MATH_CONSTANTS = {"math.pi": math.pi, "math.e": math.e, "math.inf": math.inf}


def math_function(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Any:
    """math.floor, ceil, sqrt, log2... on numbers the reader computed (results within the number limit)."""
    function = _MATH.get(name)
    if function is None or kwargs:
        raise Unreadable(node, f"math.{name}() is not read")
    if name == "prod":
        args = [it.iterate(args[0], node)] if args else args
        if not all(isinstance(v, (int, float)) for v in args[0]):
            raise Unreadable(node, "math.prod() multiplies numbers here")
    elif not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args):
        raise Unreadable(node, f"math.{name}() of a value the reader cannot compute")
    if name in ("exp", "pow") and any(abs(a) > 1000 for a in args):
        raise Unreadable(node, f"math.{name}() of so large a number is not read")
    try:
        return _checked(function(*args), node)
    except (TypeError, ValueError, OverflowError) as exc:
        raise Unreadable(node, f"math.{name}() fails here: {exc}") from None


# ---------------------------------------------------------------------------------------------- classes


def class_attribute(it: Interpreter, cls: Class, name: str, node: ast.AST) -> Any:
    """`Block.expansion`, `cls.verify`: a class-level value of a class of the files (or of its bases), a
    classmethod bound to the class, a staticmethod or a plain function as written."""
    found = it.class_member(cls, name, node)
    if found is None:
        raise MissingAttribute(node, f"{cls.node.name} has no attribute '{name}' the reader can see")
    return found
