"""Graphviz dot: a `digraph` of each spec (planner.picture's nodes and edges) for `dot -Tsvg` and the
many tools that read dot; block uses unfolded with --unfold are drawn as clusters."""

from __future__ import annotations

from layerplan.planner.code_text import visible
from layerplan.render.picture_text import block_runs, node_prefix, shape_of

STYLES = {
    "input": 'shape=box, style="rounded,filled", fillcolor="#e6f4e3", color="#3d7a31"',
    "merge": 'shape=hexagon, style=filled, fillcolor="#fff8c5", color="#9a6700"',
    "block": 'shape=box3d, style=filled, fillcolor="#f3eefc", color="#6639ba"',
    "layer": 'shape=box, style="rounded,filled", fillcolor="#eef4fc", color="#1f4e8c"',
}
SEVERITY = {"error": ', color="#cf222e", fontcolor="#cf222e", penwidth=2.5',
            "warning": ', color="#bf8700", penwidth=2.5'}


def quote(text: str) -> str:
    r"""A dot string: quoted, with backslashes and quotes escaped, on one line (every character that
    is not printable written as its escape).

    >>> quote('say "hi" \\ bye')
    '"say \\"hi\\" \\\\ bye"'
    """
    return '"' + visible(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(pictures) -> str:
    several = len(pictures) > 1
    title = pictures[0].heading if len(pictures) == 1 else "layerplan"
    lines = [f"digraph {quote(title)} {{",
             "  graph [rankdir=TB, fontname=monospace, labelloc=t"
             + (f", label={quote(title)}" if not several else "") + "];",
             "  node [fontname=monospace, fontsize=11];",
             '  edge [color="#57606a"];']
    for panel, p in enumerate(pictures):
        prefix = node_prefix(panel, several, "_")
        indent = "  "
        if several:
            lines.append(f"  subgraph cluster_p{panel} {{")
            lines.append(f"    label={quote(p.heading)};")
            indent = "    "
        for note in p.notes:
            lines.append(f"{indent}// {visible(note)}")
        for block, nodes in block_runs(p.nodes):
            inner = indent
            if block is not None:
                lines.append(f"{indent}subgraph cluster_{prefix}{nodes[0].id} {{")
                lines.append(f'{indent}  label={quote(block)}; style=dashed; color="#6639ba";')
                inner = indent + "  "
            for node in nodes:
                label = "\\n".join(quote(line)[1:-1] for line in node.lines)
                lines.append(f'{inner}{prefix}{node.id} [label="{label}", {STYLES[shape_of(node)]}'
                             f'{SEVERITY.get(node.severity, "")}];')
            if block is not None:
                lines.append(f"{indent}}}")
        for edge in p.edges:
            style = ' [color="#6639ba"]' if edge.skip else ""
            lines.append(f"{indent}{prefix}{edge.source} -> {prefix}{edge.target}{style};")
        if several:
            lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
