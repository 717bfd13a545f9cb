"""Tables of the sequence, normalisation, padding, shuffle and weight-wrapper kinds, per framework: the
output shape, params and non-trainable params each framework reports, and the errors where it raises
(each value here was read off the pinned frameworks; tests/oracle checks random draws against them)."""

from __future__ import annotations

import pytest

from layerplan.planner import plan_data
from layerplan.planner.diagnostics import CATALOG


def plan_one(framework, shape, layer, inputs=None):
    report = plan_data({"framework": framework, "input": shape, "layers": [layer]})
    return report.layers[0], [d.name for d in report.diagnostics if d.severity.value == "error"]


VALID = [
    # framework, input, layer, output, params, non_trainable
    ("torch", [12, 6, 6], {"pixel_shuffle": 2}, [3, 12, 12], 0, 0),
    ("torch", [3, 6, 8], {"PixelUnshuffle": 2}, [12, 3, 4], 0, 0),
    ("torch", [3, 6, 6], {"ReflectionPad2d": {"padding": 5}}, [3, 16, 16], 0, 0),
    ("torch", [3, 6], {"reflection_padding1d": {"padding": [[2, 5]]}}, [3, 13], 0, 0),
    ("torch", [2, 4, 5, 6], {"ReplicationPad3d": {"padding": 9}}, [2, 22, 23, 24], 0, 0),
    ("torch", [1, 1, 1], {"replication_padding2d": {"padding": [1, 2]}}, [1, 3, 5], 0, 0),
    ("torch", [3, 4, 5], {"InstanceNorm2d": {}}, [3, 4, 5], 0, 0),
    ("torch", [3, 4, 5], {"instance_norm2d": {"affine": True}}, [3, 4, 5], 6, 0),
    ("torch", [3, 1, 1], {"instance_norm2d": {"track_running_stats": True}}, [3, 1, 1], 0, 0),
    ("keras", [4, 5, 3], {"instance_norm2d": {"affine": True}}, [4, 5, 3], 6, 0),
    ("keras", [4, 5, 3], {"instance_norm2d": {}}, [4, 5, 3], 0, 0),
    ("torch", [8, 6, 6], {"GroupNorm": {"num_groups": 4}}, [8, 6, 6], 16, 0),
    ("torch", [8], {"group_norm": {"groups": 8, "affine": False}}, [8], 0, 0),
    ("keras", [5, 6], {"GroupNormalization": {"groups": 3}}, [5, 6], 12, 0),
    ("keras", [5, 5, 6], {"group_norm": {"groups": -1, "center": False}}, [5, 5, 6], 6, 0),
    ("torch", [4, 5, 6], {"LayerNorm": {"normalized_shape": [5, 6]}}, [4, 5, 6], 60, 0),
    ("torch", [4, 6], {"layer_norm": {"normalized_shape": 6, "bias": False}}, [4, 6], 6, 0),
    ("torch", [4, 6], {"layer_norm": {"normalized_shape": 6, "elementwise_affine": False}}, [4, 6], 0, 0),
    ("keras", [5, 6], {"LayerNormalization": {}}, [5, 6], 12, 0),
    ("keras", [5, 6], {"layer_norm": {"axis": [1, 2]}}, [5, 6], 60, 0),
    ("keras", [5, 6], {"layer_norm": {"axis": -2, "scale": False}}, [5, 6], 5, 0),
    ("torch", [64, 8, 8], {"PReLU": {}}, [64, 8, 8], 1, 0),
    ("torch", [64, 8, 8], {"prelu": {"num_parameters": 64}}, [64, 8, 8], 64, 0),
    ("torch", [7], {"prelu": {"num_parameters": 7}}, [7], 7, 0),
    ("keras", [8, 8, 64], {"PReLU": {}}, [8, 8, 64], 4096, 0),
    ("keras", [8, 8, 64], {"prelu": {"shared_axes": [1, 2]}}, [8, 8, 64], 64, 0),
    ("keras", [8, 8, 64], {"prelu": {"shared_axes": 3}}, [8, 8, 64], 64, 0),
    ("keras", [8, 8, 3], {"Normalization": {}}, [8, 8, 3], 7, 7),
    ("keras", [8, 8, 3], {"normalization": {"axis": None}}, [8, 8, 3], 3, 3),
    ("keras", [8, 8, 3], {"normalization": {"axis": [1, 3]}}, [8, 8, 3], 49, 49),
    ("keras", [8, 8, 3], {"normalization": {"mean": [0.5, 0.4, 0.3], "variance": [1, 2, 3]}}, [8, 8, 3], 0, 0),
    ("keras", [8, 8, 3], {"normalization": {"mean": 0.5, "variance": 2}}, [8, 8, 3], 0, 0),
    ("torch", [196, 768], {"learned_tensor": {"shape": [1, 768], "merge": "concatenate"}}, [197, 768], 768, 0),
    ("torch", [197, 768], {"learned_tensor": {"shape": [197, 768]}}, [197, 768], 151296, 0),
    ("torch", [96, 7, 7], {"learned_tensor": {"shape": [96, 1, 1], "merge": "multiply"}}, [96, 7, 7], 96, 0),
    ("keras", [7, 7, 96], {"learned_tensor": {"shape": 96, "merge": "multiply"}}, [7, 7, 96], 96, 0),
    ("keras", [4, 8], {"learned_tensor": {"shape": [4, 2], "merge": "concatenate", "axis": -1, "first": False}},
     [4, 10], 8, 0),
    ("torch", [1, 8], {"learned_tensor": {"shape": [5, 8]}}, [5, 8], 40, 0),
    ("keras", [5, 7, 3], {"Rescaling": {"scale": 0.00392, "offset": -1}}, [5, 7, 3], 0, 0),
    ("keras", [5, 7, 3], {"Resizing": {"height": 4, "width": 6}}, [4, 6, 3], 0, 0),
    ("torch", [3, 5, 7], {"resizing": {"height": 4, "width": 6, "interpolation": "nearest"}}, [3, 4, 6], 0, 0),
    ("keras", [5, 3], {"SpatialDropout1D": 0.3}, [5, 3], 0, 0),
    ("torch", [3, 5, 5], {"Dropout2d": {"p": 0.2}}, [3, 5, 5], 0, 0),
    ("keras", [5], {"GaussianNoise": 0.1}, [5], 0, 0),
    ("torch", [3, 4, 5], {"Identity": {}}, [3, 4, 5], 0, 0),
    ("keras", [3, 4, 5], {"Identity": {}}, [3, 4, 5], 0, 0),
    ("torch", [3, 4, 5], {"upsample": {"scale_factor": 2, "mode": "bilinear", "align_corners": True}}, [3, 8, 10], 0, 0),
    ("torch", [3, 4], {"upsample": {"scale_factor": 2, "mode": "linear"}}, [3, 8], 0, 0),
    ("torch", [3, 2, 4, 5], {"upsample": {"size": [3, 5, 6], "mode": "trilinear"}}, [3, 3, 5, 6], 0, 0),
    ("torch", [6], {"Embedding": {"num_embeddings": 10, "embedding_dim": 4}}, [6, 4], 40, 0),
    ("keras", [4, 2], {"embedding": {"input_dim": 5, "output_dim": 3}}, [4, 2, 3], 15, 0),
    # torch: 4 gates x 4 units x (3 + 4) + 2 x 16 biases = 144
    ("torch", [10, 3], {"LSTM": {"hidden_size": 4}}, [10, 4], 144, 0),
    # layer 1: 2 x (112 + 32) = 288; layer 2 reads 8: 2 x (16 x 12 + 32) = 448
    ("torch", [10, 3], {"lstm": {"units": 4, "num_layers": 2, "bidirectional": True}}, [10, 8], 736, 0),
    ("torch", [10, 3], {"GRU": {"hidden_size": 4, "bias": False, "batch_first": True}}, [10, 4], 84, 0),
    ("torch", [10, 3], {"RNN": {"hidden_size": 4}}, [10, 4], 36, 0),
    ("keras", [6, 3], {"GRU": 4}, [4], 108, 0),
    ("keras", [6, 3], {"gru": {"units": 4, "reset_after": False}}, [4], 96, 0),
    ("keras", [6, 3], {"LSTM": {"units": 4, "return_sequences": True, "bidirectional": True}}, [6, 8], 256, 0),
    ("keras", [6, 3], {"SimpleRNN": 4}, [4], 32, 0),
    # in_proj 3 x 8 x 8 + 24 biases, out_proj 64 + 8
    ("torch", [5, 8], {"MultiheadAttention": {"embed_dim": 8, "num_heads": 2}}, [5, 8], 288, 0),
    ("torch", [5, 8], {"multi_head_attention": {"num_heads": 2, "add_bias_kv": True, "bias": False}}, [5, 8], 272, 0),
    ("keras", [5, 8], {"MultiHeadAttention": {"num_heads": 2, "key_dim": 3}}, [5, 8], 218, 0),
    ("keras", [5, 8], {"multi_head_attention": {"num_heads": 2, "key_dim": 3, "value_dim": 4, "output_shape": 7}},
     [5, 7], 243, 0),
    # weight_norm: + 25 (weight_g, one per output channel); spectral_norm: torch buffers, keras vector_u
    ("torch", [1, 10], {"conv1d": {"filters": 25, "kernel_size": 2, "weight_norm": True}}, [25, 9], 100, 0),
    ("torch", [3, 8], {"conv_transpose1d": {"filters": 25, "kernel_size": 2, "weight_norm": True}}, [25, 9], 178, 0),
    ("torch", [7], {"dense": {"units": 5, "spectral_norm": True}}, [5], 40, 0),
    ("keras", [7], {"dense": {"units": 5, "spectral_norm": True}}, [5], 45, 5),
    ("keras", [8, 8, 3], {"conv2d": {"filters": 5, "kernel_size": 3, "spectral_norm": True}}, [6, 6, 5], 145, 5),
    ("keras", [8, 8, 3], {"conv_transpose2d": {"filters": 5, "kernel_size": 3, "spectral_norm": True}},
     [10, 10, 5], 143, 3),
]


@pytest.mark.parametrize("framework, shape, layer, output, params, non_trainable", VALID)
def test_valid_layers_plan_as_the_framework(framework, shape, layer, output, params, non_trainable):
    row, errors = plan_one(framework, shape, layer)
    assert errors == []
    assert (list(row.output), row.params, row.non_trainable) == (output, params, non_trainable)


INVALID = [
    # framework, input, layer, diagnostic name
    ("torch", [6, 6, 6], {"pixel_shuffle": 2}, "groups-mismatch"),
    ("torch", [3, 6, 7], {"pixel_unshuffle": 2}, "non-positive-output"),
    ("keras", [6, 6, 12], {"pixel_shuffle": 2}, "layer-not-in-framework"),
    ("torch", [3, 6, 6], {"reflection_padding2d": {"padding": [6, 1]}}, "bad-padding"),
    ("keras", [6, 6, 3], {"reflection_padding2d": {"padding": 1}}, "layer-not-in-framework"),
    ("keras", [6, 3], {"replication_padding1d": {"padding": 1}}, "layer-not-in-framework"),
    ("torch", [3, 1, 1], {"instance_norm2d": {}}, "non-positive-output"),
    ("torch", [3, 4, 5], {"instance_norm1d": {}}, "wrong-rank"),
    ("torch", [6, 4, 4], {"group_norm": {"groups": 4}}, "groups-mismatch"),
    ("torch", [6, 4, 4], {"group_norm": {}}, "missing-option"),
    ("torch", [6, 4, 4], {"group_norm": {"groups": -1}}, "bad-option-value"),
    ("keras", [5, 6], {"group_norm": {"groups": 8}}, "groups-mismatch"),
    ("keras", [5, 6], {"group_norm": {"groups": 4}}, "groups-mismatch"),
    ("torch", [4, 6], {"layer_norm": {"normalized_shape": 5}}, "bad-option-value"),
    ("torch", [4, 6], {"layer_norm": {}}, "missing-option"),
    ("torch", [4, 6], {"layer_norm": {"axis": -1}}, "option-not-in-framework"),
    ("keras", [5, 6], {"layer_norm": {"axis": 0}}, "bad-axis"),
    ("keras", [5, 6], {"layer_norm": {"axis": 3}}, "bad-axis"),
    ("keras", [5, 6], {"layer_norm": {"axis": [1, -2]}}, "bad-axis"),
    ("torch", [3, 4], {"rescaling": {"scale": 2}}, "layer-not-in-framework"),
    ("torch", [64, 8, 8], {"prelu": {"num_parameters": 3}}, "bad-option-value"),
    ("torch", [64, 8, 8], {"prelu": {"shared_axes": [1]}}, "option-not-in-framework"),
    ("keras", [8, 8, 64], {"prelu": {"num_parameters": 64}}, "option-not-in-framework"),
    ("keras", [8, 8, 64], {"prelu": {"shared_axes": [5]}}, "bad-axis"),
    ("torch", [8, 8, 3], {"normalization": {}}, "layer-not-in-framework"),
    ("keras", [8, 8, 3], {"normalization": {"axis": 0}}, "bad-axis"),
    ("keras", [8, 8, 3], {"normalization": {"axis": 4}}, "bad-axis"),
    ("keras", [8, 8, 3], {"normalization": {"mean": [0.5, 0.4, 0.3]}}, "bad-option-value"),
    ("keras", [8, 8, 3], {"normalization": {"mean": [1, 2], "variance": [1, 2]}}, "bad-option-value"),
    ("torch", [196, 768], {"learned_tensor": {"shape": [1, 767], "merge": "concatenate"}}, "merge-mismatch"),
    ("torch", [196, 768], {"learned_tensor": {"shape": [1, 768], "merge": "concatenate", "axis": 0}}, "bad-axis"),
    ("torch", [196, 768], {"learned_tensor": {"shape": [2, 196, 768]}}, "merge-mismatch"),
    ("torch", [196, 768], {"learned_tensor": {"shape": [3, 768]}}, "merge-mismatch"),
    ("torch", [196, 768], {"learned_tensor": {}}, "missing-option"),
    ("torch", [3, 4], {"gaussian_noise": 0.1}, "layer-not-in-framework"),
    ("keras", [5, 3], {"spatial_dropout2d": 0.3}, "wrong-rank"),
    ("keras", [5, 5, 3], {"resizing": {"height": 4}}, "missing-option"),
    ("torch", [3, 5, 5], {"resizing": {"height": 4, "width": 4, "interpolation": "lanczos3"}}, "bad-option-value"),
    ("torch", [3, 4, 5], {"upsample": {"scale_factor": 2, "align_corners": False}}, "bad-option-value"),
    ("torch", [3, 4, 5], {"upsample": {"scale_factor": 2, "mode": "trilinear"}}, "bad-option-value"),
    ("keras", [4, 5, 3], {"upsample": {"size": 2, "align_corners": True}}, "option-not-in-framework"),
    ("torch", [6], {"embedding": {"input_dim": 10, "output_dim": 4, "padding_idx": 10}}, "bad-option-value"),
    ("torch", [10], {"lstm": {"units": 4}}, "wrong-rank"),
    ("keras", [10, 3, 2], {"gru": {"units": 4}}, "wrong-rank"),
    ("keras", [10, 3], {"lstm": {"units": 4, "num_layers": 2}}, "option-not-in-framework"),
    ("torch", [10, 3], {"lstm": {"units": 4, "return_sequences": True}}, "option-not-in-framework"),
    ("torch", [5, 6], {"multi_head_attention": {"num_heads": 4}}, "groups-mismatch"),
    ("torch", [5, 8], {"multi_head_attention": {"num_heads": 2, "embed_dim": 6}}, "merge-mismatch"),
    ("torch", [5, 8], {"multi_head_attention": {"num_heads": 2, "kdim": 6}}, "merge-mismatch"),
    ("keras", [5, 8], {"multi_head_attention": {"num_heads": 2}}, "missing-option"),
    ("keras", [7], {"conv1d": {"filters": 4, "kernel_size": 2, "weight_norm": True}}, "option-not-in-framework"),
]


@pytest.mark.parametrize("framework, shape, layer, name", INVALID)
def test_what_the_framework_rejects_is_an_error(framework, shape, layer, name):
    _, errors = plan_one(framework, shape, layer)
    assert name in errors


def test_a_layer_of_the_other_framework_has_its_own_code():
    _, errors = plan_one("torch", [3, 4], {"rescaling": {"scale": 2}})
    assert errors == ["layer-not-in-framework"] and CATALOG["layer-not-in-framework"].code == "LP118"


def test_a_missing_layer_is_reported_even_when_the_input_is_unknown():
    report = plan_data({"framework": "keras", "input": [6, 6, 3],
                        "layers": [{"conv2d": {"filters": 4, "kernel_size": 9}}, {"reflection_padding2d": 1}]})
    assert [d.name for d in report.diagnostics] == ["kernel-too-large", "layer-not-in-framework"]


def test_cross_attention_reads_query_and_key_value():
    spec = {"framework": "keras", "inputs": {"q": [5, 8], "kv": [9, 6]},
            "layers": [{"type": "multi_head_attention", "num_heads": 2, "key_dim": 3, "inputs": ["q", "kv"]}]}
    row = plan_data(spec).layers[0]
    # query 8 -> 6 (+6), key 6 -> 6 (+6), value 6 -> 6 (+6), output 6 -> 8 (+8)
    assert (list(row.output), row.params) == ([5, 8], 48 + 6 + 36 + 6 + 36 + 6 + 48 + 8)
    spec["framework"] = "torch"
    spec["layers"][0] = {"type": "multi_head_attention", "num_heads": 2, "kdim": 6, "vdim": 6, "inputs": ["q", "kv"]}
    row = plan_data(spec).layers[0]
    # q 8x8, k 8x6, v 8x6, in_proj_bias 24, out_proj 64 + 8
    assert (list(row.output), row.params) == ([5, 8], 64 + 48 + 48 + 24 + 72)


def test_recurrent_macs_follow_the_stated_convention():
    report = plan_data({"framework": "keras", "input": [10, 3], "layers": [{"lstm": 4}]})
    assert report.to_dict()["layers"][0]["macs"] == 10 * 4 * 4 * (3 + 4)
