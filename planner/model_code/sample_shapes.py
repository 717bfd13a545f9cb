"""The shape of a tensor while model code is read: the part of the recorded graph it depends on, planned
by the engine's own planner (each layer's kind `plan`), each tensor once.

Shapes are per sample, as a spec's: the batch axis is not in them (the code sees it as
values.BatchSize). The model's inputs take the shape the reader plans them with (`-i`, the code's
`Input(shape=...)` / placeholder, a `# layerplan: input` comment).

>>> import ast
>>> from layerplan.planner.model_code.graph import Graph
>>> graph = Graph()
>>> x = graph.add_input("x", (1, 28, 28), None)
>>> y = graph.add({"type": "conv2d", "filters": 8, "kernel_size": 3}, [x], ast.Pass(), {}, "conv")
>>> sample_shape(graph, y.name, "torch", {}, None)
(8, 26, 26)
"""

from __future__ import annotations

import ast
from typing import Any

from .graph import Graph
from .source import Unreadable, position


def sample_shape(graph: Graph, name: str, framework: str, given: dict[str, tuple], used: ast.AST | None) -> tuple:
    """The sample shape of the graph tensor `name` (a layer's output, `NAME:K`, or an input). `given`: the
    inputs' shapes the reader plans with, by name (else the code's own); `used`: where the code asks."""
    if name in graph.planned:
        return graph.planned[name]
    needed: set[str] = set()
    stack = [name]
    while stack:
        tensor = stack.pop()
        if tensor in graph.planned:
            continue
        layer = tensor.rsplit(":", 1)[0] if tensor not in graph.by_name else tensor
        node = graph.by_name.get(layer)
        if node is None:
            graph.planned[tensor] = _input_shape(graph, tensor, given, used)
            continue
        if layer not in needed:
            needed.add(layer)
            stack.extend(node.inputs)
    for node in graph.nodes:  # in the order they were recorded: every input before the layers that read it
        if node.name in needed:
            shapes = [graph.planned[tensor] for tensor in node.inputs]
            outputs = plan_node(node.entry, shapes, framework, node.node, used)
            if len(outputs) == 1:
                graph.planned[node.name] = outputs[0]
            for index, output in enumerate(outputs):
                graph.planned[f"{node.name}:{index}"] = output
    return graph.planned[name]


#: the key of `given` for the shape an input takes when the code does not state it (keras `Input(shape=(None,
#: None, 3))`): the plan's `-i` or `# layerplan: input` shape, which the plan gives such an input (reader.py
#: reads the file again when the shape planned for it differs)
UNSTATED = "<the input shape the plan gives>"


def _input_shape(graph: Graph, name: str, given: dict[str, tuple], used: ast.AST | None) -> tuple:
    shape = given.get(name) or graph.inputs.get(name) or given.get(UNSTATED)
    if shape is None:
        raise Unreadable(used, f"this needs the shape of the model's input '{name}', which the code does not "
                               "give: plan with -i SHAPE, or add a `# layerplan: input SHAPE` comment")
    graph.shapes_read[name] = tuple(shape)
    return tuple(shape)


def plan_node(entry: dict[str, Any], shapes: list[tuple], framework: str, made: ast.AST | None,
              used: ast.AST | None) -> list[tuple]:
    """The output shapes of one recorded layer on its inputs' sample shapes, planned as a one-layer spec.
    A layer called again (`shares:`) has the shapes of a first call on the same input.

    >>> plan_node({"type": "dense", "units": 4}, [(8,)], "keras", None, None)
    [(4,)]
    """
    from ..plan import plan_only  # loaded only when the code asks for a shape

    layer = {key: value for key, value in entry.items() if key != "shares"}
    names = [f"input{index}" for index in range(len(shapes))]
    layer["inputs"] = names if len(names) > 1 else names[0]
    report = plan_only({"framework": framework, "inputs": {n: list(s) for n, s in zip(names, shapes)},
                        "layers": [layer]})
    errors = [d for d in report.diagnostics if d.severity.value == "error"]
    row = report.layers[0] if report.layers else None
    if errors or row is None or (row.output is None and row.outputs is None):
        line = position(made)
        where = f" (the {entry.get('type')} at line {line[0]})" if line else f" (a {entry.get('type')})"
        reason = errors[0].message if errors else "its shape cannot be planned"
        raise Unreadable(used, f"the shape of this tensor cannot be computed: a layer it depends on{where} fails "
                               f"to plan: {reason}")
    return [tuple(s) for s in row.outputs] if row.outputs is not None else [tuple(row.output)]
