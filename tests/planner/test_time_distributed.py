"""The time_distributed kind (keras TimeDistributed): the wrapped layer planned on one step, the steps axis
given back, the wrapped layer's params; the wrapped layer's errors at the wrapper, keras' rank rule, torch's
LP118, and what its `layer:` option accepts. The keras side of each number is checked by
tests/oracle/test_time_distributed_oracle.py."""

from __future__ import annotations

import pytest

from layerplan.planner import plan_data


def plan_one(shape, layer, framework="keras"):
    report = plan_data({"framework": framework, "input": shape, "layers": [{"time_distributed": {"layer": layer}}]})
    return report.layers[0], [d for d in report.diagnostics if d.severity.value == "error"], report


# (id, input, wrapped layer, output, params, non-trainable)
PLANNED = [
    ("dense on each step", [7, 5], {"dense": {"units": 10}}, (7, 10), 60, 0),
    ("long form", [7, 5], {"type": "dense", "units": 10, "bias": False}, (7, 10), 50, 0),
    ("a type name", [3, 4, 4, 2], "flatten", (3, 32), 0, 0),
    ("a positional value", [3, 4, 4, 2], {"max_pool2d": 2}, (3, 2, 2, 2), 0, 0),
    ("conv2d on frames", [6, 16, 16, 3], {"Conv2D": {"filters": 8, "kernel_size": 3}}, (6, 14, 14, 8), 224, 0),
    ("batch norm keeps its non-trainable statistics", [3, 5, 5, 4], "batch_norm", (3, 5, 5, 4), 16, 8),
    ("nested", [2, 3, 4, 5], {"time_distributed": {"layer": {"dense": 6}}}, (2, 3, 4, 6), 36, 0),
    ("an lstm per step", [3, 6, 2], {"lstm": {"units": 4}}, (3, 4), 112, 0),
]


@pytest.mark.parametrize(("shape", "layer", "output", "params", "non_trainable"), [c[1:] for c in PLANNED],
                         ids=[c[0] for c in PLANNED])
def test_the_wrapped_layer_is_planned_on_one_step(shape, layer, output, params, non_trainable):
    row, errors, _ = plan_one(shape, layer)
    assert not errors
    assert (row.type, row.output, row.params, row.non_trainable) == ("time_distributed", output, params, non_trainable)


# (id, input, wrapped layer, framework, diagnostic code, words of the message)
REFUSED = [
    ("a sample without steps and features", [5], {"dense": 3}, "keras", "LP201", "rank 3 or more"),
    ("a kernel larger than a frame", [3, 4, 4, 1], {"conv2d": {"filters": 2, "kernel_size": 5}}, "keras", "LP203",
     "the wrapped conv2d on one step [4, 4, 1]"),
    ("conv2d on a sequence's steps", [6, 5], {"conv2d": {"filters": 2, "kernel_size": 1}}, "keras", "LP201",
     "the wrapped conv2d on one step [5]"),
    ("a wrapped option the layer does not take", [6, 5], {"dense": {"units": 2, "colour": 1}}, "keras", "LP107",
     "colour"),
    ("several outputs", [3, 6, 2], {"lstm": {"units": 4, "return_state": True}}, "keras", "LP108",
     "several outputs"),
    ("torch", [6, 5], {"dense": 3}, "torch", "LP118", "x.flatten(0, 1)"),
    ("an unknown wrapped type", [6, 5], {"densest": 3}, "keras", "LP106", "densest"),
    ("not a layer entry", [6, 5], 7, "keras", "LP108", "expected a layer entry"),
    ("two layers", [6, 5], {"dense": 3, "relu": {}}, "keras", "LP108", "one layer entry"),
    ("a name on the wrapped layer", [6, 5], {"dense": 3, "name": "fc"}, "keras", "LP108", "no name"),
]


@pytest.mark.parametrize(("shape", "layer", "framework", "code", "words"), [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_what_the_wrapped_layer_or_keras_refuses_is_an_error_at_the_wrapper(shape, layer, framework, code, words):
    row, errors, _ = plan_one(shape, layer, framework)
    assert [d.code for d in errors] == [code], errors
    assert words in errors[0].message and errors[0].layer == 1
    assert row.output is None


def test_a_wrapped_layer_warning_is_the_wrappers():
    row, errors, report = plan_one([2, 12, 12, 1], {"conv2d": {"filters": 2, "kernel_size": 3, "stride": 2}})
    assert not errors and row.output == (2, 5, 5, 2)
    assert {d.code for d in report.diagnostics} == {"LP301"}
    assert all(d.message.startswith("the wrapped conv2d: ") and d.layer == 1 for d in report.diagnostics)
