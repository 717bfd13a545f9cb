"""Mermaid: a `flowchart` of each spec (planner.picture's nodes and edges), which GitHub draws in
Markdown files, issues and pull-request comments inside a ```mermaid fence."""

from __future__ import annotations

import json
import re

from layerplan.planner.code_text import visible
from layerplan.render.picture_text import block_runs, node_prefix, shape_of

#: node shapes: spec inputs as stadiums, merges as hexagons, folded blocks as subroutines
SHAPES = {"input": ('(["', '"])'), "merge": ('{{"', '"}}'), "block": ('[["', '"]]'), "layer": ('["', '"]')}
CLASSES = {"input": "fill:#e6f4e3,stroke:#3d7a31", "merge": "fill:#fff8c5,stroke:#9a6700",
           "block": "fill:#f3eefc,stroke:#6639ba,stroke-width:3px",
           "error": "stroke:#cf222e,stroke-width:3px,color:#cf222e", "warning": "stroke:#bf8700,stroke-width:3px"}


_LINE_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for the characters Mermaid reads, and
    every character that is not printable (a line break...) written as its escape.

    >>> escape('a "b" <c> #1')
    'a #quot;b#quot; #lt;c#gt; #35;1'
    """
    return visible(text).replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render_mermaid(pictures) -> str:
    several = len(pictures) > 1
    lines = []
    if len(pictures) == 1:
        # the front matter is YAML: a JSON string is a YAML string
        lines += ["---", f"title: {json.dumps(visible(pictures[0].heading), ensure_ascii=False)}", "---"]
    lines.append("flowchart TB")
    classes: dict[str, list[str]] = {}
    for panel, p in enumerate(pictures):
        prefix = node_prefix(panel, several, "_")
        indent = "  "
        if several:
            lines.append(f'  subgraph p{panel}["{escape(p.heading)}"]')
            indent = "    "
        for note in p.notes:
            lines.append(f"{indent}%% {visible(note)}")
        for block, nodes in block_runs(p.nodes):
            inner = indent
            if block is not None:
                lines.append(f'{indent}subgraph {prefix}{nodes[0].id}_block["{escape(block)}"]')
                inner = indent + "  "
            for node in nodes:
                start, end = SHAPES[shape_of(node)]
                label = "<br/>".join(escape(line) for line in node.lines)
                lines.append(f"{inner}{prefix}{node.id}{start}{label}{end}")
                for css in (shape_of(node), node.severity):
                    if css in CLASSES:
                        classes.setdefault(css, []).append(prefix + node.id)
            if block is not None:
                lines.append(f"{indent}end")
        for edge in p.edges:
            arrow = "-.->" if edge.skip else "-->"
            lines.append(f"{indent}{prefix}{edge.source} {arrow} {prefix}{edge.target}")
        if several:
            lines.append("  end")
    out = "\n".join(lines) + "\n"
    for css, ids in classes.items():
        out += f"classDef {css} {CLASSES[css]}\nclass {','.join(ids)} {css}\n"
    return out
