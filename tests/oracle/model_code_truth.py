"""The truth for model files: import and run them with the real framework (in a worker process).

layerplan reads model files without running them; this module, on the reference side of the
differential tests, does run them: it executes the file, takes the object NAME (a class is
instantiated with no arguments, a function is called), runs the model on a zeros batch, and records
the output shape, the parameter count and each layer's output shape by name (torch: the module names
of `named_modules`; keras: the layers' names; TensorFlow 1: the module-level variables holding tensors).

TensorFlow 1 files run in graph mode under `tf.compat.v1` (their placeholders, tf.nn, tf.image and
training ops are TensorFlow's own); only `tf.layers`, which the pinned TensorFlow 2.21 with Keras 3 no
longer has, is `keras.layers` applied to the graph tensors (how TF1 defined them: `tf.layers` classes
subclassed the keras layers).
"""

from __future__ import annotations

import ast
import sys
import types

BATCH = 2


def _load(path: str, globals_: dict) -> dict:
    """Execute a file's top-level statements one by one; a statement that fails (a loss on symbolic
    tensors, training code, data that is not there) is skipped, as only the model is compared. The
    command line is the file alone (a script's argparse options take their defaults)."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    globals_.setdefault("__name__", "model_under_test")
    saved, sys.argv = sys.argv, [path]
    root, package = _package_of(path)
    globals_.setdefault("__package__", package)  # relative imports of a package's file work, as under `python -m`
    sys.path.insert(0, root)
    try:
        _run(tree.body, globals_, path)
    finally:
        sys.argv = saved
        sys.path.remove(root)
    return globals_


def _package_of(path: str) -> tuple[str, str]:
    """(the folder a file's top-level package lives in, the file's package): the folders above it that hold
    an `__init__.py`; a file outside a package is its own folder and no package."""
    import os

    folder, parts = os.path.dirname(os.path.abspath(path)), []
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        folder, name = os.path.split(folder)
        parts.insert(0, name)
    return folder, ".".join(parts)


def _selected(namespace: dict, name: str):
    """The object NAME names, or for NAME(ARGS) what calling it with those literal arguments gives."""
    if "(" not in name:
        return namespace[name]
    call = ast.parse(name, mode="eval").body
    args = [ast.literal_eval(a) for a in call.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    return namespace[call.func.id](*args, **kwargs)


def _run(statements: list, namespace: dict, path: str) -> None:
    """Run statements one by one, skipping those that fail; an `if` runs its test, then the branch taken
    the same way (so that `input_shape = ...` is still set when the data reshaped beside it is missing)."""
    for statement in statements:
        try:
            if isinstance(statement, ast.If):
                test = eval(compile(ast.Expression(statement.test), path, "eval"), namespace)  # noqa: S307
                _run(statement.body if test else statement.orelse, namespace, path)
                continue
            # dont_inherit: the file's code is compiled with its own __future__ imports, not this module's
            code = compile(ast.Module(body=[statement], type_ignores=[]), path, "exec", dont_inherit=True)
            exec(code, namespace)  # noqa: S102
        except Exception:  # noqa: BLE001
            continue


def torch_truth(path: str, name: str, input_shape: list[int] | dict) -> dict:
    """`input_shape`: the sample shape, or {argument: shape} for a forward that takes several tensors."""
    import torch

    namespace = _load(path, {})
    model = _selected(namespace, name)
    if isinstance(model, type) or (callable(model) and not isinstance(model, torch.nn.Module)):
        model = model()
    model.eval()
    layers: dict[str, list[int]] = {}

    def record(module_name):
        def hook(module, inputs, output):  # returns None: the output is kept
            first = output[0] if isinstance(output, tuple) else output  # an LSTM's (output, (h, c))
            layers.setdefault(module_name, list(first.shape[1:]))
        return hook

    for module_name, module in model.named_modules():
        if module_name and not list(module.children()):
            module.register_forward_hook(record(module_name))
    ids = any(isinstance(m, torch.nn.Embedding) for m in model.modules())  # an embedding reads token ids
    dtype = torch.long if ids else torch.float32
    shapes = list(input_shape.values()) if isinstance(input_shape, dict) else [input_shape]
    with torch.no_grad():
        output = model(*[torch.zeros(BATCH, *shape, dtype=dtype) for shape in shapes])
    if isinstance(output, dict):  # {"out": tensor}: a segmentation model's outputs by name
        (output,) = output.values()
    return {"output": list(output.shape[1:]), "params": sum(p.numel() for p in model.parameters()),
            "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad), "layers": layers}


def keras_truth(path: str, name: str, input_shape: list[int] | None) -> dict:
    import keras
    import numpy as np

    _without_downloads(keras)
    namespace = _load(path, {})
    model = namespace[name]
    if isinstance(model, type) or (callable(model) and not isinstance(model, keras.Model)):
        model = model()
    if input_shape is not None:
        output = model(np.zeros((BATCH, *input_shape), dtype="float32"))
    else:  # the model's own inputs (several for a functional model with several Input)
        batch = [np.zeros((BATCH, *i.shape[1:]), dtype="float32") for i in model.inputs]
        output = model(batch if len(batch) > 1 else batch[0])
    # keras names unnamed layers with a counter shared by every model of the process: the layers are
    # compared by their output shapes, as a multiset (the order of model.layers is keras' own)
    try:
        shapes = sorted(list(layer.output.shape[1:]) for layer in model.layers
                        if not isinstance(layer, keras.layers.InputLayer))
    except (AttributeError, ValueError):  # a subclassed model has no symbolic outputs per layer
        shapes = None
    trainable = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
    return {"output": list(output.shape[1:]), "params": int(model.count_params()), "trainable": trainable,
            "layers": {}, "shapes": shapes}


def _without_downloads(keras) -> None:
    """keras' data sets download their data when loaded: here loading one fails at once (its statement is
    skipped like any other that fails), as only the model is compared."""
    def no_data(*args, **kwargs):
        raise RuntimeError("the truth runs the model, not its data")

    for data_set in ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters", "boston_housing"):
        module = getattr(keras.datasets, data_set, None)
        if module is not None:
            module.load_data = no_data


def _tf1_module(graph):
    """TensorFlow 1 as the file uses it: `tf.compat.v1` in graph mode (placeholders, tf.nn, tf.image, tf.reshape,
    losses, tf.train), except `tf.layers`, which TensorFlow 2.21 with Keras 3 no longer has: there
    `tf.layers.conv2d(inputs, ...)` is `keras.layers.Conv2D(...)(inputs)` on the graph tensor (how TF1
    defined them: `tf.layers` classes subclassed the keras layers)."""
    import keras
    import tensorflow as tf

    v1 = tf.compat.v1

    def layer_function(cls, *positional_names):
        def build(inputs, *args, **kwargs):
            kwargs.update(zip(positional_names, args))
            for ignored in ("reuse", "training"):
                kwargs.pop(ignored, None)
            with graph.as_default():
                return cls(**kwargs)(inputs)
        return build

    L = keras.layers
    tf1_layers = types.SimpleNamespace(
        conv2d=layer_function(L.Conv2D, "filters", "kernel_size", "strides", "padding"),
        conv2d_transpose=layer_function(L.Conv2DTranspose, "filters", "kernel_size", "strides", "padding"),
        max_pooling2d=layer_function(L.MaxPooling2D, "pool_size", "strides", "padding"),
        average_pooling2d=layer_function(L.AveragePooling2D, "pool_size", "strides", "padding"),
        dense=layer_function(L.Dense, "units", "activation"),
        flatten=layer_function(L.Flatten),
        dropout=layer_function(L.Dropout, "rate"),
        batch_normalization=layer_function(L.BatchNormalization, "axis"),
    )
    module = types.SimpleNamespace(**{name: getattr(v1, name) for name in dir(v1) if not name.startswith("_")})
    module.layers = tf1_layers
    return module


def tf1_truth(path: str, name: str) -> dict:
    """Run a TensorFlow 1 file in a graph of its own (tf.compat.v1 graph mode), then feed zeros to the
    placeholders the output depends on. Params: the trainable variables the output reads."""
    import numpy as np
    import tensorflow as tf

    graph = tf.Graph()
    module = _tf1_module(graph)
    # the file's own imports are left out, so that `tf` is TensorFlow 1
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    namespace = {"tf": module, "__name__": "model_under_test"}
    with graph.as_default():
        _run([s for s in tree.body if not isinstance(s, (ast.Import, ast.ImportFrom))], namespace, path)
        output = namespace[name]
        reached = _upstream_ops(output)
        placeholders = [op.outputs[0] for op in reached if op.type == "Placeholder"]
        variables = [v for v in tf.compat.v1.trainable_variables() if _variable_op(v) in reached]
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            value = session.run(output, {p: _fed(p, np) for p in placeholders})
    tensors = {k: v for k, v in namespace.items() if isinstance(v, tf.Tensor) and v.op in reached
               and v.op.type != "Placeholder"}
    return {"output": list(value.shape[1:]), "params": sum(int(np.prod(v.shape)) for v in variables),
            "layers": {k: list(v.shape[1:]) for k, v in tensors.items()},
            "shapes": sorted(list(v.shape[1:]) for v in tensors.values())}


def _fed(placeholder, np):
    """What a placeholder is fed: zeros of one batch, or 1.0 for a placeholder without axes or without a shape
    (a keep probability)."""
    if placeholder.shape.rank in (None, 0):
        return np.float32(1.0)
    return np.zeros((BATCH, *placeholder.shape[1:]), dtype="float32")


def _upstream_ops(tensor) -> set:
    """Every operation a tensor's value is computed from (its inputs, transitively)."""
    seen, stack = set(), [tensor.op]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return seen


def _variable_op(variable):
    handle = getattr(variable, "handle", None)
    return handle.op if handle is not None else variable.op


def tf_slim_truth(path: str, name: str, input_shape: list[int]) -> dict:
    """A tf-slim network function of the file called on a placeholder of the input shape, outside any arg_scope,
    in a graph of its own (the file imported as a module, with its own imports). Params: the variables the
    output is computed from, with the moving statistics of its batch normalisations (corpus_truth.py counts
    the same). Layers: the end points the function returns beside its output, named as the plan names them
    (`classifier/conv1/conv1_1` -> `classifier.conv1.conv1_1`)."""
    import importlib.util

    import numpy as np
    import tensorflow as tf

    from corpus_truth import _variables_used
    from tensorflow.python.framework import ops

    if not hasattr(ops, "Tensor"):  # tf-slim 1.1's batch_norm tests `isinstance(x, ops.Tensor)`, an alias of
        ops.Tensor = tf.Tensor      # tf.Tensor that TensorFlow 2.21 no longer has
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        spec = importlib.util.spec_from_file_location("tf_slim_model_under_test", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        inputs = v1.placeholder(tf.float32, (BATCH, *input_shape))
        result = getattr(module, name)(inputs)
        output, end_points = result if isinstance(result, tuple) else (result, {})
        used = _variables_used([output], v1.global_variables())
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            value = session.run(output, {inputs: np.zeros((BATCH, *input_shape), dtype="float32")})
    return {"output": list(value.shape[1:]), "params": sum(int(np.prod(v.shape)) for v in used),
            "layers": {alias.replace("/", "."): list(tensor.shape[1:]) for alias, tensor in end_points.items()},
            "shapes": None}
