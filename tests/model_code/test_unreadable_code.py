"""What the reader cannot follow statically: a diagnostic at the construct's line and column, exit
status 2, never a guess, never a traceback; hostile files in bounded time; nothing is ever run."""

import os
import re
import time

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from layerplan.main import cli
from layerplan.planner import SpecReadError
from layerplan.planner.model_code import read_model

TORCH = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
MODULE = TORCH + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
{body}
"""

# (id, file text, code, line, column, words the message must contain)
UNREADABLE = [
    ("data-dependent branch", MODULE.format(body="        if x.amax(dim=1, keepdim=True) > 0:\n"
                                                  "            x = self.fc(x)\n        return x"),
     "LP007", 11, 12, "data-dependent"),
    ("a reduction over the batch", MODULE.format(body="        return self.fc(x) * x.mean()"), "LP007", 11, 29,
     ".mean() reduces over the batch axis (no dim given)"),
    ("while loop", MODULE.format(body="        while True:\n            x = self.fc(x)\n        return x"),
     "LP007", 11, 9, "a loop of more than 10,000 steps is too long to unroll"),
    ("unknown layer class", TORCH + "model = nn.Sequential(nn.Linear(4, 8), nn.TransformerEncoderLayer(8, 2))\n",
     "LP007", 4, 40, "nn.TransformerEncoderLayer is not a layer layerplan plans"),
    ("layer from another module", TORCH + "from mylib import Fancy\nmodel = nn.Sequential(nn.Linear(4, 8), Fancy())\n",
     "LP007", 5, 40, "Fancy() is not read"),
    ("value read from a file", TORCH + "import json\ncfg = json.load(open('c.json'))\n"
                                       "model = nn.Sequential(nn.Linear(4, cfg['width']))\n",
     "LP007", 5, 17, "used at line 6"),
    ("option computed by a call", TORCH + "import random\nmodel = nn.Sequential(nn.Linear(4, random.randint(1, 9)))\n",
     "LP007", 5, 36, "random.randint() is not read"),
    ("a tensor indexed by a list", MODULE.format(body="        return self.fc(x[:, [0, 2]])"), "LP007", 11, 24,
     "indexing a tensor with a tensor, a list"),
    ("a tensor indexed on its batch axis", MODULE.format(body="        return self.fc(x[0])"), "LP007", 11, 24,
     "indexes the batch axis"),
    ("flatten of the batch", MODULE.format(body="        return torch.flatten(self.fc(x))"), "LP007", 11, 16,
     "also flattens the batch"),
    ("getattr of a name from data", MODULE.format(body="        return getattr(self, input())(x)"), "LP007", 11, 30,
     "input() is not read"),
    ("a method of a container subclass that is not read", TORCH + "class Block(nn.ModuleDict):\n"
     "    def __init__(self):\n        super().__init__({'a': nn.Linear(4, 4)})\n        self.pop('a')\n\n"
     "    def forward(self, x):\n        return x\n\nmodel = Block()\n",
     "LP007", 7, 9, ".pop() of Block (an nn.ModuleDict subclass) is not read"),
    ("a container subclass given a value that is no module", TORCH + "class Block(nn.Sequential):\n"
     "    def __init__(self):\n        super().__init__(nn.Linear(4, 4), 3)\n\nmodel = Block()\n",
     "LP007", 6, 9, "'1' of Block is not a module"),
    ("a forward of its own on a layer without a functional form here", TORCH + "class Norm(nn.BatchNorm1d):\n"
     "    def forward(self, x):\n        return super().forward(x) * 2\n\nmodel = nn.Sequential(Norm(4))\n",
     "LP007", 8, 23, "Norm derives from nn.BatchNorm1d and has a forward of its own; the reader reads such a forward"),
    ("a layer's own weight given to arithmetic", TORCH + "class Wide(nn.Linear):\n"
     "    def forward(self, x):\n        return F.linear(x, self.weight * 2, self.bias)\n\n"
     "model = nn.Sequential(Wide(4, 2))\n", "LP007", 6, 28, "self.weight of the nn.Linear"),
    ("a layer's functional form given another value", TORCH + "class Norm(nn.LayerNorm):\n    def forward(self, x):\n"
     "        return F.layer_norm(x, (4,), self.weight, self.bias, self.eps)\n\nmodel = nn.Sequential(Norm(4))\n",
     "LP007", 6, 16, "normalized_shape from something other than self.normalized_shape"),
    ("a layer's own weight given to another function", TORCH + "class Wide(nn.Linear):\n    def forward(self, x):\n        return F.conv1d(x, self.weight, self.bias)\n\n"
     "model = nn.Sequential(Wide(4, 2))\n", "LP007", 6, 16, "only as the arguments of F.linear()"),
    ("a layer subclass that holds another module", TORCH + "class Wide(nn.Linear):\n    def __init__(self):\n"
     "        super().__init__(4, 4)\n        self.extra = nn.Linear(4, 2)\n\nmodel = nn.Sequential(Wide())\n",
     "LP007", 9, 23, "also holds 'extra'"),
    ("getattr of a missing attribute", MODULE.format(body="        return getattr(self, 'fc2')(x)"), "LP007", 11, 16,
     "Net has no attribute 'fc2'"),
    ("exec in forward", MODULE.format(body="        exec('x = x')\n        return x"), "LP007", 11, 9,
     "exec() is not read"),
    ("too many positional arguments", TORCH + "model = nn.Sequential(nn.Linear(1, 2, True, 'cpu'))\n",
     "LP007", 4, 45, "at most 3 positional arguments"),
    ("channels-first keras", "import keras\nmodel = keras.Sequential([keras.layers.Conv2D(8, 3, "
                             "data_format='channels_first')])\n",
     "LP007", 2, 65, "data_format='channels_first'"),
    ("recursion", TORCH + "def block(n):\n    return block(n)\nmodel = nn.Sequential(block(1))\n",
     "LP007", 5, 12, "nest too deeply"),
    ("syntax error", TORCH + "model = nn.Sequential(nn.Linear(4, 2)\n", "LP002", 4, 22, "never closed"),
    ("no model", TORCH + "x = 1\n", "LP008", None, None, "holds no model"),
    ("two models", TORCH + "a = nn.Sequential(nn.ReLU())\nb = nn.Sequential(nn.Tanh())\n", "LP008", None, None,
     "holds 2 models: a, b"),
]


@pytest.mark.parametrize(("text", "code", "line", "column", "words"), [c[1:] for c in UNREADABLE],
                         ids=[c[0] for c in UNREADABLE])
def test_an_unreadable_construct_is_a_diagnostic_at_its_line(text, code, line, column, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "model.py", input_shape=(4,))
    d = caught.value.diagnostic
    assert (d.code, d.line, d.column) == (code, line, column), d.message
    assert words in d.message


TF1 = ("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 20])\n"
       "images = tf.placeholder(tf.float32, [None, 8, 8, 3])\n")
# TensorFlow 1 variables read in a way no spec layer holds exactly, or that TensorFlow refuses:
# (id, file text whose tensor `y` is planned, line, column, words the message must contain)
VARIABLES = [
    ("a product whose sizes do not multiply", TF1 + "w = tf.Variable(tf.random_normal([30, 10]))\ny = tf.matmul(x, w)\n",
     5, 5, "do not multiply (20 != 30): TensorFlow raises here"),
    ("a filter for other channels", TF1 + "f = tf.Variable(tf.random_normal([3, 3, 1, 4]))\n"
     "y = tf.nn.conv2d(images, f, [1, 1, 1, 1], 'SAME')\n", 5, 5, "has 3 channels and the variable of line 4"),
    ("a learned scale", TF1 + "s = tf.Variable(tf.ones([20]))\ny = x * s\n", 5, 5,
     "this arithmetic reads the variable of line 4 ([20])"),
    ("a learned scale by a function", TF1 + "s = tf.Variable(tf.ones([20]))\ny = tf.multiply(x, s)\n", 5, 5,
     "tf.multiply() reads the variable of line 4"),
    ("a bias after the activation", TF1 + "w = tf.Variable(tf.zeros([20, 5]))\nb = tf.Variable(tf.zeros([5]))\n"
     "y = tf.nn.relu(tf.matmul(x, w)) + b\n", 6, 5, "not the output of tf.matmul or tf.nn.conv2d"),
    ("a bias on the input", TF1 + "b = tf.Variable(tf.zeros([20]))\ny = tf.add(x, b)\n", 5, 5,
     "tf.add() adds the variable of line 4"),
    ("a product read before its bias", TF1 + "w = tf.Variable(tf.zeros([20, 5]))\nb = tf.Variable(tf.zeros([5]))\n"
     "h = tf.matmul(x, w)\na = tf.nn.relu(h)\ny = tf.concat([h + b, a], 1)\n", 8, 16, "another layer reads before"),
    ("a frozen variable", TF1 + "w = tf.Variable(tf.zeros([20, 5]), trainable=False)\ny = tf.matmul(x, w)\n", 5, 5,
     "made with trainable=False"),
    ("the variable on the left", TF1 + "w = tf.Variable(tf.zeros([5, 20]))\n"
     "y = tf.transpose(tf.matmul(w, x, transpose_b=True))\n", 5, 18, "with a variable on the left"),
    ("one bias for two layers", TF1 + "w1 = tf.Variable(tf.zeros([20, 5]))\nw2 = tf.Variable(tf.zeros([5, 5]))\n"
     "b = tf.Variable(tf.zeros([5]))\nh = tf.matmul(x, w1) + b\ny = tf.matmul(h, w2) + b\n", 8, 5,
     "already read by the layer 'h'"),
    ("a kernel read again with another bias", TF1 + "w = tf.Variable(tf.zeros([20, 20]))\n"
     "b1 = tf.Variable(tf.zeros([20]))\nb2 = tf.Variable(tf.zeros([20]))\nh = tf.matmul(x, w) + b1\n"
     "y = tf.matmul(h, w) + b2\n", 8, 5, "a second call of the layer 'h'"),
    ("a bias of one value", TF1 + "w = tf.Variable(tf.zeros([20, 5]))\nb = tf.Variable(tf.zeros([1]))\n"
     "y = tf.matmul(x, w) + b\n", 6, 5, "one value broadcast to all 5 outputs"),
    ("a bias of other outputs", TF1 + "w = tf.Variable(tf.zeros([20, 5]))\nb = tf.Variable(tf.zeros([4]))\n"
     "y = tf.matmul(x, w) + b\n", 6, 5, "does not fit the layer's 5 outputs: TensorFlow raises here"),
    ("get_variable twice by one name", TF1 + "def dense(t):\n    w = tf.get_variable('w', [20, 20])\n"
     "    return tf.matmul(t, w)\ny = dense(dense(x))\n", 5, 9, "tf.get_variable('w') is called again"),
    ("variable scopes reused", TF1 + "with tf.variable_scope('a', reuse=tf.AUTO_REUSE):\n"
     "    w = tf.get_variable('w', [20, 4])\ny = tf.matmul(x, w)\n", 5, 9, "reuses variable scopes"),
    ("a constant filter", TF1 + "y = tf.nn.conv2d(images, tf.ones([3, 3, 3, 4]), [1, 1, 1, 1], 'SAME')\n", 4, 5,
     "a filter that is not a variable"),
    ("channels first", TF1 + "f = tf.Variable(tf.zeros([3, 3, 3, 4]))\n"
     "y = tf.nn.conv2d(images, f, [1, 1, 1, 1], 'SAME', data_format='NCHW')\n", 5, 5, "data_format='NCHW'"),
    ("explicit padding", TF1 + "f = tf.Variable(tf.zeros([3, 3, 3, 4]))\n"
     "y = tf.nn.conv2d(images, f, [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1], [0, 0]])\n", 5, 5, "give 'SAME' or 'VALID'"),
    ("a variable in a loss term", TF1 + "w = tf.Variable(tf.zeros([20, 5]))\ny = tf.matmul(x, w) * tf.nn.l2_loss(w)\n",
     5, 23, "tf.nn.l2_loss() reads the variable of line 4"),
    ("a variable joined to the data", TF1 + "w = tf.Variable(tf.zeros([1, 5]))\ny = tf.concat([x, w], 1)\n", 5, 5,
     "tf.concat() reads the variable of line 4"),
    ("a placeholder without a shape as the data", "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"
     "y = tf.layers.dense(x, 4)\n", 3, 5, "the placeholder of line 2 has no shape"),
    ("a placeholder without a shape in arithmetic", TF1 + "p = tf.placeholder(tf.float32)\n"
     "y = tf.multiply(tf.layers.dense(x, 4), p)\n", 5, 5, "the placeholder of line 4 has no shape"),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), [c[1:] for c in VARIABLES],
                         ids=[c[0] for c in VARIABLES])
def test_a_variable_read_without_an_exact_layer_is_refused_at_its_line(text, line, column, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "model.py", name="y")
    d = caught.value.diagnostic
    assert (d.code, d.line, d.column) == ("LP007", line, column), d.message
    assert words in d.message


def test_the_command_line_says_it_at_the_file_line_and_column_with_status_2(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(UNREADABLE[0][1])
    result = CliRunner().invoke(cli, ["plan", str(path), "-i", "8"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"layerplan: {path}:11:12: error LP007 unsupported-code: ")
    assert "Traceback" not in result.output + result.stderr


def test_training_code_that_cannot_be_read_does_not_matter():
    text = TORCH + ("model = nn.Sequential(nn.Linear(4, 2))\n"
                    "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
                    "for epoch in range(10 ** 9):\n    opt.step()\n"
                    "while True:\n    pass\n")
    assert read_model(text, "m.py").data["layers"][0]["units"] == 2


# --------------------------------------------------------------------------------------------- hostile


def _bounded(text, seconds=10.0):
    start = time.monotonic()
    try:
        read_model(text, "hostile.py", input_shape=(4,))
    except SpecReadError as exc:
        result = exc.diagnostic.code
    else:
        result = "read"
    assert time.monotonic() - start < seconds
    return result


@pytest.mark.parametrize(("text", "code"), [
    ("import torch\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n", "LP002"),
    ("import torch\nx = " + "-" * 200_000 + "1\n", "LP004"),
    ("import torch\nx = " + "[" * 90 + "]" * 90 + "\n" * 1, "LP008"),
    ("import torch.nn as nn\nmodel = nn.Sequential(*[nn.ReLU() for _ in range(10 ** 9)])\n", "LP007"),
    ("import torch.nn as nn\nN = 10 ** 10 ** 10\nmodel = nn.Sequential(nn.Linear(4, N))\n", "LP007"),
    ("import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 2))\n" + "y = 1 + 1\n" * 15_000, "read"),
    ("import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 2))\n" + "y = 1 + 1\n" * 20_000, "LP004"),
    ("import torch\n" + "x" * (17 * 1024 * 1024), "LP004"),
    ("import torch.nn as nn\nN = sum(range(10 ** 12))\nmodel = nn.Sequential(nn.Linear(4, N))\n", "LP007"),
    ("import torch.nn as nn\nL = [nn.ReLU()]\n" + "L = L + L\n" * 60 + "model = nn.Sequential(nn.Linear(4, 2))\n",
     "read"),
    ("import torch.nn as nn\na = [1] * 10000\nb = [a] * 10000\nc = [b] * 10000\n"
     "model = nn.Sequential(nn.Linear(4, 4 if c == c else 2))\n", "LP004"),
])
def test_a_hostile_file_gets_an_answer_in_bounded_time(text, code):
    assert _bounded(text) == code


# Each bound of the reader, at the line that crosses it, with the limit in the message; the same model
# one step under the bound is read. (id, file text, code, line, words)
LIMITS = [
    ("sequence length", "import torch.nn as nn\nL = [nn.ReLU(), nn.ReLU()]\n" + "L = L + L\n" * 13
     + "model = nn.Sequential(*L)\n", "LP007", 15, "16,384 elements, over the reader's limit of 10,000"),
    ("number times list", "import torch.nn as nn\nN = len(10 ** 9 * [1])\nmodel = nn.Sequential(nn.Linear(4, N))\n",
     "LP007", 2, "1,000,000,000 elements, over the reader's limit of 10,000"),
    ("builtin over a range",
     "import torch.nn as nn\nN = max(range(10 ** 12))\nmodel = nn.Sequential(nn.Linear(4, N))\n",
     "LP007", 2, "max() over 1,000,000,000,000 numbers is over the reader's limit of 10,000"),
    ("loop length", "import torch.nn as nn\nmodel = nn.Sequential(*[nn.ReLU() for i in range(20000)])\n", "LP007", 2,
     "20,000 steps is too long to unroll (the reader's limit is 10,000)"),
    ("steps", "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
     "        self.fc = nn.Linear(4, 4)\n    def forward(self, x):\n        for i in range(1000):\n"
     "            for j in range(1000):\n                y = i\n        return self.fc(x)\n", "LP004", None,
     "limit of 500,000 steps"),
    ("tokens", "import torch.nn as nn\nx = [" + "1," * 55_000 + "]\n", "LP004", 2, "more than 100,000 tokens"),
    ("characters", "import torch.nn as nn\n#" + "-" * 1024 * 1024 + "\n", "LP004", None,
     "over the 1,048,576 limit"),
]


@pytest.mark.parametrize(("text", "code", "line", "words"), [c[1:] for c in LIMITS], ids=[c[0] for c in LIMITS])
def test_each_limit_is_a_diagnostic_that_names_it(text, code, line, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "model.py", input_shape=(4,))
    d = caught.value.diagnostic
    assert d.code == code and words in d.message, d.message
    if line is not None:
        assert d.line == line


@pytest.mark.parametrize("text", [
    "import torch.nn as nn\nL = [nn.ReLU(), nn.ReLU()]\n" + "L = L + L\n" * 12 + "model = nn.Sequential(*L)\n",
    "import torch.nn as nn\nL = []\nfor i in range(10000):\n    L.append(nn.ReLU())\nmodel = nn.Sequential(*L)\n",
    "import torch.nn as nn\nN = max(range(10000)) - 9995\nmodel = nn.Sequential(nn.Linear(4, N))\n",
], ids=["8192 layers", "10000 appended", "max of 10000"])
def test_just_under_each_limit_the_model_is_read(text):
    assert read_model(text, "model.py", input_shape=(4,)).data["layers"]


def test_the_steps_are_counted_where_values_are_built():
    """A list of 10,000 elements built costs 10,000 steps, whether it is a literal repeated, appended to or
    looked at: the count grows with the elements, not with the statements."""
    from layerplan.planner.model_code.evaluate import Interpreter
    import ast as syntax
    from layerplan.planner.model_code.source import Imports

    def steps(text):
        tree = syntax.parse(text)
        interpreter = Interpreter(tree, Imports.of(tree), "torch")
        interpreter.run(tree.body, interpreter.module, strict=False)
        return interpreter.steps

    small, large = steps("a = [1] * 10\nb = a == a\n"), steps("a = [1] * 10000\nb = a == a\n")
    assert small < 100 and 30_000 <= large < 31_000
_HEAD = "import torch.nn as nn\n"
_MODEL = "model = nn.Sequential(nn.Linear(4, 2))\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    (_HEAD + _MODEL + "y = 1 + 1\n" * 2000, None, r"the model code takes more than the reader's limit of 3,000 steps to follow "
                                                   r"\(statements, expressions and elements"),
    (_HEAD + "x = 0\nfor i in range(100):\n    for j in range(100):\n        x = x + 1\n" + _MODEL, 3,
     r"the model code takes more than the reader's limit of 3,000 steps to follow, [\d,]+ of them unrolling this loop"),
    (_HEAD + "x = 0\n\nlayers = [nn.Linear(4, 4) for _ in range(2000)]\n" + _MODEL, 4,
     r"the model code takes more than the reader's limit of 3,000 steps to follow, [\d,]+ of them unrolling this loop"),
    (_HEAD + "for i in range(2):\n    y = 1\n" + "z = 1 + 1\n" * 2000 + _MODEL, None, r"\(statements, expressions and elements"),
])
def test_the_step_limit_names_a_loop_only_when_one_is_running(monkeypatch, text, line, message):
    from layerplan.planner.model_code import evaluate

    monkeypatch.setattr(evaluate, "MAX_STEPS", 3000)
    with pytest.raises(SpecReadError) as raised:
        read_model(text, "m.py", None, "torch")
    diagnostic = raised.value.diagnostic
    assert diagnostic.code == "LP004" and re.search(message, diagnostic.message), diagnostic.message
    if line is not None:
        assert diagnostic.line == line
    else:
        assert "loop" not in diagnostic.message


# --------------------------------------------------------------------------------------------- never run

SIDE_EFFECTS = [
    "open({marker!r}, 'w').write('ran')",
    "__import__('pathlib').Path({marker!r}).touch()",
    "exec(\"open({marker!r}, 'w')\")",
    "eval(\"open({marker!r}, 'w')\")",
    "import os; os.system('touch ' + {marker!r})",
    "raise SystemExit('never run this file')",
    "while True: pass",
]
PLACES = [
    "{effect}\n{model}",
    "{model}\n{effect}",
    "import torch.nn as nn\nclass Net(nn.Module):\n    {effect}\n    def __init__(self):\n        super().__init__()\n"
    "        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        return self.fc(x)\n",
    "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    "        {effect}\n        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        return self.fc(x)\n",
    "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    "        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        {effect}\n        return self.fc(x)\n",
]
MODEL = "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 2))"


@settings(max_examples=60, deadline=None)
@given(effects=st.lists(st.sampled_from(SIDE_EFFECTS), min_size=1, max_size=3), place=st.sampled_from(PLACES),
       name=st.sampled_from([None, "model", "Net"]))
def test_the_reader_never_runs_the_file(tmp_path_factory, effects, place, name):
    marker = str(tmp_path_factory.mktemp("never") / "marker")
    effect = "; ".join(e.format(marker=marker) for e in effects)
    text = place.format(effect=effect.replace("while True: pass", "pass") if "class" in place else effect,
                        model=MODEL)
    if "while True" in effect and "class" in place:
        text = text.replace("pass", "while True: pass", 1)
    try:
        read_model(text, "model.py", name, input_shape=(4,))
    except SpecReadError:
        pass
    assert not os.path.exists(marker)
