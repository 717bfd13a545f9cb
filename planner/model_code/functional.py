"""The frameworks' functions and tensor methods the reader follows, and their spec layers.

torch: `F.relu`, `F.max_pool2d`..., `torch.flatten`, `torch.cat`, `x.view(x.size(0), -1)`, `+`;
keras: `Input`, `Sequential`, `Model`, `layers.concatenate` / `add`; TensorFlow 1: `tf.placeholder`,
`tf.layers.*`, `tf.nn.*`, `tf.reshape`, `tf.concat`. Layer classes are found by the kind table.
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from typing import Any

from .module_children import CHILDREN_METHODS, children
from .layer_forwards import own_layer_call
from .value_tensors import ValueTensor
from .value_tensors import FUNCTIONS as VALUE_FUNCTIONS, as_made, call as value_call
from .constants import MAX_SEQUENCE, range_length
from .graph import Tensor
from .layers import Layer
from .library_functions import LIBRARY_FUNCTIONS
from .outside import SETTINGS, skipped_kind
from .constant_calls import CONSTANT_CALLS
from .container_classes import container_kind, iterated
from .source import Unreadable
from .script_options import ArgumentParser, make_parser, parser_method
from .wrappers import wrap_layer, wrapper_names
from .learned_tensors import (PARAMETER_CLASSES, add_weight, learned_concatenation, learned_method,
                              make_parameter)
from .tensor_ops import call_operation, is_tensor, made_concatenation, rule_for, shape_method, as_sequence
from .data_shapes import input_shape_argument
from .values import (BatchSize, FedValue, Instance, LearnedTensor, MadeTensor, Model, ModuleList, Qualified, Scope,
                     Sequential, Super, TensorShape, Unknown)

#: The interpreter (planner/model_code/evaluate.py) that calls these functions; not imported here, so the
#: two modules import each other one way only.
Interpreter = Any

#: Activation functions (torch.nn.functional, torch, tensor methods, tf.nn, keras.activations) -> spec type.
ACTIVATIONS = {
    "relu": "relu", "relu6": "relu6", "sigmoid": "sigmoid", "tanh": "tanh", "gelu": "gelu", "silu": "silu",
    "swish": "swish", "elu": "elu", "selu": "selu", "mish": "mish", "softplus": "softplus",
    "softsign": "softsign", "leaky_relu": "leaky_relu", "softmax": "softmax", "log_softmax": "log_softmax",
    "hardswish": "hard_swish", "hard_swish": "hard_swish", "hardsigmoid": "hard_sigmoid",
    "hard_sigmoid": "hard_sigmoid",
}
#: Option keywords of activation functions -> spec option.
_ACTIVATION_OPTIONS = {"negative_slope": "negative_slope", "alpha": "negative_slope", "dim": "dim", "axis": "dim"}
#: torch.nn.functional functions that are a layer class applied to their first argument.
_TORCH_FUNCTIONAL_LAYERS = {
    "max_pool1d": "MaxPool1d", "max_pool2d": "MaxPool2d", "max_pool3d": "MaxPool3d",
    "avg_pool1d": "AvgPool1d", "avg_pool2d": "AvgPool2d", "avg_pool3d": "AvgPool3d",
    "adaptive_avg_pool1d": "AdaptiveAvgPool1d", "adaptive_avg_pool2d": "AdaptiveAvgPool2d",
    "adaptive_avg_pool3d": "AdaptiveAvgPool3d", "adaptive_max_pool1d": "AdaptiveMaxPool1d",
    "adaptive_max_pool2d": "AdaptiveMaxPool2d", "adaptive_max_pool3d": "AdaptiveMaxPool3d",
    "dropout": "Dropout", "dropout2d": "Dropout", "interpolate": "Upsample", "upsample": "Upsample",
}
#: Pure builtins the reader computes on constants.
BUILTINS = {"range": range, "len": len, "int": int, "float": float, "min": min, "max": max, "abs": abs,
            "round": round, "tuple": tuple, "list": list, "bool": bool, "str": str, "sum": sum, "chr": chr, "ord": ord}
_KERAS_MERGES = {"concatenate": "concatenate", "add": "add", "subtract": "subtract", "multiply": "multiply",
                 "average": "average", "maximum": "maximum", "minimum": "minimum"}
_KERAS_CONTAINERS = ("keras.Sequential", "keras.models.Sequential")
#: keras.Model(inputs, outputs) makes a Functional, which keras' own code builds by name
_KERAS_MODELS = ("keras.Model", "keras.models.Model", "keras.models.Functional")
_KERAS_INPUTS = ("keras.Input", "keras.layers.Input", "keras.Input")


def call_qualified(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.Call, scope: Scope) -> Any:
    """A call of an imported name: a layer class, a container, a framework function or a builtin."""
    head, _, last = name.rpartition(".")
    if name.startswith("builtins."):
        return _builtin(it, last, args, kwargs, node)
    if name in CONSTANT_CALLS:  # np.prod, typing.cast: plain values (constant_calls.py)
        return CONSTANT_CALLS[name](it, args, kwargs, node)
    if name in SETTINGS:  # a branch on the framework's configuration: a fresh CPU install's answer
        return it.assume(name, SETTINGS[name], node)
    if name in LIBRARY_FUNCTIONS:  # a framework helper that computes plain Python (library_functions.py)
        return LIBRARY_FUNCTIONS[name](it, args, kwargs, node)
    if name == "argparse.ArgumentParser":  # a script's options: their defaults (script_options.py)
        return make_parser(it, args, kwargs, node)
    if name == "torch.device":  # where the model runs: no effect on its shapes
        return args[0] if args and isinstance(args[0], str) else "cpu"
    if name in ("collections.OrderedDict", "typing.OrderedDict"):
        return it.built(OrderedDict(it.iterate(args[0], node) if args else []), node)
    if name in PARAMETER_CLASSES:  # a learned tensor the model holds (learned_tensors.py)
        return make_parameter(it, args, kwargs, node)
    # containers
    if name in ("torch.nn.Sequential",) + _KERAS_CONTAINERS:
        return _sequential(it, args, kwargs, node)
    if name == "torch.nn.ModuleList":
        return ModuleList(it.iterate(args[0], node) if args else [], node)
    if name in _KERAS_MODELS:
        return _keras_model(it, args, kwargs, node)
    if name in _KERAS_INPUTS:
        shape = kwargs.get("shape", args[0] if args else None)
        if kwargs.get("batch_shape") is not None:
            batch_shape = input_shape_argument(it, lambda: kwargs["batch_shape"], node)
            shape = batch_shape if isinstance(kwargs["batch_shape"], Unknown) else tuple(batch_shape)[1:]
        shape = input_shape_argument(it, lambda: shape, node)  # read from data: the shape given (data_shapes.py)
        return _input(it, shape, kwargs.get("name"), node)
    if name in ("tensorflow.placeholder",):
        shape = kwargs.get("shape", args[1] if len(args) > 1 else None)
        if shape is None:  # a value fed at run time (a keep probability), not the model's input
            return FedValue(node)
        if not isinstance(shape, (tuple, list)) or not shape:
            raise Unreadable(node, "tf.placeholder needs a literal shape with a batch axis to plan from")
        return _input(it, tuple(shape)[1:], kwargs.get("name"), node)
    # torch functions on tensors
    if name in ("torch.flatten",):
        return _flatten(it, args[0], args[1] if len(args) > 1 else kwargs.get("start_dim", 0), node)
    if name in ("torch.cat", "torch.concat", "torch.concatenate", "tensorflow.concat"):
        tensors = args[0] if args else kwargs.get("tensors", kwargs.get("values"))
        axis = args[1] if len(args) > 1 else kwargs.get("dim", kwargs.get("axis", 0))
        lowered = learned_concatenation(it, tensors, axis, node)  # a class token joined to the tokens
        if lowered is not None:
            return lowered
        made = made_concatenation(it, tensors, axis, node)  # tensors the code makes, joined
        if made is not None:
            return made
        joined = _tensor_list(tensors, node)
        if len(joined) == 1:  # the concatenation of one tensor is that tensor
            return joined[0]
        return merge(it, "concatenate", joined, node, {"axis": axis})
    if name in ("torch.add", "tensorflow.add", "torch.mul", "tensorflow.multiply", "torch.sub",
                "tensorflow.subtract") and not any(isinstance(a, MadeTensor) for a in args[:2]):
        kind = {"add": "add", "mul": "multiply", "multiply": "multiply", "sub": "subtract",
                "subtract": "subtract"}[last]
        return tensor_arithmetic(it, kind, args[0], args[1], node)
    if name == "tensorflow.squeeze":
        axis = args[1] if len(args) > 1 else kwargs.get("axis", kwargs.get("squeeze_dims"))
        if axis is None:
            raise Unreadable(node, "tf.squeeze() without an axis also removes a batch of 1; give the axes")
        return it.graph_layer({"type": "squeeze", "axis": list(axis) if isinstance(axis, tuple) else axis},
                              _tensor_list([args[0] if args else kwargs.get("input")], node), node, "squeeze")
    if name in ("torch.reshape", "tensorflow.reshape"):
        return _reshape(it, args[0], list(args[1]) if len(args) > 1 else list(kwargs.get("shape", ())), node)
    if head == "torch" and last in _SHAPE_OPS and args:
        return _shape_op(it, last, args[0], args[1:], kwargs, node)
    if name in ("tensorflow.identity", "torch.clone") or last == "stop_gradient":
        return _tensor_list([args[0]], node)[0]
    if name == "tensorflow.layers.flatten":
        return it.graph_layer({"type": "flatten"}, [_tensor_list([args[0] if args else kwargs["inputs"]], node)[0]],
                              node, "flatten")
    if head == "tensorflow.nn" and last in ("max_pool", "max_pool2d", "avg_pool", "avg_pool2d"):
        return _tf_nn_pool(it, last, args, kwargs, node)
    if head == "tensorflow.image" and last in _TF_RESIZES:
        return _tf_resize(it, last, args, kwargs, node)
    if head == "torch":  # torch.arange(depth) * w_a + w_0: tensors of values computed from constants
        valued = value_call(it, name, args, kwargs, node)
        if valued is not None:
            return valued
        args, kwargs = [as_made(a) for a in args], {key: as_made(v) for key, v in kwargs.items()}
    if head == "torch.nn.functional":  # F.layer_norm(x, self.normalized_shape, self.weight, ...) in a layer's forward
        own = own_layer_call(it, last, args, kwargs, node)
        if own is not None:
            return own
    # activations as functions
    if last in ACTIVATIONS and head in ("torch", "torch.nn.functional", "tensorflow.nn", "tensorflow",
                                        "tensorflow.math", "keras.activations", "keras.ops"):
        options = {_ACTIVATION_OPTIONS[k]: v for k, v in kwargs.items() if k in _ACTIVATION_OPTIONS}
        if last in ("leaky_relu",) and len(args) > 1:
            options["negative_slope"] = args[1]
        if last in ("softmax", "log_softmax") and len(args) > 1:
            options["dim"] = args[1]
        return it.graph_layer({"type": ACTIVATIONS[last], **options}, _tensor_list([args[0]], node), node,
                              ACTIVATIONS[last])
    if head == "torch.nn.functional" and last in _TORCH_FUNCTIONAL_LAYERS:
        tensor = args[0] if args else kwargs.get("input")
        layer = it.layer(f"torch.nn.{_TORCH_FUNCTIONAL_LAYERS[last]}", _TORCH_FUNCTIONAL_LAYERS[last], node, scope,
                         tensor_first=True, skip_keywords=("input", "training"))
        return it.apply_layer(layer, _tensor_list([tensor], node), node)
    if rule_for(name) is not None and not name.startswith("keras.layers."):  # the table of tensor operations
        return call_operation(it, name, args, kwargs, node)
    if head == "keras.layers" and last in _KERAS_MERGES:
        tensors = args[0] if args else kwargs.get("inputs")
        options = {"axis": kwargs["axis"]} if "axis" in kwargs else {}
        return merge(it, _KERAS_MERGES[last], _tensor_list(tensors, node), node, options)
    # layer classes
    if head in ("torch.nn", "keras.layers", "tensorflow.layers", "keras.layers.core",
                "keras.layers.convolutional", "keras.layers.pooling"):
        if head == "torch.nn" and last == "Identity":
            return Sequential([], node)
        if last in wrapper_names(it.framework):  # keras Bidirectional(LSTM(...)): an option of the wrapped kind
            return wrap_layer(last, it.framework, args, kwargs, node)
        tf1 = head == "tensorflow.layers"
        layer = it.layer(name, last, node, scope, tensor_first=tf1 and bool(node.args),
                         skip_keywords=("inputs",) if tf1 else ())
        if layer is None:
            raise Unreadable(node, f"{_written(node)} is not a layer layerplan plans; write this layer as a spec, "
                                   "or plan the model without it", skipped_kind(name))
        if tf1:  # TensorFlow 1 functions take the tensor and return the output
            tensor = args[0] if args else kwargs.get("inputs")
            return it.apply_layer(layer, _tensor_list([tensor], node), node)
        return layer
    raise Unreadable(node, f"{_written(node)}() is not read by layerplan's model reader (it has no spec layer); "
                           "write this step as a spec layer", skipped_kind(name))


def _written(node: ast.Call) -> str:
    """The callee as the code spells it (`tf.image.resize_images`)."""
    return ast.unparse(node.func)


def call_method(it: Interpreter, receiver: Any, name: str, args: list, kwargs: dict, node: ast.Call) -> Any:
    """`receiver.name(...)` where the receiver is a value the reader holds (a tensor, a list...)."""
    if isinstance(receiver, Unknown):
        receiver.fail(node)
    if isinstance(receiver, LearnedTensor):
        return learned_method(it, receiver, name, args, kwargs, node)
    if isinstance(receiver, Instance) and name == "add_weight" and it.framework == "keras":
        return add_weight(it, receiver, args, kwargs, node)
    if isinstance(receiver, Super):
        return None  # super().__init__(): the base class of the framework holds no layers
    if isinstance(receiver, ArgumentParser):
        return parser_method(it, receiver, name, args, kwargs, node)
    if isinstance(receiver, ValueTensor):  # widths.int().tolist()
        valued = value_call(it, f"Tensor.{name}", [receiver, *args], kwargs, node)
        if valued is not None:
            return valued
        receiver = as_made(receiver)  # positions.flatten(): its shape is what is read
    if isinstance(receiver, MadeTensor) and name in ("tolist", "item", "numpy"):
        raise Unreadable(node, f".{name}() of a tensor the reader knows by its shape only; it computes the values "
                               "of torch.arange / torch.tensor of constants through "
                               f"{', '.join(sorted(VALUE_FUNCTIONS))} and + - * /")
    if name in CHILDREN_METHODS and not args and not kwargs:
        listed = children(it, receiver, name, node)
        if listed is not None:
            return listed
    if isinstance(receiver, list) and name in ("append", "extend", "insert"):
        added = it.iterate(args[0], node) if name == "extend" else args[-1:]
        it.grow(receiver, len(added), node)
        if name == "insert":
            receiver.insert(args[0], args[1])
        else:
            receiver.extend(added)
        return None
    if isinstance(receiver, ModuleList) and name in ("append", "extend"):
        added = [args[0]] if name == "append" else it.iterate(args[0], node)
        it.grow(receiver.children, len(added), node)
        receiver.children.extend(added)
        return None
    if isinstance(receiver, Sequential) and name in ("add", "append", "add_module"):
        child = args[-1]
        key = args[0] if name == "add_module" else None
        if isinstance(child, Layer) and child.input_shape is not None and not receiver.children:
            receiver.input_shape, receiver.input_node = child.input_shape, child.node
        if isinstance(child, Tensor):  # model.add(Input(shape=...))
            receiver.input_shape = it.graph.inputs.get(child.name)
            receiver.input_node = it.graph.input_nodes.get(child.name)
            return None
        it.grow(receiver.children, 1, node)
        receiver.children.append((key, child))
        return None
    if isinstance(receiver, (dict, OrderedDict)) and name in ("items", "keys", "values"):
        return it.built(list(getattr(receiver, name)()), node)
    if isinstance(receiver, Tensor):
        return _tensor_method(it, receiver, name, args, kwargs, node)
    if isinstance(receiver, MadeTensor) and rule_for(f"Tensor.{name}") is not None:
        return call_operation(it, f"Tensor.{name}", [receiver, *args], kwargs, node)
    if isinstance(receiver, TensorShape):
        return shape_method(it, receiver, name, args, node)
    if isinstance(receiver, (Instance, Model, Sequential)) and name in ("summary", "compile", "to", "cuda", "eval",
                                                                      "train", "build"):
        return receiver if name in ("to", "cuda", "eval", "train") else None
    raise Unreadable(node, f".{name}() is not read by layerplan's model reader", skipped_kind(name))


def _tensor_method(it: Interpreter, tensor: Tensor, name: str, args: list, kwargs: dict, node: ast.Call) -> Any:
    if name in ("view", "reshape"):
        shape = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
        return _reshape(it, tensor, shape, node)
    if name == "flatten":
        return _flatten(it, tensor, args[0] if args else kwargs.get("start_dim", 0), node)
    if name in ("contiguous", "clone", "detach", "float", "to", "cuda", "cpu"):
        return tensor
    if name in ACTIVATIONS:
        options = {_ACTIVATION_OPTIONS[k]: v for k, v in kwargs.items() if k in _ACTIVATION_OPTIONS}
        if name in ("softmax", "log_softmax") and args:
            options["dim"] = args[0]
        return it.graph_layer({"type": ACTIVATIONS[name], **options}, [tensor], node, ACTIVATIONS[name])
    if name in ("relu_", "sigmoid_", "tanh_"):
        return it.graph_layer({"type": name[:-1]}, [tensor], node, name[:-1])
    if name in ("add", "mul", "sub") and args and not isinstance(args[0], MadeTensor):
        return tensor_arithmetic(it, {"add": "add", "mul": "multiply", "sub": "subtract"}[name], tensor, args[0],
                                 node)
    if name in _SHAPE_OPS:
        return _shape_op(it, name, tensor, args, kwargs, node)
    if rule_for(f"Tensor.{name}") is not None:  # the table of tensor operations
        return call_operation(it, f"Tensor.{name}", [tensor, *args], kwargs, node)
    raise Unreadable(node, f"the tensor method .{name}() is not read (it has no spec layer); write this step "
                           "as a spec")


#: torch tensor methods and functions that only move or cut axes -> the spec type
_SHAPE_OPS = {"chunk": "chunk", "split": "split", "permute": "permute", "transpose": "transpose",
              "squeeze": "squeeze", "unsqueeze": "unsqueeze", "unflatten": "unflatten"}


def _shape_op(it: Interpreter, name: str, tensor: Any, args: list, kwargs: dict, node: ast.AST) -> Any:
    """x.chunk(2, dim=1), torch.split(x, [a, b], dim=1), x.permute(0, 2, 3, 1), x.transpose(1, 2),
    x.squeeze(1), x.unsqueeze(1), x.unflatten(1, (C, H)): a spec layer; chunk and split give one
    tensor per part (`NAME:K`)."""
    tensors = _tensor_list([tensor], node)
    axis = kwargs.get("dim", kwargs.get("axis"))
    if name == "permute":
        dims = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
        entry = {"type": "permute", "dims": kwargs.get("dims", dims)}
    elif name == "transpose":
        entry = {"type": "transpose", "dim0": args[0] if args else kwargs.get("dim0"),
                 "dim1": args[1] if len(args) > 1 else kwargs.get("dim1")}
    elif name in ("squeeze", "unsqueeze"):
        entry = {"type": name, "axis": args[0] if args else axis}
    elif name == "unflatten":
        entry = {"type": "unflatten", "axis": args[0] if args else axis,
                 "sizes": list(args[1]) if len(args) > 1 else kwargs.get("sizes")}
    else:
        parts = args[0] if args else kwargs.get("chunks", kwargs.get("split_size_or_sections"))
        axis = args[1] if len(args) > 1 else axis
        if axis is None:
            raise Unreadable(node, f".{name}() without dim cuts the batch axis; give dim=")
        if name == "chunk":
            entry, count = {"type": "chunk", "chunks": parts, "axis": axis}, parts
        elif isinstance(parts, (list, tuple)):
            entry, count = {"type": "split", "sizes": list(parts), "axis": axis}, len(parts)
        else:
            raise Unreadable(node, "a split into parts of one size gives a number of parts that depends on the "
                                   "shape; give the sizes as a list")
        if not isinstance(count, int) or count < 1:
            raise Unreadable(node, "the number of parts must be a number the reader can compute")
        if any(v is None for v in entry.values()):
            raise Unreadable(node, f"this .{name}() call is not read; give its arguments as numbers")
        whole = it.graph_layer(entry, tensors, node, name)
        return tuple(Tensor(f"{whole.name}:{k}") for k in range(count))
    if any(v is None for v in entry.values()):
        raise Unreadable(node, f"this .{name}() call is not read; give its arguments as numbers")
    return it.graph_layer(entry, tensors, node, name)


def tensor_arithmetic(it: Interpreter, op: Any, left: Any, right: Any, node: ast.AST) -> Any:
    """`a + b` on tensors is an add layer (a residual); a tensor and a number keep the tensor's shape."""
    kind = op if isinstance(op, str) else {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply"}.get(type(op))
    if isinstance(left, Tensor) and isinstance(right, Tensor):
        if kind is None:
            raise Unreadable(node, "this operation on two tensors has no spec layer")
        return merge(it, kind, [left, right], node, {})
    if (isinstance(left, Tensor) and isinstance(right, (int, float))) or \
            (isinstance(right, Tensor) and isinstance(left, (int, float))):
        if isinstance(op, ast.MatMult):
            raise Unreadable(node, "matrix products are not read")
        return left if isinstance(left, Tensor) else right  # scaling or shifting by a number keeps the shape
    for value in (left, right):
        if isinstance(value, FedValue):
            raise value.refusal(node)
    raise Unreadable(node, "this operation mixes a tensor with a value the reader cannot compute")


def merge(it: Interpreter, kind: str, tensors: list[Tensor], node: ast.AST, options: dict) -> Tensor:
    return it.graph_layer({"type": kind, **options}, tensors, node, kind)


def adapt_layer(it: Interpreter, layer: Layer, class_name: str, kind) -> None:
    """Framework conventions that differ from the spec's: torch's last-axis-first padding (ZeroPad{n}d,
    ReflectionPad{n}d, ReplicationPad{n}d)."""
    if it.framework == "torch" and class_name.startswith(("ZeroPad", "ReflectionPad", "ReplicationPad")) and isinstance(layer.entry.get("padding"),
                                                                                   (list, tuple)):
        flat = list(layer.entry["padding"])
        if len(flat) == 2 * kind.dims:  # torch: (left, right, top, bottom, front, back)
            pairs = [flat[i:i + 2] for i in range(0, len(flat), 2)]
            layer.entry["padding"] = [list(p) for p in reversed(pairs)]
    if it.framework == "torch" and class_name == "Upsample" and "size" in layer.entry \
            and not isinstance(layer.entry["size"], (list, tuple)):
        layer.entry["size"] = [layer.entry["size"]] * max(kind.dims, 1)


def _flatten(it: Interpreter, tensor: Any, start_dim: Any, node: ast.AST) -> Tensor:
    if start_dim == 0:
        raise Unreadable(node, "flattening from axis 0 also flattens the batch; layerplan plans flatten(x, 1) "
                               "and later axes")
    entry = {"type": "flatten"} if start_dim == 1 else {"type": "flatten", "start_dim": start_dim}
    return it.graph_layer(entry, _tensor_list([tensor], node), node, "flatten")


def _reshape(it: Interpreter, tensor: Any, shape: list, node: ast.AST) -> Tensor:
    tensors = _tensor_list([tensor], node)
    if not shape:
        raise Unreadable(node, "a reshape without a shape")
    batch, rest = shape[0], shape[1:]
    if not (isinstance(batch, BatchSize) or batch == -1 or batch is None):
        raise Unreadable(node, "the first size of a reshape must be the batch (x.size(0), -1 or None)")
    if isinstance(batch, BatchSize) or batch is None:
        pass
    elif any(v == -1 for v in rest):
        raise Unreadable(node, "a reshape with -1 for the batch and another -1 is not read")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in rest):
        raise Unreadable(node, "the reshape sizes must be numbers the reader can compute")
    if rest == [-1]:
        return it.graph_layer({"type": "flatten"}, tensors, node, "flatten")
    return it.graph_layer({"type": "reshape", "target_shape": rest}, tensors, node, "reshape")


def _tf_nn_pool(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.Call) -> Tensor:
    tensor = args[0] if args else kwargs.get("value", kwargs.get("input"))
    ksize = kwargs.get("ksize", args[1] if len(args) > 1 else None)
    strides = kwargs.get("strides", args[2] if len(args) > 2 else None)
    padding = kwargs.get("padding", args[3] if len(args) > 3 else "VALID")

    def spatial(value):
        if isinstance(value, int):
            return (value, value)
        if isinstance(value, (list, tuple)) and len(value) == 4 and value[0] == value[3] == 1:
            return tuple(value[1:3])
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return tuple(value)
        raise Unreadable(node, "tf.nn pooling windows must be literal [1, h, w, 1] lists")

    kind = "max_pool2d" if name.startswith("max") else "avg_pool2d"
    entry = {"type": kind, "pool_size": spatial(ksize), "stride": spatial(strides),
             "padding": str(padding).lower()}
    return it.graph_layer(entry, _tensor_list([tensor], node), node, kind)


#: tf.image resizing functions (TensorFlow 1 and 2, tf.compat.v1) -> the interpolation they use (None: `method=`)
_TF_RESIZES = {"resize": None, "resize_images": None, "resize_nearest_neighbor": "nearest",
               "resize_bilinear": "bilinear", "resize_bicubic": "bicubic", "resize_area": "area"}
#: tf.image.ResizeMethod members and TensorFlow 1's numbers for them -> the resizing layer's interpolation
_TF_RESIZE_METHODS = {"BILINEAR": "bilinear", "NEAREST_NEIGHBOR": "nearest", "BICUBIC": "bicubic", "AREA": "area",
                      "LANCZOS3": "lanczos3", "LANCZOS5": "lanczos5", 0: "bilinear", 1: "nearest", 2: "bicubic",
                      3: "area"}


def _tf_resize(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.Call) -> Tensor:
    """`tf.image.resize_nearest_neighbor(x, (7, 7))`, `tf.image.resize(x, size, method=...)` and the other
    tf.image resizes: a resizing layer to the literal size (no params; align_corners, half_pixel_centers and
    antialias change values, not shapes)."""
    tensor = args[0] if args else kwargs.get("images")
    size = args[1] if len(args) > 1 else kwargs.get("size")
    if not isinstance(size, (list, tuple)) or len(size) != 2 or \
            not all(isinstance(v, int) and not isinstance(v, bool) for v in size):
        raise Unreadable(node, f"tf.image.{name}() needs a literal (height, width) size to be read; write the two "
                               "numbers")
    if kwargs.get("preserve_aspect_ratio"):
        raise Unreadable(node, f"tf.image.{name}(preserve_aspect_ratio=True) sizes the output from the input's "
                               "aspect ratio; write the size it gives, without preserve_aspect_ratio")
    interpolation = _TF_RESIZES[name]
    if interpolation is None:
        method = args[2] if len(args) > 2 else kwargs.get("method", "bilinear")
        if isinstance(method, Qualified):
            method = method.name.rpartition(".")[2]
        interpolation = _TF_RESIZE_METHODS.get(method, method.lower() if isinstance(method, str) else None)
        if interpolation not in ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"):
            raise Unreadable(node, f"the resize method {method!r} has no keras Resizing interpolation; use "
                                   "bilinear, nearest, bicubic, area, lanczos3 or lanczos5")
    entry = {"type": "resizing", "height": size[0], "width": size[1], "interpolation": interpolation}
    return it.graph_layer(entry, _tensor_list([tensor], node), node, "resizing")


def _tensor_list(value: Any, node: ast.AST) -> list[Tensor]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    for item in values:
        if isinstance(item, Unknown):
            item.fail(node)
        if isinstance(item, FedValue):
            raise item.refusal(node)
        if isinstance(item, LearnedTensor):
            raise item.refuse(node, "used as a tensor of the model")
        if not isinstance(item, Tensor):
            raise Unreadable(node, "this is not a tensor the reader followed from the model's input")
    return values


def _sequential(it: Interpreter, args: list, kwargs: dict, node: ast.Call) -> Sequential:
    children: list[tuple[str | None, Any]] = []
    sequential = Sequential(children, node, name=kwargs.get("name"))
    items = args
    if len(args) == 1 and isinstance(args[0], (OrderedDict, dict)):
        items = list(args[0].items())
        for key, child in items:
            call_method(it, sequential, "add_module", [key, child], {}, node)
            if isinstance(child, Layer) and child.name is None:
                child.name, child.named_by_path = str(key), True
        return sequential
    if len(args) == 1 and isinstance(args[0], list):  # keras Sequential([...])
        items = args[0]
    if "layers" in kwargs:
        items = kwargs["layers"]
    for child in items:
        call_method(it, sequential, "add", [child], {}, node)
    return sequential


def _keras_model(it: Interpreter, args: list, kwargs: dict, node: ast.Call) -> Model:
    inputs = kwargs.get("inputs", args[0] if args else None)
    outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
    if isinstance(inputs, dict) or isinstance(outputs, dict):
        raise Unreadable(node, "a Model with dicts of inputs or outputs is not read")
    return Model(_tensor_list(inputs, node), _tensor_list(outputs, node), it.graph, node, kwargs.get("name"))


def _input(it: Interpreter, shape: Any, name: Any, node: ast.AST) -> Tensor:
    if not isinstance(shape, (tuple, list)) or not all(isinstance(v, int) or v is None for v in shape):
        raise Unreadable(node, "the input shape must be a literal tuple the reader can compute")
    shape = tuple(shape)
    known = None if any(v is None for v in shape) else shape
    hint = name if isinstance(name, str) else it.hint or "input"
    return it.graph.add_input(hint, known, node)


def _builtin(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST) -> Any:
    if name == "super":
        return Super()
    if name == "print":
        return None
    if name in ("zip", "enumerate", "reversed"):
        lists = [it.iterate(a, node) for a in args]
        if not lists:
            raise Unreadable(node, f"{name}() of nothing is not read")
        if name == "zip":
            return it.built([tuple(items) for items in zip(*lists)], node)
        if name == "enumerate":
            start = kwargs.get("start", 0)
            if not isinstance(start, int):
                raise Unreadable(node, "enumerate() starts from a number here")
            return it.built(list(enumerate(lists[0], start)), node)
        return it.built(list(reversed(lists[0])), node)
    if name == "dict":
        pairs = it.iterate(list(args[0].items()) if args and isinstance(args[0], dict) else args[0], node) \
            if args else []  # dict(mapping) copies it
        try:
            return it.built(dict(pairs, **kwargs), node)
        except (TypeError, ValueError) as exc:
            raise Unreadable(node, f"dict() fails here: {exc}") from None
    if name == "isinstance" or name in ("getattr", "setattr"):
        raise Unreadable(node, f"{name}() is not read")
    if name == "len" and args and isinstance(args[0], (ModuleList, Sequential)):
        return len(args[0].children)
    if name == "len" and len(args) == 1 and container_kind(it, args[0]) is not None:
        return len(iterated(it, args[0], node))
    if name in ("len", "tuple", "list") and len(args) == 1 and (is_tensor(args[0]) or isinstance(args[0], TensorShape)):
        shape = as_sequence(it, TensorShape(args[0]) if is_tensor(args[0]) else args[0], node)
        if is_tensor(args[0]):  # len(x): its first axis
            if name != "len":
                raise Unreadable(node, f"{name}() of a tensor (its rows) is not read")
            return shape[0]
        return len(shape) if name == "len" else it.built(tuple(shape) if name == "tuple" else list(shape), node)
    if not all(isinstance(a, range) or it.is_constant(a, node) for a in args) \
            or not all(it.is_constant(v, node) for v in kwargs.values()):
        raise Unreadable(node, f"{name}() of a value the reader cannot compute")
    for argument in args:
        if isinstance(argument, range) and name not in ("range", "len", "bool"):  # these take a range as it is
            if range_length(argument) > MAX_SEQUENCE:
                raise Unreadable(node, f"{name}() over {range_length(argument):,} numbers is over the reader's "
                                       f"limit of {MAX_SEQUENCE:,}")
            it.built(list(argument), node)  # the others go through it: a step per number
    if name == "sum" and args and not all(isinstance(v, (int, float)) for v in it.iterate(args[0], node)):
        raise Unreadable(node, "sum() adds numbers here")
    if name == "round" and len(args) > 1 and isinstance(args[1], int) and abs(args[1]) > 64:
        raise Unreadable(node, "round() to more than 64 digits is not read")
    try:
        result = BUILTINS[name](*args, **kwargs)
    except (TypeError, ValueError, OverflowError) as exc:
        raise Unreadable(node, f"{name}() fails here: {exc}") from None
    return it.built(result, node)
