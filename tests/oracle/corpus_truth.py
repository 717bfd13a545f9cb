"""The truth for the measurement corpus (tests/model_code/corpus): each file run by its real framework.

layerplan never runs model code; this module, on the reference side, does, in a worker process
(isolation.py). A corpus entry's `truth_recipe` says how a person would build its model:

- `load`: "module" imports the file as a module (`module`: its dotted name, importable from `root`,
  so that a package's relative imports work), "script" executes the file's top-level statements one
  by one in a scratch folder, skipping loops, the `if __name__ == "__main__":` block and any
  statement that fails (data loading without a network, training on undefined data);
- `object`: the name in the module that the plan command selects: a class is instantiated, a function
  called (with `kwargs` where the recipe gives them, and with the input tensor where `tensor_argument`
  says so, as TensorFlow 1 network functions take it), a model or a tensor is taken as it is;
- `input`: one sample's shape (the plan command's `-i`); `None` for a TensorFlow 1 tensor whose
  placeholder the file makes. `stand_in_data` (keras): dataset modules whose `load_data()` gives zero
  samples of the published shapes instead of downloading, for scripts that read shapes from the data.
  `estimator_stand_in` (TensorFlow 1): a `tf.estimator` with TensorFlow 1's ModeKeys whose
  EstimatorSpec gives its predictions (a model function's outputs, one per prediction).
  A TensorFlow 1 function is called with a placeholder of that shape, or
  with `{input_key: placeholder}` when it reads its input from a dict of features (`x_dict['images']`).

Each result: the output shapes (one per output tensor, a dict's in its key order), and the total,
trainable and non-trainable parameter counts as the framework counts them (torch: `parameters()`,
buffers excluded; keras: `count_params()`, its `trainable_weights` / `non_trainable_weights`;
TensorFlow 1: the graph's trainable variables, and the other model variables, such as batch
normalisation's moving statistics).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import os
import sys
import tempfile
import types

BATCH = 1


@contextlib.contextmanager
def _importable(root: str):
    sys.path.insert(0, root)
    try:
        yield
    finally:
        sys.path.remove(root)


@contextlib.contextmanager
def _scratch(path: str):
    """A scratch working folder and a command line of the file alone (scripts parse sys.argv)."""
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        sys.argv = [path]
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(saved_cwd)
            sys.argv = saved_argv


def _is_main_block(statement) -> bool:
    return (isinstance(statement, ast.If) and isinstance(statement.test, ast.Compare)
            and isinstance(statement.test.left, ast.Name) and statement.test.left.id == "__name__")


def run_script(path: str, namespace: dict) -> dict:
    """Execute a script's top-level statements one at a time (loops and the main block skipped, a
    failing statement skipped)."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    namespace.setdefault("__name__", "corpus_script")
    namespace.setdefault("__file__", path)
    with _scratch(path):
        for statement in tree.body:
            if isinstance(statement, (ast.For, ast.While, ast.AsyncFor)) or _is_main_block(statement):
                continue
            try:
                exec(compile(ast.Module(body=[statement], type_ignores=[]), path, "exec"), namespace)  # noqa: S102
            except (Exception, SystemExit):  # noqa: BLE001 - data loading and training need what is not here
                continue
    return namespace


def _torchvision_without_its_init(root: str) -> None:
    """torchvision's package, its __init__.py not run: it registers the compiled operators (nms...)
    that the published wheel cannot load into a CPU build of torch, and no model file uses them."""
    if "torchvision" not in sys.modules:
        package = types.ModuleType("torchvision")
        package.__path__ = [os.path.join(root, "torchvision")]
        sys.modules["torchvision"] = package


def _forget_other_roots(module: str, root: str) -> None:
    """Forget a package of the same name imported from another root (two repositories' `models`
    packages), so that the module is imported from this one."""
    top = module.split(".")[0]
    inside = os.path.realpath(root) + os.sep
    for name in [name for name in sys.modules if name == top or name.startswith(top + ".")]:
        loaded = sys.modules[name]
        places = [getattr(loaded, "__file__", None), *list(getattr(loaded, "__path__", None) or [])]
        if not any(os.path.realpath(place).startswith(inside) for place in places if place):
            del sys.modules[name]


def _namespace(recipe: dict, root: str, path: str) -> dict:
    if recipe["load"] == "module":
        if recipe["module"].startswith("torchvision."):
            _torchvision_without_its_init(root)
        else:
            _forget_other_roots(recipe["module"], root)
        with _importable(root), _scratch(path):
            return vars(importlib.import_module(recipe["module"]))
    with _importable(os.path.dirname(path)):
        return run_script(path, {})


def _shapes(output) -> list[list[int]]:
    if hasattr(output, "shape"):
        return [[int(size) for size in output.shape[1:]]]
    if isinstance(output, dict):
        return [shape for value in output.values() for shape in _shapes(value)]
    return [shape for value in output for shape in _shapes(value)]


def torch_truth(recipe: dict, root: str, path: str) -> dict:
    import torch

    obj = _namespace(recipe, root, path)[recipe["object"]]
    model = obj if isinstance(obj, torch.nn.Module) else obj(**recipe.get("kwargs", {}))
    model.eval()
    params = list(model.parameters())
    trainable = sum(p.numel() for p in params if p.requires_grad)
    total = sum(p.numel() for p in params)
    outputs = None
    if recipe.get("run", True):
        dtype = torch.long if recipe.get("token_ids") else torch.float32
        with torch.no_grad():
            outputs = _shapes(model(torch.zeros(BATCH, *recipe["input"], dtype=dtype)))
    return {"outputs": outputs, "params": total, "trainable": trainable, "non_trainable": total - trainable}


@contextlib.contextmanager
def _stand_in_datasets(stand_ins: dict):
    """Each named dataset module's `load_data()` gives two zero samples of the published shapes instead
    of downloading (the shapes a script reads from its data are then those of the real data)."""
    import numpy as np

    saved = {}
    for name, (x_shape, y_shape) in stand_ins.items():
        module = importlib.import_module(name)
        saved[name] = module.load_data
        split = (np.zeros((2, *x_shape), dtype="uint8"), np.zeros((2, *y_shape), dtype="uint8"))
        module.load_data = lambda *args, split=split, **kwargs: (split, split)
    try:
        yield
    finally:
        for name, load_data in saved.items():
            importlib.import_module(name).load_data = load_data


def keras_truth(recipe: dict, root: str, path: str) -> dict:
    import keras
    import numpy as np

    with _stand_in_datasets(recipe.get("stand_in_data", {})):
        obj = _namespace(recipe, root, path)[recipe["object"]]
    model = obj if isinstance(obj, keras.Model) else obj(**recipe.get("kwargs", {}))
    outputs = None
    if recipe.get("run", True):
        shape = recipe["input"] or list(model.inputs[0].shape[1:])
        outputs = _shapes(model(np.zeros((BATCH, *shape), dtype="float32")))
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    non_trainable = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return {"outputs": outputs, "params": int(model.count_params()), "trainable": trainable,
            "non_trainable": non_trainable}


def tf1_truth(recipe: dict, root: str, path: str) -> dict:
    """TensorFlow 1 in TensorFlow 2's v1 compatibility mode: a graph, placeholders, v1 variables.
    A script's `import tensorflow as tf` gets `tf.compat.v1` (the module TF1 code was written for)."""
    import tensorflow as real_tf

    v1 = real_tf.compat.v1
    v1.disable_eager_execution()
    graph = v1.Graph()
    with graph.as_default(), _estimator_stand_in(v1, recipe.get("estimator_stand_in", False)):
        if recipe["load"] == "script":
            saved = sys.modules.get("tensorflow")
            sys.modules["tensorflow"] = v1
            try:
                namespace = run_script(path, {})
            finally:
                sys.modules["tensorflow"] = saved
        else:
            namespace = _namespace(recipe, root, path)
        if recipe["input"] is None:
            output = namespace[recipe["object"]]
        else:
            inputs = v1.placeholder(real_tf.float32, (BATCH, *recipe["input"]))
            if recipe.get("input_key"):  # a network function that reads its input from a dict of features
                inputs = {recipe["input_key"]: inputs}
            scope = recipe.get("arg_scope")
            with namespace[scope]() if scope else _no_scope():
                output = namespace[recipe["object"]](inputs, **recipe.get("kwargs", {}))
        if isinstance(output, tuple):  # slim networks return (logits, end_points)
            output = output[0]
        tensors = list(output.values()) if isinstance(output, dict) else [output]
        used = _variables_used(tensors, v1.global_variables())
        trainable = sum(v.shape.num_elements() for v in used if v.trainable)
        total = sum(v.shape.num_elements() for v in used)
    return {"outputs": [[int(size) for size in tensor.shape[1:]] for tensor in tensors], "params": total,
            "trainable": trainable, "non_trainable": total - trainable}


@contextlib.contextmanager
def _estimator_stand_in(v1, wanted: bool):
    """`tf.estimator` for a TensorFlow 1 model function (TensorFlow 2.16 and later have none): its
    ModeKeys with their TensorFlow 1 values, and an EstimatorSpec that gives its predictions."""
    if not wanted:
        yield
        return
    modes = types.SimpleNamespace(TRAIN="train", EVAL="eval", PREDICT="infer")
    v1.estimator = types.SimpleNamespace(ModeKeys=modes, EstimatorSpec=lambda mode, predictions=None, **_: predictions)
    try:
        yield
    finally:
        del v1.estimator


def _variables_used(tensors, variables) -> list:
    """The variables the output tensors are computed from (another network of the same graph, a loss's
    or an optimizer's variables are not counted), with the moving statistics of the batch normalisations
    they use (updated beside the output, not read by it in training mode)."""
    seen, stack = set(), [tensor.op for tensor in tensors]
    while stack:
        op = stack.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        stack.extend(tensor.op for tensor in op.inputs)
        stack.extend(op.control_inputs)
    used = [v for v in variables if v.op.name in seen]
    scopes = {v.op.name.rsplit("/", 1)[0] for v in used}
    statistics = [v for v in variables if v not in used and v.op.name.rsplit("/", 1)[-1] in
                  ("moving_mean", "moving_variance") and v.op.name.rsplit("/", 1)[0] in scopes]
    return used + statistics


@contextlib.contextmanager
def _no_scope():
    yield {}


def truth(framework: str, recipe: dict, root: str, path: str) -> dict:
    """The framework's numbers for one corpus entry (`framework`: "torch", "keras" or "tf1")."""
    return {"torch": torch_truth, "keras": keras_truth, "tf1": tf1_truth}[framework](recipe, root, path)
