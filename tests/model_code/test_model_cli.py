"""Every command that takes a spec takes model code the same way: `model.py` or `model.py::NAME`,
with every output format; `layerplan import` writes the equivalent spec."""

import json

import pytest
from click.testing import CliRunner

from cases import FILES
from layerplan.main import cli

SEED = str(FILES / "tf1_autoencoder.py")
LENET = str(FILES / "torch_lenet.py")


def run(args, env=None):
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None, **(env or {})}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("output_format", "expected"), [
    ("shape", "4x4x16\n"), ("params", "14192\n"),
])
def test_plan_a_model_file_for_scripts(output_format, expected):
    assert run(["plan", f"{SEED}::encoded", "--format", output_format]) == (0, expected, "")


@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv", "tsv", "markdown"])
def test_plan_a_model_file_in_every_format(output_format):
    code, out, err = run(["plan", f"{SEED}::encoded", "--format", output_format])
    assert (code, err) == (0, "")
    assert "conv1" in out and "maxpool1" in out


def test_the_json_report_names_the_file_and_the_model():
    code, out, _ = run(["plan", f"{SEED}::encoded", "--format", "json"])
    report = json.loads(out)
    assert (report["file"], report["name"], report["framework"]) == (SEED, "encoded", "keras")
    assert report["layers"][0]["output"] == [28, 28, 32]


def test_input_shape_and_layer_arguments_after_a_model_file():
    code, out, _ = run(["plan", LENET, "-i", "1x32x32", "dense:5", "--format", "shape"])
    assert (code, out) == (0, "5\n")


@pytest.mark.parametrize("output_format", ["text", "github", "sarif", "junit", "json", "jsonl"])
def test_check_a_model_file_in_every_format(output_format, tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import torch.nn as nn\n# layerplan: input 3x8x8\n"
                   "model = nn.Sequential(nn.Conv2d(1, 4, 3))\n")
    code, out, err = run(["check", str(bad), "--format", output_format])
    assert code == 1
    assert "LP221" in out + err
    if output_format == "github":
        assert f"::error file={bad},line=3,col=33" in out


def test_check_and_plan_a_model_file_agree_on_a_clean_file():
    assert run(["check", f"{SEED}::encoded"])[0] == 0


def test_explain_a_layer_of_a_model_file():
    code, out, _ = run(["explain", f"{SEED}::encoded", "--layer", "conv1"])
    assert code == 0 and "28x28x1 -> 28x28x32" in out


def test_solve_input_of_a_model_file():
    code, out, _ = run(["solve", "input", f"{SEED}::encoded", "--near", "28", "--format", "json"])
    assert code == 0 and 28 in json.loads(out)["valid"]


def test_diff_a_model_file():
    code, out, _ = run(["diff", f"{SEED}::encoded", "--format", "json"])
    assert code == 0 and json.loads(out)["same"] is True


def test_an_unreadable_model_is_status_2_in_every_command(tmp_path):
    seed = tmp_path / "autoencoder.py"  # a resize whose size follows the input's aspect ratio is not read
    seed.write_text(open(SEED).read().replace("NEAREST_NEIGHBOR)", "NEAREST_NEIGHBOR, preserve_aspect_ratio=True)"))
    target = f"{seed}::decoded"
    for args in (["plan", target], ["check", target], ["explain", target], ["diff", target],
                 ["solve", "input", target, "--near", "28"], ["import", target]):
        code, out, err = run(args)
        assert code == 2, args
        said = out + err
        assert f"{seed}:19:13: error LP007" in said and "preserve_aspect_ratio=True" in said, args


def test_import_writes_a_spec_that_plans_the_same(tmp_path):
    spec = tmp_path / "lenet.yaml"
    code, out, err = run(["import", LENET, "-o", str(spec)])
    assert (code, out, err) == (0, "", "")
    text = spec.read_text()
    assert text.startswith(f"# read from {LENET} by `layerplan import`")
    assert "  - conv2d: {name: conv1, filters: 6, kernel_size: 5}\n" in text
    from_spec = json.loads(run(["plan", str(spec), "--format", "json"])[1])
    from_code = json.loads(run(["plan", LENET, "--format", "json"])[1])
    assert [(r["name"], r["output"], r["params"]) for r in from_spec["layers"]] == \
        [(r["name"], r["output"], r["params"]) for r in from_code["layers"]]


@pytest.mark.parametrize("file", sorted(p.name for p in FILES.glob("*.py")))
def test_import_of_every_corpus_file_plans_like_the_file(file, tmp_path):
    path = str(FILES / file)
    shape = {"torch_builder.py": ["-i", "3x32x32"], "torch_unet.py": ["-i", "1x32x32"],
             "torch_tensor_ops.py": ["-i", "3x33x31"], "tf_slim_classifier.py": ["-i", "32x32x3"],
             "tf_slim_separable.py": ["-i", "32x32x3"]}.get(file, [])
    name = {"tf1_autoencoder.py": "::encoded", "tf1_mnist.py": "::logits", "tf1_nn_classifier.py": "::logits",
            "torch_given_arguments.py": "::SuperResolution(upscale_factor=2)", "torch_tensor_ops.py": "::PadUp",
            "tf_slim_classifier.py": "::classifier", "tf_slim_separable.py": "::separable_net",
            "keras_learned_weights.py": "::model", "torch_weights_enum.py": "::segmenter",
            "keras_frozen_backbone.py": "::base"}.get(file, "")
    spec = tmp_path / "spec.yaml"
    assert run(["import", path + name, *shape, "-o", str(spec)])[0] == 0
    assert run(["plan", str(spec), "--format", "params"])[1] == run(["plan", path + name, *shape, "--format",
                                                                      "params"])[1]


def test_import_needs_a_python_file():
    code, _, err = run(["import", "net.yaml"])
    assert code == 2 and "is not a Python file" in err


def test_the_python_api_plans_a_model_file():
    import layerplan

    report = layerplan.plan(f"{SEED}::encoded")
    assert report.layers[0].output == (28, 28, 32)
