"""Every layer kind is one definition that answers every question the engine asks of it."""

from __future__ import annotations

import pytest

from layerplan.planner import plan_data
from layerplan.planner.kinds import KINDS
from layerplan.planner.kinds.base import Spelling, no_field

KIND_NAMES = list(KINDS)


@pytest.mark.parametrize("name", KIND_NAMES)
def test_every_kind_has_every_hook(name):
    kind = KINDS[name]
    assert callable(kind.plan)
    assert callable(kind.macs), "MACs: a count, or an explicit 'no MACs' (never left to a silent 0)"
    assert callable(kind.macs_text) and callable(kind.other_ops)
    assert callable(kind.receptive_field), "a receptive-field map, or no_field"
    assert callable(kind.explain) or kind.receptive_field is no_field, "an explanation"
    assert set(kind.spellings) == {"torch", "keras"}
    assert all(isinstance(s, Spelling) and s.cls for s in kind.spellings.values())
    for spelling in kind.spellings.values():
        assert set(spelling.arguments) <= {option.name for option in kind.options}, spelling
        assert callable(spelling.write), "how export writes it (planner/kinds/writing.py)"
        for function in spelling.functions.values():  # a library's layer functions (tf-slim's)
            options = {option.name for option in kind.options}
            assert set(function.arguments) | set(function.defaults) <= options, function
            assert set(function.arguments.values()) <= set(function.positional), "each renamed keyword is a parameter"


@pytest.mark.parametrize("name", KIND_NAMES)
def test_parameter_free_kinds_plan_without_params(name):
    """A kind that says it has no parameters has none when planned (checked where it plans on a
    small input of its rank)."""
    kind = KINDS[name]
    if not kind.parameter_free or kind.arity != (1, 1):
        return
    rank = kind.input_rank or 2
    for framework in ("torch", "keras"):
        report = plan_data({"framework": framework, "input": [4] * rank, "layers": [{"type": name}]})
        for row in report.layers:
            assert row.params in (0, None), (framework, row)


@pytest.mark.parametrize("name, shape, layer, macs", [
    ("conv2d", [1, 28, 28], {"filters": 32, "kernel_size": 3}, 26 * 26 * 9 * 32),
    ("conv_transpose2d", [8, 7, 7], {"filters": 1, "kernel_size": 3, "stride": 2}, 7 * 7 * 9 * 8),
    ("depthwise_conv2d", [3, 8, 8], {"kernel_size": 3}, 6 * 6 * 9 * 3),
    ("separable_conv2d", [3, 8, 8], {"filters": 4, "kernel_size": 3}, 6 * 6 * 9 * 3 + 6 * 6 * 3 * 4),
    ("dense", [10], {"units": 5}, 50),
    ("max_pool2d", [3, 8, 8], {"pool_size": 2}, 0),
    ("relu", [3, 8, 8], {}, 0),
])
def test_macs_come_from_the_kind(name, shape, layer, macs):
    report = plan_data({"input": shape, "layers": [{"type": name, **layer}]})
    assert report.to_dict()["layers"][0]["macs"] == macs
