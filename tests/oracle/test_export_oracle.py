"""Differential test of `layerplan export`: the exported code, run by the real framework, gives every
layer the planned output shape and parameter counts.

Cases: every example in each framework where it plans (its own and, ported, the other), random torch
and keras stacks from the torch and keras suites' generators (the valid ones), random graphs, the
normalisation / padding / sequence kinds' stacks (new_kinds_cases.py), graphs around a layer with several
outputs read as NAME:K (recurrent states, attention weights, split and chunk parts; new_kinds_cases.py)
and single shape operations (split and chunk among them).
Each export runs in the framework's worker process (isolation.py) through the same child-side code
as `layerplan verify` (layerplan/verify_child.py): torch on the meta device (or zeros on the CPU),
keras symbolically and then on one zeros batch; both stages must agree with the plan.

LAYERPLAN_EXPORT_CASES sets the number of random seeds per corpus (default 30); about a fifth of the
stacks and more of the graphs are invalid and skipped, as are keras layers that only some machines run.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
import yaml

from layerplan.planner.export import NotWritable, export_report, plan_for_export
from layerplan.verification import FrameworkRun, compare, job_for, read_events

sys.path.insert(0, str(Path(__file__).parent))
from graph_cases import generate_graph  # noqa: E402
from keras_cases import random_spec  # noqa: E402
from new_kinds_cases import generate_spec as new_kinds_spec  # noqa: E402
from new_kinds_cases import several_outputs_graph  # noqa: E402
from test_shape_ops_oracle import draw as draw_shape_op  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
N_CASES = int(os.environ.get("LAYERPLAN_EXPORT_CASES", "30"))


#: keras layers whose fate depends on the machine's TensorFlow kernels (docs/diagnostics.md): layerplan
#: warns; whether this machine runs them says nothing about the export
MACHINE_DEPENDENT = {"LP310", "LP311", "LP312"}


def check(request, isolated, spec: dict, framework: str, label: str) -> None:
    """Export `spec` for `framework` and run it; fail on any layer the framework sees differently.
    Skips a spec that does not plan cleanly in that framework (there is nothing to export)."""
    report = plan_for_export(spec, framework, label)
    if not report.ok:
        pytest.skip(f"{label} does not plan cleanly in {framework}")
    if framework == "keras" and MACHINE_DEPENDENT & {d.code for d in report.diagnostics}:
        pytest.skip(f"{label}: a layer TensorFlow runs on some machines only")
    try:
        exported = export_report(report)
    except NotWritable as exc:
        pytest.skip(f"{label}: {exc}")
    events = isolated(request.getfixturevalue(f"{framework}_worker"), "export_run:run_exported", job_for(exported))
    run = FrameworkRun()
    read_events(run, events, framework)
    rows = compare(report, run)
    differing = [f"{r.index} {r.name} ({r.type}): plan {r.planned} {r.planned_params}, {framework} {r.actual} "
                 f"{r.actual_params}: {r.verdict}" for r in rows if not r.agrees]
    assert run.error is None and not differing, (
        f"{label}: the exported {framework} model disagrees with the plan:\n" + "\n".join(differing)
        + f"\nerror: {run.error}\n\n{exported.text}")


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_exports_run_as_planned(request, isolated, path, framework):
    check(request, isolated, yaml.safe_load(path.read_text(encoding="utf-8")), framework, f"examples/{path.name}")


#: hand-picked specs that stress the writers: names that clash once written as identifiers, a block
#: used with two input widths, nested blocks, several outputs (a block use's name among them), an input
#: called x read twice, every merge
TRICKY = {
    "clashing-names-and-outputs": {
        "name": "multi", "input": [3, 16, 16],
        "blocks": {"cb": [{"conv2d": {"name": "c", "filters": 4, "kernel_size": 3, "padding": "same"}}, {"relu": {"name": "r"}}]},
        "layers": [{"block": "cb", "name": "stem.a"}, {"conv2d": {"name": "stem_a", "filters": 4, "kernel_size": 1}},
                   {"block": "cb", "name": "head", "repeat": 2},
                   {"global_avg_pool2d": {"name": "pooled", "inputs": "stem_a"}}],
        "outputs": ["head", "pooled"]},
    "nested-blocks": {
        "input": [4, 8, 8],
        "blocks": {"inner": [{"conv2d": {"name": "c", "filters": 4, "kernel_size": 3, "padding": "same"}},
                             {"add": {"inputs": ["c", "input"]}}],
                   "outer": [{"block": "inner", "name": "i1"}, {"batch_norm2d": {"name": "bn"}},
                             {"block": "inner", "name": "i2"}, {"multiply": {"inputs": ["i2", "bn"]}}]},
        "layers": [{"block": "outer", "name": "o", "repeat": 2}, "flatten", {"dense": 3}]},
    "input-named-x": {
        "inputs": {"x": [4, 6, 6], "inputs": [4, 6, 6]},
        "layers": [{"subtract": {"inputs": ["x", "inputs"]}}, {"maximum": {"inputs": ["subtract_1", "x"]}},
                   {"minimum": {"inputs": ["maximum_1", "inputs", "x"]}}, {"average": {"inputs": ["minimum_1", "x"]}},
                   {"concatenate": {"inputs": ["average_1", "x"], "axis": 2}},
                   {"cropping2d": {"cropping": [[1, 0], [0, 2]]}}, {"reshape": {"target_shape": [-1]}}]},
    "norms-and-wrappers": {
        "input": [8, 12, 12],
        "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": "same", "weight_norm": True}},
                   {"instance_norm2d": {"affine": True}}, {"group_norm": {"groups": 4}},
                   {"conv2d": {"filters": 6, "kernel_size": 1, "spectral_norm": True}},
                   {"spatial_dropout2d": {"rate": 0.2}}, {"permute": {"dims": [0, 2, 3, 1]}},
                   {"layer_norm": {"normalized_shape": [6]}},
                   {"dense": {"units": 5, "spectral_norm": True, "weight_norm": True}}]},
    "keras-norms-and-ops": {
        "framework": "keras", "input": [12, 12, 8],
        "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "spectral_norm": True}}, {"rescaling": {"scale": 0.5}},
                   {"instance_norm2d": {"affine": True}}, {"group_norm": {"groups": 4, "center": False}},
                   {"batch_norm": {"scale": False}}, {"gaussian_noise": {"stddev": 0.1}}, {"layer_norm": {"axis": [-1, -2]}},
                   {"resizing": {"height": 6, "width": 5}}, {"spatial_dropout2d": {"rate": 0.1}},
                   {"permute": {"dims": [3, 1, 2]}}, {"transpose": {"dim0": 1, "dim1": 2}},
                   {"unsqueeze": {"axis": 1}}, {"squeeze": {"axis": 1}}, "flatten", {"repeat_vector": {"n": 3}}]},
    "prelu-and-normalization": {
        "framework": "keras", "input": [8, 8, 3],
        "layers": [{"normalization": {"mean": [0.5, 0.4, 0.3], "variance": [1, 2, 3]}},
                   {"rescaling": {"scale": [0.5, 0.25, 2]}}, {"normalization": {"axis": None}},
                   {"normalization": {"axis": [1, 3]}}, {"conv2d": {"filters": 8, "kernel_size": 3}},
                   {"prelu": {"shared_axes": [1, 2]}}, "prelu"]},
    "prelu-torch": {
        "input": [3, 8, 8],
        "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}, {"prelu": {"num_parameters": 8, "init": 0.1}},
                   "prelu"]},
    "embedding-and-shape-ops": {
        "input": [10],
        "layers": [{"embedding": {"input_dim": 50, "output_dim": 8}}, {"transpose": {"dim0": 1, "dim1": 2}},
                   {"unsqueeze": {"axis": 1}}, {"squeeze": {"axis": 1}},
                   {"unflatten": {"axis": 1, "sizes": [2, 4]}}, {"reflection_padding2d": {"padding": [1, 2]}},
                   {"replication_padding2d": {"padding": 1}}, {"flatten": {"start_dim": 1}},
                   {"repeat_vector": {"n": 2}}]},
    "matching-sizes": {
        "inputs": {"a": [4, 9, 9], "b": [4, 12, 13]},
        "layers": [{"resize_to2d": {"name": "r", "inputs": ["a", "b"]}}, {"pad_to2d": {"name": "p", "inputs": ["a", "b"]}},
                   {"crop_to2d": {"name": "c", "inputs": ["b", "a"]}}, {"add": {"inputs": ["r", "p"]}}],
        "outputs": ["add_1", "c"]},
    "select-and-slice": {
        "input": [6, 10, 9],
        "layers": [{"slice": {"axis": 2, "start": 1, "stop": -1, "step": 2}}, {"slice": {"axis": -1, "stop": 100}},
                   {"conv2d": {"name": "c", "filters": 4, "kernel_size": 1}}, {"select": {"axis": -1, "index": -1}},
                   {"slice": {"axis": 1, "start": -3}}, {"select": {"axis": 1, "index": 0}}, {"dense": 2}]},
    "keras-select-and-slice": {
        "framework": "keras", "input": [10, 9, 6],
        "layers": [{"slice": {"axis": 2, "step": -2}}, {"select": {"axis": 1, "index": 4}},
                   {"slice": {"axis": -1, "start": 5, "stop": 1, "step": -1}}, {"dense": 3}]},
    "conditional-blocks": {
        "input": [3, 8, 8],
        "blocks": {"res": {"args": {"width": None, "stride": 1}, "layers": [
            {"conv2d": {"name": "conv", "filters": "width", "kernel_size": 3, "stride": "stride", "padding": 1}},
            {"conv2d": {"name": "proj", "if": "stride != 1 or in.channels != width", "inputs": "input",
                        "filters": "width", "kernel_size": 1, "stride": "stride"}},
            {"add": {"inputs": ["conv", "proj"]}}]},
                   "stage": {"args": {"width": None}, "layers": [
                       {"block": "res", "name": "0", "args": {"width": "width", "stride": 2}},
                       {"block": "res", "repeat": 2, "start": 1, "segment": False, "args": {"width": "in.channels"}}]}},
        "layers": [{"conv2d": {"filters": 4, "kernel_size": 1}}, {"block": "res", "name": "same", "args": {"width": 4}},
                   {"block": "stage", "name": "s", "args": {"width": 6}}]},
    "pixel-shuffle": {
        "input": [16, 6, 6],
        "layers": [{"pixel_shuffle": {"upscale_factor": 2}}, {"pixel_unshuffle": {"downscale_factor": 3}},
                   {"resizing": {"height": 7, "width": 5, "interpolation": "nearest"}}]},
}


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("name", list(TRICKY))
def test_tricky_specs_export_as_planned(request, isolated, name, framework):
    check(request, isolated, TRICKY[name], framework, name)


@pytest.mark.parametrize("seed", range(N_CASES))
def test_random_torch_stack_exports_as_planned(request, isolated, torch_worker, seed):
    spec = isolated(torch_worker, "torch_cases:generate_spec", seed)
    check(request, isolated, spec, "torch", f"torch stack seed {seed}")


@pytest.mark.parametrize("seed", range(N_CASES))
def test_random_keras_stack_exports_as_planned(request, isolated, seed):
    check(request, isolated, random_spec(seed), "keras", f"keras stack seed {seed}")


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("seed", range(N_CASES))
def test_random_graph_exports_as_planned(request, isolated, framework, seed):
    check(request, isolated, generate_graph(seed, framework), framework, f"{framework} graph {seed}")


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("seed", range(N_CASES))
def test_random_new_kind_stack_exports_as_planned(request, isolated, framework, seed):
    check(request, isolated, new_kinds_spec(seed, framework), framework, f"{framework} new-kinds stack {seed}")


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("seed", range(N_CASES))
def test_random_several_outputs_graph_exports_as_planned(request, isolated, framework, seed):
    check(request, isolated, several_outputs_graph(seed, framework), framework, f"{framework} several-outputs {seed}")


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("seed", range(N_CASES))
def test_random_shape_operation_exports_as_planned(request, isolated, framework, seed):
    shape, kind, options = draw_shape_op(random.Random(f"export-{framework}-{seed}"), framework)
    spec = {"framework": framework, "input": shape, "layers": [{"type": kind, **options}]}
    check(request, isolated, spec, framework, f"{framework} {kind} {options} on {shape}")


def _frozen(spec: dict, seed: int) -> dict:
    """`spec` with about half of its layers (a random choice) written `trainable: false`."""
    chosen = random.Random(f"frozen-{seed}")
    layers = []
    for layer in spec["layers"]:
        if isinstance(layer, dict) and "type" in layer and chosen.random() < 0.5:
            layer = {**layer, "trainable": False}
        layers.append(layer)
    return {**spec, "layers": layers}


#: frozen layers where the writers differ: a block's class, a shared layer, batch normalisation, an embedding
FROZEN = {
    "frozen conv and batch norm": {"input": [3, 12, 12], "layers": [
        {"conv2d": {"filters": 4, "kernel_size": 3, "trainable": False}}, {"batch_norm2d": {"trainable": False}},
        "relu", "flatten", {"dense": {"units": 5}}]},
    "frozen embedding under a recurrent layer": {"input": [7], "layers": [
        {"embedding": {"num_embeddings": 20, "embedding_dim": 6, "trainable": False}},
        {"lstm": {"hidden_size": 5}}, {"dense": {"units": 3, "trainable": False}}]},
    "frozen layer in a block": {"input": [8], "blocks": {"head": [{"dense": {"units": 6, "trainable": False}},
                                                                  "relu"]},
                                "layers": [{"block": "head"}, {"block": "head"}, {"dense": {"units": 2}}]},
    "frozen shared layer": {"inputs": {"left": [8], "right": [8]}, "layers": [
        {"dense": {"name": "tower", "units": 4, "inputs": "left", "trainable": False}},
        {"dense": {"name": "tower_2", "shares": "tower", "inputs": "right"}},
        {"concatenate": {"inputs": ["tower", "tower_2"]}}]},
}


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("name", list(FROZEN))
def test_frozen_specs_export_as_planned(request, isolated, name, framework):
    spec = FROZEN[name]
    check(request, isolated, spec, framework, name)


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("seed", range(N_CASES // 3))
def test_random_graph_with_frozen_layers_exports_as_planned(request, isolated, framework, seed):
    check(request, isolated, _frozen(generate_graph(seed, framework), seed), framework,
          f"{framework} graph {seed}, half frozen")
