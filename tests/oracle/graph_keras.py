"""The keras side of the graph differential tests: a spec graph as a keras functional model.

`run_keras_graph` calls each node's keras layer eagerly on zeros (batch 2, training=False), recording
its output and params and stopping at the first node keras (or spec-v1) rejects; spec-v1 says
TensorFlow execution wins over symbolic inference. A graph that runs is then built again as a
keras functional model (keras.Input -> fresh layers -> keras.Model with every node as an output) and
run once on zeros, and the model's shapes are recorded too.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers as kl  # noqa: E402

from graph_cases import GraphRun, NodeRow, merge_axis, node_entry  # noqa: E402
from keras_build import BATCH, _short, make_layer, resolve_type  # noqa: E402

MERGE_CLASSES = {"concatenate": kl.Concatenate, "add": kl.Add, "subtract": kl.Subtract, "multiply": kl.Multiply,
                 "average": kl.Average, "maximum": kl.Maximum, "minimum": kl.Minimum}


def build_node(type_name: str, options: dict, input_shapes: list[list[int]]):
    """A fresh keras layer for one node (raises what keras raises, or ValueError for spec-v1 rules)."""
    if type_name in MERGE_CLASSES:
        if len(input_shapes) < 2:
            raise ValueError("spec-v1: a merge takes two or more inputs")
        if type_name == "concatenate":
            axis = merge_axis(options.get("axis", -1), len(input_shapes[0]))
            return kl.Concatenate(axis=axis)
        return MERGE_CLASSES[type_name]()
    if len(input_shapes) != 1:
        raise ValueError(f"spec-v1: {type_name} takes one input")
    shape = input_shapes[0]
    kind, dims = resolve_type(type_name, len(shape))
    if dims is not None and len(shape) != dims + 1:
        raise ValueError(f"spec-v1: wrong input rank {len(shape)} for a {dims}d layer")
    return make_layer(kind, dims, options)


def call_node(node, type_name: str, tensors, **kwargs):
    """Call a node on its inputs: a merge on the list, attention on (query, value[, key]) — one input is
    self-attention — and any other layer on its one input."""
    if type_name in MERGE_CLASSES:
        return node(tensors, **kwargs)
    if resolve_type(type_name, 2)[0] == "multi_head_attention":
        return node(tensors[0], tensors[1] if len(tensors) > 1 else tensors[0], **kwargs)
    return node(tensors[0], **kwargs)


def _weights(weights) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def run_keras_graph(spec: dict, progress=None) -> GraphRun:
    """Run the graph node by node, then as one model; `progress` (isolation.py) hears ("start", index)
    before each node and ("start", "model") before the whole model runs."""
    report = progress or (lambda payload: None)
    run = GraphRun()
    values = {"input": np.zeros((BATCH, *spec["input"]), dtype="float32")}
    for index, layer in enumerate(spec["layers"], start=1):
        type_name, options = node_entry(layer)
        row = NodeRow(index, type_name)
        run.rows.append(row)
        report(("start", index))
        tensors = [values[name] for name in layer["inputs"]]
        try:
            node = build_node(type_name, options, [list(t.shape[1:]) for t in tensors])
            out = call_node(node, type_name, tensors, training=False)
        except Exception as exc:  # noqa: BLE001 - keras rejects the node
            row.error = _short(exc)
            run.first_error = index
            return run
        row.params = int(node.count_params())
        row.trainable = _weights(node.trainable_weights)
        row.non_trainable = _weights(node.non_trainable_weights)
        row.output = [int(d) for d in out.shape[1:]]
        if 0 in row.output:
            row.error = f"spec-v1: zero-sized output {row.output}"
            run.first_error = index
            return run
        values[layer["name"]] = out
    report(("start", "model"))
    run.model_outputs = functional_model_shapes(spec)
    return run


def functional_model_shapes(spec: dict) -> dict[str, list[int]]:
    """Build the graph as a keras functional model and run it on zeros: name -> output shape."""
    inputs = keras.Input(shape=tuple(spec["input"]), name="input")
    symbols = {"input": inputs}
    for layer in spec["layers"]:
        type_name, options = node_entry(layer)
        tensors = [symbols[name] for name in layer["inputs"]]
        node = build_node(type_name, options, [list(t.shape[1:]) for t in tensors])
        symbols[layer["name"]] = call_node(node, type_name, tensors)
    names = [layer["name"] for layer in spec["layers"]]
    model = keras.Model(inputs=inputs, outputs=[symbols[n] for n in names])
    outputs = model(np.zeros((BATCH, *spec["input"]), dtype="float32"), training=False)
    return {name: [int(d) for d in out.shape[1:]] for name, out in zip(names, outputs)}
