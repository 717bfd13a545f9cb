"""Following model code without running it: a small interpreter over the syntax tree.

It runs only what builds a model: layer constructors, containers, the straight-line body of a
`forward` / `call`, helper functions and methods, literal loops and branches on constants. Tensors
are names in a `Graph`; a layer applied to tensors records a spec layer. Everything else is
`Unreadable` at its node, or, where the value is never used for the model (a loss, an optimizer), an
`Unknown` that only fails if it is used.
"""

from __future__ import annotations

import ast
import builtins
import copy
from dataclasses import dataclass
from typing import Any

from .functional import (BUILTINS, adapt_layer, call_method, call_qualified,
                                                     tensor_arithmetic)
from ..diagnostics import Diagnostic
from .constants import MAX_SEQUENCE, fold_binary, is_constant, range_length, _checked
from .graph import Graph, Tensor
from .sample_shapes import sample_shape
from .layers import Layer, is_weight_setting, kind_for, make_layer, require_last_axis
from .outside import OBJECTIVE_KINDS, TENSOR_SETTINGS, skipped_kind
from .script_options import Namespace
from .selected import feature_input
from .source import Imports, TooLarge, Unreadable, position
from .while_loops import run_while
from .unpacking import unpacked
from .constant_padding import CONSTANT_PADS, constant_pad_layer
from .data_shapes import input_shape_argument, states_input_shape
from .tensor_ops import (as_sequence, attribute as tensor_attribute, binary as tensor_binary, index as tensor_index,
                         index_key, initial_state_free, is_tensor, shape_item)
from .values import (BatchSize, Class, Function, Instance, LearnedTensor, MadeTensor, Method, Model, ModuleList,
                                                 ModuleValue, Qualified, Scope, Sequential, Super, TensorShape,
                                                 Unknown, WeightVariable)
from .definitions import (NOTHING, DataclassInit, SetAttribute, bind_import, class_member, decorated, derives_from,
                          find_method, library_bases, make_plain, module_attribute, plain_class, resolve, super_member)
from .einops_patterns import EinopsLayer
from .python_values import (MATH_CONSTANTS, PYTHON_BUILTINS, Given, MissingAttribute, Partial, build_set, builtin,
                            class_attribute, compare, format_value, given, math_function, plain_method, truth)
from .module_children import CHILDREN_METHODS, RegisteredModule
from .loop_exits import LoopExit, delete, run_turn
from .value_tensors import as_made, binary as value_binary
from .layer_attributes import layer_attributes, set_layer_attribute
from .layer_forwards import BaseForward, apply_own_forward, has_own_forward, refuse_layer_attribute
from .imported_files import Files, LazyName, ModuleFile, home, module_file
from .constant_calls import repeat_sequence
from .layer_subclasses import LayerInit, call_layer_init, layer_base, make_subclass_layer
from .container_classes import (CONTAINER_BASES, CONTAINER_METHODS, OTHER_METHODS as OTHER_CONTAINER_METHODS,
                                ContainerMethod, as_sequential,
                                call_container_method, container_kind, item as container_item, iterated)
from .irrelevant import skipped_statement
from .frozen import freezing_statement, model_layers
from .weight_variables import (VariableState, reads_variables, variable_attribute, variable_binary, variable_call,
                               variable_method)
from .tf_slim import ArgScoped, call_arg_scoped, call_slim, enters_scopes, run_with, slim_function
from .lambdas import lambda_function
from .learned_tensors import build_before_call, learned_arithmetic, refuse_unused_after_call

#: Work limits for one model file. A step is a unit of work: a statement or expression evaluated, an element of
#: a value built, copied or inspected, a layer or container visited, a syntax node walked. Spending them
#: all stops the reader (LP004); each value also stays under MAX_SEQUENCE elements (constants.py).
MAX_STEPS = 500_000
MAX_DEPTH = 60
MAX_LOOP = 10_000

_MODULE_BASES = ("torch.nn.Module", "keras.Model", "keras.models.Model", "keras.layers.Layer", "keras.Layer")
_NO_OPS = frozenset({"print", "logging.info", "logging.debug", "logging.warning"})
#: methods that change a container in place: at module level, one the reader cannot follow is an error
_MUTATORS = frozenset({"add", "append", "add_module", "insert", "extend", "pop", "remove", "clear",
                       "register_module"})
#: methods every torch / keras module object has, which the reader does not follow as values
_MODULE_METHODS = frozenset({"modules", "children", "parameters", "named_modules", "named_children",
                             "named_parameters", "buffers", "named_buffers", "state_dict", "apply", "register_buffer",
                             "register_parameter", "zero_grad", "weights", "trainable_weights", "get_config"})
#: values that are a part of a model (a tensor of its data flow, a layer, a container of layers, a model)
_NETWORK_VALUES = (Tensor, Layer, Sequential, ModuleList, Instance, Model)


@dataclass
class UnreadStatement:
    """A module-level statement the reader could not follow. `kind`: what it is when it cannot change the
    model (a loss, data loading...; it is skipped with a note); None: it may be a part of the model."""

    statement: ast.stmt
    error: Unreadable
    kind: str | None
    reads: dict[str, Any]   # the names it reads, with their values when it ran
    assigns: frozenset

    @property
    def tensors(self) -> set[str]:
        """The tensors of the data flow it reads (directly, or in a list or tuple)."""
        found = set()
        for value in self.reads.values():
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, Tensor):
                    found.add(item.name)
        return found


class _Inside:
    """Run code of another file of the tree: its imports, classes and module names, restored after."""

    def __init__(self, it: "Interpreter", module: ModuleFile):
        self.it, self.module = it, module

    def __enter__(self):
        it = self.it
        self.saved = (it.current, it.imports, it.classes, it.module)
        it.current, it.imports, it.classes, it.module = (self.module, self.module.imports, self.module.classes,
                                                         self.module.scope)

    def __exit__(self, *exc):
        it = self.it
        it.current, it.imports, it.classes, it.module = self.saved
        return False


class _Return(Exception):
    def __init__(self, value: Any):
        self.value = value


def single_assignments(body: list[ast.stmt]) -> frozenset:
    """Names assigned exactly once in a body (not counting nested functions and classes).

    >>> sorted(single_assignments(ast.parse("a = 1\\nb = 2\\nb = 3").body))
    ['a']
    """
    counts: dict[str, int] = {}
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
        if isinstance(node, (ast.AugAssign, ast.For)):
            target = node.target
            if isinstance(target, ast.Name):
                counts[target.id] = counts.get(target.id, 0) + 2
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(name for name, count in counts.items() if count == 1)


class Interpreter:
    """Evaluates the model-building parts of one file for one framework ("torch" or "keras")."""

    def __init__(self, tree: ast.Module, imports: Imports, framework: str, given: dict[str, Any] | None = None,
                 main: ModuleFile | None = None):
        self.tree = tree
        self.given = dict(given or {})  # NAME -> value from `# layerplan: NAME = VALUE` comments
        self.imports = imports
        self.framework = framework
        self.graph = Graph()
        self.steps = 0
        self.depth = 0
        self.loops: list[ast.AST] = []  # the for loops and comprehensions being unrolled, outermost first
        self.loop_steps: dict[ast.AST, int] = {}  # outermost loop -> the steps spent unrolling it
        self.hint: str | None = None
        self.module = Scope(single=single_assignments(tree.body))
        self._single: dict[ast.FunctionDef, frozenset] = {}  # single_assignments of each function body
        self.classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        self.notes: list[Diagnostic] = []  # what the reader skipped or assumed (info), where it stopped (warning)
        self._noted: set = set()
        self.unread: dict[int, UnreadStatement] = {}  # module-level statements not followed, by id, in order
        self.given_attributes: dict[str, Any] = {}  # `--set opt.img_size=64`: dotted name -> value
        self.parameter_inputs: dict[str, dict] = {}  # inputs made of the selected function's parameters
        # the files read: the model file, and the modules of its tree it imports (planner/model_code/imported_files.py)
        main = main or module_file(None, "", tree, "<model>")
        main.imports, main.scope, main.classes, main.state = imports, self.module, self.classes, "reading"
        self.files = Files(main)
        self.current = main        # the file whose code runs now
        self.call_site: ast.AST | None = None  # the model file's call that led into another file's code
        self.cache: dict[str, dict] = {}
        self.frames: list[tuple[Any, ast.ClassDef | None]] = []  # (object, class) of each method running
        self.input_shapes: dict[str, tuple] = {}  # the model's inputs' sample shapes, by name, where the reader
        # plans them with another shape than the code's (-i, a comment): what tensor shapes are computed from
        self.weight_variables = VariableState()  # TensorFlow 1 variables and the layers made from them

    # ------------------------------------------------------------------ limits

    def _step(self, node: ast.AST, count: int = 1) -> None:
        self.steps += count
        if self.loops:  # a step of a loop being unrolled counts for the outermost one
            self.loop_steps[self.loops[0]] = self.loop_steps.get(self.loops[0], 0) + count
        if self.steps > MAX_STEPS:
            heaviest = max(self.loop_steps, key=self.loop_steps.get, default=None)
            if heaviest is not None and 2 * self.loop_steps[heaviest] > self.steps:
                raise TooLarge(heaviest, f"the model code takes more than the reader's limit of {MAX_STEPS:,} steps "
                                         f"to follow, {self.loop_steps[heaviest]:,} of them unrolling this loop")
            raise TooLarge(node, f"the model code takes more than the reader's limit of {MAX_STEPS:,} steps to "
                                 "follow (statements, expressions and elements of the values it builds)")

    def built(self, value: Any, node: ast.AST) -> Any:
        """A value just made: each element counts as a step, and a list, tuple, dict or string longer than
        MAX_SEQUENCE is unreadable (a number beyond the magnitude limit too)."""
        if isinstance(value, (list, tuple, dict, str)):
            if len(value) > MAX_SEQUENCE:
                raise Unreadable(node, f"this {type(value).__name__} holds {len(value):,} elements, over the "
                                       f"reader's limit of {MAX_SEQUENCE:,}")
            self._step(node, len(value))
        return _checked(value, node)

    def grow(self, container: Any, count: int, node: ast.AST) -> None:
        """Before `count` elements are added to a list, dict or set the code builds: a step each, within
        MAX_SEQUENCE."""
        if len(container) + count > MAX_SEQUENCE:
            raise Unreadable(node, f"this {type(container).__name__} would hold {len(container) + count:,} "
                                   f"elements, over the reader's limit of {MAX_SEQUENCE:,}")
        self._step(node, count)

    def is_constant(self, value: Any, node: ast.AST) -> bool:
        """Whether a value is plain data (constants.is_constant), each element looked at counted as a step: a
        list held many times inside another is as large as it reads."""
        stack = [value]
        while stack:
            item = stack.pop()
            self._step(node)
            if isinstance(item, (tuple, list)):
                stack.extend(item)
            elif not (item is None or isinstance(item, (int, float, str, bool))):
                return False
        return True

    def walk(self, node: ast.AST):
        """ast.walk, each node counted as a step (a statement may be walked again in each turn of a loop)."""
        for inner in ast.walk(node):
            self._step(inner)
            yield inner

    # ------------------------------------------------------------------ classes

    def is_model_class(self, node: ast.ClassDef, seen: frozenset = frozenset()) -> bool:
        """Whether a class in the file derives from nn.Module, keras.Model or keras Layer (maybe through
        other classes of the file)."""
        self._step(node)
        return any(base in _MODULE_BASES or base in CONTAINER_BASES for base in library_bases(self, node))

    def method_of(self, cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
        """A method of a class of the file, or of one of its base classes in the file."""
        return self._method(cls, name)

    def _method(self, cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
        found = find_method(self, cls, name)
        return found[0] if found is not None else None

    def instantiate(self, cls: ast.ClassDef, args: list, kwargs: dict, node: ast.AST, prefix: str) -> Instance:
        instance = Instance(cls, {}, prefix, node)
        init = self._method(cls, "__init__")
        if init is not None:
            self.invoke(Function(init, instance), args, kwargs, node)
        return instance

    # ------------------------------------------------------------------ functions

    def invoke(self, function: Function, args: list, kwargs: dict, node: ast.AST) -> Any:
        """Call a function of the files: in its own file's names, with the model file's call site kept for
        messages and layer positions; an error inside another file is said at that call site."""
        module = home(function.node, self.files.main)
        entering = module is not self.files.main and self.current is self.files.main
        saved_site = self.call_site
        if entering:
            self.call_site = node
        try:
            with self.inside(module):
                return self._invoke(function, args, kwargs, node)
        except Unreadable as error:
            if entering:
                raise Unreadable(node, self.foreign(error), error.kind) from None
            raise
        finally:
            self.call_site = saved_site

    def foreign(self, error: Unreadable) -> str:
        """The message of an error in another file of the tree, naming that file and line."""
        where = home(error.node, self.files.main)
        if where is self.files.main or error.node is None:
            return error.message
        return f"{where.label}:{getattr(error.node, 'lineno', '?')}: {error.message}"

    def here(self, node: ast.AST | None) -> ast.AST | None:
        """Where a layer made by code of another file of the tree is placed in the model file: the model
        file's call that led there (None when the model itself is another file's)."""
        if node is None or home(node, self.files.main) is self.files.main:
            return node
        site = self.call_site
        return site if site is not None and home(site, self.files.main) is self.files.main else None

    def inside(self, module: ModuleFile):
        """A context in which the code of `module` runs (its imports, classes and module-level names)."""
        return _Inside(self, module)

    def _invoke(self, function: Function, args: list, kwargs: dict, node: ast.AST) -> Any:
        definition = function.node
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unreadable(node, "calls nest too deeply to follow (recursion?)")
        self.frames.append((function.owner, self.cache.get("method class", {}).get(id(definition))))
        try:
            if definition not in self._single:
                self._step(definition, len(definition.body))
                self._single[definition] = single_assignments(definition.body)
            scope = Scope(parent=function.scope or self.module, single=self._single[definition])
            parameters = definition.args
            names = [a.arg for a in parameters.posonlyargs + parameters.args]
            values = list(args)
            if function.owner is not None:
                values.insert(0, function.owner)
            if len(values) > len(names) and parameters.vararg is None:
                raise Unreadable(node, f"{definition.name}() takes {len(names)} positional arguments here")
            defaults = parameters.defaults
            first_default = len(names) - len(defaults)
            for index, name in enumerate(names):
                if index < len(values):
                    scope.names[name] = values[index]
                elif name in kwargs:
                    scope.names[name] = kwargs.pop(name)
                elif index >= first_default:
                    scope.names[name] = self._tolerant(defaults[index - first_default], scope)
                else:
                    raise Unreadable(node, f"{definition.name}() needs its argument '{name}'; the reader cannot "
                                           "know it here")
            for argument, default in zip(parameters.kwonlyargs, parameters.kw_defaults):
                if argument.arg in kwargs:
                    scope.names[argument.arg] = kwargs.pop(argument.arg)
                elif default is not None:
                    scope.names[argument.arg] = self._tolerant(default, scope)
                else:
                    raise Unreadable(node, f"{definition.name}() needs its argument '{argument.arg}'")
            if parameters.vararg is not None:
                scope.names[parameters.vararg.arg] = tuple(values[len(names):])
            if parameters.kwarg is not None:
                scope.names[parameters.kwarg.arg] = dict(kwargs)
            elif kwargs:
                raise Unreadable(node, f"{definition.name}() has no argument '{next(iter(kwargs))}'")
            try:
                self.run(definition.body, scope, strict=True)
            except _Return as returned:
                return returned.value
            return None
        finally:
            self.depth -= 1
            self.frames.pop()

    # ------------------------------------------------------------------ statements

    def run(self, body: list[ast.stmt], scope: Scope, *, strict: bool) -> None:
        """Run statements. strict (inside a function that builds the model): a statement the reader
        cannot follow is an error; module level: it is skipped and what it assigns becomes Unknown."""
        for statement in body:
            self._step(statement)
            if freezing_statement(self, statement, scope) or skipped_statement(self, statement, scope,
                                                                                in_function=strict):
                continue
            if strict:
                self.statement(statement, scope, strict)
                continue
            try:
                self.statement(statement, scope, strict)
            except Unreadable as error:
                kind = self.unread_statement(statement, error, scope) if self.current is self.files.main \
                    else error.kind
                for target in _assigned_names(self.walk(statement)):
                    scope.names[target] = self.given.get(target, Unknown(error, statement, kind=kind))

    def statement(self, node: ast.stmt, scope: Scope, strict: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bind_import(self, node, scope)
            return
        if isinstance(node, (ast.Pass, ast.Assert, ast.Global, ast.Nonlocal)):
            return
        if isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Constant):  # a docstring
                return
            if isinstance(node.value, ast.Call) and self._is_no_op(node.value):
                return
            self.value(node.value, scope)
            return
        if isinstance(node, ast.FunctionDef):
            function = Function(node, scope=scope if scope is not self.module else None)
            scope.names[node.name] = decorated(self, node, function, scope)
            return
        if isinstance(node, ast.ClassDef):
            if scope is self.module:
                self.classes.setdefault(node.name, node)
            scope.names[node.name] = decorated(self, node, Class(node), scope)
            return
        if isinstance(node, ast.Assign):
            single = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in scope.single
            self.hint = node.targets[0].id if single else None
            try:
                value = self.value(node.value, scope)
            except Unreadable as error:
                if strict:
                    raise
                kind = self.unread_statement(node, error, scope) if self.current is self.files.main else error.kind
                value = Unknown(error, node, self._plain_value(node.value, scope), kind)  # fails only if used
                if single and node.targets[0].id in self.given:
                    value = self.given[node.targets[0].id]
            finally:
                self.hint = None
            for target in node.targets:
                self.assign(target, value, scope, node)
            return
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.value(node.value, scope), scope, node)
            return
        if isinstance(node, ast.AugAssign):
            current = self.value(_load(node.target), scope)
            self.assign(node.target, self.binary(node.op, current, self.value(node.value, scope), node), scope, node)
            return
        if isinstance(node, ast.Return):
            raise _Return(None if node.value is None else self.value(node.value, scope))
        if isinstance(node, ast.If):
            if _is_main_guard(node):
                return
            test = self.truth(self.value(node.test, scope), node.test)
            self.run(node.body if test else node.orelse, scope, strict=strict)
            return
        if isinstance(node, ast.For):
            self.loops.append(node)
            broke = False
            try:
                for item in self.iterate(self.value(node.iter, scope), node.iter):
                    self.assign(node.target, item, scope, node)
                    if run_turn(self, node.body, scope, strict):
                        broke = True
                        break
            finally:
                self.loops.pop()
            if not broke:  # Python runs a for loop's else block when no break left the loop
                self.run(node.orelse, scope, strict=strict)
            return
        if isinstance(node, ast.With):
            if enters_scopes(self, node):  # tf-slim's arg scopes, TensorFlow's variable scopes (tf_slim.py)
                run_with(self, node, scope, strict)
                return
            self.run(node.body, scope, strict=strict)  # tf.variable_scope, torch.no_grad: no effect on shapes
            return
        if isinstance(node, ast.Try) and not strict:  # the path on which nothing raises: body, else, finally
            for block in (node.body, node.orelse, node.finalbody):
                self.run(block, scope, strict=False)
            return
        if isinstance(node, (ast.Break, ast.Continue)) and self.loops:
            raise LoopExit(node)
        if isinstance(node, ast.Delete):
            delete(self, node, scope)
            return
        if isinstance(node, ast.While):
            run_while(self, node, scope, strict, MAX_LOOP)  # run turn by turn on computed values (while_loops.py)
            return
        raise Unreadable(node, f"a {type(node).__name__} statement is not read here; write the model as "
                               "straight-line code or as a spec")

    def _is_no_op(self, call: ast.Call) -> bool:
        func = call.func
        name = func.id if isinstance(func, ast.Name) else self.imports.qualified(func)
        return name in _NO_OPS

    def assign(self, target: ast.AST, value: Any, scope: Scope, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            scope.names[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, Unknown):
                for element in target.elts:
                    self.assign(element.value if isinstance(element, ast.Starred) else element, value, scope, node)
                return
            items = self.iterate(value, node)
            for element, item in unpacked(target.elts, items, node):  # one starred name takes the rest
                self.assign(element, item, scope, node)
        elif isinstance(target, ast.Attribute):
            self.set_attribute(self.value(target.value, scope), target.attr, value, target)
        elif isinstance(target, ast.Subscript):
            self.set_item(target, value, scope)
        elif isinstance(target, ast.Starred):
            raise Unreadable(target, "starred assignment is not read")
        else:
            raise Unreadable(target, "this assignment target is not read")

    def set_item(self, target: ast.Subscript, value: Any, scope: Scope) -> None:
        """`container[key] = value` into a dict or list the code built."""
        container = self.value(target.value, scope)
        if isinstance(target.slice, ast.Slice) or not isinstance(container, (dict, list)):
            raise Unreadable(target, "assigning into a container by index is read for a dict or a list the code "
                                     "built (not a slice)")
        key = self.value(target.slice, scope)
        if isinstance(container, dict):
            if not self.is_constant(key, target) or isinstance(key, list):
                raise Unreadable(target, "a dict key must be a number, a string or a tuple of them")
            if key not in container:
                self.grow(container, 1, target)
            container[key] = value
            return
        try:
            container[key] = value
        except (IndexError, TypeError) as exc:
            raise Unreadable(target, f"this assignment fails: {exc}") from None

    def name_by_path(self, value: Any, name: str) -> Any:
        """Name the layers of a container by their path in it, as torch's named_modules does."""
        return self._named(value, name)

    def _named(self, value: Any, name: str) -> Any:
        """Give a layer or container stored as an attribute its attribute path, as torch names it (depth first,
        in order: a layer held twice keeps its last path). Iterative: containers may nest deeply."""
        stack = [(value, name)]
        while stack:
            item, path = stack.pop()
            self._step(getattr(item, "node", None))
            children: list[tuple[str, Any]] = []
            if isinstance(item, Layer) and (item.name is None or item.named_by_path):
                item.name, item.named_by_path = path, True
            elif isinstance(item, LearnedTensor):  # named by its path, as torch's named_parameters does
                item.name = path
            elif isinstance(item, Sequential):
                children = [(key if key is not None else str(index), child)
                            for index, (key, child) in enumerate(item.children)]
            elif isinstance(item, ModuleList):
                children = [(str(index), child) for index, child in enumerate(item.children)]
            elif isinstance(item, Instance):
                item.prefix = path
                children = list(item.attributes.items())
            stack.extend((child, _join(path, key)) for key, child in reversed(children))
        return value

    def iterate(self, value: Any, node: ast.AST) -> list:
        if isinstance(value, Unknown):
            value.fail(node)
        value = as_sequence(self, value, node)
        if isinstance(value, range):
            if range_length(value) > MAX_LOOP:
                raise Unreadable(node, f"a loop of {range_length(value):,} steps is too long to unroll (the "
                                       f"reader's limit is {MAX_LOOP:,})")
            return self.built(list(value), node)
        if isinstance(value, (list, tuple, dict)):
            return self.built(list(value), node)
        if isinstance(value, ModuleList):
            return self.built(list(value.children), node)
        if isinstance(value, Sequential):
            return self.built([child for _, child in value.children], node)
        if container_kind(self, value) is not None:
            return self.built(iterated(self, value, node), node)
        raise Unreadable(node, "the reader can only loop over literal ranges, lists and layer containers")

    def _tolerant(self, node: ast.AST, scope: Scope) -> Any:
        try:
            return self.value(node, scope)
        except Unreadable as error:
            return Unknown(error, node, kind=error.kind)

    def _plain_value(self, node: ast.AST, scope: Scope) -> bool:
        """Whether an expression that failed computes a plain value (it reads no tensor, makes no layer)."""
        for inner in self.walk(node):
            if isinstance(inner, ast.Name):
                try:
                    if isinstance(scope.get(inner.id), (Tensor, Layer, Sequential, Instance, Model)):
                        return False
                except KeyError:
                    pass
        return not self.builds_a_model(node)

    def builds_a_model(self, node: ast.AST | None) -> bool:
        """Whether a statement calls a framework's layer or model API, or a model class of the file (its
        failure is then the reason a file seems to hold no model)."""
        for inner in self.walk(node) if node is not None else ():
            if isinstance(inner, ast.Call):
                name = self.imports.qualified(inner.func) or ""
                if name.startswith(("torch.nn.", "keras.", "tensorflow.layers.")) and not \
                        name.startswith(("torch.nn.functional.", "keras.losses", "keras.optimizers")):
                    return True
                if isinstance(inner.func, ast.Name) and inner.func.id in self.classes:
                    return True
        return False

    # ------------------------------------------------------------------ module-level code the reader cannot follow

    def note(self, name: str, key: Any, node: ast.AST | None, message: str) -> None:
        """Say something about the file once (per key): an info or a warning Diagnostic at the node."""
        if key in self._noted:
            return
        self._noted.add(key)
        line, column = position(node) or (None, None)
        self.notes.append(Diagnostic.make(name, message, line=line, column=column))

    def assume(self, setting: str, value: Any, node: ast.AST) -> Any:
        """The value of the framework's configuration (`K.image_data_format()`, `torch.cuda.is_available()`,
        `x.is_cuda`) on a fresh CPU install, said once per file in an info line."""
        self.note("setting-assumed", ("setting", setting), node,
                  f"{_snippet(node)} is taken as {value!r}, what a fresh CPU install gives (the code is never run); "
                  "a branch on it reads that way")
        return value

    def planned_for_inference(self, node: ast.AST) -> bool:
        """`self.training` of a torch module: False, as the model runs for inference (after `.eval()`); said
        once per file in an info line."""
        self.note("setting-assumed", ("setting", "training"), node,
                  f"{_snippet(node)} is taken as False: layerplan plans the model as it runs for inference, after "
                  ".eval() (the code is never run); a branch on it reads that way")
        return False

    def unread_statement(self, statement: ast.stmt, error: Unreadable, scope: Scope) -> str | None:
        """A module-level statement the reader cannot follow. When it changes a container of the model in place
        (`model.add(...)`, `layers.append(...)`, `+=`, `del`), that is an error: left out, the model would be
        planned without a part. Otherwise it is recorded (`settle` decides what it was) and the kind of
        code outside the model it is returned (a loss, data loading...; None: it may be a part of the model)."""
        reads = {}
        for node in self.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in reads:
                try:
                    reads[node.id] = scope.get(node.id)
                except KeyError:
                    pass
        building = self._builds_layers(statement)
        self._check_containers(statement, error, scope, reads, building)
        kind = self._outside_kind(statement, error, reads, building)
        if id(statement) not in self.unread:
            self.unread[id(statement)] = UnreadStatement(statement, error, kind, reads,
                                                         frozenset(_assigned_names(ast.walk(statement))))
        return kind

    def _builds_layers(self, statement: ast.AST) -> bool:
        """Whether a statement calls a layer or model constructor (a framework's or a model class of the file)."""
        for node in self.walk(statement):
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name) and node.func.id in self.classes:
                    return True
                name = self.imports.qualified(node.func) or ""
                if name.startswith(("torch.nn.", "keras.", "tensorflow.layers.", "tensorflow.placeholder")) and \
                        not name.startswith(("torch.nn.functional.", "keras.backend.", "keras.utils.",
                                             "keras.activations.", "keras.ops.")) and skipped_kind(name) is None:
                    return True
        return False

    def _outside_kind(self, statement: ast.stmt, error: Unreadable, reads: dict, building: bool) -> str | None:
        """What an unread statement is when it cannot change the model: it calls a loss, an optimizer, a
        metric or training code (or its call is printing, plotting, data loading), or it failed on such a value
        and reads no tensor and makes no layer. None: it may be a part of the model."""
        for node in self.walk(statement):
            if isinstance(node, ast.Call):
                kind = skipped_kind(self._callee_name(node))
                if kind in OBJECTIVE_KINDS:
                    return kind
        value = getattr(statement, "value", None)
        if isinstance(value, ast.Call):
            kind = skipped_kind(self._callee_name(value))
            if kind is not None:
                return kind
        flows = any(_tensor_like(v) for v in reads.values())
        return error.kind if error.kind is not None and not building and not flows else None

    def _callee_name(self, call: ast.Call) -> str:
        func = call.func
        qualified = self.imports.qualified(func)
        if qualified is not None:
            return qualified
        return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""

    def _check_containers(self, statement: ast.stmt, error: Unreadable, scope: Scope, reads: dict,
                          building: bool) -> None:
        for root, where in _changed_containers(statement):
            try:
                held = scope.get(root)
            except KeyError:
                continue
            holds_model = isinstance(held, (Sequential, ModuleList, Instance, Model)) or isinstance(held, list) and (
                any(_is_network(v) for v in held) or building
                or (error.kind is None and any(_is_network(v) for v in reads.values())))
            if holds_model:
                made = getattr(error.node, "lineno", None)
                cause = f"line {made}: {error.message}" if made is not None else error.message
                raise Unreadable(where, f"{_snippet(where)} changes '{root}', a part of the model, with what the "
                                        f"reader cannot follow ({cause}); without it the model would be planned "
                                        "short: write that value in the code, or give it with a "
                                        "`# layerplan: NAME = VALUE` comment")
            if isinstance(held, list):  # a plain list that misses an element now: it fails if the model uses it
                scope.names[root] = Unknown(error, statement, True, error.kind)

    def settle(self) -> None:
        """After the module ran: what each unread statement was. One that feeds a statement that may be a part
        of the model may be one too; the others are skipped, with a note the first time each kind occurs."""
        records = sorted(self.unread.values(), key=lambda r: (r.statement.lineno, r.statement.col_offset))
        feeding: set[str] = set()
        for record in reversed(records):
            if record.kind is None or record.assigns & feeding:
                record.kind = None
                feeding = (feeding - record.assigns) | set(record.reads)
        for record in records:
            if record.kind is not None:
                self.note("code-skipped", ("skipped", record.kind), record.statement,
                          f"{_snippet(record.statement)} is skipped: {record.kind} cannot change the model (the "
                          f"first of its kind here; the others are skipped without a note)")

    @property
    def stopped(self) -> list[UnreadStatement]:
        """The module-level statements not followed that may be a part of the model, in the file's order."""
        return [r for r in sorted(self.unread.values(), key=lambda r: r.statement.lineno) if r.kind is None]

    def reads_the_network(self, statement: ast.stmt) -> bool:
        """Whether a statement the reader followed makes layers or reads a part of a model."""
        if self._builds_layers(statement):
            return True
        for node in self.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                try:
                    if _is_network(self.module.get(node.id)):
                        return True
                except KeyError:
                    pass
        return False

    # ------------------------------------------------------------------ expressions

    def value(self, node: ast.AST, scope: Scope) -> Any:
        self._step(node)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH * 4:
                raise Unreadable(node, "this expression is nested too deeply to read")
            result = self._value(node, scope)
        finally:
            self.depth -= 1
        if isinstance(result, Unknown):
            result.fail(node)
        return result

    def elements(self, nodes: list[ast.expr], scope: Scope) -> list:
        """The values of a tuple, list or set display's elements, a starred one unpacked (`[*a, b]`)."""
        items = []
        for element in nodes:
            if isinstance(element, ast.Starred):
                items.extend(self.iterate(self.value(element.value, scope), element))
            else:
                items.append(self.value(element, scope))
        return items

    def _value(self, node: ast.AST, scope: Scope) -> Any:
        if isinstance(node, Given):
            return node.held
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (bytes, complex)):
                raise Unreadable(node, "this literal is not read")
            return _checked(node.value, node)
        if isinstance(node, ast.Name):
            return self.name(node, scope)
        if isinstance(node, (ast.Tuple, ast.List)):
            items = self.elements(node.elts, scope)
            return self.built(tuple(items) if isinstance(node, ast.Tuple) else items, node)
        if isinstance(node, ast.Dict):
            built = {}
            for key_node, value_node in zip(node.keys, node.values):
                if key_node is None:  # `{**other, ...}`: the items of a dict, in its order
                    unpacked = self.value(value_node, scope)
                    if not isinstance(unpacked, dict):
                        raise Unreadable(value_node, "** in a dict display unpacks something other than a dict")
                    self.grow(built, len(unpacked), value_node)
                    built.update(unpacked)
                    continue
                key = self.value(key_node, scope)
                if not self.is_constant(key, key_node) or isinstance(key, list):
                    raise Unreadable(key_node, "a dict key must be a number, a string or a tuple of them")
                item = self.value(value_node, scope)
                try:
                    built[key] = item
                except TypeError:  # a tuple holding a list
                    raise Unreadable(key_node, "a dict key must be a number, a string or a tuple of them") from None
            return self.built(built, node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node, scope)
        if isinstance(node, ast.Call):
            return self.call(node, scope)
        if isinstance(node, ast.BinOp):
            return self.binary(node.op, self.value(node.left, scope), self.value(node.right, scope), node)
        if isinstance(node, ast.UnaryOp):
            operand = self.value(node.operand, scope)
            if isinstance(node.op, ast.Not):
                return not self.truth(operand, node)
            if isinstance(operand, (int, float)) and isinstance(node.op, (ast.USub, ast.UAdd)):
                return -operand if isinstance(node.op, ast.USub) else operand
            if is_tensor(operand) and isinstance(node.op, (ast.UAdd, ast.USub)):
                return operand  # the shape kept
            raise Unreadable(node, "this unary operation is not read")
        if isinstance(node, ast.BoolOp):
            result = None
            for operand in node.values:
                result = self.value(operand, scope)
                if isinstance(node.op, ast.And) != self.truth(result, operand):
                    return result
            return result
        if isinstance(node, ast.Compare):
            left = self.value(node.left, scope)
            for op, comparator in zip(node.ops, node.comparators):
                right = self.value(comparator, scope)
                result = compare(self, op, left, right, node)
                if result is None:
                    result = _compare(op, left, right, node)
                if not result:
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            test = self.truth(self.value(node.test, scope), node.test)
            return self.value(node.body if test else node.orelse, scope)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, scope)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
            return self.comprehension(node, scope)
        if isinstance(node, ast.Set):
            return build_set(self, self.elements(node.elts, scope), node)
        if isinstance(node, ast.Lambda):
            return lambda_function(node, scope if scope is not self.module else None)
        if isinstance(node, ast.JoinedStr):
            pieces = []
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    spec = self.value(part.format_spec, scope) if part.format_spec is not None else ""
                    pieces.append(format_value(self, self.value(part.value, scope), spec,
                                                             part.conversion, part))
                else:
                    pieces.append(self.value(part, scope))
            return self.built("".join(pieces), node)
        raise Unreadable(node, f"a {type(node).__name__} expression is not read; write the model as plain "
                               "layer calls, or as a spec")

    def comprehension(self, node: ast.AST, scope: Scope) -> Any:
        """A list, set, dict or generator comprehension: its `for` clauses nested in order, each `if` tested
        (its steps count as the unrolling of a loop, for the step limit's message)."""
        self.loops.append(node)
        try:
            return self._comprehension(node, scope)
        finally:
            self.loops.pop()

    def _comprehension(self, node: ast.AST, scope: Scope) -> Any:
        inner = Scope(parent=scope)
        results: list = []

        def clause(index: int) -> None:
            if index == len(node.generators):
                if isinstance(node, ast.DictComp):
                    results.append((self.value(node.key, inner), self.value(node.value, inner)))
                else:
                    results.append(self.value(node.elt, inner))
                if len(results) > MAX_SEQUENCE:
                    raise Unreadable(node, f"this comprehension makes more than {MAX_SEQUENCE:,} elements, the "
                                           "reader's limit")
                return
            generator = node.generators[index]
            source = self.value(generator.iter, scope if index == 0 else inner)
            for item in self.iterate(source, generator.iter):
                self.assign(generator.target, item, inner, node)
                if all(self.truth(self.value(test, inner), test) for test in generator.ifs):
                    clause(index + 1)

        clause(0)
        self._step(node, len(results))
        if isinstance(node, ast.SetComp):
            return build_set(self, results, node)
        if isinstance(node, ast.DictComp):
            try:
                return self.built(dict(results), node)
            except TypeError:
                raise Unreadable(node, "a dict key must be a number, a string or a tuple of them") from None
        return self.built(results, node)

    def truth(self, value: Any, node: ast.AST) -> bool:
        """Python's truth of a value the reader holds (truth)."""
        self._step(node)
        return truth(self, value, node)

    def resolved(self, value: Any, node: ast.AST) -> Any:
        """A value bound by an import of the tree, read now (resolve); others as they are."""
        return resolve(self, value, node) if isinstance(value, LazyName) else value

    def derives_from(self, cls: ast.ClassDef, other: ast.ClassDef) -> bool:
        return derives_from(self, cls, other)

    def library_bases(self, cls: ast.ClassDef) -> list[str]:
        return library_bases(self, cls)

    def class_member(self, cls: Class, name: str, node: ast.AST) -> Any:
        return class_member(self, cls.node, name, cls, node)

    def name(self, node: ast.Name, scope: Scope) -> Any:
        try:
            value = scope.get(node.id)
        except KeyError:
            value = None
        else:
            if isinstance(value, LazyName):
                return self.resolved(value, node)
            if not isinstance(value, Unknown) or node.id not in self.given:
                return value
        if node.id in self.given:
            return self.given[node.id]
        if node.id in self.classes:
            return Class(self.classes[node.id])
        if node.id in self.imports.names:
            return Qualified(self.imports.names[node.id])
        if node.id in BUILTINS or node.id in PYTHON_BUILTINS or node.id in (
                "super", "zip", "enumerate", "reversed", "print", "dict", "classmethod", "staticmethod", "property"):
            return Qualified(f"builtins.{node.id}")
        if node.id in dir(builtins):
            raise Unreadable(node, f"{node.id}() is not read: nothing in a model file is run; write the value "
                                   "in the code or the model as a spec", skipped_kind(node.id))
        raise Unreadable(node, f"the name '{node.id}' is not defined where the reader can see it",
                         skipped_kind(node.id))

    def attribute(self, node: ast.Attribute, scope: Scope) -> Any:
        if self.given_attributes:  # `--set opt.img_size=64` replaces whatever the code would give
            dotted = _dotted(node)
            if dotted in self.given_attributes:
                return self.given_attributes[dotted]
        qualified = self.imports.qualified(node)
        if qualified is not None:
            if qualified in MATH_CONSTANTS:
                return MATH_CONSTANTS[qualified]
            return Qualified(qualified)
        owner = self.value(node.value, scope)
        return self.attribute_of(owner, node.attr, node)

    def attribute_of(self, owner: Any, name: str, node: ast.AST) -> Any:
        """`owner.name` for a value the reader holds (getattr too); MissingAttribute when a model object or a
        class of the files has no such attribute."""
        if isinstance(owner, Namespace):  # a script's options (argparse) or an object of --set values
            return owner.attribute(name, node)
        if isinstance(owner, Instance):
            if name in owner.attributes:
                value = owner.attributes[name]
                if isinstance(value, Unknown):
                    value.fail(node)
                return value
            member = class_member(self, owner.cls, name, owner, node)
            if member is not None:
                return member
            if name == "__class__":
                return Class(owner.cls)
            if name == "__setattr__":
                return SetAttribute(owner)
            if name == "__getattr__" and not owner.plain:  # nn.Module.__getattr__: a registered module
                return RegisteredModule(owner)
            if name == "add_module" and not owner.plain or container_kind(self, owner) is not None and (
                    name in CONTAINER_METHODS or name in OTHER_CONTAINER_METHODS):
                return ContainerMethod(owner, name)
            if not owner.plain and name == "add_weight" and self.framework == "keras":  # a keras layer's weight
                return Method(owner, name)
            if not owner.plain and name == "training":  # nn.Module.training
                return self.planned_for_inference(node)
            if not owner.plain and name in CHILDREN_METHODS:
                return Method(owner, name)
            if not owner.plain and name in _MODULE_METHODS:
                raise Unreadable(node, f"the framework's module method .{name}() of {owner.cls.name} is not read "
                                       "here (the reader follows the layers themselves)")
            raise MissingAttribute(node, f"{owner.cls.name} has no attribute '{name}' that the reader "
                                                       "saw set")
        if isinstance(owner, Class):
            if name == "__name__":
                return owner.node.name
            return class_attribute(self, owner, name, node)
        if isinstance(owner, Function) and name == "__name__":
            return owner.node.name
        if isinstance(owner, ModuleValue):
            return module_attribute(self, owner, name, node)
        if isinstance(owner, Super):
            return super_member(self, owner, name, node)
        if isinstance(owner, WeightVariable):  # W.shape, W.get_shape()
            return variable_attribute(self, owner, name, node)
        found = tensor_attribute(self, owner, name, node) if is_tensor(owner) else None
        if found is not None:  # x.shape, x.ndim, x.data...
            return found
        if isinstance(owner, Tensor) and name in TENSOR_SETTINGS:  # `if x.is_cuda and self.ngpu > 1:`
            return self.assume(f"tensor.{name}", TENSOR_SETTINGS[name], node)
        if isinstance(owner, Qualified):
            return Qualified(f"{owner.name}.{name}")
        if isinstance(owner, Layer) and name in layer_attributes(self, owner):  # set by the code before
            return layer_attributes(self, owner)[name]
        if isinstance(owner, (Sequential, Model)) and name == "layers" and self.framework == "keras":
            return model_layers(owner, node)  # what a freeze walks
        return Method(owner, name)

    def set_attribute(self, owner: Any, name: str, value: Any, node: ast.AST) -> None:
        """`owner.name = value` (setattr, super().__setattr__) on a model object."""
        if isinstance(owner, Layer):  # self.fc.stddev = 0.001
            set_layer_attribute(self, owner, name, value, node)
            return
        if not isinstance(owner, Instance):
            raise Unreadable(node, "only attributes of the model object (self.NAME) are read")
        owner.attributes[name] = self._named(value, _join(owner.prefix, name))

    def subscript(self, node: ast.Subscript, scope: Scope) -> Any:
        owner = self.value(node.value, scope)
        if isinstance(owner, Tensor) and owner.name in self.parameter_inputs and not isinstance(node.slice, ast.Slice):
            picked = feature_input(self, owner, self.value(node.slice, scope), node)  # features["x"]: an input
            if picked is not None:
                return picked
        if isinstance(owner, (Tensor, MadeTensor)):
            return tensor_index(self, owner, index_key(self, node.slice, scope), node)
        if isinstance(owner, LearnedTensor):
            raise owner.refuse(node, "indexed")
        index = self.value(node.slice, scope) if not isinstance(node.slice, ast.Slice) else self._slice(node.slice,
                                                                                                         scope)
        if isinstance(owner, TensorShape):
            return shape_item(self, owner, index, node)
        if isinstance(owner, ModuleList):
            try:
                picked = owner.children[index]
            except (IndexError, TypeError):
                raise Unreadable(node, "this index is outside the layer list") from None
            return ModuleList(picked, node) if isinstance(index, slice) else picked
        if container_kind(self, owner) is not None:
            return container_item(self, owner, index, node)
        if isinstance(owner, Sequential):
            try:
                picked = owner.children[index]
            except (IndexError, TypeError):
                raise Unreadable(node, "this index is outside the Sequential") from None
            return Sequential(picked, node) if isinstance(index, slice) else picked[1]
        if isinstance(owner, (list, tuple, dict, str)):
            try:
                return owner[index]
            except (IndexError, KeyError, TypeError) as exc:
                raise Unreadable(node, f"this subscript fails: {exc}") from None
        raise Unreadable(node, "this subscript is not read")

    def _slice(self, node: ast.Slice, scope: Scope) -> slice:
        parts = [None if p is None else self.value(p, scope) for p in (node.lower, node.upper, node.step)]
        return slice(*parts)

    def binary(self, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(left, WeightVariable) or isinstance(right, WeightVariable):  # x @ W, h + b
            return variable_binary(self, op, left, right, node)
        if self.is_constant(left, node) and self.is_constant(right, node):
            return self.built(fold_binary(op, left, right, node), node)
        if isinstance(left, list) and isinstance(right, list) and isinstance(op, ast.Add):
            return self.built(left + right, node)
        repeated = repeat_sequence(self, op, left, right, node)  # [Block] * 4, (a, b) + (c,): of any values
        if repeated is not None:
            return repeated
        learned = learned_arithmetic(self, op, left, right, node)  # x + self.pos_embedding: a learned_tensor layer
        if learned is not None:
            return learned
        if is_tensor(left) or is_tensor(right):
            left, right = as_made(left), as_made(right)  # a tensor of values beside the data: its shape
            computed = tensor_binary(self, op, left, right, node)
            return computed if computed is not None else tensor_arithmetic(self, op, left, right, node)
        valued = value_binary(self, op, left, right, node)  # torch.arange(depth) * w_a + w_0
        if valued is not None:
            return valued
        refuse_layer_attribute(left, right, node=node)  # self.weight in a layer subclass's own forward
        raise Unreadable(node, "this arithmetic is on values the reader cannot compute")

    # ------------------------------------------------------------------ calls

    def call(self, node: ast.Call, scope: Scope) -> Any:
        callee = self.value(node.func, scope)
        args: list[Any] = []
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                args.extend(self.iterate(self.value(argument.value, scope), argument))
            else:
                args.append(self.value(argument, scope))
        kwargs = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                unpacked = self.value(keyword.value, scope)
                if not isinstance(unpacked, dict):
                    raise Unreadable(keyword.value, "only a dict can be **-unpacked here")
                kwargs.update(unpacked)
            elif is_weight_setting(keyword.arg) or states_input_shape(callee, keyword.arg):
                # an initializer, a regularizer: needed only if the code reads it; an input shape read from data:
                # the shape given replaces it (data_shapes.py)
                kwargs[keyword.arg] = self._tolerant(keyword.value, scope)
            else:
                kwargs[keyword.arg] = self.value(keyword.value, scope)
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            node = _with_values(node, args, kwargs)  # a layer constructor reads its arguments from the call
        return self.apply(callee, args, kwargs, node, scope)

    def apply(self, callee: Any, args: list, kwargs: dict, node: ast.Call, scope: Scope) -> Any:
        if isinstance(callee, Qualified):
            head, _, last = callee.name.rpartition(".")
            if callee.name == "builtins.super":
                return Super(*self.frames[-1]) if self.frames else Super()
            if callee.name == "functools.partial":
                if not args:
                    raise Unreadable(node, "functools.partial() needs a function")
                return Partial(args[0], tuple(args[1:]), dict(kwargs), node)
            if head == "math":
                return math_function(self, last, args, kwargs, node)
            if callee.name == "builtins.len" and len(args) == 1 and isinstance(args[0], (dict, set, frozenset, list,
                                                                                          tuple)):
                return len(args[0])
            if head == "builtins" and last in PYTHON_BUILTINS:
                return builtin(self, last, args, kwargs, node)
            if reads_variables(callee.name, args, kwargs):  # tf.Variable, tf.matmul(x, W)... (weight_variables.py)
                return variable_call(self, callee.name, args, kwargs, node)
            if slim_function(callee.name) is not None:  # tf-slim's layer functions and arg scopes (tf_slim.py)
                return call_slim(self, callee.name, args, kwargs, node, scope)
            return call_qualified(self, callee.name, args, kwargs, node, scope)
        if isinstance(callee, EinopsLayer):  # einops' Rearrange(pattern, **sizes) called on a tensor
            callee = Partial(Qualified(callee.function), (), callee.keywords, callee.node)
        if isinstance(callee, Partial):
            args, kwargs = [*callee.args, *args], {**callee.keywords, **kwargs}
            return self.apply(callee.function, args, kwargs, _with_values(node, args, kwargs), scope)
        if isinstance(callee, SetAttribute):
            if len(args) != 2 or not isinstance(args[0], str):
                raise Unreadable(node, "__setattr__ takes a name and a value")
            self.set_attribute(callee.instance, args[0], args[1], node)
            return None
        if callee is NOTHING:
            return None
        if isinstance(callee, ContainerMethod):
            return call_container_method(self, callee, args, kwargs, node)
        if isinstance(callee, DataclassInit):
            return callee(self, args, kwargs, node)
        if isinstance(callee, ArgScoped):  # an @add_arg_scope function of the files (tf_slim.py)
            return call_arg_scoped(self, callee, args, kwargs, node, scope)
        if isinstance(callee, (BaseForward, RegisteredModule)):
            return callee(self, args, kwargs, node)
        if isinstance(callee, LayerInit):
            return call_layer_init(self, callee, args, kwargs, _with_values(node, args, kwargs), scope)
        if isinstance(callee, Method) and isinstance(callee.receiver, (dict, list, tuple, str, set, frozenset)) \
                and not (isinstance(callee.receiver, list) and callee.name in ("append", "extend", "insert")) \
                and not (isinstance(callee.receiver, dict) and callee.name in ("items", "keys", "values")):
            return plain_method(self, callee.receiver, callee.name, args, kwargs, node)
        if isinstance(callee, Class):
            if not self.is_model_class(callee.node) and plain_class(self, callee.node):
                return make_plain(self, callee.node, args, kwargs, node)
            base = layer_base(self, callee.node) if not self.is_model_class(callee.node) else None
            if base is not None:  # class Conv3DSimple(nn.Conv3d): the layer its __init__ makes
                return make_subclass_layer(self, callee.node, base, args, kwargs, node)
            if not self.is_model_class(callee.node):
                raise Unreadable(node, f"{callee.node.name} is not a model class (nn.Module or keras Model)")
            return self.instantiate(callee.node, args, kwargs, node, "")
        if isinstance(callee, Function):
            return self.invoke(callee, args, kwargs, node)
        if isinstance(callee, Method) and isinstance(callee.receiver, WeightVariable):
            return variable_method(self, callee.receiver, callee.name, args, kwargs, node)
        if isinstance(callee, Method) and reads_variables("", args, kwargs):
            return variable_call(self, f"Tensor.{callee.name}", args, kwargs, node)
        if isinstance(callee, Method):
            return call_method(self, callee.receiver, callee.name, args, kwargs, node)
        if isinstance(callee, (Layer, Sequential, Instance)):
            return self.apply_module(callee, args, kwargs, node)
        if isinstance(callee, Model):
            raise Unreadable(node, "calling a whole keras Model on a tensor is not read; plan that model by its "
                                   "own name")
        if isinstance(callee, ModuleList):
            raise Unreadable(node, "an nn.ModuleList cannot be called; iterate over it")
        raise Unreadable(node, "this call is not one the reader can follow")

    def apply_module(self, module: Any, args: list, kwargs: dict, node: ast.AST) -> Any:
        """A layer, a Sequential or a model object applied to tensors."""
        self._step(node)
        if has_own_forward(self, module):  # class LayerNorm2d(nn.LayerNorm) with a forward of its own
            return apply_own_forward(self, module, args, kwargs, node)
        if isinstance(module, Layer):
            args = initial_state_free(self, module.entry["type"], module.entry, args, kwargs, node)
            inputs = _tensors(args[0] if len(args) == 1 else args, node)
            return self.apply_layer(module, inputs, node)
        if isinstance(module, Sequential):
            if len(args) != 1:
                raise Unreadable(node, "a Sequential takes one tensor")
            current = args[0]
            for child in self._unnested(module, node):
                current = self.apply_module(child, [current], {}, node)
            return current
        if isinstance(module, Instance):
            method = self._method(module.cls, "forward") or self._method(module.cls, "call")
            inherited = as_sequential(self, module, node) if method is None else None
            if inherited is not None:  # an nn.Sequential subclass: its modules in order
                return self.apply_module(inherited, args, kwargs, node)
            if method is None:
                raise Unreadable(node, f"{module.cls.name} has no forward or call method")
            kwargs = {k: v for k, v in kwargs.items() if k not in ("training", "mask")}
            build_before_call(self, module, args, node)  # keras: build(input_shape) adds the layer's weights
            result = self.invoke(Function(method, module), args, kwargs, node)
            refuse_unused_after_call(module)
            return result
        if isinstance(module, EinopsLayer):  # a layer object that is a function with its arguments
            return self.apply(module, args, kwargs, node, None)
        raise Unreadable(node, "this is not a layer")

    def _unnested(self, sequential: Sequential, node: ast.AST):
        """The children of a Sequential in the order they apply, the Sequentials among them opened (iteratively:
        they may nest deeply)."""
        stack = [child for _, child in reversed(sequential.children)]
        while stack:
            child = stack.pop()
            self._step(node)
            if isinstance(child, Sequential):
                stack.extend(inner for _, inner in reversed(child.children))
            else:
                yield child

    def apply_layer(self, layer: Layer, inputs: list[Tensor], node: ast.AST) -> Tensor:
        """A layer object applied to tensors. Applied again (a shared tower, a keras layer called on two
        tensors), it is the same layer: the spec's `shares:` names its first call, whose weights both
        frameworks count once."""
        if layer.wrapped_at is not None:
            raise Unreadable(node, f"this layer is also inside the wrapper at line {layer.wrapped_at}, which keras "
                                   "applies with the same weights; layerplan does not plan one layer both wrapped and "
                                   "on its own: make two layers, or write the model as a spec")
        layer.uses += 1
        hint = layer.name or self.hint or _type_hint(layer.entry["type"])
        if layer.uses > 1 and layer.name:
            hint = f"{layer.name}_{layer.uses}"
        entry = layer.entry
        if layer.first_call is not None:
            entry = {**entry, "shares": layer.first_call}
        declared = layer.declared if layer.first_call is None else None  # checked at the first call
        if layer.positive_axis is not None:
            require_last_axis(layer, len(sample_shape(self.graph, inputs[0].name, self.framework, self.input_shapes,
                                                      node)))
        returns = _returns(entry, self.framework)
        if returns is not None:
            entry = {**entry, **returns[1]}
        self._step(node)
        option_nodes = {key: self.here(spot) for key, spot in layer.option_nodes.items()}
        if declared:
            declared = {key: (value, self.here(spot)) for key, (value, spot) in declared.items()}
        tensor = self.graph.add(entry, inputs, self.here(layer.node) or layer.made_at, option_nodes, hint, declared)
        if layer.first_call is None:
            layer.first_call = tensor.name
        return tensor if returns is None else _outputs(returns[0], tensor.name)

    def graph_layer(self, entry: dict, inputs: list[Tensor], node: ast.AST, kind: str) -> Tensor:
        """A layer made by a function call on tensors (F.relu(x), torch.cat, x.view(...))."""
        self._step(node)
        return self.graph.add(entry, inputs, self.here(node), {}, self.hint or kind)

    def layer(self, qualified: str, class_name: str, node: ast.Call, scope: Scope, *, tensor_first: bool = False,
              skip_keywords: tuple = ()) -> Layer | None:
        """The Layer made by a constructor call of a known kind (None: the name is not a layer kind)."""
        if self.framework == "torch" and class_name in CONSTANT_PADS:  # a zero padding or a cropping, exactly
            return constant_pad_layer(self, class_name, node, scope)
        kind = kind_for(class_name)
        if kind is None:
            return None
        call = node
        if skip_keywords:
            call = copy.copy(node)
            call.keywords = [k for k in node.keywords if k.arg not in skip_keywords]
        layer = make_layer(class_name, kind, self.framework, call, lambda n: self._option(n, scope),
                           skip_positional=1 if tensor_first else 0,
                           type_name=class_name if _dimensionless(class_name, kind) else None,
                           shape_value=lambda n: input_shape_argument(self, lambda: self._option(n, scope), n))
        adapt_layer(self, layer, class_name, kind)
        layer.class_name = class_name
        layer.made_at = self.here(node)
        return layer

    def _option(self, node: ast.AST, scope: Scope) -> Any:
        value = self.value(node, scope)
        if not self.is_constant(value, node):
            raise Unreadable(node, "this layer option is not a value the reader can compute; write the number "
                                   "(module-level constants and arithmetic on them are read)")
        return value


def _with_values(node: ast.Call, args: list, kwargs: dict) -> ast.Call:
    """The call `node` with arguments the reader already computed (a `*args` / `**kwargs` unpacked, a
    functools.partial's): a layer constructor reads its options from the call's syntax."""
    written = [a for a in node.args if not isinstance(a, ast.Starred)]
    spots = written if len(written) == len(args) and len(written) == len(node.args) else [node] * len(args)
    keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
    call = ast.Call(func=node.func, args=[given(v, spot) for v, spot in zip(args, spots)],
                    keywords=[ast.keyword(arg=k, value=given(v, keywords.get(k, node)))
                              for k, v in kwargs.items()])
    return ast.copy_location(call, node)


def _dimensionless(class_name: str, kind) -> bool:
    """Whether the class leaves its dimensions to the input rank (BatchNormalization, Upsample)."""
    from ..kinds import resolve_type

    return resolve_type(class_name, None) is None


def _returns(entry: dict, framework: str) -> tuple[Any, dict] | None:
    """What calling the layer returns when it returns several tensors (Spelling.returns), else None."""
    kind = kind_for(entry["type"])
    spelling = kind.spellings.get(framework) if kind is not None else None
    return spelling.returns(entry) if spelling is not None and spelling.returns is not None else None


def _outputs(structure: Any, name: str) -> Any:
    """The tensors of a call that returns several, as the framework nests them: output K is `NAME:K`.

    >>> _outputs((0, (1, 2)), "lstm")
    (Tensor(name='lstm:0'), (Tensor(name='lstm:1'), Tensor(name='lstm:2')))
    """
    if isinstance(structure, tuple):
        return tuple(_outputs(part, name) for part in structure)
    return Tensor(f"{name}:{structure}")


def _type_hint(type_name: str) -> str:
    """The name of an unnamed layer: its canonical type (`BatchNormalization` -> batch_norm)."""
    from .layers import kind_for

    kind = kind_for(type_name)
    return type_name if kind is None or kind.name == type_name else kind.family if kind.dims else kind.name


def _tensors(value: Any, node: ast.AST) -> list[Tensor]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    for item in values:
        if isinstance(item, MadeTensor):
            raise Unreadable(node, "a layer is applied to a tensor the code makes (torch.zeros, torch.randn...), not "
                                   "to one computed from the model's input", "a sample input")
        if not isinstance(item, Tensor):
            raise Unreadable(node, "a layer is applied to something that is not a tensor the reader followed")
    return values


def _compare(op: ast.cmpop, left: Any, right: Any, node: ast.AST) -> bool:
    import operator

    table = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
             ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
             ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
    try:
        return bool(table[type(op)](left, right))
    except TypeError as exc:
        raise Unreadable(node, f"this comparison fails: {exc}") from None


def _dotted(node: ast.AST) -> str | None:
    """The dotted name an attribute chain spells (`opt.img_size`), None when it is not names only.

    >>> _dotted(ast.parse("args.model.width", mode="eval").body)
    'args.model.width'
    """
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _load(target: ast.AST) -> ast.AST:
    copied = copy.copy(target)
    copied.ctx = ast.Load()
    return copied


def _is_main_guard(node: ast.If) -> bool:
    test = node.test
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"


def _assigned_names(nodes) -> list[str]:
    """The names stored to among the nodes of a statement (its ast.walk)."""
    names = []
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
        elif isinstance(node, ast.alias) and node.name != "*":  # an import that could not be read
            names.append(node.asname or node.name.split(".")[0])
    return names


def _is_network(value: Any) -> bool:
    """Whether a value is (or holds) a part of a model: a tensor, a layer, a container, a model."""
    if isinstance(value, (list, tuple)):
        return any(_is_network(v) for v in value)
    if isinstance(value, Instance) and value.plain:
        return False
    return isinstance(value, _NETWORK_VALUES) or isinstance(value, Unknown) and value.network


def _tensor_like(value: Any) -> bool:
    """Whether a value is (or holds) a tensor of the data flow, or an unread value that may be one."""
    if isinstance(value, (list, tuple)):
        return any(_tensor_like(v) for v in value)
    return isinstance(value, Tensor) or isinstance(value, Unknown) and value.network


def _changed_containers(statement: ast.stmt) -> list[tuple[str, ast.AST]]:
    """The names whose value a statement changes in place (`model.add(...)`, `layers += [...]`, `del
    model.layers[-1]`), with the node that changes each.

    >>> [name for name, _ in _changed_containers(ast.parse("model.add(Dense(n))\\nlayers += [x]").body[1])]
    ['layers']
    """
    found = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS:
            targets = [(node.func.value, node)]
        elif isinstance(node, ast.AugAssign):
            targets = [(node.target, node)]
        elif isinstance(node, ast.Delete):
            targets = [(target, node) for target in node.targets]
        else:
            continue
        for target, where in targets:
            while isinstance(target, (ast.Attribute, ast.Subscript)):
                target = target.value
            if isinstance(target, ast.Name):
                found.append((target.id, where))
    return found


def _snippet(node: ast.AST) -> str:
    """The code of a node, on one line and short: `model.add(Conv2D(32, ...))`."""
    text = " ".join(ast.unparse(node).split())
    return f"`{text[:57]}...`" if len(text) > 60 else f"`{text}`"
