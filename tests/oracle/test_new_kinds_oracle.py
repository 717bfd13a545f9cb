"""Differential test of the normalisation, padding, shuffle, resizing, sequence and attention kinds and the
weight_norm / spectral_norm options: random stacks (new_kinds_cases.py), valid and invalid, 1d/2d/3d,
built and run in torch and in keras in their worker processes; every layer's shape, params and trainable /
non-trainable split and the first rejected layer must equal layerplan's report (the comparisons of
test_torch_oracle.py and test_keras_oracle.py).

LAYERPLAN_NEW_KINDS_CASES sets the number of stacks per framework (default 150).
"""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from new_kinds_cases import generate_spec  # noqa: E402
from test_keras_oracle import check_against_keras  # noqa: E402
from test_torch_oracle import check_against_torch  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

N_CASES = int(os.environ.get("LAYERPLAN_NEW_KINDS_CASES", "150"))


@pytest.fixture(scope="module")
def plan_data():
    from layerplan.planner import plan_data

    return plan_data


@pytest.mark.parametrize("seed", range(N_CASES))
def test_new_kinds_match_torch(plan_data, torch_worker, isolated, seed):
    check_against_torch(plan_data, lambda spec: isolated(torch_worker, "torch_build:run_torch", spec),
                        generate_spec(seed, "torch"))


@pytest.mark.parametrize("seed", range(N_CASES))
def test_new_kinds_match_keras(plan_data, keras_worker, on_crash, seed):
    check_against_keras(plan_data, keras_worker, on_crash, copy.deepcopy(generate_spec(seed, "keras")))


def test_the_draws_cover_every_new_kind_valid_and_invalid():
    """The generator draws each new kind, in both frameworks, and a share of its stacks are invalid (the
    framework's verdict is checked above; here only that the draws reach them)."""
    from layerplan.planner import plan_data

    seen: set[str] = set()
    invalid = 0
    for framework in ("torch", "keras"):
        for seed in range(N_CASES):
            report = plan_data(generate_spec(seed, framework))
            seen |= {row.type for row in report.layers}
            invalid += not report.ok
    wanted = {"pixel_shuffle", "pixel_unshuffle", "reflection_padding1d", "reflection_padding2d",
              "replication_padding3d", "instance_norm1d", "instance_norm2d", "instance_norm3d", "group_norm",
              "layer_norm", "spatial_dropout1d", "spatial_dropout3d", "upsample2d", "resizing", "rescaling",
              "gaussian_noise", "identity", "prelu", "normalization", "learned_tensor", "embedding", "rnn", "lstm", "gru", "multi_head_attention"}
    assert wanted <= seen, wanted - seen
    assert 0.1 * 2 * N_CASES <= invalid <= 0.6 * 2 * N_CASES


# ---------------------------------------------------------------------------------------------------------
# The sequence examples, built as keras functional models: every layer and the whole model as planned

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def as_graph(spec: dict) -> dict:
    """An example in the graph oracle's form: every layer in long form with a name and its inputs."""
    layers, previous = [], "input"
    for index, entry in enumerate(spec["layers"], start=1):
        layer = dict(entry) if "type" in entry else {"type": next(iter(entry)), **next(iter(entry.values()))}
        layer.setdefault("name", f"layer{index}")
        layer.setdefault("inputs", [previous])
        previous = layer["name"]
        layers.append(layer)
    return {"framework": spec["framework"], "input": spec["input"], "layers": layers}


@pytest.mark.parametrize("example", ["lstm_audio_classifier.yaml", "transformer_encoder_conv_stem.yaml"])
def test_sequence_examples_match_keras(example, keras_worker, isolated):
    import yaml

    from test_graph_oracle import compare, repro

    from layerplan.planner import plan_data

    spec = as_graph(yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8")))
    run = isolated(keras_worker, "graph_keras:run_keras_graph", copy.deepcopy(spec))
    report = plan_data(copy.deepcopy(spec)).to_dict()
    problems = compare(report, run)
    assert not problems, repro(spec, report, run, problems)
    assert run.first_error is None and run.model_outputs[spec["layers"][-1]["name"]] == [10 if "transformer" in
                                                                                          example else 12]


@pytest.fixture(scope="module")
def torch_examples(torch_worker):
    from framework_workers import Crash

    result = torch_worker.call("sequence_run:examples_torch")
    if isinstance(result, Crash):
        pytest.fail(f"torch crashed running the examples: {result}")
    return result


@pytest.mark.parametrize("example", ["lstm_audio_classifier_torch", "transformer_encoder_conv_stem_torch"])
def test_sequence_examples_match_torch(example, torch_examples):
    """The torch examples as PyTorch code: each named layer's outputs and params, and the total."""
    import yaml

    from layerplan.planner import plan_data

    spec = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8"))
    report = plan_data(spec)
    rows = {row.name: row for row in report.layers}
    expected = torch_examples[example]
    for name, (shapes, params) in expected.items():
        if name == "total":
            assert report.total_params == params
            continue
        row = rows[name]
        assert [list(s) for s in row.output_shapes] == shapes, name
        assert row.params == params, name
