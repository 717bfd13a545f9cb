"""The several outputs of recurrent and attention layers (return_state, return_attention_scores), and
cross-attention, against torch and keras: seeded draws per framework — rnn, lstm, gru (stacked,
bidirectional, batch_first) and multi-head self- and cross-attention, some of them invalid — run with all
their outputs in the framework (tests/oracle/sequence_run.py, in the isolated workers) and planned by
layerplan: every output's shape and the params, or the refusal, must agree. `LAYERPLAN_STATES_CASES` sets
the number of draws per framework (default 60). The table at the top states the shapes without a framework.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import pytest

from layerplan.planner import plan_data

sys.path.insert(0, str(Path(__file__).parent))

CASES = int(os.environ.get("LAYERPLAN_STATES_CASES", "60"))


def planned(framework: str, kind: str, options: dict, shapes: list) -> dict:
    """layerplan's outputs and params for one layer on one input (self) or two (query, key_value)."""
    if len(shapes) == 1:
        spec = {"framework": framework, "input": shapes[0], "layers": [{kind: dict(options)}]}
    else:
        spec = {"framework": framework, "inputs": {"q": shapes[0], "kv": shapes[1]},
                "layers": [{kind: {**options, "inputs": ["q", "kv"]}}]}
    report = plan_data(spec)
    if not report.ok:
        return {"error": [d.message for d in report.errors]}
    row = report.layers[0]
    return {"outputs": [list(s) for s in row.output_shapes], "params": row.params}


# framework, kind, options, input shapes, the output shapes
TABLE = [
    ("torch", "lstm", {"units": 8, "return_state": True}, [[10, 4]], [[10, 8], [1, 8], [1, 8]]),
    ("torch", "lstm", {"units": 8, "num_layers": 3, "bidirectional": True, "return_state": True}, [[10, 4]],
     [[10, 16], [6, 8], [6, 8]]),
    ("torch", "gru", {"units": 8, "num_layers": 2, "batch_first": True, "return_state": True}, [[10, 4]],
     [[10, 8], [2, 8]]),
    ("keras", "lstm", {"units": 8, "return_state": True}, [[10, 4]], [[8], [8], [8]]),
    ("keras", "lstm", {"units": 8, "bidirectional": True, "return_sequences": True, "return_state": True}, [[10, 4]],
     [[10, 16], [8], [8], [8], [8]]),
    ("keras", "gru", {"units": 8, "bidirectional": True, "return_state": True}, [[10, 4]], [[16], [8], [8]]),
    ("keras", "rnn", {"units": 8, "return_state": True}, [[10, 4]], [[8], [8]]),
    ("torch", "multi_head_attention", {"num_heads": 2, "need_weights": True}, [[10, 8]], [[10, 8], [10, 10]]),
    ("torch", "multi_head_attention", {"num_heads": 2, "need_weights": True, "average_attn_weights": False,
                                       "kdim": 6, "vdim": 6}, [[10, 8], [7, 6]], [[10, 8], [2, 10, 7]]),
    ("keras", "multi_head_attention", {"num_heads": 2, "key_dim": 4, "return_attention_scores": True},
     [[10, 8], [7, 6]], [[10, 8], [2, 10, 7]]),
]


@pytest.mark.parametrize("framework, kind, options, shapes, outputs", TABLE)
def test_state_and_weight_shapes(framework, kind, options, shapes, outputs):
    assert planned(framework, kind, options, shapes)["outputs"] == outputs


def test_a_later_layer_reads_a_state():
    report = plan_data({"input": [10, 4], "layers": [
        {"lstm": {"units": 8, "num_layers": 2, "return_state": True, "name": "lstm1"}},
        {"dense": {"units": 3, "inputs": "lstm1:1"}}], "outputs": ["lstm1:0", "dense_1"]})
    assert report.ok and report.layers[1].input == (2, 8) and report.layers[1].output == (2, 3)
    whole = plan_data({"input": [10, 4], "layers": [{"lstm": {"units": 8, "return_state": True}}, {"dense": 3}]})
    assert not whole.ok and "read one of them by its index" in whole.errors[0].message


def draw(rng: random.Random, framework: str) -> tuple[str, dict, list]:
    """(kind, options, input shapes) in the spec's canonical option names."""
    kind = rng.choice(["rnn", "lstm", "gru", "multi_head_attention", "multi_head_attention"])
    steps, features = rng.randint(1, 6), rng.randint(1, 8)
    if kind != "multi_head_attention":
        options = {"units": rng.randint(1, 6), "return_state": rng.random() < 0.8,
                   "bidirectional": rng.random() < 0.4}
        if framework == "torch":
            options.update(num_layers=rng.randint(1, 3), batch_first=rng.random() < 0.5)
        else:
            options["return_sequences"] = rng.random() < 0.5
            if kind == "gru":
                options["reset_after"] = rng.random() < 0.7
        return kind, options, [[steps, features]]
    heads = rng.randint(1, 4)
    shapes = [[steps, heads * rng.randint(1, 3) if rng.random() < 0.85 else features]]
    if rng.random() < 0.6:  # cross-attention: key and value from another branch
        shapes.append([rng.randint(1, 6), rng.randint(1, 8)])
    options = {"num_heads": heads, "return_attention_scores": rng.random() < 0.7}
    if framework == "torch":
        options.update(batch_first=rng.random() < 0.5, average_attn_weights=rng.random() < 0.5)
        if len(shapes) > 1 and rng.random() < 0.85:  # else torch refuses the key's features
            options.update(kdim=shapes[1][-1], vdim=shapes[1][-1])
        if rng.random() < 0.2:
            options["add_bias_kv"] = True
    else:
        options["key_dim"] = rng.randint(1, 6)
        if rng.random() < 0.3:
            options["value_dim"] = rng.randint(1, 6)
    return kind, options, shapes


def _agree(framework: str, seed: int, worker, isolated) -> None:
    kind, options, shapes = draw(random.Random(f"states-{framework}-{seed}"), framework)
    ours = planned(framework, kind, options, shapes)
    theirs = isolated(worker, f"sequence_run:run_{framework}", kind, options, shapes)
    case = json.dumps({"framework": framework, "kind": kind, "options": options, "inputs": shapes})
    assert ("error" in ours) == ("error" in theirs), f"{case}: layerplan {ours}, {framework} {theirs}"
    if "outputs" in ours:
        assert ours == theirs, case


@pytest.mark.framework
@pytest.mark.parametrize("seed", range(CASES))
def test_states_and_attention_agree_with_torch(seed, torch_worker, isolated):
    _agree("torch", seed, torch_worker, isolated)


@pytest.mark.framework
@pytest.mark.parametrize("seed", range(CASES))
def test_states_and_attention_agree_with_keras(seed, keras_worker, isolated):
    _agree("keras", seed, keras_worker, isolated)
