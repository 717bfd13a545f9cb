"""`layerplan export`: golden files for the examples, black's formatting, the code each kind writes,
and the refusals. (The exported code run by the frameworks: tests/oracle/test_export_oracle.py.)

Update the golden files after an intended change with:
    LAYERPLAN_UPDATE_GOLDEN=1 pytest tests/export/test_export.py
"""

from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

import black
import pytest
import yaml
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.planner import plan_data
from layerplan.planner.export import NotWritable, export_report, plan_for_export

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "export"
UPDATE = os.environ.get("LAYERPLAN_UPDATE_GOLDEN") == "1"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

sys.path.insert(0, str(ROOT / "tests" / "oracle"))
from graph_cases import generate_graph  # noqa: E402
from keras_cases import random_spec  # noqa: E402


def run(args, stdin=None):
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _planned(path: Path, framework: str):
    return plan_for_export(yaml.safe_load(path.read_text(encoding="utf-8")), framework)


def _ports_exactly(report) -> bool:
    return not any(d.name == "port-inexact" for d in report.diagnostics)


PLANS = {(path, fw): _planned(path, fw) for path in EXAMPLES for fw in ("torch", "keras")}
CASES = [case for case, report in PLANS.items() if report.ok and _ports_exactly(report)]
#: examples that plan in the other framework only with layers the port marks inexact: export refuses them
INEXACT = [case for case, report in PLANS.items() if report.ok and not _ports_exactly(report)]


@pytest.mark.parametrize(("path", "framework"), INEXACT, ids=[f"{p.stem}-{fw}" for p, fw in INEXACT])
def test_an_inexact_port_is_not_exported(path, framework, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(["export", f"examples/{path.name}", "--to", framework])
    assert (code, out) == (1, "")
    assert "LP501 port-inexact" in err and f"no exact {framework} port" in err.splitlines()[-1]
#: examples that plan but hold a layer export cannot write: a custom layer (its function is not in the spec)
NOT_WRITTEN = {"vae_sampling": "a custom layer's function is not in the spec"}


@pytest.mark.parametrize(("path", "framework"), CASES, ids=[f"{p.stem}-{fw}" for p, fw in CASES])
def test_example_export_matches_golden_file(path, framework, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(["export", f"examples/{path.name}", "--to", framework])
    if path.stem in NOT_WRITTEN:
        assert (code, out) == (1, "") and NOT_WRITTEN[path.stem] in err
        return
    assert (code, err) == (0, "")
    golden = GOLDEN / f"{path.stem}.{framework}.py"
    if UPDATE or not golden.exists():
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {golden.name}; review and commit it")
    assert out == golden.read_text(encoding="utf-8"), (
        f"the export of {path.name} changed; if intended: LAYERPLAN_UPDATE_GOLDEN=1 pytest tests/export")


def test_every_example_that_plans_has_a_golden_file():
    expected = {f"{p.stem}.{fw}.py" for p, fw in CASES if p.stem not in NOT_WRITTEN}
    assert {p.name for p in GOLDEN.glob("*.py")} == expected
    assert len(CASES) >= len(EXAMPLES)  # most examples plan in both frameworks


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.py")), ids=lambda p: p.name)
def test_golden_files_are_formatted_as_black_formats_them(golden):
    text = golden.read_text(encoding="utf-8")
    assert black.format_str(text, mode=black.Mode()) == text


def _random_specs():
    for seed in range(60):
        yield f"keras stack {seed}", random_spec(seed)
        for framework in ("torch", "keras"):
            yield f"{framework} graph {seed}", generate_graph(seed, framework)


@pytest.mark.parametrize("target", ["torch", "keras"])
def test_random_specs_export_to_black_formatted_python(target):
    exported = 0
    for label, spec in _random_specs():
        report = plan_for_export(spec, target, label)
        if not report.ok:
            continue
        text = export_report(report).text
        ast.parse(text)
        assert black.format_str(text, mode=black.Mode()) == text, f"{label}:\n{text}"
        assert export_report(plan_for_export(spec, target, label)).text == text  # same spec, same bytes
        exported += 1
    assert exported > 60


# (framework, input, layer) -> the line that builds it: every inferred argument written out, defaults
# left out, the framework's own keywords and its natural equivalent where it has no single module
WRITTEN = [
    ("torch", [3, 32, 32], {"conv2d": {"filters": 8, "kernel_size": 3, "stride": 2, "padding": 1, "bias": False}},
     "self.conv2d_1 = nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1, bias=False)"),
    ("torch", [3, 32, 32], {"conv2d": {"filters": 8, "kernel_size": [3, 5], "padding": "same"}},
     'self.conv2d_1 = nn.Conv2d(3, 8, kernel_size=(3, 5), padding="same")'),
    ("torch", [4, 9], {"conv1d": {"filters": 8, "kernel_size": 3, "dilation": 2, "groups": 2}},
     "self.conv1d_1 = nn.Conv1d(4, 8, kernel_size=3, dilation=2, groups=2)"),
    ("torch", [8, 7, 7], {"conv_transpose2d": {"filters": 4, "kernel_size": 4, "stride": 2, "padding": 1,
                                                "output_padding": 1}},
     "self.conv_transpose2d_1 = nn.ConvTranspose2d(8, 4, kernel_size=4, stride=2, padding=1, output_padding=1)"),
    ("torch", [4, 16, 16], {"depthwise_conv2d": {"kernel_size": 3, "depth_multiplier": 2}},
     "self.depthwise_conv2d_1 = nn.Conv2d(4, 8, kernel_size=3, groups=4)"),
    ("torch", [4, 16], {"separable_conv1d": {"filters": 6, "kernel_size": 3}},
     "self.separable_conv1d_1 = nn.Sequential(nn.Conv1d(4, 4, kernel_size=3, groups=4), nn.Conv1d(4, 6, kernel_size=1))"),
    ("torch", [4, 9, 9], {"max_pool2d": {"pool_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}},
     "self.max_pool2d_1 = nn.MaxPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True)"),
    ("torch", [4, 8, 8], {"avg_pool2d": {"pool_size": 2, "stride": 2}}, "self.avg_pool2d_1 = nn.AvgPool2d(kernel_size=2)"),
    ("torch", [4, 8, 8], "global_avg_pool2d",
     "self.global_avg_pool2d_1 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())"),
    ("torch", [4, 8, 8], {"global_max_pool2d": {"keepdims": True}}, "self.global_max_pool2d_1 = nn.AdaptiveMaxPool2d(1)"),
    ("torch", [4, 8, 8], {"adaptive_avg_pool2d": {"output_size": [None, 3]}},
     "self.adaptive_avg_pool2d_1 = nn.AdaptiveAvgPool2d((None, 3))"),
    ("torch", [4, 8, 8], {"upsample2d": {"scale_factor": 2, "mode": "bilinear"}},
     'self.upsample2d_1 = nn.Upsample(scale_factor=2, mode="bilinear")'),
    ("torch", [4, 8, 8], {"zero_padding2d": {"padding": [[1, 2], [3, 4]]}},
     "self.zero_padding2d_1 = nn.ZeroPad2d((3, 4, 1, 2))"),
    ("torch", [4, 8, 8], {"cropping2d": {"cropping": [[1, 0], [2, 2]]}}, "x = x[:, :, 1:, 2:-2]  # (4, 7, 4)"),
    ("torch", [4, 8, 8], "batch_norm2d", "self.batch_norm2d_1 = nn.BatchNorm2d(4)"),
    ("torch", [4, 5], {"batch_norm1d": {"epsilon": 0.001, "momentum": 0.01}},
     "self.batch_norm1d_1 = nn.BatchNorm1d(4, eps=0.001, momentum=0.01)"),
    ("torch", [20], {"dense": {"units": 10, "activation": "relu"}},
     "self.dense_1 = nn.Sequential(nn.Linear(20, 10), nn.ReLU())"),
    ("torch", [4, 8, 8], {"reshape": {"target_shape": [4, -1]}}, "x = x.reshape(x.shape[0], 4, -1)  # (4, 64)"),
    ("torch", [20], {"dropout": {"rate": 0.25}}, "self.dropout_1 = nn.Dropout(p=0.25)"),
    ("torch", [20], {"leaky_relu": {"negative_slope": 0.2}}, "self.leaky_relu_1 = nn.LeakyReLU(0.2)"),
    ("torch", [20], "softmax", "self.softmax_1 = nn.Softmax(dim=1)"),
    ("torch", [20], {"activation": "gelu"}, "self.activation_1 = nn.GELU()"),
    ("keras", [32, 32, 3], {"conv2d": {"filters": 8, "kernel_size": 3, "stride": 2, "padding": "same",
                                        "activation": "relu"}},
     'layers.Conv2D(8, 3, strides=2, padding="same", activation="relu"),'),
    ("keras", [16, 1], {"conv1d": {"filters": 4, "kernel_size": 2, "padding": "causal", "dilation": 4}},
     'layers.Conv1D(4, 2, padding="causal", dilation_rate=4),  # (16, 4)'),
    ("keras", [7, 7, 8], {"conv_transpose2d": {"filters": 4, "kernel_size": 3, "stride": 2, "output_padding": 1}},
     "layers.Conv2DTranspose(4, 3, strides=2, output_padding=1),  # (16, 16, 4)"),
    ("keras", [16, 16, 4], {"separable_conv2d": {"filters": 8, "kernel_size": 3, "bias": False}},
     "layers.SeparableConv2D(8, 3, use_bias=False),  # (14, 14, 8)"),
    ("keras", [9, 9, 4], {"max_pool2d": {"pool_size": 3, "stride": 2}}, "layers.MaxPooling2D(3, strides=2),  # (4, 4, 4)"),
    ("keras", [8, 8, 4], {"upsample2d": {"size": [2, 3]}}, "layers.UpSampling2D(size=(2, 3)),  # (16, 24, 4)"),
    ("keras", [8, 8, 4], {"cropping2d": {"cropping": [[1, 0], [2, 2]]}},
     "layers.Cropping2D(((1, 0), (2, 2))),  # (7, 4, 4)"),
    ("keras", [8, 8, 4], "batch_norm", "layers.BatchNormalization(),  # (8, 8, 4)"),
    ("keras", [20], {"dropout": 0.5}, "layers.Dropout(0.5),  # (20,)"),
    ("keras", [20], {"softmax": {"axis": -1}}, "layers.Softmax(),  # (20,)"),
    ("keras", [20], {"reshape": {"target_shape": [4, 5]}}, "layers.Reshape((4, 5)),  # (4, 5)"),
    ("torch", [8, 6, 6], {"group_norm": {"groups": 4}}, "self.group_norm_1 = nn.GroupNorm(4, 8)"),
    ("torch", [20], {"dense": {"units": 5, "weight_norm": True}},
     "self.dense_1 = nn.utils.parametrizations.weight_norm(nn.Linear(20, 5))"),
    ("torch", [7], {"embedding": {"input_dim": 100, "output_dim": 16}}, "self.embedding_1 = nn.Embedding(100, 16)"),
    ("torch", [4, 6, 6], {"permute": {"dims": [0, 2, 3, 1]}}, "x = x.permute(0, 2, 3, 1)  # (6, 6, 4)"),
    ("keras", [20], {"dense": {"units": 5, "spectral_norm": True}},
     "layers.SpectralNormalization(layers.Dense(5)),  # (5,)"),
    ("keras", [6, 1, 4], {"squeeze": {"axis": 2}}, "x = keras.ops.squeeze(inputs, axis=2)  # (6, 4)"),
    ("torch", [8, 6, 6], "prelu", "self.prelu_1 = nn.PReLU()"),
    ("torch", [8, 6, 6], {"prelu": {"num_parameters": 8, "init": 0.1}},
     "self.prelu_1 = nn.PReLU(num_parameters=8, init=0.1)"),
    ("keras", [6, 6, 8], {"prelu": {"shared_axes": [1, 2]}}, "layers.PReLU(shared_axes=(1, 2)),  # (6, 6, 8)"),
    ("keras", [6, 6, 3], "normalization", "layers.Normalization(),  # (6, 6, 3)"),
    ("keras", [6, 6, 3], {"normalization": {"axis": None}}, "layers.Normalization(axis=None),  # (6, 6, 3)"),
    ("keras", [6, 6, 3], {"normalization": {"mean": [0.5, 0.4, 0.3], "variance": [1, 2, 3], "axis": [1, 3]}},
     "layers.Normalization(axis=(1, 3), mean=(0.5, 0.4, 0.3), variance=(1, 2, 3)),"),
    ("keras", [6, 6, 3], {"rescaling": {"scale": [0.5, 0.25, 2]}}, "layers.Rescaling((0.5, 0.25, 2)),  # (6, 6, 3)"),
    ("keras", [10, 32, 32, 3], {"time_distributed": {"layer": {"conv2d": {"filters": 8, "kernel_size": 3}}}},
     "layers.TimeDistributed(layers.Conv2D(8, 3)),  # (10, 30, 30, 8)"),
    ("keras", [2, 3, 5], {"time_distributed": {"layer": {"time_distributed": {"layer": {"dense": 4}}}}},
     "layers.TimeDistributed(layers.TimeDistributed(layers.Dense(4))),"),
]


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_a_learned_tensor_is_not_written_yet_and_export_says_why(framework):
    spec = {"framework": framework, "input": [4, 8], "layers": [{"learned_tensor": {"shape": [4, 8]}}]}
    with pytest.raises(NotWritable) as caught:
        export_report(plan_data(spec))
    assert "a learned tensor is held by the model" in str(caught.value)


@pytest.mark.parametrize(("framework", "shape", "layer", "line"), WRITTEN, ids=[str(c[2])[:40] for c in WRITTEN])
def test_each_kind_is_written_idiomatically(framework, shape, layer, line):
    text = export_report(plan_data({"framework": framework, "input": shape, "layers": [layer]})).text
    flat = re.sub(r"\(  # [^\n]*\n", "(\n", text)  # a shape comment after an opening bracket
    flat = re.sub(r"\s*\n\s*", "\n", flat)  # a statement black split over lines, on one line
    flat = re.sub(r"\(\n", "(", re.sub(r",?\n\)", ")", flat))
    assert flat.count(line.split("  #")[0]) == 1, text
    if "  #" in line:
        assert line in text


def test_a_graph_is_written_with_its_skips_and_merges():
    spec = {"name": "skip", "input": [4, 8, 8], "layers": [
        {"conv2d": {"name": "a", "filters": 4, "kernel_size": 3, "padding": 1}},
        {"relu": {"name": "b"}},
        {"add": {"inputs": ["b", "input"]}},
        {"concatenate": {"inputs": ["add_1", "a"]}},
    ]}
    torch = export_report(plan_data(spec)).text
    assert "    def forward(self, inputs):\n        a = self.a(inputs)  # (4, 8, 8)\n" in torch
    assert "        x = self.b(a)  # (4, 8, 8)\n        x = x + inputs  # (4, 8, 8)\n" in torch
    assert "        x = torch.cat([x, a], dim=1)  # (8, 8, 8)\n        return x\n" in torch
    keras = export_report(plan_for_export(spec, "keras")).text
    assert "    x = layers.Add()([x, inputs])  # (8, 8, 4)\n" in keras
    assert '    return keras.Model(inputs, x, name="skip")\n' in keras


def test_a_plain_keras_stack_is_sequential_and_graphs_are_functional():
    stack = export_report(plan_data({"framework": "keras", "input": [8], "layers": [{"dense": 4}]})).text
    assert "    return keras.Sequential(\n        [\n            keras.Input(shape=INPUT_SHAPE),\n" in stack
    example = (GOLDEN / "unet_original.keras.py").read_text(encoding="utf-8")
    assert "keras.Input(shape=INPUT_SHAPE)" in example and "keras.Sequential" not in example


def test_several_inputs_give_an_input_shape_dict_and_named_arguments(monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(["export", "examples/two_inputs.yaml"])
    assert 'INPUT_SHAPE = {"image": (3, 64, 64), "metadata": (10,)}' in out
    assert "    def forward(self, image, metadata):" in out


def test_an_embedding_reads_integer_ids():
    spec = {"input": [7], "layers": [{"embedding": {"input_dim": 100, "output_dim": 16}}, "flatten"]}
    torch = export_report(plan_data(spec)).text
    assert "    x = torch.zeros(1, *INPUT_SHAPE, dtype=torch.long)\n" in torch
    keras = export_report(plan_data({**spec, "framework": "keras"}))
    assert 'keras.Input(shape=INPUT_SHAPE, dtype="int32")' in keras.text and keras.integer_inputs == ("input",)


def test_output_file(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "model.py"
    assert run(["export", "examples/resnet_stem.yaml", "-o", str(target)]) == (0, "", "")
    assert target.read_text(encoding="utf-8") == (GOLDEN / "resnet_stem.torch.py").read_text(encoding="utf-8")


def test_a_spec_with_errors_is_refused_with_its_diagnostics(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 32, kernel_size: 5}\n")
    code, out, err = run(["export", str(spec), "--to", "torch"])
    assert (code, out) == (1, "")
    assert f"{spec}:3:" in err and "LP203" in err and "not exported: the plan has errors" in err


def test_a_port_with_errors_is_refused_and_says_it_was_ported(monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(["export", "examples/audio_causal_keras.yaml", "--to", "torch"])
    assert (code, out) == (1, "")
    assert "causal" in err and "(ported from keras to torch) has errors" in err


def test_a_layer_the_framework_cannot_spell_is_refused(tmp_path):
    spec = tmp_path / "exp.yaml"
    spec.write_text("input: [4]\nlayers:\n  - activation: exponential\n")
    code, out, err = run(["export", str(spec), "--to", "torch"])
    assert (code, out) == (1, "")
    assert "torch has no module for the activation 'exponential'" in err
    assert run(["export", str(spec), "--to", "keras"])[0] == 0


@pytest.mark.parametrize("text", ["input: [1, 4\n", "[1, 2]\n"])
def test_an_unreadable_spec_exits_2(tmp_path, text):
    spec = tmp_path / "broken.yaml"
    spec.write_text(text)
    code, out, err = run(["export", str(spec)])
    assert (code, out) == (2, "") and err.startswith("layerplan: ")


def test_a_block_use_is_a_submodule_class_shared_by_equal_uses():
    text = (GOLDEN / "resnet18.torch.py").read_text(encoding="utf-8")
    assert text.count("class Basic(nn.Module):") == 1
    assert "        self.layer1_0 = Basic()\n        self.layer1_1 = Basic()\n" in text
    assert "        x = self.layer2_0(x)  # (128, 28, 28)\n" in text
    # inside the class, the block's own names, and its input where the shortcut reads it
    assert "    def forward(self, inputs):\n        x = self.conv1(inputs)  # (64, 56, 56)\n" in text


def test_a_block_read_from_inside_is_written_layer_by_layer():
    spec = {"input": [4, 8, 8], "blocks": {"b": [{"conv2d": {"name": "c", "filters": 4, "kernel_size": 1}}, "relu"]},
            "layers": [{"block": "b", "name": "u"}, {"add": {"inputs": ["u.c", "u"]}}]}
    text = export_report(plan_data(spec)).text
    assert "class B(" not in text
    assert "        # u\n        u_c = self.u_c(x)  # (4, 8, 8)\n" in text


_HOSTILE = 'x"""; import os; os.system("id"); """\n__import__("os")\\'


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("where", ["file", "spec-name", "block-use", "input-name"])
def test_names_a_user_wrote_never_become_code(tmp_path, monkeypatch, framework, where):
    """File names, the spec's name, block-use names and input names go into the exported code only as
    escaped text (a docstring, a comment, a string literal): the code parses to the same statements."""
    monkeypatch.chdir(tmp_path)
    spec = {"framework": framework, "input": [1, 8, 8] if framework == "torch" else [8, 8, 1],
            "blocks": {"b": ["relu", "relu"]}, "layers": [{"block": "b", "name": "stage"}, "relu"]}
    file = "spec.yaml"
    if where == "file":
        file = _HOSTILE.replace("/", "_").replace("\n", "_n") + "\nimport os.yaml"
    elif where == "spec-name":
        spec["name"] = _HOSTILE
    elif where == "block-use":
        spec["layers"][0]["name"] = _HOSTILE
        spec["layers"].append({"relu": {"inputs": "input"}})  # a graph: the block's layers written inline
        spec["outputs"] = ["relu_1", "relu_2"]
    else:
        spec["inputs"] = {_HOSTILE: spec.pop("input")}
    (tmp_path / file).write_text(yaml.safe_dump(spec), encoding="utf-8")
    code, out, err = run(["export", file])
    assert code == 0, err
    tree = ast.parse(out)
    calls = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not {"os.system", "__import__"} & calls
    imports = {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
               for alias in node.names}
    assert "os" not in imports
    assert all(line.count('"""') in (0, 1, 2) for line in out.splitlines())


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.py")), ids=lambda p: p.name)
def test_a_shape_comment_stands_on_the_layer_it_describes(golden):
    """Never a line of its own (it would read as the next layer's): on the statement's first or last line."""
    alone = [line for line in golden.read_text().splitlines() if re.fullmatch(r"\s*# \([0-9, ]*\)", line)]
    assert alone == []


@pytest.mark.parametrize("layers", [
    [{"conv2d": {"name": "enc/1", "filters": 2, "kernel_size": 3}}],  # a stack: keras.Sequential(name=...)
    [{"conv2d": {"name": "a/b", "filters": 2, "kernel_size": 3}},
     {"add": {"name": "sum", "inputs": ["a/b", "a/b"]}}],  # a graph: keras.Model(..., name=...)
])
def test_keras_names_are_names_keras_takes(layers):
    spec = {"name": "U-Net 256 (zhixuhao/unet)", "framework": "keras", "input": [8, 8, 1], "layers": layers}
    text = export_report(plan_data(spec)).text
    names = re.findall(r"name=(\"[^\"]*\")", text)
    assert '"U-Net 256 (zhixuhao_unet)"' in names
    assert names and not any("/" in name for name in names)


@pytest.mark.parametrize("names, written", [
    (["dense", None], ['name="dense"', 'name="dense_2"']),  # `dense` is keras' own name for the unnamed one
    (["dense_1", None], ["layers.Dense(4)", "layers.Dense(3)"]),  # the plan's own automatic names: none written
    (["head", None], ['name="head"', "layers.Dense(3)"]),  # no name keras makes: the unnamed stays unnamed
])
def test_keras_export_names_every_layer_when_a_given_name_is_one_keras_makes(names, written):
    layers = [{"dense": {"units": 4, **({"name": names[0]} if names[0] else {})}}, {"dense": {"units": 3}}]
    report = plan_for_export({"framework": "keras", "input": [8], "layers": layers}, "keras")
    text = export_report(report).text
    for piece in written:
        assert piece in text
