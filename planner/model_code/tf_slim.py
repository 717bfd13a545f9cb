"""tf-slim (TensorFlow 1): its layer functions, `arg_scope` blocks, `@add_arg_scope` functions and variable scopes.

A tf-slim layer function (`slim.conv2d(net, 64, [3, 3], scope='conv1')`) takes the defaults of its arguments
from the `with slim.arg_scope([ops...], **defaults):` blocks around the call, as tf-slim does: the innermost
block's value of a keyword wins over the outer ones', and a keyword the call writes wins over both;
`arg_scope(scope)` with a scope an `arg_scope(...) as scope` gave (`with slim.arg_scope(vgg_arg_scope()):`)
makes that scope the current one. A function of the files decorated with `@add_arg_scope` is called as
written, with the defaults its arg scopes give. What a layer function makes comes from the kind whose
FunctionSpelling names it (planner/kinds), with the function's own defaults (conv2d: padding SAME, relu,
biases); tf-slim's composition is read here: `normalizer_fn=slim.batch_norm` drops the biases and adds a
batch_norm layer (with `normalizer_params`), `activation_fn` is the activation after it, and
`biases_initializer=None` drops the biases.

>>> slim_function("tf_slim.conv2d"), slim_function("tf_slim.max_pool2d"), slim_function("tensorflow.nn.relu")
('tf_slim.convolution2d', 'tf_slim.max_pool2d', None)
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..kinds import KINDS, resolve_type
from ..kinds.base import FunctionSpelling, Kind
from .constants import MAX_SEQUENCE
from .functional import ACTIVATIONS
from .graph import Tensor
from .script_options import Namespace
from .source import Unreadable
from .tensor_ops import as_sequence, is_tensor
from .values import Function, Qualified, TensorShape, Unknown

Interpreter = Any

_PREFIX = "tf_slim."
#: tf-slim's other names for one function (the same object, so the same arg_scope key)
_ALIASES = {"conv2d": "convolution2d", "separable_conv2d": "separable_convolution2d"}
#: TensorFlow 1's context managers that name variable scopes
_VARIABLE_SCOPES = frozenset({"tensorflow.variable_scope"})
#: activation functions an `activation_fn=` may name, by their module
_ACTIVATION_MODULES = ("tensorflow.nn", "tensorflow", "tensorflow.math", "keras.activations")
#: keywords of tf-slim's layer functions that change neither shapes nor parameter counts
_INERT = frozenset({"reuse", "variables_collections", "outputs_collections", "is_training", "noise_shape", "seed",
                    "updates_collections", "param_initializers", "param_regularizers", "fused", "renorm_decay",
                    "renorm_clipping", "adjustment"})
#: keywords that change what is counted when they are not at tf-slim's default (frozen weights, batch
#: renormalisation's and zero-debiasing's extra variables, a weighted batch): refused, never ignored
_MUST_BE = {"trainable": True, "renorm": False, "batch_weights": None, "zero_debias_moving_mean": False}
#: tf-slim functions without @add_arg_scope: an arg_scope that lists one raises
_NOT_SCOPED = frozenset({"tf_slim.repeat", "tf_slim.stack", "tf_slim.arg_scope", "tf_slim.add_arg_scope",
                         "tf_slim.current_arg_scope"})
#: tf-slim functions that call another @add_arg_scope op with every argument by position: a default an arg scope
#: gives that op (other than these keywords) makes each of their calls raise (the argument comes twice)
_CALLS_THROUGH = {"tf_slim.convolution2d": ("tf_slim.convolution", frozenset({"conv_dims"}))}
#: the name tf-slim gives a layer's variable scope when the call gives none
_DEFAULT_NAMES = {"tf_slim.convolution2d": "Conv", "tf_slim.separable_convolution2d": "SeparableConv2d",
                  "tf_slim.fully_connected": "fully_connected", "tf_slim.max_pool2d": "MaxPool2D",
                  "tf_slim.avg_pool2d": "AvgPool2D", "tf_slim.dropout": "Dropout", "tf_slim.flatten": "Flatten",
                  "tf_slim.batch_norm": "BatchNorm"}


def slim_function(qualified: str) -> str | None:
    """The canonical name of a tf-slim function (`tf_slim.conv2d` -> `tf_slim.convolution2d`), None for a name
    outside tf-slim."""
    if not qualified.startswith(_PREFIX):
        return None
    last = qualified[len(_PREFIX):]
    return _PREFIX + _ALIASES.get(last, last)


def _function_table() -> dict[str, list[tuple[Kind, FunctionSpelling]]]:
    """tf-slim's layer functions -> the kinds that spell them (planner/kinds: Spelling.functions)."""
    table: dict[str, list[tuple[Kind, FunctionSpelling]]] = {}
    for kind in KINDS.values():
        spelling = kind.spellings.get("keras")
        for name, function in (spelling.functions.items() if spelling is not None else ()):
            table.setdefault(name, []).append((kind, function))
    return table


LAYER_FUNCTIONS = _function_table()


# ---------------------------------------------------------------------------------------------- values


@dataclass
class ArgScoped:
    """A function of the files decorated with `@add_arg_scope`: called with its arg scopes' defaults."""

    function: Any


@dataclass
class ArgScope:
    """The value of an arg scope (`with arg_scope(...) as scope`): each op's keyword defaults, by the op's key."""

    defaults: dict = field(default_factory=dict)


@dataclass
class EnterArgScope:
    """`slim.arg_scope(...)` called: entered by a `with` statement."""

    scope: ArgScope


class VariableScope(Namespace):
    """`with tf.variable_scope(...) as scope`: its `name` and `original_name_scope`, as TensorFlow names them in a
    fresh graph."""

    def attribute(self, name: str, node: ast.Attribute) -> Any:
        if name not in self.values:
            raise Unreadable(node, f"a variable scope's .{name} is not read (its name and original_name_scope are)")
        return self.values[name]


def _state(it: Interpreter) -> dict:
    """The interpreter's tf-slim state: the arg scopes and variable scopes entered, the collections filled."""
    return it.cache.setdefault("tf_slim", {"arg scopes": [], "variable scopes": [], "reusing": [], "counts": {},
                                           "collections": {}})


def _push_scope(state: dict, name: str, reuse: bool) -> None:
    """Enter a variable scope: its full name, and whether its variables are shared with an earlier one's."""
    state["variable scopes"].append(name)
    state["reusing"].append(reuse or bool(state["reusing"] and state["reusing"][-1]))


def _pop_scopes(state: dict, depth: int) -> None:
    del state["variable scopes"][depth:]
    del state["reusing"][depth:]


def _key(it: Interpreter, op: Any, node: ast.AST) -> Any:
    """An op's arg_scope key: tf-slim's canonical function name, or the decorated function of the files."""
    if isinstance(op, Qualified):
        name = slim_function(op.name)
        if name in _NOT_SCOPED or name is not None and name.startswith("tf_slim.utils."):
            raise Unreadable(node, f"{name[len(_PREFIX):]} is not decorated with @add_arg_scope (tf-slim raises "
                                   "here); take it out of the arg_scope list")
        if name is not None:
            return name
    if isinstance(op, ArgScoped):
        return ("function", id(op.function.node))
    if isinstance(op, Function):
        raise Unreadable(node, f"{op.node.name} is not decorated with @add_arg_scope (tf-slim raises here); decorate "
                               "it, or take it out of the arg_scope list")
    raise Unreadable(node, "an arg_scope lists tf-slim's layer functions and @add_arg_scope functions of the files; "
                           "this op is neither")


def _current(it: Interpreter) -> ArgScope:
    scopes = _state(it)["arg scopes"]
    return scopes[-1] if scopes else ArgScope()


def make_arg_scope(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> EnterArgScope:
    """`arg_scope([ops...], **defaults)`, or `arg_scope(scope)` with a scope value, as tf-slim builds it."""
    if not args:
        raise Unreadable(node, "arg_scope() needs a list of ops or a scope")
    given = args[0]
    if isinstance(given, ArgScope):
        if kwargs:
            raise Unreadable(node, "arg_scope(scope) takes no other arguments (tf-slim raises here)")
        it._step(node, len(given.defaults))
        return EnterArgScope(ArgScope(dict(given.defaults)))
    if isinstance(given, Unknown):
        given.fail(node)
    if not isinstance(given, (list, tuple)):
        raise Unreadable(node, "arg_scope() takes a list of ops, or a scope an arg_scope gave")
    defaults = dict(_current(it).defaults)
    it._step(node, len(defaults) + len(given) * (1 + len(kwargs)))  # each op's defaults are copied and merged
    for op in given:
        key = _key(it, op, node)
        defaults[key] = {**defaults.get(key, {}), **kwargs}
    return EnterArgScope(ArgScope(defaults))


def with_defaults(it: Interpreter, key: Any, positional: tuple, given_positional: int, kwargs: dict,
                  node: ast.AST, written: str) -> dict:
    """The keyword arguments of a call of an arg-scoped op: its arg scopes' defaults, then the call's own."""
    defaults = _current(it).defaults.get(key, {})
    it._step(node, len(defaults))
    for keyword in defaults:
        if keyword in positional[:given_positional] and keyword not in kwargs:
            raise Unreadable(node, f"{written}() gets '{keyword}' both by position and from an arg_scope (Python "
                                   f"raises here); give it by keyword")
    return {**defaults, **kwargs}


# ---------------------------------------------------------------------------------------------- statements


def enters_scopes(it: Interpreter, node: ast.With) -> bool:
    """Whether a `with` statement enters an arg scope or a variable scope (read here; other `with` blocks are
    read through)."""
    return any(_manager(it, item) is not None for item in node.items)


def _manager(it: Interpreter, item: ast.withitem) -> str | None:
    expression = item.context_expr
    if not isinstance(expression, ast.Call):
        return None
    name = it.imports.qualified(expression.func) or ""
    if slim_function(name) in ("tf_slim.arg_scope",):
        return "arg scope"
    if name in _VARIABLE_SCOPES:
        return "variable scope"
    return None


def run_with(it: Interpreter, node: ast.With, scope: Any, strict: bool) -> None:
    """A `with` block that enters arg scopes or variable scopes (others in it are read through): its body runs
    with them, and they are left after it, whatever way it ends."""
    state = _state(it)
    depths = (len(state["arg scopes"]), len(state["variable scopes"]))
    try:
        for item in node.items:
            manager = _manager(it, item)
            if manager is None:
                continue
            if manager == "arg scope":
                entered = it.value(item.context_expr, scope)
                if not isinstance(entered, EnterArgScope):
                    raise Unreadable(item.context_expr, "this arg_scope is not one the reader can enter")
                state["arg scopes"].append(entered.scope)
                value = entered.scope
            else:
                value = _enter_variable_scope(it, item.context_expr, scope)
            if item.optional_vars is not None:
                it.assign(item.optional_vars, value, scope, node)
        it.run(node.body, scope, strict=strict)
    finally:
        del state["arg scopes"][depths[0]:]
        _pop_scopes(state, depths[1])


def _enter_variable_scope(it: Interpreter, call: ast.Call, scope: Any) -> Any:
    """`tf.variable_scope(name_or_scope, default_name, values)`: its name in the enclosing scope (a scope given
    as a value is entered again by its own name; a default name is made unique, `bottleneck_v1_1`)."""
    state = _state(it)
    try:
        args = [it.value(a, scope) for a in call.args[:2]]
        keywords = {k.arg: k for k in call.keywords}
        name = args[0] if args else it.value(keywords["name_or_scope"].value, scope) \
            if "name_or_scope" in keywords else None
        default = args[1] if len(args) > 1 else it.value(keywords["default_name"].value, scope) \
            if "default_name" in keywords else None
        reuse = it.value(keywords["reuse"].value, scope) if "reuse" in keywords else None
    except Unreadable as error:
        return Unknown(error, call)
    outer = state["variable scopes"][-1] if state["variable scopes"] else ""
    if isinstance(name, VariableScope):
        full = name.values["name"]
    elif isinstance(name, str) or isinstance(default, str):
        base = f"{outer}/{name if isinstance(name, str) else default}".lstrip("/")
        full = base
        if not isinstance(name, str):  # a default name is made unique in its scope
            count = state["counts"].get(base, 0)
            state["counts"][base] = count + 1
            full = base if count == 0 else f"{base}_{count}"
    else:
        return Unknown(Unreadable(call, "this variable scope has neither a name nor a default name the reader "
                                        "can compute"), call)
    _push_scope(state, full, reuse not in (None, False))
    return VariableScope({"name": full, "original_name_scope": f"{full}/"}, call)


# ---------------------------------------------------------------------------------------------- calls


def call_slim(it: Interpreter, qualified: str, args: list, kwargs: dict, node: ast.Call, scope: Any) -> Any:
    """A call of a tf-slim function: a layer function (with its arg scopes' defaults), `arg_scope`, `repeat` /
    `stack`, `softmax`, and the end-point helpers of `slim.utils`."""
    name = slim_function(qualified)
    last = name[len(_PREFIX):]
    if name in LAYER_FUNCTIONS:
        return _layer_call(it, name, args, kwargs, node)
    if last == "arg_scope":
        return make_arg_scope(it, args, kwargs, node)
    if last == "current_arg_scope":
        return ArgScope(dict(_current(it).defaults))
    if last == "add_arg_scope":
        return arg_scoped(args[0] if args else None, node)
    if last in ("repeat", "stack"):
        return _repeat(it, last, args, kwargs, node, scope)
    if last == "softmax":
        logits = args[0] if args else kwargs.get("logits")
        return it.graph.add({"type": "softmax"}, [_tensor(logits, node)], it.here(node), {},
                            _layer_name(it, kwargs.get("scope"), "softmax"))
    if last in ("utils.collect_named_outputs", "utils.append_tensor_alias"):
        return _collect(it, args, kwargs, node)
    if last == "utils.convert_collection_to_dict":
        collection = args[0] if args else kwargs.get("collection")
        return it.built(dict(_state(it)["collections"].get(collection, [])), node)
    if last == "utils.last_dimension":
        return _last_dimension(it, args[0] if args else kwargs.get("shape"), node)
    if last.startswith("nets."):  # a network of the tf-slim distribution, imported as a library
        module, _, function = last.rpartition(".")
        raise Unreadable(node, f"{ast.unparse(node.func)}() is a network of the tf-slim library, which is not read "
                               f"from here; plan its file: tf_slim/{module.replace('.', '/')}.py::{function}")
    raise Unreadable(node, f"{ast.unparse(node.func)}() is not read by layerplan's model reader (tf-slim's layer "
                           "functions, arg_scope, repeat and stack are); write this step with the layers it makes")


def arg_scoped(function: Any, node: ast.AST) -> ArgScoped:
    """`@add_arg_scope` on a function of the files: that function, called with its arg scopes' defaults."""
    if not isinstance(function, Function):
        raise Unreadable(node, "@add_arg_scope is read on a function of the files")
    return ArgScoped(function)


def call_arg_scoped(it: Interpreter, callee: ArgScoped, args: list, kwargs: dict, node: ast.AST, scope: Any) -> Any:
    """A call of an `@add_arg_scope` function of the files: the call's keywords over its arg scopes' defaults."""
    definition = callee.function.node
    positional = tuple(a.arg for a in definition.args.posonlyargs + definition.args.args)
    merged = with_defaults(it, ("function", id(definition)), positional, len(args), kwargs, node, definition.name)
    return it.apply(callee.function, args, merged, node, scope)


def _tensor(value: Any, node: ast.AST) -> Tensor:
    if isinstance(value, Unknown):
        value.fail(node)
    if not isinstance(value, Tensor):
        raise Unreadable(node, "this is not a tensor the reader followed from the model's input")
    return value


def _scope_path(it: Interpreter, given: Any, default: str) -> str:
    """The variable scope a layer's variables are made in (`vgg_a/conv1/conv1_1`), as tf-slim names them."""
    outer = _state(it)["variable scopes"]
    own = given.values["name"] if isinstance(given, VariableScope) else given if isinstance(given, str) else default
    return own if isinstance(given, VariableScope) or not outer else f"{outer[-1]}/{own}"


def _layer_name(it: Interpreter, given: Any, default: str) -> str:
    """A layer's name: its variable scope path (`vgg_a.conv1.conv1_1`); a layer the call gives no scope, outside
    every variable scope, is named by the variable it is assigned to, as TensorFlow 1's other layers are."""
    if given is None and not _state(it)["variable scopes"] and it.hint:
        return it.hint
    return _scope_path(it, given, default).replace("/", ".")


def _bind(it: Interpreter, name: str, function: FunctionSpelling, args: list, kwargs: dict,
          node: ast.AST) -> tuple[Tensor, dict]:
    """(the input tensor, every argument by keyword): the call's positional arguments named, the arg scopes'
    defaults under the call's keywords."""
    written = ast.unparse(node.func) if isinstance(node, ast.Call) else name
    if "inputs" in kwargs:
        tensor, rest = kwargs.pop("inputs"), list(args)
    elif args:
        tensor, rest = args[0], list(args[1:])
    else:
        raise Unreadable(node, f"{written}() needs its input tensor")
    if len(rest) > len(function.positional):
        raise Unreadable(node, f"{written}() takes at most {len(function.positional) + 1} positional arguments")
    bound = with_defaults(it, name, function.positional, len(rest), kwargs, node, written)
    for parameter, value in zip(function.positional, rest):
        if parameter in kwargs:
            raise Unreadable(node, f"{written}() gets '{parameter}' twice (Python raises here)")
        bound[parameter] = value
    return _tensor(tensor, node), bound


def _layer_call(it: Interpreter, name: str, args: list, kwargs: dict, node: ast.AST, named: str | None = None) -> Tensor:
    """A tf-slim layer function applied to a tensor: its layer, then the batch_norm its normalizer_fn adds and the
    activation its activation_fn adds, named by the variable scope (or `named`)."""
    through, free = _CALLS_THROUGH.get(name, (None, frozenset()))
    clashing = sorted(set(_current(it).defaults.get(through, {})) - free)
    if clashing:
        raise Unreadable(node, f"{name[len(_PREFIX):]}() passes '{clashing[0]}' by position to {through[len(_PREFIX):]}(), "
                               "which an arg_scope also gives it (Python raises here); give it in an arg_scope of "
                               f"{name[len(_PREFIX):]} instead")
    choices = LAYER_FUNCTIONS[name]
    tensor, bound = _bind(it, name, choices[0][1], args, dict(kwargs), node)
    kind, function = choices[0]
    if len(choices) > 1:  # separable_conv2d: the depthwise step alone (the kind without filters) without num_outputs
        pointwise = bound.get("num_outputs", 0) is not None
        kind, function = next((k, f) for k, f in choices if (k.option("filters") is not None) == pointwise)
        if not pointwise:
            bound.pop("num_outputs")
    reusing = _state(it)["reusing"]
    if bound.get("reuse") not in (None, False) or reusing and reusing[-1]:
        raise Unreadable(node, f"{ast.unparse(node.func) if isinstance(node, ast.Call) else name}() reuses the "
                               "variables of an earlier layer (reuse=...): shared weights are not read for tf-slim's "
                               "layers; plan the network as it is built the first time")
    given_scope = bound.pop("scope", None)
    layer_name = named or _layer_name(it, given_scope, _DEFAULT_NAMES.get(name, kind.name))
    scope_path = _scope_path(it, given_scope, _DEFAULT_NAMES.get(name, kind.name))
    options = {"type": _type_name(kind)}
    for option, value in function.defaults.items():
        options[option] = value
    by_keyword = {keyword: option for option, keyword in function.arguments.items()}
    normalizer, normalizer_params, activation = None, {}, options.pop("activation", None)
    for keyword, value in bound.items():
        it._step(node)
        if keyword == "activation_fn":
            activation = _activation(value, node)
        elif keyword == "normalizer_fn":
            normalizer = _normalizer(value, node)
        elif keyword == "normalizer_params":
            normalizer_params = dict(value or {}) if isinstance(value, dict) or value is None else \
                _refuse_value(value, node, "normalizer_params must be a dict")
        elif keyword == "biases_initializer":
            if value is None:
                options["bias"] = False
            elif isinstance(value, Unknown) and not isinstance(value.statement, ast.Call):
                value.fail(node)  # it may be None: whether the layer has biases depends on it
        elif keyword == "keep_prob":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                _refuse_value(value, node, "keep_prob must be a number")
            options["rate"] = round(1 - value, 12)
        elif keyword == "data_format":
            if value not in (None, "NHWC"):
                raise Unreadable(node, f"{name[len(_PREFIX):]}(data_format={value!r}) is not planned (keras' layout, "
                                       "NHWC, only); write this layer as a spec")
        elif keyword in _MUST_BE:
            if value is not _MUST_BE[keyword] and value != _MUST_BE[keyword]:
                raise Unreadable(node, f"{name[len(_PREFIX):]}({keyword}={value!r}) changes what is counted and is not "
                                       "planned by layerplan; write this layer as a spec")
        elif keyword in by_keyword or kind.option(keyword) is not None:
            option = by_keyword.get(keyword, keyword)
            options[option] = value.lower() if option == "padding" and isinstance(value, str) else value
        elif keyword in _INERT or keyword.endswith(("_initializer", "_regularizer")):
            continue
        else:
            raise Unreadable(node, f"{name[len(_PREFIX):]}() has no argument '{keyword}' that layerplan reads")
    if normalizer is not None:
        options["bias"] = False  # tf-slim adds no biases before a normalizer
    if normalizer is None and activation is not None and kind.option("activation") is not None:
        options["activation"], activation = activation, None  # the layer's own activation (keras' fused one)
    output = it.graph.add(options, [tensor], it.here(node), {}, layer_name)
    if normalizer is not None:
        output = _normalize(it, normalizer, output, normalizer_params, scope_path, f"{layer_name}.BatchNorm", node)
    if activation is not None:
        output = it.graph.add({"type": activation}, [output], it.here(node), {}, f"{layer_name}.{activation}")
    _record(it, bound.get("outputs_collections"), scope_path, output)
    return output


def _type_name(kind: Kind) -> str:
    """The spec type of a kind's layer: its name, or keras' class where that class leaves the dimensions to the
    input's rank (BatchNormalization after a convolution or a fully connected layer)."""
    cls = kind.spelling("keras")
    return cls if cls and resolve_type(cls, None) is None else kind.name


def _normalize(it: Interpreter, normalizer: str, tensor: Tensor, params: dict, scope_path: str, named: str,
               node: ast.AST) -> Tensor:
    """The normalizer_fn a layer applies to its output (`slim.batch_norm`, with normalizer_params and its own arg
    scopes' defaults), named `<layer>.BatchNorm` as tf-slim's variables are."""
    state = _state(it)
    depth = len(state["variable scopes"])
    _push_scope(state, scope_path, False)
    try:
        return _layer_call(it, normalizer, [tensor], {k: v for k, v in params.items() if k != "scope"}, node, named)
    finally:
        _pop_scopes(state, depth)


def _refuse_value(value: Any, node: ast.AST, message: str):
    if isinstance(value, Unknown):
        value.fail(node)
    raise Unreadable(node, message)


def _activation(value: Any, node: ast.AST) -> str | None:
    """An `activation_fn=`: None, or a TensorFlow activation function (`tf.nn.relu`) -> the spec's type."""
    if value is None:
        return None
    if isinstance(value, Qualified):
        head, _, last = value.name.rpartition(".")
        if head in _ACTIVATION_MODULES and last in ACTIVATIONS:
            return ACTIVATIONS[last]
        if value.name == "tensorflow.identity":
            return None
    if isinstance(value, Unknown):
        value.fail(node)
    raise Unreadable(node, "this activation_fn is not a TensorFlow activation the reader knows (tf.nn.relu, "
                           "tf.nn.sigmoid...); write the activation as a layer after it")


def _normalizer(value: Any, node: ast.AST) -> str | None:
    """A `normalizer_fn=`: None, or a tf-slim layer function of one input (`slim.batch_norm`)."""
    if value is None:
        return None
    if isinstance(value, Qualified):
        name = slim_function(value.name)
        if name == "tf_slim.batch_norm":
            return name
    if isinstance(value, Unknown):
        value.fail(node)
    raise Unreadable(node, "this normalizer_fn is not read (slim.batch_norm is); write the normalisation as a "
                           "layer after it")


def _repeat(it: Interpreter, which: str, args: list, kwargs: dict, node: ast.AST, scope: Any) -> Tensor:
    """`slim.repeat(inputs, n, layer, *args, **kwargs)` applies the layer n times; `slim.stack(inputs, layer,
    [args...], **kwargs)` once per argument (a tuple is several); each call is named `<scope>/<scope>_<k>`."""
    kwargs = dict(kwargs)
    if which == "repeat":
        if len(args) < 3:
            raise Unreadable(node, "repeat() takes the input, the number of repetitions and the layer")
        current, count, layer, rest = args[0], args[1], args[2], list(args[3:])
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            _refuse_value(count, node, "repeat()'s number of repetitions must be a number the reader can compute")
        if count > MAX_SEQUENCE:
            raise Unreadable(node, f"repeat() {count:,} times is over the reader's limit of {MAX_SEQUENCE:,}")
        calls = [(rest, kwargs)] * count
        default = "Repeat"
    else:
        if len(args) < 3:
            raise Unreadable(node, "stack() takes the input, the layer and a list of arguments")
        current, layer, arguments = args[0], args[1], args[2]
        calls = [(list(a) if isinstance(a, (list, tuple)) else [a], kwargs) for a in it.iterate(arguments, node)]
        default = "Stack"
    base = kwargs.pop("scope", None)
    state = _state(it)
    depth = len(state["variable scopes"])
    entered = _enter_named(it, base, default, node)
    try:
        stem = entered.rpartition("/")[2]
        for index, (call_args, call_kwargs) in enumerate(calls, start=1):
            it._step(node)
            current = it.apply(layer, [current, *call_args], {**call_kwargs, "scope": f"{stem}_{index}"}, node, scope)
    finally:
        _pop_scopes(state, depth)
    return current


def _enter_named(it: Interpreter, name: Any, default: str, node: ast.AST) -> str:
    """Enter the variable scope `name` (else the default name, made unique), as repeat and stack do."""
    state = _state(it)
    outer = state["variable scopes"][-1] if state["variable scopes"] else ""
    if isinstance(name, str):
        full = f"{outer}/{name}".lstrip("/")
    else:
        base = f"{outer}/{default}".lstrip("/")
        count = state["counts"].get(base, 0)
        state["counts"][base] = count + 1
        full = base if count == 0 else f"{base}_{count}"
    _push_scope(state, full, False)
    return full


def _record(it: Interpreter, collections: Any, alias: str, tensor: Tensor) -> None:
    """A layer's output added to the collections its `outputs_collections` names, under its scope's name."""
    if collections is None or isinstance(collections, Unknown):
        return
    names = collections if isinstance(collections, (list, tuple)) else [collections]
    for collection in names:
        if isinstance(collection, str):
            entries = _state(it)["collections"].setdefault(collection, [])
            it.grow(entries, 1, None)
            entries.append((alias, tensor))


def _collect(it: Interpreter, args: list, kwargs: dict, node: ast.AST) -> Any:
    """`utils.collect_named_outputs(collections, alias, outputs)`: the outputs, recorded under the alias."""
    if len(args) < 3:
        raise Unreadable(node, "collect_named_outputs() takes the collections, an alias and the outputs")
    collections, alias, outputs = args[:3]
    if isinstance(outputs, Tensor) and isinstance(alias, str):
        _record(it, collections, alias, outputs)
    return outputs


def _last_dimension(it: Interpreter, shape: Any, node: ast.AST) -> int:
    """`utils.last_dimension(x.get_shape(), min_rank=4)`: the size of the tensor's last axis."""
    if isinstance(shape, TensorShape) and is_tensor(shape.tensor):
        sizes = as_sequence(it, shape, node)
        if sizes and isinstance(sizes[-1], int):
            return sizes[-1]
    raise Unreadable(node, "last_dimension() of a shape the reader does not hold")
