"""Model files read statically: the corpus plans to the framework's shapes and params, with positions
in the model file; names select models; every layer points at the line that makes it."""

import ast
from pathlib import Path

import pytest

from cases import CASES, FILES
from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model


def plan_file(file, name=None, shape=None):
    path = FILES / file
    document = read_model(path.read_text(), str(path), name, input_shape=tuple(shape) if shape else None, path=path)
    return document, plan_document(document)


@pytest.mark.parametrize(("file", "name", "shape", "output", "params", "layers"), CASES,
                         ids=[c[0] for c in CASES])
def test_model_file_plans_like_its_framework(file, name, shape, output, params, layers):
    document, report = plan_file(file, name, shape)
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == output
    assert report.total_params == params
    planned = {row.name: list(row.output) for row in report.layers if row.output is not None}
    for layer, expected in layers.items():
        assert planned[layer] == expected, layer


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_layer_points_at_a_call_in_the_model_file(case):
    file, name, shape = case[:3]
    document, report = plan_file(file, name, shape)
    lines = (FILES / file).read_text().splitlines()
    calls = {(node.lineno, node.col_offset + 1) for node in ast.walk(ast.parse("\n".join(lines)))
             if isinstance(node, (ast.Call, ast.BinOp, ast.AugAssign, ast.Subscript))}
    for index in range(len(report.layers)):
        assert document.locate(f"/layers/{index}") in calls


EXAMPLE_MODELS = Path(__file__).resolve().parents[2] / "examples" / "models"
#: the examples users copy from that are files of this corpus: their numbers are the framework-checked ones
CORPUS_EXAMPLES = sorted(p.name for p in EXAMPLE_MODELS.glob("*.py") if (FILES / p.name).exists())


def test_the_corpus_examples_are_there():
    assert {"keras_channels_branch.py", "tf1_autoencoder.py"} <= set(CORPUS_EXAMPLES)


@pytest.mark.parametrize("name", CORPUS_EXAMPLES)
def test_an_example_named_like_a_corpus_file_is_that_file(name):
    assert (EXAMPLE_MODELS / name).read_bytes() == (FILES / name).read_bytes()


def test_the_seed_question_plans_to_28x28x32_after_conv1():
    _, report = plan_file("tf1_autoencoder.py", "encoded")
    conv1 = report.layers[0]
    assert (conv1.name, conv1.output, conv1.params) == ("conv1", (28, 28, 32), 320)
    assert report.framework == "keras"


def test_without_a_name_a_file_of_several_models_lists_them():
    text = "import torch.nn as nn\na = nn.Sequential(nn.Linear(4, 2))\nb = nn.Sequential(nn.Linear(4, 3))\n"
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "two.py")
    assert (caught.value.diagnostic.code, caught.value.diagnostic.message) == (
        "LP008", "two.py holds 2 models: a, b; pick one with two.py::NAME")
    assert read_model(text, "two.py", "b").data["layers"][0]["units"] == 3


def test_an_unknown_name_lists_the_models_found():
    with pytest.raises(SpecReadError) as caught:
        read_model((FILES / "torch_lenet.py").read_text(), "lenet.py", "Net")
    assert caught.value.diagnostic.message == "lenet.py has no model named 'Net' (models found: LeNet)"


def test_a_file_without_imports_of_a_framework_needs_one_given():
    text = "class Net:\n    pass\n"
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "net.py")
    assert caught.value.diagnostic.code == "LP008"
    assert "-f torch" in caught.value.diagnostic.message


def test_framework_given_overrides_the_imports():
    text = "from layers import Dense\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\n"
    assert read_model(text, "m.py", framework="torch").data["framework"] == "torch"


def test_declared_input_sizes_are_checked_against_the_plan():
    text = ("import torch.nn as nn\n"
            "model = nn.Sequential(\n"
            "    nn.Conv2d(3, 16, 3),\n"
            "    nn.Conv2d(8, 16, 3),\n"
            ")\n")
    document = read_model(text, "m.py", input_shape=(3, 8, 8))
    errors = [d for d in plan_document(document).diagnostics if d.is_error]
    assert [(d.code, d.layer, d.line, d.column) for d in errors] == [("LP221", 2, 4, 15)]
    assert errors[0].message == ("conv2d '1' declares in_channels=8 but its input [16, 6, 6] has 16 (torch raises "
                                 "here); make it in_channels=16")


def test_an_option_error_points_at_the_argument_in_the_code():
    text = "import torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(1, 4, kernel_size=9))\n"
    report = plan_document(read_model(text, "m.py", input_shape=(1, 5, 5)))
    (error,) = [d for d in report.diagnostics if d.is_error]
    assert (error.code, error.line, error.column) == ("LP203", 2, 51)


def test_an_unknown_keyword_reaches_the_planner_at_its_line():
    text = "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 2, biass=False))\n"
    report = plan_document(read_model(text, "m.py", input_shape=(4,)))
    (error,) = [d for d in report.diagnostics if d.is_error]
    assert (error.code, error.line, error.column) == ("LP107", 2, 39)


def test_torch_zero_padding_is_read_last_axis_first():
    text = "import torch.nn as nn\nmodel = nn.Sequential(nn.ZeroPad2d((1, 2, 3, 4)))\n"
    report = plan_document(read_model(text, "m.py", input_shape=(1, 10, 10)))
    assert report.output == (1, 17, 13)  # H gets top 3 + bottom 4, W left 1 + right 2


def test_the_input_pragma_and_a_given_shape():
    text = "import torch.nn as nn\n# layerplan: input 4x9\nmodel = nn.Sequential(nn.Flatten())\n"
    document = read_model(text, "m.py")
    assert (document.data["input"], document.locate("/input")) == ([4, 9], (2, 1))
    assert read_model(text, "m.py", input_shape=(2, 3)).data["input"] == [2, 3]


def test_a_model_without_an_input_shape_says_how_to_give_one():
    text = "import torch.nn as nn\nmodel = nn.Sequential(nn.Flatten())\n"
    report = plan_document(read_model(text, "m.py"))
    assert [d.code for d in report.diagnostics] == ["LP102"]
    assert "-i SHAPE" in report.diagnostics[0].message and "# layerplan: input" in report.diagnostics[0].message


def test_a_value_comment_gives_what_the_code_computes_at_run_time():
    text = ("import json\nimport torch.nn as nn\n"
            "cfg = json.load(open('config.json'))  # layerplan: cfg = {'hidden': 64, 'classes': 5}\n"
            "model = nn.Sequential(nn.Linear(4, cfg['hidden']), nn.ReLU(), nn.Linear(cfg['hidden'], cfg['classes']))\n")
    report = plan_document(read_model(text, "m.py", input_shape=(4,)))
    assert (report.output, report.total_params) == ((5,), 4 * 64 + 64 + 64 * 5 + 5)


def test_without_the_value_comment_the_diagnostic_says_how_to_give_it():
    text = ("import json\nimport torch.nn as nn\ncfg = json.load(open('config.json'))\n"
            "model = nn.Sequential(nn.Linear(4, cfg['hidden']))\n")
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "m.py", input_shape=(4,))
    d = caught.value.diagnostic
    assert (d.code, d.line, d.column) == ("LP007", 3, 17)
    assert d.message.endswith("(its value is used at line 4; give it with a `# layerplan: cfg = VALUE` comment)")
