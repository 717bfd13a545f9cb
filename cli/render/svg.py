"""SVG: the picture of each spec (planner.picture), one panel under another, in one self-contained image.

Everything is written in a fixed order from the layout's numbers, so the same spec gives the same
bytes (no timestamps, no random ids). Ids are the panel and node numbers (p0-n3).
"""

from __future__ import annotations

from xml.sax import saxutils

from layerplan.planner.code_text import visible
from layerplan.planner.picture import FONT_SIZE, LINE_HEIGHT, MARGIN, SLICE_OFFSET, TITLE_HEIGHT, label_top

STYLE = """\
text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: %dpx; fill: #1f2328; }
text.name { font-weight: bold; }
text.title { font-size: 14px; font-weight: bold; }
text.error { fill: #cf222e; } text.warning { fill: #9a6700; } text.info { fill: #0969da; }
.front { fill: #8cb4e8; } .top { fill: #c3d9f5; } .side { fill: #5f93d6; }
.volume polygon, .volume rect { stroke: #1f4e8c; stroke-width: 0.8; }
.input .front { fill: #b8e0b0; } .input .top { fill: #dcf0d8; } .input .side { fill: #8cc781; }
.input .volume polygon, .input .volume rect { stroke: #3d7a31; }
.volume.unknown polygon, .volume.unknown rect { fill: #f6f8fa; stroke: #8c959f; stroke-dasharray: 3 2; }
.window { fill: #ffd33d; fill-opacity: 0.8; stroke: #9a6700; stroke-width: 0.8; }
.ray { stroke: #9a6700; stroke-width: 0.6; stroke-dasharray: 2 2; }
.box { fill: #eef4fc; stroke: #1f4e8c; stroke-width: 1; }
.input .box { fill: #e6f4e3; stroke: #3d7a31; }
.merge .box { fill: #fff8c5; stroke: #9a6700; }
.block .box { fill: #f3eefc; stroke: #6639ba; stroke-width: 2.5; }
.error .box, .error .volume polygon, .error .volume rect { stroke: #cf222e; stroke-width: 2; }
.warning .box, .warning .volume polygon, .warning .volume rect { stroke: #bf8700; stroke-width: 2; }
.edge { fill: none; stroke: #57606a; stroke-width: 1.2; }
.edge.skip { stroke: #6639ba; }
.layer:hover .box, .layer:hover .front { fill-opacity: 0.7; }
""" % FONT_SIZE


def escape(text: str) -> str:
    """Text for an element: markup characters as entities, and every character XML 1.0 cannot hold
    (controls, NUL...) written as its escape (planner/code_text.py visible), so the image is well-formed.

    >>> escape("a<b & \x01")
    'a&lt;b &amp; \\x01'
    """
    return saxutils.escape(visible(text))


def quoteattr(text: str) -> str:
    """Text as a quoted attribute value, as `escape` makes it safe."""
    return saxutils.quoteattr(visible(text))


def number(value: float) -> str:
    """A coordinate as short stable text: 12.0 -> '12', 12.25 -> '12.2'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _points(points) -> str:
    return " ".join(f"{number(x)},{number(y)}" for x, y in points)


def render_svg(pictures, *, standalone: bool = True, first_panel: int = 0) -> str:
    """One SVG document with a panel per picture. `standalone`: an .svg file (with the XML declaration,
    namespace and style sheet); otherwise for inline use in an HTML page whose style sheet holds STYLE.
    `first_panel`: the number of the first panel, for ids that stay unique among several drawings."""
    width = max((p.width for p in pictures), default=2 * MARGIN)
    height = sum(p.height for p in pictures) or 2 * MARGIN
    arrow = f"arrow-p{first_panel}"
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [f'{head}<svg{namespace} width="{number(width)}" height="{number(height)}" '
           f'viewBox="0 0 {number(width)} {number(height)}" role="img">\n',
           f"<style>\n{STYLE}</style>\n" if standalone else "",
           f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker></defs>\n']
    offset = 0.0
    for panel, p in enumerate(pictures, start=first_panel):
        out.append(f'<g class="panel" id="p{panel}" transform="translate(0 {number(offset)})">\n')
        out.append(_title(p))
        for edge in p.edges:
            skip = " skip" if edge.skip else ""
            out.append(f'<polyline class="edge{skip}" points="{_points(edge.points)}" marker-end="url(#{arrow})"/>\n')
        for node in p.nodes:
            out.append(_node(node, p, f"p{panel}-{node.id}"))
        out.append("</g>\n")
        offset += p.height
    out.append("</svg>\n")
    return "".join(out)


def _title(p) -> str:
    out = [f'<text class="title" x="{MARGIN}" y="{MARGIN + 14}">{escape(p.heading)}</text>\n']
    for i, note in enumerate(p.notes):
        severity = "error" if note.startswith("✗") else "warning" if note.startswith("!") else "info"
        out.append(f'<text class="{severity}" x="{MARGIN}" y="{number(MARGIN + TITLE_HEIGHT + (i + 1) * LINE_HEIGHT - 3)}">'
                   f"{escape(note)}</text>\n")
    return "".join(out)


def tooltip(node) -> str:
    """What a node is, in one line per fact: the <title> of its drawing."""
    lines = [f"{visible(node.name)}: {node.type}"]
    if node.input_shape is not None or node.type != "input":
        before = "?" if node.input_shape is None else "x".join(map(str, node.input_shape))
        lines.append(f"{before} -> {node.shape_text}")
    else:
        lines.append(node.shape_text)
    if node.params is not None:
        lines.append(f"{node.params:,} params")
    return "\n".join(lines + [visible(problem) for problem in node.problems])


def _node(node, p, node_id: str) -> str:
    classes = ["layer"]
    if node.type == "input":
        classes.append("input")
    if node.merge:
        classes.append("merge")
    if len(node.indexes) > 1:
        classes.append("block")
    if node.severity in ("error", "warning"):
        classes.append(node.severity)
    out = [f'<g class="{" ".join(classes)}" id="{node_id}" data-node="{node_id}" data-name={quoteattr(node.name)}>'
           f"<title>{saxutils.escape(tooltip(node))}</title>\n"]  # its lines made visible one by one
    if p.layout == "stack":
        out.append(_volume(node))
        top = label_top(node)
    else:
        out.append(f'<rect class="box" x="{number(node.x)}" y="{number(node.y)}" width="{number(node.width)}" '
                   f'height="{number(node.height)}" rx="4"/>\n')
        top = node.y + 5
    centre = number(node.x + node.width / 2)
    for i, line in enumerate(node.lines):
        kind = ("name" if i == 0 else "" if i < 3 else
                "error" if line.startswith("✗") else "warning" if line.startswith("!") else "info")
        css = f' class="{kind}"' if kind else ""
        out.append(f'<text{css} x="{centre}" y="{number(top + (i + 1) * LINE_HEIGHT - 3)}" '
                   f'text-anchor="middle">{escape(line)}</text>\n')
    out.append("</g>\n")
    return "".join(out)


def _volume(node) -> str:
    v = node.volume
    unknown = " unknown" if v.form == "unknown" else ""
    out = [f'<g class="volume {v.form}{unknown}">']
    for s in reversed(range(v.slices)):
        x, y = node.volume_x + s * SLICE_OFFSET, node.volume_y - s * SLICE_OFFSET
        t, h, d = v.thickness, v.height, v.depth
        out.append(f'<polygon class="top" points="{_points([(x, y), (x + d, y - d), (x + t + d, y - d), (x + t, y)])}"/>'
                   f'<polygon class="side" points="{_points([(x + t, y), (x + t + d, y - d), (x + t + d, y + h - d), (x + t, y + h)])}"/>'
                   f'<rect class="front" x="{number(x)}" y="{number(y)}" width="{number(t)}" height="{number(h)}"/>')
    out.append("</g>\n")
    if node.window:
        corners = node.window[:4]
        out.append(f'<polygon class="window" points="{_points(corners)}"/>')
        for tx, ty in node.window[4:]:
            for cx, cy in (corners[0], corners[2]):
                out.append(f'<line class="ray" x1="{number(cx)}" y1="{number(cy)}" x2="{number(tx)}" y2="{number(ty)}"/>')
        out.append("\n")
    return "".join(out)
