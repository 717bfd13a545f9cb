"""A layer constructor call in model code -> a spec layer entry, by the kind's own spellings.

The keyword a framework uses for each option, and its constructor's positional parameters, come
from the kind definitions (`Kind.spellings`); this module only knows which framework arguments do
not change shapes or parameter counts (initializers, `inplace`...) and which declare the input
size (`in_channels`, `in_features`, `num_features`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Callable

from ..kinds import Kind, LayerError, resolve_type
from .source import Unreadable

#: Arguments that change neither shapes nor parameter counts (at their default or any value).
_INERT = frozenset({
    "inplace", "device", "dtype", "padding_mode", "align_corners", "recompute_scale_factor", "count_include_pad",
    "divisor_override", "kernel_initializer", "bias_initializer", "depthwise_initializer", "pointwise_initializer",
    "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
    "kernel_regularizer", "bias_regularizer", "activity_regularizer", "depthwise_regularizer",
    "pointwise_regularizer", "beta_regularizer", "gamma_regularizer", "kernel_constraint", "bias_constraint",
    "depthwise_constraint", "pointwise_constraint", "beta_constraint", "gamma_constraint", "noise_shape", "seed",
    "trainable", "synchronized", "lora_rank", "lora_alpha", "reuse", "training", "renorm", "renorm_clipping",
    "renorm_momentum", "fused", "virtual_batch_size", "adjustment", "start_dim" , "end_dim", "axis",
    "data_format", "return_indices", "affine", "track_running_stats", "center", "scale", "max_value", "threshold",
    "activation", "recurrent_activation", "recurrent_initializer", "recurrent_regularizer", "recurrent_constraint",
    "recurrent_dropout", "unit_forget_bias", "go_backwards", "stateful", "unroll", "nonlinearity",
    "embeddings_initializer", "embeddings_regularizer", "embeddings_constraint", "sparse", "scale_grad_by_freq",
    "max_norm", "norm_type", "proj_size",
})
#: The endings of arguments that set how weights are initialised, regularised or constrained: never a shape or a
#: count, so the reader never needs their value (`kernel_regularizer=l2(1e-4)` is not evaluated).
WEIGHT_SETTINGS = ("_initializer", "_regularizer", "_constraint")
#: the same settings of a single weight, as `tf.get_variable(name, shape, initializer=..., regularizer=...)` names them
_WEIGHT_SETTING_NAMES = ("initializer", "regularizer", "constraint")


#: The same settings spelled without a prefix (keras `add_weight(shape, initializer=..., regularizer=...)`).
_WEIGHT_SETTING_NAMES = ("initializer", "regularizer", "constraint")


def is_weight_setting(keyword: str | None) -> bool:
    """Whether a keyword argument only sets how weights are initialised, regularised or constrained.

    >>> is_weight_setting("kernel_regularizer"), is_weight_setting("initializer"), is_weight_setting("units")
    (True, True, False)
    """
    return keyword is not None and (keyword.endswith(WEIGHT_SETTINGS) or keyword in _WEIGHT_SETTING_NAMES)


#: Inert arguments that change the layer when they are not at this default: the reader says so.
_MUST_BE = {
    "start_dim": 1, "end_dim": -1, "data_format": ("channels_last", None), "return_indices": False,
    "affine": True, "track_running_stats": True, "center": True, "scale": True, "max_value": None,
    "threshold": 0, "axis": -1, "go_backwards": False, "proj_size": 0,
    # these change what is counted: batch renormalisation adds non-trainable statistics, a LoRA rank adds
    # weights (keras); `trainable` is read (planner/model_code/frozen.py)
    "renorm": False, "lora_rank": None,
}
#: (kind, inert argument, value) -> the kind the layer is with that value: keras `ReLU(max_value=6)` is relu6.
_BECOMES = {("relu", "max_value", 6): "relu6"}
#: Arguments that state the size of the layer's input (torch): checked against the planned input.
DECLARED_INPUT = ("in_channels", "in_features", "num_features", "num_channels", "input_size")


@dataclass
class Layer:
    """A layer made in model code, not yet applied to a tensor."""

    entry: dict[str, Any]              # the spec entry: type and options (no name or inputs yet)
    node: ast.AST                      # the constructor call
    option_nodes: dict[str, ast.AST]   # option -> the argument it was read from (a keyword: `name=value`)
    name: str | None = None            # a name the code gives it (keras name=..., an attribute)
    input_shape: tuple | None = None   # keras input_shape=... on the layer
    declared: dict[str, tuple[int, ast.AST]] = field(default_factory=dict)  # in_channels etc.
    uses: int = 0
    first_call: str | None = None      # the graph name of its first call (a later call shares its weights)
    named_by_path: bool = False        # the name is its attribute path (renamed when its owner is placed)
    class_name: str | None = None      # the framework class the code called (what isinstance tests)
    positive_axis: tuple[int, ast.AST] | None = None  # keras `axis=3`: read only where it is the input's last axis
    made_at: ast.AST | None = None     # the model file's call that led to its constructor in another file
    wrapped_at: int | None = None      # the line of the wrapper that holds this very object (keras TimeDistributed)


def kind_for(class_name: str) -> Kind | None:
    """The kind a framework class or function name stands for (a representative one for a name without
    dimensions, such as BatchNormalization: the arguments are spelled the same in every dimension).

    >>> kind_for("Conv2d").name, kind_for("BatchNormalization").family, kind_for("ConvLSTM2D")
    ('conv2d', 'batch_norm', None)
    """
    for rank in (None, 3, 2):
        try:
            kind = resolve_type(class_name, rank)
        except LayerError:
            continue
        if kind is not None:
            return kind
    return None


def _keyword_table(kind: Kind, framework: str) -> dict[str, str]:
    spelling = kind.spellings.get(framework)
    table = {}
    for option in kind.options:
        table[option.name] = option.name
        for alias in option.aliases:
            table.setdefault(alias, option.name)
        if spelling is not None and option.name in spelling.arguments:
            table[spelling.arguments[option.name]] = option.name
    return table


def make_layer(class_name: str, kind: Kind, framework: str, call: ast.Call, value: Callable[[ast.AST], Any], *,
               skip_positional: int = 0, type_name: str | None = None,
               shape_value: Callable[[ast.AST], Any] | None = None) -> Layer:
    """The spec entry of a layer constructor call; `value` folds an argument to a constant (`shape_value`, when
    given, an input shape argument: `input_shape=`, `input_dim=`, `batch_input_shape=`).

    `skip_positional` drops leading positional arguments that are tensors (TensorFlow 1's `inputs`).

    >>> call = ast.parse("nn.Conv2d(1, 32, 3, padding=1, bias=False)", mode="eval").body
    >>> layer = make_layer("Conv2d", kind_for("Conv2d"), "torch", call, lambda n: ast.literal_eval(n))
    >>> layer.entry, layer.declared["in_channels"][0]
    ({'type': 'conv2d', 'filters': 32, 'kernel_size': 3, 'padding': 1, 'bias': False}, 1)
    """
    spelling = kind.spellings.get(framework)
    positional = spelling.positional if spelling is not None else ()
    arguments: list[tuple[str, ast.AST]] = []
    keywords: dict[str, ast.keyword] = {k.arg: k for k in call.keywords if k.arg is not None}
    args = call.args[skip_positional:]
    for index, node in enumerate(args):
        if isinstance(node, ast.Starred):
            raise Unreadable(node, f"*-unpacked arguments of {class_name} are not read; write them out")
        if index >= len(positional):
            raise Unreadable(node, f"{class_name} takes at most {len(positional)} positional arguments here"
                             + (f" ({', '.join(positional)})" if positional else ""))
        arguments.append((positional[index], node))
    for keyword in call.keywords:
        if keyword.arg is None:
            raise Unreadable(keyword.value, f"**-unpacked arguments of {class_name} are not read; write them out")
        arguments.append((keyword.arg, keyword.value))

    table = _keyword_table(kind, framework)
    layer = Layer({"type": type_name or kind.name}, call, {}, class_name=class_name)
    for keyword, node in arguments:
        if keyword == "name":
            name = value(node)
            if isinstance(name, str):
                layer.name = name.replace("/", ".")
            continue
        if keyword in ("input_shape", "input_dim", "batch_input_shape") and keyword not in table:
            shape = (shape_value or value)(node)
            shape = (shape,) if keyword == "input_dim" else tuple(shape)[1:] if keyword == "batch_input_shape" \
                else shape
            layer.input_shape = tuple(shape) if isinstance(shape, (tuple, list)) else shape
            continue
        if keyword == "input_length" and keyword not in table and "input_dim" in table:
            # keras 2's Embedding(vocabulary, size, input_length=N): a sequence of N ids is its input (keras 3
            # accepts the argument and ignores it)
            layer.input_shape = (value(node),)
            continue
        if keyword == "trainable" and keyword not in table:  # keras: a frozen layer (spec `trainable: false`)
            given = value(node)
            if type(given) is not bool:
                raise Unreadable(node, f"{class_name}(trainable={given!r}): trainable must be True or False here")
            if not given:
                layer.entry["trainable"] = False
            continue
        if keyword in DECLARED_INPUT and keyword not in table:
            layer.declared[keyword] = (value(node), node)
            continue
        if (keyword in _INERT or is_weight_setting(keyword)) and keyword not in table:
            if keyword in _MUST_BE:
                given, allowed = value(node), _MUST_BE[keyword]
                becomes = _BECOMES.get((layer.entry["type"], keyword, given)) if type(given) in (int, float) else None
                if becomes is not None:
                    layer.entry["type"] = becomes
                    continue
                if keyword == "axis" and type(given) is int and given > 0:
                    layer.positive_axis = (given, node)  # the last axis or not: known when the layer meets its input
                    continue
                allowed = allowed if isinstance(allowed, tuple) else (allowed,)
                if given not in allowed:
                    raise Unreadable(node, f"{class_name}({keyword}={given!r}) is not planned by layerplan (only "
                                           f"{keyword}={allowed[0]!r}); write this layer as a spec")
            continue
        option = table.get(keyword, keyword)  # an unknown keyword reaches the planner: LP107 at its line
        layer.entry[option] = activation_name(node, value) if option == "activation" else value(node)
        layer.option_nodes[option] = keywords.get(keyword, node)
    return layer


def activation_name(node: ast.AST, value: Callable[[ast.AST], Any]) -> Any:
    """An `activation=` argument: a string, None, or a function such as `tf.nn.relu` (its last name).

    >>> activation_name(ast.parse("tf.nn.relu", mode="eval").body, None)
    'relu'
    """
    parts = []
    inner = node
    while isinstance(inner, ast.Attribute):
        parts.append(inner.attr)
        inner = inner.value
    if parts and isinstance(inner, ast.Name):
        return parts[0]
    return value(node)


def require_last_axis(layer: Layer, sample_rank: int) -> None:
    """A keras layer given `axis=K` as a positive number (`BatchNormalization(axis=3)`, the channels axis the
    keras applications compute) is the layer with `axis=-1` when K is the last axis of its input (the batch
    axis is 0, so K equals the sample's rank); any other axis is not planned.

    >>> layer = Layer({"type": "batch_norm"}, None, {}, class_name="BatchNormalization", positive_axis=(3, None))
    >>> require_last_axis(layer, 3)
    >>> try:
    ...     require_last_axis(layer, 2)
    ... except Unreadable as error:
    ...     print(error.message[:68])
    BatchNormalization(axis=3) is not planned by layerplan on an input o
    """
    if layer.positive_axis is None:
        return
    given, node = layer.positive_axis
    if given != sample_rank:
        raise Unreadable(node, f"{layer.class_name or 'this layer'}(axis={given}) is not planned by layerplan on an "
                               f"input of {sample_rank + 1} axes (only the last axis, here {sample_rank} or -1); "
                               "write this layer as a spec")
