"""Freezing read from model code: what makes a layer's weights non-trainable, as the spec's
`trainable: false` says it (docs/spec.md, "Frozen layers").

A freeze is exact when it covers all the weights of whole layers, and it is then read:

- keras: `Layer(..., trainable=False)`; `X.trainable = False` on a layer, a Sequential, a model object or a
  functional Model (all the layers it holds), such as `layer.trainable = False` in a loop over layers, or
  `model.layers[i].trainable = False` on a keras Sequential;
- torch: `X.requires_grad_(False)` on a layer or a module; a loop `for p in X.parameters():` whose body
  only sets `p.requires_grad = False` (or calls `p.requires_grad_(False)`), `X` being a layer or a module
  (`self.parameters()`: every layer of the model); `X.weight.requires_grad = False` where `weight` is all
  of X's weights (an embedding, a conv or linear layer without bias).

Setting `True` again makes them trainable (the default). Anything that freezes part of a layer's weights
(`X.bias.requires_grad = False`, the weight of a layer with a bias, a loop that chooses parameters by
name) is refused at its line, naming the layer and the fix: a spec freezes whole layers.
"""

from __future__ import annotations

import ast
from typing import Any

from .container_classes import contents, container_kind, iterated
from .layers import Layer, kind_for
from .source import Unreadable
from .values import Instance, Model, ModuleList, Scope, Sequential

Interpreter = Any

#: what sets a parameter or layer trainable: the attribute assigned (torch per tensor, keras per layer)
_FLAGS = ("requires_grad", "trainable")
#: the method that sets every parameter of a torch module (or one tensor) at once
_SETTER = "requires_grad_"
#: methods of a module that give its parameters (a loop over them may freeze the module)
_PARAMETER_WALKS = ("parameters", "named_parameters")
#: kind families whose parameters are `weight`, then `bias` when the bias option is on (and the weight is
#: not reparametrised by weight_norm / spectral_norm)
_WEIGHT_THEN_BIAS = frozenset({"conv", "conv_transpose", "dense"})
#: kind families whose one parameter is `weight`
_WEIGHT_ONLY = frozenset({"embedding"})

_FIX = ("a spec freezes whole layers (trainable: false): freeze all of the layer's parameters "
        "(`{owner}.requires_grad_(False)`), or write the model as a spec")


def freezing_statement(it: Interpreter, statement: ast.stmt, scope: Scope) -> bool:
    """Read `statement` when it freezes (or unfreezes) weights; False when it does not set what is trainable.

    >>> freezing_statement(None, ast.parse("x = 1").body[0], None)
    False
    """
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
            and isinstance(statement.targets[0], ast.Attribute) and statement.targets[0].attr in _FLAGS:
        _assigned_flag(it, statement.targets[0], _flag(it, statement.value, scope), scope)
        return True
    if isinstance(statement, ast.Expr) and _is_setter_call(statement.value):
        return _setter_statement(it, statement.value, scope)
    if isinstance(statement, ast.For) and _walks_parameters(statement.iter) and _sets_flag(statement.body):
        _parameter_loop(it, statement, scope)
        return True
    return False


def _flag(it: Interpreter, node: ast.AST, scope: Scope) -> bool:
    value = it.value(node, scope)
    if not isinstance(value, bool):
        raise Unreadable(node, f"what is trainable must be True or False here, got {ast.unparse(node)!r}; write "
                               "True or False (a spec layer takes trainable: false)")
    return value


def _is_setter_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == _SETTER


def _setter_flag(it: Interpreter, call: ast.Call, scope: Scope) -> bool:
    """`requires_grad_(requires_grad=True)`: its one argument, True when not given."""
    arguments = [*call.args, *(k.value for k in call.keywords if k.arg == "requires_grad")]
    if len(arguments) > 1 or len(call.keywords) > sum(k.arg == "requires_grad" for k in call.keywords):
        raise Unreadable(call, "requires_grad_ takes one argument, True or False")
    return True if not arguments else _flag(it, arguments[0], scope)


def _assigned_flag(it: Interpreter, target: ast.Attribute, trainable: bool, scope: Scope) -> None:
    """`X.trainable = flag` (a layer or what holds layers), `X.weight.requires_grad = flag` (one tensor)."""
    if target.attr == "trainable":
        value = it.value(target.value, scope)
        _set(it, _held_layers(it, value, target), trainable, target, holder=_holder(value))
        return
    owner = _tensor_owner(it, target.value, scope)
    if owner is None:
        raise Unreadable(target, f"`{ast.unparse(target)} = ...` sets a flag the reader cannot tie to a layer's "
                                 "weights; " + _FIX.format(owner="layer"))
    _set(it, [_whole_layer(owner, target.value, target)], trainable, target)


def _setter_statement(it: Interpreter, call: ast.Call, scope: Scope) -> bool:
    """`X.requires_grad_(flag)`: X one tensor of a layer (`self.emb.weight`) or a module; False when X is
    neither (a data tensor: its gradient flag changes no weights)."""
    trainable = _setter_flag(it, call, scope)
    owner = _tensor_owner(it, call.func.value, scope)
    if owner is not None:
        _set(it, [_whole_layer(owner, call.func.value, call)], trainable, call)
        return True
    value = it.value(call.func.value, scope)
    if not isinstance(value, (Layer, Sequential, ModuleList, Model, Instance)) \
            or isinstance(value, Instance) and value.plain:
        return False
    _set(it, _held_layers(it, value, call), trainable, call, holder=_holder(value))
    return True


def _tensor_owner(it: Interpreter, node: ast.AST, scope: Scope) -> Layer | None:
    """The layer whose tensor `node` names (`self.emb.weight`: self.emb), None when node names no tensor of a
    layer."""
    if not isinstance(node, ast.Attribute):
        return None
    try:
        owner = it.value(node.value, scope)
    except Unreadable:
        return None
    return owner if isinstance(owner, Layer) else None


def _whole_layer(layer: Layer, node: ast.Attribute, where: ast.AST) -> Layer:
    """The layer, when the tensor `node` names is all of its weights; refused otherwise."""
    entry = layer.entry
    kind = _family(entry["type"])
    owner = ast.unparse(node.value)
    if node.attr == "weight" and (kind in _WEIGHT_ONLY or kind in _WEIGHT_THEN_BIAS and entry.get("bias") is False
                                  and not entry.get("weight_norm") and not entry.get("spectral_norm")):
        return layer
    if kind in _WEIGHT_THEN_BIAS and node.attr in ("weight", "bias"):
        other = "bias" if node.attr == "weight" else "weight"
        raise Unreadable(where, f"this freezes only the {node.attr} of {owner} (a {entry['type']}), not its {other}: "
                                + _FIX.format(owner=owner))
    raise Unreadable(where, f"this freezes {node.attr} of {owner} (a {entry['type']}), one tensor of its weights: "
                            + _FIX.format(owner=owner))


def _family(type_name: str) -> str | None:
    kind = kind_for(type_name)
    return None if kind is None else kind.family


def model_layers(model: Sequential | Model, node: ast.AST) -> ModuleList:
    """`model.layers` of a keras Sequential: its layers in order (keras lists no Input among them). A
    functional model's list (its Input layers first, then keras' own order) is not read."""
    if isinstance(model, Sequential):
        return ModuleList([child for _, child in model.children], node)
    raise Unreadable(node, f"`{ast.unparse(node)}` is read for a keras Sequential, not a functional Model; freeze "
                           "the layer itself (`Layer(..., trainable=False)`, or `layer.trainable = False` on the "
                           "layer object)")


def _held_layers(it: Interpreter, value: Any, node: ast.AST) -> list[Layer]:
    """Every layer `value` holds: itself for a layer; a container's and a model object's layers, in depth; a
    functional model's recorded layer calls. Anything else cannot be frozen by the reader."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        it._step(node)
        if isinstance(item, Layer):
            found.append(item)
        elif isinstance(item, Sequential):
            stack.extend(child for _, child in item.children)
        elif isinstance(item, ModuleList):
            stack.extend(item.children)
        elif isinstance(item, Model):
            found.extend(_model_nodes(it, item, node))
        elif container_kind(it, item) is not None:
            stack.extend(iterated(it, item, node))
        elif isinstance(item, Instance) and not item.plain:
            stack.extend(module for _, module in contents(it, item, node))
        else:
            raise Unreadable(node, f"`{ast.unparse(node)}` freezes something that is not a layer or a model the "
                                   "reader made; " + _FIX.format(owner="layer"))
    return found


def _model_nodes(it: Interpreter, model: Model, node: ast.AST) -> list:
    """The recorded calls of a functional keras Model's layers: every one between its inputs and outputs."""
    inputs = {tensor.name for tensor in model.inputs}
    found, seen = [], set()
    stack = [tensor.name for tensor in model.outputs]
    while stack:
        name = stack.pop()
        it._step(node)
        called = model.graph.by_name.get(name) or model.graph.by_name.get(name.rsplit(":", 1)[0])
        if name in inputs or called is None or id(called) in seen:
            continue
        seen.add(id(called))
        found.append(called)
        stack.extend(called.inputs)
    return found


def _holder(value: Any) -> Any:
    """What holds the layers a flag is set on (a model, a Sequential), None for a layer or a list of layers."""
    return None if isinstance(value, (Layer, ModuleList)) else value


def _frozen_by(it: Interpreter, layer: Any) -> Any:
    """What a layer (or its first call, in a functional model) was frozen with as a whole, None if nothing."""
    first_call = it.graph.by_name.get(layer.first_call) if isinstance(layer, Layer) and layer.first_call else None
    return getattr(layer, "frozen_by", None) or getattr(first_call, "frozen_by", None)


def _set(it: Interpreter, layers: list, trainable: bool, node: ast.AST, *, holder: Any = None) -> None:
    """Mark the layers (or the recorded calls of a functional model's layers) frozen, or trainable again, and
    the calls already made of them: a freeze after the model is built counts. A layer without weights (a relu
    inside a frozen block) has nothing to freeze and is left as it is. `holder`: what the flag is set on when
    it holds the layers (a model, a Sequential), not a layer itself.

    keras counts no weight of a frozen model as trainable, whatever its layers' own flags say: a layer (or a
    part of that model) made trainable again inside it is refused; the model itself may be."""
    if trainable and it.framework == "keras" \
            and any(_frozen_by(it, layer) not in (None, holder) for layer in layers):
        raise Unreadable(node, "this layer is inside a model or Sequential frozen as a whole, whose weights keras "
                               "counts as non-trainable whatever the layer's own flag; freeze the other layers one "
                               "by one instead of the whole model")
    later: dict[str, list[dict]] = {}  # first call -> the entries of its later calls (shares: it)
    for called in it.graph.nodes if any(not isinstance(layer, Layer) or layer.first_call for layer in layers) else ():
        it._step(node)
        if called.entry.get("shares") is not None:
            later.setdefault(called.entry["shares"], []).append(called.entry)
    for layer in layers:
        it._step(node)
        kind = kind_for(layer.entry["type"])
        if kind is not None and kind.parameter_free:
            continue
        entries = [layer.entry]
        first_call = layer.first_call if isinstance(layer, Layer) else layer.name
        if first_call is not None and first_call in it.graph.by_name:
            entries += [it.graph.by_name[first_call].entry, *later.get(first_call, ())]
        if holder is not None:
            layer.frozen_by = None if trainable else holder
        for entry in entries:
            if trainable:
                entry.pop("trainable", None)
            else:
                entry["trainable"] = False


def _walks_parameters(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in _PARAMETER_WALKS and not node.args and not node.keywords


def _sets_flag(body: list[ast.stmt]) -> bool:
    """Whether a loop body anywhere sets requires_grad (a freeze, exact or not)."""
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Attribute) and node.attr == "requires_grad" and isinstance(node.ctx, ast.Store):
            return True
        if _is_setter_call(node):
            return True
    return False


def _parameter_loop(it: Interpreter, loop: ast.For, scope: Scope) -> None:
    """`for p in X.parameters(): p.requires_grad = False`: every parameter of X, so every layer it holds."""
    variable = loop.target
    if loop.iter.func.attr == "named_parameters" and isinstance(variable, ast.Tuple) and len(variable.elts) == 2:
        variable = variable.elts[1]
    flags = [_loop_flag(it, statement, variable, scope) for statement in loop.body]
    if loop.orelse or not isinstance(variable, ast.Name) or None in flags or len(set(flags)) != 1:
        raise Unreadable(loop, f"this loop sets requires_grad on some of {ast.unparse(loop.iter.func.value)}'s "
                               "parameters, or does more than set it: a spec freezes whole layers (trainable: false); "
                               f"write `for p in X.parameters(): p.requires_grad = False` for each layer X it "
                               "freezes, or write the model as a spec")
    owner = it.value(loop.iter.func.value, scope)
    _set(it, _held_layers(it, owner, loop.iter), flags[0], loop)


def _loop_flag(it: Interpreter, statement: ast.stmt, variable: ast.AST, scope: Scope) -> bool | None:
    """The flag one statement of a parameter loop sets on the loop's parameter (None: it does something else)."""
    name = variable.id if isinstance(variable, ast.Name) else None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Attribute) and target.attr == "requires_grad" \
                and isinstance(target.value, ast.Name) and target.value.id == name:
            return _flag(it, statement.value, scope)
    if isinstance(statement, ast.Expr) and _is_setter_call(statement.value) \
            and isinstance(statement.value.func.value, ast.Name) and statement.value.func.value.id == name:
        return _setter_flag(it, statement.value, scope)
    return None
