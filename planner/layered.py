"""A layered (Sugiyama-style) layout of a directed acyclic graph, top to bottom, as plain numbers.

1. Each node goes in the layer one below its deepest source (the longest path from the inputs).
2. An edge that passes over layers runs down a thin stand-in node in each layer it crosses, so it is
   routed beside the boxes in between instead of through them. The edges from one node share these
   stand-ins (a trunk as deep as its longest edge, which the others leave where their target is): a
   node read by many layers below it is one line down, and the stand-ins grow with the edges, not
   with the edges times the layers they cross.
3. The order within each layer is improved by a few sweeps that sort each layer by the mean position
   of its neighbours in the layer before (then after): the classic barycentre heuristic, which
   removes the crossings that a careless order makes.
4. Each node wants to sit under the first node it reads in the layer just above (so a chain of
   layers is a straight column and skips run beside it); the row closest to those wishes that keeps
   the order and the gaps is found by isotonic regression (pool adjacent violators).

>>> layout = layered_layout([(40, 20), (40, 20), (40, 20)], [(0, 1), (1, 2), (0, 2)], gap_x=10, gap_y=10)
>>> layout.positions
[(0.0, 0.0), (0.0, 30.0), (0.0, 60.0)]
>>> layout.routes[2]
([(20.0, 20.0), (55.0, 30.0), (55.0, 50.0), (26.7, 60.0)], True)
"""

from __future__ import annotations

from dataclasses import dataclass

STAND_IN_WIDTH = 10
SWEEPS = 4
#: how much more a node's wish to sit under its source counts than a stand-in's
REAL_WEIGHT = 1000


@dataclass(slots=True)
class Layout:
    """`positions`: top left corner of each node; `routes`: for each edge, its points (from the bottom of
    its source to the top of its target) and whether it passes over layers; `width`, `height`: extent."""

    positions: list[tuple[float, float]]
    routes: list[tuple[list[tuple[float, float]], bool]]
    width: float
    height: float


def layered_layout(sizes: list[tuple[float, float]], edges: list[tuple[int, int]], *, top: float = 0,
                   left: float = 0, gap_x: float = 24, gap_y: float = 34) -> Layout:
    """Lay out nodes of the given (width, height) with edges (source, target), sources listed before
    their targets (a spec's order)."""
    count = len(sizes)
    rank = [0] * count
    for source, target in sorted(edges, key=lambda e: e[1]):
        if source < target:
            rank[target] = max(rank[target], rank[source] + 1)
    # vertices: the nodes, then the stand-ins; ups/downs: neighbours in the layer above/below
    vertex_rank = list(rank)
    widths = [w for w, _ in sizes]
    ups: list[list[int]] = [[] for _ in range(count)]
    downs: list[list[int]] = [[] for _ in range(count)]
    trunks: dict[int, list[int]] = {}  # source -> its stand-ins, one in each layer below it, in order
    for source, target in edges:
        trunk = trunks.setdefault(source, [])
        crossed = rank[target] - rank[source] - 1
        while len(trunk) < crossed:
            vertex = len(vertex_rank)
            vertex_rank.append(rank[source] + len(trunk) + 1)
            widths.append(STAND_IN_WIDTH)
            ups.append([trunk[-1] if trunk else source])
            downs.append([])
            downs[ups[vertex][0]].append(vertex)
            trunk.append(vertex)
        above = trunk[crossed - 1] if crossed > 0 else source
        downs[above].append(target)
        ups[target].append(above)
    layers: list[list[int]] = [[] for _ in range(max(vertex_rank, default=-1) + 1)]
    for vertex, r in enumerate(vertex_rank):
        layers[r].append(vertex)
    position = [0.0] * len(vertex_rank)
    for layer in layers:
        for i, vertex in enumerate(layer):
            position[vertex] = i
    for sweep in range(SWEEPS):
        order = range(1, len(layers)) if sweep % 2 == 0 else range(len(layers) - 2, -1, -1)
        for r in order:
            near = ups if sweep % 2 == 0 else downs
            layers[r].sort(key=lambda v: sum(position[u] for u in near[v]) / len(near[v]) if near[v] else position[v])
            for i, vertex in enumerate(layers[r]):
                position[vertex] = i
    # x: the centre of each vertex, as near as the order allows to the one it hangs under
    centre = [0.0] * len(vertex_rank)
    for layer in layers:
        wanted = []
        for vertex in layer:
            real = [u for u in ups[vertex] if u < count] or ups[vertex]
            wanted.append(centre[real[0]] if real else None)
        weights = [REAL_WEIGHT if v < count else 1 for v in layer]
        for vertex, x in zip(layer, _closest_row([widths[v] for v in layer], wanted, weights, gap_x)):
            centre[vertex] = x
    shift = left - min((centre[v] - widths[v] / 2 for v in range(len(vertex_rank))), default=left)
    centre = [x + shift for x in centre]
    # y: each layer as tall as its tallest node
    layer_top, y = [], float(top)
    for layer in layers:
        layer_top.append(y)
        y += max((sizes[v][1] for v in layer if v < count), default=0) + gap_y
    layer_height = [max((sizes[v][1] for v in layer if v < count), default=0) for layer in layers]
    positions = [(round(centre[v] - sizes[v][0] / 2, 1), round(layer_top[rank[v]] + (layer_height[rank[v]] - sizes[v][1]) / 2, 1))
                 for v in range(count)]
    # each trunk as its runs: (first layer, x) where it moves sideways; a route bends only there
    runs: dict[int, list[tuple[int, float]]] = {}
    for source, trunk in trunks.items():
        runs[source] = []
        for vertex in trunk:
            x = round(centre[vertex], 1)
            if not runs[source] or runs[source][-1][1] != x:
                runs[source].append((vertex_rank[vertex], x))
    arrivals = [0] * count
    routes = []
    for source, target in edges:
        sx, sy = positions[source]
        tx, ty = positions[target]
        points = [(round(sx + sizes[source][0] / 2, 1), round(sy + sizes[source][1], 1))]
        last = rank[target] - 1  # the last layer it crosses
        trunk_runs = runs.get(source, [])
        for i, (first, x) in enumerate(trunk_runs):
            if first > last:
                break
            end = min(trunk_runs[i + 1][0] - 1 if i + 1 < len(trunk_runs) else last, last)
            points += [(x, round(layer_top[first], 1)), (x, round(layer_top[end] + layer_height[end], 1))]
        arrivals[target] += 1
        ends = len(ups[target])
        points.append((round(tx + sizes[target][0] * arrivals[target] / (ends + 1), 1), round(ty, 1)))
        routes.append((points, last > rank[source]))
    width = max((centre[v] + widths[v] / 2 for v in range(len(vertex_rank))), default=left)
    return Layout(positions, routes, round(width, 1), round(y - gap_y if layers else top, 1))


def _closest_row(widths: list[float], wanted: list[float | None], weights: list[float], gap: float) -> list[float]:
    """Centres for boxes in this order, at least `gap` apart, as close (weighted least squares) to the
    wanted centres as possible; a box that wants nothing follows its left neighbour.

    >>> _closest_row([10, 10, 10], [0, 0, 100], [1, 1, 1], 10)
    [-10.0, 10.0, 100.0]
    """
    offsets, total = [], 0.0
    for i, width in enumerate(widths):
        if i:
            total += (widths[i - 1] + width) / 2 + gap
        offsets.append(total)
    # with c_i = offset_i + y_i the constraints say y is non-decreasing: fit y to wanted - offset
    targets, previous = [], 0.0
    for want, offset in zip(wanted, offsets):
        previous = want - offset if want is not None else previous
        targets.append(previous)
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for target, weight in zip(targets, weights):
        blocks.append([target * weight, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1] = [blocks[-1][0] + last[0], blocks[-1][1] + last[1], blocks[-1][2] + last[2]]
    fitted = [s / w for s, w, n in blocks for _ in range(n)]
    return [round(offset + y, 1) for offset, y in zip(offsets, fitted)]
