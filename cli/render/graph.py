"""Graph helpers for the tabular formats: where each layer's input comes from, and folded blocks.

A plain stack reads the previous layer everywhere, so the `inputs` column is only shown by default
when a layer reads anything else (a skip, a merge, a second input). Block uses are folded into one
row each (the use's name, its block, its input and output, the params of all its layers) unless
`--unfold` is given; a block with an error inside is always unfolded so the error row shows.
"""

from __future__ import annotations


from layerplan.planner import LayerRow, Report, Severity
from layerplan.planner.graph import tensor_name

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def is_graph(report: Report) -> bool:
    """Does any layer read something other than the layer before it (or have a block)?"""
    previous = next(iter(report.inputs), "input")
    for row in report.layers:
        if row.block_path or list(row.inputs) != [previous]:
            return True
        previous = row.name
    return len(report.inputs) > 1 or report.output_map is not None


def fold_rows(report: Report, unfold: bool = False) -> list[LayerRow]:
    """The rows to display: each top-level block use folded into one row (unless `unfold`)."""
    if unfold or not any(row.block_path for row in report.layers):
        return list(report.layers)
    rows: list[LayerRow] = []
    group: list[LayerRow] = []

    def flush():
        if not group:
            return
        if any(r.severity is Severity.ERROR for r in group):
            rows.extend(group)
        else:
            rows.append(_folded(group))
        group.clear()

    for row in report.layers:
        if row.block_path and group and group[0].block_path[0] == row.block_path[0]:
            group.append(row)
            continue
        flush()
        if row.block_path:
            group.append(row)
        else:
            rows.append(row)
    flush()
    return rows


def _folded(group: list[LayerRow]) -> LayerRow:
    first, last = group[0], group[-1]
    inside = {r.name for r in group}
    external = []
    for r in group:  # a read of an output of a layer inside (`x:1`) is inside too
        external += [name for name in r.inputs if tensor_name(name) not in inside and name not in external]
    params = None if any(r.params is None for r in group) else sum(r.params for r in group)
    non_trainable = None if any(r.non_trainable is None for r in group) else sum(r.non_trainable for r in group)
    severities = [r.severity for r in group if r.severity is not None]
    copies = {r.block_path[1] for r in group if len(r.block_path) > 1}
    use = first.block_path[0]
    label = f"{use} ({len(group)} layers" + (f", {len(copies)} copies" if len(copies) > 1 else "") + ")"
    return first.replace(name=label, type="block", output=last.output, outputs=last.outputs, params=params, non_trainable=non_trainable,
                         geometry=[], severity=min(severities, key=_ORDER.__getitem__) if severities else None,
                         inputs=external, input_shapes=[])


def input_caption(report: Report) -> str:
    """'3x224x224', or 'image 3x64x64, metadata 10' for several inputs."""
    from layerplan.render.common import shape_text

    if len(report.inputs) <= 1:
        return shape_text(report.input)
    return ", ".join(f"{name} {shape_text(shape)}" for name, shape in report.inputs.items())


def used_at_text(diagnostic) -> str:
    """' (in block use at line 12)' for a diagnostic inside a block, else ''."""
    lines = [str(line) for _, line, _ in getattr(diagnostic, "used_at", ()) if line is not None]
    if not lines:
        return ""
    return f" (in the block used at line {' <- '.join(lines)})"
