"""Library functions that compute plain values from the reader's values: called when every argument is a
value the reader computed, refused (naming the call) otherwise.

- `numpy.prod(a)`: the product of the numbers of a number, tuple or list (nested ones flattened, as
  numpy does); 1.0 for an empty one. `axis=` and the other options are not read.
- `typing.cast(T, value)`: the value (a cast only informs a type checker).
- `copy.copy(value)`: a shallow copy of a plain value, a container or an object of a plain class;
  `copy.deepcopy(value)`: a copy of a plain value or of containers of plain values, all the way down.
- `numpy.linspace(start, stop, num)`: the `num` evenly spaced numbers (a list), `endpoint=True` as numpy's
  default (stochastic-depth rates are computed so).

Sequences of any values (classes, layers, functions) are repeated and joined as Python does
(`[Block] * 4`, `(a,) + (b,)`): their elements are placed, never computed on.
"""

from __future__ import annotations

import ast
import copy
from typing import Any, Callable

from .constants import MAX_SEQUENCE, _checked
from .source import Unreadable

Interpreter = Any


def numpy_product(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> Any:
    """np.prod of numbers the reader computed.

    >>> class Steps:
    ...     def _step(self, node): pass
    >>> numpy_product(Steps(), [(3, (4, 2))], {}, None), numpy_product(Steps(), [[]], {}, None)
    (24, 1.0)
    """
    if len(args) != 1 or kwargs:
        raise Unreadable(node, "np.prod() is read with one argument (no axis= or other options)")
    numbers, stack = [], [args[0]]
    while stack:
        value = stack.pop()
        it._step(node)
        if isinstance(value, (tuple, list)):
            stack.extend(reversed(value))
        elif isinstance(value, (int, float)):
            numbers.append(value)
        else:
            raise Unreadable(node, "np.prod() of a value the reader cannot compute (it multiplies numbers, "
                                   "tuples and lists of numbers)")
    if not numbers:
        return 1.0
    product = 1.0 if any(isinstance(n, float) for n in numbers) else 1
    for number in numbers:
        product = _checked(product * number, node)
    return product


def typing_cast(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> Any:
    """typing.cast(T, value) is the value.

    >>> typing_cast(None, [int, 7], {}, None)
    7
    """
    if len(args) != 2 or kwargs:
        raise Unreadable(node, "typing.cast() takes a type and a value")
    return args[1]


def repeat_sequence(it: Interpreter, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
    """`sequence * count` (either way round) and `tuple + tuple` whatever the elements are (classes, layers,
    functions: the elements are not computed on, only placed); None for any other operation. The result is
    bounded as every value is (MAX_SEQUENCE elements, a step per element).

    >>> class Steps:
    ...     def built(self, value, node): return value
    >>> repeat_sequence(Steps(), ast.Mult(), [int], 2, None), repeat_sequence(Steps(), ast.Add(), (1,), (str,), None)
    ([<class 'int'>, <class 'int'>], (1, <class 'str'>))
    """
    if isinstance(op, ast.Add) and isinstance(left, tuple) and isinstance(right, tuple):
        return it.built(left + right, node)
    if not isinstance(op, ast.Mult):
        return None
    if isinstance(left, int) and isinstance(right, (list, tuple)):
        left, right = right, left
    if not isinstance(left, (list, tuple)) or not isinstance(right, int) or isinstance(right, bool):
        return None
    if len(left) * max(right, 0) > MAX_SEQUENCE:
        raise Unreadable(node, f"this sequence would hold {len(left) * right:,} elements, over the reader's limit "
                               f"of {MAX_SEQUENCE:,}")
    return it.built(left * right, node)


def shallow_copy(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> Any:
    """copy.copy of a plain value, a list, tuple, dict or set, or an object of a plain class (a
    configuration record): a new container holding the same elements. A layer or a model is not copied
    (the copy would be a second layer with weights of its own).

    >>> class Steps:
    ...     def built(self, value, node): return value
    >>> original = [1, [2]]
    >>> copied = shallow_copy(Steps(), [original], {}, None)
    >>> copied == original, copied is original, copied[1] is original[1]
    (True, False, True)
    """
    from .values import Instance

    if len(args) != 1 or kwargs:
        raise Unreadable(node, "copy.copy() takes one value")
    value = args[0]
    if value is None or isinstance(value, (int, float, str, bool, tuple, frozenset)):
        return value
    if isinstance(value, (list, dict, set)):
        return it.built(copy.copy(value), node)
    if isinstance(value, Instance) and value.plain:
        return Instance(value.cls, it.built(dict(value.attributes), node), value.prefix, node, plain=True)
    raise Unreadable(node, "copy.copy() is read for plain values, containers and objects of plain classes (a "
                           "copied layer would be a second layer)")


def deep_copy(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> Any:
    """copy.deepcopy of a plain value or of lists, tuples, dicts and sets of plain values, at any depth (the
    configuration tables model files copy before changing them); a layer or an object is not copied.

    >>> class Steps:
    ...     def built(self, value, node): return value
    >>> original = [{"repeats": 2, "kernel": (3, 3)}]
    >>> copied = deep_copy(Steps(), [original], {}, None)
    >>> copied == original, copied[0] is original[0]
    (True, False)
    """
    if len(args) != 1 or kwargs:
        raise Unreadable(node, "copy.deepcopy() takes one value")
    return _copied(it, args[0], node)


def _copied(it: Interpreter, value: Any, node: ast.AST) -> Any:
    if value is None or isinstance(value, (int, float, str, bool, frozenset)):
        return value
    if isinstance(value, (list, tuple, set)):
        return it.built(type(value)(_copied(it, element, node) for element in value), node)
    if isinstance(value, dict):
        return it.built({key: _copied(it, element, node) for key, element in value.items()}, node)
    raise Unreadable(node, "copy.deepcopy() is read for plain values and containers of them (a copied layer or "
                           "object would be a second one)")


def numpy_linspace(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> list:
    """np.linspace(start, stop, num) of numbers the reader computed: `num` numbers from start to stop.

    >>> class Steps:
    ...     def built(self, value, node): return value
    >>> numpy_linspace(Steps(), [0.0, 1.5, 4], {}, None)
    [0.0, 0.5, 1.0, 1.5]
    """
    names = ("start", "stop", "num")
    given = dict(zip(names, args), **{k: v for k, v in kwargs.items() if k in names})
    if len(args) > 3 or set(kwargs) - set(names) or "stop" not in given:
        raise Unreadable(node, "np.linspace() is read with start, stop and num only (endpoint, dtype and the "
                               "other options are not read)")
    start, stop, count = given["start"], given["stop"], given.get("num", 50)
    numbers = (start, stop)
    if any(isinstance(n, bool) or not isinstance(n, (int, float)) for n in numbers) or \
            isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise Unreadable(node, "np.linspace() of values the reader cannot compute (it takes numbers and a count)")
    if count > MAX_SEQUENCE:
        raise Unreadable(node, f"np.linspace() of {count:,} numbers is over the reader's limit of {MAX_SEQUENCE:,}")
    if count == 1:
        return it.built([float(start)], node)
    step = (stop - start) / (count - 1)
    return it.built([float(stop) if i == count - 1 else i * step + start for i in range(count)], node)  # numpy's order


#: canonical dotted names -> the function that computes their value
CONSTANT_CALLS: dict[str, Callable[[Interpreter, list, dict, ast.AST], Any]] = {
    "numpy.prod": numpy_product,
    "typing.cast": typing_cast,
    "copy.copy": shallow_copy,
    "copy.deepcopy": deep_copy,
    "numpy.linspace": numpy_linspace,
}
