"""Reading model code (PyTorch, Keras, TensorFlow 1) into a spec, statically: the file is parsed with
Python's `ast`, never imported or executed.

`read_model(text, filename, name)` returns the same `Document` a YAML spec parses to (plain data and
positions), with every layer pinned to the line of the model file that makes it, so planning,
checking, explaining, solving and porting a model file is the existing engine. What the reader
cannot follow statically raises `SpecReadError` (exit status 2) at its line.

>>> from layerplan.planner.model_code import read_model
>>> document = read_model('''
... import torch.nn as nn
... model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 28 * 28, 10))
... ''', "net.py", input_shape=(1, 28, 28))
>>> [layer["type"] for layer in document.data["layers"]], document.locate("/layers/3")
(['conv2d', 'relu', 'flatten', 'dense'], (3, 79))
"""

from __future__ import annotations

__all__ = ["read_model", "split_model_path", "is_model_path"]


def __getattr__(name: str):
    # the reader (planner/model_code/reader.py) loads on first use: planning a spec file never pays for it
    if name == "read_model":
        from .reader import read_model

        return read_model
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_model_path(path: str) -> bool:
    """Whether a command-line path names model code (`model.py` or `model.py::Name`).

    >>> is_model_path("net.py::Net"), is_model_path("net.yaml")
    (True, False)
    """
    return split_model_path(path)[0].endswith(".py")


def split_model_path(path: str) -> tuple[str, str | None]:
    """`model.py::Net` -> ("model.py", "Net"); a path without `::NAME` -> (path, None). The name may
    carry arguments (`model.py::Net(upscale_factor=3)`), kept as written: the file ends at its first `.py::`.

    >>> split_model_path("models/net.py::Net"), split_model_path("net.py")
    (('models/net.py', 'Net'), ('net.py', None))
    >>> split_model_path("net.py::VGG('a::b')")
    ('net.py', "VGG('a::b')")
    """
    end = path.find(".py::")
    if end >= 0:
        return path[:end + 3], path[end + 5:] or None
    return path, None
