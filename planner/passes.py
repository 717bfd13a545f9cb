"""Passes after planning: suggestions that need the solver, added to a planned report.

Planning (planner/plan.py) never calls the solver; these passes run on its report and may (the
solver itself plans, so the flow stays one way: api -> passes -> solve -> plan).

- `add_fixes`: a concrete change of one layer for each diagnostic the solver can fix
  ("padding=1 gives 8x14x14"), attached to the diagnostic as `fix`.
- `suggest_input_sizes`: for a merge whose branches disagree, the nearest input sizes that plan cleanly.
"""

from __future__ import annotations

from typing import Any

from .diagnostics import FIXABLE, Diagnostic
from .kinds import KINDS
from .report import Report


def add_fixes(report: Report) -> None:
    """Attach the solver's fix to every fixable diagnostic of a layer.

    >>> from layerplan.planner.plan import plan_only
    >>> report = plan_only({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3,
    ...                                                                   "stride": 2}}]})
    >>> add_fixes(report)
    >>> report.diagnostics[0].name, report.diagnostics[0].fix
    ('dropped-input', 'padding=1 gives 8x14x14')
    """
    found: dict[tuple, str | None] = {}  # stacks repeat a layer on one shape: ask the solver once
    fixed = []
    for diagnostic in report.diagnostics:
        row = _row(report, diagnostic)
        if row is not None and diagnostic.fix is None and diagnostic.name in FIXABLE and row.call is not None:
            text = _fix_text(row, diagnostic.name, found)
            if text:
                diagnostic = diagnostic.replace(fix=text)
        fixed.append(diagnostic)
    report.diagnostics = fixed


def _fix_text(row, name: str, found: dict) -> str | None:
    """The solver's fix for diagnostic `name` of a planned row, asked once per (layer, shape, diagnostic)."""
    from .solve import fix_text  # the solver loads only when a diagnostic needs it

    expected = row.expected if name == "expect-failed" else None
    call = row.call
    try:
        key = (row.type, call.shapes, tuple(call.options.items()), call.framework, name,
               None if expected is None else tuple(expected))
        hash(key)
    except TypeError:  # an option value that cannot be a key: ask without remembering
        return fix_text(KINDS[row.type], call, name, expected)
    if key not in found:
        found[key] = fix_text(KINDS[row.type], call, name, expected)
    return found[key]


def _row(report: Report, diagnostic: Diagnostic):
    if diagnostic.layer is None or not 1 <= diagnostic.layer <= len(report.layers):
        return None
    row = report.layers[diagnostic.layer - 1]
    return row if row.index == diagnostic.layer and row.type in KINDS else None


def suggest_input_sizes(report: Report, data: Any, framework: str | None) -> None:
    """Add the nearest input sizes that plan cleanly to the first merge mismatch.

    A join that fails by a pixel or two usually means the input size does not survive the halvings
    and doublings between the branches; the solver re-plans the spec for sizes near the given one.

    >>> from layerplan.planner.plan import plan_only
    >>> spec = {"input": [4, 25, 25], "layers": [
    ...     {"type": "max_pool2d", "pool_size": 2, "name": "p", "inputs": ["input"]},
    ...     {"type": "upsample2d", "scale_factor": 2, "name": "u", "inputs": ["p"]},
    ...     {"type": "concatenate", "name": "c", "inputs": ["input", "u"]}]}
    >>> report = plan_only(spec)
    >>> suggest_input_sizes(report, spec, None)
    >>> report.diagnostics[-1].message.split("Or change the input: ")[1]
    'sizes near 25 that plan cleanly are 24 or 26 (sizes = 0 mod 2).'
    """
    diagnostics = report.diagnostics
    index = next((i for i, d in enumerate(diagnostics) if d.name == "merge-mismatch"), None)
    if index is None or report.input is None or not isinstance(data, dict) or "inputs" in data:
        return
    from .solve import solve_input, spatial_axes  # the solver loads only when a merge fails
    axes = spatial_axes(report.input, report.framework)
    sizes = {report.input[a] for a in axes}
    if len(sizes) != 1:
        return
    near = sizes.pop()
    try:
        # The spec's own expect (an output size) holds for the given input only: leave it out.
        trial = {key: value for key, value in data.items() if key != "expect"}
        solution = solve_input(trial, near, span=max(16, near // 8), framework=framework)
    except Exception:  # noqa: BLE001 - a suggestion must never stop planning
        return
    if solution.nearest:
        sizes_text = " or ".join(str(v) for v in solution.nearest)
        rule = f" (sizes = {solution.rule[1]} mod {solution.rule[0]})" if solution.rule else ""
        extra = f" Or change the input: sizes near {near} that plan cleanly are {sizes_text}{rule}."
    else:
        extra = (f" No input size within {solution.lo}..{solution.hi} plans cleanly, so the input size is not "
                 "the cause.")
    message = diagnostics[index].message
    diagnostics[index] = diagnostics[index].replace(message=message + ("" if message.endswith(".") else ".") + extra)
