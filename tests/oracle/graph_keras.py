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

from graph_cases import GraphRun, NodeRow, indexed_reads, merge_axis, node_entry, part_options, spec_inputs  # noqa: E402
from keras_build import BATCH, _short, make_layer, resolve_type  # noqa: E402

MERGE_CLASSES = {"concatenate": kl.Concatenate, "add": kl.Add, "subtract": kl.Subtract, "multiply": kl.Multiply,
                 "average": kl.Average, "maximum": kl.Maximum, "minimum": kl.Minimum}


PART_KINDS = {"split", "chunk"}


def read(values: dict, ref: str):
    """The tensor an input names: `NAME`, or output K of a layer as `NAME:K` (0 for a one-output layer).
    Reading a layer with several outputs whole is a spec-v1 error."""
    if ref in values:
        value = values[ref]
        if isinstance(value, (list, tuple)):
            raise ValueError(f"spec-v1: {ref!r} has {len(value)} outputs: read one as {ref}:K")
        return value
    name, index = ref.rsplit(":", 1)
    value = values[name]
    if isinstance(value, (list, tuple)):
        return value[int(index)]
    if int(index) != 0:
        raise ValueError(f"spec-v1: {name!r} has one output, not {index}")
    return value


class Parts(kl.Layer):
    """keras.ops.split: with a number (sections, chunks) equal parts, with a list the split points
    (indices); the spec's sizes are tf.split's, which keras.ops.split cuts at their running totals."""

    def __init__(self, kind: str, options: dict):
        super().__init__()
        given = [o for o in ("sizes", "sections", "indices", "chunks") if o in options]
        if len(given) != 1:
            raise ValueError(f"spec-v1: split takes one of sizes, sections and indices, got {given}")
        self.kind, self.options = kind, options

    def call(self, x):
        from shape_ops_run import _spec_refusal

        o = self.options
        refusal = _spec_refusal(self.kind, list(x.shape[1:]), {**o, "framework": "keras"})
        if refusal:
            raise ValueError(refusal)
        if "sizes" in o:
            if sum(o["sizes"]) != x.shape[o["axis"]]:  # tf.split's own check
                raise ValueError(f"sizes {o['sizes']} do not add up to the axis")
            # one size is one part: keras.ops.split(x, []) would fail where tf.split(x, [n]) does not
            way = [sum(o["sizes"][:k + 1]) for k in range(len(o["sizes"]) - 1)] or 1
        else:
            way = o.get("indices", o.get("sections", o.get("chunks")))
        return keras.ops.split(x, way, axis=o["axis"])


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
    if type_name in PART_KINDS:
        return Parts(type_name, part_options(options))
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
    if type_name in PART_KINDS:
        return node(tensors[0], **kwargs)
    if resolve_type(type_name, 2)[0] == "multi_head_attention":
        return node(tensors[0], tensors[1] if len(tensors) > 1 else tensors[0], **kwargs)
    return node(tensors[0], **kwargs)


def _weights(weights) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def run_keras_graph(spec: dict, progress=None) -> GraphRun:
    """Run the graph node by node, then as one model; `progress` (isolation.py) hears ("start", index)
    before each node and ("start", "model") before the whole model runs."""
    report = progress or (lambda payload: None)
    spec = indexed_reads(spec)
    run = GraphRun()
    values = {name: np.zeros((BATCH, *shape), dtype="float32") for name, shape in spec_inputs(spec).items()}
    for index, layer in enumerate(spec["layers"], start=1):
        type_name, options = node_entry(layer)
        row = NodeRow(index, type_name)
        run.rows.append(row)
        report(("start", index))
        try:
            tensors = [read(values, name) for name in layer["inputs"]]
            node = build_node(type_name, options, [list(t.shape[1:]) for t in tensors])
            out = call_node(node, type_name, tensors, training=False)
        except Exception as exc:  # noqa: BLE001 - keras rejects the node
            row.error = _short(exc)
            run.first_error = index
            return run
        row.params = int(node.count_params())
        row.trainable = _weights(node.trainable_weights)
        row.non_trainable = _weights(node.non_trainable_weights)
        row.output = _shapes(out)
        if any(0 in shape for shape in (row.output if isinstance(out, (list, tuple)) else [row.output])):
            row.error = f"spec-v1: zero-sized output {row.output}"
            run.first_error = index
            return run
        values[layer["name"]] = out
    report(("start", "model"))
    run.model_outputs = functional_model_shapes(spec)
    return run


def functional_model_shapes(spec: dict) -> dict[str, list[int]]:
    """Build the graph as a keras functional model and run it on zeros: name -> output shape."""
    spec = indexed_reads(spec)
    inputs = {name: keras.Input(shape=tuple(shape), name=name) for name, shape in spec_inputs(spec).items()}
    symbols = dict(inputs)
    for layer in spec["layers"]:
        type_name, options = node_entry(layer)
        tensors = [read(symbols, name) for name in layer["inputs"]]
        node = build_node(type_name, options, [list(t.shape[1:]) for t in tensors])
        symbols[layer["name"]] = call_node(node, type_name, tensors)
    # one model output per tensor: (node name, its output index or None)
    flat = [(layer["name"], k) for layer in spec["layers"]
            for k in (range(len(symbols[layer["name"]])) if isinstance(symbols[layer["name"]], (list, tuple)) else [None])]
    model = keras.Model(inputs=list(inputs.values()),
                        outputs=[symbols[n] if k is None else symbols[n][k] for n, k in flat])
    zeros = [np.zeros((BATCH, *shape), dtype="float32") for shape in spec_inputs(spec).values()]
    outputs = model(zeros, training=False)
    shapes: dict[str, list] = {}
    for (name, k), out in zip(flat, outputs):
        shape = [int(d) for d in out.shape[1:]]
        if k is None:
            shapes[name] = shape
        else:
            shapes.setdefault(name, []).append(shape)
    return shapes


def _shapes(out):
    if isinstance(out, (list, tuple)):
        return [[int(d) for d in t.shape[1:]] for t in out]
    return [int(d) for d in out.shape[1:]]
