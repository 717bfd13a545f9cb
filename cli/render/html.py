"""HTML: one self-contained page per run: for each spec its picture (the SVG), its layer table, and
the arithmetic of every layer (`explain`), shown beside the picture when a layer is hovered or
clicked. No network access: no scripts, styles or fonts from anywhere else. Without JavaScript every
explanation is listed under the table, and a layer's link jumps to it.
"""

from __future__ import annotations

import html

from layerplan.planner.code_text import visible
from layerplan.render.common import geometry_text, number_text, shape_text, type_text
from layerplan.render.explain import layer_lines
from layerplan.render.svg import STYLE as SVG_STYLE, render_svg

PAGE_STYLE = """\
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #1f2328; }
h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 32px; }
.summary { color: #57606a; }
.view { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.figure { flex: 1 1 640px; overflow: auto; max-width: 100%; max-height: 85vh; border: 1px solid #d0d7de; border-radius: 6px; }
.aside { flex: 1 1 28em; position: sticky; top: 12px; max-width: 52em; }
.layer { cursor: pointer; }
.layer.current .box, .layer.current .front { stroke: #fb8500; stroke-width: 3; }
table { border-collapse: collapse; margin-top: 16px; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tr[data-node] { cursor: pointer; } tr.current { background: #fff1e0; }
tr.error td { color: #cf222e; } tr.warning td { color: #9a6700; }
pre.explain { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
  background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; margin: 8px 0; white-space: pre-wrap; }
pre.explain b { color: #0550ae; } .problem.error { color: #cf222e; } .problem.warning { color: #9a6700; }\n.fix { color: #1a7f37; } .dim { color: #57606a; }
.problems li.error { color: #cf222e; } .problems li.warning { color: #9a6700; }
"""

# Hover or click a layer (in the picture or the table) to show its arithmetic beside the picture (the
# first layer's to begin with).
SCRIPT = """\
for (const section of document.querySelectorAll("section.spec")) {
  const aside = section.querySelector(".aside");
  const explanations = section.querySelectorAll("pre.explain");
  if (!aside) continue;
  aside.hidden = false;
  for (const e of explanations) e.hidden = true;
  section.querySelector(".all").hidden = true;
  const show = (node) => {
    for (const e of explanations) e.hidden = e.dataset.node !== node;
    for (const e of section.querySelectorAll(".current")) e.classList.remove("current");
    for (const e of section.querySelectorAll("[data-node='" + node + "']:not(pre)")) e.classList.add("current");
    const shown = Array.from(explanations).filter((e) => e.dataset.node === node);
    aside.replaceChildren(...shown.map((e) => { const c = e.cloneNode(true); c.hidden = false; c.removeAttribute("id"); return c; }));
  };
  for (const e of section.querySelectorAll("[data-node]")) {
    if (e.tagName === "PRE") continue;
    e.addEventListener("mouseenter", () => show(e.dataset.node));
    e.addEventListener("click", (event) => { event.preventDefault(); show(e.dataset.node); });
  }
  if (explanations.length) show(explanations[0].dataset.node);
}
"""


def escape(text: str) -> str:
    """Text for the page: markup characters as entities, and every character XML and HTML cannot
    hold (controls, NUL...) written as its escape (planner/code_text.py visible).

    >>> escape('<b> "1\x00"')
    '&lt;b&gt; &quot;1\\x00&quot;'
    """
    return html.escape(visible(text))


#: the rich styles of `explain`'s lines (cli/render/explain.py) as classes of the page
CLASS_OF_STYLE = {"bold red": "problem error", "yellow": "problem warning", "cyan": "problem info", "green": "fix",
                  "dim": "dim"}


def render_html(reports, pictures, explanations) -> str:
    """The page. `pictures` and `explanations` (planner.explain's payload) go with the readable reports
    in order."""
    titles = [p.title for p in pictures if p.title]
    out = ["<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
           f"<title>{escape(', '.join(titles) or 'layerplan')}</title>\n",
           f"<style>\n{PAGE_STYLE}{SVG_STYLE}</style>\n</head>\n<body>\n"]
    for panel, (report, picture, payload) in enumerate(zip(reports, pictures, explanations)):
        out.append(_section(panel, report, picture, payload))
    out.append(f"<script>\n{SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(out)


def _section(panel: int, report, picture, payload) -> str:
    node_of = {index: f"p{panel}-{node.id}" for node in picture.nodes for index in node.indexes}
    out = [f'<section class="spec" id="spec-{panel}">\n<h1>{escape(picture.title or "layers")}</h1>\n',
           f'<p class="summary">{escape(report.framework)} · input {escape(_inputs(report))} · output '
           f"{escape(shape_text(report.output))} · {number_text(report.total_params)} params · "
           "hover or click a layer for its arithmetic</p>\n"]
    if report.diagnostics:
        out.append('<ul class="problems">\n')
        for d in report.diagnostics:
            where = f"layer {d.layer}: " if d.layer is not None else ""
            out.append(f'<li class="{d.severity.value}">{escape(where)}<code>{escape(d.code)} {escape(d.name)}</code>'
                       f" {escape(d.message)}</li>\n")
        out.append("</ul>\n")
    svg = render_svg([picture], standalone=False, first_panel=panel)
    out.append(f'<div class="view">\n<div class="figure">\n{svg}</div>\n<div class="aside" hidden></div>\n</div>\n')
    out.append(_table(report, node_of))
    out.append('<div class="all">\n')
    for layer in payload["layers"]:
        out.append(_explanation(layer, node_of.get(layer["index"], ""), payload["file"]))
    out.append("</div>\n</section>\n")
    return "".join(out)


def _inputs(report) -> str:
    if len(report.inputs) <= 1:
        return shape_text(report.input)
    return ", ".join(f"{name} {shape_text(shape)}" for name, shape in report.inputs.items())


def _table(report, node_of) -> str:
    out = ["<table>\n<thead><tr><th>#</th><th>name</th><th>type</th><th>inputs</th><th>k/s/p</th><th>input</th>"
           "<th>output</th><th>params</th></tr></thead>\n<tbody>\n"]
    for row in report.layers:
        severity = f' class="{row.severity.value}"' if row.severity is not None else ""
        node = node_of.get(row.index, "")
        out.append(f'<tr{severity} data-node="{node}"><td class="number">{row.index}</td>'
                   f'<td><a href="#x-{node}-{row.index}">{escape(row.name)}</a></td><td>{escape(type_text(row))}</td>'
                   f"<td>{escape(', '.join(row.inputs))}</td><td>{escape(geometry_text(row))}</td>"
                   f'<td>{escape(shape_text(row.input))}</td><td>{escape(shape_text(row.output))}</td>'
                   f'<td class="number">{number_text(row.params)}</td></tr>\n')
    out.append(f'<tr><td></td><td><b>total</b></td><td></td><td></td><td></td><td></td>'
               f'<td>{escape(shape_text(report.output))}</td><td class="number"><b>{number_text(report.total_params)}'
               "</b></td></tr>\n</tbody>\n</table>\n")
    return "".join(out)


def _explanation(layer: dict, node: str, file: str) -> str:
    lines = []
    for text, style, indent in layer_lines(layer, file=file):
        text = " " * indent + escape(text)
        if style == "bold":
            text = f"<b>{text}</b>"
        elif style in CLASS_OF_STYLE:
            text = f'<span class="{CLASS_OF_STYLE[style]}">{text}</span>'
        lines.append(text)
    return (f'<pre class="explain" id="x-{node}-{layer["index"]}" data-node="{node}">' + "\n".join(lines)
            + "</pre>\n")
