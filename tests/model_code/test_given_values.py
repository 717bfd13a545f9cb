"""Values a user gives the reader: `PATH.py::NAME(ARGS)` (literal arguments of the selected class or
function), `--set NAME=VALUE` (the command-line form of a `# layerplan: NAME = VALUE` comment; a dotted
NAME sets an attribute), a script's argparse options at their defaults, and a network function's
tensor parameters taken as the model's input."""

import pytest
from click.testing import CliRunner

from cases import FILES
from layerplan.main import cli
from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model, split_model_path

TORCH = "import torch\nimport torch.nn as nn\n"
WIDE = TORCH + """
class Wide(nn.Module):
    def __init__(self, width, classes=3, *, bias):
        super().__init__()
        self.fc = nn.Linear(4, width, bias=bias)
        self.out = nn.Linear(width, classes)

    def forward(self, x):
        return self.out(self.fc(x))
"""


def _plan(text, name=None, shape=None, settings=None):
    document = read_model(text, "model.py", name, settings=settings)
    if shape is not None:
        document = document.replace(data={**document.data, "input": list(shape)})
    return plan_document(document)


# (id, NAME(ARGS), total params: Linear(4, width) + Linear(width, classes))
SELECTIONS = [
    ("keywords", "Wide(width=8, bias=True)", 4 * 8 + 8 + 8 * 3 + 3),
    ("positional and keyword", "Wide(16, 5, bias=False)", 4 * 16 + 16 * 5 + 5),
    ("spaces and a trailing comma", " Wide( 2 , bias = True , ) ", 4 * 2 + 2 + 2 * 3 + 3),
]


@pytest.mark.parametrize(("selector", "params"), [c[1:] for c in SELECTIONS], ids=[c[0] for c in SELECTIONS])
def test_the_selected_class_is_instantiated_with_the_literal_arguments_given(selector, params):
    report = _plan(WIDE, selector, (4,))
    assert report.ok, report.diagnostics
    assert report.total_params == params


# (id, text, NAME(ARGS), code, words of the message)
REFUSED = [
    ("a constructor argument without a default", WIDE, "Wide(bias=True)", "LP007",
     "Wide() needs its argument 'width' (it has no default): give it after the name, "
     "model.py::Wide(bias=True, width=...)"),
    ("a keyword-only one", WIDE, "Wide(8)", "LP007", "model.py::Wide(8, bias=...)"),
    ("a name as an argument", WIDE, "Wide(size, bias=True)", "LP008", "`size` is not one"),
    ("a call as an argument", WIDE, "Wide(int('8'), bias=True)", "LP008", "`int('8')` is not one"),
    ("starred arguments", WIDE, "Wide(*[8])", "LP008", "no *"),
    ("not a call", WIDE, "Wide(8).fc", "LP008", "is not NAME(ARGS)"),
    ("unbalanced", WIDE, "Wide(8", "LP008", "is not NAME(ARGS)"),
    ("an unknown argument", WIDE, "Wide(8, bias=True, depth=2)", "LP007", "has no argument 'depth'"),
    ("arguments of a model variable", TORCH + "model = nn.Sequential(nn.Linear(2, 2))\n", "model(3)", "LP008",
     "is not a class or function: it takes no arguments"),
]


@pytest.mark.parametrize(("text", "selector", "code", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_arguments_that_cannot_be_used_are_refused_with_the_fix(text, selector, code, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "model.py", selector)
    assert caught.value.diagnostic.code == code
    assert words in caught.value.diagnostic.message


def test_a_model_path_ends_at_its_first_py_separator():
    assert split_model_path("nets/vgg.py::VGG('VGG19')") == ("nets/vgg.py", "VGG('VGG19')")
    assert split_model_path("net.py::Pick('a::b')") == ("net.py", "Pick('a::b')")


SCRIPT = TORCH + """import argparse


def parse_shape(text):
    return tuple(int(v) for v in text.split("x"))


parser = argparse.ArgumentParser()
parser.add_argument("--width", type=int, default=8)
parser.add_argument("--depth", type=int, default="2")
parser.add_argument("--scale", type=float, default=0.5)
parser.add_argument("--name", required=True)
parser.add_argument("--shape", type=parse_shape, default="4x4")
parser.add_argument("data")
parser.add_argument("--wide", action="store_true")
opt = parser.parse_args()
layers = [nn.Linear(4, opt.width * (2 if opt.wide else 1))]
for _ in range(opt.depth - 1):
    layers.append(nn.Linear(opt.width * (2 if opt.wide else 1), opt.width * (2 if opt.wide else 1)))
model = nn.Sequential(*layers, nn.Linear(opt.width * (2 if opt.wide else 1), {last}))
"""


# (id, the last layer's units, --set values, total params, or the words of the refusal)
OPTIONS = [
    ("the defaults", "1", {}, (4 * 8 + 8) + (8 * 8 + 8) + (8 + 1)),
    ("a default overridden", "1", {"opt.width": 3}, (4 * 3 + 3) + (3 * 3 + 3) + (3 + 1)),
    ("a flag overridden", "1", {"opt.wide": True, "opt.depth": 1}, (4 * 16 + 16) + (16 + 1)),
    ("a required option", "len(opt.name)", {}, "opt.name has no value without running the script (the script needs "
                                                "--name on its command line); give it with --set opt.name=VALUE"),
    ("a required option given", "len(opt.name)", {"opt.name": "abc"}, (4 * 8 + 8) + (8 * 8 + 8) + (8 * 3 + 3)),
    ("a positional argument", "len(opt.data)", {}, "the script needs data on its command line"),
    ("a converter of the script", "len(opt.shape)", {}, "converted by a function of the script"),
    ("an option the parser does not have", "opt.classes", {}, "opt.classes has no option of the script's parser"),
]


@pytest.mark.parametrize(("last", "settings", "expected"), [c[1:] for c in OPTIONS], ids=[c[0] for c in OPTIONS])
def test_a_scripts_options_are_their_defaults_unless_given(last, settings, expected):
    text = SCRIPT.format(last=last)
    if isinstance(expected, str):
        with pytest.raises(SpecReadError) as caught:
            _plan(text, "model", (4,), settings)
        assert expected in caught.value.diagnostic.message
        return
    report = _plan(text, "model", (4,), settings)
    assert report.ok, report.diagnostics
    assert report.total_params == expected
    assert [d.code for d in report.diagnostics if d.code == "LP326"] == ["LP326"]


def test_set_replaces_a_value_the_code_computes_as_a_comment_does():
    text = TORCH + "import json\ncfg = json.load(open('c.json'))  # layerplan: cfg = {'width': 4}\n" \
                   "model = nn.Sequential(nn.Linear(2, cfg['width']))\n"
    assert _plan(text, shape=(2,)).output == (4,)
    assert _plan(text, shape=(2,), settings={"cfg": {"width": 7}}).output == (7,)


def test_a_dotted_set_gives_a_constructor_parameter_an_object_of_attributes():
    text = TORCH + """
class TextNet(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.embed = nn.Embedding(args.embed_num, args.embed_dim)

    def forward(self, x):
        return self.embed(x)
"""
    report = _plan(text, "TextNet", (12,), {"args.embed_num": 1000, "args.embed_dim": 16})
    assert (report.output, report.total_params) == ((12, 16), 16000)
    with pytest.raises(SpecReadError) as caught:
        _plan(text, "TextNet", (12,), {"args.embed_num": 1000})
    assert caught.value.diagnostic.message == "args.embed_dim has no value given; give it with --set " \
                                              "args.embed_dim=VALUE"


def test_set_values_must_be_plain_data():
    with pytest.raises(ValueError):
        read_model(WIDE, "model.py", "Wide(8, bias=True)", settings={"x": object()})
    with pytest.raises(ValueError):
        read_model(WIDE, "model.py", "Wide(8, bias=True)", settings={"not a name": 1})


TF1 = "import tensorflow as tf\n"
NETWORK = TF1 + """
def network(images, num_classes=10, scope="net"):
    net = tf.layers.conv2d(images, 8, 3, padding="same", activation=tf.nn.relu)
    net = tf.layers.max_pooling2d(net, 2, 2)
    net = tf.layers.flatten(net)
    return tf.layers.dense(net, num_classes)


def model_fn(features, labels, mode):
    return network(features["image"], num_classes=4)
"""
PLACEHOLDER = TF1 + """
images = tf.placeholder(tf.float32, (None, 16, 16, 3))
net = tf.layers.conv2d(images, 8, 3, padding="same", activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, 2, 2)
net = tf.layers.flatten(net)
logits = tf.layers.dense(net, {classes})
"""


@pytest.mark.parametrize(("selector", "classes", "input_name"), [("network", 10, "input"),
                                                                ("network(num_classes=3)", 3, "input"),
                                                                ("model_fn", 4, "input")])
def test_a_network_function_takes_its_tensor_parameters_from_the_input(selector, classes, input_name):
    document = read_model(NETWORK, "net.py", selector)
    assert "input" not in document.data  # the shape comes from -i
    report = _plan(NETWORK, selector, (16, 16, 3))
    same = _plan(PLACEHOLDER.format(classes=classes), "logits")
    assert report.ok, report.diagnostics
    assert [(r.type, r.output, r.params) for r in report.layers] == [(r.type, r.output, r.params)
                                                                      for r in same.layers]


def test_a_parameter_taken_as_the_input_says_so_where_it_is_used_as_a_value():
    text = TF1 + "def build(inputs, units):\n    return tf.layers.dense(inputs, units)\n"
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "net.py", "build")
    assert "build() takes 'units' as the model's input; if it is a value, give it: net.py::build(units=...)" \
        in caught.value.diagnostic.message
    document = read_model(text, "net.py", "build(units=5)")
    assert document.data["layers"][0]["units"] == 5


# (id, command line after the file, what it prints)
COMMANDS = [
    ("plan", ["plan", "{file}::Classifier", "-i", "1x28x28", "--set", "opt.hidden_size=10", "--format", "params"],
     "7960"),
    ("plan with the defaults", ["plan", "{file}::Classifier", "-i", "1x28x28", "--format", "params"], "76330"),
    ("import", ["import", "{file}::Classifier", "-i", "1x28x28", "--set", "opt.classes=2"], "units: 2"),
    ("explain", ["explain", "{file}::Classifier", "-i", "1x28x28", "--set", "opt.classes=7", "--brief"],
     "-> output 7"),
    ("solve expect", ["solve", "expect", "{file}::Classifier", "-i", "1x28x28", "--set", "opt.classes=7"],
     "plans cleanly"),
]


@pytest.mark.parametrize(("arguments", "printed"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS])
def test_commands_that_read_model_files_take_set(arguments, printed):
    file = str(FILES / "torch_script_options.py")
    result = CliRunner().invoke(cli, [a.format(file=file) for a in arguments])
    assert printed in result.output, result.output


@pytest.mark.parametrize("value", ["opt.width", "opt.width=big", "2x=3", "opt..width=1"])
def test_a_set_that_is_not_name_equals_literal_is_a_usage_error(value):
    result = CliRunner().invoke(cli, ["plan", str(FILES / "torch_script_options.py"), "--set", value])
    assert result.exit_code == 2
    assert "Invalid value for '--set'" in result.output


DATA = "from keras.datasets import mnist\n(x_train, y_train), (x_test, y_test) = mnist.load_data()\n"
# (id, file text, name, output, params): an input shape read from the data the script loads takes -i's shape
FROM_DATA = [
    ("input_shape= of a Sequential layer", DATA + "from keras import layers, models\nmodel = models.Sequential()\n"
     "model.add(layers.Dense(4, input_shape=x_train.shape[1:]))\nmodel.add(layers.Dense(2))\n", "model", [2], 54),
    ("Input(shape=) of names unpacked from the data", DATA + "from keras import layers, Input, Model\n"
     "rows, cols = x_train.shape[1:]\nx = Input(shape=(rows, cols))\ny = layers.Dense(2)(layers.Flatten()(x))\n"
     "model = Model(x, y)\n", "model", [2], 22),
    ("batch_input_shape= read from the data", DATA + "from keras import layers, models\n"
     "model = models.Sequential([layers.Dense(2, batch_input_shape=(None,) + x_train.shape[1:])])\n", "model",
     [2], 22),
]


@pytest.mark.parametrize(("text", "name", "output", "params"), [c[1:] for c in FROM_DATA], ids=[c[0] for c in FROM_DATA])
def test_an_input_shape_read_from_data_is_the_one_given(text, name, output, params):
    document = read_model(text, "model.py", name, input_shape=(2, 5) if "Input(" in text else (10,))
    report = plan_document(document)
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == output and report.total_params == params
    assert any(d.code == "LP322" and "read from data" in d.message for d in document.reader_notes)


@pytest.mark.parametrize("text", [c[1] for c in FROM_DATA], ids=[c[0] for c in FROM_DATA])
def test_an_input_shape_read_from_data_without_one_given_says_to_give_it(text):
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "model.py", "model")
    assert "mnist.load_data() is not read" in caught.value.diagnostic.message
    assert "given with -i SHAPE" in caught.value.diagnostic.message
