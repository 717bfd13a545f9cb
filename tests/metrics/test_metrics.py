"""Metrics: MACs by hand counts, memory, receptive fields by hand and by brute force over cells."""

import pytest

from layerplan.planner import plan_data
from layerplan.planner.metrics import network_metrics, receptive_fields

CONV = {"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}

# (framework, input, layers, MACs of the last layer counted by hand)
MAC_CASES = [
    ("keras", [28, 28, 1], [CONV], 28 * 28 * 3 * 3 * 1 * 32),
    ("torch", [3, 32, 32], [{"conv2d": {"filters": 16, "kernel_size": 5, "stride": 2}}], 14 * 14 * 25 * 3 * 16),
    ("torch", [8, 10, 10], [{"conv2d": {"filters": 4, "kernel_size": 3, "groups": 2, "padding": 1}}],
     10 * 10 * 9 * (8 // 2) * 4),
    # transposed conv counts *input* positions: 7*7, not 14*14
    ("torch", [8, 7, 7], [{"conv_transpose2d": {"filters": 4, "kernel_size": 4, "stride": 2, "padding": 1}}],
     7 * 7 * 16 * 8 * 4),
    ("keras", [7, 7, 8], [{"conv_transpose2d": {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}}],
     7 * 7 * 9 * 8 * 4),
    ("torch", [8, 6, 6], [{"conv_transpose2d": {"filters": 6, "kernel_size": 3, "groups": 2}}],
     6 * 6 * 9 * (8 // 2) * 6),
    ("keras", [10, 10, 3], [{"depthwise_conv2d": {"kernel_size": 3, "depth_multiplier": 2}}], 8 * 8 * 9 * 3 * 2),
    ("keras", [10, 10, 3], [{"separable_conv2d": {"filters": 5, "kernel_size": 3}}], 8 * 8 * 9 * 3 + 8 * 8 * 3 * 5),
    ("torch", [100], [{"dense": {"units": 10}}], 100 * 10),
    ("torch", [4, 100], [{"dense": {"units": 10}}], 4 * 100 * 10),
    ("torch", [1, 28, 28], [{"max_pool2d": 2}], 0),
    ("keras", [28, 28, 3], ["batch_norm"], 0),
    ("torch", [2, 50], [{"conv1d": {"filters": 3, "kernel_size": 5, "dilation": 2}}], 42 * 5 * 2 * 3),
    ("torch", [2, 6, 6, 6], [{"conv3d": {"filters": 3, "kernel_size": 3}}], 4 * 4 * 4 * 27 * 2 * 3),
]


@pytest.mark.parametrize("framework, shape, layers, macs", MAC_CASES)
def test_macs_match_hand_counts(framework, shape, layers, macs):
    report = plan_data({"framework": framework, "input": shape, "layers": layers})
    assert report.ok, report.diagnostics
    row = report.to_dict()["layers"][-1]
    assert row["macs"] == macs
    assert row["flops"] == 2 * macs


def test_report_totals_and_spec_v1_fields():
    report = plan_data({"framework": "keras", "input": [28, 28, 1], "batch": 4,
                        "layers": [CONV, {"max_pool2d": 2}, "flatten", {"dense": {"units": 10}}]})
    data = report.to_dict()
    assert data["total_macs"] == 28 * 28 * 9 * 32 + 14 * 14 * 32 * 10 == report.total_macs
    assert data["total_flops"] == 2 * data["total_macs"] == report.total_flops
    assert [layer["activation_bytes"] for layer in data["layers"]] == [
        4 * 4 * 28 * 28 * 32, 4 * 4 * 14 * 14 * 32, 4 * 4 * 14 * 14 * 32, 4 * 4 * 10]
    # the largest input + output pair is the pool's: 28*28*32 in, 14*14*32 out (the conv's is 28*28*1 + 28*28*32)
    assert data["peak_activation_bytes"] == 4 * 4 * (28 * 28 * 32 + 14 * 14 * 32) == report.peak_activation_bytes
    assert data["param_bytes"] == 4 * data["total_params"]
    for key in ("macs", "flops", "activation_bytes", "receptive_field"):
        assert all(key in layer for layer in data["layers"])


@pytest.mark.parametrize("dtype, size", [("float32", 4), ("float16", 2), ("bfloat16", 2), ("float64", 8), ("int8", 1)])
def test_dtype_scales_memory(dtype, size):
    report = plan_data({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 2, "kernel_size": 3}}]})
    report.dtype = dtype
    data = report.to_dict()
    assert data["layers"][0]["activation_bytes"] == 2 * 6 * 6 * size
    assert data["param_bytes"] == 20 * size
    assert data["dtype"] == dtype


def test_unknown_layers_give_null_totals():
    report = plan_data({"input": [1, 4, 4], "layers": [{"conv2d": {"filters": 2, "kernel_size": 9}}, "flatten"]})
    data = report.to_dict()
    assert data["layers"][0]["macs"] is None and data["total_macs"] is None
    assert data["peak_activation_bytes"] is None and report.peak_activation_bytes is None


def test_other_ops_are_counted_apart_from_macs():
    report = plan_data({"framework": "keras", "input": [8, 8, 4],
                        "layers": [{"conv2d": {"filters": 2, "kernel_size": 1, "activation": "relu"}}, "batch_norm",
                                   {"avg_pool2d": 2}]})
    rows = report.to_dict()["layers"]
    assert [r["macs"] for r in rows] == [8 * 8 * 4 * 2, 0, 0]
    # conv: bias add + relu per output value; batch norm: scale and shift; pooling: each window cell read
    assert [r["other_ops"] for r in rows] == [2 * 8 * 8 * 2, 2 * 8 * 8 * 2, 4 * 4 * 2 * 4]


# ---------------------------------------------------------------------------------------------
# receptive fields
# ---------------------------------------------------------------------------------------------

# (framework, input, layers, field of the last layer on the first spatial axis), worked by hand
FIELD_CASES = [
    ("torch", [1, 32], [{"conv1d": {"filters": 1, "kernel_size": 3}}], {"size": 3, "jump": 1, "start": 0}),
    ("torch", [1, 32], [{"conv1d": {"filters": 1, "kernel_size": 3, "padding": 1}}] * 2,
     {"size": 5, "jump": 1, "start": -2}),
    ("torch", [1, 32], [{"conv1d": {"filters": 1, "kernel_size": 3, "dilation": 4}}], {"size": 9, "jump": 1, "start": 0}),
    ("torch", [1, 64], [{"conv1d": {"filters": 1, "kernel_size": 3, "stride": 2, "padding": 1}},
                        {"conv1d": {"filters": 1, "kernel_size": 3, "stride": 2, "padding": 1}}],
     {"size": 7, "jump": 4, "start": -3}),
    # keras 'same' with stride 2 on an even input pads 0 before (the odd pixel goes after)
    ("keras", [28, 1], [{"conv1d": {"filters": 1, "kernel_size": 3, "strides": 2, "padding": "same"}}],
     {"size": 3, "jump": 2, "start": 0}),
    ("keras", [28, 1], [{"conv1d": {"filters": 1, "kernel_size": 4, "padding": "causal"}}],
     {"size": 4, "jump": 1, "start": -3}),
    ("torch", [1, 16], [{"zero_padding1d": {"padding": [2, 0]}}, {"conv1d": {"filters": 1, "kernel_size": 3}}],
     {"size": 3, "jump": 1, "start": -2}),
    ("torch", [1, 16], [{"max_pool1d": 2}, {"upsample1d": {"scale_factor": 2}}], {"size": 2, "jump": 1, "start": 0}),
    ("torch", [1, 8], [{"conv_transpose1d": {"filters": 1, "kernel_size": 4, "stride": 2, "padding": 1}}],
     {"size": 2, "jump": 0.5, "start": -1}),  # cell 0 gets input cells -1 (outside) and 0
]


@pytest.mark.parametrize("framework, shape, layers, field", FIELD_CASES)
def test_receptive_field_by_hand(framework, shape, layers, field):
    report = plan_data({"framework": framework, "input": shape, "layers": layers})
    assert report.ok, report.diagnostics
    assert receptive_fields(report)[-1][0] == field


def test_field_ends_at_flatten_and_global_pooling():
    report = plan_data({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 2, "kernel_size": 3}},
                                                        {"global_avg_pool2d": {"keepdims": True}}, "flatten",
                                                        {"dense": {"units": 2}}]})
    fields = receptive_fields(report)
    assert fields[1][0] == {"size": 8, "jump": 6, "start": 0}  # the whole input (keepdims keeps the axes)
    assert fields[2] is None and fields[3] is None


def test_field_larger_than_the_input_is_noted():
    report = plan_data({"input": [1, 8], "layers": [{"conv1d": {"filters": 1, "kernel_size": 5, "padding": 2}}] * 3})
    metrics = network_metrics(report)
    assert metrics.layers[0].field_exceeds_input == []
    assert metrics.layers[-1].receptive_field[0]["size"] == 13
    assert metrics.layers[-1].field_exceeds_input == ["L"]


def test_graph_skip_connection_field_and_peak():
    spec = {"input": [1, 16], "layers": [
        {"conv1d": {"filters": 1, "kernel_size": 3, "padding": 1}, "name": "a"},
        {"conv1d": {"filters": 1, "kernel_size": 5, "padding": 2}, "name": "b"},
        {"add": {"inputs": ["input", "b"]}},
    ]}
    report = plan_data(spec)
    assert report.ok, report.diagnostics
    # the join's field is the union of the skip (one cell) and the conv branch (3 + 4 cells)
    assert receptive_fields(report)[-1][0] == {"size": 7, "jump": 1, "start": -3}
    # while b runs, the input waits for the join: input + a + b are alive (a stack would hold two)
    assert report.peak_activation_bytes == 3 * 16 * 4


CONV3 = {"conv2d": {"filters": 4, "kernel_size": 3}}


# (framework, layers between two 3x3 convs, field size of the second conv on H, or None)
SHAPE_OP_FIELD_CASES = [
    ("torch", [{"chunk": {"chunks": 2, "dim": 1}}], 5),  # along the channels: every cell in place
    ("keras", [{"split": {"sections": 2, "axis": -1}}], 5),
    ("torch", [{"split": {"sizes": [4, 6], "dim": 2}}], None),  # along H: no field here
    ("torch", [{"squeeze": {"dim": 2}}], 5),  # torch leaves H (size 10) in place: nothing changes
    ("torch", [{"transpose": {"dim0": 2, "dim1": -2}}], 5),  # H swapped with itself
    ("keras", [{"permute": {"dims": [1, 2, 3]}}], 5),
    ("torch", [{"permute": {"dims": [0, 1, 2, 3]}}], 5),
    ("torch", [{"unflatten": {"dim": 1, "sizes": [4]}}], 5),
    ("torch", [{"transpose": {"dim0": 2, "dim1": 3}}], None),  # H and W swapped: the same shape, another field
    ("keras", [{"permute": {"dims": [2, 1, 3]}}], None),
    ("torch", [{"unsqueeze": {"dim": 2}}, {"squeeze": {"dim": 2}}], None),  # the axes' count changed on the way
]


@pytest.mark.parametrize("framework, middle, size", SHAPE_OP_FIELD_CASES)
def test_receptive_field_through_split_and_shape_ops(framework, middle, size):
    shape = [4, 12, 12] if framework == "torch" else [12, 12, 4]
    layers = [CONV3, *[{**layer} for layer in middle]]
    last = dict(CONV3["conv2d"], type="conv2d")
    if next(iter(middle[0])) in ("split", "chunk"):
        layers[1] = {"type": next(iter(middle[0])), "name": "parts", **middle[0][next(iter(middle[0]))]}
        last["inputs"] = "parts:1"
    report = plan_data({"framework": framework, "input": shape, "layers": [*layers, last]})
    assert not report.errors, [d.message for d in report.errors]
    fields = receptive_fields(report)
    assert (None if fields[-1] is None else fields[-1][0]["size"]) == size
