"""The layers read from model code, in the order they run, as a spec's `layers:` with positions.

Tensors are names: the spec input ("input", or each input's name) or a layer's name. A layer that
reads the layer just before it needs no `inputs:`; any other gets one, as a spec writes a skip.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from .source import Unreadable, position


@dataclass(frozen=True)
class Tensor:
    """A tensor in the model's data flow: the graph name of what made it."""

    name: str


@dataclass
class _Node:
    name: str
    entry: dict[str, Any]
    inputs: list[str]
    node: ast.AST
    option_nodes: dict[str, ast.AST]
    declared: dict[str, tuple[Any, ast.AST]]


#: The most layers one model file may produce (a loop that unrolls too far is refused).
MAX_LAYERS = 100_000


@dataclass
class Graph:
    """The layers recorded so far, and the model's inputs (name -> sample shape, None if unknown)."""

    inputs: dict[str, tuple | None] = field(default_factory=dict)
    input_nodes: dict[str, ast.AST] = field(default_factory=dict)
    nodes: list[_Node] = field(default_factory=list)
    _names: set[str] = field(default_factory=set)
    # what planner/model_code/sample_shapes.py computes while the code is read: each tensor's sample
    # shape, once; the layer of each name; the inputs whose shape the code read (name -> the shape used)
    planned: dict[str, tuple] = field(default_factory=dict)
    by_name: dict[str, _Node] = field(default_factory=dict)
    shapes_read: dict[str, tuple] = field(default_factory=dict)

    def add_input(self, name: str, shape: tuple | None, node: ast.AST | None) -> Tensor:
        name = self.unique(name)
        self.inputs[name] = shape
        if node is not None:
            self.input_nodes[name] = node
        return Tensor(name)

    def unique(self, hint: str) -> str:
        """A name not used yet: the hint, else the hint with _2, _3...

        >>> g = Graph(); g.unique("conv1"), g.unique("conv1"), g.unique("conv1")
        ('conv1', 'conv1_2', 'conv1_3')
        """
        hint = re.sub(r"[^\w.]+", "_", hint) or "layer"
        name, count = hint, 1
        while name in self._names:
            count += 1
            name = f"{hint}_{count}"
        self._names.add(name)
        return name

    def add(self, entry: dict[str, Any], inputs: list[Tensor], node: ast.AST, option_nodes: dict[str, ast.AST],
            hint: str, declared: dict[str, tuple[Any, ast.AST]] | None = None) -> Tensor:
        """Record one layer applied to `inputs`; its output tensor. `declared`: the input sizes the code
        states (torch in_channels...), checked against the plan."""
        if len(self.nodes) >= MAX_LAYERS:
            raise Unreadable(node, f"the model has more than {MAX_LAYERS:,} layers")
        name = self.unique(hint)
        self.nodes.append(_Node(name, dict(entry), [t.name for t in inputs], node, option_nodes, dict(declared or {})))
        self.by_name[name] = self.nodes[-1]
        return Tensor(name)

    def spec(self, outputs: list[Tensor]) -> tuple[list[dict], tuple[dict, dict], list[str], list[str], list[tuple]]:
        """(layers, (value and key positions by JSON pointer), outputs, inputs used, declared input sizes)
        of the part of the graph the outputs depend on (a file's loss, metrics and other heads are left out). A declared size
        is (layer index, argument, value, (line, column))."""
        by_name = {n.name: n for n in self.nodes}
        needed: set[str] = set()
        stack = [t.name for t in outputs]
        while stack:
            name = stack.pop()
            if name in needed:
                continue
            needed.add(name)
            layer = name.rsplit(":", 1)[0]  # output K of a layer with several: NAME:K
            if layer in by_name:
                needed.add(layer)
                stack.extend(by_name[layer].inputs)
        layers, positions, keys, declared = [], {}, {}, []
        previous = None
        used_inputs = [name for name in self.inputs if name in needed]
        for node in self.nodes:
            if node.name not in needed:
                continue
            index = len(layers)
            entry = {"name": node.name, **node.entry}
            if entry.get("shares") is not None and entry["shares"] not in needed:
                del entry["shares"]  # the first call is not part of this model: the weights are counted here
            default = [previous] if previous is not None else used_inputs[:1] if len(used_inputs) == 1 else None
            if node.inputs != default:
                # a spec with one input calls it "input", whatever the code called it
                reads = ["input" if len(used_inputs) == 1 and n == used_inputs[0] else n for n in node.inputs]
                entry["inputs"] = reads[0] if len(reads) == 1 else reads
            layers.append(entry)
            here = position(node.node)
            if here:
                positions[f"/layers/{index}"] = here
                positions[f"/layers/{index}/type"] = here
                positions[f"/layers/{index}/name"] = here
            for option, option_node in node.option_nodes.items():
                spot = position(option_node.value if isinstance(option_node, ast.keyword) else option_node)
                if spot:
                    positions[f"/layers/{index}/{option}"] = spot
                    keys[f"/layers/{index}/{option}"] = position(option_node)
            for argument, (value, argument_node) in node.declared.items():
                declared.append((index, argument, value, position(argument_node)))
            previous = node.name
        last = previous
        names = [t.name for t in outputs]
        return layers, (positions, keys), ([] if names == [last] else names), used_inputs, declared
