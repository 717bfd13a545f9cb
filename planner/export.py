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

import keyword
import re
from dataclasses import dataclass, field

from layerplan.planner.kinds import KINDS
from layerplan.planner.kinds.writing import Call, NotWritable, Written, argument_text, literal
from layerplan.planner.report import LayerRow, Report

__all__ = ["Exported", "ExportedLayer", "NotWritable", "export_report", "plan_for_export"]

LINE_LENGTH = 88  # black's default
FRAMEWORKS = ("torch", "keras")
_RESERVED = {"x", "inputs", "self", "torch", "nn", "keras", "layers", "model", "build_model", "INPUT_SHAPE",
             "input", "print", "sum", "tuple", "list", "dict", "len", "super"}


@dataclass(slots=True)
class ExportedLayer:
    """Where one spec layer is in the exported text. `first_line`/`last_line`: its statement (1-based;
    0 in a keras Sequential, whose layers are found in order); `variable`: what the statement assigns;
    `attribute`: the torch submodule holding its parameters (None when written inline)."""

    index: int
    name: str
    type: str
    variable: str
    first_line: int = 0
    last_line: int = 0
    attribute: str | None = None


@dataclass(slots=True)
class Exported:
    """An exported model: the text and where its layers are. `function`: the function whose statements
    compute the layers ("forward" for torch, "build_model" for keras functional, None for Sequential)."""

    framework: str
    text: str
    layers: list[ExportedLayer] = field(default_factory=list)
    function: str | None = None
    inputs: dict[str, tuple[int, ...]] = field(default_factory=dict)


def plan_for_export(data, target: str, file: str = "<spec>") -> Report:
    """The spec planned in the target framework: as written when it is the spec's own framework, else
    ported (planner/port.py moves the channel axis and respells padding) and planned there.

    >>> plan_for_export({"framework": "keras", "input": [28, 28, 1],
    ...                  "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": "same"}}]},
    ...                 "torch").layers[0].output
    (4, 28, 28)
    """
    from layerplan.planner.api import plan_data
    from layerplan.planner.port import convert_spec

    own = data.get("framework", "torch") if isinstance(data, dict) else "torch"
    report = plan_data(data, file=file)
    if own == target or not report.ok:
        return report
    converted, _ = convert_spec(data, target, report)
    return plan_data(converted, target, file=file)


def export_report(report: Report) -> Exported:
    """The planned spec (valid: no error diagnostics) as Python text in its framework.

    Raises NotWritable when a layer has no spelling in the framework (e.g. an activation torch lacks).
    """
    writer = _TorchWriter(report) if report.framework == "torch" else _KerasWriter(report)
    return writer.write()


# ---------------------------------------------------------------------------------------- names


def identifier(name: str) -> str:
    """A layer or input name as a Python identifier (dots and dashes become underscores).

    >>> identifier("layer1.0.conv1"), identifier("x"), identifier("1st"), identifier("class")
    ('layer1_0_conv1', 'x_', '_1st', 'class_')
    """
    text = re.sub(r"\W", "_", name)
    if not text or text[0].isdigit():
        text = "_" + text
    if keyword.iskeyword(text) or text in _RESERVED:
        text += "_"
    return text


def class_name(name: str | None) -> str:
    """The torch module class for a spec name (Model without one).

    >>> class_name("mnist-conv-autoencoder"), class_name(None), class_name("3d unet")
    ('MnistConvAutoencoder', 'Model', 'Net3dUnet')
    """
    words = [w for w in re.split(r"[^0-9A-Za-z]+", name or "") if w]
    text = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    return "Net" + text if text[0].isdigit() else text


def given_name(row: LayerRow) -> bool:
    """Whether the spec named this layer (automatic names are `<type>_<n>`)."""
    return re.fullmatch(rf"{re.escape(row.type)}_\d+", row.name.rsplit(".", 1)[-1]) is None


def _shape(shape) -> str:
    return literal(tuple(shape)) if shape is not None else "None"


# ---------------------------------------------------------------------------------- formatting


def _fits(text: str) -> bool:
    return len(text) <= LINE_LENGTH


def format_statement(indent: int, head: str, code, tail: str = "", comment: str | None = None) -> list[str]:
    """A statement `head + code + tail`, split as black splits a call that is too long; `comment` goes
    at the end of the line, or on its own line above when it would not fit there.

    >>> format_statement(4, "x = ", Call("f", ("a",)), "", "(1, 2)")
    ['    x = f(a)  # (1, 2)']
    >>> format_statement(0, "y = ", Call("g", tuple("b" * 30 for _ in range(3))))[0]
    'y = g('
    """
    pad = " " * indent
    one = pad + head + (code.text() if isinstance(code, Call) else code) + tail
    suffix = f"  # {comment}" if comment else ""
    if _fits(one + suffix):
        return [one + suffix]
    above = [f"{pad}# {comment}"] if comment else []
    if _fits(one):
        return above + [one]
    if not isinstance(code, Call):  # an expression: black wraps it in parentheses
        return above + [pad + head + "(", pad + "    " + code, pad + ")" + tail]
    if tail.startswith("(") and _fits(pad + head + code.text() + "(") and _fits(pad + "    " + tail[1:-1]):
        # black splits at the last bracket first: a layer applied to its inputs, `layers.X(...)(x)`
        return above + [pad + head + code.text() + "(", pad + "    " + tail[1:-1], pad + ")"]
    return above + _split_call(indent, head, code, tail)


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


class _Writer:
    """What both frameworks share: variables for the graph's values, written statements."""

    framework = ""

    def __init__(self, report: Report):
        self.report = report
        self.rows = report.layers
        self.lines: list[str] = []
        self.layers: list[ExportedLayer] = []
        self.variables = self._variables()

    def _variables(self) -> dict[str, str]:
        """Each value's variable: `x` for a value only the next layer reads, else its name."""
        readers: dict[str, list[int]] = {}
        for position, row in enumerate(self.rows):
            for name in row.inputs:
                readers.setdefault(name, []).append(position)
        outputs = set(self.report.outputs) if self.report.output_map is not None else set()
        variables = {}
        single_input = len(self.report.inputs) == 1
        for name in self.report.inputs:
            chained = single_input and readers.get(name) == [0] and self.framework == "torch"
            variables[name] = "x" if chained else ("inputs" if single_input else identifier(name))
        for position, row in enumerate(self.rows):
            last = position == len(self.rows) - 1
            chained = readers.get(row.name) == [position + 1] or (last and not readers.get(row.name))
            variables[row.name] = "x" if chained and row.name not in outputs else identifier(row.name)
        return variables

    def written(self, row: LayerRow) -> Written:
        kind = KINDS[row.type]
        spelling = kind.spellings[self.framework]
        try:
            return spelling.write(row, spelling)
        except NotWritable as exc:
            raise NotWritable(f"layer {row.index} ({row.name}): {exc}") from None

    def emit(self, row: LayerRow, indent: int, head: str, code, tail: str, attribute: str | None = None) -> None:
        start = len(self.lines) + 1
        self.lines.extend(format_statement(indent, head, code, tail, _shape(row.output)))
        self.layers.append(ExportedLayer(row.index, row.name, row.type, self.variables[row.name], start,
                                         len(self.lines), attribute))

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
        return [f'"""{name}: written by layerplan export from {self.report.file} ({self.framework}, '
                f'{total:,} parameters)."""', ""]

    def outputs(self) -> list[str]:
        names = list(self.report.outputs) if self.report.output_map is not None else [self.rows[-1].name]
        return [self.variables[name] for name in names]


class _TorchWriter(_Writer):
    framework = "torch"

    def write(self) -> Exported:
        report = self.report
        name = class_name(report.name)
        attributes = {}
        modules = []
        for row in self.rows:
            written = self.written(row)
            if written.module is not None:
                attributes[row.name] = identifier(row.name)
                modules.append((attributes[row.name], written.module))
        self.lines = self.header() + ["import torch", "from torch import nn", "", *self.input_shape_lines(),
                                      "", "", f"class {name}(nn.Module):",
                                      "    def __init__(self):", "        super().__init__()"]
        for attribute, module in modules:
            self.lines.extend(format_statement(8, f"self.{attribute} = ", module))
        inputs = ", ".join(self.variables[n] for n in report.inputs)
        self.lines += ["", f"    def forward(self, {inputs}):"]
        block = ()
        for row in self.rows:
            if row.block_path != block and row.block_path:
                self.lines.append(f"        # {row.block_path[-1]}")
            block = row.block_path
            args = [self.variables[n] for n in row.inputs]
            written = self.written(row)
            head = f"{self.variables[row.name]} = "
            if written.module is not None:
                self.emit(row, 8, head, f"self.{attributes[row.name]}({', '.join(args)})", "", attributes[row.name])
            else:
                self.emit(row, 8, head, written.inline.format(*args, inputs=", ".join(args)), "")
        self.lines.append(f"        return {', '.join(self.outputs())}")
        if len(report.inputs) == 1:
            example = "torch.zeros(1, *INPUT_SHAPE)"
            call = "model(x)"
        else:
            example = "{name: torch.zeros(1, *shape) for name, shape in INPUT_SHAPE.items()}"
            call = "model(**x)"
        self.lines += ["", "", "def build_model():", f"    return {name}()", "", "",
                       'if __name__ == "__main__":', "    model = build_model()", "    print(model)",
                       '    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")',
                       f"    x = {example}", "    with torch.no_grad():", f"        y = {call}",
                       "    print(y.shape)" if len(self.outputs()) == 1 else "    print([t.shape for t in y])"]
        return Exported("torch", "\n".join(self.lines) + "\n", self.layers, "forward", dict(report.inputs))


class _KerasWriter(_Writer):
    framework = "keras"

    def _plain_stack(self) -> bool:
        names = [*self.report.inputs, *(row.name for row in self.rows)]
        return (len(self.report.inputs) == 1 and self.report.output_map is None
                and all(row.inputs == [names[i]] for i, row in enumerate(self.rows)))

    def write(self) -> Exported:
        report = self.report
        self.lines = self.header() + ["import keras", "from keras import layers", "",
                                      *self.input_shape_lines(), "", "", "def build_model():"]
        model_name = f", name={literal(report.name)}" if report.name else ""
        if self._plain_stack():
            function = None
            self.lines += ["    return keras.Sequential(", "        [", "            keras.Input(shape=INPUT_SHAPE),"]
            for row in self.rows:
                module = self._named(row, self.written(row).module)
                self.emit(row, 12, "", module, ",")
            self.lines += ["        ],"] + ([f"        name={literal(report.name)},"] if report.name else []) + ["    )"]
        else:
            function = "build_model"
            for name in report.inputs:
                shape = "INPUT_SHAPE" if len(report.inputs) == 1 else f"INPUT_SHAPE[{literal(name)}]"
                label = "" if len(report.inputs) == 1 else f", name={literal(name)}"
                self.lines.append(f"    {self.variables[name]} = keras.Input(shape={shape}{label})")
            for row in self.rows:
                written = self.written(row)
                args = [self.variables[n] for n in row.inputs]
                applied = f"([{', '.join(args)}])" if written.takes_list else f"({', '.join(args)})"
                self.emit(row, 4, f"{self.variables[row.name]} = ", self._named(row, written.module), applied)
            inputs = [self.variables[n] for n in report.inputs]
            outputs = self.outputs()
            ins = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
            outs = outputs[0] if len(outputs) == 1 else "[" + ", ".join(outputs) + "]"
            self.lines.extend(format_statement(4, "return ", f"keras.Model({ins}, {outs}{model_name})"))
        self.lines += ["", "", 'if __name__ == "__main__":', "    build_model().summary()"]
        for layer in self.layers if function is None else ():
            layer.first_line = layer.last_line = 0
        return Exported("keras", "\n".join(self.lines) + "\n", self.layers, function, dict(report.inputs))

    @staticmethod
    def _named(row: LayerRow, module: Call) -> Call:
        if not given_name(row):
            return module
        return Call(module.callee, module.args, (*module.kwargs, ("name", literal(row.name))))
