"""Drawing, export and `solve expect` do work that grows with the layers, not with their square: each
test counts the work done (points drawn, rows scanned, specs planned) on a spec large enough that a
quadratic algorithm would count far more. No clock: bench/scaling.py measures the times."""

from __future__ import annotations

import pytest

from layerplan.planner import plan_data
from layerplan.planner import export as export_module
from layerplan.planner import solve as solve_module
from layerplan.planner.layered import layered_layout
from layerplan.planner.picture import picture


def skip_fan(layers: int) -> dict:
    """A stem read by every layer of a chain of adds: each edge from it passes over all the layers
    above its target (layers**2 / 2 layers crossed in all)."""
    body = [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1, "name": "stem"}}]
    body += [{"add": {"name": f"a{i}", "inputs": ["stem", f"a{i - 1}" if i else "stem"]}} for i in range(layers - 1)]
    return {"input": [4, 8, 8], "layers": body}


@pytest.mark.parametrize("layers", [300, 600])
def test_a_skip_fan_is_drawn_with_points_in_proportion_to_its_edges(layers):
    drawn = picture(plan_data(skip_fan(layers)))
    points = sum(len(edge.points) for edge in drawn.edges)
    assert drawn.layout == "graph" and len(drawn.edges) >= 2 * (layers - 1)
    assert points <= 8 * len(drawn.edges), points  # one stand-in per edge and crossed layer: ~layers**2 / 2


def test_edges_from_one_node_share_their_stand_ins():
    """Three boxes in a column, the first read by the two below it: the long edge leaves the short
    one's column at the second layer and its route is a straight run beside the middle box."""
    layout = layered_layout([(40, 20)] * 4, [(0, 1), (1, 2), (2, 3), (0, 2), (0, 3)], gap_x=10, gap_y=10)
    to_third, to_fourth = layout.routes[3][0], layout.routes[4][0]
    assert to_third[1] == to_fourth[1]  # the same stand-in in the layer of box 1
    assert len(to_fourth) == 4  # source, the run down beside boxes 1 and 2 (top, bottom), target


class CountingRows(list):
    """A list that counts how often it is walked."""

    walks = 0

    def __iter__(self):
        CountingRows.walks += 1
        return super().__iter__()


def test_export_walks_the_rows_a_fixed_number_of_times():
    report = plan_data({"input": [4, 8, 8], "layers": ["relu"] * 2_000})
    CountingRows.walks = 0
    units = export_module._block_uses(CountingRows(report.layers), set())
    assert len(units) == 2_000 and CountingRows.walks <= 3, CountingRows.walks


def test_solve_expect_plans_as_many_variants_as_the_fixes_it_lists(monkeypatch):
    """A 400-layer chain whose output is two cells too large: the last convolutions fix it; the solver
    tries variants in the order it lists fixes and stops at `limit`, instead of planning every variant
    of every layer (about 25 a convolution, 5,000 plans of 400 layers)."""
    spec = {"input": [4, 16, 16], "expect": {"output": [4, 14, 14]},
            "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}} if i % 2 == 0 else "relu"
                       for i in range(400)]}
    planned = []
    plan_only = solve_module.plan_only
    monkeypatch.setattr(solve_module, "plan_only",
                        lambda data, framework=None: planned.append(1) or plan_only(data, framework))
    fixes = solve_module.solve_expect(spec, limit=10)
    assert len(fixes) == 10 and all(fix.output == (4, 14, 14) for fix in fixes)
    assert fixes[0].layer == 399 and len(planned) < 200, len(planned)
