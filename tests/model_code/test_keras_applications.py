"""What the keras applications (keras/src/applications) need from the reader, as rules of its own:
imports of modules of the file's own package, framework-configuration queries, layers whose options
depend on the input's rank."""

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


def test_a_package_above_the_files_own_stays_a_library(tmp_path):
    # `from top import layers` in top/apps/net.py is not read from top/ (keras' `from keras.src import layers`)
    for relative, text in {"top/__init__.py": "", "top/sizes.py": "WIDTH = 2\n", "top/apps/__init__.py": "",
                           "top/apps/net.py": "from keras import layers, Model\nfrom top import sizes\n"
                                              "x = layers.Input(shape=(4,))\n"
                                              "model = Model(x, layers.Dense(sizes.WIDTH)(x))\n"}.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    path = tmp_path / "top/apps/net.py"
    with pytest.raises(SpecReadError) as caught:
        plan_path(path, "model")
    assert caught.value.diagnostic.line == 4 and "not a value the reader can compute" in caught.value.diagnostic.message


def test_the_package_in_the_files_folder_plans_as_keras_builds_it():
    # tests/model_code/files/keras_package: keras 3.15.1 builds (None, 10) and 314 params
    report = plan_path(FILES / "keras_package" / "net.py", "build")
    assert list(report.output) == [10] and report.total_params == 314
