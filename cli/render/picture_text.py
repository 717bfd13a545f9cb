"""What the text diagram formats (Mermaid, dot) share: node labels, ids, and block uses to group."""

from __future__ import annotations

from itertools import groupby


def node_prefix(panel: int, several: bool, joiner: str) -> str:
    """Node ids are n0, n1...; with several specs in one diagram each spec's get a prefix (p1_n0)."""
    return f"p{panel}{joiner}" if several else ""


def shape_of(node) -> str:
    """How a node is drawn: 'input', 'block' (a folded block use), 'merge' (reads several) or 'layer'."""
    if node.type == "input":
        return "input"
    if len(node.indexes) > 1:
        return "block"
    return "merge" if node.merge else "layer"


def block_runs(nodes):
    """(block use or None, consecutive nodes): the layers of an unfolded block use, to draw in a frame.

    A folded block (one node for many layers) needs no frame: it is its own box.
    """
    def key(node):
        return node.block if node.block is not None and len(node.indexes) == 1 else None

    return [(block, list(run)) for block, run in groupby(nodes, key=key)]
