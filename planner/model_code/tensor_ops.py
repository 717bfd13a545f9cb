"""The tensor operations the reader follows: one table, one rule per operation, with the spellings of
every framework it serves (torch functions and `Tensor` methods, `torch.nn.functional`, `tf`, `tf.math`,
keras `ops` and `backend`).

A rule computes the operation's output shape from its inputs' shapes (each tensor's shape is planned
by the engine, planner/model_code/sample_shapes.py) and records what it is in the spec:

- elementwise (`exp`, `clamp`, `x / y`, `where`): the broadcast shape; one tensor of the model in, the
  same shape out: no layer at all (it changes no shape and has no parameters);
- indexing one axis (`x[:, -1]`, `x[..., :k]`): a `select` or `slice` layer;
- reduction (`mean`, `sum`, `amax`, `max(dim)` with `dim` / `keepdim`), indexing several axes or adding
  one (`x[:, -1, :k]`, `x[:, None]`), `stack`, `matmul`, `expand`: a `lambda` layer whose output is the
  computed shape (stated with `computed_for`, so it is not taken on trust);
- creation (`zeros`, `ones`, `randn_like`, `zeros_like`, `tf.random.normal`): a values.MadeTensor of
  known shape, which the data path may use (an LSTM's initial state, a VAE's noise);
- identity (`.to(device)`, `.cuda()`, `.float()`, `.detach()`): the tensor itself;
- shape queries (`x.size(2)`, `x.shape[-1]`, `x.dim()`, `tf.shape(x)[1]`, `K.int_shape(x)`): numbers;
  the batch axis is values.BatchSize, never a number;
- `F.pad`: the padding kind it is (zero, reflection, replication), else a computed `lambda`.

The layer kinds that torch functions stand for (`F.relu`, `F.max_pool2d`, `torch.cat`, `x.view`...) are
in planner/model_code/functional.py, which consults this table for what it does not map itself.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any, Callable

from .einops_patterns import REDUCTIONS, EinopsLayer, einops_shape
from .graph import Tensor
from .sample_shapes import sample_shape
from .source import Unreadable
from .values import VARIABLE_FIX, BatchSize, FedValue, LearnedTensor, MadeTensor, TensorShape, Unknown, WeightVariable

#: The interpreter (planner/model_code/evaluate.py); not imported, so that the modules import one way only.
Interpreter = Any

BATCH = BatchSize()


@dataclass(frozen=True)
class Call:
    """One call of a tensor operation: its arguments as the code gives them (a method's receiver first)."""

    name: str  # qualified (`torch.exp`), or `Tensor.NAME` for a method
    args: list
    kwargs: dict
    node: ast.AST

    @property
    def label(self) -> str:
        """The operation as messages name it: `torch.exp()`, `.mean()`."""
        return f".{self.name[7:]}()" if self.name.startswith("Tensor.") else f"{self.name}()"

    def argument(self, position: int, *keywords: str, default: Any = None) -> Any:
        """The argument at `position`, else the first of `keywords` given, else `default`."""
        if position is not None and position < len(self.args):
            return self.args[position]
        for keyword in keywords:
            if keyword in self.kwargs:
                return self.kwargs[keyword]
        return default


@dataclass(frozen=True)
class Rule:
    """What an operation is (`elementwise`, `reduction`...) and how its result is computed."""

    what: str
    apply: Callable[[Interpreter, Call], Any]


# ---------------------------------------------------------------------------------------------- shapes


def is_tensor(value: Any) -> bool:
    return isinstance(value, (Tensor, MadeTensor))


def full_shape(it: Interpreter, value: Any, node: ast.AST) -> tuple:
    """A tensor's whole shape: a tensor of the model's data flow has the batch axis first (BatchSize)."""
    if isinstance(value, MadeTensor):
        return value.shape
    if isinstance(value, Tensor):
        return (BATCH, *sample_shape(it.graph, value.name, it.framework, it.input_shapes, node))
    if isinstance(value, Unknown):
        value.fail(node)
    if isinstance(value, WeightVariable):
        raise Unreadable(node, f"{value.label} is used here as a tensor of the model's data: {VARIABLE_FIX}")
    if isinstance(value, FedValue):
        raise value.refusal(node)
    if isinstance(value, LearnedTensor):
        raise value.refuse(node, "used in a tensor operation")
    raise Unreadable(node, "this is not a tensor the reader followed from the model's input")


def broadcast(shapes: list[tuple], node: ast.AST) -> tuple:
    """numpy / torch broadcasting of whole shapes; the batch axis broadcasts only with itself and 1.

    >>> broadcast([(BATCH, 8, 1), (4, 1, 5)], None) == (BATCH, 8, 5) or broadcast([(BATCH, 8, 1), (4, 1, 5)], None)
    Traceback (most recent call last):
    ...
    layerplan.planner.model_code.source.Unreadable: these shapes do not broadcast ([batch, 8, 1] and [4, 1, 5])
    >>> broadcast([(BATCH, 8, 1), (1, 5)], None) == (BATCH, 8, 5)
    True
    """
    rank = max(len(s) for s in shapes)
    result = [1] * rank
    for shape in shapes:
        padded = (1,) * (rank - len(shape)) + tuple(shape)
        for axis, size in enumerate(padded):
            if size == 1 or size == result[axis]:
                continue
            if result[axis] == 1:
                result[axis] = size
                continue
            raise Unreadable(node, "these shapes do not broadcast (" + " and ".join(_show(s) for s in shapes) + ")")
    return tuple(result)


def _show(shape: tuple) -> str:
    return "[" + ", ".join("batch" if isinstance(s, BatchSize) else str(s) for s in shape) + "]"


def result(it: Interpreter, inputs: list, shape: tuple, node: ast.AST, what: str) -> Any:
    """The tensor an operation gives, of whole shape `shape`, computed from `inputs` (tensors and others).
    Without a tensor of the model among the inputs it is a made tensor; with one whose shape it keeps,
    that tensor (no layer); else a `lambda` layer that states the computed output."""
    flowing = []
    for value in inputs:
        if isinstance(value, Tensor) and value not in flowing:
            flowing.append(value)
    if not flowing:
        return MadeTensor(tuple(shape), node)
    if not shape or not isinstance(shape[0], BatchSize) or any(isinstance(s, BatchSize) for s in shape[1:]):
        raise Unreadable(node, f"{what} moves or removes the batch axis (its result is {_show(shape)}); layerplan "
                               "plans one sample at a time: keep the batch axis first")
    sample = tuple(shape[1:])
    samples = [tuple(full_shape(it, t, node)[1:]) for t in flowing]
    if len(flowing) == 1 and samples[0] == sample:
        return flowing[0]
    if not sample or any(s < 1 for s in sample):
        raise Unreadable(node, f"{what} gives {_show(shape)}, "
                               + ("one number per sample" if not sample else "an empty axis")
                               + ", which a spec layer cannot state; keep at least one axis of size 1 or more")
    entry = {"type": "lambda", "output": list(sample), "function": _code(node),
             "computed_for": [list(s) for s in samples]}
    return it.graph_layer(entry, flowing, node, "lambda")


def _code(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _axis(axis: Any, rank: int, node: ast.AST) -> int:
    if not isinstance(axis, int) or isinstance(axis, bool) or not -rank <= axis < rank:
        raise Unreadable(node, f"the axis {axis!r} is not an axis of this tensor of rank {rank} (the batch axis "
                               "counted)")
    return axis % rank


def _int(value: Any, node: ast.AST, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise Unreadable(node, f"{what} must be a number the reader can compute, got {value!r}")


# ---------------------------------------------------------------------------------------------- rules


def elementwise(it: Interpreter, call: Call) -> Any:
    """Shape kept, broadcast between its tensors (numbers broadcast to anything)."""
    tensors = [v for v in list(call.args) + list(call.kwargs.values()) if is_tensor(v)]
    if not tensors:
        raise Unreadable(call.node, f"{call.label} is applied to no tensor the reader followed")
    for value in list(call.args) + list(call.kwargs.values()):
        if isinstance(value, Unknown):
            value.fail(call.node)
        if isinstance(value, FedValue):
            raise value.refusal(call.node)
    shape = broadcast([full_shape(it, t, call.node) for t in tensors], call.node)
    return result(it, tensors, shape, call.node, call.label)


def in_place(it: Interpreter, call: Call) -> Any:
    """`x.mul_(mask)`, `x.clamp_(0, 1)`: the receiver changed in place keeps its shape; another tensor of the
    model taking part would be a layer the variable `x` never shows."""
    receiver = call.args[0]
    others = [v for v in list(call.args[1:]) + list(call.kwargs.values()) if isinstance(v, Tensor)]
    if others:
        raise Unreadable(call.node, f"{call.label} changes a tensor in place with another tensor of the model; "
                                    f"write it as an assignment (x = x * y) so the reader sees the step")
    shape = full_shape(it, receiver, call.node)
    combined = broadcast([shape] + [full_shape(it, v, call.node) for v in call.args[1:] if is_tensor(v)], call.node)
    if combined != shape:
        raise Unreadable(call.node, f"{call.label} would change the tensor's shape in place ({_show(shape)} to "
                                    f"{_show(combined)}), which torch refuses")
    return receiver


def identity(it: Interpreter, call: Call) -> Any:
    """Device, dtype and autograd changes: the tensor itself."""
    tensor = call.args[0]
    if not is_tensor(tensor):
        full_shape(it, tensor, call.node)  # says what it is instead
    return tensor


def dropout(it: Interpreter, call: Call) -> Any:
    """TensorFlow's `tf.nn.dropout(x, keep_prob)` / `(x, rate=...)`: the tensor's shape, whatever the
    probability (a scalar fed at run time is fine: it changes values, never the shape)."""
    return identity(it, Call(call.name, [call.argument(0, "x")], {}, call.node))


def _reduced(it: Interpreter, call: Call, tensor: Any, dims: Any, keep: Any) -> Any:
    shape = full_shape(it, tensor, call.node)
    if isinstance(dims, Unknown):
        dims.fail(call.node)
    if dims is None:
        axes = set(range(len(shape)))
    else:
        axes = {_axis(d, len(shape), call.node) for d in (dims if isinstance(dims, (list, tuple)) else [dims])}
    if keep not in (True, False, 0, 1):
        raise Unreadable(call.node, f"{call.label}: keepdim must be True or False here, got {keep!r}")
    if keep:
        out = tuple(1 if axis in axes else size for axis, size in enumerate(shape))
    else:
        out = tuple(size for axis, size in enumerate(shape) if axis not in axes)
    if 0 in axes and isinstance(shape[0], BatchSize):
        raise Unreadable(call.node, f"{call.label} reduces over the batch axis"
                                    + (" (no dim given)" if dims is None else "")
                                    + "; layerplan plans one sample at a time: give dim= the sample axes")
    return result(it, [tensor], out, call.node, call.label)


def reduction(it: Interpreter, call: Call) -> Any:
    """torch `x.mean(dim, keepdim)`, tf `reduce_mean(x, axis, keepdims)`, keras `ops.mean(x, axis, keepdims)`."""
    dims = call.argument(1, "dim", "axis", "reduction_indices")
    keep = call.argument(2, "keepdim", "keepdims", "keep_dims", default=False)
    last = call.name.rpartition(".")[2]
    if last in ("argmax", "argmin") and call.name.startswith("tensorflow") and dims is None:
        dims = 0  # TensorFlow's argmax takes the first axis when none is given
    if last == "norm" and call.name.startswith(("torch", "Tensor")):  # torch.norm(x, p, dim, keepdim)
        dims, keep = call.argument(2, "dim"), call.argument(3, "keepdim", default=False)
    elif last in ("std", "var") and not call.name.startswith(("keras", "tensorflow")):  # (dim, unbiased, keepdim)
        keep = call.argument(3, "keepdim", default=False)
    tensor = call.argument(0, "input", "input_tensor", "x")
    if tensor is None:
        raise Unreadable(call.node, f"{call.label} is applied to no tensor the reader followed")
    return _reduced(it, call, tensor, dims, keep)


def torch_max_min(it: Interpreter, call: Call) -> Any:
    """torch.max / min: of two tensors, elementwise; along `dim`, (values, indices); of everything, a scalar."""
    other = call.argument(1, "other", "dim")
    if is_tensor(other):
        return elementwise(it, call)
    dims = call.argument(1, "dim")
    if dims is None:
        return _reduced(it, call, call.args[0], None, False)
    keep = call.argument(2, "keepdim", default=False)
    values = _reduced(it, call, call.args[0], dims, keep)
    return values, values  # the indices have the values' shape


def index(it: Interpreter, tensor: Any, key: Any, node: ast.AST) -> Any:
    """`x[:, -1]`, `out[:, -1, :]`, `x[..., :k]`, `x[:, None]`, `x[:, :d, :, :]`: the shape numpy gives.
    Indexing with a tensor or a list (advanced indexing) is not read."""
    shape = full_shape(it, tensor, node)
    items = list(key) if isinstance(key, tuple) else [key]
    for item in items:
        if isinstance(item, Unknown):
            item.fail(node)
        if not (item is None or item is Ellipsis or isinstance(item, slice)
                or (isinstance(item, int) and not isinstance(item, bool))):
            raise Unreadable(node, "indexing a tensor with a tensor, a list or a computed value is not read (its "
                                   "shape depends on the data); slice with numbers")
    consuming = [item for item in items if item is not None and item is not Ellipsis]
    if len(consuming) > len(shape) or items.count(Ellipsis) > 1:
        raise Unreadable(node, f"too many indices for a tensor of rank {len(shape)} (the batch axis counted)")
    if Ellipsis in items:
        at = items.index(Ellipsis)
        items = items[:at] + [slice(None)] * (len(shape) - len(consuming)) + items[at + 1:]
    else:
        items = items + [slice(None)] * (len(shape) - len(consuming))
    out: list = []
    axis = 0
    for item in items:
        if item is None:
            out.append(1)
            continue
        size = shape[axis]
        if isinstance(size, BatchSize):
            if item != slice(None):
                raise Unreadable(node, "this indexes the batch axis; layerplan plans one sample at a time: keep "
                                       "the batch axis whole (x[:, ...])")
            out.append(size)
        elif isinstance(item, slice):
            for part in (item.start, item.stop, item.step):
                if part is not None:
                    _int(part, node, "a slice bound")
            if item.step is not None and item.step < 1:
                raise Unreadable(node, "a tensor slice takes a positive step")
            out.append(len(range(*item.indices(size))))
        elif not -size <= item < size:
            raise Unreadable(node, f"the index {item} is outside an axis of size {size}")
        axis += 1
    lowered = _select_or_slice(items)
    if lowered is not None and tuple(out) != tuple(shape) and all(s >= 1 for s in out[1:]):
        return it.graph_layer(lowered, [tensor], node, lowered["type"])
    return result(it, [tensor], tuple(out), node, "this indexing")


def _select_or_slice(items: list) -> dict | None:
    """The spec layer of an indexing that takes one number or one slice on one axis and keeps the other
    axes whole (`x[:, -1]`, `x[:, :, :-2]`): select or slice, with the axis counted on the batched tensor.
    None for any other indexing (several axes, a new axis), which stays a computed `lambda`."""
    taken = [(axis, item) for axis, item in enumerate(items) if item != slice(None)]
    if len(taken) != 1 or None in items:
        return None
    axis, item = taken[0]
    if isinstance(item, slice):
        bounds = {"start": item.start, "stop": item.stop, "step": item.step}
        return {"type": "slice", "axis": axis, **{k: v for k, v in bounds.items() if v is not None}}
    return {"type": "select", "axis": axis, "index": item}


def creation(it: Interpreter, call: Call) -> MadeTensor:
    """`torch.zeros(2, 3)`, `torch.zeros((n, b, h))`, `torch.randn(x.size(0), 20)`, `tf.zeros([4, 8])`."""
    sizes = call.args[:1] if call.name in _SIZE_THEN_VALUE or call.name.startswith(_SHAPE_FIRST) else call.args
    if len(sizes) == 1 and isinstance(sizes[0], (list, tuple, TensorShape)):
        sizes = sizes[0]
    if not sizes:
        sizes = call.kwargs.get("size", call.kwargs.get("shape", ()))
    if isinstance(sizes, TensorShape):
        sizes = shape_of(it, sizes.tensor, call.node)
    if isinstance(sizes, int):
        sizes = (sizes,)
    shape = []
    for size in sizes if isinstance(sizes, (list, tuple)) else [sizes]:
        if isinstance(size, Unknown):
            size.fail(call.node)
        if not isinstance(size, BatchSize):
            _int(size, call.node, f"a size of {call.label}")
        shape.append(size)
    return MadeTensor(tuple(shape), call.node)


_SIZE_THEN_VALUE = ("torch.full", "tensorflow.fill")  # (size, value)
#: TensorFlow and keras take the shape as one argument, then others (`tf.zeros([n], tf.float32)`,
#: `tf.random_normal(shape, mean, stddev)`); torch takes the sizes one by one (`torch.zeros(2, 3)`)
_SHAPE_FIRST = ("tensorflow.", "keras.")


def constant(it: Interpreter, call: Call) -> MadeTensor:
    """`tf.constant(0.1, shape=[32])`: the shape given; without one, the value's (a number: no axes; nested
    lists of numbers: their lengths)."""
    shape = call.argument(2, "shape")
    if shape is not None:
        return creation(it, Call(call.name, [shape], {}, call.node))
    value, sizes = call.argument(0, "value"), []
    while isinstance(value, (list, tuple)):
        if not value or any(isinstance(v, (list, tuple)) != isinstance(value[0], (list, tuple))
                            or isinstance(v, (list, tuple)) and len(v) != len(value[0]) for v in value):
            raise Unreadable(call.node, f"{call.label} of a ragged or empty list is not read; give shape=")
        sizes.append(len(value))
        value = value[0]
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise Unreadable(call.node, f"{call.label} of a value the reader cannot compute; give numbers, or shape=")
    return MadeTensor(tuple(sizes), call.node)


def arange(it: Interpreter, call: Call) -> MadeTensor:
    """`torch.arange(n)`, `torch.arange(start, end, step)`, `tf.range(limit)`, `keras.ops.arange(start=0,
    stop=n, step=1)`: a made tensor of one axis, as long as Python's range of the same numbers (its values are
    not followed: only its shape)."""
    first = call.argument(0, "start")
    end = call.argument(1, "end", "stop", "limit")
    step = call.argument(2, "step", "delta", default=1)
    if end is None:  # one bound is the end
        first, end = 0, first
    if first is None:  # tf.range(limit=n)
        first = 0
    bounds = [first, end, step]
    for bound in bounds:
        if isinstance(bound, Unknown):
            bound.fail(call.node)
        if isinstance(bound, BatchSize):
            raise Unreadable(call.node, f"{call.label} as long as the batch is not read; layerplan plans one sample "
                                        "at a time")
        _int(bound, call.node, f"a bound of {call.label}")
    if step == 0:
        raise Unreadable(call.node, f"{call.label} with a step of 0 (the framework raises)")
    return MadeTensor((len(range(*bounds)),), call.node)


def meshgrid(it: Interpreter, call: Call) -> tuple:
    """`torch.meshgrid(a, b, indexing="ij")`, `tf.meshgrid(a, b)`: one made tensor per input, each of the
    inputs' lengths in order (`ij`, torch's default) or with the first two swapped (`xy`, TensorFlow's)."""
    tensors = list(call.args[0]) if len(call.args) == 1 and isinstance(call.args[0], (list, tuple)) else call.args
    lengths = []
    for tensor in tensors:
        if not isinstance(tensor, MadeTensor) or len(tensor.shape) != 1:
            raise Unreadable(call.node, f"{call.label} is read of one-axis tensors the code makes (torch.arange)")
        lengths.append(tensor.shape[0])
    indexing = call.kwargs.get("indexing", "ij" if call.name.startswith("torch") else "xy")
    if indexing not in ("ij", "xy"):
        raise Unreadable(call.node, f"{call.label}: indexing is 'ij' or 'xy', got {indexing!r}")
    if indexing == "xy" and len(lengths) > 1:
        lengths[0], lengths[1] = lengths[1], lengths[0]
    return tuple(MadeTensor(tuple(lengths), call.node) for _ in tensors)


def made_flatten(it: Interpreter, call: Call) -> Any:
    """`t.flatten(start_dim=0, end_dim=-1)` of a tensor the code makes (a tensor of the model's data flow
    is the flatten kind, planner/model_code/functional.py)."""
    shape = full_shape(it, call.args[0], call.node)
    start = _axis(call.argument(1, "start_dim", default=0), max(len(shape), 1), call.node)
    end = _axis(call.argument(2, "end_dim", default=-1), max(len(shape), 1), call.node)
    if any(isinstance(s, BatchSize) for s in shape[start:end + 1]) and end > start:
        raise Unreadable(call.node, f"{call.label} merges the batch axis with others; layerplan plans one sample "
                                    "at a time")
    out = (*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:]) if shape else (1,)
    return result(it, [call.args[0]], out, call.node, call.label)


def made_concatenation(it: Interpreter, tensors: Any, axis: Any, node: ast.AST) -> MadeTensor | None:
    """`torch.cat((a, b), dim=1)` of tensors the code makes only (a positional table): a made tensor, the
    axis' lengths summed; None when a tensor of the model takes part (a merge layer)."""
    if not isinstance(tensors, (list, tuple)) or not tensors or not all(isinstance(t, MadeTensor) for t in tensors):
        return None
    shapes = [t.shape for t in tensors]
    at = _axis(axis, len(shapes[0]), node)
    if any(len(s) != len(shapes[0]) or s[:at] + s[at + 1:] != shapes[0][:at] + shapes[0][at + 1:] for s in shapes):
        raise Unreadable(node, "these tensors do not concatenate (" + " and ".join(_show(s) for s in shapes) + ")")
    return MadeTensor((*shapes[0][:at], sum(s[at] for s in shapes), *shapes[0][at + 1:]), node)


def numpy_sample(it: Interpreter, call: Call) -> MadeTensor:
    """`np.random.normal(0, 1, (x.size(0), 20))`, `np.random.uniform(low, high, size)`: a made tensor of the
    size given (its third argument or `size=`); without a size it is one number, not read."""
    size = call.args[2] if len(call.args) > 2 else call.kwargs.get("size")
    if size is None:
        raise Unreadable(call.node, f"{call.label} without a size is one number, not a tensor of the model")
    return creation(it, Call(call.name, [size], {}, call.node))


def like(it: Interpreter, call: Call) -> MadeTensor:
    """`torch.zeros_like(x)`, `torch.randn_like(std)`, `tf.ones_like(x)`: a made tensor of x's shape."""
    return MadeTensor(full_shape(it, call.args[0], call.node), call.node)


def new_made(it: Interpreter, call: Call) -> MadeTensor:
    """`x.new_zeros(size)`, `x.new_full(size, value)`: the size given."""
    return creation(it, Call(call.name, list(call.args[1:2]), call.kwargs, call.node))


def shape_of(it: Interpreter, tensor: Any, node: ast.AST) -> tuple:
    """A tensor's shape as the code reads it (`x.size()`, `x.shape`, `tf.shape(x)`): the batch axis is
    BatchSize, the others numbers."""
    return full_shape(it, tensor, node)


def shape_item(it: Interpreter, shape: TensorShape, key: Any, node: ast.AST) -> Any:
    """`x.shape[-1]`, `x.size()[2]`, `x.shape[2:]`: without planning anything for the batch axis."""
    if key == 0 and not isinstance(key, bool) and isinstance(shape.tensor, Tensor):
        return BATCH
    if shape.dynamic and isinstance(key, slice):
        raise Unreadable(node, "a slice of tf.shape() is a tensor, whose arithmetic the reader does not follow; "
                               "read its axes one by one (tf.shape(x)[1]) or write the numbers")
    whole = shape_of(it, shape.tensor, node)
    try:
        picked = whole[key]
    except (IndexError, TypeError):
        raise Unreadable(node, f"the index {key!r} is outside this tensor's shape {_show(whole)}") from None
    return tuple(picked) if isinstance(key, slice) else picked


def size(it: Interpreter, call: Call) -> Any:
    """`x.size()` (the whole shape, read lazily) or `x.size(d)`."""
    dim = call.argument(1, "dim")
    if dim is None:
        return TensorShape(call.args[0])
    return shape_item(it, TensorShape(call.args[0]), _int(dim, call.node, "the axis of .size()"), call.node)


def rank(it: Interpreter, call: Call) -> int:
    """`x.dim()`, `x.ndimension()`, `tf.rank(x)`, `keras.ops.ndim(x)`: the number of axes, batch included."""
    return len(full_shape(it, call.args[0], call.node))


def numel(it: Interpreter, call: Call) -> int:
    """`x.numel()` of a made tensor; a tensor of the model has batch x sample elements, not a number."""
    shape = full_shape(it, call.args[0], call.node)
    if any(isinstance(s, BatchSize) for s in shape):
        raise Unreadable(call.node, ".numel() counts the batch too, which is not a number when the code is read; "
                                    "use x.size(0) and the sample's sizes")
    return math.prod(shape)


def whole_shape(it: Interpreter, call: Call) -> Any:
    """`tf.shape(x)`, `x.get_shape()`: the shape, read lazily; `K.int_shape(x)`, `keras.ops.shape(x)`: a tuple."""
    if call.name in ("keras.backend.int_shape", "keras.ops.shape"):
        return shape_of(it, call.args[0], call.node)
    return TensorShape(call.args[0], dynamic=call.name in ("tensorflow.shape", "keras.backend.shape"))


def stack(it: Interpreter, call: Call) -> Any:
    """`torch.stack([a, b], dim=1)`, `tf.stack(values, axis)`: a new axis of len(values)."""
    values = call.argument(0, "tensors", "values")
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    if not values:
        raise Unreadable(call.node, "stacking nothing")
    shapes = [full_shape(it, v, call.node) for v in values]
    if any(s != shapes[0] for s in shapes):
        raise Unreadable(call.node, "stack needs tensors of one shape, got " + ", ".join(_show(s) for s in shapes))
    axis = _axis(call.argument(1, "dim", "axis", default=0), len(shapes[0]) + 1, call.node)
    out = list(shapes[0])
    out.insert(axis, len(values))
    return result(it, values, tuple(out), call.node, "this stack")


def matmul(it: Interpreter, call: Call) -> Any:
    """`torch.matmul(a, b)`, `a @ b`, `torch.bmm`, `tf.matmul(a, b, transpose_b=...)`: numpy's matmul shape."""
    left, right = call.argument(0, "input", "a", "x1"), call.argument(1, "other", "mat2", "b", "x2")
    a, b = list(full_shape(it, left, call.node)), list(full_shape(it, right, call.node))
    if call.kwargs.get("transpose_a") and len(a) >= 2:
        a[-1], a[-2] = a[-2], a[-1]
    if call.kwargs.get("transpose_b") and len(b) >= 2:
        b[-1], b[-2] = b[-2], b[-1]
    if len(a) < 2 or len(b) < 2:
        raise Unreadable(call.node, "a matrix product of a vector is not read; reshape it to a matrix first")
    if a[-1] != b[-2] or isinstance(a[-1], BatchSize):
        raise Unreadable(call.node, f"these matrices do not multiply ({_show(tuple(a))} @ {_show(tuple(b))})")
    out = (*broadcast([tuple(a[:-2]), tuple(b[:-2])], call.node), a[-2], b[-1])
    return result(it, [left, right], out, call.node, "this matrix product")


def expand(it: Interpreter, call: Call) -> Any:
    """`x.expand(b, c, h, w)` (-1 keeps an axis), `x.expand_as(y)`: a broadcast to the sizes given."""
    tensor = call.args[0]
    shape = full_shape(it, tensor, call.node)
    if call.name.endswith("expand_as"):
        target = full_shape(it, call.args[1], call.node)
        return result(it, [tensor, call.args[1]], broadcast([shape, target], call.node), call.node, "this expand")
    sizes = call.args[1:]
    if len(sizes) == 1 and isinstance(sizes[0], (list, tuple)):
        sizes = list(sizes[0])
    if len(sizes) < len(shape):
        raise Unreadable(call.node, f"expand gives fewer sizes ({len(sizes)}) than the tensor has axes ({len(shape)})")
    padded = (None,) * (len(sizes) - len(shape)) + tuple(shape)
    out = []
    for old, new in zip(padded, sizes):
        if new == -1 and old is not None:
            out.append(old)
        elif isinstance(new, BatchSize) or (isinstance(new, int) and new >= 0 and old in (None, 1, new)):
            out.append(new)
        else:
            raise Unreadable(call.node, f"expand cannot take an axis of size {old} to {new!r}")
    return result(it, [tensor], tuple(out), call.node, "this expand")


def pad(it: Interpreter, call: Call) -> Any:
    """`F.pad(x, (left, right, top, bottom), mode=..., value=0)`: last axis first, as torch writes it. The
    padding kind it is when it pads every spatial axis of the sample; else a computed `lambda`."""
    tensor, amounts = call.argument(0, "input"), call.argument(1, "pad")
    mode, value = call.argument(2, "mode", default="constant"), call.argument(3, "value", default=None)
    if not isinstance(amounts, (list, tuple)) or len(amounts) % 2 or not amounts:
        raise Unreadable(call.node, "F.pad takes pairs of numbers (last axis first)")
    amounts = [_int(a, call.node, "a padding amount") for a in amounts]
    shape = full_shape(it, tensor, call.node)
    pairs = [amounts[i:i + 2] for i in range(0, len(amounts), 2)]  # last axis first
    if len(pairs) >= len(shape):
        raise Unreadable(call.node, "F.pad pads the batch axis here; layerplan plans one sample at a time")
    kind = {"constant": "zero_padding", "reflect": "reflection_padding", "replicate": "replication_padding"}.get(mode)
    spatial = len(shape) - 2
    if kind is not None and len(pairs) == spatial and spatial in (1, 2, 3) and value in (None, 0, 0.0) \
            and all(a >= 0 for a in amounts) and it.framework == "torch":
        entry = {"type": f"{kind}{spatial}d", "padding": [list(p) for p in reversed(pairs)]}
        return it.graph_layer(entry, [tensor], call.node, kind)
    out = list(shape)
    for offset, (before, after) in enumerate(pairs):
        axis = len(shape) - 1 - offset
        out[axis] = shape[axis] + before + after
    return result(it, [tensor], tuple(out), call.node, "this padding")


def tf_pad(it: Interpreter, call: Call) -> Any:
    """`tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], mode=..., constant_values=0)`: one pair per
    axis, the batch first. A zero padding of the spatial axes alone is the zero_padding kind; any other a computed
    `lambda`."""
    tensor, paddings = call.argument(0, "tensor"), call.argument(1, "paddings")
    mode, value = call.argument(2, "mode", default="CONSTANT"), call.argument(3, "constant_values", default=0)
    shape = full_shape(it, tensor, call.node)
    if not isinstance(paddings, (list, tuple)) or len(paddings) != len(shape) or \
            not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in paddings):
        raise Unreadable(call.node, "tf.pad takes one [before, after] pair per axis of the tensor, the batch first")
    pairs = [[_int(a, call.node, "a padding amount") for a in pair] for pair in paddings]
    if pairs[0] != [0, 0]:
        raise Unreadable(call.node, "tf.pad pads the batch axis here; layerplan plans one sample at a time")
    spatial = len(shape) - 2
    if str(mode).upper() == "CONSTANT" and value in (0, 0.0) and pairs[-1] == [0, 0] and spatial in (1, 2, 3) \
            and it.framework == "keras" and all(a >= 0 for pair in pairs for a in pair):
        entry = {"type": f"zero_padding{spatial}d", "padding": pairs[1:-1]}
        return it.graph_layer(entry, [tensor], call.node, "zero_padding")
    out = [size if index == 0 else size + sum(pairs[index]) for index, size in enumerate(shape)]
    return result(it, [tensor], tuple(out), call.node, "this padding")


def einops_operation(it: Interpreter, call: Call) -> Any:
    """`einops.rearrange(x, pattern, **sizes)`, `reduce(x, pattern, reduction, **sizes)`, `repeat(x, pattern,
    **sizes)`: the shape the pattern gives (planner/model_code/einops_patterns.py)."""
    operation = call.name.rpartition(".")[2]
    tensor = call.argument(0, "tensor")
    pattern = call.argument(1, "pattern")
    sizes = {k: v for k, v in call.kwargs.items() if k not in ("tensor", "pattern", "reduction")}
    if operation == "reduce":
        operation = call.argument(2, "reduction")
        if not isinstance(operation, str):
            raise Unreadable(call.node, f"einops.reduce with the reduction {operation!r} is not read; name one "
                                        f"of {', '.join(REDUCTIONS)}")
    if isinstance(tensor, (list, tuple)):
        raise Unreadable(call.node, f"{call.label} of a list of tensors is not read; stack them first")
    shape = einops_shape(operation, pattern, full_shape(it, tensor, call.node), sizes, call.node)
    return result(it, [tensor], shape, call.node, call.label)


def einops_layer(it: Interpreter, call: Call) -> Any:
    """`Rearrange(pattern, **sizes)`, `Reduce(pattern, reduction, **sizes)`: a layer without parameters that,
    called on a tensor, is the einops function with these arguments."""
    function = {"Rearrange": "einops.rearrange", "Reduce": "einops.reduce"}[call.name.rpartition(".")[2]]
    keywords = dict(call.kwargs)
    keywords["pattern"] = call.argument(0, "pattern")
    if function == "einops.reduce":
        keywords["reduction"] = call.argument(1, "reduction")
    return EinopsLayer(function, keywords, call.node)


# ---------------------------------------------------------------------------------------------- the table

_UNARY = ("exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "abs", "absolute", "neg",
          "negative", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
          "square", "reciprocal", "sign", "floor", "ceil", "round", "trunc", "frac", "erf", "erfc", "erfinv",
          "clamp", "clip", "clamp_min", "clamp_max", "pow", "float_power", "nan_to_num", "logical_not",
          "bitwise_not", "bernoulli", "normalize", "l2_normalize", "lerp", "where", "div", "divide", "true_divide",
          "floor_divide", "fmod", "remainder", "atan2", "maximum", "minimum", "squared_difference", "truediv",
          "realdiv", "floordiv", "mod", "clip_by_value", "reciprocal_no_nan", "rsqrt")
_REDUCTIONS = ("mean", "sum", "prod", "amax", "amin", "std", "var", "logsumexp", "all", "any", "argmax", "argmin",
               "count_nonzero", "median", "nanmean", "nansum", "norm")
_TF_REDUCTIONS = ("reduce_mean", "reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "reduce_std",
                  "reduce_variance", "reduce_logsumexp", "reduce_all", "reduce_any")
_IDENTITY_METHODS = ("to", "cuda", "cpu", "float", "double", "half", "bfloat16", "int", "long", "bool", "type",
                     "type_as", "contiguous", "detach", "clone", "requires_grad_", "pin_memory", "detach_")
_IN_PLACE = ("add_", "sub_", "mul_", "div_", "clamp_", "clamp_min_", "clamp_max_", "pow_", "exp_", "neg_",
             "abs_", "sqrt_", "bernoulli_", "fill_", "zero_", "normal_", "uniform_", "masked_fill_", "copy_")
_CREATION = ("zeros", "ones", "empty", "randn", "rand", "full")
_LIKE = ("zeros_like", "ones_like", "empty_like", "randn_like", "rand_like", "full_like")


def _table() -> dict[str, Rule]:
    table: dict[str, Rule] = {}

    def add(what: str, apply: Callable, *spellings: str) -> None:
        for spelling in spellings:
            table[spelling] = Rule(what, apply)

    for name in _UNARY:
        add("elementwise", elementwise, f"torch.{name}", f"Tensor.{name}", f"torch.nn.functional.{name}",
            f"tensorflow.{name}", f"tensorflow.math.{name}", f"tensorflow.nn.{name}", f"keras.ops.{name}",
            f"keras.backend.{name}")
    add("elementwise", elementwise, "torch.special.erf", "torch.mul", "torch.multiply",
        "torch.add", "torch.sub", "torch.subtract", "tensorflow.multiply", "tensorflow.add", "tensorflow.subtract",
        "tensorflow.math.multiply", "tensorflow.math.add", "keras.ops.multiply", "keras.ops.add",
        "keras.ops.subtract", "Tensor.masked_fill", "Tensor.fill_diagonal_")
    for name in _IN_PLACE:
        add("elementwise, in place", in_place, f"Tensor.{name}")
    for name in _IDENTITY_METHODS:
        add("identity", identity, f"Tensor.{name}")
    add("identity", identity, "tensorflow.cast", "keras.ops.cast", "keras.backend.cast", "tensorflow.identity",
        "torch.clone")
    for name in _REDUCTIONS:
        add("reduction", reduction, f"torch.{name}", f"Tensor.{name}", f"keras.ops.{name}", f"keras.backend.{name}",
            f"tensorflow.math.{name}")
    add("reduction", reduction, "tensorflow.argmax", "tensorflow.argmin",
        *[f"tensorflow.{n}" for n in _TF_REDUCTIONS],
        *[f"tensorflow.math.{n}" for n in _TF_REDUCTIONS], "keras.ops.max", "keras.ops.min", "keras.backend.max",
        "keras.backend.min")
    add("reduction", torch_max_min, "torch.max", "torch.min", "Tensor.max", "Tensor.min")
    for name in _CREATION:
        add("creation", creation, f"torch.{name}", f"tensorflow.{name}", f"keras.ops.{name}")
    add("creation", creation, "tensorflow.random.normal", "tensorflow.random.uniform", "tensorflow.random_normal",
        "tensorflow.random_uniform", "tensorflow.truncated_normal", "tensorflow.random.truncated_normal",
        "tensorflow.fill", "keras.random.normal", "keras.random.uniform", "keras.backend.random_normal")
    add("creation", constant, "tensorflow.constant")
    add("shape", made_flatten, "Tensor.flatten")
    add("creation", meshgrid, "torch.meshgrid", "tensorflow.meshgrid", "keras.ops.meshgrid")
    add("creation", arange, "torch.arange", "tensorflow.range", "keras.ops.arange", "keras.backend.arange")
    for name in _LIKE:
        add("creation", like, f"torch.{name}", f"tensorflow.{name}", f"keras.ops.{name}")
    add("creation", numpy_sample, "numpy.random.normal", "numpy.random.uniform")
    add("identity", dropout, "tensorflow.nn.dropout")
    add("identity", identity, "torch.autograd.Variable", "torch.FloatTensor", "torch.cuda.FloatTensor")
    add("creation", new_made, "Tensor.new_zeros", "Tensor.new_ones", "Tensor.new_empty", "Tensor.new_full")
    add("shape", size, "Tensor.size")
    add("shape", rank, "Tensor.dim", "Tensor.ndimension", "tensorflow.rank", "keras.ops.ndim", "keras.backend.ndim")
    add("shape", numel, "Tensor.numel", "Tensor.nelement", "torch.numel")
    add("shape", whole_shape, "tensorflow.shape", "Tensor.get_shape", "keras.backend.int_shape", "keras.ops.shape",
        "keras.backend.shape")
    add("stack", stack, "torch.stack", "tensorflow.stack", "keras.ops.stack")
    add("matmul", matmul, "torch.matmul", "torch.bmm", "torch.mm", "Tensor.matmul", "Tensor.bmm", "Tensor.mm",
        "tensorflow.matmul", "tensorflow.linalg.matmul", "keras.ops.matmul", "keras.backend.dot",
        "keras.backend.batch_dot")
    add("expand", expand, "Tensor.expand", "Tensor.expand_as")
    add("padding", pad, "torch.nn.functional.pad")
    add("padding", tf_pad, "tensorflow.pad")
    add("einops", einops_operation, "einops.rearrange", "einops.reduce", "einops.repeat")
    add("einops layer", einops_layer, *[f"einops.layers.{framework}.{name}" for framework in ("torch", "keras")
                                        for name in ("Rearrange", "Reduce")])
    return table


#: qualified function name (`torch.exp`, `tensorflow.reduce_mean`) or `Tensor.METHOD` -> its rule
OPERATIONS: dict[str, Rule] = _table()


def rule_for(name: str) -> Rule | None:
    """The rule of a qualified function or `Tensor.METHOD`, None when the table has none.

    >>> rule_for("torch.exp").what, rule_for("Tensor.amax").what, rule_for("tensorflow.reduce_mean").what
    ('elementwise', 'reduction', 'reduction')
    """
    return OPERATIONS.get(name)


def call_operation(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Any:
    """Apply the table's rule for `name` (a function: args as given; a method: the receiver first)."""
    call = Call(name, list(args), dict(kwargs), node)
    for value in [*args, *kwargs.values()]:  # a learned tensor is read only where learned_tensors.py lowers it
        if isinstance(value, LearnedTensor):
            raise value.refuse(node, f"used by {call.label}")
    return OPERATIONS[name].apply(it, call)


def binary(it: Interpreter, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any | None:
    """`a / b`, `a @ b`, `x * mask` and the arithmetic between a tensor of the model and a made tensor or
    another shape: the broadcast (or matrix) shape. None: functional.tensor_arithmetic reads it (a merge
    layer for tensors of one rank, a number applied to a tensor)."""
    tensors = [v for v in (left, right) if is_tensor(v)]
    if isinstance(op, ast.MatMult):
        return matmul(it, Call("matmul", [left, right], {}, node))
    others = [v for v in (left, right) if not is_tensor(v)]
    if any(isinstance(v, Unknown) for v in others):
        next(v for v in others if isinstance(v, Unknown)).fail(node)
    if any(isinstance(v, FedValue) for v in others):
        raise next(v for v in others if isinstance(v, FedValue)).refusal(node)
    if any(not (isinstance(v, (int, float, BatchSize)) and not isinstance(v, bool)) for v in others):
        return None
    if isinstance(left, Tensor) and isinstance(right, Tensor) and isinstance(op, (ast.Add, ast.Sub, ast.Mult)):
        return None  # a merge layer (add, subtract, multiply), broadcast by its kind
    if all(isinstance(v, Tensor) for v in tensors) and len(tensors) == 1:
        return None  # a tensor and a number: the tensor's shape
    shape = broadcast([full_shape(it, t, node) for t in tensors], node)
    return result(it, tensors, shape, node, "this arithmetic")


def initial_state_free(it: Interpreter, kind_name: str, entry: dict, args: list, kwargs: dict,
                       node: ast.AST) -> list:
    """torch `self.lstm(x, (h0, c0))` with states the code made (`torch.zeros(layers, batch, hidden)`):
    they change values, not shapes, so the call plans as `self.lstm(x)`. States of the expected shape only;
    states computed by the model (an encoder's) are part of the data flow and not read this way."""
    if kind_name not in ("lstm", "gru", "rnn") or len(args) != 2 or kwargs:
        return args
    states = args[1] if isinstance(args[1], (list, tuple)) else [args[1]]
    if not all(isinstance(s, MadeTensor) for s in states) or not isinstance(args[0], Tensor):
        return args
    layers = entry.get("num_layers", 1) * (2 if entry.get("bidirectional") else 1)
    expected = (layers, BATCH, entry.get("units"))
    for state in states:
        if state.shape != expected:
            raise Unreadable(node, f"this initial state has the shape {_show(state.shape)}, the layer expects "
                                   f"{_show(expected)} (layers x directions, batch, hidden size): torch raises here")
    return args[:1]


def index_key(it: Interpreter, node: ast.AST, scope: Any) -> Any:
    """The key of a tensor subscript as Python builds it: slices, `...`, None and numbers, in a tuple."""
    if isinstance(node, ast.Slice):
        return slice(*[None if part is None else it.value(part, scope) for part in (node.lower, node.upper, node.step)])
    if isinstance(node, ast.Tuple):
        return tuple(index_key(it, element, scope) for element in node.elts)
    return it.value(node, scope)


def attribute(it: Interpreter, tensor: Any, name: str, node: ast.AST) -> Any:
    """`x.shape` (read lazily), `x.ndim`, `x.data`, `x.dtype`, `x.device`; None: not an attribute read here."""
    if name == "shape":
        return TensorShape(tensor)
    if name == "ndim":
        return len(full_shape(it, tensor, node))
    if name == "data":
        return tensor
    if name in ("dtype", "device"):
        return "float32" if name == "dtype" else "cpu"  # only passed on to made tensors, whose shape they keep
    return None


def shape_method(it: Interpreter, shape: TensorShape, name: str, args: list, node: ast.AST) -> Any:
    """`x.get_shape().as_list()` (TensorFlow 1), `x.size().numel()`: the shape as a list, its element count."""
    whole = shape_of(it, shape.tensor, node)
    if name == "as_list":
        return list(whole)
    if name == "numel":
        return numel(it, Call("numel", [shape.tensor], {}, node))
    raise Unreadable(node, f"the shape method .{name}() is not read; index the shape instead (x.shape[1])")


def as_sequence(it: Interpreter, value: Any, node: ast.AST) -> Any:
    """A shape read as a sequence (`b, c, h, w = x.size()`, `len(x.shape)`, `tuple(x.shape)`): its axes."""
    if isinstance(value, TensorShape):
        return shape_of(it, value.tensor, node)
    return value
