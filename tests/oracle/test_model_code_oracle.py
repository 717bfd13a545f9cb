"""Model files planned statically agree with the framework that runs them.

Each file of tests/model_code/files is imported and run by its real framework in an isolated worker
(tests/oracle/model_code_truth.py; layerplan itself never runs model code), and the output shape,
the parameter count and the output shape of every layer both sides name the same way must equal
layerplan's report of the file.
"""

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "model_code"))
from cases import CASES, FILES, RUNNERS  # noqa: E402
from variable_snippets import PREFIX, SNIPPETS  # noqa: E402

from layerplan.planner import plan_document  # noqa: E402
from layerplan.planner.model_code import read_model  # noqa: E402

pytestmark = pytest.mark.framework

#: keras files whose input the code does not give (a pragma does): the sample is passed to the model
#: (keras 3 ignores keras 2's Embedding(input_length=N), which states the input to layerplan)
#: TensorFlow 1 files whose layers are made inside functions: the module-level tensors are only some of them
BUILT_IN_FUNCTIONS = ("tf1_raw_variables.py", "tf1_raw_tower.py")
SAMPLE_GIVEN = {"keras_subclass.py", "keras_residual_subclass.py", "keras2_review_classifier.py"}
RUNNER_OF = {file: runner for runner, files in RUNNERS.items() for file in files}


def _plan(file, name, shape):
    path = FILES / file
    document = read_model(path.read_text(), str(path), name, input_shape=tuple(shape) if shape else None, path=path)
    return plan_document(document)


def _name_of(file, name, shape):
    """What the truth runner evaluates: the name selected, or the model or tensor the reader chose."""
    if name:
        return name
    path = FILES / file
    return read_model(path.read_text(), str(path), None, input_shape=tuple(shape) if shape else None,
                      path=path).selected


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_model_file_matches_its_framework(case, request, isolated):
    file, name, shape = case[:3]
    report = _plan(file, name, shape)
    assert report.ok, report.diagnostics
    runner = RUNNER_OF[file]
    worker = request.getfixturevalue("torch_worker" if runner == "torch" else "keras_worker")
    path, model = str(FILES / file), _name_of(file, name, shape)
    sample = list(report.input) if isinstance(report.input, tuple) and runner == "torch" or \
        file in SAMPLE_GIVEN else None
    if runner == "torch" and len(report.inputs) > 1:  # forward(self, a, b): one tensor per argument
        sample = {n: list(s) for n, s in report.inputs.items()}
    if runner == "torch":
        truth = isolated(worker, "model_code_truth:torch_truth", path, model, sample)
    elif runner == "keras":
        truth = isolated(worker, "model_code_truth:keras_truth", path, model, sample)
    elif runner == "tf_slim":  # a network function called on a placeholder of the plan's input
        truth = isolated(worker, "model_code_truth:tf_slim_truth", path, model, list(report.input))
    else:
        truth = isolated(worker, "model_code_truth:tf1_truth", path, model)
    assert list(report.output) == truth["output"]  # a shared layer's weights are counted once on both sides
    assert report.total_params == truth["params"]
    if "trainable" in truth:  # frozen layers (requires_grad, trainable) move params out of the trainable ones
        assert report.trainable_params == truth["trainable"]
    planned = {row.name: list(row.output) for row in report.layers if row.output is not None}
    if truth.get("shapes") is not None:
        # keras lists a layer called twice once (with its first call's output): so is its `shares:` call here
        document = read_model((FILES / file).read_text(), str(FILES / file), name)
        calls_again = {layer["name"] for layer in document.data["layers"] if "shares" in layer}
        shapes = sorted(v for k, v in planned.items() if k not in calls_again)
        if file in BUILT_IN_FUNCTIONS:  # the file's own tensors are some of the layers: each one is planned
            assert not Counter(map(tuple, truth["shapes"])) - Counter(map(tuple, shapes)), (shapes, truth["shapes"])
        else:
            assert shapes == truth["shapes"]
    compared = sorted(set(planned) & set(truth["layers"]))
    # a file that names two networks alike (a tutorial's second model) is compared by the shapes above
    assert compared or not truth["layers"] or truth.get("shapes") is not None, "no layer named alike on both sides"
    for layer in compared:
        assert planned[layer] == truth["layers"][layer], layer


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[c[0] for c in SNIPPETS])
def test_tensorflow_computes_what_a_variable_snippet_plans_to(snippet, tmp_path, keras_worker, isolated):
    code, output, params = snippet[1:4]
    path = tmp_path / "snippet.py"
    path.write_text(PREFIX + code)
    truth = isolated(keras_worker, "model_code_truth:tf1_truth", str(path), "y")
    assert (truth["output"], truth["params"]) == (output, params)
