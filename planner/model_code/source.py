"""Model code as syntax: parse it (never import or run it), resolve its import aliases, tell its framework.

Everything here looks at the text and the syntax tree only. A construct the reader cannot follow
statically raises `Unreadable` with the node it is about, so the message lands on that line.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

#: The dotted prefixes that mean the same namespace, longest first: `tf.keras` is keras, TF1's
#: `tf.compat.v1.layers` is `tf.layers`.
_CANONICAL_PREFIXES = (
    ("tensorflow.compat.v1.keras.", "keras."), ("tensorflow.python.keras.", "keras."),
    ("tensorflow.keras.", "keras."), ("tensorflow.compat.v1.", "tensorflow."),
    ("keras.src.", "keras."), ("tf_keras.", "keras."),
    # TensorFlow's own modules, as tf-slim's files import them, are the public namespaces
    ("tensorflow.python.ops.variable_scope.", "tensorflow."), ("tensorflow.python.ops.array_ops.", "tensorflow."),
    ("tensorflow.python.ops.math_ops.", "tensorflow.math."), ("tensorflow.python.ops.nn_ops.", "tensorflow.nn."),
    ("tensorflow.python.ops.nn.", "tensorflow.nn."), ("tensorflow.python.ops.init_ops.", "tensorflow."),
    ("tensorflow.python.framework.ops.", "tensorflow."),
    # tf-slim: one namespace however it is imported (`slim.conv2d`, `tf_slim.layers.layers.conv2d`, the
    # `tf.contrib` copies of TensorFlow 1)
    ("tf_slim.layers.layers.", "tf_slim."), ("tf_slim.layers.", "tf_slim."), ("tf_slim.ops.arg_scope.", "tf_slim."),
    ("tensorflow.contrib.slim.", "tf_slim."), ("tensorflow.contrib.layers.", "tf_slim."),
    ("tensorflow.contrib.framework.", "tf_slim."),
)
#: keras' classes by the module that defines them (keras' own files import them from there) -> their public name
_DEFINED_AT = {
    "keras.layers.layer.Layer": "keras.layers.Layer", "keras.models.model.Model": "keras.Model",
    "keras.models.functional.Functional": "keras.models.Functional",
    "keras.models.sequential.Sequential": "keras.Sequential", "keras.layers.core.input_layer.Input": "keras.Input",
}

#: `# layerplan: input 1x28x28` (or `input=...`, `input: ...`): the sample shape where the code has none.
_INPUT_PRAGMA = re.compile(r"#\s*layerplan:\s*input\s*[=:]?\s*\[?\s*(\d+(?:\s*[x,]\s*\d+)*)\s*\]?")
_NAMED_INPUT_PRAGMA = re.compile(
    r"#\s*layerplan:\s*input\s+([A-Za-z_]\w*)\s*[=:]?\s*\[?\s*(\d+(?:\s*[x,]\s*\d+)*)\s*\]?")


class Unreadable(Exception):
    """A construct the reader cannot follow without running the code (`node` is where it is). `kind`: what
    the code is when it cannot change a model (planner/model_code/outside.py: "a loss", "data loading"...)."""

    def __init__(self, node: ast.AST | None, message: str, kind: str | None = None):
        super().__init__(message)
        self.node = node
        self.message = message
        self.kind = kind


class TooLarge(Exception):
    """The model code needs more work to follow than the reader's budget allows (LP004 too-large): the
    reader stops, where an Unreadable value only fails if the model uses it."""

    def __init__(self, node: ast.AST | None, message: str):
        super().__init__(message)
        self.node = node
        self.message = message


def position(node: ast.AST | None) -> tuple[int, int] | None:
    """1-based (line, column) of a node, as editors and compilers count them.

    >>> position(ast.parse("x = 1").body[0].value)
    (1, 5)
    """
    if node is None or not hasattr(node, "lineno"):
        return None
    return node.lineno, node.col_offset + 1


def canonical(dotted: str) -> str:
    """One name for each namespace: `tensorflow.keras.layers.Dense` -> `keras.layers.Dense`.

    >>> canonical("tensorflow.keras.layers.Conv2D"), canonical("tensorflow.compat.v1.layers.dense")
    ('keras.layers.Conv2D', 'tensorflow.layers.dense')
    >>> canonical("keras.src.layers.layer.Layer")
    'keras.layers.Layer'
    """
    for prefix, replacement in _CANONICAL_PREFIXES:
        if dotted.startswith(prefix):
            dotted = replacement + dotted[len(prefix):]
            break
    return _DEFINED_AT.get(dotted, dotted)


@dataclass
class Imports:
    """What each imported local name stands for, as a canonical dotted name."""

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, tree: ast.Module) -> "Imports":
        """Read every import of the file (at any depth: imports inside functions count too).

        >>> Imports.of(ast.parse("import torch.nn as nn\\nfrom tensorflow.keras import layers as L")).names
        {'nn': 'torch.nn', 'L': 'keras.layers'}
        """
        names: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = canonical(alias.name)
                    else:
                        head = alias.name.split(".")[0]
                        names[head] = canonical(head)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        names[alias.asname or alias.name] = canonical(f"{node.module}.{alias.name}")
        return cls(names)

    def qualified(self, node: ast.AST) -> str | None:
        """The dotted name an expression like `nn.Conv2d` or `tf.layers.conv2d` stands for (None: not one).

        >>> Imports({"nn": "torch.nn"}).qualified(ast.parse("nn.Conv2d", mode="eval").body)
        'torch.nn.Conv2d'
        """
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.names:
            return None
        return canonical(".".join([self.names[node.id], *reversed(parts)]))

    def framework(self) -> str | None:
        """torch or keras (TensorFlow's layers are keras' layout and counting), from what is imported.

        >>> Imports({"nn": "torch.nn"}).framework(), Imports({"tf": "tensorflow"}).framework()
        ('torch', 'keras')
        """
        roots = {name.split(".")[0] for name in self.names.values()}
        if "torch" in roots and not roots & {"keras", "tensorflow"}:
            return "torch"
        if roots & {"keras", "tensorflow", "tf_slim"} and "torch" not in roots:
            return "keras"
        return None


#: `# layerplan: hidden = 64`: the value of a name the code computes at run time.
_VALUE_PRAGMA = re.compile(r"#\s*layerplan:\s*([A-Za-z_]\w*)\s*=\s*(.+?)\s*$")


def value_pragmas(text: str) -> dict[str, tuple[object, int]]:
    """The values given by `# layerplan: NAME = VALUE` comments (Python literals), with their lines.

    >>> value_pragmas("cfg = load()  # layerplan: cfg = {'width': 64}\\n")
    {'cfg': ({'width': 64}, 1)}
    """
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _VALUE_PRAGMA.search(line)
        if match and match.group(1) != "input":
            try:
                found[match.group(1)] = (ast.literal_eval(match.group(2)), number)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                raise Unreadable(None, f"line {number}: the value given for {match.group(1)} is not a Python "
                                       "literal") from None
    return found


def input_pragma(text: str) -> tuple[tuple[int, ...], int] | None:
    """The shape given by a `# layerplan: input SHAPE` comment and its line, if the file has one.

    >>> input_pragma("import torch\\n# layerplan: input 1x28x28\\n")
    ((1, 28, 28), 2)
    """
    for number, line in enumerate(text.splitlines(), 1):
        match = _INPUT_PRAGMA.search(line)
        if match:
            return tuple(int(v) for v in re.split(r"\s*[x,]\s*", match.group(1).strip())), number
    return None


def named_input_pragmas(text: str) -> dict[str, tuple[tuple[int, ...], int]]:
    """The shapes of a model's several inputs, by the name of forward's / call's argument: each from a
    `# layerplan: input NAME SHAPE` comment, with its line.

    >>> named_input_pragmas("# layerplan: input left 1x28x28\\n# layerplan: input right [1, 28, 28]\\n")
    {'left': ((1, 28, 28), 1), 'right': ((1, 28, 28), 2)}
    """
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _NAMED_INPUT_PRAGMA.search(line)
        if match:
            found[match.group(1)] = (tuple(int(v) for v in re.split(r"\s*[x,]\s*", match.group(2).strip())), number)
    return found
