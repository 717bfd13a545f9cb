"""A picture of a planned network as plain data: what to draw and where. Nothing here writes text.

`network_graph` turns a report into nodes (its inputs, its layers, each block use folded into one
node unless unfolded) and edges (what each node reads). `picture` lays them out:

- a plain stack (every node reads the one before it) as a row of tensor volumes, wrapped into
  several rows when long, each volume as tall as its first spatial size, as deep as its second and
  as thick as its channels (all log-scaled, so 224x224x3 and 7x7x2048 both read), with the kernel
  window of a windowed layer drawn on the volume it slides over;
- anything else (skips, merges, several inputs, blocks) as boxes in layers, top to bottom
  (planner/layered.py).

The front door (cli/render/svg.py, html.py, mermaid.py, dot.py) writes the result in a format.

>>> from layerplan.planner import plan_data
>>> report = plan_data({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 32, "kernel_size": 3}}]})
>>> p = picture(report)
>>> p.layout, [n.name for n in p.nodes], [(e.source, e.target) for e in p.edges]
('stack', ['input', 'conv2d_1'], [('n0', 'n1')])
>>> p.nodes[1].volume.form, p.nodes[1].window is not None
('image', True)
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

from .code_text import visible
from .kinds.base import split
from .layered import layered_layout
from .report import Report, Shape
from .shapes import shape_text

#: text metrics the front door draws with: a monospace font of FONT_SIZE px, CHAR_WIDTH px a character
FONT_SIZE = 11
CHAR_WIDTH = 6.7
LINE_HEIGHT = 14
MARGIN = 20
TITLE_HEIGHT = 30
TITLE_SCALE = 14 / 11  # the heading's font size over the labels'
#: a long stack wraps into another row past this width
ROW_WIDTH = 1400
GAP = 26
SLICE_OFFSET = 5
MAX_SLICES = 4
_WORST = {"error": 0, "warning": 1, "info": 2}


@dataclass(slots=True)
class Volume:
    """How a tensor is drawn: a box `thickness` wide (channels) and `height` tall (first spatial axis),
    receding `depth` px up and right (second spatial axis); a 3-D tensor shows `slices` boxes behind one
    another. `form`: image (2-D), sequence (1-D), volume (3-D), vector (no spatial axis), unknown."""

    form: str
    thickness: float
    height: float
    depth: float
    slices: int = 1

    @property
    def width(self) -> float:
        return self.thickness + self.depth + (self.slices - 1) * SLICE_OFFSET

    @property
    def extent(self) -> float:
        """Height of the whole drawing, receding top and slices included."""
        return self.height + self.depth + (self.slices - 1) * SLICE_OFFSET


@dataclass(slots=True)
class Node:
    """One thing drawn: a spec input, a layer, or a folded block use.

    `id` is stable (n0, n1, ... in the order of the spec); `indexes` are the layer numbers it stands
    for; `problems` one line per diagnostic on them. Layout fills `x`, `y`, `width`, `height` (the
    node's cell: its box in a graph, volume and label in a stack), `volume_x`/`volume_y` (the top left
    corner of the volume's front face) and `window` (the kernel window: four corners on the previous
    volume's face, then the point it maps to on this one).
    """

    id: str
    name: str
    type: str
    shape: Shape | None
    input_shape: Shape | None = None
    severity: str | None = None
    problems: list[str] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    block: str | None = None
    kernel: tuple[int, ...] | None = None
    params: int | None = None
    volume: Volume | None = None
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    volume_x: float = 0
    volume_y: float = 0
    window: list[tuple[float, float]] | None = None
    outputs: tuple[Shape, ...] | None = None  # a layer with several outputs (split, chunk): each one's shape

    @property
    def shape_text(self) -> str:
        if self.outputs is not None:
            return ", ".join(shape_text(shape) for shape in self.outputs)
        return "?" if self.shape is None else shape_text(self.shape)

    @property
    def lines(self) -> list[str]:
        """The label: name, type, output shape, then one line per problem."""
        return [self.name, self.type, self.shape_text, *self.problems]

    @property
    def merge(self) -> bool:
        return len(self.reads) > 1


@dataclass(slots=True)
class Edge:
    """`source` -> `target` (node ids). `skip`: it passes over other layers. `points`: its route."""

    source: str
    target: str
    skip: bool = False
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass(slots=True)
class Picture:
    """One spec laid out: `layout` is 'stack' or 'graph'; `notes` are the spec's problems that belong to
    no layer; everything lies within `width` x `height` (a title band of TITLE_HEIGHT on top)."""

    title: str
    framework: str
    layout: str
    nodes: list[Node]
    edges: list[Edge]
    notes: list[str] = field(default_factory=list)
    width: float = 0
    height: float = 0

    @property
    def heading(self) -> str:
        """'resnet18 · torch'; just the framework for layers typed on the command line."""
        return f"{self.title} · {self.framework}" if self.title else self.framework


def text_width(text: str) -> float:
    """Width of a line of label text in px (monospace: wide characters take two cells, combining
    marks none).

    >>> text_width("conv2d"), text_width("卷积")
    (40.2, 26.8)
    """
    cells = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return round(cells * CHAR_WIDTH, 1)


def label_box(node: Node, picture: Picture) -> tuple[float, float, float, float]:
    """(x, y, width, height) of a node's label text, for checking that no two overlap."""
    width = max(text_width(line) for line in node.lines)
    height = len(node.lines) * LINE_HEIGHT
    if picture.layout == "graph":
        return node.x + (node.width - width) / 2, node.y + 5, width, height
    return node.x + (node.width - width) / 2, label_top(node), width, height


def label_top(node: Node) -> float:
    """Where a stack node's label starts: below the tallest volume of its row."""
    return node.y + node.height - len(node.lines) * LINE_HEIGHT


# ------------------------------------------------------------------------------------------- graph

def _shown(name: str | None) -> str | None:
    return None if name is None else visible(name)


def _problem_line(diagnostic) -> str:
    mark = {"error": "✗", "warning": "!", "info": "i"}.get(diagnostic.severity.value, "?")
    return f"{mark} {diagnostic.code} {diagnostic.name}"


def network_graph(report: Report, unfold: bool = False) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges of a report, block uses folded into one node each unless `unfold` (a block
    with an error inside is always unfolded, so the error shows on its layer).

    >>> from layerplan.planner import plan_data
    >>> report = plan_data({"input": [4], "layers": [{"dense": {"units": 3, "name": "a"}},
    ...                     {"dense": {"units": 3, "name": "b", "inputs": "input"}},
    ...                     {"add": {"inputs": ["a", "b"]}}]})
    >>> nodes, edges = network_graph(report)
    >>> [n.name for n in nodes], [(e.source, e.target) for e in edges]
    (['input', 'a', 'b', 'add_1'], [('n0', 'n1'), ('n0', 'n2'), ('n1', 'n3'), ('n2', 'n3')])
    """
    problems: dict[int, list] = {}
    for d in report.diagnostics:
        if d.layer is not None:
            problems.setdefault(d.layer, []).append(d)
    nodes: list[Node] = []
    node_of: dict[str, str] = {}  # layer or input name -> node id
    inputs = report.inputs or {"input": report.input}
    for name, shape in inputs.items():
        node = Node(f"n{len(nodes)}", visible(name), "input", shape)
        node_of[name] = node.id
        nodes.append(node)
    reads: dict[str, list[str]] = {}
    for group in _groups(report.layers, unfold, problems):
        first, last = group[0], group[-1]
        found = [d for row in group for d in problems.get(row.index, ())]
        severity = min((d.severity.value for d in found), key=_WORST.__getitem__, default=None)
        if severity is None:
            severity = min((r.severity.value for r in group if r.severity is not None), key=_WORST.__getitem__,
                           default=None)
        node_id = f"n{len(nodes)}"
        if len(group) == 1:
            kernel = tuple(g.kernel for g in first.geometry) if first.geometry and first.geometry[0].kernel else None
            # a layer with several outputs is drawn as its first output's volume and labelled with all
            shape = first.outputs[0] if first.outputs else first.output
            node = Node(node_id, visible(first.name), first.type, shape, first.input, severity,
                        [_problem_line(d) for d in found], [first.index], block=_shown((first.block_path or (None,))[0]),
                        kernel=kernel, params=first.params, outputs=first.outputs)
        else:
            copies = {r.block_path[1] for r in group if len(r.block_path) > 1}
            kind = f"block, {len(group)} layers" + (f", {len(copies)} copies" if len(copies) > 1 else "")
            params = None if any(r.params is None for r in group) else sum(r.params for r in group)
            node = Node(node_id, visible(first.block_path[0]), kind, last.outputs[0] if last.outputs else last.output,
                        first.input, severity, [_problem_line(d) for d in found], [r.index for r in group],
                        block=visible(first.block_path[0]), params=params, outputs=last.outputs)
        inside = {r.name for r in group}
        names: dict[str, None] = {}  # in order, each once
        for row in group:
            names.update((name, None) for name in row.inputs if name not in inside)
        reads[node_id] = list(names)
        for row in group:
            node_of[row.name] = node_id
        nodes.append(node)
    edges = []
    for node in nodes:
        sources: set[str] = set()
        for name in reads.get(node.id, ()):
            # `NAME:K` reads output K of a layer with several outputs: the edge starts at that layer
            source = node_of.get(name) or node_of.get(name.rpartition(":")[0])
            if source is not None and source not in sources:
                sources.add(source)
                node.reads.append(source)
                edges.append(Edge(source, node.id))
    return nodes, edges


def _groups(rows, unfold: bool, problems) -> list[list]:
    """Rows grouped by their outermost block use (one group per row when unfolding, and for a use with
    an error inside)."""
    groups: list[list] = []
    for row in rows:
        if (not unfold and row.block_path and groups and groups[-1][0].block_path
                and groups[-1][0].block_path[0] == row.block_path[0]):
            groups[-1].append(row)
        else:
            groups.append([row])
    result = []
    for group in groups:
        if len(group) > 1 and any(_has_error(row, problems) for row in group):
            result.extend([row] for row in group)
        else:
            result.append(group)
    return result


def _has_error(row, problems) -> bool:
    return (row.severity is not None and row.severity.value == "error") or any(
        d.severity.value == "error" for d in problems.get(row.index, ()))


def is_stack(nodes: list[Node]) -> bool:
    """A single input and every node reading just the one before it, and no folded block."""
    if not nodes or nodes[0].type != "input" or any(n.type == "input" for n in nodes[1:]):
        return False
    return all(node.reads == [before.id] and len(node.indexes) == 1 for before, node in zip(nodes, nodes[1:]))


# ------------------------------------------------------------------------------------------ volumes

def _scale(size: int, base: float, step: float) -> float:
    return round(base + step * math.log2(max(size, 1)), 1)


def volume(shape: Shape | None, framework: str) -> Volume:
    """How a sample of this shape is drawn, log-scaled on every axis.

    >>> volume((3, 224, 224), "torch")
    Volume(form='image', thickness=8.3, height=84.1, depth=41.0, slices=1)
    >>> volume((7, 7, 2048), "keras")
    Volume(form='image', thickness=46.0, height=34.1, depth=16.0, slices=1)
    >>> volume((16, 1000), "torch").form, volume((8, 16, 16, 16), "torch").slices, volume((10,), "torch").form
    ('sequence', 4, 'vector')
    """
    if shape is None:
        return Volume("unknown", 24, 40, 12)
    if len(shape) == 1:
        return Volume("vector", 8, _scale(shape[0], 6, 10), 4)
    channels, spatial = split(shape, framework)
    thickness = _scale(channels, 2, 4)
    if len(spatial) == 1:  # a 1-D signal: a flat board, long on its one axis
        return Volume("sequence", thickness, _scale(spatial[0], 6, 10), 3)
    if len(spatial) == 2:
        return Volume("image", thickness, _scale(spatial[0], 6, 10), _scale(spatial[1], 2, 5))
    slices = min(MAX_SLICES, max(1, round(math.log2(max(spatial[0], 1))) + 1))
    return Volume("volume", thickness, _scale(spatial[-2], 6, 10), _scale(spatial[-1], 2, 5), slices)


# ------------------------------------------------------------------------------------------- layout

def picture(report: Report, unfold: bool = False) -> Picture:
    """The report laid out: a stack of volumes, or a layered graph of boxes."""
    nodes, edges = network_graph(report, unfold)
    title = visible(report.name or ("" if report.file == "<args>" else report.file))
    notes = [_problem_line(d) + f": {visible(d.message)}" for d in report.diagnostics if d.layer is None]
    layout = "stack" if is_stack(nodes) else "graph"
    result = Picture(title, report.framework, layout, nodes, edges, notes)
    (_lay_stack if layout == "stack" else _lay_graph)(result, report.framework)
    return result


def _top(picture: Picture) -> float:
    return MARGIN + TITLE_HEIGHT + len(picture.notes) * LINE_HEIGHT


def _lay_stack(picture: Picture, framework: str) -> None:
    rows: list[list[Node]] = [[]]
    x = MARGIN
    for node in picture.nodes:
        node.volume = volume(node.shape, framework)
        node.width = round(max(node.volume.width, *(text_width(line) for line in node.lines)), 1)
        if rows[-1] and x + node.width > ROW_WIDTH:
            rows.append([])
            x = MARGIN
        node.x = round(x, 1)
        x += node.width + GAP
        rows[-1].append(node)
    y = _top(picture)
    right = MARGIN
    for row in rows:
        band = max(node.volume.extent for node in row)
        label = max(len(node.lines) for node in row) * LINE_HEIGHT
        for node in row:
            v = node.volume
            node.y = round(y, 1)
            node.height = round(band + 10 + len(node.lines) * LINE_HEIGHT, 1)
            node.volume_x = round(node.x + (node.width - v.width) / 2, 1)
            node.volume_y = round(y + (band - v.extent) / 2 + v.depth + (v.slices - 1) * SLICE_OFFSET, 1)
            right = max(right, node.x + node.width)
        y += band + 10 + label + GAP
    for edge, before, node in zip(picture.edges, picture.nodes, picture.nodes[1:]):
        node.window = _window(before, node, framework)
        a, b = before.volume, node.volume
        start = (round(before.volume_x + a.thickness + a.depth / 2, 1), round(before.volume_y + a.height / 2 - a.depth / 2, 1))
        end = (node.volume_x, round(node.volume_y + b.height / 2, 1))
        if node.y == before.y:
            points = [start, end]
        else:  # the next row: down from under the last volume's label, across, and into the first one
            bottom = round(before.y + before.height + GAP / 2, 1)
            points = [start, (round(start[0] + GAP / 2, 1), start[1]), (round(start[0] + GAP / 2, 1), bottom),
                      (round(node.x - GAP / 2, 1), bottom), (round(node.x - GAP / 2, 1), end[1]), end]
        edge.points = points
    picture.width = round(max(right, text_width(picture.heading) * TITLE_SCALE + MARGIN,
                              *(text_width(note) + MARGIN for note in picture.notes)) + MARGIN, 1)
    picture.height = round(y - GAP + MARGIN, 1)


def _window(before: Node, node: Node, framework: str) -> list[tuple[float, float]] | None:
    """The kernel window on the face of the volume a windowed layer slides over, and its image."""
    if node.kernel is None or before.shape is None or node.input_shape is None or len(node.input_shape) < 2:
        return None
    _, spatial = split(node.input_shape, framework)
    v = before.volume
    along = node.kernel[-2] if len(node.kernel) >= 2 else node.kernel[-1]
    across = node.kernel[-1] if len(node.kernel) >= 2 else None
    high = min(1.0, along / spatial[-2 if len(spatial) >= 2 else -1])
    deep = min(1.0, across / spatial[-1]) if across is not None else 1.0
    high, deep = max(high, 3 / v.height), max(deep, 2 / max(v.depth, 2))
    left = before.volume_x + v.thickness

    def point(u: float, w: float) -> tuple[float, float]:  # u: up the receding axis, w: down the face
        return round(left + u * v.depth, 1), round(before.volume_y - u * v.depth + w * v.height, 1)

    u0, w0 = 0.5 - deep / 2, 0.5 - high / 2
    corners = [point(u0, w0), point(u0 + deep, w0), point(u0 + deep, w0 + high), point(u0, w0 + high)]
    if node.y != before.y:  # the next row: no ray across the rows
        return corners
    target = (round(node.volume_x + node.volume.thickness / 2, 1), round(node.volume_y + node.volume.height / 2, 1))
    return corners + [target]


def _lay_graph(picture: Picture, framework: str) -> None:
    for node in picture.nodes:
        node.volume = volume(node.shape, framework)
        node.width = round(max(text_width(line) for line in node.lines) + 16, 1)
        node.height = len(node.lines) * LINE_HEIGHT + 10
    index = {node.id: i for i, node in enumerate(picture.nodes)}
    layout = layered_layout([(n.width, n.height) for n in picture.nodes],
                            [(index[e.source], index[e.target]) for e in picture.edges],
                            top=_top(picture), left=MARGIN)
    for node, (x, y) in zip(picture.nodes, layout.positions):
        node.x, node.y = x, y
    for edge, (points, skip) in zip(picture.edges, layout.routes):
        edge.points, edge.skip = points, skip
    notes_width = max((text_width(note) for note in picture.notes), default=0)
    picture.width = round(max(layout.width, notes_width + MARGIN, text_width(picture.heading) * TITLE_SCALE + MARGIN) + MARGIN, 1)
    picture.height = round(layout.height + MARGIN, 1)
