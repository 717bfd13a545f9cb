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
              "gaussian_noise", "identity", "embedding", "rnn", "lstm", "gru", "multi_head_attention"}
    assert wanted <= seen, wanted - seen
    assert 0.1 * 2 * N_CASES <= invalid <= 0.6 * 2 * N_CASES
