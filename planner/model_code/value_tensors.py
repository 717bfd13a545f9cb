"""Small tensors of values the code computes from constants (torchvision's RegNet derives its widths with
`torch.arange(depth) * w_a + w_0`, `torch.round(torch.log(...) / math.log(w_m))`, `.int().tolist()`).

Such a tensor is not a part of the model's data flow: it is a one-dimensional list of numbers with
torch's dtype, and each operation computes what torch computes, element by element:

- dtypes as torch promotes them: integers stay int64 under `+ - *` with integers; a float (a Python
  float, true division, `log`, `pow`) makes float32, the Python number rounded to float32 first, as
  torch's CPU kernels take a scalar in the tensor's type;
- `+ - * /` are rounded to float32 exactly as torch rounds them (each is correctly rounded, in float32 as
  in the float64 the reader computes first; `number / t` is torch's `t.reciprocal() * number`, two
  roundings); `log` and `pow`, which torch computes to within an ulp but
  not always correctly rounded, carry a bound of how far torch's value may be from the reader's, and that
  bound goes through every later operation;
- `round` (half to even, as torch), `floor`, `ceil` and `.int()` / `.long()` give exact integers when
  the bound cannot cross a rounding boundary; when it could (a value within the bound of a half for
  `round`, of an integer for the others), the value is refused: the reader cannot know which side torch
  lands on. `.tolist()` gives Python numbers only when they are exact.

Creation: `torch.arange` of integers and `torch.tensor` / `torch.as_tensor` of a flat list of numbers;
functions: `torch.log`, `round`, `floor`, `ceil`, `divide` / `div` / `true_divide`, `mul` / `multiply`,
`add`, `sub` / `subtract`, `pow`, `diff` (and the same as methods), within MAX_SEQUENCE elements. Anything
else given such a tensor is refused, naming it.
"""

from __future__ import annotations

import ast
import math
import struct
from dataclasses import dataclass, field
from typing import Any

from .constants import MAX_SEQUENCE
from .source import Unreadable

Interpreter = Any

_FLOAT = "float32"
_INTEGERS = ("int64", "int32")


@dataclass(eq=False)
class ValueTensor:
    """A 1-D tensor of numbers computed from constants: its values (Python ints, or floats that are float32
    values), torch's dtype, and for each value a bound of its distance from torch's (0: the same)."""

    values: list
    dtype: str
    node: ast.AST
    errors: list = field(default_factory=list)

    def __post_init__(self):
        if not self.errors:
            self.errors = [0.0] * len(self.values)


def float32(value: float, node: ast.AST) -> float:
    """The float32 nearest to a number (round half to even), as a Python float.

    >>> float32(0.1, None), float32(16777217, None)
    (0.10000000149011612, 16777216.0)
    """
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except (OverflowError, struct.error):
        raise Unreadable(node, f"{value!r} is beyond float32, where torch's value is infinite") from None


def ulp(value: float) -> float:
    """The distance from a float32 to the next one (of the larger magnitude).

    >>> ulp(1.0) == 2 ** -23
    True
    """
    magnitude = abs(value)
    if magnitude < 2 ** -126:
        return 2 ** -149
    return 2.0 ** (math.floor(math.log2(magnitude)) - 23)


def _made(it: Interpreter, values: list, dtype: str, node: ast.AST, errors: list | None = None) -> ValueTensor:
    if len(values) > MAX_SEQUENCE:
        raise Unreadable(node, f"this tensor of values holds {len(values):,} elements, over the reader's limit of "
                               f"{MAX_SEQUENCE:,}")
    it._step(node, max(1, len(values)))
    return ValueTensor(values, dtype, node, list(errors) if errors is not None else [])


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ------------------------------------------------------------------------------------------------ creation


def arange(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> ValueTensor | None:
    """`torch.arange(end)`, `torch.arange(start, end[, step])` of integers: int64 values. Other spellings (keywords,
    floats) are None: the tensor operations read their shape alone (tensor_ops.arange)."""
    if kwargs or not 1 <= len(args) <= 3 or not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return None
    if len(args) == 3 and args[2] == 0:
        raise Unreadable(node, "torch.arange() with a step of 0 (torch raises)")
    bounds = range(*args)
    if len(bounds) > MAX_SEQUENCE:
        raise Unreadable(node, f"torch.arange() here holds {len(bounds):,} values, over the reader's limit of "
                               f"{MAX_SEQUENCE:,}")
    return _made(it, list(bounds), "int64", node)


def tensor(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> ValueTensor:
    """`torch.tensor([...])` of a flat list of numbers: int64 when all are integers, else float32."""
    data = args[0] if args else None
    if kwargs or len(args) != 1 or not isinstance(data, (list, tuple)) or not all(_is_number(v) for v in data):
        raise Unreadable(node, "torch.tensor() is read here for one flat list of numbers (no dtype=)")
    if all(isinstance(v, int) for v in data):
        return _made(it, list(data), "int64", node)
    return _made(it, [float32(float(v), node) for v in data], _FLOAT, node)


# ------------------------------------------------------------------------------------------------ arithmetic


def _operand(value: Any, dtype: str, node: ast.AST) -> tuple[list | None, Any, list | None]:
    """(values, scalar, errors) of one side of a binary operation: a ValueTensor's values, or a scalar."""
    if isinstance(value, ValueTensor):
        return value.values, None, value.errors
    if _is_number(value):
        return None, value, None
    raise Unreadable(node, "this arithmetic mixes a tensor of values with something other than a number")


def _result_dtype(left: Any, right: Any, true_division: bool) -> str:
    dtypes = [v.dtype for v in (left, right) if isinstance(v, ValueTensor)]
    if true_division or _FLOAT in dtypes or any(isinstance(v, float) for v in (left, right)):
        return _FLOAT
    return "int64"


_OPERATORS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}


def binary(it: Interpreter, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
    """`a + b`, `a - b`, `a * b`, `a / b` where a side is a ValueTensor, computed value by value (None: neither
    is); another operator (`**`, `%`...) gives the made tensor of its shape."""
    if not isinstance(left, ValueTensor) and not isinstance(right, ValueTensor):
        return None
    name = _OPERATORS.get(type(op))
    if name is None:  # `temperature ** omega`: the values are not computed, the shape is (as_made)
        sides = [side for side in (left, right) if isinstance(side, ValueTensor)]
        if all(isinstance(side, ValueTensor) or _is_number(side) for side in (left, right)) \
                and len({len(side.values) for side in sides}) == 1:
            return as_made(sides[0])
        raise Unreadable(node, f"{type(op).__name__} on a tensor of values is read for a number or a tensor of "
                               "values of the same length")
    if name == "div" and not isinstance(left, ValueTensor):  # torch's `number / t` is `t.reciprocal() * number`
        return _elementwise(it, "mul", _elementwise(it, "div", 1.0, right, node), left, node)
    return _elementwise(it, name, left, right, node)


def _elementwise(it: Interpreter, name: str, left: Any, right: Any, node: ast.AST) -> ValueTensor:
    dtype = _result_dtype(left, right, name == "div")
    left_values, left_scalar, left_errors = _operand(left, dtype, node)
    right_values, right_scalar, right_errors = _operand(right, dtype, node)
    length = len(left_values if left_values is not None else right_values)
    if left_values is not None and right_values is not None and len(left_values) != len(right_values):
        raise Unreadable(node, f"tensors of values of {len(left_values)} and {len(right_values)} elements do not "
                               "broadcast")
    values, errors = [], []
    for index in range(length):
        a = left_values[index] if left_values is not None else left_scalar
        b = right_values[index] if right_values is not None else right_scalar
        error_a = left_errors[index] if left_errors is not None else 0.0
        error_b = right_errors[index] if right_errors is not None else 0.0
        if dtype == "int64":
            values.append({"add": a + b, "sub": a - b, "mul": a * b}[name])
            errors.append(0.0)
            continue
        a, b = float32(float(a), node), float32(float(b), node)
        if name == "div" and b == 0:
            raise Unreadable(node, "a tensor of values divided by zero")
        exact = {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b if b else 0.0}[name]
        value = float32(exact, node)
        if error_a or error_b:
            spread = {"add": error_a + error_b, "sub": error_a + error_b,
                      "mul": abs(a) * error_b + abs(b) * error_a + error_a * error_b,
                      "div": (error_a + abs(exact) * error_b) / max(abs(b) - error_b, 1e-300)}[name]
            errors.append(spread + ulp(value))
        else:
            errors.append(0.0)
        values.append(value)
    return _made(it, values, dtype, node, errors)


def _transcendental(it: Interpreter, name: str, base: Any, exponent: Any, node: ast.AST) -> ValueTensor:
    """`log(x)` (exponent None) or `pow(base, exponent)`, float32, with torch's possible last-ulp difference."""
    if name == "log":
        values, errors = [], []
        for value, error in zip(base.values, base.errors):
            x = float32(float(value), node)
            if x - error <= 0:
                raise Unreadable(node, "torch.log() of a value that is not positive")
            result = float32(math.log(x), node)
            values.append(result)
            errors.append(error / (x - error) + 2 * ulp(result))
        return _made(it, values, _FLOAT, node, errors)
    pairs = []
    for operand in (base, exponent):
        if isinstance(operand, ValueTensor):
            pairs.append(([float32(float(v), node) for v in operand.values], operand.errors))
        elif _is_number(operand):
            pairs.append((None, float32(float(operand), node)))
        else:
            raise Unreadable(node, "torch.pow() of a tensor of values takes numbers")
    length = max(len(p[0]) for p in pairs if p[0] is not None)
    values, errors = [], []
    for index in range(length):
        b = pairs[0][0][index] if pairs[0][0] is not None else pairs[0][1]
        e = pairs[1][0][index] if pairs[1][0] is not None else pairs[1][1]
        error_b = pairs[0][1][index] if pairs[0][0] is not None else 0.0
        error_e = pairs[1][1][index] if pairs[1][0] is not None else 0.0
        if b <= 0:
            raise Unreadable(node, "torch.pow() of a base that is not positive is not read")
        result = float32(b ** e, node)
        spread = abs(result) * (abs(math.log(b)) * error_e + abs(e) * error_b / b)
        values.append(result)
        errors.append(spread + 2 * ulp(result))
    return _made(it, values, _FLOAT, node, errors)


def _rounded(it: Interpreter, name: str, source: ValueTensor, node: ast.AST) -> ValueTensor:
    """round (half to even) / floor / ceil / trunc of each value, refused where torch's value may fall on the
    other side of the boundary."""
    if source.dtype in _INTEGERS:
        return source
    values = []
    for value, error in zip(source.values, source.errors):
        boundary = math.floor(value) + 0.5 if name == "round" else round(value)
        if error and abs(value - boundary) <= error:
            raise Unreadable(node, f"{value!r} is {'a half' if name == 'round' else 'an integer'} within the last "
                                   "bits torch's float32 log / pow may differ in: the reader cannot know how torch "
                                   "rounds it; give the widths as numbers")
        integer = {"round": round(value), "floor": math.floor(value), "ceil": math.ceil(value),
                   "trunc": math.trunc(value)}[name]
        values.append(float(integer))
    return _made(it, values, _FLOAT, node)


def _diff(it: Interpreter, source: ValueTensor, node: ast.AST) -> ValueTensor:
    pairs = list(zip(source.values, source.values[1:]))
    if source.dtype in _INTEGERS:
        return _made(it, [b - a for a, b in pairs], source.dtype, node)
    if any(source.errors):
        raise Unreadable(node, "torch.diff() of float32 values torch may compute differently is not read")
    return _made(it, [float32(b - a, node) for a, b in pairs], _FLOAT, node)


def _as_integers(it: Interpreter, source: ValueTensor, dtype: str, node: ast.AST) -> ValueTensor:
    """`.int()` / `.long()`: truncated toward zero, as torch converts."""
    truncated = _rounded(it, "trunc", source, node) if source.dtype not in _INTEGERS else source
    values = [int(v) for v in truncated.values]
    if dtype == "int32" and any(not -2 ** 31 <= v < 2 ** 31 for v in values):
        raise Unreadable(node, ".int() of a value beyond int32 (torch wraps it) is not read")
    return _made(it, values, dtype, node)


def to_list(source: ValueTensor, node: ast.AST) -> list:
    """`.tolist()`: Python ints, or floats when they are exactly torch's."""
    if any(source.errors):
        raise Unreadable(node, ".tolist() of float32 values torch computes with log / pow, which may differ in "
                               "their last bit: round them first (torch.round, .int())")
    return list(source.values)


#: torch functions (and Tensor methods, by their last name) on tensors of values
FUNCTIONS = {
    "log": lambda it, args, node: _transcendental(it, "log", _one(args, node), None, node),
    "pow": lambda it, args, node: _transcendental(it, "pow", _arg(args, 0, node), _arg(args, 1, node), node),
    "round": lambda it, args, node: _rounded(it, "round", _one(args, node), node),
    "floor": lambda it, args, node: _rounded(it, "floor", _one(args, node), node),
    "ceil": lambda it, args, node: _rounded(it, "ceil", _one(args, node), node),
    "diff": lambda it, args, node: _diff(it, _one(args, node), node),
    "divide": lambda it, args, node: _elementwise(it, "div", _arg(args, 0, node), _arg(args, 1, node), node),
    "div": lambda it, args, node: _elementwise(it, "div", _arg(args, 0, node), _arg(args, 1, node), node),
    "true_divide": lambda it, args, node: _elementwise(it, "div", _arg(args, 0, node), _arg(args, 1, node), node),
    "mul": lambda it, args, node: _elementwise(it, "mul", _arg(args, 0, node), _arg(args, 1, node), node),
    "multiply": lambda it, args, node: _elementwise(it, "mul", _arg(args, 0, node), _arg(args, 1, node), node),
    "add": lambda it, args, node: _elementwise(it, "add", _arg(args, 0, node), _arg(args, 1, node), node),
    "sub": lambda it, args, node: _elementwise(it, "sub", _arg(args, 0, node), _arg(args, 1, node), node),
    "subtract": lambda it, args, node: _elementwise(it, "sub", _arg(args, 0, node), _arg(args, 1, node), node),
    "int": lambda it, args, node: _as_integers(it, _one(args, node), "int32", node),
    "long": lambda it, args, node: _as_integers(it, _one(args, node), "int64", node),
    "tolist": lambda it, args, node: it.built(to_list(_one(args, node), node), node),
}
#: torch functions that make a tensor of values from constants
CREATIONS = {"torch.arange": arange, "torch.tensor": tensor, "torch.as_tensor": tensor}


def _arg(args: list, index: int, node: ast.AST) -> Any:
    if index >= len(args):
        raise Unreadable(node, "this operation on a tensor of values needs more arguments")
    return args[index]


def _one(args: list, node: ast.AST) -> ValueTensor:
    if len(args) != 1 or not isinstance(args[0], ValueTensor):
        raise Unreadable(node, "this operation is read on one tensor of values")
    return args[0]


def call(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Any:
    """`torch.NAME(...)` or `tensor.NAME(...)` (receiver first in args) where a ValueTensor is given, or a
    creation from constants: the value torch computes (None: not a call this module reads)."""
    if name in CREATIONS:
        if any(not (_is_number(a) or isinstance(a, (list, tuple))) for a in args):
            return None  # a tensor of the model's data flow (torch.zeros(2, x.size(0), 64)...)
        return CREATIONS[name](it, args, kwargs, node)
    if not any(isinstance(a, ValueTensor) for a in args):
        return None
    last = name.rpartition(".")[2]
    if last not in FUNCTIONS or kwargs:
        return None  # not computed value by value: the operation reads its shape (as_made)
    return FUNCTIONS[last](it, args, node)


def as_made(value: Any) -> Any:
    """A tensor of values where an operation needs only its shape (`torch.meshgrid(torch.arange(7), ...)`, a
    range added to the model's data): the made tensor of that shape; any other value as it is.

    >>> as_made(ValueTensor([0, 1, 2], "int64", None)).shape, as_made(3)
    ((3,), 3)
    """
    from .values import MadeTensor

    if isinstance(value, ValueTensor):
        return MadeTensor((len(value.values),), value.node)
    if isinstance(value, (list, tuple)) and any(isinstance(item, ValueTensor) for item in value):
        return type(value)(as_made(item) for item in value)
    return value
