"""Differential test for `solve expect`: every change it proposes (an option of a layer, or an added
upsampling or pooling) gives, in real torch and real keras, the output the spec expects, with every
layer's shape and params as layerplan plans them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_graph_oracle import check, graph_runner  # noqa: E402,F401 (the fixture)

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

#: decoders that lost one upsampling, and a conv that shrinks what it should keep, per framework
SPECS = {
    "keras-decoder": ("keras", [32, 32, 3], [32, 32, 3], [
        {"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": "same"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "upsample2d", "size": 2},
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": "same"}]),
    "torch-decoder": ("torch", [3, 32, 32], [3, 32, 32], [
        {"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": 1},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "conv_transpose2d", "filters": 8, "kernel_size": 2, "stride": 2},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1}]),
    "torch-valid-conv": ("torch", [1, 28, 28], [8, 28, 28], [
        {"type": "conv2d", "filters": 8, "kernel_size": 3}]),
}


def _graph(framework: str, shape: list, layers: list) -> dict:
    """A sequential spec in the graph tests' long form: each layer named and reading the one before."""
    named = [{**layer, "name": f"n{i}", "inputs": ["input" if i == 1 else f"n{i - 1}"]}
             for i, layer in enumerate(layers, start=1)]
    return {"framework": framework, "input": shape, "layers": named}


def _fixed(layers: list, fix) -> list:
    layers = [dict(layer) for layer in layers]
    if fix.action == "add":
        layers.insert(fix.layer - 1, dict(fix.changes))
    else:
        layers[fix.layer - 1].update(fix.changes)
    return layers


@pytest.mark.parametrize("case", SPECS)
def test_every_proposed_fix_holds_in_the_framework(case, graph_runner):  # noqa: F811
    from layerplan.planner.solve import solve_expect

    framework, shape, expected, layers = SPECS[case]
    fixes = solve_expect({"framework": framework, "input": shape, "expect": {"output": expected}, "layers": layers})
    assert fixes
    runner = graph_runner(framework)
    for fix in fixes:
        run = check(_graph(framework, shape, _fixed(layers, fix)), runner)
        assert run.first_error is None and run.rows[-1].output == expected, fix.text()
