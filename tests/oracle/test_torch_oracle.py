"""Differential test: layerplan in torch mode against real torch 2.13 (CPU).

Every random stack from torch_cases.py is built in torch layer by layer and run in eval mode on a
zeros batch (torch_build.py), and planned by layerplan. For each layer up to and including torch's
first rejected layer the two must agree on the output shape, params and the trainable /
non-trainable split, and layerplan's first layer with an error diagnostic must be torch's first
rejected layer. A failure message is a ready repro: the spec as YAML, layerplan's rows and torch's.
torch runs in a worker process (isolation.py): a crash is reported and skips the case.

LAYERPLAN_TORCH_CASES sets the number of random stacks (default 1500);
LAYERPLAN_TORCH_SEED_BASE shifts the seeds to explore new stacks.
"""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from repro import repro_text  # noqa: E402
from runs import TorchRun  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

N_CASES = int(os.environ.get("LAYERPLAN_TORCH_CASES", "1500"))
SEED_BASE = int(os.environ.get("LAYERPLAN_TORCH_SEED_BASE", "0"))

COMPARED_FIELDS = [  # (layerplan report field, torch_build field)
    ("output", "output"),
    ("params", "params"),
    ("trainable_params", "trainable"),
    ("non_trainable_params", "non_trainable"),
]


@pytest.fixture(scope="module")
def plan_data():
    from layerplan.planner import plan_data

    return plan_data


@pytest.fixture
def torch_oracle(torch_worker, isolated):
    """(run_torch, generate_spec), each running in the torch worker (isolation.py): torch is never
    imported by the test process, and a crash of torch skips the case and is reported."""
    return (lambda spec: isolated(torch_worker, "torch_build:run_torch", spec),
            lambda seed: isolated(torch_worker, "torch_cases:generate_spec", seed))


# --------------------------------------------------------------------------------------------
# Comparison and repro message
# --------------------------------------------------------------------------------------------

def first_error_layer(report: dict) -> int | None:
    layers = [d["layer"] for d in report["diagnostics"] if d["severity"] == "error" and d["layer"] is not None]
    return min(layers) if layers else None


def compare(report: dict, torch_run: TorchRun) -> list[str]:
    """Every disagreement between layerplan's report and torch's run, one readable line each."""
    problems = []
    torch_ok = torch_run.first_error is None
    planned_first = first_error_layer(report)
    if planned_first != torch_run.first_error:
        problems.append(f"first error: layerplan layer {planned_first}, torch layer {torch_run.first_error}")
    spec_errors = [d for d in report["diagnostics"] if d["severity"] == "error" and d["layer"] is None]
    if spec_errors:
        problems.append(f"layerplan spec-level error(s): {spec_errors}")
    if report["ok"] != torch_ok:
        problems.append(f"ok: layerplan {report['ok']}, torch {torch_ok}")
    for row in torch_run.layers:
        if row.index > len(report["layers"]):
            problems.append(f"layer {row.index}: missing from layerplan's report")
            break
        planned = report["layers"][row.index - 1]
        rejected = row.index == torch_run.first_error
        for report_field, torch_field in COMPARED_FIELDS:
            mine, theirs = planned[report_field], getattr(row, torch_field)
            if rejected and (mine is None or theirs is None):
                # On the rejected layer either side may leave a value unknown; a value both give
                # must agree (e.g. the params of a conv whose kernel does not fit).
                continue
            if mine != theirs:
                problems.append(f"layer {row.index} ({row.kind}) {report_field}: layerplan {mine}, torch {theirs}")
    if torch_ok and report["output"] != torch_run.output:
        problems.append(f"spec output: layerplan {report['output']}, torch {torch_run.output}")
    return problems


def repro(spec: dict, report: dict, torch_run: TorchRun, problems: list[str]) -> str:
    return repro_text("torch", spec, report,
                      [(row.index, row.kind, row.output, row.params, row.trainable, row.non_trainable, row.error) for row in torch_run.layers], problems)


def check_against_torch(plan_data, run_torch, spec: dict) -> None:
    torch_run = run_torch(spec)
    report = plan_data(copy.deepcopy(spec)).to_dict()
    problems = compare(report, torch_run)
    assert not problems, repro(spec, report, torch_run, problems)


# --------------------------------------------------------------------------------------------
# Random stacks
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(SEED_BASE, SEED_BASE + N_CASES))
def test_random_stack_matches_torch(plan_data, torch_oracle, seed):
    run_torch, generate_spec = torch_oracle
    check_against_torch(plan_data, run_torch, generate_spec(seed))


def test_generator_mixes_valid_and_invalid_stacks(torch_oracle):
    """About a fifth of the random stacks must be rejected by torch, and most of the rest must not."""
    run_torch, generate_spec = torch_oracle
    sample = 200
    rejected = sum(run_torch(generate_spec(seed)).first_error is not None for seed in range(sample))
    assert 0.12 * sample <= rejected <= 0.3 * sample


# --------------------------------------------------------------------------------------------
# Hand-picked tricky cases. Each row: id, input, layers, and torch's behaviour per layer as
# (output shape, params), ending with ERROR on the layer torch (or spec-v1) rejects. The torch
# side is asserted too, so the table documents the framework facts layerplan reproduces.
# --------------------------------------------------------------------------------------------

ERROR = "error"

TRICKY = [
    # pooling: ceil_mode may not start a window in the right padding
    ("maxpool-k2-s2-p1-ceil-on-5", [1, 5],
     [{"max_pool1d": {"pool_size": 2, "stride": 2, "padding": 1, "ceil_mode": True}}], [([1, 3], 0)]),
    ("avgpool-k4-s4-p2-ceil-on-9", [1, 9],
     [{"avg_pool1d": {"pool_size": 4, "padding": 2, "ceil_mode": True}}], [([1, 3], 0)]),
    ("avgpool-k3-s2-p1-ceil-on-6", [1, 6],
     [{"AvgPool1d": {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}}], [([1, 4], 0)]),
    ("maxpool-dilated-ceil", [1, 8],
     [{"MaxPool1d": {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2, "ceil_mode": True}}],
     [([1, 4], 0)]),
    ("maxpool-padding-over-half-kernel", [1, 9], [{"max_pool1d": {"pool_size": 2, "padding": 2}}], [ERROR]),
    ("maxpool-padding-ignores-dilation", [1, 9],
     [{"max_pool1d": {"pool_size": 2, "dilation": 3, "padding": 2, "stride": 1}}], [ERROR]),
    ("maxpool-padding-half-kernel-ok", [1, 9],
     [{"max_pool1d": {"pool_size": 2, "dilation": 2, "padding": 1, "stride": 1}}], [([1, 9], 0)]),
    ("avgpool-padding-over-half-kernel", [1, 4, 4], [{"avg_pool2d": {"pool_size": 3, "padding": 2}}], [ERROR]),
    ("pool-larger-than-input", [1, 4], [{"max_pool1d": {"pool_size": 5}}], [ERROR]),
    ("avgpool-larger-than-input-but-padded", [1, 2], [{"avg_pool1d": {"pool_size": 5, "padding": 2}}],
     [([1, 1], 0)]),
    ("avgpool3d-unpadded-input-smaller-than-kernel", [1, 2, 4, 4],
     [{"avg_pool3d": {"pool_size": 3, "padding": 1}}], [ERROR]),
    ("avgpool3d-ceil-kernel-larger-than-input", [8, 5, 2, 7],
     [{"AvgPool3d": {"pool_size": [7, 4, 9], "ceil_mode": True}}], [ERROR]),
    ("avgpool2d-ceil-kernel-larger-than-input", [8, 5, 2],
     [{"AvgPool2d": {"pool_size": [7, 4], "ceil_mode": True}}], [([8, 1, 1], 0)]),
    ("maxpool3d-padded-kernel-fits", [1, 2, 4, 4], [{"max_pool3d": {"pool_size": 3, "padding": 1}}],
     [([1, 1, 2, 2], 0)]),
    ("pool-string-padding", [1, 6, 6], [{"MaxPool2d": {"kernel_size": 2, "padding": "same"}}], [ERROR]),
    # convolution
    ("conv-32-filters-same-on-28", [1, 28, 28],
     [{"type": "conv2d", "filters": 32, "kernel_size": 3, "padding": "same"}], [([32, 28, 28], 320)]),
    ("conv-same-even-kernel", [2, 5], [{"Conv1d": {"out_channels": 3, "kernel": 4, "padding": "same"}}],
     [([3, 5], 27)]),
    ("conv-same-dilated-even-kernel", [1, 7, 7],
     [{"conv2d": {"filters": 1, "kernel_size": [2, 4], "padding": "same", "dilation": [3, 1]}}], [([1, 7, 7], 9)]),
    ("conv-same-strided", [1, 8], [{"conv1d": {"filters": 1, "kernel_size": 3, "padding": "same", "stride": 2}}],
     [ERROR]),
    ("conv-same-mixed-stride", [1, 8, 8],
     [{"conv2d": {"filters": 1, "kernel_size": 3, "padding": "same", "stride": [1, 2]}}], [ERROR]),
    ("conv-causal-is-keras-only", [1, 8], [{"conv1d": {"filters": 1, "kernel_size": 3, "padding": "causal"}}],
     [ERROR]),
    ("conv-padding-larger-than-kernel", [1, 8, 8], [{"Conv2d": {"out_channels": 1, "kernel_size": 3, "padding": 5}}],
     [([1, 16, 16], 10)]),
    ("conv-kernel-larger-than-input", [3, 8, 8], [{"Conv2D": {"filters": 2, "kernel_size": 9}}], [ERROR]),
    ("conv-groups-not-dividing-in", [6, 8], [{"conv1d": {"filters": 4, "kernel_size": 1, "groups": 4}}], [ERROR]),
    ("conv-groups-not-dividing-out", [4, 8], [{"conv1d": {"filters": 6, "kernel_size": 1, "groups": 4}}], [ERROR]),
    ("conv-groups-params", [4, 8], [{"conv1d": {"filters": 8, "kernel_size": 3, "groups": 2, "bias": False}}],
     [([8, 6], 48)]),
    ("conv-padding-wrong-length", [1, 8, 8], [{"conv2d": {"filters": 1, "kernel_size": 3, "padding": [1, 1, 1]}}],
     [ERROR]),
    ("conv-unbatched-rank-is-an-error", [2, 5], [{"conv2d": {"filters": 3, "kernel_size": 1}}], [ERROR]),
    ("conv-error-then-more-layers", [3, 8, 8],
     [{"Conv2D": {"filters": 2, "kernel_size": 9}}, "Flatten", {"Dense": {"units": 3}}], [ERROR]),
    # transposed convolution: output_padding < max(stride, dilation)
    ("convT-op1-s2", [1, 5], [{"conv_transpose1d": {"filters": 1, "kernel_size": 3, "stride": 2,
                                                   "output_padding": 1}}], [([1, 12], 4)]),
    ("convT-op-equal-stride", [1, 5], [{"conv_transpose1d": {"filters": 1, "kernel_size": 3, "stride": 2,
                                                            "output_padding": 2}}], [ERROR]),
    ("convT-op-below-dilation", [1, 5], [{"ConvTranspose1d": {"filters": 1, "kernel_size": 3, "dilation": 2,
                                                             "output_padding": 1}}], [([1, 10], 4)]),
    ("convT-op-stride1-dilation1", [1, 5], [{"conv_transpose1d": {"filters": 1, "kernel_size": 3,
                                                                 "output_padding": 1}}], [ERROR]),
    ("convT-groups", [4, 3, 3], [{"ConvTranspose2d": {"filters": 6, "kernel_size": 2, "stride": 2, "groups": 2}}],
     [([6, 6, 6], 54)]),
    ("convT-zero-length", [1, 2], [{"conv_transpose1d": {"filters": 1, "kernel_size": 1, "padding": 1}}], [ERROR]),
    ("convT-string-padding", [1, 5], [{"conv_transpose1d": {"filters": 1, "kernel_size": 3, "padding": "same"}}],
     [ERROR]),
    # layers without a single torch module
    ("depthwise-multiplier", [3, 6, 6], [{"depthwise_conv2d": {"kernel_size": 3, "depth_multiplier": 2}}],
     [([6, 4, 4], 60)]),
    ("separable-two-biases", [1, 28, 28], [{"SeparableConv2D": {"filters": 5, "kernel_size": 3}}],
     [([5, 26, 26], 20)]),
    ("separable-no-bias", [2, 6], [{"separable_conv1d": {"filters": 4, "kernel_size": 3, "bias": False}}],
     [([4, 4], 14)]),
    ("global-avg-keepdims", [3, 4, 4], [{"global_avg_pool2d": {"keepdims": True}}], [([3, 1, 1], 0)]),
    ("global-max-flat", [3, 4, 4, 4], ["GlobalMaxPooling3D"], [([3], 0)]),
    ("zero-padding-pairs-in-HW-order", [1, 5, 5], [{"zero_padding2d": {"padding": [[1, 2], [3, 4]]}}],
     [([1, 8, 12], 0)]),
    ("zero-padding-1d-flat-pair", [1, 5], [{"ZeroPad1d": {"padding": [2, 0]}}], [([1, 7], 0)]),
    ("cropping-pairs", [1, 5, 6], [{"cropping2d": {"cropping": [[1, 0], [0, 2]]}}], [([1, 4, 4], 0)]),
    ("cropping-everything", [1, 4], [{"cropping1d": {"cropping": 2}}], [ERROR]),
    # adaptive pools and resampling
    ("adaptive-null-axis", [1, 4, 5], [{"AdaptiveAvgPool2d": {"output_size": [None, 3]}}], [([1, 4, 3], 0)]),
    ("adaptive-larger-than-input", [1, 3, 3], [{"adaptive_max_pool2d": {"output_size": 7}}], [([1, 7, 7], 0)]),
    ("adaptive-1d-null-rejected", [1, 4], [{"adaptive_avg_pool1d": {"output_size": [None]}}], [ERROR]),
    ("adaptive-max-1d-null-rejected", [2, 4], [{"AdaptiveMaxPool1d": {"output_size": [None]}}], [ERROR]),
    ("adaptive-3d-nulls", [1, 4, 4, 4], [{"adaptive_max_pool3d": {"output_size": [None, 2, None]}}],
     [([1, 4, 2, 4], 0)]),
    ("adaptive-zero", [1, 4], [{"adaptive_avg_pool1d": {"output_size": 0}}], [ERROR]),
    ("upsample-float-floor", [1, 10], [{"upsample": {"scale_factor": 0.7}}], [([1, 7], 0)]),
    ("upsample-float-product-below-integer", [1, 25], [{"upsample1d": {"scale_factor": 1.16}}], [([1, 28], 0)]),
    ("upsample-1.5-on-5", [1, 5], [{"Upsample": {"scale_factor": 1.5}}], [([1, 7], 0)]),
    ("upsample-per-axis", [1, 3, 3], [{"upsample2d": {"scale_factor": [2, 1.5]}}], [([1, 6, 4], 0)]),
    ("upsample-size-is-output", [1, 5, 5], [{"upsample2d": {"size": [3, 7]}}], [([1, 3, 7], 0)]),
    ("upsample-bilinear-2d", [1, 3, 5], [{"upsample": {"scale_factor": 2, "mode": "bilinear"}}], [([1, 6, 10], 0)]),
    ("upsample-bilinear-on-1d", [1, 5], [{"upsample": {"scale_factor": 2, "mode": "bilinear"}}], [ERROR]),
    ("upsample-to-zero", [1, 3], [{"upsample": {"scale_factor": 0.3}}], [ERROR]),
    # normalisation, dense, reshape, dropout
    ("batchnorm2d-32-is-64-params", [32, 4, 4], ["BatchNorm2d"], [([32, 4, 4], 64)]),
    ("batchnorm-on-features", [7], ["batch_norm"], [([7], 14)]),
    ("batchnorm2d-wrong-rank", [3, 4], ["batch_norm2d"], [ERROR]),
    ("dense-last-axis", [3, 10, 20], [{"dense": {"units": 5}}], [([3, 10, 5], 105)]),
    ("linear-no-bias", [12], [{"Linear": {"out_features": 4, "bias": False}}], [([4], 48)]),
    ("dense-zero-units", [4], [{"dense": {"units": 0}}], [ERROR]),
    ("reshape-infer", [2, 3, 4], [{"reshape": {"target_shape": [-1, 6]}}], [([4, 6], 0)]),
    ("reshape-count-mismatch", [2, 3, 4], [{"Reshape": {"shape": [5, 5]}}], [ERROR]),
    ("reshape-two-unknowns", [2, 3, 4], [{"reshape": {"target_shape": [-1, -1]}}], [ERROR]),
    ("reshape-after-cropping", [1, 5, 5], [{"cropping2d": {"cropping": 1}}, {"reshape": {"target_shape": [-1]}}],
     [([1, 3, 3], 0), ([9], 0)]),
    ("softmax-dim-counts-batch", [2, 3], [{"softmax": {"dim": -3}}, {"Softmax": {"axis": 2}}],
     [([2, 3], 0), ([2, 3], 0)]),
    ("softmax-dim-out-of-range", [2, 3], [{"softmax": {"dim": 3}}], [ERROR]),
    ("dropout-rate-above-one", [4], [{"dropout": {"rate": 1.5}}], [ERROR]),
    ("activations-keep-shape", [2, 3], [{"leaky_relu": {"negative_slope": 0.2}}, {"softmax": {"dim": 1}},
                                        {"activation": {"activation": "gelu"}}, "ELU"],
     [([2, 3], 0)] * 4),
]


def tricky_spec(input_shape, layers) -> dict:
    return {"framework": "torch", "input": input_shape, "layers": layers}


@pytest.mark.parametrize("case_id, input_shape, layers, expected", TRICKY, ids=[c[0] for c in TRICKY])
def test_tricky_case_torch_behaviour(torch_oracle, case_id, input_shape, layers, expected):
    """The oracle sees what the table says torch does (guards the oracle and the table)."""
    run_torch, _ = torch_oracle
    torch_run = run_torch(tricky_spec(input_shape, layers))
    seen = [ERROR if row.error else (row.output, row.params) for row in torch_run.layers]
    assert seen == expected, [row.error for row in torch_run.layers]


@pytest.mark.parametrize("case_id, input_shape, layers, expected", TRICKY, ids=[c[0] for c in TRICKY])
def test_tricky_case_matches_torch(plan_data, torch_oracle, case_id, input_shape, layers, expected):
    check_against_torch(plan_data, torch_oracle[0], tricky_spec(input_shape, layers))
