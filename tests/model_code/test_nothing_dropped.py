"""Nothing the reader cannot follow is dropped silently: a container of the model changed by code it
cannot read is an error; code outside the model is skipped with one note per kind; an unread statement
that may be a part of the model keeps the automatic choice off the tensors it reads and, last in the
file, says where reading stopped (LP321); branches on the framework's configuration read as a fresh CPU
install; tf.image resizes are resizing layers."""

import pytest
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model

KERAS = "import sys\nimport keras\nfrom keras.layers import Dense\nn = int(sys.argv[1])\n"
TORCH = "import json\nimport torch\nimport torch.nn as nn\ncfg = json.load(open('c.json'))\n"
TF1 = ("import tensorflow as tf\nx = tf.placeholder(tf.float32, (None, 28, 28, 1))\n"
       "encoded = tf.layers.max_pooling2d(tf.layers.conv2d(x, 8, 3, padding='same'), 2, 2)\n")

# (id, file text, line, column, words): a module-level change of a model's container with a value the
# reader cannot read is an error at the change, naming the container and the cause
CONTAINER_CHANGES = [
    ("keras model.add", KERAS + "model = keras.Sequential()\nmodel.add(Dense(8, input_shape=(4,)))\n"
                                "model.add(Dense(n))\n", 7, 1, "changes 'model'"),
    ("keras model.add after an unread branch",
     "import keras\nfrom keras import backend as K\nfrom keras.layers import Dense\n"
     "if K.floatx() == 'float16':\n    shape = (8,)\nelse:\n    shape = (4,)\n"
     "model = keras.Sequential()\nmodel.add(Dense(8, input_shape=shape))\nmodel.add(Dense(2))\n",
     9, 1, "line 4: K.floatx() is not read"),
    ("torch list append", TORCH + "layers = []\nlayers.append(nn.Linear(4, cfg['width']))\n"
                                  "model = nn.Sequential(*layers)\n", 6, 1, "changes 'layers'"),
    ("torch list +=", TORCH + "layers = [nn.Linear(4, 8)]\nlayers += [nn.Linear(8, cfg['width'])]\n"
                              "model = nn.Sequential(*layers)\n", 6, 1, "changes 'layers'"),
    ("torch add_module", TORCH + "model = nn.Sequential(nn.Linear(4, 8))\n"
                                 "model.add_module('head', nn.Linear(8, cfg['classes']))\n", 6, 1, "changes 'model'"),
    ("torch insert", TORCH + "model = nn.Sequential(nn.Linear(4, 8))\nmodel.insert(0, nn.Linear(4, 4))\n",
     6, 1, ".insert() is not read"),
    ("torch extend of a list", TORCH + "layers = [nn.Linear(4, 8)]\nlayers.extend(make_head(8))\n"
                                       "model = nn.Sequential(*layers)\n", 6, 1, "make_head"),
    ("keras pop", KERAS + "model = keras.Sequential([Dense(8, input_shape=(4,)), Dense(2)])\nmodel.pop()\n",
     6, 1, ".pop() is not read"),
    ("a loop over an unread range", KERAS + "model = keras.Sequential([Dense(8, input_shape=(4,))])\n"
                                            "for _ in range(n):\n    model.add(Dense(8))\n", 7, 5, "changes 'model'"),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), [c[1:] for c in CONTAINER_CHANGES],
                         ids=[c[0] for c in CONTAINER_CHANGES])
def test_a_container_change_the_reader_cannot_follow_is_an_error(text, line, column, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "m.py")
    d = caught.value.diagnostic
    assert (d.code, d.line, d.column) == ("LP007", line, column), d.message
    assert words in d.message and "planned short" in d.message


def test_a_plain_list_that_misses_an_element_fails_where_the_model_uses_it():
    text = TORCH + "sizes = []\nsizes.append(cfg['width'])\nmodel = nn.Sequential(nn.Linear(4, sizes[0]))\n"
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "m.py", input_shape=(4,))
    assert (caught.value.diagnostic.line, caught.value.diagnostic.code) == (4, "LP007")


# (id, file text, the tensor the reader may not pick, line and column of the error): a tensor that unread
# code reads is not chosen as the output without a name
UNREAD_CONSUMERS = [
    ("tf1 decoder op not read", TF1 + "up = tf.image.crop_to_bounding_box(encoded, 0, 0, 7, 7)\n"
                                      "decoded = tf.layers.conv2d(up, 1, 3, padding='same')\n", 4, 6),
    ("tf1 layer with an unread size", TF1 + "import sys\nk = int(sys.argv[1])\n"
                                            "decoded = tf.layers.conv2d(encoded, k, 3)\n", 5, 9),
    ("keras functional head not read", "import keras\nfrom mylib import head\ninputs = keras.Input((4,))\n"
                                       "x = keras.layers.Dense(8)(inputs)\nout = head(x)\n", 5, 7),
]


@pytest.mark.parametrize(("text", "line", "column"), [c[1:] for c in UNREAD_CONSUMERS],
                         ids=[c[0] for c in UNREAD_CONSUMERS])
def test_the_automatic_choice_never_picks_a_tensor_unread_code_reads(text, line, column):
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "m.py")
    d = caught.value.diagnostic
    assert (d.code, d.line, d.column) == ("LP007", line, column), d.message


def test_a_tensor_read_only_by_a_loss_is_still_chosen_and_the_loss_is_noted():
    text = TF1 + "y = tf.placeholder(tf.float32, (None, 14, 14, 8))\n" \
                 "loss = tf.reduce_mean(tf.losses.mean_squared_error(y, encoded))\n" \
                 "opt = tf.train.AdamOptimizer(0.1).minimize(loss)\n"
    document = read_model(text, "m.py")
    assert document.data["name"] == "m"  # the file's model, not its output's variable
    assert document.data["layers"][-1]["name"].startswith("encoded")
    assert [(d.code, d.line) for d in document.reader_notes] == [("LP320", 5), ("LP320", 6)]


# (id, file text, the model found, line of LP321): the last statement that may be a part of the model is
# not read: the model found is planned, with a warning where the reader stopped
STOPPED = [
    ("torch container wrapped by a library", "import torch.nn as nn\nfrom mylib import attach_head\n"
                                            "base = nn.Sequential(nn.Linear(4, 8))\nmodel = attach_head(base)\n",
     "base", 4),
    ("keras model extended by a library", "import keras\nfrom mylib import extend\n"
                                         "model = keras.Sequential([keras.layers.Dense(8, input_shape=(4,))])\n"
                                         "bigger = extend(model, 3)\n", "model", 4),
]


@pytest.mark.parametrize(("text", "model", "line"), [c[1:] for c in STOPPED], ids=[c[0] for c in STOPPED])
def test_where_the_reader_stopped_is_a_warning_without_a_name(text, model, line):
    document = read_model(text, "m.py", input_shape=(4,))
    assert document.data["name"] == model
    (warning,) = [d for d in document.reader_notes if d.code == "LP321"]
    assert warning.line == line and f"m.py::{model}" in warning.message
    assert not [d for d in read_model(text, "m.py", model, input_shape=(4,)).reader_notes if d.code == "LP321"]


def test_later_code_that_uses_the_model_means_reading_did_not_stop():
    text = STOPPED[0][1] + "print(base)\n"
    assert not [d for d in read_model(text, "m.py", input_shape=(4,)).reader_notes if d.code == "LP321"]


def test_reader_stopped_fails_check_and_plan_strict_but_not_plan(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("# layerplan: input 4\n" + STOPPED[0][1])
    runner = CliRunner()
    statuses = [runner.invoke(cli, args, catch_exceptions=False).exit_code for args in
                (["plan", str(path)], ["plan", str(path), "--strict"], ["check", str(path)],
                 ["check", f"{path}::base"])]
    assert statuses == [0, 1, 1, 0]


# (id, file text, kinds noted in order): code outside the model is skipped with one note per kind
OUTSIDE = [
    ("torch training", "import torch\nimport torch.nn as nn\nfrom torchvision import datasets\n"
                       "model = nn.Sequential(nn.Linear(4, 2))\ndata = datasets.MNIST('.')\n"
                       "criterion = nn.CrossEntropyLoss()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
                       "for x, y in data:\n    loss = criterion(model(x), y)\n    loss.backward()\n    opt.step()\n"
                       "out = model(torch.randn(1, 4))\n",
     ["data loading", "a loss", "an optimizer", "training", "a sample input"]),
    ("keras training", "import keras\nimport matplotlib.pyplot as plt\n"
                       "(x, y), _ = keras.datasets.mnist.load_data()\n"
                       "model = keras.Sequential([keras.layers.Dense(2, input_shape=(4,))])\n"
                       "model.compile(optimizer=keras.optimizers.Adam(), loss='mse')\n"
                       "history = model.fit(x, y)\nplt.plot(history.history['loss'])\n",
     ["data loading", "training", "plotting"]),
]


@pytest.mark.parametrize(("text", "kinds"), [c[1:] for c in OUTSIDE], ids=[c[0] for c in OUTSIDE])
def test_code_outside_the_model_is_skipped_with_one_note_per_kind(text, kinds):
    document = read_model(text, "m.py", input_shape=(4,))
    notes = [d for d in document.reader_notes if d.code == "LP320"]
    assert [next(k for k in kinds if f"{k} cannot" in d.message) for d in notes] == kinds
    assert all(d.severity.value == "info" for d in notes)
    assert plan_document(document).ok


# (id, file text, the branch taken, the setting noted)
SETTINGS = [
    ("keras image_data_format", "import keras\nfrom keras import backend as K\n"
                                "if K.image_data_format() == 'channels_first':\n    shape = (1, 28, 28)\n"
                                "else:\n    shape = (28, 28, 1)\n"
                                "model = keras.Sequential([keras.layers.Conv2D(4, 3, input_shape=shape)])\n",
     [26, 26, 4], "'channels_last'"),
    ("keras.backend spelled out", "import keras\n"
                                  "shape = (1, 8) if keras.backend.image_data_format() == 'channels_first' else (8, 1)\n"
                                  "model = keras.Sequential([keras.layers.Conv1D(4, 3, input_shape=shape)])\n",
     [6, 4], "'channels_last'"),
    ("torch cuda", "import torch\nimport torch.nn as nn\n# layerplan: input 4\n"
                   "width = 16 if torch.cuda.is_available() else 8\nmodel = nn.Sequential(nn.Linear(4, width))\n",
     [8], "False"),
    ("tensor on cuda", "import torch.nn as nn\n# layerplan: input 4\nclass Net(nn.Module):\n"
                       "    def __init__(self, ngpu=2):\n        super().__init__()\n        self.ngpu = ngpu\n"
                       "        self.main = nn.Sequential(nn.Linear(4, 3))\n"
                       "    def forward(self, input):\n        if input.is_cuda and self.ngpu > 1:\n"
                       "            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))\n"
                       "        else:\n            output = self.main(input)\n        return output\n",
     [3], "False"),
    ("tf gpu", "import tensorflow as tf\nunits = 64 if tf.test.is_gpu_available() else 32\n"
               "model = tf.keras.Sequential([tf.keras.layers.Dense(units, input_shape=(4,))])\n", [32], "False"),
]


@pytest.mark.parametrize(("text", "output", "value"), [c[1:] for c in SETTINGS], ids=[c[0] for c in SETTINGS])
def test_a_branch_on_the_framework_configuration_reads_as_a_fresh_cpu_install(text, output, value):
    document = read_model(text, "m.py")
    assert list(plan_document(document).output) == output
    (note,) = [d for d in document.reader_notes if d.code == "LP322"]
    assert f"is taken as {value}" in note.message and note.severity.value == "info"


def test_a_setting_tested_twice_is_noted_once():
    text = SETTINGS[0][1] + "if K.image_data_format() == 'channels_last':\n    model.add(keras.layers.Flatten())\n"
    document = read_model(text, "m.py")
    assert [d.code for d in document.reader_notes].count("LP322") == 1
    assert list(plan_document(document).output) == [26 * 26 * 4]


# (id, the call, output, interpolation): tf.image resizing functions are resizing layers without params
RESIZES = [
    ("nearest neighbor", "tf.image.resize_nearest_neighbor(x, (7, 7))", [7, 7, 3], "nearest"),
    ("bilinear", "tf.image.resize_bilinear(x, [20, 10], align_corners=True)", [20, 10, 3], "bilinear"),
    ("bicubic", "tf.image.resize_bicubic(x, (5, 6))", [5, 6, 3], "bicubic"),
    ("area", "tf.image.resize_area(x, (8, 8))", [8, 8, 3], "area"),
    ("resize default", "tf.image.resize(x, (32, 32))", [32, 32, 3], "bilinear"),
    ("resize method string", "tf.image.resize(x, size=(9, 9), method='nearest', antialias=True)", [9, 9, 3],
     "nearest"),
    ("resize ResizeMethod", "tf.image.resize(x, (4, 4), tf.image.ResizeMethod.BICUBIC)", [4, 4, 3], "bicubic"),
    ("resize_images TF1 number", "tf.image.resize_images(x, (30, 30), method=1)", [30, 30, 3], "nearest"),
    ("compat.v1", "tf.compat.v1.image.resize_images(x, (12, 12), tf.compat.v1.image.ResizeMethod.AREA)",
     [12, 12, 3], "area"),
]


@pytest.mark.parametrize(("call", "output", "interpolation"), [c[1:] for c in RESIZES], ids=[c[0] for c in RESIZES])
def test_tf_image_resizing_is_a_resizing_layer(call, output, interpolation):
    text = f"import tensorflow as tf\nx = tf.placeholder(tf.float32, (None, 14, 14, 3))\ny = {call}\n"
    document = read_model(text, "m.py")
    (layer,) = document.data["layers"]
    assert (layer["type"], layer["interpolation"]) == ("resizing", interpolation)
    report = plan_document(document)
    assert (list(report.output), report.total_params) == (output, 0)
    assert document.locate("/layers/0") == (3, 5)


@pytest.mark.parametrize(("call", "words"), [
    ("tf.image.resize(x, tf.shape(x)[1:3] * 2)", "a slice of tf.shape() is a tensor"),
    ("tf.image.resize(x, (7, 7), preserve_aspect_ratio=True)", "preserve_aspect_ratio"),
    ("tf.image.resize(x, (7, 7), method='gaussian')", "no keras Resizing interpolation"),
])
def test_a_resize_the_reader_cannot_size_is_refused(call, words):
    text = f"import tensorflow as tf\nx = tf.placeholder(tf.float32, (None, 14, 14, 3))\ny = {call}\n"
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "m.py", "y")
    assert words in caught.value.diagnostic.message
