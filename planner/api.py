"""The engine's entry points: read a spec, plan it, run the passes after planning.

read (planner/spec_text.py) -> spec (planner/spec.py) -> plan (planner/plan.py) -> passes (planner/passes.py)
"""

from __future__ import annotations

from typing import Any

from .diagnostics import CATALOG, Diagnostic, SpecReadError
from .layout import flipped, looks_misplaced
from .shapes import shape_text
from .passes import add_fixes, suggest_input_sizes
from .plan import plan_only
from .report import Report
from .spec_text import Document, load_text

# Diagnostics about a key are placed at the key, not its value.
_AT_KEY = {"unknown-option", "conflicting-options", "option-not-in-framework", "unknown-key", "expect-failed",
           "bad-expect", "layout-mismatch"}


def plan_text(text: str, filename: str = "<spec>", framework: str | None = None) -> Report:
    """Read and plan spec text; an unreadable spec gives a report with `read_error` set.

    >>> plan_text("input: [1, 28, 28]\\nlayers: [flatten, {dense: {units: 10}}]\\n").output
    (10,)
    """
    try:
        document = load_text(text, filename)
    except SpecReadError as exc:
        return unreadable_report(filename, exc.diagnostic, framework)
    return plan_document(document, framework)


def unreadable_report(filename: str, diagnostic: Diagnostic, framework: str | None = None) -> Report:
    """The report of a spec that could not be read: no layers, the read error, `read_error` set.

    >>> from layerplan.planner.diagnostics import Diagnostic
    >>> unreadable_report("net.yaml", Diagnostic.make("syntax-error", "invalid YAML")).read_error
    True
    """
    return Report(file=filename, framework=framework or "torch", input=None, diagnostics=[diagnostic],
                  read_error=True)


def plan_document(document: Document, framework: str | None = None) -> Report:
    """Plan a parsed document and pin every diagnostic to its line and column (here: the kernel size).

    >>> document = load_text("input: [1, 8, 8]\\nlayers:\\n  - conv2d: {filters: 4, kernel_size: 9}\\n", "net.yaml")
    >>> d = plan_document(document).diagnostics[0]
    >>> d.code, d.line, d.column
    ('LP203', 3, 39)
    """
    report = plan_data(document.data, framework, file=document.filename)
    if document.model_code:
        report.diagnostics = [_for_model_code(d) for d in report.diagnostics] + declared_input_errors(
            report, document.declared_inputs) + list(document.reader_notes)
    report.diagnostics = [_with_position(d, document) for d in report.diagnostics]
    return report


def declared_input_errors(report: Report, declared) -> list[Diagnostic]:
    """Where model code states a layer's input size (torch `in_channels`, `in_features`, `num_features`,
    `num_channels`, `input_size`)
    and the planned input differs: torch raises there when the model runs.

    >>> report = plan_data({"input": [3, 8, 8], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3}}]})
    >>> declared_input_errors(report, [(0, "in_channels", 1, (4, 18))])[0].message
    "conv2d 'conv2d_1' declares in_channels=1 but its input [3, 8, 8] has 3 (torch raises here); make it in_channels=3"
    """
    errors = []
    for index, argument, value, spot in declared:
        if index >= len(report.layers):
            continue
        row = report.layers[index]
        if row.input is None or not row.input:
            continue
        # in_features / input_size is the last axis (Linear, RNN act on it); the others the channel axis
        actual = row.input[-1] if argument in ("in_features", "input_size") else row.input[0]
        if actual == value or any(d.name == "wrong-rank" and d.layer == row.index for d in report.diagnostics):
            continue  # a wrong rank (a batch axis written in the input) is said once, by LP201
        fix = f"make it {argument}={actual}"
        if row.input == report.input and looks_misplaced(row.input, "torch"):
            fix = (f"the input looks channels-last, not the layer wrong: torch reads a sample as "
                   f"{shape_text(flipped(row.input, 'torch'))} (see {CATALOG['layout-mismatch'].code})")
        line, column = spot if spot else (None, None)
        errors.append(Diagnostic.make(
            "declared-input-mismatch",
            f"{row.type} '{row.name}' declares {argument}={value} but its input {list(row.input)} has {actual} (torch raises "
            f"here); {fix}", layer=row.index, line=line, column=column))
    return errors


def _for_model_code(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.name == "missing-input":
        return diagnostic.replace(message="the model code gives no input shape: give -i SHAPE (one sample, no "
                                          "batch axis), or write a `# layerplan: input SHAPE` comment in the file")
    return diagnostic


def plan_data(data: Any, framework: str | None = None, *, file: str = "<spec>") -> Report:
    """Plan a spec given as plain data (what a YAML/JSON spec parses to), with the solver's fixes.

    >>> report = plan_data({"framework": "keras", "input": [28, 28, 1],
    ...                     "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})
    >>> report.layers[0].output, report.layers[0].params
    ((28, 28, 32), 320)
    """
    report = plan_only(data, framework, file=file)
    add_fixes(report)
    suggest_input_sizes(report, data, framework)
    return report


def _with_position(diagnostic: Diagnostic, document: Document) -> Diagnostic:
    if diagnostic.line is not None or diagnostic.pointer is None:
        return diagnostic
    if diagnostic.used_at:  # inside a block: also the line of each block use
        used_at = tuple((p, *(document.locate(p) or (None, None))) for p, _, _ in diagnostic.used_at)
        diagnostic = diagnostic.replace(used_at=used_at)
    position = document.locate(diagnostic.pointer, key=diagnostic.name in _AT_KEY)
    if position is None:
        return diagnostic
    return diagnostic.replace(line=position[0], column=position[1])
