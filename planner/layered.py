"""A layered (Sugiyama-style) layout of a directed acyclic graph, top to bottom, as plain numbers.

1. Each node goes in the layer one below its deepest source (the longest path from the inputs).
2. An edge that passes over layers is given a thin stand-in node in each layer it crosses, so it is
   routed beside the boxes in between instead of through them.
3. The order within each layer is improved by a few sweeps that sort each layer by the mean position
   of its neighbours in the layer before (then after): the classic barycentre heuristic, which
   removes the crossings that a careless order makes.
4. Each node is placed under the first node it reads (so a chain of layers is a straight column and
   skips run beside it), pushed right only as far as its neighbour on the left requires.

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
    chains = []
    for source, target in edges:
        chain = [source]
        for r in range(rank[source] + 1, rank[target]):
            vertex_rank.append(r)
            widths.append(STAND_IN_WIDTH)
            ups.append([])
            downs.append([])
            chain.append(len(vertex_rank) - 1)
        chain.append(target)
        for a, b in zip(chain, chain[1:]):
            downs[a].append(b)
            ups[b].append(a)
        chains.append(chain)
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
    # x: the centre of each vertex
    centre = [0.0] * len(vertex_rank)
    for layer in layers:
        edge = left - gap_x
        for vertex in layer:
            half = widths[vertex] / 2
            wanted = centre[ups[vertex][0]] if ups[vertex] else edge + gap_x + half
            centre[vertex] = max(wanted, edge + gap_x + half)
            edge = centre[vertex] + half
    # y: each layer as tall as its tallest node
    layer_top, y = [], float(top)
    for layer in layers:
        layer_top.append(y)
        y += max((sizes[v][1] for v in layer if v < count), default=0) + gap_y
    layer_height = [max((sizes[v][1] for v in layer if v < count), default=0) for layer in layers]
    positions = [(round(centre[v] - sizes[v][0] / 2, 1), round(layer_top[rank[v]] + (layer_height[rank[v]] - sizes[v][1]) / 2, 1))
                 for v in range(count)]
    arrivals = [0] * count
    routes = []
    for chain in chains:
        source, target = chain[0], chain[-1]
        sx, sy = positions[source]
        tx, ty = positions[target]
        points = [(round(sx + sizes[source][0] / 2, 1), round(sy + sizes[source][1], 1))]
        for vertex in chain[1:-1]:
            r = vertex_rank[vertex]
            points += [(round(centre[vertex], 1), round(layer_top[r], 1)),
                       (round(centre[vertex], 1), round(layer_top[r] + layer_height[r], 1))]
        arrivals[target] += 1
        ends = len(ups[target])
        points.append((round(tx + sizes[target][0] * arrivals[target] / (ends + 1), 1), round(ty, 1)))
        routes.append((points, len(chain) > 2))
    width = max((centre[v] + widths[v] / 2 for v in range(len(vertex_rank))), default=left)
    return Layout(positions, routes, round(width, 1), round(y - gap_y if layers else top, 1))
