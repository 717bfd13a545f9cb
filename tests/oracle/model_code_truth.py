"""The truth for model files: import and run them with the real framework (in a worker process).

layerplan reads model files without running them; this module, on the reference side of the
differential tests, does run them: it executes the file, takes the object NAME (a class is
instantiated with no arguments, a function is called), runs the model on a zeros batch, and records
the output shape, the parameter count and each layer's output shape by name (torch: the module names
of `named_modules`; keras: the layers' names; TensorFlow 1: the module-level variables holding tensors).

TensorFlow 1's `tf.layers` and `tf.placeholder` do not exist under the pinned TensorFlow 2.21 with
Keras 3, so TF1 files run against a shim in which `tf.layers.conv2d(inputs, ...)` is
`keras.layers.Conv2D(...)(inputs)` (how TF1 defined them: `tf.layers` classes subclassed the keras
layers) and `tf.placeholder(dtype, shape)` is `keras.Input(shape[1:])`.
"""

from __future__ import annotations

import ast
import contextlib
import types

BATCH = 2


def _load(path: str, globals_: dict) -> dict:
    """Execute a file's top-level statements one by one; a statement that fails (a loss on symbolic
    tensors, training code) is skipped, as only the model is compared."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    globals_.setdefault("__name__", "model_under_test")
    for statement in tree.body:
        module = ast.Module(body=[statement], type_ignores=[])
        try:
            exec(compile(module, path, "exec"), globals_)  # noqa: S102 - the reference side runs the file
        except Exception:  # noqa: BLE001
            continue
    return globals_


def torch_truth(path: str, name: str, input_shape: list[int] | dict) -> dict:
    """`input_shape`: the sample shape, or {argument: shape} for a forward that takes several tensors."""
    import torch

    namespace = _load(path, {})
    model = namespace[name]
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
    return {"output": list(output.shape[1:]), "params": sum(p.numel() for p in model.parameters()),
            "layers": layers}


def keras_truth(path: str, name: str, input_shape: list[int] | None) -> dict:
    import keras
    import numpy as np

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
    return {"output": list(output.shape[1:]), "params": int(model.count_params()), "layers": {}, "shapes": shapes}


def _tf1_shim():
    """A `tensorflow` module whose TF1 graph API is built from the real keras layers."""
    import keras
    import tensorflow as tf

    created: list = []

    def layer_function(cls, *positional_names):
        def build(inputs, *args, **kwargs):
            kwargs.update(zip(positional_names, args))
            for ignored in ("reuse", "training"):
                kwargs.pop(ignored, None)
            layer = cls(**kwargs)
            created.append(layer)
            return layer(inputs)
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

    def placeholder(dtype, shape=None, name=None):
        return keras.Input(shape=tuple(shape)[1:], name=name)

    def reshape(tensor, shape, name=None):
        layer = L.Reshape(tuple(shape)[1:])
        created.append(layer)
        return layer(tensor)

    def concat(values, axis, name=None):
        layer = L.Concatenate(axis=axis)
        created.append(layer)
        return layer(values)

    def pool(cls):
        def build(value, ksize, strides, padding, data_format="NHWC", name=None):
            layer = cls(pool_size=tuple(ksize)[1:3], strides=tuple(strides)[1:3], padding=padding.lower())
            created.append(layer)
            return layer(value)
        return build

    shim = types.SimpleNamespace(**{k: getattr(tf, k) for k in ("float32", "image", "train")})
    shim.layers, shim.placeholder, shim.reshape, shim.concat = tf1_layers, placeholder, reshape, concat
    shim.variable_scope = lambda *args, **kwargs: contextlib.nullcontext()
    shim.nn = types.SimpleNamespace(relu=keras.activations.relu, sigmoid=lambda x: L.Activation("sigmoid")(x),
                                    max_pool=pool(L.MaxPooling2D), avg_pool=pool(L.AveragePooling2D))
    return shim, created


def tf1_truth(path: str, name: str) -> dict:
    import keras

    shim, created = _tf1_shim()
    # the file's own `import tensorflow as tf` is left out, so that `tf` is the shim
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    namespace = {"tf": shim, "__name__": "model_under_test"}
    created.clear()
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            continue
        try:
            exec(compile(ast.Module(body=[statement], type_ignores=[]), path, "exec"), namespace)  # noqa: S102
        except Exception:  # noqa: BLE001
            continue
    output = namespace[name]
    inputs = [v for v in namespace.values() if isinstance(v, keras.KerasTensor) and v._keras_history[0].__class__
              is keras.layers.InputLayer]
    model = keras.Model(inputs=[i for i in inputs if _depends(output, i)], outputs=output)
    layers = {k: list(v.shape[1:]) for k, v in namespace.items() if isinstance(v, keras.KerasTensor)}
    return {"output": list(output.shape[1:]), "params": int(model.count_params()), "layers": layers}


def _depends(output, candidate) -> bool:
    try:
        import keras

        keras.Model(inputs=candidate, outputs=output)
        return True
    except Exception:  # noqa: BLE001
        return False
