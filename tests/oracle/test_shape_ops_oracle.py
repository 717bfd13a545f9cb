"""Differential tests of split, chunk and the shape operations against torch and keras (TensorFlow).

Seeded random draws per framework — every kind, 1 to 4 sample axes, axes in and out of range, the batch
axis, sizes that do and do not fit (about a third of the draws are invalid) — run in the framework on a
zeros batch (tests/oracle/shape_ops_run.py, in the isolated workers) and planned by layerplan: each
output's shape, or the refusal, must agree. `LAYERPLAN_SHAPE_OPS_CASES` sets how many draws per
framework (default 300). The ShuffleNetV2 example is checked against torchvision's unit written out.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
from pathlib import Path

import pytest

from layerplan.planner import plan_data, plan_text

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[2]
CASES = int(os.environ.get("LAYERPLAN_SHAPE_OPS_CASES", "300"))
TORCH_KINDS = ("split", "chunk", "squeeze", "unsqueeze", "permute", "transpose", "flatten", "unflatten",
               "repeat_vector", "select", "slice")
KERAS_KINDS = ("split", "chunk", "squeeze", "unsqueeze", "permute", "transpose", "flatten", "repeat_vector",
               "select", "slice")


def _sizes(rng, length):
    cuts = sorted(rng.sample(range(1, length), rng.randint(0, min(3, length - 1)))) if length > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, length])]
    if rng.random() < 0.2:
        sizes[-1] += rng.choice([-1, 1]) if sizes[-1] > 1 else 1
    return sizes


def draw(rng: random.Random, framework: str) -> tuple[list[int], str, dict]:
    """One (sample shape, kind, options) in the spec's canonical option names."""
    kind = rng.choice(TORCH_KINDS if framework == "torch" else KERAS_KINDS)
    rank = 1 if kind == "repeat_vector" and rng.random() < 0.8 else rng.randint(1, 4)
    shape = [rng.choice([1, 1, 2, 3, 4, 5, 6]) for _ in range(rank)]
    batched = rank + 1

    def axis(inserting=False):
        size = batched + (1 if inserting else 0)
        if rng.random() < 0.1:
            return rng.choice([size, -size - 1])  # out of range
        return rng.randint(1, size - 1) * rng.choice([1, 1, -1]) if rng.random() < 0.9 else 0

    def length(a):
        return shape[a % batched - 1] if a % batched else 1

    if kind == "split":
        a = axis()
        n = length(a) if -batched <= a < batched else 4
        way = rng.choice(["sizes", "split_size"] if framework == "torch" else ["sizes", "sections", "indices"])
        if way == "sizes":
            return shape, kind, {"axis": a, "sizes": _sizes(rng, n)}
        if way == "indices":  # keras.ops.split's split points, sometimes out of order or past the end
            points = list(itertools.accumulate(_sizes(rng, n)))[:-1] or [rng.randint(1, n + 1)]
            return shape, kind, {"axis": a, "indices": points if rng.random() < 0.8 else points[::-1]}
        if way != "indices" and rng.random() < 0.3:
            # the framework's own keyword: a number is torch's part size or tf.split's count of equal parts
            own = "split_size_or_sections" if framework == "torch" else "num_or_size_splits"
            value = _sizes(rng, n) if way == "sizes" else rng.randint(1, n + 1)
            return shape, kind, {"axis": a, own: value}
        return shape, kind, {"axis": a, way: rng.randint(1, n + 1)}
    if kind == "chunk":
        return shape, kind, {"axis": axis(), "chunks": rng.randint(1, 6)}
    if kind == "squeeze":
        ones = [k + 1 for k, v in enumerate(shape) if v == 1]
        if ones and rng.random() < 0.7:
            picked = rng.sample(ones, rng.randint(1, len(ones)))
            return shape, kind, {"axis": picked if len(picked) > 1 or rng.random() < 0.3 else picked[0]}
        return shape, kind, {"axis": axis()}
    if kind == "unsqueeze":
        return shape, kind, {"axis": axis(inserting=True)}
    if kind == "permute":
        if framework == "torch":
            dims = [0, *rng.sample(range(1, batched), rank)]
            if rng.random() < 0.3:
                dims = [d - batched if rng.random() < 0.5 else d for d in dims]
            if rng.random() < 0.15:
                dims = dims[1:] if rng.random() < 0.5 else [dims[1], dims[0], *dims[2:]]
        else:
            dims = rng.sample(range(1, batched), rank)
            if rng.random() < 0.15:
                dims = [*dims, batched] if rng.random() < 0.5 else [d - 1 for d in dims]
        return shape, kind, {"dims": dims}
    if kind == "transpose":
        return shape, kind, {"dim0": axis(), "dim1": axis()}
    if kind == "flatten":
        if framework == "keras" or rng.random() < 0.2:
            return shape, kind, {}
        return shape, kind, {"start_dim": axis(), "end_dim": axis()}
    if kind == "unflatten":
        a = axis()
        n = length(a) if -batched <= a < batched else 4
        first = rng.choice([d for d in range(1, n + 1) if n % d == 0])
        sizes = [first, n // first] if rng.random() < 0.8 else [first + 1, n // first]
        if rng.random() < 0.3:
            sizes[rng.randint(0, 1)] = -1
        return shape, kind, {"axis": a, "sizes": sizes}
    if kind == "select":
        a = axis()
        n = length(a) if -batched <= a < batched else 4
        return shape, kind, {"axis": a, "index": rng.randint(-n - 2, n + 1)}
    if kind == "slice":
        a = axis()
        n = length(a) if -batched <= a < batched else 4

        def bound():
            return None if rng.random() < 0.25 else rng.randint(-n - 3, n + 3)

        options = {"axis": a, "start": bound(), "stop": bound()}
        if rng.random() < 0.6:
            options["step"] = rng.choice([1, 2, 3, -1, -2, 0] if rng.random() < 0.3 else [1, 2, 3])
        return shape, kind, {k: v for k, v in options.items() if v is not None or rng.random() < 0.5}
    return shape, kind, {"n": rng.randint(1, 4)}


def planned(framework: str, shape, kind: str, options: dict) -> dict:
    report = plan_data({"framework": framework, "input": shape, "layers": [{kind: dict(options)}]})
    if not report.ok:
        return {"error": [d.message for d in report.errors]}
    row = report.layers[0]
    return {"outputs": [list(s) for s in row.output_shapes]}


def _agree(framework: str, seed: int, worker, isolated, runner: str):
    rng = random.Random(f"{framework}-{seed}")
    shape, kind, options = draw(rng, framework)
    ours = planned(framework, shape, kind, options)
    theirs = isolated(worker, f"shape_ops_run:{runner}", kind, shape, options)
    case = json.dumps({"framework": framework, "input": shape, "layers": [{kind: options}]})
    assert ("error" in ours) == ("error" in theirs), f"{case}: layerplan {ours}, {framework} {theirs}"
    if "outputs" in ours:
        assert ours["outputs"] == theirs["outputs"], case


@pytest.mark.framework
@pytest.mark.parametrize("seed", range(CASES))
def test_shape_ops_agree_with_torch(seed, torch_worker, isolated):
    _agree("torch", seed, torch_worker, isolated, "run_torch")


@pytest.mark.framework
@pytest.mark.parametrize("seed", range(CASES))
def test_shape_ops_agree_with_keras(seed, keras_worker, isolated):
    _agree("keras", seed, keras_worker, isolated, "run_keras")


def test_the_draws_cover_select_and_slice_valid_and_invalid():
    for framework in ("torch", "keras"):
        outcomes = set()
        for seed in range(CASES):
            shape, kind, options = draw(random.Random(f"{framework}-{seed}"), framework)
            if kind in ("select", "slice"):
                report = plan_data({"framework": framework, "input": shape, "layers": [{kind: dict(options)}]})
                outcomes.add((kind, report.ok))
        assert outcomes == {(k, ok) for k in ("select", "slice") for ok in (True, False)}, framework


@pytest.mark.framework
@pytest.mark.parametrize("framework, shape, options, outputs", [
    ("torch", [5, 4], {"axis": 1, "split_size_or_sections": 2}, [[2, 4], [2, 4], [1, 4]]),  # parts of 2
    ("torch", [4, 6], {"axis": -1, "split_size_or_sections": 4}, [[4, 4], [4, 2]]),
    ("torch", [5, 4], {"axis": 1, "split_size_or_sections": [2, 3]}, [[2, 4], [3, 4]]),
    ("torch", [5, 4], {"axis": 1, "split_size_or_sections": 7}, [[5, 4]]),
    ("keras", [4, 6], {"axis": -1, "num_or_size_splits": 2}, [[4, 3], [4, 3]]),  # two equal parts
    ("keras", [4, 6], {"axis": 2, "num_or_size_splits": 3}, [[4, 2], [4, 2], [4, 2]]),
    ("keras", [4, 5], {"axis": -1, "num_or_size_splits": 2}, None),  # 2 does not divide 5
    ("keras", [4, 5], {"axis": -1, "num_or_size_splits": [2, 3]}, [[4, 2], [4, 3]]),
])
def test_the_frameworks_own_split_keywords_mean_what_the_framework_reads(framework, shape, options, outputs,
                                                                          torch_worker, keras_worker, isolated):
    worker, runner = (torch_worker, "run_torch") if framework == "torch" else (keras_worker, "run_keras")
    theirs = isolated(worker, f"shape_ops_run:{runner}", "split", shape, options)
    ours = planned(framework, shape, "split", options)
    assert theirs.get("outputs") == outputs and ours.get("outputs") == outputs, (ours, theirs)


@pytest.mark.framework
def test_shufflenet_v2_example_matches_torch(torch_worker, isolated):
    units = isolated(torch_worker, "shape_ops_run:shufflenet_unit_torch")["units"]
    path = ROOT / "examples" / "shufflenet_v2_unit.yaml"
    report = plan_text(path.read_text(encoding="utf-8"), str(path))
    rows = {row.name: row for row in report.layers}
    assert report.ok
    assert [list(rows["unit1"].output), list(rows["unit2"].output)] == [shape for shape, _ in units]
    unit1 = sum(row.params for row in report.layers if row.index <= rows["unit1"].index)
    assert [unit1, report.total_params - unit1] == [params for _, params in units]


@pytest.mark.framework
@pytest.mark.parametrize("channels", [116, 232, 24])
def test_the_size_free_channel_shuffle_of_the_docs_matches_torch(channels, torch_worker, isolated):
    """docs/spec.md's channel shuffle (unflatten, transpose, flatten) step by step, as torch runs each."""
    steps = [("unflatten", {"axis": 1, "sizes": [2, -1]}), ("transpose", {"dim0": 1, "dim1": 2}),
             ("flatten", {"start_dim": 1, "end_dim": 2})]
    report = plan_data({"framework": "torch", "input": [channels, 28, 28],
                        "layers": [{kind: dict(options)} for kind, options in steps]})
    shape, theirs = [channels, 28, 28], []
    for kind, options in steps:
        [shape] = isolated(torch_worker, "shape_ops_run:run_torch", kind, shape, options)["outputs"]
        theirs.append(shape)
    assert report.ok and [list(row.output) for row in report.layers] == theirs
    assert theirs[-1] == [channels, 28, 28]
