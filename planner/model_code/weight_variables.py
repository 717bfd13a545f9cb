"""TensorFlow 1 networks written with variables: the weights made as `tf.Variable(tf.random_normal([784, 256]))`
or `tf.get_variable(name, shape=...)`, and the operations that read them, lowered onto the spec layers that hold
exactly those weights.

- A variable is learned weights of a known shape (values.WeightVariable): the shape of its initial value
  (`tf.random_normal(shape)`, `tf.truncated_normal(shape, stddev=...)`, `tf.zeros([n])`, `tf.constant(0.1,
  shape=[n])`), or get_variable's `shape=`.
- `tf.matmul(x, W)` / `x @ W` of the model's data by a [in, out] variable is a `dense` layer of `out` units
  without bias (`transpose_b=True`: W is [out, in]); `tf.nn.conv2d(x, W, strides, padding)` by a
  [kh, kw, cin, cout] filter is a `conv2d` without bias (channels last, as TensorFlow computes it).
- A [out] variable added to such a layer's output (`tf.add(h, b)`, `h + b`, `b + h`, `tf.nn.bias_add(h, b)`)
  before anything else reads it is that layer's bias.
- Each variable is counted once, at the layer that reads it first, as TensorFlow counts the variables an
  output is computed from (variables no selected output reads are not counted). The same kernel read
  again, with the same bias or none, is that layer called again (`shares:`).

Everything else that reads a variable has no spec layer with exactly its weights and is refused at its
line, naming what is not read and how to write it; a mismatch of sizes is TensorFlow's error, at its line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Callable

from .graph import Tensor
from .source import Unreadable
from .tensor_ops import full_shape
from .values import VARIABLE_FIX, BatchSize, MadeTensor, Method, TensorShape, Unknown, WeightVariable

#: The interpreter (planner/model_code/evaluate.py); not imported, so that the modules import one way only.
Interpreter = Any

_FIX = VARIABLE_FIX


@dataclass
class WeightLayer:
    """A spec layer whose weights are variables: its kernel, its bias once added, the layer whose weights it
    shares (the same kernel read again)."""

    kernel: WeightVariable
    bias: WeightVariable | None = None
    shares: str | None = None


@dataclass
class VariableState:
    """What the reader knows of one model's variables: the layers made from them (by graph name), the names
    given to tf.get_variable (with the line of each), and whether a file read reuses variable scopes."""

    layers: dict[str, WeightLayer] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    reusing: dict[int, bool] = field(default_factory=dict)  # id(tree) -> whether it reuses variable scopes


def _show(shape: tuple) -> str:
    return "[" + ", ".join("batch" if isinstance(s, BatchSize) else str(s) for s in shape) + "]"


def _spelled(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------------------------------------- making them


def _initial_shape(value: Any, node: ast.AST, what: str) -> tuple:
    if isinstance(value, Unknown):
        value.fail(node)
    if isinstance(value, MadeTensor) and all(isinstance(s, int) and not isinstance(s, BatchSize) for s in value.shape):
        return tuple(value.shape)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    raise Unreadable(node, f"{what} needs an initial value whose shape the reader computes (tf.random_normal("
                           "[784, 256]), tf.truncated_normal(shape, stddev=0.1), tf.zeros([n]), tf.constant(0.1, "
                           "shape=[n])) or a shape= of numbers")


def _trainable(value: Any, node: ast.AST) -> bool:
    if value is None or value is True or value is False:
        return value is not False
    if isinstance(value, Unknown):
        value.fail(node)
    raise Unreadable(node, f"trainable={value!r} must be True or False here")


def make_variable(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> WeightVariable:
    """`tf.Variable(initial_value, trainable=True, ...)`: weights of the initial value's shape."""
    initial = args[0] if args else kwargs.get("initial_value")
    shape = _initial_shape(initial, node, "tf.Variable()")
    return WeightVariable(shape, node, _trainable(kwargs.get("trainable", args[1] if len(args) > 1 else None), node))


def get_variable(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> WeightVariable:
    """`tf.get_variable(name, shape, dtype, initializer, ...)`: weights of `shape`, else of the initializer's
    shape when it is a tensor. A name the file gives to get_variable twice, or a file that reuses variable
    scopes, may mean a variable made before, which the reader does not follow: refused."""
    if _reuses_variables(it):
        raise Unreadable(node, "tf.get_variable() in a file that reuses variable scopes (reuse=, "
                               ".reuse_variables()) may return a variable made before, which the reader does not "
                               "follow; make each variable once, or write the model with tf.layers or as a spec")
    variable_name = args[0] if args else kwargs.get("name")
    made = it.weight_variables.names
    if isinstance(variable_name, str) and variable_name in made:
        raise Unreadable(node, f"tf.get_variable({variable_name!r}) is called again (first at line {made[variable_name]}): "
                               "in a variable scope that reuses it this is the same variable, otherwise TensorFlow "
                               "raises; the reader does not follow variable scopes: give each variable its own name")
    shape = kwargs.get("shape", args[1] if len(args) > 1 else None)
    if shape is None:
        initializer = kwargs.get("initializer", args[3] if len(args) > 3 else None)
        found = _initial_shape(initializer, node, "tf.get_variable() without shape=")
    else:
        if isinstance(shape, Unknown):
            shape.fail(node)
        if not isinstance(shape, (list, tuple)) or not all(isinstance(s, int) and not isinstance(s, bool)
                                                           for s in shape):
            raise Unreadable(node, "tf.get_variable() needs a shape= of numbers the reader computes")
        found = tuple(shape)
    if isinstance(variable_name, str):
        made[variable_name] = getattr(node, "lineno", "?")
    trainable = kwargs.get("trainable", args[5] if len(args) > 5 else None)
    return WeightVariable(found, node, _trainable(trainable, node))


def _reuses_variables(it: Interpreter) -> bool:
    """Whether the file whose code runs reuses variable scopes anywhere (a `reuse=` argument,
    `.reuse_variables()`)."""
    tree = it.current.tree
    known = it.weight_variables.reusing
    if id(tree) not in known:
        known[id(tree)] = any(isinstance(node, ast.keyword) and node.arg == "reuse"
                              or isinstance(node, ast.Attribute) and node.attr == "reuse_variables"
                              for node in it.walk(tree))
    return known[id(tree)]


# ---------------------------------------------------------------------------------------------- reading them


def _layers(it: Interpreter) -> dict[str, WeightLayer]:
    return it.weight_variables.layers


def _data(it: Interpreter, value: Any, variable: WeightVariable, node: ast.AST, label: str) -> tuple:
    """The whole shape of the model's data a variable is applied to."""
    if isinstance(value, Unknown):
        value.fail(node)
    if not isinstance(value, Tensor):
        raise Unreadable(node, f"{label} applies {variable.label} to a value that is not a tensor the reader "
                               f"followed from the model's input; {_FIX}")
    return full_shape(it, value, node)


def _kernel_layer(it: Interpreter, entry: dict, data: Tensor, variable: WeightVariable, node: ast.AST,
                  label: str) -> Tensor:
    """Record the layer that reads `variable` as its kernel: a new layer, or a second call of the layer that
    read it first (`shares:`)."""
    if not variable.trainable:
        raise Unreadable(node, f"{label} reads {variable.label}, made with trainable=False: a spec layer's weights "
                               "are trainable, and freezing is not read; make it trainable, or write the model as "
                               "a spec")
    layers = _layers(it)
    if variable.layer is not None:
        if variable.role != "kernel":
            raise Unreadable(node, f"{label} reads {variable.label} as a kernel, but it is the bias of the layer "
                                   f"'{variable.layer}': no spec layer shares a bias alone; {_FIX}")
        first = layers[variable.layer].shares or variable.layer
        shared = {**it.graph.by_name[first].entry, "shares": first}  # the same options, as the planner requires
        tensor = it.graph_layer(shared, [data], node, entry["type"])
        layers[tensor.name] = WeightLayer(variable, shares=first)
        return tensor
    tensor = it.graph_layer(entry, [data], node, entry["type"])
    variable.layer, variable.role = tensor.name, "kernel"
    layers[tensor.name] = WeightLayer(variable)
    return tensor


def matmul(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Tensor:
    """`tf.matmul(x, W)` (`transpose_b=True`: W is [out, in]) of the model's data by a [in, out] variable: a
    dense layer of `out` units without bias, on the last axis."""
    left, right = (args + [None, None])[:2]
    left = kwargs.get("a", left)
    right = kwargs.get("b", right)
    label = "tf.matmul()" if name != "@" else "this matrix product"
    for flag in ("transpose_a", "adjoint_a"):
        if kwargs.get(flag):
            raise Unreadable(node, f"{label} with {flag}=True transposes the model's data: not read; {_FIX}")
    if not isinstance(right, WeightVariable):
        raise Unreadable(node, f"{label} with a variable on the left (W @ x) is not read: the layer's weights are "
                               f"on the right, tf.matmul(x, W); {_FIX}")
    variable = right
    shape = _data(it, left, variable, node, label)
    if len(variable.shape) != 2:
        raise Unreadable(node, f"{label} by {variable.label} of rank {len(variable.shape)}: a layer's weights are "
                               f"a [in, out] matrix here; {_FIX}")
    rows, units = variable.shape
    if kwargs.get("transpose_b") or kwargs.get("adjoint_b"):
        rows, units = units, rows
    if len(shape) < 2:
        raise Unreadable(node, f"{label} of a tensor of rank {len(shape)} (the batch axis counted): TensorFlow "
                               "multiplies matrices; reshape it first")
    if shape[-1] != rows:
        raise Unreadable(node, f"{label}: the input {_show(shape)} and {variable.label} do not multiply ({shape[-1]} "
                               f"!= {rows}): TensorFlow raises here (Dimensions must be equal); make the variable's "
                               f"input size {shape[-1]}")
    return _kernel_layer(it, {"type": "dense", "units": units, "bias": False}, left, variable, node, label)


def _spatial(value: Any, name: str, node: ast.AST) -> list:
    """tf.nn's `strides` / `dilations`: a number, [h, w] or [1, h, w, 1]."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [value, value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        if len(value) == 1:
            return [value[0], value[0]]
        if len(value) == 2:
            return list(value)
        if len(value) == 4 and value[0] == value[3] == 1:
            return list(value[1:3])
    raise Unreadable(node, f"tf.nn.conv2d() {name}={value!r} is not read: give a number, [h, w] or [1, h, w, 1] "
                           "(the batch and channel steps 1)")


def conv2d(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Tensor:
    """`tf.nn.conv2d(x, W, strides=[1, s, s, 1], padding='SAME')` of the model's data (NHWC) by a
    [kh, kw, cin, cout] filter variable: a conv2d of `cout` filters without bias."""
    names = ("input", "filter", "strides", "padding", "use_cudnn_on_gpu", "data_format", "dilations")
    given = dict(zip(names, args))
    given.update({("filter" if k == "filters" else k): v for k, v in kwargs.items()})
    label = "tf.nn.conv2d()"
    variable = given.get("filter")
    if not isinstance(variable, WeightVariable):
        if isinstance(variable, Unknown):
            variable.fail(node)
        raise Unreadable(node, f"{label} with a filter that is not a variable (a constant filter has no weights a "
                               f"spec layer counts) is not read; {_FIX}")
    shape = _data(it, given.get("input"), variable, node, label)
    if it.framework != "keras":
        raise Unreadable(node, f"{label} convolves channels-last tensors (NHWC), which the {it.framework} layout "
                               "does not plan; read the file as TensorFlow's (-f keras)")
    if given.get("data_format", "NHWC") not in ("NHWC", None):
        raise Unreadable(node, f"{label} with data_format={given['data_format']!r} is not read: layerplan plans "
                               "TensorFlow's channels-last layout (NHWC)")
    padding = given.get("padding")
    if not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        raise Unreadable(node, f"{label} padding={padding!r} is not read: give 'SAME' or 'VALID'")
    if len(variable.shape) != 4:
        raise Unreadable(node, f"{label} by {variable.label}: a filter is [height, width, in channels, out "
                               "channels]")
    if len(shape) != 4:
        raise Unreadable(node, f"{label} of a tensor of shape {_show(shape)}: TensorFlow convolves [batch, height, "
                               "width, channels]; reshape it first")
    height, width, channels, filters = variable.shape
    if shape[-1] != channels:
        raise Unreadable(node, f"{label}: the input {_show(shape)} has {shape[-1]} channels and {variable.label} "
                               f"takes {channels}: TensorFlow raises here (or convolves in groups, which is not "
                               f"read); make the filter's third size {shape[-1]}")
    entry = {"type": "conv2d", "filters": filters, "kernel_size": [height, width],
             "stride": _spatial(given.get("strides"), "strides", node), "padding": padding.lower(), "bias": False}
    dilations = given.get("dilations")
    if dilations is not None and _spatial(dilations, "dilations", node) != [1, 1]:
        entry["dilation"] = _spatial(dilations, "dilations", node)
    return _kernel_layer(it, entry, given["input"], variable, node, label)


def add_bias(it: Interpreter, tensor: Any, variable: WeightVariable, node: ast.AST, label: str) -> Tensor:
    """A [out] variable added to the output of a layer made from a variable, before anything else reads it:
    that layer's bias."""
    layers = _layers(it)
    made = layers.get(tensor.name) if isinstance(tensor, Tensor) else None
    if made is None:
        if isinstance(tensor, Unknown):
            tensor.fail(node)
        raise Unreadable(node, f"{label} adds {variable.label} to a tensor that is not the output of tf.matmul or "
                               "tf.nn.conv2d by a variable just before: no spec layer adds learned values alone; "
                               f"{_FIX}")
    if made.bias is not None or _read_since(it, tensor.name):
        raise Unreadable(node, f"{label} adds {variable.label} to the output of the layer '{tensor.name}', which "
                               + ("already has its bias" if made.bias is not None else "another layer reads before")
                               + f": a spec layer's bias is added once, right after its product; {_FIX}")
    entry = it.graph.by_name[tensor.name].entry
    size = full_shape(it, tensor, node)[-1]  # the layer's outputs: units, filters (channels last)
    if len(variable.shape) != 1 or variable.shape[0] != size:
        if variable.shape in ((), (1,)) and label != "tf.nn.bias_add()":
            raise Unreadable(node, f"{label} adds {variable.label}, one value broadcast to all {size} outputs: a spec "
                                   f"layer's bias has one value per output; make the variable [{size}]")
        raise Unreadable(node, f"{label}: {variable.label} does not fit the layer's {size} outputs: TensorFlow "
                               f"raises here; make the variable [{size}]")
    if not variable.trainable:
        raise Unreadable(node, f"{label} adds {variable.label}, made with trainable=False: a spec layer's bias is "
                               "trainable, and freezing is not read; make it trainable, or write the model as a spec")
    if made.shares is not None:
        owner = layers[made.shares]
        if owner.bias is not variable:
            raise Unreadable(node, f"{label} adds {variable.label} to a second call of the layer '{made.shares}' "
                                   "(its kernel read again) with another bias: no spec layer shares a kernel alone; "
                                   f"{_FIX}")
        made.bias = variable
        return tensor
    if variable.layer is not None:
        raise Unreadable(node, f"{label} adds {variable.label}, already read by the layer '{variable.layer}', to "
                               f"another layer: no spec layer shares a bias alone; {_FIX}")
    variable.layer, variable.role = tensor.name, "bias"
    made.bias = variable
    del entry["bias"]  # the kinds' default: with bias
    return tensor


def _read_since(it: Interpreter, name: str) -> bool:
    """Whether a layer recorded after `name` reads it (its bias must come before any other use)."""
    for node in reversed(it.graph.nodes):
        it._step(node.node)
        if node.name == name:
            return False
        if name in node.inputs:
            return True
    return False


def tf_add(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Tensor:
    """`tf.add(h, b)`, `tf.add(b, h)`, `tf.nn.bias_add(h, b)`: a bias (tf.nn.bias_add: the bias second)."""
    left = args[0] if args else kwargs.get("x", kwargs.get("value"))
    right = args[1] if len(args) > 1 else kwargs.get("y", kwargs.get("bias"))
    label = f"{_callee(name)}()"
    if name.endswith("bias_add"):
        if kwargs.get("data_format") not in (None, "NHWC", "N...C"):
            raise Unreadable(node, f"{label} with data_format={kwargs['data_format']!r} is not read (channels last)")
        tensor, variable = left, right
    else:
        tensor, variable = (right, left) if isinstance(left, WeightVariable) else (left, right)
    if not isinstance(variable, WeightVariable) or isinstance(tensor, WeightVariable):
        raise Unreadable(node, f"{label} of {_described(left)} and {_described(right)} is not read; {_FIX}")
    return add_bias(it, tensor, variable, node, label)


def _callee(name: str) -> str:
    return "tf." + name[len("tensorflow."):] if name.startswith("tensorflow.") else name


def _described(value: Any) -> str:
    if isinstance(value, WeightVariable):
        return value.label
    return "a tensor" if isinstance(value, Tensor) else "a value"


#: qualified name -> how the call reads its variables (the other calls that take a variable are refused)
VARIABLE_OPERATIONS: dict[str, Callable] = {
    "tensorflow.Variable": make_variable, "tensorflow.get_variable": get_variable,
    "tensorflow.matmul": matmul, "tensorflow.linalg.matmul": matmul,
    "tensorflow.nn.conv2d": conv2d,
    "tensorflow.add": tf_add, "tensorflow.math.add": tf_add, "tensorflow.nn.bias_add": tf_add,
}
#: calls that make or need a variable, whatever their arguments
_ALWAYS = ("tensorflow.Variable", "tensorflow.get_variable", "tensorflow.nn.conv2d")


def reads_variables(name: str, args: list, kwargs: dict) -> bool:
    """Whether a call is one of the variables' (it makes one, or one of its arguments is one, also inside a
    list or a tuple): planner/model_code/weight_variables.py reads it.

    >>> reads_variables("tensorflow.nn.relu", [1], {}), reads_variables("tensorflow.Variable", [], {})
    (False, True)
    """
    if name in _ALWAYS:
        return True
    for value in list(args) + list(kwargs.values()):
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, WeightVariable):
                return True
    return False


def variable_call(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Any:
    """A call that makes or reads variables: its rule, else a refusal naming the call."""
    rule = VARIABLE_OPERATIONS.get(name)
    if rule is None:
        values = [item for value in list(args) + list(kwargs.values())
                  for item in (value if isinstance(value, (list, tuple)) else (value,))]
        read = next((v for v in values if isinstance(v, WeightVariable)), None)
        what = read.label if read is not None else "a variable"
        raise Unreadable(node, f"{_spelled(node.func) if isinstance(node, ast.Call) else _callee(name)}() reads "
                               f"{what}: it has no spec layer with exactly those weights; {_FIX}")
    return rule(it, name, args, kwargs, node)


def variable_binary(it: Interpreter, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Tensor:
    """`x @ W` (a dense layer), `h + b` / `b + h` (its bias); any other arithmetic on a variable is refused."""
    if isinstance(op, ast.MatMult):
        return matmul(it, "@", [left, right], {}, node)
    if isinstance(op, ast.Add) and isinstance(left, WeightVariable) != isinstance(right, WeightVariable):
        tensor, variable = (right, left) if isinstance(left, WeightVariable) else (left, right)
        return add_bias(it, tensor, variable, node, "this addition")
    variable = left if isinstance(left, WeightVariable) else right
    raise Unreadable(node, f"this arithmetic reads {variable.label}: it has no spec layer with exactly those "
                           f"weights; {_FIX}")


def variable_method(it: Interpreter, variable: WeightVariable, name: str, args: list, kwargs: dict,
                    node: ast.AST) -> Any:
    """`W.get_shape()` (then `.as_list()`, `[0]`): the variable's shape; its other methods are not read."""
    if name == "get_shape":
        return TensorShape(MadeTensor(variable.shape, node))
    raise Unreadable(node, f".{name}() of {variable.label} is not read; {_FIX}")


def variable_attribute(it: Interpreter, variable: WeightVariable, name: str, node: ast.AST) -> Any:
    """`W.shape`: the variable's shape; another attribute is resolved when it is called (or used)."""
    if name == "shape":
        return TensorShape(MadeTensor(variable.shape, node))
    return Method(variable, name)
