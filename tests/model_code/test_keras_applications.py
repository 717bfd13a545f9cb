"""What the keras applications (keras/src/applications) need from the reader, as rules of its own:
imports of modules of the file's own package, framework-configuration queries, layers whose options
depend on the input's rank."""

from pathlib import Path

import pytest

from cases import FILES
from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model


def plan_path(path, name, shape=None):
    document = read_model(path.read_text(), str(path), name, input_shape=shape, path=path)
    report = plan_document(document)
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    return report


# (id, files of the tree, the model file, NAME, output, params): every import names a module of the
# model file's own package (keras' numbers: the same files run with keras 3.15.1)
OWN_PACKAGE = [
    ("from the package import a module", {
        "pkg/__init__.py": "", "pkg/sizes.py": "WIDTH = 6\n",
        "pkg/net.py": "from keras import layers, Model\nfrom pkg import sizes\n"
                      "def build():\n    x = layers.Input(shape=(4,))\n    return Model(x, layers.Dense(sizes.WIDTH)(x))\n"},
     "pkg/net.py", "build", [6], 30),
    ("from the package import a name of its __init__", {
        "pkg/__init__.py": "WIDTH = 3\n",
        "pkg/net.py": "from keras import layers, Model\nfrom pkg import WIDTH\n"
                      "def build():\n    x = layers.Input(shape=(4,))\n    return Model(x, layers.Dense(WIDTH)(x))\n"},
     "pkg/net.py", "build", [3], 15),
    ("from a package two levels down, its own package", {
        "top/__init__.py": "", "top/apps/__init__.py": "", "top/apps/sizes.py": "WIDTH = 2\n",
        "top/apps/net.py": "from keras import layers, Model\nfrom top.apps import sizes\n"
                           "def build():\n    x = layers.Input(shape=(4,))\n    return Model(x, layers.Dense(sizes.WIDTH)(x))\n"},
     "top/apps/net.py", "build", [2], 10),
]


@pytest.mark.parametrize(("files", "main", "name", "output", "params"), [c[1:] for c in OWN_PACKAGE],
                         ids=[c[0] for c in OWN_PACKAGE])
def test_an_absolute_import_of_the_files_own_package_is_read(tmp_path, files, main, name, output, params):
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    report = plan_path(tmp_path / main, name)
    assert list(report.output) == output and report.total_params == params


@pytest.mark.parametrize(("package", "module", "main"), [
    ("keras", "keras.src", "keras/src/apps/net.py"),   # keras' `from keras.src import layers` in its applications
    ("tf_slim", "tf_slim.ops", "tf_slim/nets/net.py"),  # tf-slim's nets import its ops
], ids=["keras", "tf_slim"])
def test_the_rest_of_a_framework_package_stays_the_framework(tmp_path, package, module, main):
    # only the file's own package is read from the tree: the framework's other modules mean what the reader
    # knows them as (keras' layers; tf-slim, refused by name), not their source
    files = {f"{module.replace('.', '/')}/sizes.py": "WIDTH = 2\n",
             main: f"from keras import layers, Model\nfrom {module} import sizes\nx = layers.Input(shape=(4,))\n"
                   "model = Model(x, layers.Dense(sizes.WIDTH)(x))\n"}
    folders = {str(Path(f).parent) for f in files} | {module.replace(".", "/"), package}
    for folder in folders:
        while folder not in ("", "."):
            files.setdefault(f"{folder}/__init__.py", "")
            folder = str(Path(folder).parent)
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    with pytest.raises(SpecReadError) as caught:
        plan_path(tmp_path / main, "model")
    assert caught.value.diagnostic.line == 4 and "not a value the reader can compute" in caught.value.diagnostic.message


# (id, files of the tree, the model file): any module of the file's top-level package is read when that package
# is not a framework's (torchvision's `from torchvision.ops.misc import ...` in torchvision/models/maxvit.py)
SAME_TOP_PACKAGE = [
    ("the top-level package itself", {"top/__init__.py": "", "top/sizes.py": "WIDTH = 2\n", "top/apps/__init__.py": "",
                                      "top/apps/net.py": "from keras import layers, Model\nfrom top import sizes\n"}),
    ("a module of a sibling subpackage", {"top/__init__.py": "", "top/ops/__init__.py": "", "top/ops/sizes.py": "WIDTH = 2\n",
                                          "top/apps/__init__.py": "",
                                          "top/apps/net.py": "from keras import layers, Model\nimport top.ops.sizes as sizes\n"}),
    ("a name a sibling subpackage re-exports", {
        "top/__init__.py": "", "top/ops/__init__.py": "from .sizes import WIDTH\n", "top/ops/sizes.py": "WIDTH = 2\n",
        "top/apps/__init__.py": "",
        "top/apps/net.py": "from keras import layers, Model\nfrom top.ops import WIDTH\nclass sizes:\n    WIDTH = WIDTH\n"}),
]


@pytest.mark.parametrize("files", [c[1] for c in SAME_TOP_PACKAGE], ids=[c[0] for c in SAME_TOP_PACKAGE])
def test_a_module_of_the_same_top_level_package_is_read(tmp_path, files):
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text + ("x = layers.Input(shape=(4,))\nmodel = Model(x, layers.Dense(sizes.WIDTH)(x))\n"
                                                 if relative.endswith("net.py") else ""))
    report = plan_path(tmp_path / "top/apps/net.py", "model")
    assert list(report.output) == [2] and report.total_params == 10


def test_the_package_in_the_files_folder_plans_as_keras_builds_it():
    # tests/model_code/files/keras_package: keras 3.15.1 builds (None, 10) and 314 params
    report = plan_path(FILES / "keras_package" / "net.py", "build")
    assert list(report.output) == [10] and report.total_params == 314


def keras_model(body: str, shape: tuple) -> str:
    return (f"from keras import layers, Model\nx = layers.Input(shape={shape!r})\n" + body
            + "model = Model(x, y)\n")


# (id, model text, output, params): `axis=K` as a positive number is the last axis when K is the sample's rank
# (keras 3.15.1 builds these with the same numbers)
LAST_AXIS = [
    ("BatchNormalization(axis=3) on images", keras_model(
        "y = layers.Conv2D(8, 3)(x)\ny = layers.BatchNormalization(axis=3)(y)\n", (10, 10, 3)), [8, 8, 8], 256),
    ("the axis from a branch on the data format", keras_model(
        "from keras import backend\nbn_axis = 3 if backend.image_data_format() == 'channels_last' else 1\n"
        "y = layers.BatchNormalization(axis=bn_axis)(x)\n", (10, 10, 3)), [10, 10, 3], 12),
    ("LayerNormalization(axis=2) on a sequence", keras_model(
        "y = layers.LayerNormalization(axis=2)(x)\n", (5, 6)), [5, 6], 12),
]


@pytest.mark.parametrize(("text", "output", "params"), [c[1:] for c in LAST_AXIS], ids=[c[0] for c in LAST_AXIS])
def test_a_positive_axis_that_is_the_last_is_read(text, output, params):
    report = plan_document(read_model(text, "net.py", "model"))
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == output and report.total_params == params


@pytest.mark.parametrize("text", [
    keras_model("y = layers.BatchNormalization(axis=1)(x)\n", (10, 10, 3)),
    keras_model("y = layers.BatchNormalization(axis=3)(x)\n", (10, 3)),
], ids=["a channels-first axis", "an axis past the input"])
def test_a_positive_axis_that_is_not_the_last_is_refused(text):
    with pytest.raises(SpecReadError) as caught:
        report = plan_document(read_model(text, "net.py", "model"))
        raise SpecReadError([d for d in report.diagnostics if d.is_error][0])
    message = caught.value.diagnostic.message
    assert "is not planned by layerplan" in message and "axis=" in message and caught.value.diagnostic.line == 3


def builder(body: str, head: str = "") -> str:
    """A keras builder function `build()` with the given lines between its input (4 features) and its model."""
    return ("import keras\nfrom keras import layers, Model, backend, activations\n" + head
            + "def build():\n    x = layers.Input(shape=(4,))\n" + body + "    return model\n")


# (id, model text, output, params, an info line's words): keras' own helpers computed as keras computes them
KERAS_HELPERS = [
    ("backend.backend() is tensorflow", builder(
        "    width = 3 if backend.backend() == 'tensorflow' else 7\n    model = Model(x, layers.Dense(width)(x))\n"),
     [3], 15, "is taken as 'tensorflow'"),
    ("activations.get: an alias is the function it names", builder(
        "    same = activations.get('swish') == activations.get('silu')\n"
        "    width = 2 if same and activations.get(None) == 'linear' else 9\n"
        "    model = Model(x, layers.Dense(width, activation=activations.get('relu'))(x))\n"), [2], 10, None),
    ("activations.get in a check of the classifier", builder(
        "    act = 'softmax'\n    if activations.get(act) not in {activations.get('softmax'), activations.get(None)}:\n"
        "        raise ValueError(act)\n    model = Model(x, layers.Dense(5, activation=act)(x))\n"), [5], 25, None),
    ("Functional(inputs, outputs) is a keras Model", builder(
        "    model = Functional(x, layers.Dense(6)(x), name='net')\n", "from keras.src.models import Functional\n"),
     [6], 30, None),
    ("weights downloaded and loaded", builder(
        "    model = Model(x, layers.Dense(3)(x))\n    path = keras.utils.get_file('w.h5', 'https://example.org/w.h5')\n"
        "    model.load_weights(path)\n"), [3], 15, "weight loading cannot change"),
]


@pytest.mark.parametrize(("text", "output", "params", "words"), [c[1:] for c in KERAS_HELPERS],
                         ids=[c[0] for c in KERAS_HELPERS])
def test_keras_helpers_are_computed(text, output, params, words):
    document = read_model(text, "net.py", "build")
    report = plan_document(document)
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == output and report.total_params == params
    if words:
        assert any(words in d.message for d in document.reader_notes), document.reader_notes


# (id, model text, words of the error): what the helpers do not give is an error where the model uses it
KERAS_HELPERS_REFUSED = [
    ("an activation keras does not have", builder(
        "    model = Model(x, layers.Dense(3, activation=activations.get('nosuch'))(x))\n"), "no activation named"),
    ("a downloaded path read as a size", builder(
        "    path = keras.utils.get_file('w.h5', 'https://example.org/w.h5')\n"
        "    model = Model(x, layers.Dense(len(path))(x))\n"), "'path' is assigned in weight loading"),
    ("load_weights of a class of the file is its own method, read", builder(
        "    model = Grown()\n    model.load_weights('w.h5')\n",
        "import json\nclass Grown(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = layers.Dense(3)\n    def load_weights(self, path):\n        self.size = json.load(open(path))\n"
        "    def call(self, x):\n        return self.fc(x)\n"), "open() is not read"),
]


@pytest.mark.parametrize(("text", "words"), [c[1:] for c in KERAS_HELPERS_REFUSED],
                         ids=[c[0] for c in KERAS_HELPERS_REFUSED])
def test_what_keras_helpers_do_not_give_is_an_error(text, words):
    with pytest.raises(SpecReadError) as caught:
        report = plan_document(read_model(text, "net.py", "build"))
        raise SpecReadError([d for d in report.diagnostics if d.is_error][0])
    assert words in caught.value.diagnostic.message, caught.value.diagnostic.message


@pytest.mark.parametrize(("call", "kind"), [
    ("layers.ReLU(6.0)", "relu6"), ("layers.ReLU(max_value=6)", "relu6"), ("layers.ReLU()", "relu"),
])
def test_keras_relu_with_a_maximum_of_six_is_relu6(call, kind):
    document = read_model(keras_model(f"y = {call}(x)\n", (5, 5, 2)), "net.py", "model")
    report = plan_document(document)
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert [layer["type"] for layer in document.data["layers"]] == [kind]
    assert list(report.output) == [5, 5, 2] and report.total_params == 0


@pytest.mark.parametrize("call", ["layers.ReLU(4.0)", "layers.ReLU(6.0, threshold=1.0)"])
def test_keras_relu_with_another_maximum_or_threshold_is_refused(call):
    with pytest.raises(SpecReadError) as caught:
        report = plan_document(read_model(keras_model(f"y = {call}(x)\n", (5, 5, 2)), "net.py", "model"))
        raise SpecReadError([d for d in report.diagnostics if d.is_error][0])
    assert "is not planned by layerplan" in caught.value.diagnostic.message


UNSTATED = ("from keras import layers, Model\n"
            "def build():\n    x = layers.Input(shape=(None, None, 3))\n"
            "    y = layers.Conv2D(x.shape[-1] * 2, 3)(x)\n    return Model(x, layers.Dense(4)(y))\n")


@pytest.mark.parametrize(("shape", "output", "params"), [((8, 8, 3), [6, 6, 4], 196), ((10, 12, 3), [8, 10, 4], 196)])
def test_an_input_the_code_leaves_unsized_takes_the_plans_shape_while_read(shape, output, params):
    # keras 3.15.1 builds the same numbers with Input(shape=(None, None, 3)) (and with each shape)
    report = plan_document(read_model(UNSTATED, "net.py", "build", input_shape=shape))
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == output and report.total_params == params


def test_an_input_the_code_leaves_unsized_needs_a_shape():
    with pytest.raises(SpecReadError) as caught:
        read_model(UNSTATED, "net.py", "build")
    assert "plan with -i SHAPE" in caught.value.diagnostic.message


@pytest.mark.parametrize(("options", "params", "non_trainable"), [
    ("scale=False", 222 + 18, 12), ("center=False, scale=False", 222 + 12, 12), ("", 222 + 24, 12),
])
def test_keras_batch_normalization_without_center_or_scale_is_read(options, params, non_trainable):
    # keras 3.15.1: Conv2D(6, 3) on 8x8x4 then BatchNormalization(...) counts these (tests/oracle/test_keras_oracle.py)
    text = keras_model(f"y = layers.Conv2D(6, 3)(x)\ny = layers.BatchNormalization(axis=3, {options})(y)\n", (8, 8, 4))
    report = plan_document(read_model(text, "net.py", "model"))
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert report.total_params == params and report.total_params - report.trainable_params == non_trainable


def test_keras_batch_normalization_without_scale_has_no_torch_port():
    from layerplan.planner.kinds.porting import port_batch_norm
    from layerplan.planner.plan import plan_only

    row = plan_only({"framework": "keras", "input": [4, 4, 8], "layers": [{"batch_norm": {"scale": False}}]}).layers[0]
    assert "no torch form" in port_batch_norm([row], "keras", "torch", lambda changes: True).why


SCALED_SUM = ("from keras.src import layers\nfrom keras.src.layers.layer import Layer\n"
              "from keras.src.models.functional import Functional\n"
              "class ScaledSum(Layer):\n    def __init__(self, scale, **kwargs):\n        super().__init__(**kwargs)\n"
              "        self.scale = scale\n    def call(self, inputs):\n        return inputs[0] + inputs[1] * self.scale\n"
              "def build():\n    x = layers.Input(shape=(6, 6, 4))\n    y = layers.Conv2D(4, 1)(x)\n"
              "    return Functional(x, ScaledSum(0.2)([x, y]))\n")


def test_keras_classes_imported_from_the_module_that_defines_them():
    # keras' own files import Layer and Functional from where keras defines them (keras 3.15.1: 20 params)
    report = plan_document(read_model(SCALED_SUM, "net.py", "build"))
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == [6, 6, 4] and report.total_params == 20
