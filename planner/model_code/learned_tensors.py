"""Learned tensors a model holds itself, lowered onto the spec's learned_tensor kind.

torch `nn.Parameter(DATA)` (DATA a tensor the code makes with a known shape: `torch.zeros(1, 1, d)`,
`torch.empty(1, n, d).normal_(std=0.02)`) and keras `self.add_weight(shape=...)` (in a custom layer's
`__init__` or `build`, which the reader runs before the layer's first call, as keras does) make a
values.LearnedTensor. Where forward uses it, that use becomes one learned_tensor layer, whose parameters
are the tensor's values:

- `x + p`, `p + x`, `x * p`, `p * x` with x a tensor of the model: merge add / multiply. p is aligned on the
  right of x's whole shape: a p with as many axes as x (batch included) has 1 (or, expanded, the batch)
  first and the rest is its shape in the spec; a p with fewer axes is stated as it is.
- `p.expand(n, -1, ...)` with n the batch size (`n = x.shape[0]`) is p with a batch axis, and
  `torch.cat([that, x], dim=k)` (either order) is merge concatenate along k (`first` when p comes first).
- Any other use (indexed, multiplied as a matrix, passed to a function, combined with a number) and a
  second use (its values would be counted twice) are errors that name the tensor and its line; so is a
  learned tensor forward never uses, since the framework counts it.
"""

from __future__ import annotations

import ast
from typing import Any

from .graph import Tensor
from .source import Unreadable
from .tensor_ops import BATCH, full_shape
from .values import BatchSize, Instance, LearnedTensor, MadeTensor, Unknown

Interpreter = Any

#: the qualified names of torch's parameter class
PARAMETER_CLASSES = ("torch.nn.Parameter", "torch.nn.parameter.Parameter")
#: methods of a learned tensor that give the same values (where it lives, its type, its memory layout)
_SAME_VALUES = ("to", "type_as", "contiguous", "float", "cuda", "cpu")
_MERGES = {ast.Add: "add", ast.Mult: "multiply"}


def make_parameter(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> LearnedTensor:
    """torch `nn.Parameter(data, requires_grad=True)` of a tensor the code makes.

    >>> made = MadeTensor((1, 1, 8))
    >>> make_parameter(None, [made], {}, None).shape
    (1, 1, 8)
    """
    data = args[0] if args else kwargs.get("data")
    if isinstance(data, Unknown):
        data.fail(node)
    trainable = args[1] if len(args) > 1 else kwargs.get("requires_grad", True)
    if trainable is not True:
        raise Unreadable(node, "nn.Parameter(..., requires_grad=False) is not read (torch counts it as a frozen "
                               "parameter, which a learned_tensor layer does not state); write it as a spec")
    if not isinstance(data, MadeTensor) or not data.shape or any(isinstance(s, BatchSize) for s in data.shape):
        raise Unreadable(node, "nn.Parameter is read of a tensor the code makes with a known shape "
                               "(torch.zeros(1, 1, d), torch.empty(n, d).normal_()); write this step as a spec "
                               "learned_tensor layer")
    return LearnedTensor(tuple(data.shape), node)


def add_weight(it: Interpreter, owner: Instance, args: list, kwargs: dict, node: ast.AST) -> LearnedTensor:
    """keras `self.add_weight(shape=..., initializer=..., trainable=True, ...)` in a custom layer.

    >>> add_weight(None, None, [], {"shape": (96,), "initializer": "ones"}, None).shape
    (96,)
    """
    names = ("shape", "initializer", "dtype", "trainable")
    given = {**dict(zip(names, args)), **kwargs}
    shape, trainable = given.get("shape"), given.get("trainable", True)
    if trainable is not True:
        raise Unreadable(node, "add_weight(..., trainable=False) is not read (keras counts it as non-trainable, "
                               "which a learned_tensor layer does not state); write it as a spec")
    shape = (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape
    if not isinstance(shape, (tuple, list)) or not shape or \
            not all(isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in shape):
        raise Unreadable(node, "add_weight is read with a shape of positive numbers (shape=(d,)); write this "
                               "step as a spec learned_tensor layer")
    return LearnedTensor(tuple(shape), node)


def learned_method(it: Interpreter, learned: LearnedTensor, name: str, args: list, kwargs: dict,
                   node: ast.AST) -> LearnedTensor:
    """`p.expand(batch, -1, ...)`: p with the batch axis; `.to(device)` and the like: p itself."""
    if name in _SAME_VALUES:
        return learned
    if name != "expand" or kwargs:
        raise learned.refuse(node, f"used by .{name}()")
    sizes = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    shape = learned.shape
    if len(sizes) != len(shape) or not isinstance(sizes[0], BatchSize) or shape[0] not in (1, BATCH) or \
            any(size not in (-1, old) for size, old in zip(sizes[1:], shape[1:])):
        raise learned.refuse(node, f"expanded to {_sizes(sizes)} (the reader reads .expand(batch, -1, ...) of a "
                                   "tensor whose first axis is 1)")
    return LearnedTensor((BATCH, *shape[1:]), learned.node, learned.name, learned.root)


def learned_arithmetic(it: Interpreter, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Tensor | None:
    """`x + p`, `p * x`...: a learned_tensor layer on x; None when neither side is a learned tensor."""
    learned = [v for v in (left, right) if isinstance(v, LearnedTensor)]
    if not learned:
        return None
    other = right if isinstance(left, LearnedTensor) else left
    merge = _MERGES.get(type(op))
    if not isinstance(other, Tensor):
        raise learned[0].refuse(node, "combined with a value that is not a tensor of the model")
    if merge is None:
        raise learned[0].refuse(node, f"used in a {type(op).__name__.lower()} operation")
    shape = _stated_shape(it, learned[0], other, node)
    return _lowered(it, learned[0], other, {"shape": list(shape), "merge": merge}, node)


def learned_concatenation(it: Interpreter, values: Any, axis: Any, node: ast.AST) -> Tensor | None:
    """`torch.cat([p.expand(n, -1, -1), x], dim=1)`: a learned_tensor layer on x; None when no value joined is a
    learned tensor."""
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    learned = [v for v in values if isinstance(v, LearnedTensor)]
    if not learned:
        return None
    others = [v for v in values if not isinstance(v, LearnedTensor)]
    if len(values) != 2 or len(others) != 1 or not isinstance(others[0], Tensor):
        raise learned[0].refuse(node, "concatenated with other than one tensor of the model")
    if not isinstance(learned[0].shape[0], BatchSize):
        raise learned[0].refuse(node, "concatenated without a batch axis (give it one first: "
                                      ".expand(batch, -1, ...), with batch = x.shape[0])")
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise learned[0].refuse(node, "concatenated along an axis the reader cannot compute")
    shape = _stated_shape(it, learned[0], others[0], node)
    options = {"shape": list(shape), "merge": "concatenate", "axis": axis, "first": values[0] is learned[0]}
    return _lowered(it, learned[0], others[0], options, node)


def refuse_unused(learned_values: list, what: str) -> None:
    """A learned tensor forward never uses is counted by the framework: an error that names it."""
    for value in learned_values:
        if isinstance(value, LearnedTensor) and value.root.used is None:
            raise Unreadable(value.root.node, f"{value.label()} is never used by {what}, but the framework counts "
                                              "its values: a plan of what it computes would count fewer; remove it, "
                                              "or plan the model that uses it")


def build_before_call(it: Interpreter, layer: Instance, args: list, node: ast.AST) -> None:
    """keras runs a custom layer's `build(input_shape)` before its first call (the weights it adds are made
    there): the reader does the same, with the input's whole shape (None for the batch)."""
    build = it.method_of(layer.cls, "build") if it.framework == "keras" and not layer.plain else None
    if build is None or layer.built:
        return
    from .values import Function

    layer.built = True
    if len(args) != 1 or not isinstance(args[0], Tensor):
        raise Unreadable(node, f"{layer.cls.name}.build() is read for a layer called on one tensor")
    whole = full_shape(it, args[0], node)
    it.invoke(Function(build, layer), [(None, *whole[1:])], {}, node)


def refuse_unused_after_call(layer: Instance) -> None:
    """A keras custom layer whose call left a weight of its own unused (keras counts it)."""
    if layer.built:
        refuse_unused(list(layer.attributes.values()), f"{layer.cls.name}.call()")


def _stated_shape(it: Interpreter, learned: LearnedTensor, tensor: Tensor, node: ast.AST) -> tuple:
    """The learned tensor's shape as a spec states it: aligned on the right of the tensor's whole shape, the
    batch axis (1, or the batch once expanded) left out."""
    whole = full_shape(it, tensor, node)
    shape = learned.shape
    if len(shape) > len(whole):
        raise learned.refuse(node, f"of shape {_sizes(shape)} met with a tensor of fewer axes {_sizes(whole)}")
    if len(shape) == len(whole):
        if shape[0] != 1 and not isinstance(shape[0], BatchSize):
            raise learned.refuse(node, f"of shape {_sizes(shape)}, whose first axis meets the batch axis of "
                                       f"{_sizes(whole)}")
        shape = shape[1:]
    if not shape:
        raise learned.refuse(node, "one value for the whole batch")
    return tuple(shape)


def _lowered(it: Interpreter, learned: LearnedTensor, tensor: Tensor, options: dict, node: ast.AST) -> Tensor:
    root = learned.root
    if root.used is not None:
        raise learned.refuse(node, f"used a second time (first at line {getattr(root.used, 'lineno', '?')}: its "
                                   "values would be counted twice)")
    root.used = node
    it._step(node)  # named by the attribute that holds it (`class_token`, `encoder.pos_embedding`)
    return it.graph.add({"type": "learned_tensor", **options}, [tensor], it.here(node), {},
                        root.name or it.hint or "learned_tensor")


def _sizes(sizes) -> str:
    return "(" + ", ".join("batch" if isinstance(s, BatchSize) else str(s) for s in sizes) + ")"
