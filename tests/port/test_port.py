"""The port between torch and keras: the regressions as a table, golden ported examples, round trips,
the YAML writer and the `port` / `diff` command lines (the frameworks themselves: test_port_oracle.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from layerplan.planner.port import compare_data, move_channels, port_spec
from layerplan.planner.spec_text import load_text
from layerplan.planner.spec_writer import spec_yaml

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden" / "port"


def run(*args, columns="200"):
    result = subprocess.run([sys.executable, "-m", "layerplan", *args], cwd=ROOT, capture_output=True, text=True,
                            env={"COLUMNS": columns, "PATH": "/usr/bin:/bin"})
    return result.returncode, result.stdout, result.stderr


# spec, the ported layer entries, the target framework's output shape of each layer
BUGS = [
    pytest.param(  # keras 'same' max pooling on an even input: no ceil_mode with padding 1 (41, not 40)
        {"framework": "keras", "input": [80, 80, 8],
         "layers": [{"max_pool2d": {"pool_size": 3, "strides": 2, "padding": "same"}}]},
        [{"max_pool2d": {"kernel_size": 3, "stride": 2, "padding": 0, "ceil_mode": True}}], [[8, 40, 40]],
        id="keras-same-pool-even-input"),
    pytest.param(  # torch ceil_mode pooling: 'valid' gives torch's 54, 'same' would give 55
        {"input": [96, 109, 109], "layers": [{"max_pool2d": {"kernel_size": 3, "stride": 2, "ceil_mode": True}}]},
        [{"max_pool2d": {"pool_size": 3, "strides": 2, "padding": "valid"}}], [[54, 54, 96]],
        id="torch-ceil-mode-pool"),
    pytest.param(  # an explicit channel axis moves with the layout
        {"inputs": {"a": [8, 16, 16], "b": [4, 16, 16]},
         "layers": [{"concatenate": {"inputs": ["a", "b"], "axis": 1}}, {"concatenate": {"inputs": ["a", "a"], "dim": 2}}]},
        [{"concatenate": {"inputs": ["a", "b"]}}, {"concatenate": {"axis": 1, "inputs": ["a", "a"]}}],
        [[16, 16, 12], [32, 16, 8]], id="concatenate-axis"),
    pytest.param(  # padding inside a block body is ported as outside one
        {"input": [3, 16, 16], "blocks": {"b": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}}]},
         "layers": [{"block": "b", "name": "x"}, {"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}}]},
        [{"block": "b", "name": "x"}, {"conv2d": {"filters": 4, "kernel_size": 3, "padding": "same"}}],
        [[16, 16, 4], [16, 16, 4]], id="padding-in-blocks"),
    pytest.param(  # keras ZeroPadding2D's default amount is written out
        {"framework": "keras", "input": [16, 16, 3], "layers": ["zero_padding2d", {"ZeroPadding2D": {}}]},
        [{"zero_padding2d": {"padding": 1}}, {"zero_padding2d": {"padding": 1}}], [[3, 18, 18], [3, 20, 20]],
        id="keras-zero-padding-default"),
    pytest.param(  # keras 'same' stride-2 transposed conv: torch padding 1 and output_padding 1
        {"framework": "keras", "input": [7, 7, 3],
         "layers": [{"conv2d_transpose": {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}}]},
        [{"conv_transpose2d": {"out_channels": 4, "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1}}],
        [[4, 14, 14]], id="keras-same-transposed-conv"),
    pytest.param(  # keras 'valid' transposed conv with the stride above the kernel: keras adds s - k
        {"framework": "keras", "input": [5, 2],
         "layers": [{"conv1d_transpose": {"filters": 2, "kernel_size": 2, "strides": 3}}]},
        [{"conv_transpose1d": {"out_channels": 2, "kernel_size": 2, "stride": 3, "padding": 0, "output_padding": 1}}],
        [[2, 15]], id="keras-valid-transposed-conv-wide-stride"),
    pytest.param(  # torch transposed conv k4 s2 p1 is keras 'same'
        {"input": [3, 7, 7], "layers": [{"conv_transpose2d": {"filters": 4, "kernel_size": 4, "stride": 2, "padding": 1}}]},
        [{"conv_transpose2d": {"filters": 4, "kernel_size": 4, "strides": 2, "padding": "same"}}], [[14, 14, 4]],
        id="torch-transposed-conv-to-same"),
    pytest.param(  # BatchNorm's momentum and epsilon, softmax's axis, torch Dropout's default rate
        {"input": [3, 7, 7], "layers": ["batch_norm", {"softmax": {"dim": 1}}, "dropout",
                                        {"reshape": [7, 7, 3]}, "flatten"]},
        [{"batch_norm2d": {"momentum": 0.9, "epsilon": 1e-05}}, {"softmax": {"dim": -1}}, {"dropout": {"rate": 0.5}},
         {"reshape": {"target_shape": [7, 3, 7]}}, "flatten"],
        [[7, 7, 3], [7, 7, 3], [7, 7, 3], [7, 3, 7], [147]], id="batch-norm-softmax-dropout-reshape"),
    pytest.param(  # keras momentum 0.99 is torch's 0.01
        {"framework": "keras", "input": [8, 4], "layers": [{"batch_norm": {"momentum": 0.99}}]},
        [{"batch_norm1d": {"momentum": 0.01, "eps": 0.001}}], [[4, 8]], id="keras-batch-norm"),
]


@pytest.mark.parametrize("spec, layers, shapes", BUGS)
def test_ported_options_and_shapes(spec, layers, shapes):
    port = port_spec(spec)
    assert port.data["layers"] == layers
    assert [layer.target_output for layer in port.layers] == shapes
    assert port.exact and all(layer.exact for layer in port.layers)


@pytest.mark.parametrize("spec, needle", [
    ({"input": [3, 9, 9], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 2}}]},
     "zero_padding2d of 2 before this layer and padding 'valid' match torch"),
    ({"framework": "keras", "input": [100, 1], "layers": [{"conv1d": {"filters": 4, "kernel_size": 3, "padding": "causal"}}]},
     "zero_padding1d of [2, 0] before this layer and padding 0 match keras"),
    ({"input": [3, 10], "layers": [{"max_pool1d": {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}}]},
     "zero_padding1d of [[1, 2]] before this layer and padding 'valid' give torch's size"),
    ({"input": [3, 8], "layers": [{"dense": 4}]}, "flatten (or global pooling) before it ports exactly"),
    ({"framework": "keras", "input": [7, 7, 3],
      "layers": [{"conv2d_transpose": {"filters": 4, "kernel_size": 4, "padding": "same"}}]}, "an odd kernel would"),
])
def test_a_layer_without_an_exact_port_says_what_would_match(spec, needle):
    port = port_spec(spec)
    assert not port.exact
    [layer] = port.layers
    assert layer.exact is False and needle in layer.problem
    assert [d.code for d in layer.diagnostics()] == ["LP501"]


def test_a_layer_after_an_inexact_one_names_it():
    port = port_spec({"input": [3, 9, 9], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 2}},
                                                      {"conv2d": {"filters": 4, "kernel_size": 3}}]})
    assert [layer.exact for layer in port.layers] == [False, False]
    assert "its input already differs (from layer 1 on)" in port.layers[1].problem


def test_notes_on_values_that_differ_with_equal_shapes():
    port = port_spec({"input": [3, 8, 8], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "stride": 2,
                                                                  "padding": 1}}, "flatten"]})
    assert port.exact
    notes = [d for layer in port.layers for d in layer.diagnostics()]
    assert [d.code for d in notes] == ["LP502", "LP502"]
    assert "every window starts at a different cell" in notes[0].message and "flatten order" in notes[1].message


#: examples without an exact port, and why
NOT_EXACT = {
    "audio_causal_keras": "torch has no causal padding",
    # keras' conv1d output (steps, channels) feeds the LSTM; torch's conv1d gives (channels, steps) and its
    # LSTM reads (steps, features): a transpose the port does not insert (examples/lstm_audio_classifier_torch.yaml)
    "lstm_audio_classifier": "a transpose is needed between torch's conv1d and its LSTM",
    # keras reshapes the (8, 8, 64) grid into 64 tokens of 64 features; torch's (64, 8, 8) grid reshapes into
    # (features, tokens) and needs flatten(2).transpose(1, 2) (examples/transformer_encoder_conv_stem_torch.yaml)
    "transformer_encoder_conv_stem": "a transpose is needed between torch's reshaped grid and its LayerNorm",
    # torch's transpose of (C, L) to (L, C) is keras' layout already: in keras the layer is left out, which a
    # port that writes each layer as one layer does not do
    "lstm_audio_classifier_torch": "torch's transpose before the LSTM has no keras counterpart (it is left out)",
    "transformer_encoder_conv_stem_torch": "keras Flatten has no start_dim: LP501 says the reshape that matches",
    # TCN's causal conv pads both ends by amounts (keras has only 'valid' and 'same') and uses weight_norm
    "tcn": "keras has no padding amounts and no weight_norm: LP501 says the zero padding that matches",
}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_port_exactly_and_back(path):
    data = yaml.safe_load(path.read_text())
    port = port_spec(data)
    expected_exact = path.stem not in NOT_EXACT
    assert port.exact is expected_exact
    if expected_exact:
        back = port_spec(port.data)
        assert back.exact and back.target == port.source
        assert [layer.target_output for layer in back.layers] == [layer.source_output for layer in port.layers]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_ported_examples(path):
    code, out, err = run("port", str(path.relative_to(ROOT)))
    golden = GOLDEN / f"{path.stem}.yaml"
    if os.environ.get("LAYERPLAN_UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(out)
    assert out == golden.read_text()
    # the causal example has no exact torch port; the MNIST examples' own expect fails on purpose
    assert code == (1 if path.stem in {*NOT_EXACT, "mnist_autoencoder", "mnist_autoencoder_torch"} else 0), err
    # the written spec reads back as the port's data
    assert load_text(out).data == port_spec(yaml.safe_load(path.read_text())).data


def test_writer_keeps_comments_where_they_survive():
    text = ("# a small net\nframework: torch   # the source\ninput: [3, 8, 8]\nlayers:\n  # the stem\n"
            "  - conv2d: {filters: 4, kernel_size: 3,  # three by three\n      padding: 1}\n  - flatten  # end\n"
            "# the end\n")
    document = load_text(text)
    port = port_spec(document.data)
    assert spec_yaml(port.data, document, text) == (
        "# a small net\nframework: keras  # the source\ninput: [8, 8, 3]\nlayers:\n  # the stem\n"
        "  - conv2d: {filters: 4, kernel_size: 3, padding: same}  # three by three\n  - flatten  # end\n# the end\n")


def test_move_channels_round_trip():
    assert move_channels(move_channels([3, 32, 32], "torch"), "keras") == [3, 32, 32]


def test_cli_port_to_a_file_and_its_exit_statuses(tmp_path):
    out_file = tmp_path / "ported.yaml"
    code, out, err = run("port", "examples/unet_same_256.yaml", "--to", "torch", "-o", str(out_file))
    assert (code, out) == (0, "")
    assert "framework: torch" in out_file.read_text()
    code, out, err = run("port", "examples/audio_causal_keras.yaml")
    assert code == 1 and "warning LP501 port-inexact: layer 1:" in err
    assert "# layerplan port: LP501 port-inexact" in out
    assert err.splitlines()[-1] == "layerplan: examples/audio_causal_keras.yaml: 5 layers not exact in torch"
    assert run("port", "missing.yaml")[0] == 2
    assert run("port", "examples/resnet18.yaml", "--to", "jax")[0] == 2


def test_diff_uses_the_port_and_reports_no_block_padding_difference():
    data = compare_data(yaml.safe_load((ROOT / "examples" / "resnet18.yaml").read_text()), "resnet18.yaml")
    shapes = [row for row in data["layers"] if any(note.startswith("shape") or "gives" in note
                                                    for note in row["differences"])]
    assert shapes == [] and all(row["exact"] for row in data["layers"])


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_diff_wraps_and_never_cuts_its_notes(columns):
    code, out, _ = run("diff", "examples/resnet18.yaml", columns=columns)
    assert code == 1 and "…" not in out
    text = " ".join(out.split())
    assert "the same windows in both: zero_padding2d of 3 (torch's) or [[2, 3], [2, 3]] (keras') before the layer" in text


# the normalisation, sequence and attention kinds: spec, the ported layer entries, exact per layer, and a
# needle of the LP501 message (the frameworks themselves: tests/oracle/test_sequence_states_oracle.py)
SEQUENCE_PORTS = [
    pytest.param(  # sequences keep their layout: (steps, features) in both frameworks
        {"input": [20], "layers": [{"embedding": {"num_embeddings": 100, "embedding_dim": 16}},
                                   {"gru": {"hidden_size": 32}}, {"dense": 4}]},
        [{"embedding": {"input_dim": 100, "output_dim": 16}}, {"gru": {"units": 32, "return_sequences": True}},
         {"dense": {"units": 4}}], [True, True, True], None, id="torch-embedding-gru-dense"),
    pytest.param(  # keras return_sequences=True is torch's output; the last step alone is not a torch module
        {"framework": "keras", "input": [20], "layers": [
            {"embedding": {"input_dim": 100, "output_dim": 16}}, {"lstm": {"units": 32, "return_sequences": True}},
            {"layer_norm": {}}, {"multi_head_attention": {"num_heads": 4, "key_dim": 8}}, {"gru": 4}]},
        [{"embedding": {"num_embeddings": 100, "embedding_dim": 16}}, {"lstm": {"hidden_size": 32}},
         {"layer_norm": {"normalized_shape": 32, "eps": 0.001}}, {"multi_head_attention": {"num_heads": 4}},
         {"gru": {"hidden_size": 4}}], [True, True, True, True, False],
        "keras' output is torch's last step output[:, -1] (and h_n[-1])", id="keras-sequence-stack"),
    pytest.param(  # cross-attention: torch kdim/vdim are the key and value features
        {"framework": "keras", "inputs": {"q": [10, 32], "kv": [7, 24]},
         "layers": [{"multi_head_attention": {"num_heads": 4, "key_dim": 8, "inputs": ["q", "kv"]}}]},
        [{"multi_head_attention": {"num_heads": 4, "kdim": 24, "vdim": 24, "inputs": ["q", "kv"]}}], [True], None,
        id="keras-cross-attention"),
    pytest.param(  # torch (query, key, value) is keras (query, value, key)
        {"inputs": {"q": [10, 32], "k": [7, 24], "v": [7, 16]},
         "layers": [{"multi_head_attention": {"num_heads": 4, "kdim": 24, "vdim": 16, "inputs": ["q", "k", "v"]}}]},
        [{"multi_head_attention": {"num_heads": 4, "key_dim": 8, "inputs": ["q", "v", "k"]}}], [True], None,
        id="torch-attention-call-order"),
    pytest.param(  # normalisations of images: axes move with the channels, affine is center + scale
        {"input": [8, 6, 6], "layers": [{"layer_norm": {"normalized_shape": [8, 6, 6]}},
                                        {"group_norm": {"groups": 2, "affine": False}},
                                        {"instance_norm2d": {"affine": True}}]},
        [{"layer_norm": {"axis": [1, 2, 3], "epsilon": 1e-05}},
         {"group_norm": {"groups": 2, "center": False, "scale": False, "epsilon": 1e-05}},
         {"instance_norm2d": {"affine": True, "epsilon": 1e-05}}], [True, True, True], None, id="torch-norms"),
    pytest.param(
        {"framework": "keras", "input": [6, 6, 8], "layers": [{"group_norm": -1}, {"layer_norm": {"axis": [1, 2, 3]}},
                                                               {"layer_norm": {"axis": 1}}]},
        [{"group_norm": {"num_groups": 8, "eps": 0.001}}, {"layer_norm": {"normalized_shape": [8, 6, 6], "eps": 0.001}},
         {"layer_norm": {"eps": 0.001}}], [True, True, False],
        "torch LayerNorm normalises trailing axes only; keras axis [1] is axes [2] of torch's tensor", id="keras-norms"),
    pytest.param(
        {"input": [3, 8, 8], "layers": [{"reflection_padding2d": 2}]}, [{"reflection_padding2d": {"padding": 2}}],
        [False], "keras has no reflection padding layer: tf.pad(x, paddings, mode='REFLECT')", id="reflection-padding"),
    pytest.param(
        {"input": [16, 4, 4], "layers": [{"pixel_shuffle": 2}]}, [{"pixel_shuffle": {"upscale_factor": 2}}],
        [False], "tf.nn.depth_to_space(x, r) in a custom layer gives the same shape", id="pixel-shuffle"),
    pytest.param(
        {"framework": "keras", "input": [8, 8, 3], "layers": [{"rescaling": 0.5}]}, [{"rescaling": {"scale": 0.5}}],
        [False], "torch has no Rescaling layer: x * 0.5 + 0.0 in forward()", id="rescaling"),
    pytest.param(  # keras' conv output read as a sequence: torch needs a transpose
        {"framework": "keras", "input": [50, 8], "layers": [{"conv1d": {"filters": 16, "kernel_size": 3}}, {"lstm": 4}]},
        [{"conv1d": {"out_channels": 16, "kernel_size": 3}}, {"lstm": {"hidden_size": 4}}], [True, False],
        "a transpose of dims 1 and 2 before this layer", id="keras-conv-then-lstm"),
]


@pytest.mark.parametrize("spec, layers, exact, needle", SEQUENCE_PORTS)
def test_sequence_and_normalisation_ports(spec, layers, exact, needle):
    port = port_spec(spec)
    assert port.data["layers"] == layers
    assert [layer.exact for layer in port.layers] == exact
    if needle is not None:
        problems = [layer.problem for layer in port.layers if layer.exact is False]
        assert needle in problems[0]


@pytest.mark.parametrize("spec, needle", [
    ({"input": [20, 8], "layers": [{"lstm": 16}]}, "(torch keeps two bias vectors per gate, b_ih and b_hh: 4 x 16 more)"),
    ({"input": [20, 8], "layers": [{"lstm": {"hidden_size": 8, "num_layers": 2}}]},
     "torch stacks num_layers 2 layers in one module, keras LSTM is one: write 2 keras layers"),
    ({"framework": "keras", "input": [10, 32], "layers": [{"multi_head_attention": {"num_heads": 2, "key_dim": 8}}]},
     "keras projects to num_heads x key_dim = 16, torch to embed_dim = 32; key_dim 16 gives equal params"),
])
def test_diff_explains_the_params_of_sequence_layers(spec, needle):
    differences = [d for row in compare_data(spec)["layers"] for d in row["differences"]]
    assert len(differences) == 1 and needle in differences[0]


def test_gru_with_reset_after_has_the_params_of_torch():
    data = compare_data({"framework": "keras", "input": [20, 8], "layers": [{"gru": {"units": 16,
                                                                                      "return_sequences": True}}]})
    assert data["same"] and data["total_params"]["torch"] == data["total_params"]["keras"] == 1248
