"""The Python API: plan, explain and solve in a process of your own (a test suite, a notebook).

A spec is a path (`str` naming a file, or any `os.PathLike`; a model file `model.py[::NAME]` is read
statically, never run), spec text (YAML or JSON, a `str` with a
newline or a `{`), or plain data (a `dict`, as a YAML/JSON spec parses to). Only input that cannot be
read at all raises (`SpecReadError`: no such file, not YAML); an invalid spec is a report with
`ok == False` and its diagnostics, exactly as the command's exit status 1.

>>> import layerplan
>>> report = layerplan.plan({"framework": "keras", "input": [28, 28, 1],
...                          "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})
>>> report.ok, report.output, report.total_params
(True, (28, 28, 32), 320)
>>> bad = layerplan.plan("input: [1, 8, 8]\\nlayers: [{conv2d: {filters: 4, kernel_size: 9}}]\\n")
>>> bad.ok, [(d.code, d.line) for d in bad.diagnostics]
(False, [('LP203', 2)])
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Union

from layerplan.planner import Diagnostic, LayerRow, Severity, SpecReadError, load_text, plan_document
from layerplan.planner import Report as PlannedReport
from layerplan.planner.explain import LayerExplanation, explain_report
from layerplan.planner.solve import InputSolution, LayerSolution, Ranges, SpecFix, input_problem, solve_layer
from layerplan.planner.solve import solve_expect as _solve_expect
from layerplan.planner.solve import solve_input as _solve_input

__all__ = ["Diagnostic", "LayerRow", "Report", "Severity", "SpecReadError", "explain", "plan", "solve_conv",
           "solve_conv_transpose", "solve_expect", "solve_input", "solve_pool"]

#: what `plan` and the other functions accept as a spec
SpecSource = Union[str, "os.PathLike[str]", Mapping[str, Any]]

_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(slots=True, eq=True)
class Report(PlannedReport):
    """A planned spec (layerplan.planner.Report) that also shows itself: as the layer table in a
    terminal (`rich.print(report)`) and in a notebook cell (`_repr_html_`).

    >>> report = plan({"input": [3, 32, 32], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}, "flatten"]})
    >>> [(row.name, row.output, row.params) for row in report.layers]
    [('conv2d_1', (8, 30, 30), 224), ('flatten_1', (7200,), 0)]
    >>> report.to_dict()["total_params"]
    224
    """

    def __rich_console__(self, console, options):
        from rich.text import Text

        from layerplan.render.table import diagnostic_line, layer_table, params_line

        yield layer_table(self)
        params = params_line(self)
        if params is not None:
            yield Text(params)
        for diagnostic in self.diagnostics:
            yield diagnostic_line(diagnostic, self)

    def _repr_html_(self) -> str:
        from rich.console import Console

        console = Console(record=True, width=120, file=open(os.devnull, "w"), color_system="truecolor")
        with console.file:
            console.print(self)
        return console.export_html(inline_styles=True, code_format="<pre style=\"font-family:monospace\">{code}</pre>")


def _as_api_report(report: PlannedReport) -> Report:
    return Report(**{field.name: getattr(report, field.name) for field in fields(PlannedReport)})


def _read(spec: SpecSource, settings: Mapping[str, Any] | None = None):
    """(document or data, file name) of a spec given as a path, text or data; raises SpecReadError.
    `settings`: for a model file, the values of names the code computes when it runs (`--set`)."""
    if isinstance(spec, Mapping):
        return None, dict(spec), "<spec>"
    if isinstance(spec, os.PathLike) or (isinstance(spec, str) and _names_a_file(spec)):
        path = os.fspath(spec)
        from layerplan.inputs import load_document, report_name

        document = load_document(path, settings=dict(settings or {}))
        return document, document.data, report_name(path)
    if isinstance(spec, str):
        document = load_text(spec, "<spec>")
        return document, document.data, "<spec>"
    raise TypeError(f"a spec is a path, YAML/JSON text or a dict, not {type(spec).__name__}")


def _names_a_file(text: str) -> bool:
    # spec text has a newline or starts with '{' / '['; a file name is one line that exists, ends like a
    # spec, or names a model file (`model.py::NAME`)
    if "\n" in text or text.lstrip().startswith(("{", "[")):
        return False
    from layerplan.planner.model_code import is_model_path

    return os.path.exists(text) or text.lower().endswith(_SPEC_SUFFIXES) or is_model_path(text)


def plan(spec: SpecSource, framework: str | None = None, *, settings: Mapping[str, Any] | None = None) -> Report:
    """Plan a spec with `framework`'s rules ('torch' or 'keras'; None: the spec's own, else torch).
    `settings`: for a model file (`"model.py::Net(width=8)"`), the values of names the code computes when it
    runs, as `--set` gives them (`{"opt.img_size": 64}`); ValueError when one is not plain data.

    Raises SpecReadError when the spec cannot be read (no such file, not YAML/JSON); every other
    problem is a diagnostic on the report.

    >>> report = plan("input: [1, 28, 28]\\nlayers: [flatten, {dense: {units: 10}}]\\n")
    >>> report.output, report.total_params, report.layers[1].params
    ((10,), 7850, 7850)
    >>> plan("no-such-spec.yaml")
    Traceback (most recent call last):
    ...
    layerplan.planner.diagnostics.SpecReadError: no such file: no-such-spec.yaml
    """
    document, data, file = _read(spec, settings)
    if document is not None:
        return _as_api_report(plan_document(document, framework))
    from layerplan.planner import plan_data

    return _as_api_report(plan_data(data, framework, file=file))


def explain(spec: SpecSource, layer: int | str | None = None, framework: str | None = None, *,
            settings: Mapping[str, Any] | None = None) -> list[LayerExplanation]:
    """Why each layer (or one, by 1-based index or name) has its shape: the formula with the numbers
    in, the padding, parameters and MACs step by step, as `layerplan explain` prints them.

    Raises LookupError when `layer` names no layer.

    >>> e = explain({"framework": "keras", "input": [28, 28, 1],
    ...              "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})[0]
    >>> e.axes[0].steps
    ['o = ceil(i / s)', '  = ceil(28 / 1)', '  = 28']
    >>> e.params[-1]
    '= 288 weights + 32 biases = 320 params'
    """
    return explain_report(plan(spec, framework, settings=settings), layer)


def solve_input(spec: SpecSource, near: int, *, axis: str | int = "all", span: int | None = None,
                ignore_expect: bool = False, framework: str | None = None) -> InputSolution:
    """Input sizes near `near` for which the spec plans with no error, no dropped input and every
    expect met (`layerplan solve input`). `axis`: "all" (square inputs), or one axis name or index.

    >>> spec = {"input": [1, 64, 64], "layers": [{"max_pool2d": 2}, {"max_pool2d": 2}, {"max_pool2d": 2}]}
    >>> s = solve_input(spec, 100)
    >>> s.nearest, s.rule
    ([96, 104], (8, 0))
    """
    _, data, _ = _read(spec)
    if not isinstance(data, dict):
        raise ValueError("the spec is not a mapping with an input shape to vary")
    return _solve_input(data, near, axis=axis, span=span, framework=framework, shape_expects=not ignore_expect)


def solve_expect(spec: SpecSource, framework: str | None = None, limit: int = 10) -> list[SpecFix]:
    """One-layer changes (an option of a layer, or an added upsampling or pooling) after which the spec
    plans cleanly with every expect met, the smallest first (`layerplan solve expect`); [] when it
    already does.

    >>> spec = {"input": [1, 28, 28], "expect": {"output": [8, 28, 28]},
    ...         "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}]}
    >>> [fix.changes for fix in solve_expect(spec, limit=3)]
    [{'padding': 'same'}, {'padding': 1}, {'kernel_size': 2, 'padding': 'same'}]
    """
    _, data, _ = _read(spec)
    if input_problem(plan(data, framework)) is None:
        return []
    return _solve_expect(data, framework, limit=limit)


def _solve_layer(kind: str, length: int, target: int, framework: str, max_kernel: int, max_stride: int,
                 max_dilation: int) -> LayerSolution:
    return solve_layer(kind, length, target, framework, Ranges(max_kernel, max_stride, max_dilation))


def solve_conv(length: int, target: int, framework: str = "torch", *, max_kernel: int = 7, max_stride: int = 4,
               max_dilation: int = 2) -> LayerSolution:
    """Every conv layer turning `length` into `target` on one axis, simplest first, with every input
    cell read (`layerplan solve conv`); when none does, the nearest sizes below and above.

    >>> s = solve_conv(28, 14, "keras")
    >>> s.possible, s.combos[0].text("keras")
    (True, 'kernel_size=2, strides=2')
    """
    return _solve_layer("conv", length, target, framework, max_kernel, max_stride, max_dilation)


def solve_pool(length: int, target: int, framework: str = "torch", *, max_kernel: int = 7,
               max_stride: int = 4) -> LayerSolution:
    """Every pooling layer turning `length` into `target` on one axis (`layerplan solve pool`).

    >>> s = solve_pool(28, 5, "keras", max_kernel=3, max_stride=3)
    >>> s.possible, s.above.output, s.above.text("keras")
    (False, 10, "pool_size=3, padding='same'")
    """
    return _solve_layer("pool", length, target, framework, max_kernel, max_stride, 1)


def solve_conv_transpose(length: int, target: int, framework: str = "torch", *, max_kernel: int = 7,
                         max_stride: int = 4, max_dilation: int = 2) -> LayerSolution:
    """Every transposed conv turning `length` into `target` on one axis (`layerplan solve transpose`).

    >>> solve_conv_transpose(7, 14, "torch").combos[0].text("torch")
    'kernel_size=2, stride=2'
    """
    return _solve_layer("conv_transpose", length, target, framework, max_kernel, max_stride, max_dilation)
