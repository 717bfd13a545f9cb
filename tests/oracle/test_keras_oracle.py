"""Differential test: layerplan in keras mode against real keras 3 on the TensorFlow backend.

Every random stack from keras_cases.py is run in keras layer by layer on a zeros batch (keras_build.py)
and planned by layerplan. For each layer up to and including keras' first rejected layer the two must
agree on the output shape, params and the trainable / non-trainable split, and layerplan's first layer
with an error diagnostic must be keras' first rejected layer. A failure message is a ready repro: the spec
as YAML, layerplan's rows and keras' rows.

keras runs in worker processes (isolation.py, conftest.py): one with the machine's default TensorFlow
kernels and one with TensorFlow's own CPU kernels (TF_ENABLE_ONEDNN_OPTS=0), so that both behaviours of
the machine-dependent layers are met on one machine. A layer layerplan plans with a machine-dependent
warning may be run or refused by keras; a crash is reported and skips the case.

LAYERPLAN_KERAS_CASES sets the number of random stacks (default 2000), LAYERPLAN_KERAS_OWN_KERNEL_CASES
how many of them also run with TensorFlow's own kernels (default 1000); LAYERPLAN_KERAS_SEED_BASE shifts
the seeds to explore new stacks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from isolation import Crash  # noqa: E402
from keras_cases import random_spec  # noqa: E402
from repro import repro_text  # noqa: E402
from runs import KerasResult  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

N_CASES = int(os.environ.get("LAYERPLAN_KERAS_CASES", "2000"))
#: random stacks also run with TensorFlow's own CPU kernels (TF_ENABLE_ONEDNN_OPTS=0)
N_OWN_KERNEL_CASES = int(os.environ.get("LAYERPLAN_KERAS_OWN_KERNEL_CASES", "1000"))
SEED_BASE = int(os.environ.get("LAYERPLAN_KERAS_SEED_BASE", "0"))

#: Diagnostics for layers that keras accepts but only some TensorFlow CPU kernels run (README: "When
#: TensorFlow's answer depends on the machine"): there keras may run the layer, raise, or crash.
MACHINE_DEPENDENT = {"transpose-dilation", "unequal-strides", "adaptive-max-pool-crash"}


@pytest.fixture(scope="module")
def plan_data():
    from layerplan.planner import plan_data

    return plan_data


def machine_dependent_layers(report: dict) -> dict[int, str]:
    """Layer index -> the code of its machine-dependent warning."""
    return {d["layer"]: d["code"] for d in report["diagnostics"] if d["name"] in MACHINE_DEPENDENT}


def run_in_keras(worker, on_crash, spec: dict, report: dict) -> KerasResult:
    """keras' run of the stack in the worker. A crash is compared as far as keras got (a disagreement
    before the crashing layer is a failure of its own), then reported and the case skipped."""
    result = worker.call("keras_build:run_in_keras", spec)
    if not isinstance(result, Crash):
        return result
    done = [row for event, row in result.progress if event == "done"]
    started = [row for event, row in result.progress if event == "start"]
    partial = KerasResult(done, None)
    problems = compare_rows(report, partial)
    assert not problems, repro(spec, report, partial, problems + [f"then keras {result.how}"])
    where = ""
    if started:
        layer = started[-1]
        code = machine_dependent_layers(report).get(layer.index)
        where = (f" in layer {layer.index} ({layer.type}); layerplan "
                 + (f"warns {code} there" if code else "gives no machine-dependent warning there"))
    on_crash(worker, result, where)


# ---------------------------------------------------------------------------------------------------------
# Comparison and repro message

def first_error_layer(report: dict) -> int | None:
    layers = [d["layer"] for d in report["diagnostics"] if d["severity"] == "error" and d["layer"] is not None]
    return min(layers) if layers else None


def compare(report: dict, keras: KerasResult) -> list[str]:
    """Every disagreement between layerplan's report and keras' run, as readable lines.

    Where keras rejected a layer that layerplan plans with a machine-dependent warning, this machine's
    TensorFlow kernels refused what others run: the layers before it are compared, and nothing after."""
    refused, planned_first = keras.first_error, first_error_layer(report)
    if refused in machine_dependent_layers(report) and (planned_first is None or planned_first > refused):
        return compare_rows(report, KerasResult(keras.rows[:refused - 1], None))
    problems = []
    if planned_first != keras.first_error:
        problems.append(f"first error: layerplan layer {planned_first}, keras layer {keras.first_error}")
    spec_errors = [d for d in report["diagnostics"] if d["severity"] == "error" and d["layer"] is None]
    if keras.ok and spec_errors:
        problems.append(f"layerplan spec-level error(s) on a stack keras runs: {spec_errors}")
    if report["ok"] != keras.ok:
        problems.append(f"ok: layerplan {report['ok']}, keras {keras.ok}")
    problems += compare_rows(report, keras)
    if keras.ok and keras.rows and report["output"] != keras.rows[-1].output:
        problems.append(f"spec output: layerplan {report['output']}, keras {keras.rows[-1].output}")
    return problems


def compare_rows(report: dict, keras: KerasResult) -> list[str]:
    """Disagreements in the layers keras reported (shapes, params and their split)."""
    problems = []
    for row in keras.rows:
        if row.index > len(report["layers"]):
            problems.append(f"layer {row.index}: missing from layerplan's report")
            break
        planned = report["layers"][row.index - 1]
        rejected = row.index == keras.first_error
        for field in ("output", "params", "trainable_params", "non_trainable_params"):
            mine, theirs = planned[field], getattr(row, field)
            if rejected:
                # On the rejected layer layerplan may leave a value unknown, but a value it gives
                # must be what keras computed (the shape of a zero-sized output, the built weights).
                if mine is None or theirs is None or mine == theirs:
                    continue
            elif mine == theirs:
                continue
            problems.append(f"layer {row.index} ({row.type}) {field}: layerplan {mine}, keras {theirs}")
    return problems


def repro(spec: dict, report: dict, keras, problems: list[str]) -> str:
    return repro_text("keras", spec, report,
                      [(row.index, row.type, row.output, row.params, row.trainable_params, row.non_trainable_params, row.error) for row in keras.rows], problems)


def check_against_keras(plan_data, worker, on_crash, spec: dict) -> KerasResult:
    report = plan_data(spec).to_dict()
    keras = run_in_keras(worker, on_crash, spec, report)
    problems = compare(report, keras)
    assert not problems, repro(spec, report, keras, problems)
    return keras


# ---------------------------------------------------------------------------------------------------------
# Random stacks, with the machine's default TensorFlow kernels and with TensorFlow's own CPU kernels

@pytest.mark.parametrize("seed", range(SEED_BASE, SEED_BASE + N_CASES))
def test_random_stack_matches_keras(plan_data, keras_worker, on_crash, seed):
    check_against_keras(plan_data, keras_worker, on_crash, random_spec(seed))


@pytest.mark.parametrize("seed", range(SEED_BASE, SEED_BASE + N_OWN_KERNEL_CASES))
def test_random_stack_matches_keras_own_kernels(plan_data, keras_own_kernels_worker, on_crash, seed):
    check_against_keras(plan_data, keras_own_kernels_worker, on_crash, random_spec(seed))


# ---------------------------------------------------------------------------------------------------------
# Hand-picked tricky cases. Each row: id, input, layers, and keras' behaviour per layer as
# (output shape, params, non-trainable params), ending with "error" on the layer keras rejects, or
# MachineDependent(code, behaviour) where some TensorFlow kernels run the layer and others refuse it
# (or crash). The keras side is asserted too, so this table documents the framework facts layerplan
# reproduces; a machine-dependent layer may go either way in keras, and layerplan must warn with `code`.

ERROR = "error"


class MachineDependent:
    """keras runs the layer with `behaviour` on some machines and refuses it (or crashes) on others."""

    def __init__(self, code: str, behaviour: tuple) -> None:
        self.code, self.behaviour = code, behaviour

    def __repr__(self) -> str:
        return f"MachineDependent({self.code}, {self.behaviour})"

TRICKY = [
    ("tf-same-stride2-odd-2d", [7, 7, 1],
     [{"conv2d": {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}}],
     [([4, 4, 4], 40, 0)]),
    ("tf-same-stride2-odd-1d-even-kernel", [5, 1],
     [{"Conv1D": {"filters": 1, "kernel_size": 2, "strides": 2, "padding": "same"}}],
     [([3, 1], 3, 0)]),
    ("tf-same-pool-stride3", [7, 7, 2],
     [{"MaxPooling2D": {"pool_size": 2, "strides": 3, "padding": "same"}}],
     [([3, 3, 2], 0, 0)]),
    ("conv1d-causal-dilated", [10, 2],
     [{"Conv1D": {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}}],
     [([10, 3], 21, 0)]),
    ("conv1d-causal-stride2", [7, 2],
     [{"conv1d": {"filters": 3, "kernel_size": 3, "padding": "causal", "stride": 2}}],
     [([4, 3], 21, 0)]),
    ("conv2d-causal-rejected", [7, 7, 2],
     [{"conv2d": {"filters": 3, "kernel_size": 3, "padding": "causal"}}],
     [ERROR]),
    ("conv2d-int-padding-rejected", [7, 7, 2],
     [{"conv2d": {"filters": 3, "kernel_size": 3, "padding": 1}}],
     [ERROR]),
    ("conv-transpose-output-padding-none", [7, 7, 3],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 1, "strides": 3}}],
     [([21, 21, 2], 8, 0)]),
    ("conv-transpose-output-padding-zero", [7, 7, 3],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 1, "strides": 3, "output_padding": 0}}],
     [([19, 19, 2], 8, 0)]),
    ("conv-transpose-same-none", [7, 7, 3],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"}}],
     [([14, 14, 2], 98, 0)]),
    ("conv-transpose-k4-s2-op0-same-on-7-crashes", [7, 7, 3],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same",
                           "output_padding": 0}}],
     [ERROR]),
    ("conv-transpose-k4-s2-op1-same-on-7", [7, 7, 3],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same",
                           "output_padding": 1}}],
     [([13, 13, 2], 98, 0)]),
    ("conv-transpose-k2-s1-op0-same-crashes", [5, 3],
     [{"Conv1DTranspose": {"filters": 2, "kernel_size": 2, "padding": "same", "output_padding": 0}}],
     [ERROR]),
    ("conv-transpose-output-padding-not-below-stride", [7, 7, 3],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}}],
     [ERROR]),
    ("conv-transpose-dilation-machine-dependent", [8, 8, 3],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 3, "dilation_rate": 2}}],
     [MachineDependent("LP310", ([12, 12, 2], 56, 0))]),
    ("conv1d-transpose-dilation-same-machine-dependent", [16, 4],
     [{"Conv1DTranspose": {"filters": 8, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}}],
     [MachineDependent("LP310", ([16, 8], 104, 0))]),
    ("conv-transpose-groups-rejected", [8, 8, 4],
     [{"Conv2DTranspose": {"filters": 2, "kernel_size": 3, "groups": 2}}],
     [ERROR]),
    ("conv-stride-and-dilation-rejected", [16, 16, 3],
     [{"Conv2D": {"filters": 4, "kernel_size": 3, "strides": [2, 1], "dilation_rate": [1, 2]}}],
     [ERROR]),
    ("depthwise-stride-and-dilation-accepted", [16, 16, 3],
     [{"DepthwiseConv2D": {"kernel_size": 3, "strides": 2, "dilation_rate": 2}}],
     [([6, 6, 3], 30, 0)]),
    ("depthwise-unequal-strides-machine-dependent", [9, 9, 3],
     [{"DepthwiseConv2D": {"kernel_size": 1, "strides": [1, 2]}}],
     [MachineDependent("LP311", ([9, 5, 3], 6, 0))]),
    ("separable-unequal-strides-machine-dependent", [9, 9, 3],
     [{"SeparableConv2D": {"filters": 2, "kernel_size": 1, "strides": [2, 1]}}],
     [MachineDependent("LP311", ([5, 9, 2], 11, 0))]),
    ("separable-unequal-strides-then-dense", [15, 16, 4],
     [{"SeparableConv2D": {"filters": 8, "kernel_size": 3, "strides": [2, 1]}}, "Flatten", {"Dense": {"units": 2}}],
     [MachineDependent("LP311", ([7, 14, 8], 76, 0)), ([784], 0, 0), ([2], 1570, 0)]),
    ("adaptive-max-pool1d-to-1-machine-dependent", [7, 5],
     [{"AdaptiveMaxPooling1D": {"output_size": 1}}],
     [MachineDependent("LP312", ([1, 5], 0, 0))]),
    ("adaptive-max-pool2d-last-axis-to-1-machine-dependent", [7, 7, 5],
     [{"AdaptiveMaxPooling2D": {"output_size": [3, 1]}}],
     [MachineDependent("LP312", ([3, 1, 5], 0, 0))]),
    ("adaptive-max-pool2d-first-axis-to-1-runs", [7, 7, 5],
     [{"AdaptiveMaxPooling2D": {"output_size": [1, 3]}}],
     [([1, 3, 5], 0, 0)]),
    ("adaptive-avg-pool1d-to-1-runs", [7, 5],
     [{"AdaptiveAveragePooling1D": {"output_size": 1}}],
     [([1, 5], 0, 0)]),
    ("groups-not-dividing-input", [7, 7, 3],
     [{"Conv2D": {"filters": 4, "kernel_size": 3, "groups": 2}}],
     [ERROR]),
    ("groups-not-dividing-filters", [7, 7, 4],
     [{"Conv2D": {"filters": 3, "kernel_size": 3, "groups": 2}}],
     [ERROR]),
    ("grouped-conv-params", [7, 7, 4],
     [{"Conv2D": {"filters": 4, "kernel_size": 3, "groups": 2}}],
     [([5, 5, 4], 76, 0)]),
    ("kernel-larger-than-input", [7, 7, 3],
     [{"Conv2D": {"filters": 4, "kernel_size": 9}}, {"Dense": {"units": 2}}],
     [ERROR]),
    ("kernel-larger-than-input-same-ok", [7, 7, 3],
     [{"Conv2D": {"filters": 4, "kernel_size": 9, "padding": "same"}}],
     [([7, 7, 4], 976, 0)]),
    ("batchnorm-32-channels", [4, 4, 32],
     ["BatchNormalization"],
     [([4, 4, 32], 128, 64)]),
    ("batchnorm-rank1", [32],
     [{"batch_norm": {}}],
     [([32], 128, 64)]),
    ("batchnorm-without-scale", [4, 4, 8],
     [{"batch_norm": {"scale": False}}],
     [([4, 4, 8], 24, 16)]),
    ("batchnorm-without-center-or-scale", [4, 4, 8],
     [{"BatchNormalization": {"center": False, "scale": False}}],
     [([4, 4, 8], 16, 16)]),
    ("separable-conv2d-params", [7, 7, 3],
     [{"SeparableConv2D": {"filters": 8, "kernel_size": 3, "depth_multiplier": 2}}],
     [([5, 5, 8], 110, 0)]),
    ("separable-conv2d-params-no-bias", [7, 7, 3],
     [{"SeparableConv2D": {"filters": 8, "kernel_size": 3, "depth_multiplier": 2, "use_bias": False}}],
     [([5, 5, 8], 102, 0)]),
    ("depthwise-conv2d-params", [7, 7, 3],
     [{"DepthwiseConv2D": {"kernel_size": 3, "depth_multiplier": 2}}],
     [([5, 5, 6], 60, 0)]),
    ("upsampling2d-float-size-rejected", [4, 4, 3],
     [{"UpSampling2D": {"size": 1.5}}],
     [ERROR]),
    ("upsampling2d-integral-float-size-rejected", [4, 4, 3],
     [{"UpSampling2D": {"size": 2.0}}],
     [ERROR]),
    ("upsampling2d-per-axis", [4, 4, 3],
     [{"UpSampling2D": {"size": [2, 3]}}],
     [([8, 12, 3], 0, 0)]),
    ("pool-valid-larger-than-input-zero-size", [4, 4, 3],
     [{"MaxPooling2D": {"pool_size": 5}}],
     [ERROR]),
    ("pool-same-larger-than-input", [4, 4, 3],
     [{"AveragePooling2D": {"pool_size": 5, "padding": "same"}}],
     [([1, 1, 3], 0, 0)]),
    ("cropping-to-zero", [4, 4, 3],
     [{"Cropping2D": {"cropping": 2}}],
     [ERROR]),
    ("cropping-pairs", [4, 4, 3],
     [{"Cropping2D": {"cropping": [[1, 0], [0, 2]]}}],
     [([3, 2, 3], 0, 0)]),
    ("zero-padding-1d-flat-pair", [4, 3],
     [{"ZeroPadding1D": {"padding": [1, 3]}}],
     [([8, 3], 0, 0)]),
    ("zero-padding-3d-pairs", [4, 4, 4, 3],
     [{"ZeroPadding3D": {"padding": [[1, 0], [2, 0], [0, 3]]}}],
     [([5, 6, 7, 3], 0, 0)]),
    ("reshape-inferred", [4, 4, 3],
     [{"Reshape": {"target_shape": [-1, 6]}}],
     [([8, 6], 0, 0)]),
    ("reshape-mismatch", [4, 4, 3],
     [{"Reshape": {"target_shape": [5, 5]}}],
     [ERROR]),
    ("reshape-indivisible", [4, 4, 3],
     [{"Reshape": {"target_shape": [-1, 5]}}],
     [ERROR]),
    ("dense-on-rank3", [10, 20],
     [{"Dense": {"units": 5}}],
     [([10, 5], 105, 0)]),
    ("adaptive-pool-larger-than-input", [7, 7, 3],
     [{"AdaptiveAveragePooling2D": {"output_size": [10, 3]}}],
     [([10, 3, 3], 0, 0)]),
    ("adaptive-pool-null-axis-rejected-by-keras", [7, 7, 3],
     [{"AdaptiveMaxPooling2D": {"output_size": [None, 3]}}],
     [ERROR]),
    ("adaptive-pool-wrong-rank", [7, 3],
     [{"AdaptiveAveragePooling2D": {"output_size": 2}}],
     [ERROR]),
    ("global-pool-keepdims", [7, 7, 3],
     [{"GlobalAveragePooling2D": {"keepdims": True}}],
     [([1, 1, 3], 0, 0)]),
    ("global-pool-wrong-rank", [7],
     ["GlobalMaxPooling1D"],
     [ERROR]),
    ("flatten-rank1-is-identity", [7],
     ["Flatten"],
     [([7], 0, 0)]),
    ("elu-alpha", [7, 3],
     [{"ELU": {"alpha": 0.5}}],
     [([7, 3], 0, 0)]),
    ("dropout-rate-one-accepted", [7],
     [{"Dropout": {"rate": 1.0}}],
     [([7], 0, 0)]),
    ("error-then-more-layers", [8, 8, 3],
     [{"Conv2D": {"filters": 2, "kernel_size": 9}}, "Flatten", {"Dense": {"units": 3}}],
     [ERROR]),
]


def tricky_spec(input_shape, layers) -> dict:
    return {"framework": "keras", "input": input_shape, "layers": layers}


def observed(keras: KerasResult, expected: list) -> list:
    """keras' behaviour per layer, in the table's terms: a machine-dependent layer that keras refused
    is reported as the expected MachineDependent entry (it may go either way)."""
    seen = []
    for row, wanted in zip(keras.rows, expected):
        behaviour = ERROR if row.error else (row.output, row.params, row.non_trainable_params)
        if isinstance(wanted, MachineDependent) and behaviour in (ERROR, wanted.behaviour):
            behaviour = wanted
            if row.error:
                return seen + [behaviour] + expected[len(seen) + 1:]  # refused here: nothing after it ran
        seen.append(behaviour)
    return seen


@pytest.mark.parametrize("case_id, input_shape, layers, expected", TRICKY, ids=[c[0] for c in TRICKY])
def test_tricky_case_keras_behaviour(plan_data, keras_workers, on_crash, case_id, input_shape, layers, expected):
    """The oracle sees what the table says keras does (guards the oracle and the table), with the
    machine's default kernels and with TensorFlow's own."""
    spec = tricky_spec(input_shape, layers)
    keras = run_in_keras(keras_workers, on_crash, spec, plan_data(spec).to_dict())
    assert observed(keras, expected) == expected, [row.error for row in keras.rows]


@pytest.mark.parametrize("case_id, input_shape, layers, expected", TRICKY, ids=[c[0] for c in TRICKY])
def test_tricky_case_matches_keras(plan_data, keras_workers, on_crash, case_id, input_shape, layers, expected):
    check_against_keras(plan_data, keras_workers, on_crash, tricky_spec(input_shape, layers))


@pytest.mark.parametrize("case_id, input_shape, layers, expected", TRICKY, ids=[c[0] for c in TRICKY])
def test_tricky_case_machine_dependence_is_a_warning(plan_data, case_id, input_shape, layers, expected):
    """layerplan plans a machine-dependent layer with keras' shape and params and warns with its code;
    every other layer of the table gets no such warning."""
    report = plan_data(tricky_spec(input_shape, layers)).to_dict()
    for index, wanted in enumerate(expected, start=1):
        codes = [d["code"] for d in report["diagnostics"] if d["layer"] == index and d["name"] in MACHINE_DEPENDENT]
        if isinstance(wanted, MachineDependent):
            layer = report["layers"][index - 1]
            assert codes == [wanted.code]
            assert (layer["output"], layer["params"], layer["non_trainable_params"]) == wanted.behaviour
        else:
            assert codes == []
    if any(isinstance(wanted, MachineDependent) for wanted in expected):
        assert report["ok"]
