"""The random generators of the differential tests draw every documented option of every kind.

Each option the kinds table documents for a framework must be written by some seeded random spec of
tests/oracle (the torch and keras stacks, the new kinds' stacks, the graphs and the several-outputs
graphs), so the frameworks are asked about it. `NOT_YET_DRAWN` lists the options no generator draws
yet: the list may only shrink (an option drawn now fails the test until it is struck from the list),
and a new option of the table fails it until a generator draws it.

Marked `framework`: the torch and keras stack generators ask the framework for each next shape.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from layerplan.planner import plan_data
from layerplan.planner.kinds import KINDS, resolve_type
from layerplan.planner.spec import build_spec

sys.path.insert(0, str(Path(__file__).parent))

SEEDS = 150

#: (framework, kind, option) that no random generator draws yet
NOT_YET_DRAWN = {
    *(("torch", kind, option) for kind, option in [
        # a lambda's function, output and computed_for name code and shapes the planner takes on trust:
        # drawing them needs a design for comparing a written function with the framework's
        ("lambda", "computed_for"), ("lambda", "function"), ("lambda", "output"),
        ("avg_pool1d", "padding"), ("conv1d", "spectral_norm"), ("conv3d", "activation"),
        ("conv_transpose2d", "spectral_norm"), ("conv_transpose2d", "weight_norm"),
        ("conv_transpose3d", "activation"), ("conv_transpose3d", "bias"), ("dense", "weight_norm"),
        ("global_avg_pool3d", "keepdims"), ("instance_norm1d", "track_running_stats"), ("log_softmax", "dim"),
        ("prelu", "init"), ("replication_padding1d", "padding"), ("resize_to1d", "mode"),
        ("resize_to2d", "mode"), ("resize_to3d", "mode"), ("separable_conv1d", "activation"),
        ("time_distributed", "layer")]),
    *(("keras", kind, option) for kind, option in [
        # a lambda's function, output and computed_for name code and shapes the planner takes on trust:
        # drawing them needs a design for comparing a written function with the framework's
        ("lambda", "computed_for"), ("lambda", "function"), ("lambda", "output"),
        ("activation", "dim"), ("activation", "negative_slope"), ("adaptive_avg_pool3d", "output_size"),
        ("avg_pool1d", "stride"), ("avg_pool2d", "stride"), ("batch_norm2d", "momentum"),
        ("batch_norm3d", "center"), ("batch_norm3d", "epsilon"), ("batch_norm3d", "momentum"),
        ("batch_norm3d", "scale"), ("conv3d", "spectral_norm"), ("conv_transpose1d", "dilation"),
        ("conv_transpose3d", "activation"), ("conv_transpose3d", "bias"), ("conv_transpose3d", "dilation"),
        ("conv_transpose3d", "output_padding"), ("cropping3d", "cropping"), ("global_max_pool3d", "keepdims"),
        ("instance_norm1d", "momentum"), ("instance_norm2d", "momentum"), ("instance_norm3d", "momentum"),
        ("leaky_relu", "negative_slope"), ("log_softmax", "dim"), ("normalization", "invert"),
        ("pixel_shuffle", "upscale_factor"), ("reflection_padding1d", "padding"),
        ("reflection_padding2d", "padding"), ("replication_padding3d", "padding"), ("resize_to1d", "mode"),
        ("resize_to2d", "mode"), ("resize_to3d", "mode"), ("separable_conv1d", "activation"),
        ("separable_conv1d", "bias"), ("separable_conv1d", "depth_multiplier"),
        ("separable_conv1d", "dilation"), ("separable_conv1d", "stride"), ("softmax", "dim"),
        ("time_distributed", "layer")]),
}


def _drawn(spec: dict, framework: str, found: set) -> None:
    """Every (framework, kind, option) a spec writes, by the option each key sets; the kind as planned
    (a bare `upsample` is the kind of its input's rank), else as the type names it."""
    planned = {row.index: KINDS.get(row.type) for row in plan_data(spec, framework).layers}
    for entry in build_spec(spec, framework).layers:
        kind = planned.get(entry.index) or next((k for k in (_resolved(entry.type_name, rank)
                                                             for rank in (3, 2, 4, 1)) if k), None)
        if kind is None:
            continue
        written = dict(entry.options)
        if entry.positional is not None and kind.positional:
            written[kind.positional[0]] = entry.positional
        for key, value in written.items():
            option = kind.option_for(key, value)
            if option is not None and framework in option.frameworks:
                found.add((framework, kind.name, option.name))


def _resolved(type_name, rank):
    try:
        return resolve_type(type_name, rank) if type_name else None
    except Exception:  # noqa: BLE001 - a type drawn to be wrong
        return None


@pytest.fixture(scope="module")
def drawn() -> set:
    import graph_cases
    import keras_cases
    import new_kinds_cases
    import torch_cases

    found: set = set()
    for seed in range(SEEDS):
        for framework in ("torch", "keras"):
            _drawn(new_kinds_cases.generate_spec(seed, framework), framework, found)
            _drawn(new_kinds_cases.several_outputs_graph(seed, framework), framework, found)
            _drawn(graph_cases.generate_graph(seed, framework), framework, found)
            _drawn(graph_cases.generate_graph(seed, framework, with_shape_ops=True), framework, found)
        _drawn(torch_cases.generate_spec(seed), "torch", found)
        _drawn(keras_cases.random_spec(seed), "keras", found)
    return found


DOCUMENTED = sorted((framework, kind.name, option.name) for kind in KINDS.values() for option in kind.options
                    for framework in ("torch", "keras") if framework in option.frameworks)


@pytest.mark.framework
def test_every_documented_option_is_drawn_or_listed(drawn):
    missing = [case for case in DOCUMENTED if case not in drawn and case not in NOT_YET_DRAWN]
    assert not missing, f"no random generator draws {missing}"


@pytest.mark.framework
def test_the_list_of_options_not_yet_drawn_only_shrinks(drawn):
    drawn_now = sorted(NOT_YET_DRAWN & drawn)
    assert not drawn_now, f"drawn now: strike {drawn_now} from NOT_YET_DRAWN"
    assert NOT_YET_DRAWN <= set(DOCUMENTED), sorted(NOT_YET_DRAWN - set(DOCUMENTED))
