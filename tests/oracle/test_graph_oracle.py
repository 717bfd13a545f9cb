"""Differential test for graphs: layerplan against real torch and real keras on random DAGs.

Each random graph from graph_cases.py (skips, merges, broadcasting gates, explicit axes) is built as a
torch nn.Module that executes the graph (graph_torch.py) and as keras layers called eagerly and then as a
keras functional model (graph_keras.py, TensorFlow backend). For every node up to the first one the
framework rejects, the output shape, params and trainable / non-trainable split must match layerplan's,
and layerplan's first layer with an error must be the framework's first rejected node. When the graph
runs, the whole model run at once must give every node the same shape too.

LAYERPLAN_GRAPH_CASES sets the number of random graphs per framework (default 300);
LAYERPLAN_GRAPH_SEED_BASE shifts the seeds.
"""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from graph_cases import GraphRun, generate_graph  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

N_CASES = int(os.environ.get("LAYERPLAN_GRAPH_CASES", "300"))
SEED_BASE = int(os.environ.get("LAYERPLAN_GRAPH_SEED_BASE", "0"))
FIELDS = [("output", "output"), ("params", "params"), ("trainable_params", "trainable"),
          ("non_trainable_params", "non_trainable")]


RUNNERS = {"torch": "graph_torch:run_torch_graph", "keras": "graph_keras:run_keras_graph"}


@pytest.fixture
def graph_runner(request, isolated):
    """`graph_runner(framework, own_kernels=False)`: a function that runs a graph in that framework's
    worker (keras with TensorFlow's own CPU kernels when own_kernels)."""
    def runner(framework: str, own_kernels: bool = False):
        name = "keras_own_kernels_worker" if own_kernels else f"{framework}_worker"
        worker = request.getfixturevalue(name)
        return lambda spec: isolated(worker, RUNNERS[framework], spec)
    return runner


def _planned(layer: dict, key: str):
    """A report value; the output of a layer with several outputs is the list of their shapes."""
    return layer["outputs"] if key == "output" and "outputs" in layer else layer[key]


def compare(report: dict, run: GraphRun) -> list[str]:
    problems = []
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    planned_first = min((d["layer"] for d in errors if d["layer"] is not None), default=None)
    if planned_first != run.first_error:
        problems.append(f"first error: layerplan layer {planned_first}, framework node {run.first_error}")
    if any(d["layer"] is None for d in errors):
        problems.append(f"spec-level errors: {[d['message'] for d in errors if d['layer'] is None]}")
    for row in run.rows:
        planned = report["layers"][row.index - 1]
        rejected = row.index == run.first_error
        for mine_key, theirs_key in FIELDS:
            mine, theirs = _planned(planned, mine_key), getattr(row, theirs_key)
            if rejected and (mine is None or theirs is None):
                continue
            if mine != theirs:
                problems.append(f"node {row.index} ({row.kind}) {mine_key}: layerplan {mine}, framework {theirs}")
    if run.first_error is None:
        planned = {layer["name"]: _planned(layer, "output") for layer in report["layers"]}
        for name, shape in run.model_outputs.items():
            if planned.get(name) != shape:
                problems.append(f"whole model: node {name} is {shape}, layerplan {planned.get(name)}")
    return problems


def repro(spec: dict, report: dict, run: GraphRun, problems: list[str]) -> str:
    import yaml

    lines = ["layerplan disagrees with the framework:", *("  - " + p for p in problems), "", "spec:",
             yaml.safe_dump(spec, sort_keys=False, default_flow_style=None).rstrip(), "", "layerplan:"]
    for layer in report["layers"]:
        lines.append(f"  {layer['index']:>3} {layer['name']:<5} {layer['type']:<18} {layer['inputs']} -> "
                     f"{layer['output']} params {layer['params']}")
    lines += [f"  [{d['severity']}] layer {d['layer']} {d['code']}: {d['message']}" for d in report["diagnostics"]]
    lines.append("framework:")
    lines += [f"  {r.index:>3} {r.kind:<18} {r.output} params {r.params}" + (f"  REJECTED {r.error}" if r.error else "")
              for r in run.rows]
    return "\n".join(lines)


def check(spec: dict, runner) -> GraphRun:
    from layerplan.planner import plan_data

    run = runner(copy.deepcopy(spec))
    report = plan_data(copy.deepcopy(spec)).to_dict()
    problems = compare(report, run)
    assert not problems, repro(spec, report, run, problems)
    return run


@pytest.mark.parametrize("seed", range(SEED_BASE, SEED_BASE + N_CASES))
def test_random_graph_matches_torch(graph_runner, seed):
    check(generate_graph(seed, "torch"), graph_runner("torch"))


@pytest.mark.parametrize("seed", range(SEED_BASE, SEED_BASE + N_CASES))
@pytest.mark.parametrize("own_kernels", [False, True], ids=["default", "own-kernels"])
def test_random_graph_matches_keras(graph_runner, own_kernels, seed):
    check(generate_graph(seed, "keras"), graph_runner("keras", own_kernels))


N_SHAPE_OP_CASES = int(os.environ.get("LAYERPLAN_GRAPH_SHAPE_OPS_CASES", "60"))


@pytest.mark.parametrize("seed", range(SEED_BASE, SEED_BASE + N_SHAPE_OP_CASES))
@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_random_graph_with_several_outputs_and_shape_ops(graph_runner, framework, seed):
    """Random graphs with split and chunk (later layers read their outputs as NAME:K, some read one
    whole or an index it does not have) and squeeze, unsqueeze, permute and transpose."""
    check(generate_graph(seed, framework, with_shape_ops=True), graph_runner(framework))


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_shape_op_graphs_read_outputs_by_index_and_fail_too(framework, graph_runner):
    """The graphs of the test above must read split outputs by index and by name (`names:`), in layers
    that run and in layers that fail, and use the shape operations."""
    runner = graph_runner(framework)
    sample = [generate_graph(seed, framework, with_shape_ops=True) for seed in range(N_SHAPE_OP_CASES)]
    runs = [runner(copy.deepcopy(spec)) for spec in sample]
    counts = {"read-ok": 0, "read-failed": 0, "parts-failed": 0, "shape-ops": 0, "read-by-name": 0}
    for spec, run in zip(sample, runs):
        output_names = {name for layer in spec["layers"] for name in layer.get("names", ())}
        for row in run.rows:
            layer = spec["layers"][row.index - 1]
            counts["read-by-name"] += any(name in output_names for name in layer["inputs"])
            if any(":" in name or name in output_names for name in layer["inputs"]):
                counts["read-ok" if row.error is None else "read-failed"] += 1
            counts["parts-failed"] += layer["type"] in ("split", "chunk") and row.error is not None
            counts["shape-ops"] += layer["type"] in ("squeeze", "unsqueeze", "permute", "transpose")
    assert counts["read-ok"] >= 15 and counts["read-failed"] >= 2 and counts["parts-failed"] >= 2 \
        and counts["shape-ops"] >= 10 and counts["read-by-name"] >= 3, counts


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_generator_mixes_joins_that_work_and_fail(framework, graph_runner):
    """The random graphs must exercise merges that run, merges that fail, and broadcasting."""
    runner = graph_runner(framework)
    from layerplan.planner import plan_data

    sample = [generate_graph(seed, framework) for seed in range(120)]
    runs = [runner(copy.deepcopy(spec)) for spec in sample]
    merges_ok = merges_failed = 0
    for spec, run in zip(sample, runs):
        for row in run.rows:
            if spec["layers"][row.index - 1]["type"] in ("concatenate", "add", "subtract", "multiply", "average",
                                                          "maximum", "minimum"):
                merges_ok += row.error is None
                merges_failed += row.error is not None
    broadcasts = sum(any(d.name == "merge-broadcast" for d in plan_data(copy.deepcopy(s)).diagnostics) for s in sample)
    assert merges_ok >= 40 and merges_failed >= 10 and broadcasts >= 2, (merges_ok, merges_failed, broadcasts)


# Hand-picked joins: (id, framework, input, layers, the framework's first rejected node or None).
TRICKY = [
    ("unet-odd-size-concat", "torch", [4, 25, 25],
     [{"type": "max_pool2d", "pool_size": 2, "name": "p", "inputs": ["input"]},
      {"type": "upsample2d", "scale_factor": 2, "name": "u", "inputs": ["p"]},
      {"type": "concatenate", "name": "c", "inputs": ["input", "u"]}], 3),
    ("unet-odd-size-concat-keras", "keras", [25, 25, 4],
     [{"type": "max_pool2d", "pool_size": 2, "name": "p", "inputs": ["input"]},
      {"type": "upsample2d", "size": 2, "name": "u", "inputs": ["p"]},
      {"type": "concatenate", "name": "c", "inputs": ["u", "input"]}], 3),
    ("residual-shortcut-not-downsampled", "torch", [8, 16, 16],
     [{"type": "conv2d", "filters": 16, "kernel_size": 3, "stride": 2, "padding": 1, "name": "a", "inputs": ["input"]},
      {"type": "add", "name": "s", "inputs": ["a", "input"]}], 2),
    ("gate-broadcasts", "keras", [6, 6, 5],
     [{"type": "global_avg_pool2d", "keepdims": True, "name": "g", "inputs": ["input"]},
      {"type": "multiply", "name": "m", "inputs": ["input", "g"]}], None),
    ("concat-spatial-axis-torch", "torch", [3, 4, 5],
     [{"type": "relu", "name": "r", "inputs": ["input"]},
      {"type": "concatenate", "axis": -1, "name": "c", "inputs": ["input", "r"]}], None),
    ("concat-batch-axis", "keras", [4, 4, 2],
     [{"type": "relu", "name": "r", "inputs": ["input"]},
      {"type": "concatenate", "axis": 0, "name": "c", "inputs": ["input", "r"]}], 2),
    ("three-way-average", "torch", [2, 5, 5],
     [{"type": "relu", "name": "a", "inputs": ["input"]},
      {"type": "average", "name": "m", "inputs": ["input", "a", "a"]}], None),
    ("keras-rank-broadcast", "keras", [4, 4, 3],
     [{"type": "global_avg_pool2d", "name": "v", "inputs": ["input"]},
      {"type": "add", "name": "s", "inputs": ["input", "v"]}], None),
    ("torch-rank-mismatch", "torch", [3, 4, 4],
     [{"type": "global_avg_pool2d", "name": "v", "inputs": ["input"]},
      {"type": "add", "name": "s", "inputs": ["input", "v"]}], 2),
]


@pytest.mark.parametrize("case_id, framework, shape, layers, first_error", TRICKY, ids=[c[0] for c in TRICKY])
def test_tricky_join(case_id, framework, shape, layers, first_error, graph_runner):
    runner = graph_runner(framework)
    run = check({"framework": framework, "input": shape, "layers": layers}, runner)
    assert run.first_error == first_error, run.rows
