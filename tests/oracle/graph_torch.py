"""The torch side of the graph differential tests: a spec graph as an nn.Module that executes it.

`GraphModule` holds one module per node (built with torch_build's builders, so a node means the same
as in the stack tests) and its forward runs the nodes in order on a dict of tensors; merges are the
torch operations (torch.cat, +, -, *, mean of the sum, torch.maximum/minimum). `run_torch_graph`
builds it node by node on a zeros batch, recording each node's output and params, stops at the first
node torch (or spec-v1) rejects, then runs the finished module once on zeros as a whole.
"""

from __future__ import annotations

import warnings

import torch
from torch import nn

from graph_cases import GraphRun, NodeRow, indexed_reads, merge_axis, node_entry, part_options, spec_inputs
from torch_build import BATCH, BUILDERS, SpecRejected, _count_params, canonical_layer, check_rank, resolve_dims

MERGE_KINDS = {"concatenate", "add", "subtract", "multiply", "average", "maximum", "minimum"}
PART_KINDS = {"split", "chunk"}


def read(values: dict, ref: str):
    """The tensor an input names: `NAME`, or output K of a layer as `NAME:K` (0 for a one-output layer).
    Reading a layer with several outputs whole is a spec-v1 error (torch would pass the tuple on)."""
    if ref in values:
        value = values[ref]
        if isinstance(value, tuple):
            raise SpecRejected(f"{ref!r} has {len(value)} outputs: read one as {ref}:K")
        return value
    name, index = ref.rsplit(":", 1)
    value = values[name]
    if isinstance(value, tuple):
        return value[int(index)]
    if int(index) != 0:
        raise SpecRejected(f"{name!r} has one output, not {index}")
    return value


class Parts(nn.Module):
    """torch.split / torch.chunk: a tuple of tensors."""

    def __init__(self, kind: str, options: dict, shape):
        super().__init__()
        from shape_ops_run import _spec_refusal

        refusal = _spec_refusal(kind, shape, {**options, "framework": "torch"})
        if refusal:
            raise SpecRejected(refusal)
        if kind == "split" and sum(o in options for o in ("sizes", "split_size")) != 1:
            raise SpecRejected("spec-v1: split takes one of sizes and split_size")
        self.kind, self.options = kind, options

    def forward(self, x):
        o = self.options
        if self.kind == "chunk":
            return torch.chunk(x, o["chunks"], dim=o["axis"])
        return torch.split(x, o["sizes"] if "sizes" in o else o["split_size"], dim=o["axis"])


def _shapes(out):
    return [list(t.shape[1:]) for t in out] if isinstance(out, tuple) else list(out.shape[1:])


def merge(kind: str, tensors: list, options: dict):
    if len(tensors) < 2 or (kind == "subtract" and len(tensors) != 2):
        raise SpecRejected(f"{kind} with {len(tensors)} inputs")
    if kind == "concatenate":
        return torch.cat(tensors, dim=merge_axis(options.get("axis", 1), tensors[0].dim() - 1))
    if len({t.dim() for t in tensors}) > 1:
        # torch would align the batch axis with a sample axis: spec-v1 rejects it
        raise SpecRejected("element-wise merge of different ranks")
    result = tensors[0]
    for t in tensors[1:]:
        if kind in ("add", "average"):
            result = result + t
        elif kind == "subtract":
            result = result - t
        elif kind == "multiply":
            result = result * t
        elif kind == "maximum":
            result = torch.maximum(result, t)
        else:
            result = torch.minimum(result, t)
    return result / len(tensors) if kind == "average" else result


class GraphModule(nn.Module):
    """Runs the nodes in order; each reads the named outputs of earlier nodes (or the input)."""

    def __init__(self):
        super().__init__()
        self.nodes = nn.ModuleDict()
        self.plan: list[tuple[str, str, list[str], dict]] = []  # (name, kind, inputs, options)

    def add(self, name: str, kind: str, inputs: list[str], options: dict, module: nn.Module | None) -> None:
        if module is not None:
            self.nodes[name] = module
        self.plan.append((name, kind, inputs, options))

    def forward(self, **named_inputs):
        values = dict(named_inputs)
        for name, kind, inputs, options in self.plan:
            tensors = [read(values, i) for i in inputs]
            values[name] = merge(kind, tensors, options) if kind in MERGE_KINDS else self.nodes[name](tensors[0])
        return values


def run_torch_graph(spec: dict, progress=None) -> GraphRun:
    """Run the graph node by node, then as one model; `progress` (isolation.py) hears ("start", index)
    before each node and ("start", "model") before the whole model runs."""
    report = progress or (lambda payload: None)
    spec = indexed_reads(spec)
    run = GraphRun()
    graph = GraphModule()
    values = {name: torch.zeros(BATCH, *shape) for name, shape in spec_inputs(spec).items()}
    for index, layer in enumerate(spec["layers"], start=1):
        type_name, options = node_entry(layer)
        row = NodeRow(index, type_name)
        run.rows.append(row)
        report(("start", index))
        try:
            tensors = [read(values, name) for name in layer["inputs"]]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if type_name in MERGE_KINDS:
                    module = None
                    row.params = row.trainable = row.non_trainable = 0
                    with torch.no_grad():
                        out = merge(type_name, tensors, options)
                elif type_name in PART_KINDS:
                    if len(tensors) != 1:
                        raise SpecRejected(f"{type_name} takes one input")
                    module = Parts(type_name, part_options(options), list(tensors[0].shape[1:]))
                    row.params = row.trainable = row.non_trainable = 0
                    out = module(tensors[0])
                else:
                    if len(tensors) != 1:
                        raise SpecRejected(f"{type_name} takes one input")
                    kind, dims, canonical = canonical_layer({"type": type_name, **options})
                    shape = list(tensors[0].shape[1:])
                    dims = resolve_dims(kind, dims, len(shape))
                    check_rank(kind, dims, len(shape))
                    module = BUILDERS[kind](dims, canonical, shape)
                    row.params, row.trainable, row.non_trainable = _count_params(module)
                    module.eval()
                    with torch.no_grad():
                        out = module(tensors[0])
            if any(0 in t.shape for t in (out if isinstance(out, tuple) else (out,))):
                raise SpecRejected(f"zero-sized output {_shapes(out)}")
        except Exception as exc:  # noqa: BLE001 - any torch error is a rejection
            row.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
            run.first_error = index
            return run
        row.output = _shapes(out)
        values[layer["name"]] = out
        graph.add(layer["name"], type_name, list(layer["inputs"]), options, module)
    report(("start", "model"))
    graph.eval()
    with torch.no_grad():
        inputs = {name: torch.zeros(BATCH, *shape) for name, shape in spec_inputs(spec).items()}
        outputs = graph(**inputs)
    run.model_outputs = {name: _shapes(t) for name, t in outputs.items() if name not in inputs}
    return run


torch.set_num_threads(1)
