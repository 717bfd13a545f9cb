"""Statements that provably change no shape and no parameter count, skipped wherever they are (a model's
`__init__`, `forward`, a builder function), with an info line (LP320) the first time each kind occurs.

A statement is irrelevant when all it can do is change values, not structure:

- weight initialisation: a call of `torch.nn.init.*`, or an in-place value method (`normal_`, `fill_`,
  `zero_`, `copy_`...) on a layer's `weight`, `bias` or `.data`; a loop over the model's own modules or
  parameters (`for m in self.modules():`) whose body holds only such calls, branches and plain
  assignments (the names it assigns are unreadable after it: never left at a stale value); a branch
  (`if isinstance(self.head, nn.Linear):`) that holds such calls and nothing else but plain assignments
  and such branches (its test is not evaluated; the names it assigns are unreadable after it); torch's
  `self.apply(fn)` on a model object, of a function of the files whose body holds only such statements;
- logging: `print`, `logging.*`, `warnings.warn`, the library's API-usage logger
  (`_log_api_usage_once(self)`);
- `assert`, and an assertion written as a call (`torch._assert(cond, message)`);
- weight loading: `load_weights` / `load_state_dict` called on a model object (it copies values into
  the layers the model has, and raises when a shape differs), and an assignment of a download
  (`keras.utils.get_file`: a path the reader does not hold; the names it assigns are unreadable after it).

Freezing (`requires_grad = False`, `requires_grad_(False)`, keras `trainable = False`) is not among
them: it changes what is counted as trainable, and is read before this module is asked (frozen.py).
"""

from __future__ import annotations

import ast
from typing import Any

from .source import Unreadable
from .values import Function, Instance, Model, Scope, Sequential, Unknown

#: values that are a model object (what weight loading is called on)
_MODEL_OBJECTS = (Model, Sequential)

Interpreter = Any

#: functions (canonical dotted names, or the last part for a function of the files) that only log
_LOGGING = frozenset({"print", "warnings.warn", "torch._C._log_api_usage_once", "_log_api_usage_once",
                      "torchvision.utils._log_api_usage_once"})
_LOGGING_PREFIXES = ("logging.", "warnings.")
#: functions that fetch a file (weights, a class index) and give its path
_DOWNLOADS = frozenset({"keras.utils.get_file", "keras.utils.file_utils.get_file", "tensorflow.keras.utils.get_file"})
#: methods of a model object that copy stored values into its existing weights
_WEIGHT_LOADING = frozenset({"load_weights", "load_state_dict"})
#: functions that are an assertion written as a call (torch's, for scripting)
_ASSERTIONS = frozenset({"torch._assert"})
#: in-place methods that change a tensor's values, never its shape
_INIT_METHODS = frozenset({"normal_", "uniform_", "fill_", "zero_", "copy_", "constant_", "clamp_", "mul_", "add_",
                           "div_", "sub_", "exponential_", "bernoulli_", "random_", "log_normal_", "geometric_",
                           "cauchy_"})
#: the attributes that hold a layer's values (weights, biases, their data)
_VALUE_ATTRIBUTES = frozenset({"weight", "bias", "data", "running_mean", "running_var", "in_proj_weight",
                               "in_proj_bias"})
#: methods of a model object that give its own modules or parameters (what an init loop walks)
_OWN_PARTS = frozenset({"modules", "children", "parameters", "named_modules", "named_children",
                        "named_parameters", "buffers", "named_buffers"})


def skipped_statement(it: Interpreter, statement: ast.stmt, scope: Scope, *, in_function: bool = True) -> bool:
    """Whether `statement` is irrelevant (see the module's docstring): then it is not run, and the first of
    its kind in the file gets an info note (at module level, printing and asserts go without one, as the
    code around a model always has)."""
    kind = _kind(it, statement, scope)
    if kind is None:
        return False
    if not in_function and kind in ("logging", "an assert"):
        return True
    if isinstance(statement, (ast.For, ast.Assign, ast.If)):
        for target in ast.walk(statement):  # what the loop assigns is not known after it
            if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                it._step(target)
                scope.names[target.id] = Unknown(Unreadable(target, f"'{target.id}' is assigned in {kind} the reader "
                                                                   "skips (it cannot change the model)"), statement)
    where = statement if getattr(statement, "_layerplan_module", None) is None else it.call_site
    if where is not None:
        it.note("code-skipped", ("skipped", kind), where,
                f"{_snippet(statement)} is skipped: {kind} cannot change shapes or parameter counts (the first of "
                "its kind here; the others are skipped without a note)")
    return True


def _kind(it: Interpreter, statement: ast.stmt, scope: Scope) -> str | None:
    if isinstance(statement, ast.Assert):
        return "an assert"
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        if _loads_weights(it, statement.value, scope):
            return "weight loading"
        if _applies_initialiser(it, statement.value, scope):
            return "weight initialisation"
        return _call_kind(it, statement.value)
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) \
            and all(isinstance(t, ast.Name) for t in statement.targets) \
            and it.imports.qualified(statement.value.func) in _DOWNLOADS:
        return "weight loading"
    if isinstance(statement, ast.For) and _walks_own_parts(statement.iter) and not statement.orelse \
            and _initialises_only(it, statement.body):
        return "weight initialisation"
    if isinstance(statement, ast.If) and _initialises_only(it, [statement]) and _initialises_something(it, statement):
        return "weight initialisation"
    return None


def _initialises_something(it: Interpreter, statement: ast.If) -> bool:
    """Whether a branch holds an initialisation call (a branch of plain assignments only sets values the model
    may use)."""
    for node in ast.walk(statement):
        it._step(node)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                _call_kind(it, node.value) == "weight initialisation":
            return True
    return False


def _call_kind(it: Interpreter, call: ast.Call) -> str | None:
    it._step(call)
    func = call.func
    name = it.imports.qualified(func) or (func.id if isinstance(func, ast.Name) else None)
    if name in _ASSERTIONS:
        return "an assert"
    if name is not None and (name in _LOGGING or name.startswith(_LOGGING_PREFIXES)
                             or name.rpartition(".")[2] == "_log_api_usage_once"):
        return "logging"
    if name is not None and name.startswith("torch.nn.init."):
        return "weight initialisation"
    if isinstance(func, ast.Attribute) and func.attr in _INIT_METHODS and _holds_values(func.value):
        return "weight initialisation"
    return None


def _loads_weights(it: Interpreter, call: ast.Call, scope: Scope) -> bool:
    """`model.load_weights(path)`, `self.load_state_dict(state)`: on a model object the reader made, whose
    classes of the files do not define that method themselves."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in _WEIGHT_LOADING and isinstance(func.value, ast.Name)):
        return False
    try:
        receiver = scope.get(func.value.id)
    except KeyError:
        return False
    if isinstance(receiver, Instance):
        return not receiver.plain and it._method(receiver.cls, func.attr) is None
    return isinstance(receiver, _MODEL_OBJECTS)


def _applies_initialiser(it: Interpreter, call: ast.Call, scope: Scope) -> bool:
    """`self.apply(_weights_init)`: torch's Module.apply, on a model object the reader made whose classes do not
    define `apply` themselves, of a function of the files whose body only initialises values."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "apply" and isinstance(func.value, ast.Name)
            and len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.Name)):
        return False
    try:
        receiver, function = scope.get(func.value.id), scope.get(call.args[0].id)
    except KeyError:
        return False
    if isinstance(receiver, Instance):
        if receiver.plain or it._method(receiver.cls, "apply") is not None:
            return False
    elif not isinstance(receiver, _MODEL_OBJECTS):
        return False
    return isinstance(function, Function) and isinstance(function.node, ast.FunctionDef) \
        and _initialises_only(it, function.node.body)


def _holds_values(node: ast.AST) -> bool:
    """Whether an expression reads a layer's weights or data (`self.fc.weight`, `m.bias.data`)."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute) and node.attr in _VALUE_ATTRIBUTES:
            return True
        node = node.value
    return False


def _walks_own_parts(node: ast.AST) -> bool:
    """`self.modules()`, `model.named_parameters()`...: a walk over a model object's own parts."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _OWN_PARTS \
        and not node.args and not node.keywords


def _initialises_only(it: Interpreter, body: list[ast.stmt]) -> bool:
    """Whether statements only initialise values: init calls, branches on anything, plain assignments to
    names, pass / continue, and nested loops of the same."""
    for statement in body:
        it._step(statement)
        if isinstance(statement, (ast.Pass, ast.Continue)):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            if _call_kind(it, statement.value) is None:
                return False
            continue
        if isinstance(statement, ast.Assign) and all(isinstance(t, ast.Name) for t in statement.targets):
            continue
        if isinstance(statement, ast.If):
            if not (_initialises_only(it, statement.body) and _initialises_only(it, statement.orelse)):
                return False
            continue
        if isinstance(statement, ast.For) and not statement.orelse:
            if not _initialises_only(it, statement.body):
                return False
            continue
        return False
    return True


def _snippet(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split("\n")[0].split())
    return f"`{text[:57]}...`" if len(text) > 60 else f"`{text}`"
