"""A planned spec written as a torch or keras model: readable Python, formatted as black would.

    report (planned in the target framework) -> each layer's kind writes itself (kind.spellings[fw].write,
    planner/kinds/writing.py) -> torch: an nn.Module whose forward follows the graph;
                                  keras: Sequential for a plain stack, else the functional API

The text defines INPUT_SHAPE (a dict name -> shape for several inputs) and build_model(); run as a
script it builds the model and prints its summary. Each layer's statement carries its planned output
shape as a comment. The same report always gives the same bytes.

`Exported.layers` says where each spec layer is in the text (the lines of its statement, the variable
it assigns, its torch attribute), so `layerplan verify` can read back every layer's output.

>>> from layerplan.planner import plan_data
>>> report = plan_data({"name": "tiny", "input": [1, 28, 28],
...                     "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}, "relu"]})
>>> print(export_report(report).text.split("class ")[1].split("def build_model")[0].strip())
Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv2d_1 = nn.Conv2d(1, 8, kernel_size=3)
        self.relu_1 = nn.ReLU()
<BLANKLINE>
    def forward(self, x):
        x = self.conv2d_1(x)  # (8, 26, 26)
        x = self.relu_1(x)  # (8, 26, 26)
        return x
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .code_text import comment_text, docstring_text, keras_name, python_class_name, python_identifier
from .kinds import KINDS
from .export_check import UnsafeExport, check_export
from .graph import output_reference
from .kinds.writing import Call, NotWritable, Written, argument_text, literal
from .report import LayerRow, Report

__all__ = ["Exported", "ExportedLayer", "NotWritable", "Rejection", "UnsafeExport", "export_report",
           "plan_for_export", "up_to_rejection"]

LINE_LENGTH = 88  # black's default
FRAMEWORKS = ("torch", "keras")


@dataclass(slots=True)
class ExportedLayer:
    """Where one spec layer is in the exported text. `first_line`/`last_line`: its statement (1-based;
    0 in a keras Sequential, whose layers are found in order); `variable`: what the statement assigns;
    `attribute`: the torch submodule holding its parameters (None when written inline); `scope`: the
    torch submodule whose forward holds the statement ("" for the model's own)."""

    index: int
    name: str
    type: str
    variable: str
    first_line: int = 0
    last_line: int = 0
    attribute: str | None = None
    scope: str = ""
    outputs: tuple[str, ...] = ()  # a layer with several outputs: the expression that reads each one
    shares: str | None = None  # a second call of this layer's module: its weights are counted there


@dataclass(slots=True)
class Exported:
    """An exported model: the text and where its layers are. `function`: the function whose statements
    compute the layers ("forward" for torch, "build_model" for keras functional, None for Sequential);
    `integer_inputs`: the inputs read as integer ids (by an embedding)."""

    framework: str
    text: str
    layers: list[ExportedLayer] = field(default_factory=list)
    function: str | None = None
    inputs: dict[str, tuple[int, ...]] = field(default_factory=dict)
    integer_inputs: tuple[str, ...] = ()


def plan_for_export(data, target: str, file: str = "<spec>") -> Report:
    """The spec planned in the target framework: as written when it is the spec's own framework, else
    ported (planner/port.py: `layerplan port`) and planned there, with the port's LP501 on every layer
    it could not port exactly (the export refuses those: its code would not compute the source's shapes).

    >>> plan_for_export({"framework": "keras", "input": [28, 28, 1],
    ...                  "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": "same"}}]},
    ...                 "torch").layers[0].output
    (4, 28, 28)
    """
    from .api import plan_data
    from .port import port_spec, source_framework

    report = plan_data(data, file=file)
    if source_framework(data) == target or not report.ok:
        return report
    port = port_spec(data, target, file=file)
    ported = plan_data(port.data, target, file=file)
    ported.diagnostics += [d for layer in port.layers if layer.exact is False for d in layer.diagnostics()
                           if d.name == "port-inexact"]
    return ported


def export_report(report: Report) -> Exported:
    """The planned spec (valid: no error diagnostics) as Python text in its framework.

    Raises NotWritable when a layer has no spelling in the framework (e.g. an activation torch lacks),
    and UnsafeExport when the text fails the last check (planner/export_check.py): never expected, as
    every name reaches the text through planner/code_text.py, but never shown or run if it happens.
    """
    writer = _TorchWriter(report) if report.framework == "torch" else _KerasWriter(report)
    exported = writer.write()
    check_export(exported.text, exported.framework)
    return exported


#: the errors where the plan says the framework itself rejects a layer's shapes or values (LP2xx,
#: docs/diagnostics.md), which running the framework can confirm; not LP220 (a count past int64, too
#: large to build) nor LP221 (about model code, not the spec)
FRAMEWORK_REJECTIONS = frozenset({"LP201", "LP202", "LP203", "LP204", "LP205", "LP206", "LP207", "LP208", "LP209",
                                  "LP210", "LP211", "LP212", "LP213", "LP218"})
#: the spec's own assertions (expect): not the framework's business
_ASSERTIONS = frozenset({"LP401", "LP402"})


@dataclass(slots=True)
class Rejection:
    """A spec whose plan rejects a layer the framework can be asked about: `report` holds the layers up
    to and including `layer` (the first rejected one, its output unplanned), `diagnostics` the errors
    the plan gives it."""

    report: Report
    layer: LayerRow
    diagnostics: list


def up_to_rejection(report: Report) -> Rejection | None:
    """The plan cut after its first rejected layer, when every error before it (and the spec-wide
    ones) is none and that layer's errors are ones the framework itself checks (FRAMEWORK_REJECTIONS);
    else None. `layerplan verify` runs the cut model to see whether the framework rejects it too.

    >>> from layerplan.planner import plan_data
    >>> cut = up_to_rejection(plan_data({"input": [1, 4, 4], "layers": [
    ...     {"conv2d": {"filters": 2, "kernel_size": 3}}, {"conv2d": {"filters": 2, "kernel_size": 3}}, "relu"]}))
    >>> [row.name for row in cut.report.layers], [d.code for d in cut.diagnostics]
    (['conv2d_1', 'conv2d_2'], ['LP203'])
    """
    errors = [d for d in report.diagnostics if d.severity.value == "error" and d.code not in _ASSERTIONS]
    rejected = [d.layer for d in errors if d.layer is not None]
    if report.read_error or not rejected:
        return None
    first = min(rejected)
    mine = [d for d in errors if d.layer == first]
    if any(d.layer is None for d in errors) or any(d.code not in FRAMEWORK_REJECTIONS for d in mine):
        return None
    rows = [row for row in report.layers if row.index <= first]
    if rows[-1].index != first or rows[-1].input is None:
        return None
    cut = Report(report.file, report.framework, report.input, rows, [d for d in report.diagnostics
                                                                      if d.layer is not None and d.layer <= first],
                 report.name, report.batch, dtype=report.dtype, inputs=dict(report.inputs))
    return Rejection(cut, rows[-1], mine)


# ---------------------------------------------------------------------------------------- names


def identifier(name: str) -> str:
    """A layer or input name as a Python identifier (planner/code_text.py python_identifier).

    >>> identifier("layer1.0.conv1"), identifier("x"), identifier("1st"), identifier("class")
    ('layer1_0_conv1', 'x_', '_1st', 'class_')
    """
    return python_identifier(name)


class Identifiers:
    """Python identifiers for names, distinct even where two names differ only in punctuation or
    in look-alike letters; `taken`: identifiers another namespace of the same function holds.

    >>> names = Identifiers()
    >>> names("stem.a"), names("stem_a"), names("stem.a"), names("𝐬tem_a"), names.fresh("stem.a")
    ('stem_a', 'stem_a_2', 'stem_a', 'stem_a_3', 'stem_a_4')
    """

    def __init__(self, taken: set[str] | None = None):
        self.given: dict[str, str] = {}
        self.taken: set[str] = set() if taken is None else taken

    def __call__(self, name: str) -> str:
        """The identifier of `name`: the same one each time it is asked for."""
        if name not in self.given:
            self.given[name] = self.fresh(name)
        return self.given[name]

    def fresh(self, name: str) -> str:
        """A new identifier for `name`, distinct from every one given before."""
        base = text = identifier(name)
        count = 1
        while text in self.taken:
            count += 1
            text = f"{base}_{count}"
        self.taken.add(text)
        return text


def class_name(name: str | None) -> str:
    """The torch module class for a spec name (Model without one).

    >>> class_name("mnist-conv-autoencoder"), class_name(None), class_name("3d unet"), class_name("true")
    ('MnistConvAutoencoder', 'Model', 'Net3dUnet', 'True_')
    """
    return python_class_name(name or "") or "Model"


def given_name(row: LayerRow) -> bool:
    """Whether the spec named this layer (automatic names are `<type>_<n>`)."""
    return re.fullmatch(rf"{re.escape(row.type)}_\d+", row.name.rsplit(".", 1)[-1]) is None


def _shape(shape) -> str:
    return literal(tuple(shape)) if shape is not None else "None"


def _shapes(row: LayerRow) -> str:
    """The planned output shape, or each output's for a layer with several."""
    if row.output is None and row.outputs is None:
        return "the plan rejects this layer"
    if row.outputs is None:
        return _shape(row.output)
    return ", ".join(_shape(shape) for shape in row.outputs)


def output_keys(row) -> list[str]:
    """The names later layers read a layer's outputs by: its name, or `NAME:K` for each of several.

    >>> output_keys(LayerRow(1, "halves", "chunk", outputs=((2, 4), (2, 4)))), output_keys(LayerRow(2, "r", "relu"))
    (['halves:0', 'halves:1'], ['r'])
    """
    outputs = getattr(row, "outputs", None)
    return [row.name] if outputs is None else [f"{row.name}:{k}" for k in range(len(outputs))]


# ---------------------------------------------------------------------------------- formatting


def _fits(text: str) -> bool:
    return len(text) <= LINE_LENGTH


def format_statement(indent: int, head: str, code, tail: str = "", comment: str | None = None) -> list[str]:
    """A statement `head + code + tail`, split as black splits a call that is too long; `comment` (the
    shape of the layer the statement writes) stands on the statement: at the end of its line, else at
    the end of the split statement's first line (`x = layers.Conv2D(  # (28, 28, 1)`), else of its
    last line, where black leaves it; never on a line of its own, where it reads as the next layer's.

    >>> format_statement(4, "x = ", Call("f", ("a",)), "", "(1, 2)")
    ['    x = f(a)  # (1, 2)']
    >>> format_statement(0, "y = ", Call("g", tuple("b" * 30 for _ in range(3))))[0]
    'y = g('
    >>> format_statement(0, "y = ", Call("g", ("b" * 70,)), "", "(64, 64, 32)")[0]
    'y = g(  # (64, 64, 32)'
    """
    pad = " " * indent
    one = pad + head + (code.text() if isinstance(code, Call) else code) + tail
    if not comment:
        return [one] if _fits(one) else _split_statement(indent, head, code, tail)
    suffix = f"  # {comment_text(comment)}"
    if _fits(one + suffix):
        return [one + suffix]
    opened = _opened_with_comment(indent, head, code, tail, suffix)
    if opened is not None:
        return opened
    lines = _split_statement(indent, head, code, tail)
    if isinstance(code, Call) and tail.startswith("(") and lines[-1] == pad + ")" + tail:
        lines[-1:] = [pad + ")(", pad + "    " + tail[1:-1], pad + ")"]  # black splits the trailer too
    lines[-1] += suffix
    return lines


def _opened_with_comment(indent: int, head: str, code, tail: str, suffix: str) -> list[str] | None:
    """The statement split after an opening bracket, `suffix` (the comment) on that first line, as
    black keeps it: the last bracket first (a layer applied to its inputs), else the call's own; None
    when neither first line fits."""
    pad = " " * indent
    candidates = []
    if isinstance(code, Call):
        if tail.startswith("(") and tail[1:-1]:
            candidates.append([pad + head + code.text() + "(", pad + "    " + tail[1:-1], pad + ")"])
        if code.arguments():
            candidates.append(_split_call(indent, head, code, tail))
    else:
        opening = _last_call_bracket(code)
        if opening is None:
            candidates.append([pad + head + "(", pad + "    " + code, pad + ")" + tail])  # black's parentheses
        elif code[opening + 1:-1]:
            candidates.append([pad + head + code[:opening + 1], pad + "    " + code[opening + 1:-1], pad + ")" + tail])
    for lines in candidates:
        if _fits(lines[0] + suffix) and all(_fits(line) for line in lines[1:]):
            return [lines[0] + suffix, *lines[1:]]
    return None


def _split_statement(indent: int, head: str, code, tail: str) -> list[str]:
    """`head + code + tail` over several lines, as black splits it."""
    pad = " " * indent
    if not isinstance(code, Call):
        opening = _last_call_bracket(code)
        if opening is not None and _fits(pad + head + code[:opening + 1]) and \
                _fits(pad + "    " + code[opening + 1:-1]) and code[opening + 1:-1]:
            # black splits at the last bracket: `x = self.layer(\n    x\n)`
            return [pad + head + code[:opening + 1], pad + "    " + code[opening + 1:-1], pad + ")" + tail]
        return [pad + head + "(", pad + "    " + code, pad + ")" + tail]  # black wraps it in parentheses
    if tail.startswith("(") and _fits(pad + head + code.text() + "(") and _fits(pad + "    " + tail[1:-1]):
        # black splits at the last bracket first: a layer applied to its inputs, `layers.X(...)(x)`
        return [pad + head + code.text() + "(", pad + "    " + tail[1:-1], pad + ")"]
    return _split_call(indent, head, code, tail)


def _last_call_bracket(code: str) -> int | None:
    """Where the bracket opens that the expression's final `)` closes (`self.f(x)` -> 6); None when
    the expression does not end in a call, or holds a string (a bracket in it is not code).

    >>> _last_call_bracket("self.f(g(x), y)"), _last_call_bracket("a + b"), _last_call_bracket("f(')')")
    (6, None, None)
    """
    if not code.endswith(")") or "'" in code or '"' in code:
        return None
    depth = 0
    for position in range(len(code) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(code[position], 0)
        if depth == 0:
            return position if position > 0 and (code[position - 1].isalnum() or code[position - 1] in "_)") \
                else None
    return None


def _split_call(indent: int, head: str, call: Call, tail: str) -> list[str]:
    pad = " " * indent
    arguments = call.arguments()
    body = ", ".join(argument_text(a) for a in arguments)
    if _fits(pad + "    " + body):
        return [f"{pad}{head}{call.callee}(", f"{pad}    {body}", f"{pad}){tail}"]
    lines = [f"{pad}{head}{call.callee}("]
    for argument in arguments:
        name, value = argument if isinstance(argument, tuple) else ("", argument)
        prefix = f"{name}=" if name else ""
        text = argument_text(argument)
        if _fits(pad + "    " + text + ",") or not isinstance(value, Call):
            lines.append(f"{pad}    {text},")
        else:
            lines.extend(_split_call(indent + 4, prefix, value, ","))
    lines.append(f"{pad}){tail}")
    return lines


# ------------------------------------------------------------------------------------- writers


def variables_for(nodes, input_names: list[str], outputs: set[str], name=lambda n: n,
                  chain_input: bool = True, input_variable: str = "inputs", parts=lambda node: (),
                  unique: Identifiers | None = None) -> dict[str, str]:
    """Each value's variable: `x` for a value only the next node reads (and the function's input when
    only the first node reads it), else a name. `nodes` have .name and .inputs, in order; a node with
    several outputs has a variable for each `NAME:K`, named after its `names` (the spec's) or else
    `parts(node)` (at most one is `x`).
    `unique`: where the function's other identifiers are taken (each value gets a fresh one).

    >>> from types import SimpleNamespace as N
    >>> variables_for([N(name="a", inputs=["in"]), N(name="b", inputs=["a"]), N(name="c", inputs=["b", "a"])],
    ...               ["in"], set())
    {'in': 'x', 'a': 'a', 'b': 'x', 'c': 'x'}
    """
    readers: dict[str, list[int]] = {}
    for position, node in enumerate(nodes):
        for source in node.inputs:
            readers.setdefault(source, []).append(position)
    variables = {}
    unique = Identifiers() if unique is None else unique
    for source in input_names:
        chained = chain_input and len(input_names) == 1 and readers.get(source) == [0]
        variables[source] = "x" if chained else (input_variable if len(input_names) == 1 else unique.fresh(name(source)))
    for position, node in enumerate(nodes):
        keys = output_keys(node)
        if len(keys) > 1 or parts(node):
            chained = False
            given = getattr(node, "names", None)  # the spec's names of the outputs, when it names them
            for k, (key, part) in enumerate(zip(keys, parts(node))):
                # a state or weights output keeps its name (`lstm_h_n`): only the main output or a part may be x
                chainable = part == "" or part.isdigit()
                if chainable and not chained and readers.get(key) == [position + 1] and key not in outputs:
                    variables[key], chained = "x", True
                else:
                    variables[key] = unique.fresh(name(given[k]) if given else
                                                  name(node.name) + (f"_{part}" if part else ""))
            continue
        last = position == len(nodes) - 1
        chained = readers.get(node.name) == [position + 1] or (last and not readers.get(node.name))
        variables[node.name] = "x" if chained and node.name not in outputs else unique.fresh(name(node.name))
    return variables


@dataclass(slots=True)
class _Statement:
    """A layer's statement in a function being written: lines counted from the function's text."""

    row: LayerRow
    variable: str
    first: int
    last: int
    attribute: str | None
    outputs: tuple[str, ...] = ()


class _Writer:
    """What both frameworks share: the statements of a function, the spec's inputs and outputs."""

    framework = ""

    def __init__(self, report: Report):
        self.report = report
        self.rows = report.layers
        self.read_as: dict[str, str] = {}  # NAME:K -> how a later layer reads that output (`{}`: its variable)

    def integer_inputs(self) -> tuple[str, ...]:
        """The spec inputs a layer reads as integer ids."""
        return tuple(name for name in self.report.inputs
                     if any(name in row.inputs and self.written(row).integer_input for row in self.rows))

    def written(self, row: LayerRow) -> Written:
        kind = KINDS[row.type]
        spelling = kind.spellings[self.framework]
        try:
            written = spelling.write(row, spelling)
        except NotWritable as exc:
            raise NotWritable(f"layer {row.index} ({row.name}): {exc}") from None
        for key, template in zip(output_keys(row), written.read or ()):
            if template:
                self.read_as[key] = template
        return written

    def parts(self, node) -> tuple[str, ...]:
        """The variable suffixes of a layer's outputs (none for a single one)."""
        return self.written(node).parts if isinstance(node, LayerRow) else ()

    def reading(self, variables: dict[str, str], source: str) -> str:
        """The expression a layer reads `source` by: its variable, or e.g. `h_n.transpose(0, 1)`."""
        return self.read_as.get(source, "{}").format(variables[source])

    def target(self, row: LayerRow, code: Written, variables: dict[str, str]) -> str:
        """What a layer's statement assigns: its variable, or the unpacking of its outputs."""
        if code.unpack is None:
            return variables[row.name]
        return code.unpack.format(*(variables[key] for key in output_keys(row)))

    def applied(self, code: Written, args: list[str]) -> str:
        """The arguments a module is applied to."""
        return code.applied.format(*args) if code.applied else ", ".join(args)

    def statement_outputs(self, row: LayerRow, variables: dict[str, str]) -> tuple[str, ...]:
        return tuple(self.reading(variables, key) for key in output_keys(row)) if row.outputs is not None else ()

    @staticmethod
    def statement(lines: list[str], statements: list, row: LayerRow, variable: str, indent: int, head: str, code,
                  tail: str = "", attribute: str | None = None, outputs: tuple[str, ...] = ()) -> None:
        start = len(lines) + 1
        lines.extend(format_statement(indent, head, code, tail, _shapes(row)))
        statements.append(_Statement(row, variable, start, len(lines), attribute, outputs))

    def input_shape_lines(self) -> list[str]:
        inputs = self.report.inputs
        if len(inputs) == 1:
            return [f"INPUT_SHAPE = {_shape(next(iter(inputs.values())))}"]
        items = [f"{literal(name)}: {_shape(shape)}" for name, shape in inputs.items()]
        one = "INPUT_SHAPE = {" + ", ".join(items) + "}"
        return [one] if _fits(one) else ["INPUT_SHAPE = {", *(f"    {item}," for item in items), "}"]

    def header(self) -> list[str]:
        name = self.report.name or "model"
        total = self.report.total_params
        count = "parameters not planned" if total is None else f"{total:,} parameters"
        return [f'"""{docstring_text(name)}: written by layerplan export from {docstring_text(self.report.file)} '
                f'({self.framework}, {count})."""', ""]

    def output_names(self) -> list[str]:
        """The values the model returns: the spec's `outputs:` (a block use's name is its last layer),
        else the last layer."""
        if self.report.output_map is None:
            return output_keys(self.rows[-1])
        rows = {row.name: row for row in self.rows}
        named = {output: f"{row.name}:{k}" for row in self.rows for k, output in enumerate(row.names or ())}
        names = []
        for name in self.report.output_map:
            if name in rows:
                names.extend(output_keys(rows[name]))
            elif name in named:  # an output named by `names:`
                names.append(named[name])
            elif name in self.report.inputs or output_reference(name):
                names.append(name)
            else:
                names.append([row.name for row in self.rows if name in row.block_path][-1])
        return names

    def spec_outputs(self) -> set[str]:
        return set(self.output_names()) if self.report.output_map is not None else set()

    @staticmethod
    def exported(statements, offset: int, scope: str = "", prefix: str = "") -> list[ExportedLayer]:
        return [ExportedLayer(s.row.index, s.row.name, s.row.type, s.variable, offset + s.first, offset + s.last,
                              prefix + s.attribute if s.attribute else None, scope, s.outputs, s.row.shares)
                for s in statements]


@dataclass(slots=True)
class _Block:
    """A block use written as a torch submodule: its layers, the one value it reads, its names."""

    rows: list[LayerRow]
    source: str
    instance: str
    definition: str
    class_name: str = ""
    statements: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.rows[-1].name

    @property
    def inputs(self) -> list[str]:
        return [self.source]

    def local(self, name: str) -> str:
        """A layer's name inside the block: without the use's prefix."""
        prefix = self.instance + "."
        return name[len(prefix):] if name.startswith(prefix) else name


def _block_uses(rows: list[LayerRow], spec_outputs: set[str]) -> list:
    """The rows, with each block use that reads one value and is read only through its last layer as
    a _Block (the others, e.g. a block whose inner layer is read from outside, stay layer by layer)."""
    runs: list[list[LayerRow]] = []
    for row in rows:
        key = row.block_path[-1] if row.block_path else None
        if runs and key is not None and runs[-1][0].block_path and runs[-1][0].block_path[-1] == key:
            runs[-1].append(row)
        else:
            runs.append([row])
    keys = [run[0].block_path[-1] if run[0].block_path else None for run in runs]
    uses = Counter(keys)
    owners = {row.shares for row in rows if row.shares is not None}  # layers called again elsewhere
    readers: dict[str, set[int]] = {}  # name -> the runs that read it
    for index, run in enumerate(runs):
        for row in run:
            for name in row.inputs:
                readers.setdefault(name, set()).add(index)
    units: list = []
    for index, (run, key) in enumerate(zip(runs, keys)):
        inside = {row.name for row in run}
        sources = list(dict.fromkeys(n for row in run for n in row.inputs if n not in inside))
        read_outside = any(row.name in spec_outputs or readers.get(row.name, set()) - {index} for row in run[:-1])
        several = any(row.outputs is not None for row in run)
        shared = any(row.shares is not None or row.name in owners for row in run)
        if key is None or uses[key] > 1 or len(sources) != 1 or read_outside or several or shared:
            units.extend(run)
        else:
            units.append(_Block(run, sources[0], key, run[0].block_names[-1]))
    return units


class _TorchWriter(_Writer):
    framework = "torch"

    def write(self) -> Exported:
        report = self.report
        self.attributes = Identifiers()  # the model's submodules
        units = _block_uses(self.rows, self.spec_outputs())
        classes: dict[tuple, tuple[str, list[str], list]] = {}  # (block, text) -> (class, lines, statements)
        taken = {class_name(report.name)}
        for unit in units:
            if isinstance(unit, _Block):
                lines, statements = self._block_class(unit)
                key = (unit.definition, "\n".join(lines))
                if key not in classes:
                    base = class_name(unit.definition)
                    name = next(f"{base}_{n}" if n > 1 else base for n in range(1, len(units) + 2)
                                if (f"{base}_{n}" if n > 1 else base) not in taken)
                    taken.add(name)
                    classes[key] = (name, lines, statements)
                unit.class_name = classes[key][0]
                unit.statements = statements
        text = self.header() + ["import torch", "from torch import nn", "", *self.input_shape_lines()]
        offsets = {}
        for key, (name, lines, _) in classes.items():
            text += ["", "", f"class {name}(nn.Module):"]
            offsets[name] = len(text)
            text += lines
        model_lines, statements = self._model_class(units)
        text += ["", ""]
        offset = len(text)
        text += model_lines
        layers = self.exported(statements, offset)
        for unit in units:
            if isinstance(unit, _Block):  # a reused class: its statements are the first use's lines
                template = classes[next(k for k in classes if classes[k][0] == unit.class_name)][2]
                attribute = self.attributes(unit.instance)
                for mine, first in zip(unit.statements, template):
                    mine.first, mine.last = first.first, first.last
                layers += self.exported(unit.statements, offsets[unit.class_name], attribute, attribute + ".")
        layers.sort(key=lambda layer: layer.index)
        text += self._main()
        return Exported("torch", "\n".join(text) + "\n", layers, "forward", dict(report.inputs),
                        self.integer_inputs())

    def _block_class(self, block: _Block) -> tuple[list[str], list]:
        """The body of a block's class (indented as in the class): __init__ and forward."""
        variables = variables_for(block.rows, [block.source], set(), block.local, parts=self.parts)
        attributes = Identifiers()
        lines = ["    def __init__(self):", "        super().__init__()"]
        written = [self.written(row) for row in block.rows]
        for row, code in zip(block.rows, written):
            if code.module is not None:
                lines.extend(format_statement(8, f"self.{attributes(block.local(row.name))} = ", code.module))
                if row.frozen:
                    lines.append(f"        self.{attributes(block.local(row.name))}.requires_grad_(False)")
        lines += ["", f"    def forward(self, {variables[block.source]}):"]
        statements: list = []
        for row, code in zip(block.rows, written):
            self._forward_statement(lines, statements, row, code, variables, attributes(block.local(row.name)))
        lines.append(f"        return {variables[block.name]}")
        return lines, statements

    def _forward_statement(self, lines, statements, row, code: Written, variables, attribute: str) -> None:
        args = [self.reading(variables, n) for n in row.inputs]
        head = f"{self.target(row, code, variables)} = "
        variable = variables[output_keys(row)[0]]
        outputs = self.statement_outputs(row, variables)
        if code.module is not None:
            self.statement(lines, statements, row, variable, 8, head,
                           f"self.{attribute}({self.applied(code, args)})", "", attribute, outputs)
        else:
            self.statement(lines, statements, row, variable, 8, head,
                           code.inline.format(*args, inputs=", ".join(args)), outputs=outputs)

    def _model_class(self, units: list) -> tuple[list[str], list]:
        report = self.report
        variables = variables_for(units, list(report.inputs), self.spec_outputs(), parts=self.parts)
        lines = [f"class {class_name(report.name)}(nn.Module):", "    def __init__(self):",
                 "        super().__init__()"]
        written = {}
        for unit in units:
            if isinstance(unit, _Block):
                lines.append(f"        self.{self.attributes(unit.instance)} = {unit.class_name}()")
            else:
                written[unit.name] = self.written(unit)
                if written[unit.name].module is not None and unit.shares is None:  # a shared call has no module of its own
                    lines.extend(format_statement(8, f"self.{self.attributes(unit.name)} = ", written[unit.name].module))
                    if unit.frozen:  # `trainable: false`: its weights take no gradient
                        lines.append(f"        self.{self.attributes(unit.name)}.requires_grad_(False)")
        self.input_variables = {n: variables[n] for n in report.inputs}
        inputs = ", ".join(variables[n] for n in report.inputs)
        lines += ["", f"    def forward(self, {inputs}):"]
        statements: list = []
        block = ()
        for unit in units:
            if isinstance(unit, _Block):
                line = f"self.{self.attributes(unit.instance)}({self.reading(variables, unit.source)})"
                lines.extend(format_statement(8, f"{variables[unit.name]} = ", line, "", _shape(unit.rows[-1].output)))
                block = ()
                continue
            if unit.block_path != block and unit.block_path:
                lines.append(f"        # {comment_text(unit.block_path[-1])}")
            block = unit.block_path
            # a shared layer's second call applies the module that holds its weights
            self._forward_statement(lines, statements, unit, written[unit.name], variables,
                                    self.attributes(unit.shares or unit.name))
        lines.append(f"        return {', '.join(variables[n] for n in self.output_names())}")
        return lines, statements

    def _main(self) -> list[str]:
        name = class_name(self.report.name)
        integer = self.integer_inputs()
        if len(self.report.inputs) == 1:
            dtype = ", dtype=torch.long" if integer else ""
            example, call = f"torch.zeros(1, *INPUT_SHAPE{dtype})", "model(x)"
        elif integer:
            example = ("{name: torch.zeros(1, *shape, dtype=torch.long if name in " + literal(integer)
                       + " else None) for name, shape in INPUT_SHAPE.items()}")
            call = "model(**x)"
        else:
            example, call = "{name: torch.zeros(1, *shape) for name, shape in INPUT_SHAPE.items()}", "model(**x)"
        if len(self.report.inputs) > 1 and any(v != n for n, v in self.input_variables.items()):
            # forward's arguments are the inputs' identifiers, not their names
            call = Call("model", (), tuple((v, f"x[{literal(n)}]") for n, v in self.input_variables.items()))
        single = len(self.output_names()) == 1
        return ["", "", "def build_model():", f"    return {name}()", "", "", 'if __name__ == "__main__":',
                "    model = build_model()", "    print(model)",
                '    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")',
                f"    x = {example}", "    with torch.no_grad():", *format_statement(8, "y = ", call),
                "    print(y.shape)" if single else "    print([t.shape for t in y])"]


class _KerasWriter(_Writer):
    framework = "keras"

    def _plain_stack(self) -> bool:
        names = [*self.report.inputs, *(row.name for row in self.rows)]
        # a layer the plan rejects (verify runs the layers up to it) is written functionally, so that the
        # statement the framework raises on can be found
        return (len(self.report.inputs) == 1 and self.report.output_map is None and self.rows[-1].output_shapes is not None
                and all(row.shares is None for row in self.rows)
                and all(row.inputs == [names[i]] for i, row in enumerate(self.rows))
                and all(self.written(row).module is not None and self.written(row).unpack is None
                        and self.written(row).applied is None for row in self.rows))

    def write(self) -> Exported:
        report = self.report
        lines = self.header() + ["import keras", "from keras import layers", "", *self.input_shape_lines(), "", "",
                                 "def build_model():"]
        statements: list = []
        if self._plain_stack():
            function = None
            dtype = ', dtype="int32"' if self.integer_inputs() else ""
            lines += ["    return keras.Sequential(", "        [", f"            keras.Input(shape=INPUT_SHAPE{dtype}),"]
            for row in self.rows:
                self.statement(lines, statements, row, "", 12, "", self._named(row, self.written(row).module), ",")
            name = [f"        name={literal(keras_name(report.name))},"] if report.name else []
            lines += ["        ],", *name, "    )"]
        else:
            function = "build_model"
            names = Identifiers()
            variables = variables_for(self.rows, list(report.inputs), self.spec_outputs(), chain_input=False,
                                      parts=self.parts, unique=names)
            for name in report.inputs:
                shape = "INPUT_SHAPE" if len(report.inputs) == 1 else f"INPUT_SHAPE[{literal(name)}]"
                label = "" if len(report.inputs) == 1 else f", name={literal(keras_name(name))}"
                label += ', dtype="int32"' if name in self.integer_inputs() else ""
                lines.extend(format_statement(4, f"{variables[name]} = ", f"keras.Input(shape={shape}{label})"))
            block = ()
            owners = {row.shares for row in self.rows if row.shares is not None}  # layers called again
            layer_objects = Identifiers(taken=names.taken)  # beside the variables, in the same function
            for row in self.rows:
                if row.block_path != block and row.block_path:
                    lines.append(f"    # {comment_text(row.block_path[-1])}")
                block = row.block_path
                written = self.written(row)
                args = [self.reading(variables, n) for n in row.inputs]
                head = f"{self.target(row, written, variables)} = "
                variable = variables[output_keys(row)[0]]
                outputs = self.statement_outputs(row, variables)
                if written.module is None:  # a keras.ops call on the symbolic tensors
                    self.statement(lines, statements, row, variable, 4, head,
                                   written.inline.format(*args, inputs=", ".join(args)), outputs=outputs)
                    continue
                args = args[:written.reads] if written.reads else args
                applied = f"([{', '.join(args)}])" if written.takes_list else f"({self.applied(written, args)})"
                module = self._named(row, written.module)
                if row.name in owners:  # called again later: the layer object gets a name of its own
                    lines.extend(format_statement(4, f"{layer_objects(row.name + '_layer')} = ", module))
                if row.name in owners or row.shares is not None:  # the same object holds the weights
                    module = layer_objects((row.shares or row.name) + "_layer")
                self.statement(lines, statements, row, variable, 4, head, module, applied, outputs=outputs)
            ins = [variables[n] for n in report.inputs]
            outs = [variables[n] for n in self.output_names()]
            model_name = f", name={literal(keras_name(report.name))}" if report.name else ""
            lines.extend(format_statement(4, "return ", f"keras.Model({_one_or_list(ins)}, {_one_or_list(outs)}"
                                                        f"{model_name})"))
        lines += ["", "", 'if __name__ == "__main__":', "    build_model().summary()"]
        layers = self.exported(statements, 0)
        for layer in layers if function is None else ():
            layer.first_line = layer.last_line = 0
        return Exported("keras", "\n".join(lines) + "\n", layers, function, dict(report.inputs),
                        self.integer_inputs())

    def _automatic_names_taken(self) -> bool:
        """Whether a name the spec gives is one keras makes for an unnamed layer of the model (`dense` beside
        an unnamed Dense): keras would refuse the model, so every layer is written with its name."""
        if "automatic_names_taken" not in self.__dict__:
            automatic = {keras_automatic_name(written.module.callee.rpartition(".")[2])
                         for written in map(self.written, self.rows) if written.module is not None}
            pattern = re.compile(rf"(?:{'|'.join(map(re.escape, sorted(automatic)))})(?:_\d+)?") if automatic else None
            self.automatic_names_taken = pattern is not None and any(
                given_name(row) and pattern.fullmatch(keras_name(row.name)) for row in self.rows)
        return self.automatic_names_taken

    def _named(self, row: LayerRow, module: Call) -> Call:
        """The layer's constructor with its name, when the spec gives one (to every layer when a given name is one
        keras may make itself), and trainable=False on a frozen layer."""
        named = given_name(row) or self._automatic_names_taken()
        extra = ((("name", literal(keras_name(row.name))),) if named else ()) \
            + ((("trainable", "False"),) if row.frozen else ())
        return Call(module.callee, module.args, (*module.kwargs, *extra)) if extra else module


def keras_automatic_name(class_name: str) -> str:
    """The name keras gives a layer of this class that has none (then `_1`, `_2`... for the next ones).

    >>> keras_automatic_name("MaxPooling2D"), keras_automatic_name("BatchNormalization")
    ('max_pooling2d', 'batch_normalization')
    """
    words = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", re.sub(r"\W+", "", class_name))
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()


def _one_or_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "[" + ", ".join(names) + "]"
