"""An input shape the code reads from data (`input_shape=x_train.shape[1:]` after `cifar10.load_data()`,
`Input(shape=(row, col, pixel))` where those come from the data): the reader never loads data, so the shape
is the one `-i` (or a `# layerplan: input SHAPE` comment) gives, said in an info line; without it, the error
where the shape is read says to give it."""

from __future__ import annotations

import ast
from typing import Any, Callable

from .sample_shapes import UNSTATED
from .source import Unreadable
from .values import Unknown

#: The interpreter (planner/model_code/evaluate.py); not imported here, so the modules import one way only.
Interpreter = Any

#: the keywords that state the model's input shape: kept as an Unknown value when the reader cannot compute them,
#: so the shape given replaces them (keras `Input(shape=...)` too: INPUT_CALLS)
SHAPE_KEYWORDS = frozenset({"input_shape", "input_dim", "batch_input_shape"})
INPUT_CALLS = frozenset({"keras.Input", "keras.layers.Input"})
INPUT_CALL_KEYWORDS = frozenset({"shape", "batch_shape"})


def states_input_shape(callee: Any, keyword: str) -> bool:
    """Whether a call's keyword states the model's input shape.

    >>> from layerplan.planner.model_code.values import Qualified
    >>> states_input_shape(Qualified("keras.Input"), "shape"), states_input_shape(None, "input_shape")
    (True, True)
    >>> states_input_shape(Qualified("torch.zeros"), "shape")
    False
    """
    return keyword in SHAPE_KEYWORDS or (keyword in INPUT_CALL_KEYWORDS and getattr(callee, "name", None) in INPUT_CALLS)


_GIVE_IT = "; an input shape the code reads from data is given with -i SHAPE (or a `# layerplan: input SHAPE` comment)"


def input_shape_argument(it: Interpreter, evaluate: Callable[[], Any], node: ast.AST) -> Any:
    """The value of an argument that states the model's input shape: as the code computes it, else (a value the
    reader cannot compute, or a tuple holding one) the shape the plan is given; with none given, the error."""
    try:
        shape = evaluate()
    except Unreadable as error:
        return _given_shape(it, error, node)
    unread = next((v for v in shape if isinstance(v, Unknown)), None) if isinstance(shape, (tuple, list)) else \
        shape if isinstance(shape, Unknown) else None
    if unread is not None:
        return _given_shape(it, unread.error, node)
    return shape


def _given_shape(it: Interpreter, error: Unreadable, node: ast.AST) -> tuple:
    given = it.input_shapes.get(UNSTATED)
    if given is None:
        raise Unreadable(error.node, error.message + ("" if _GIVE_IT in error.message else _GIVE_IT), error.kind)
    it.note("setting-assumed", ("shape from data", getattr(node, "lineno", None)), node,
            f"`{ast.unparse(node)[:60]}` is read from data the reader never loads: the input shape is the one "
            f"given, {'x'.join(str(v) for v in given)}")
    return tuple(given)
