"""Differential test of time_distributed (keras TimeDistributed): one layer on every step of a sequence,
video frames through Conv2D (a rank-5 input with the batch), dense and recurrent layers on each step,
nested wrappers, and the inputs keras refuses. Each row states keras' behaviour per layer as (output shape,
params, non-trainable params), or "error" on the layer keras rejects; the oracle must see it, and
layerplan's report must equal keras' run layer by layer (the comparison of test_keras_oracle.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_keras_oracle import ERROR, check_against_keras, observed, run_in_keras, tricky_spec  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]


def td(layer) -> dict:
    return {"time_distributed": {"layer": layer}}


CONV_PARAMS = 3 * 3 * 3 * 8 + 8  # Conv2D(8, 3) on 3 channels
# (id, input without the batch, layers, keras' behaviour per layer)
CASES = [
    ("frames-conv2d", [6, 16, 16, 3], [td({"conv2d": {"filters": 8, "kernel_size": 3}})],
     [([6, 14, 14, 8], CONV_PARAMS, 0)]),
    ("frames-conv2d-same-stride2-pool-flatten-lstm", [4, 15, 15, 3],
     [td({"conv2d": {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}}),
      td({"max_pool2d": {"pool_size": 2}}), td("flatten"), {"lstm": {"units": 5}}],
     [([4, 8, 8, 8], CONV_PARAMS, 0), ([4, 4, 4, 8], 0, 0), ([4, 128], 0, 0), ([5], 4 * 5 * (128 + 5 + 1), 0)]),
    ("frames-batch-norm-non-trainable", [3, 5, 5, 4], [td({"batch_normalization": {}})],
     [([3, 5, 5, 4], 16, 8)]),
    ("frames-global-pool", [2, 9, 9, 3], [td({"global_avg_pool2d": {}})], [([2, 3], 0, 0)]),
    ("steps-dense", [7, 5], [td({"dense": {"units": 10}})], [([7, 10], 60, 0)]),
    ("steps-dense-on-rank-3-steps", [4, 3, 5], [td({"type": "dense", "units": 2})], [([4, 3, 2], 12, 0)]),
    ("steps-lstm-sequences", [3, 6, 2], [td({"lstm": {"units": 4, "return_sequences": True}})],
     [([3, 6, 4], 4 * 4 * (2 + 4 + 1), 0)]),
    ("nested", [2, 3, 4, 5], [td(td({"dense": {"units": 6}}))], [([2, 3, 4, 6], 36, 0)]),
    ("conv1d-on-steps", [5, 10, 3], [td({"conv1d": {"filters": 2, "kernel_size": 4}})], [([5, 7, 2], 26, 0)]),
    # keras refuses: an input of rank 2 with the batch, a step the wrapped layer refuses, a layer of
    # another rank than one step's
    ("rank-2-input", [5], [td({"dense": {"units": 3}})], [ERROR]),
    ("kernel-larger-than-a-frame", [3, 4, 4, 1], [td({"conv2d": {"filters": 2, "kernel_size": 5}})], [ERROR]),
    ("conv2d-on-a-sequence", [6, 5], [td({"conv2d": {"filters": 2, "kernel_size": 1}})], [ERROR]),
    ("error-after-a-good-layer", [4, 8, 8, 1],
     [td({"conv2d": {"filters": 2, "kernel_size": 3}}), td({"conv2d": {"filters": 2, "kernel_size": 7}})],
     [([4, 6, 6, 2], 20, 0), ERROR]),
]


@pytest.fixture(scope="module")
def plan_data():
    from layerplan.planner import plan_data

    return plan_data


@pytest.mark.parametrize(("input_shape", "layers", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_keras_computes_what_the_table_says(plan_data, keras_worker, on_crash, input_shape, layers, expected):
    spec = tricky_spec(input_shape, layers)
    keras = run_in_keras(keras_worker, on_crash, spec, plan_data(spec).to_dict())
    assert observed(keras, expected) == expected, [row.error for row in keras.rows]


@pytest.mark.parametrize(("input_shape", "layers"), [c[1:3] for c in CASES], ids=[c[0] for c in CASES])
def test_time_distributed_matches_keras(plan_data, keras_worker, on_crash, input_shape, layers):
    check_against_keras(plan_data, keras_worker, on_crash, tricky_spec(input_shape, layers))
