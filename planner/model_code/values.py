"""What expressions in model code evaluate to, besides plain constants and tensors."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from .graph import Graph, Tensor
from .source import Unreadable


@dataclass
class Sequential:
    """torch nn.Sequential or keras Sequential: children applied in order (name, value)."""

    children: list[tuple[str | None, Any]]
    node: ast.AST
    input_shape: tuple | None = None
    input_node: ast.AST | None = None
    name: str | None = None


@dataclass
class ModuleList:
    """torch nn.ModuleList (or a plain list of layers): iterated, indexed, never called."""

    children: list[Any]
    node: ast.AST


@dataclass
class Instance:
    """An object of a model class written in the file (its layers are its attributes)."""

    cls: ast.ClassDef
    attributes: dict[str, Any]
    prefix: str
    node: ast.AST
    plain: bool = False  # an object of a plain Python class (a configuration record), not a model
    built: bool = False  # a keras custom layer whose build() the reader ran (before its first call)


@dataclass
class Function:
    """A function or method written in the file; `owner` is the instance it is bound to."""

    node: ast.FunctionDef
    owner: Instance | None = None
    scope: "Scope | None" = None  # where it was defined, when inside another function (its closure)


@dataclass
class Class:
    node: ast.ClassDef


@dataclass
class ModuleValue:
    """A module of the same tree the code imports (`from . import resnet`): its names are read from it."""

    path: str


@dataclass
class Model:
    """A keras functional Model(inputs, outputs), with the graph its tensors live in."""

    inputs: list[Tensor]
    outputs: list[Tensor]
    graph: Graph
    node: ast.AST
    name: str | None = None


@dataclass
class Qualified:
    """An imported name such as `torch.nn.functional.relu`, not called yet."""

    name: str


@dataclass
class Method:
    """`receiver.name` where the receiver is not a file object: resolved when called."""

    receiver: Any
    name: str


@dataclass(frozen=True)
class BatchSize:
    """`x.size(0)` / `x.shape[0]`: the batch axis, only meaningful as a reshape's first size."""


@dataclass
class TensorShape:
    """`x.size()` / `x.shape` / `tf.shape(x)`: a tensor's shape, computed when an axis other than the batch
    is read (planner/model_code/tensor_ops.py). `dynamic`: TensorFlow's `tf.shape(x)`, itself a tensor (its
    arithmetic is elementwise, not a tuple's)."""

    tensor: Any
    dynamic: bool = False


@dataclass(frozen=True)
class MadeTensor:
    """A tensor the code makes instead of computing it from the model's input (`torch.zeros(...)`,
    `torch.randn_like(x)`, `tf.ones(...)`): its whole shape, batch axis included where it has one
    (BatchSize() there), and no layer. It may take part in the data flow (an LSTM's initial state, a
    VAE's noise); a model run on it is a sample input, not the model."""

    shape: tuple
    node: ast.AST = field(compare=False, repr=False, default=None)


@dataclass(eq=False)
class LearnedTensor:
    """A tensor the model holds and learns (torch `nn.Parameter(...)`, keras `self.add_weight(shape=...)`): its
    whole shape as made (its first axis the batch, BatchSize(), once `.expand(batch, ...)` gave it one), where it
    was made and the attribute that holds it. Its values are planned where forward uses it, once
    (planner/model_code/learned_tensors.py): `origin` is the tensor a view such as `.expand()` was made from,
    `used` the node of its one use."""

    shape: tuple
    node: ast.AST
    name: str | None = None
    origin: "LearnedTensor | None" = None
    used: ast.AST | None = None

    @property
    def root(self) -> "LearnedTensor":
        return self.origin if self.origin is not None else self

    def label(self) -> str:
        """How messages name it: its attribute (`self.class_token`) and the line that made it."""
        root = self.root
        where = getattr(root.node, "lineno", None)
        return f"the learned tensor {('self.' + root.name) if root.name else ''}".rstrip() + \
            (f" (made at line {where})" if where is not None else "")

    def refuse(self, node: ast.AST, use: str) -> Unreadable:
        """The error for a use the reader does not lower onto the learned_tensor kind."""
        return Unreadable(node, f"{self.label()} is {use} here; a learned tensor is read where forward adds it to, "
                                "multiplies it with or concatenates it to a tensor of the model, once (torch "
                                "`x + self.p`, `x * self.p`, `torch.cat([self.p.expand(n, -1, -1), x], dim=1)`); "
                                "write this step as a spec learned_tensor layer, or plan the model without it")


@dataclass
class Unknown:
    """A value the reader could not compute: using it raises the reason, at the line that made it. `kind`:
    what made it when that cannot change a model (a loss, data loading...), None when it may be the model."""

    error: Unreadable
    statement: ast.AST | None = None  # the statement that assigned it
    a_value: bool = False             # a plain value (not a tensor or a layer) that a comment may give
    kind: str | None = None

    def fail(self, used: ast.AST | None = None):
        line = getattr(used, "lineno", None)
        made = getattr(self.error.node, "lineno", None)
        message = self.error.message
        if line is not None and made is not None and line != made and "(its value is used" not in message:
            target = self.statement.targets[0] if isinstance(self.statement, ast.Assign) else None
            hint = f"; give it with a `# layerplan: {target.id} = VALUE` comment" \
                if isinstance(target, ast.Name) and self.a_value else ""
            message = f"{message} (its value is used at line {line}{hint})"
        raise Unreadable(self.error.node, message, self.kind)

    @property
    def network(self) -> bool:
        """Whether it may hold a part of the model (a tensor, a layer): not a plain value, not a loss or data."""
        return self.kind is None and not self.a_value


@dataclass
class Super:
    """`super()` in a method: the object, and the class whose method is running (lookup starts after it)."""

    instance: Any = None
    defining: ast.ClassDef | None = None


MODEL_VALUES = (Sequential, Instance, Model)


@dataclass
class Scope:
    """Names visible in a body: its own, then the module's."""

    names: dict[str, Any] = field(default_factory=dict)
    parent: "Scope | None" = None
    single: frozenset = frozenset()  # names assigned once in this body: they name the layers they hold

    def get(self, name: str) -> Any:
        scope = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        raise KeyError(name)


@dataclass(frozen=True)
class FedValue:
    """A TensorFlow 1 placeholder without a shape (`keep_prob = tf.placeholder(tf.float32)`): a value fed at run
    time, of a rank the code does not state. It may be passed around and given where only values change
    (`tf.nn.dropout(x, keep_prob)`); where a shape, an option or the data reads it, it fails."""

    node: ast.AST

    def refusal(self, used: ast.AST) -> Unreadable:
        return Unreadable(used, f"the placeholder of line {getattr(self.node, 'lineno', '?')} has no shape, so the "
                                "reader cannot tell what it does here; give tf.placeholder a shape (None for the "
                                "batch axis)")


#: how a variable is read: what the reader says where it meets a variable anywhere else
VARIABLE_FIX = ("read a variable through tf.matmul(x, W) or tf.nn.conv2d(x, W, ...) of the model's data, with its "
                "bias added right after (tf.add, +, tf.nn.bias_add), or write this step with tf.layers or as a spec "
                "layer")


@dataclass(eq=False)
class WeightVariable:
    """A TensorFlow 1 variable (`tf.Variable(tf.random_normal([784, 256]))`, `tf.get_variable(name, shape)`):
    learned weights of a known shape, which become the weights of the spec layer that reads them
    (planner/model_code/weight_variables.py). `layer`: the graph layer that holds them, once one reads
    them; `role`: "kernel" or "bias" there."""

    shape: tuple
    node: ast.AST
    trainable: bool = True
    layer: str | None = None
    role: str | None = None

    @property
    def label(self) -> str:
        """The variable as messages name it: `the variable of line 40 ([784, 256])`."""
        return f"the variable of line {getattr(self.node, 'lineno', '?')} ({list(self.shape)})"
