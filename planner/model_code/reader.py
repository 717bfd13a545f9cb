"""Reading a model file: parse it, interpret its model-building code (never running it), and turn the
model found into the plain data a spec parses to (planner/model_code/__init__.py says what is read)."""


from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, SpecReadError
from .evaluate import Interpreter
from .graph import Graph, Tensor
from .sample_shapes import UNSTATED
from .imported_files import module_file
from .imported_framework import framework_of_imported_files
from .layers import Layer
from .source import (Imports, TooLarge, Unreadable, input_pragma, named_input_pragmas, position,
                                                 value_pragmas)
from .values import (Class, Function, Instance, MODEL_VALUES, Model, Sequential,
                                                 Unknown)
from ..spec_text import Document
from .given import Selection, parse_selection, split_settings
from .selected import call_selected_function, check_constructor_arguments

__all__ = ["read_model"]

#: Python's parser keeps every syntax node as an object: up to about 830 bytes of memory per token (a file
#: of `x=1` lines; a long list literal about 500), at about 5 microseconds per token. A model file is refused
#: over MAX_MODEL_TOKENS tokens (at worst about 85 MB and half a second of parsing) and, before its tokens
#: are counted, over MAX_MODEL_CHARACTERS characters. docs/model-code.md#limits gives the measurements.
MAX_MODEL_CHARACTERS = 1024 * 1024
MAX_MODEL_TOKENS = 100_000
#: What counts as a token: a run of letters, digits and underscores, or any one other visible character
#: (an upper bound of the tokens Python's tokenizer finds; words in comments and strings count too).
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _error(name: str, message: str, filename: str, node_or_position: Any = None) -> SpecReadError:
    spot = node_or_position if isinstance(node_or_position, tuple) or node_or_position is None \
        else position(node_or_position)
    line, column = spot if spot else (None, None)
    return SpecReadError(Diagnostic.make(name, message, line=line, column=column))


def _parse(text: str, filename: str) -> ast.Module:
    if len(text) > MAX_MODEL_CHARACTERS:
        raise _error("too-large", f"{len(text):,} characters is over the {MAX_MODEL_CHARACTERS:,} limit for a model "
                                  "file", filename)
    for count, token in enumerate(_TOKEN.finditer(text), 1):
        if count > MAX_MODEL_TOKENS:
            line = text.count("\n", 0, token.start()) + 1
            raise _error("too-large", f"the model file holds more than {MAX_MODEL_TOKENS:,} tokens (names, numbers "
                                      "and symbols), the limit for a model file", filename, (line, 1))
    try:
        return ast.parse(text, filename)
    except SyntaxError as exc:
        spot = (exc.lineno, exc.offset) if exc.lineno else None
        raise _error("syntax-error", f"not valid Python: {exc.msg}", filename, spot) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        reason = "is nested too deeply" if not isinstance(exc, ValueError) else f"cannot be parsed ({exc})"
        raise _error("too-large", f"the model file {reason}", filename) from None


def read_model(text: str, filename: str = "<model>", name: str | None = None, framework: str | None = None,
               input_shape: tuple | None = None, settings: Mapping[str, Any] | None = None,
               path: str | Path | None = None) -> Document:
    """The spec document of the model that `name` selects in model code (or the file's only model).

    `name` is NAME or NAME(ARGS) with literal arguments (a class instantiated, or a function called, with
    them). The framework follows from the imports unless given; `input_shape` is the sample shape where the
    code has none (keras `Input(shape=...)`, `input_shape=` and `tf.placeholder` give it). `settings`: values
    of names that replace the code's (`{"hidden": 64}`, as a `# layerplan: hidden = 64` comment does), or of
    attributes (`{"opt.img_size": 32}`). `path`: where the file is on disk, when it is: the modules of its
    tree that it imports are read from there (planner/model_code/imported_files.py); without it, imports of
    other files are opaque.
    """
    try:
        selection = parse_selection(name) if name is not None else None
    except ValueError as exc:
        raise _error("no-model", str(exc), filename) from None
    tree = _parse(text, filename)
    imports = Imports.of(tree)
    framework = framework or imports.framework()
    if framework is None and path is not None:  # `from .unet_parts import *`: the framework of those files
        framework = framework_of_imported_files(Path(path), text, tree)
    if framework is None:
        raise _error("no-model", "cannot tell the framework from the imports (torch or keras/tensorflow); give "
                                 "-f torch or -f keras", filename)
    try:
        plain, dotted = split_settings(settings)
        given = {key: value for key, (value, _) in value_pragmas(text).items()}

        def interpreter() -> Interpreter:
            main = module_file(Path(path), text, tree, Path(path).name) if path is not None else None
            made = Interpreter(tree, imports, framework, {**given, **plain}, main)
            made.given_attributes = dotted
            return made

        try:
            return _read(interpreter(), text, filename, selection, input_shape)
        except _ReadAgain as again:  # the code read an input's shape, which the plan replaces (-i): read with it
            it = interpreter()
            it.input_shapes.update(again.shapes)
            return _read(it, text, filename, selection, input_shape, again=False)
    except (Unreadable, TooLarge) as exc:
        message, node = _placed(exc)
        raise _error("unsupported-code" if isinstance(exc, Unreadable) else "too-large", message, filename,
                     node) from None
    except RecursionError:
        raise _error("too-large", "the model code is nested too deeply to follow", filename) from None


def _placed(error: Unreadable | TooLarge) -> tuple[str, Any]:
    """An error's message and node; an error in another file of the tree names that file and has no line of
    the model file (the calls from the model file name it where they fail)."""
    where = getattr(error.node, "_layerplan_module", None)
    if where is None:
        return error.message, error.node
    return f"{where.label}:{getattr(error.node, 'lineno', '?')}: {error.message}", None


class _ReadAgain(Exception):
    """The code computed sizes from an input's shape that the plan replaces (`-i` over the code's own
    `Input(shape=...)` / placeholder): the file is read again with the input's planned shape."""

    def __init__(self, shapes: dict[str, tuple]):
        super().__init__("read again")
        self.shapes = shapes


def _read(it: Interpreter, text: str, filename: str, selection: Selection | None, input_shape: tuple | None,
          again: bool = True) -> Document:
    pragma = input_pragma(text)
    common = input_shape or (pragma[0] if pragma else None)
    if common is not None:  # the shape of an input the code does not state, while the code is read
        it.input_shapes.setdefault(UNSTATED, tuple(common))
    it.run(it.tree.body, it.module, strict=False)
    it.settle()
    found = _find(it, selection.name if selection else None, filename)
    label, value = found
    if selection is None:
        _say_where_the_reader_stopped(it, label, filename)
    pragma = input_pragma(text)
    planned_with = (input_shape, named_input_pragmas(text), input_shape or (pragma[0] if pragma else None))
    graph, outputs, shape, input_node = _build(it, value, label, selection or Selection(label), filename, planned_with)
    layers, (positions, keys), output_names, used_inputs, declared = graph.spec(outputs)
    data: dict[str, Any] = {"name": label if selection else model_name(label, value, filename),
                            "framework": it.framework}
    if len(used_inputs) > 1:
        # several inputs: the code's shapes (keras Input), else `# layerplan: input NAME SHAPE`, else the
        # one shape given (-i or `# layerplan: input SHAPE`), taken by every input (a siamese pair)
        named = named_input_pragmas(text)
        common = input_shape or (pragma[0] if pragma else None)
        data["inputs"] = {}
        for n in used_inputs:
            shape = graph.inputs[n] or (named[n][0] if n in named else common)
            data["inputs"][n] = list(shape) if shape else None
            spot = position(graph.input_nodes.get(n)) if graph.inputs[n] else \
                (named[n][1], 1) if n in named else (pragma[1], 1) if pragma and not input_shape else \
                position(graph.input_nodes.get(n))
            if spot:
                positions[f"/inputs/{n}"] = spot
    else:
        if used_inputs:
            shape = shape or graph.inputs[used_inputs[0]]
            input_node = input_node or graph.input_nodes.get(used_inputs[0])
        shape = input_shape or shape or (pragma[0] if pragma else None)
        if shape is not None:
            data["input"] = list(shape)
        spot = position(input_node) if input_node is not None and not input_shape else \
            (pragma[1], 1) if pragma and not input_shape else None
        if spot:
            positions["/input"] = spot
    _check_shapes_read(graph, data, used_inputs, again)
    data["layers"] = layers
    if output_names:
        data["outputs"] = output_names
    return Document(data, filename, lambda: positions, lambda: keys, declared_inputs=tuple(declared),
                    model_code=True, reader_notes=tuple(it.notes), selected=label)


def _check_shapes_read(graph: Graph, data: dict, used_inputs: list[str], again: bool) -> None:
    """The input shapes the code's sizes were computed from must be the ones planned."""
    planned = {used_inputs[0]: data.get("input")} if len(used_inputs) == 1 else data.get("inputs", {})
    changed = {n: tuple(planned[n]) for n, used in graph.shapes_read.items()
               if planned.get(n) is not None and tuple(planned[n]) != used}
    if changed and again:
        raise _ReadAgain(changed)
    if changed:
        name = next(iter(changed))
        raise Unreadable(graph.input_nodes.get(name), f"the code computes sizes from the shape of '{name}', which "
                                                      "the reader cannot settle; give it with -i")


def model_name(label: str, value: Any, filename: str) -> str:
    """The name of the model the reader found (one not picked with `::NAME`): the name the code gives
    it (keras `Model(..., name="vae_encoder")`), else the variable, class or function that holds it;
    layers applied to an input with no model around them are the file's model, named after the file
    (never after the output tensor's variable).

    >>> model_name("encoded", Tensor("dense_1"), "models/cvae.py"), model_name("Net", None, "net.py")
    ('cvae', 'Net')
    """
    if isinstance(value, Tensor):
        return Path(filename).stem or label
    given = getattr(value, "name", None) if isinstance(value, (Model, Sequential)) else None
    return given if isinstance(given, str) and given.strip() else label


def _say_where_the_reader_stopped(it: Interpreter, label: str, filename: str) -> None:
    """When the file's last statement that may be a part of a model could not be read, the model found
    (not named by the user) may be only what the code builds before it: a warning says where reading stopped."""
    stopped = it.stopped
    if not stopped:
        return
    last = stopped[-1]
    end = getattr(last.statement, "end_lineno", last.statement.lineno)
    for statement in it.tree.body:
        if statement.lineno <= end or id(statement) in it.unread or _outside_the_flow(statement):
            continue
        if it.reads_the_network(statement):
            return  # later code that the reader followed uses the model
    it.note("reader-stopped", "stopped", last.statement,
            f"the reader stopped here: {last.error.message}; '{label}' is what the code builds before this "
            f"line, and it may not be the whole model: plan it as {filename}::{label} if it is, or make this "
            "line readable (or write the model as a spec)")


def _outside_the_flow(statement: ast.stmt) -> bool:
    """Definitions, imports and the `__main__` block: not statements of the module's data flow."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return True
    test = getattr(statement, "test", None)
    return isinstance(statement, ast.If) and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) \
        and test.left.id == "__name__"


def _candidates(it: Interpreter) -> dict[str, Any]:
    """Every model the file holds, by the name a user writes after `::`."""
    found: dict[str, Any] = {}
    held_classes = set()
    for variable, value in it.module.names.items():
        if isinstance(value, MODEL_VALUES) and not (isinstance(value, Instance) and value.plain):
            found[variable] = value
            if isinstance(value, Instance):
                held_classes.add(value.cls.name)
    builders = _builder_functions(it)
    used_inside = _classes_used_by_other_classes(it) | _classes_named_in(it, builders.values())
    for class_name, node in it.classes.items():
        if it.is_model_class(node) and class_name not in held_classes and class_name not in used_inside:
            found[class_name] = Class(node)
    found.update(builders)
    if not found:
        # a tensor that a layer reads, or that code the reader could not follow reads, is not an output
        consumed = {n for node in it.graph.nodes for n in node.inputs}
        consumed |= {n for record in it.stopped for n in record.tensors}
        for variable, value in it.module.names.items():
            if isinstance(value, Tensor) and value.name not in consumed and value.name not in it.graph.inputs:
                found[variable] = value
    return found


def _find(it: Interpreter, name: str | None, filename: str) -> tuple[str, Any]:
    if name is not None:
        if name in it.module.names:
            value = it.resolved(it.module.names[name], None)
            if isinstance(value, Unknown):
                raise value.error
            if isinstance(value, (MODEL_VALUES, Tensor, Function, Class)):
                return name, value
            if isinstance(value, Layer):  # one layer object (`fc = nn.Linear(4, 1)`): the model of that layer alone
                return name, Sequential([(name, value)], value.node, value.input_shape)
            raise _error("no-model", f"'{name}' in {filename} holds no model, model class, function, layer or "
                                     "tensor", filename)
        if name in it.classes:
            return name, Class(it.classes[name])
        names = ", ".join(sorted(_candidates(it))) or "none"
        raise _error("no-model", f"{filename} has no model named '{name}' (models found: {names})", filename)
    found = _candidates(it)
    if len(found) == 1:
        return next(iter(found.items()))
    failed = [v for v in it.module.names.values() if isinstance(v, Unknown) and v.statement is not None
              and (it.builds_a_model(v.statement) or id(v.statement) in {id(r.statement) for r in it.stopped})]
    if not found and failed:  # the model is there, but a part of it cannot be read: say which
        # the first place reading failed; of the statements that failed there, the last says where it was used
        raise min(failed, key=lambda v: (getattr(v.error.node, "lineno", 0), -v.statement.lineno)).error
    if not found:
        raise _error("no-model", f"{filename} holds no model layerplan can read (an nn.Module or keras Model class, "
                                 "an nn.Sequential / keras Sequential or Model, or layers applied to an input)",
                     filename)
    raise _error("no-model", f"{filename} holds {len(found)} models: {', '.join(found)}; pick one with "
                             f"{filename}::NAME", filename)


def _build(it: Interpreter, value: Any, label: str, selection: Selection, filename: str,
           planned_with: tuple = (None, {}, None)) -> tuple[Graph, list[Tensor], tuple | None, ast.AST | None]:
    """The graph of a model value: (graph, outputs, input shape if the code gives one, where). The selected
    class or function is called with the arguments given after `::`. `planned_with`: (-i, the
    `# layerplan: input NAME SHAPE` comments, the shape every input takes otherwise): the inputs' shapes the
    plan takes, from which the code's sizes (`x.size(2)`) are computed."""
    if selection.called and not isinstance(value, (Function, Class)):
        raise _error("no-model", f"'{label}' in {filename} is not a class or function: it takes no arguments "
                                 f"(plan it as {filename}::{label})", filename)
    if isinstance(value, Function):
        value = call_selected_function(it, value, selection, filename)
    if isinstance(value, Class):
        it.graph = Graph()
        init = it.method_of(value.node, "__init__")
        if init is None and (selection.args or selection.kwargs):
            raise _error("no-model", f"{label} in {filename} has no __init__ of its own: it takes no arguments",
                         filename)
        objects = check_constructor_arguments(it, init, selection, filename) if init is not None else {}
        value = it.instantiate(value.node, list(selection.args), {**selection.kwargs, **objects}, value.node, "")
    if isinstance(value, Tensor):
        return it.graph, [value], None, None
    if isinstance(value, tuple) and any(isinstance(v, Tensor) for v in value) and \
            all(isinstance(v, (Tensor, dict)) for v in value):
        # a network function's tensors; a dict returned beside them (tf-slim's `return net, end_points`) names
        # tensors of the model for the code around it, and is not an output
        return it.graph, [v for v in value if isinstance(v, Tensor)], None, None
    if isinstance(value, Model):
        return value.graph, value.outputs, None, None
    it.graph = Graph()
    if it.framework == "torch" and isinstance(value, Sequential):
        it.name_by_path(value, "")  # torch names a Sequential's children 0, 1, ... (or by their keys)
    shape = value.input_shape if isinstance(value, Sequential) else None
    node = value.input_node if isinstance(value, Sequential) else None
    tensors = [it.graph.add_input(name, shape, node) for name, node in _forward_arguments(it, value)] \
        or [it.graph.add_input("input", shape, node)]
    given, named, common = planned_with
    for tensor in tensors:
        planned = (given or shape) if len(tensors) == 1 else shape or (named[tensor.name][0] if tensor.name in named
                                                                         else common)
        planned = planned or common
        if planned is not None:
            it.input_shapes[tensor.name] = tuple(planned)
    result = it.apply_module(value, tensors, {}, value.node)
    if it.framework == "torch" and isinstance(value, Instance):
        _refuse_unused_weights(it, value)
    if isinstance(result, dict):  # torchvision's segmentation models: {"out": ..., "aux": ...}, in its order
        result = list(result.values())
    outputs = list(result) if isinstance(result, (list, tuple)) else [result]
    if not outputs or not all(isinstance(t, Tensor) for t in outputs):
        raise Unreadable(value.node, f"{label} does not return tensors the reader followed from its input")
    return it.graph, outputs, shape, node


def _refuse_unused_weights(it: Interpreter, model: Instance) -> None:
    """torch counts the parameters of every layer a module holds, used by forward or not (a block made
    for training only, a layer left behind a constant branch); a plan of what forward computes would
    count fewer: such a layer with weights is an error that names it."""
    from .layers import Layer, kind_for
    from .learned_tensors import refuse_unused
    from .values import LearnedTensor, ModuleList

    stack, seen = [model], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        it._step(getattr(item, "node", None))
        if isinstance(item, Layer):
            kind = kind_for(item.entry["type"])
            if item.uses == 0 and (kind is None or not kind.parameter_free):
                raise Unreadable(item.node, f"the layer '{item.name or item.entry['type']}' is never applied by "
                                            "forward, but torch counts its parameters: a plan of what forward "
                                            "computes would count fewer; remove it, or plan the model that uses it")
        elif isinstance(item, LearnedTensor):
            refuse_unused([item], "forward")
        elif isinstance(item, Sequential):
            stack.extend(child for _, child in item.children)
        elif isinstance(item, ModuleList):
            stack.extend(item.children)
        elif isinstance(item, Instance):
            stack.extend(item.attributes.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _forward_arguments(it: Interpreter, value: Any) -> list[tuple[str, ast.arg]]:
    """The tensors a model object's forward / call takes when it takes several (`forward(self, a, b)`): its
    arguments without a default, named as the code names them; [] for one."""
    if not isinstance(value, Instance):
        return []
    method = it.method_of(value.cls, "forward") or it.method_of(value.cls, "call")
    if method is None:
        return []
    arguments = (method.args.posonlyargs + method.args.args)[1:]
    required = arguments[:len(arguments) - len(method.args.defaults)]
    required = [a for a in required if a.arg not in ("training", "mask")]
    return [(a.arg, a) for a in required] if len(required) > 1 else []


def _call(it: Interpreter, function: Function) -> Any:
    """Call a function of the file that takes no arguments, in a graph of its own."""
    it.graph = Graph()
    return it.invoke(function, [], {}, function.node)


def _required_arguments(node: ast.FunctionDef) -> bool:
    return len(node.args.args) > len(node.args.defaults)


def _builder_functions(it: Interpreter) -> dict[str, Function]:
    """The module's functions without required arguments that return a model (`def small_resnet():
    return ResNet(BasicBlock, [2, 2, 2])`), by name: each is a model of the file."""
    found: dict[str, Function] = {}
    module_graph = it.graph
    for variable, value in it.module.names.items():
        if isinstance(value, Function) and not _required_arguments(value.node):
            try:
                result = _call(it, value)
            except Unreadable:
                continue
            if isinstance(result, MODEL_VALUES):
                found[variable] = value
    it.graph = module_graph
    return found


def _classes_named_in(it: Interpreter, functions) -> set[str]:
    """The file's classes that the functions name (a builder's `ResNet(BasicBlock, ...)`): parts of the
    model the function builds, not models of their own."""
    return {inner.id for function in functions for inner in ast.walk(function.node)
            if isinstance(inner, ast.Name) and inner.id in it.classes}


def _classes_used_by_other_classes(it: Interpreter) -> set[str]:
    used = set()
    for class_name, node in it.classes.items():
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and inner.id in it.classes and inner.id != class_name:
                if not any(isinstance(b, ast.Name) and b.id == inner.id for b in node.bases):
                    used.add(inner.id)
    return used
