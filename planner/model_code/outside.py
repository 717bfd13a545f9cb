"""Code around a model that the reader does not follow: calls that cannot change a model's shapes (a
loss, an optimizer, training, data, printing, plotting: skipped with a note), and the framework's
configuration, which a branch may test (taken as a fresh CPU install has it)."""

from __future__ import annotations

#: canonical dotted prefixes (planner/model_code/source.canonical) -> what that code is
_PREFIX_KINDS = (
    ("torch.optim.", "an optimizer"), ("keras.optimizers.", "an optimizer"), ("tensorflow.train.", "an optimizer"),
    ("tensorflow.optimizers.", "an optimizer"),
    ("keras.losses.", "a loss"), ("tensorflow.losses.", "a loss"),
    ("keras.metrics.", "a metric"), ("tensorflow.metrics.", "a metric"), ("tensorflow.equal", "a metric"),
    ("torch.eq", "a metric"),
    ("keras.callbacks.", "training"), ("tensorflow.summary.", "training"), ("torch.utils.tensorboard", "training"),
    ("tensorflow.Session", "training"), ("tensorflow.InteractiveSession", "training"),
    ("tensorflow.global_variables_initializer", "training"), ("tensorflow.initialize_all_variables", "training"),
    ("tensorflow.local_variables_initializer", "training"), ("tensorflow.set_random_seed", "training"),
    ("tensorflow.random.set_seed", "training"), ("tensorflow.reset_default_graph", "training"),
    ("torch.save", "training"), ("torch.load", "training"), ("torch.manual_seed", "training"),
    ("keras.datasets.", "data loading"), ("torchvision.datasets.", "data loading"),
    ("torchvision.transforms.", "data loading"), ("torch.utils.data.", "data loading"),
    ("tensorflow.examples.", "data loading"), ("tensorflow.data.", "data loading"),
    ("tensorflow_datasets.", "data loading"), ("keras.preprocessing.", "data loading"),
    ("keras.utils.to_categorical", "data loading"), ("keras.utils.np_utils", "data loading"),
    ("numpy.", "data loading"), ("pandas.", "data loading"), ("sklearn.", "data loading"), ("PIL.", "data loading"),
    ("cv2.", "data loading"), ("torch.randn", "a sample input"), ("torch.rand", "a sample input"),
    ("torch.zeros", "a sample input"), ("torch.ones", "a sample input"), ("tensorflow.random.", "a sample input"),
    ("keras.regularizers.", "a weight setting"), ("keras.initializers.", "a weight setting"),
    ("keras.constraints.", "a weight setting"), ("tensorflow.initializers.", "a weight setting"),
    ("matplotlib.", "plotting"), ("seaborn.", "plotting"), ("plotly.", "plotting"),
    ("torchsummary.", "printing"), ("torchinfo.", "printing"), ("pprint.", "printing"), ("logging.", "printing"),
)
#: the last part of a name (a function, a method, a builtin) -> what that code is
_LAST_KINDS = {
    **dict.fromkeys(("fit", "fit_generator", "train_on_batch", "evaluate", "predict", "compile", "backward", "step",
                     "zero_grad", "minimize", "apply_gradients", "compute_gradients", "run", "save", "save_weights",
                     "load_weights", "load_state_dict", "state_dict", "parameters", "named_parameters", "item",
                     "numpy"), "training"),
    **dict.fromkeys(("load_data", "read_data_sets", "next_batch", "DataLoader", "to_categorical", "open", "input"),
                    "data loading"),
    **dict.fromkeys(("imshow", "show", "plot", "subplots", "savefig", "figure"), "plotting"),
    **dict.fromkeys(("print", "summary"), "printing"),
    "get_ipython": "a notebook command",
}
#: the kinds that are the training objective and its machinery: a statement that calls one is about training
OBJECTIVE_KINDS = frozenset({"a loss", "an optimizer", "a metric", "training"})


def skipped_kind(dotted: str) -> str | None:
    """What a call of `dotted` is when it cannot change a model's shapes (None: it may be the model).

    >>> skipped_kind("torch.optim.SGD"), skipped_kind("torch.nn.CrossEntropyLoss"), skipped_kind("torch.nn.Conv2d")
    ('an optimizer', 'a loss', None)
    """
    for prefix, kind in _PREFIX_KINDS:
        if dotted.startswith(prefix):
            return kind
    last = dotted.rpartition(".")[2]
    if "loss" in last.lower() or "cross_entropy" in last or "crossentropy" in last.lower():
        return "a loss"
    return _LAST_KINDS.get(last)


#: the framework's configuration a model file may branch on -> what a fresh CPU install returns
SETTINGS = {
    "keras.backend.image_data_format": "channels_last", "keras.config.image_data_format": "channels_last",
    "keras.backend.image_dim_ordering": "tf", "torch.cuda.is_available": False, "torch.cuda.device_count": 0,
    "torch.backends.mps.is_available": False, "tensorflow.test.is_gpu_available": False,
    "tensorflow.test.is_built_with_cuda": False, "torch.jit.is_scripting": False, "torch.jit.is_tracing": False,
    # keras 3 without KERAS_BACKEND and ~/.keras/keras.json runs on TensorFlow
    "keras.backend.backend": "tensorflow", "keras.config.backend": "tensorflow",
}
#: tensor attributes that tell the device: a tensor of a fresh CPU install is on the CPU
TENSOR_SETTINGS = {"is_cuda": False}
