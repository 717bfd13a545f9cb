"""Every option of every kind, from the kinds table itself, through the engine's commands.

For each kind of `KINDS` a small layer that plans cleanly in each framework is built from the table
(its required options get a working value, its input a shape of the rank it takes); then each of its
options is set to a valid value, a boundary value or a value of the wrong type, and the spec goes
through plan, explain, solve, port and export in-process. Whatever the value, each command ends in a
report, a diagnostic or its documented refusal, never in another exception: an unknown diagnostic
name, a KeyError or a TypeError on an odd value are the internal errors this finds.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import fuzz_settings
from layerplan.planner import CATALOG, plan_data
from layerplan.planner.explain import explain_report
from layerplan.planner.export import NotWritable, export_report, plan_for_export
from layerplan.planner.kinds import KINDS
from layerplan.planner.options import REQUIRED
from layerplan.planner.port import compare_data, port_spec
from layerplan.planner.solve import input_cause, solve_expect, solve_input

FRAMEWORKS = ("torch", "keras")

#: a working value of each required option (options named alike mean alike across kinds)
WORKING = {"filters": 4, "kernel_size": 3, "pool_size": 2, "output_size": 2, "padding": 1, "cropping": 1,
           "upscale_factor": 2, "downscale_factor": 2, "height": 4, "width": 4, "units": 4,
           "target_shape": [-1], "rate": 0.5, "activation": "relu", "scale": 0.5, "stddev": 0.1, "groups": 2,
           "input_dim": 10, "output_dim": 4, "num_heads": 2, "key_dim": 4, "axis": 1, "dims": [0, 2, 1],
           "dim0": 1, "dim1": 2, "sizes": [2, -1], "n": 2, "chunks": 2, "index": 0, "shape": [4],
           "layer": {"dense": {"units": 4}}}

#: what each option is set to besides a working value: boundaries, then wrong types
BOUNDARY = [0, 1, -1, 2, -2, 2**63, 10**40, 0.0, 0.5, 1.0, -0.5, 1e308, math.inf, math.nan, True, False,
            [], [0], [1], [1, 1], [2, 2, 2], [1, 1, 1, 1], [-1, -1], [[1, 1], [1, 1]], [[0, 5]]]
WRONG_TYPE = [None, "x", "", "same", "valid", "causal", "nearest", "relu", "3x3", 1.5, {}, {"a": 1}, [1.5],
              ["a"], [None], [True], [[]], [[1, 2, 3]]]


#: what a kind needs beyond its required options to plan cleanly on `sample_shape` (None: any framework)
EXTRA = {("group_norm", None): {"groups": 2}, ("layer_norm", "torch"): {"normalized_shape": 4},
         ("permute", "torch"): {"dims": [0, 1, 3, 2]}, ("permute", "keras"): {"dims": [1, 3, 2]},
         **{(f"upsample{n}d", "torch"): {"scale_factor": 2} for n in (1, 2, 3)}, ("split", None): {"sizes": [2, 2]},
         ("multi_head_attention", "torch"): {"embed_dim": 4}, ("lambda", None): {"output": "same"}}

#: the diagnostics of a kind that one framework does not have (keras has no 1-D or 3-D resize_to)
ONLY_ONE_FRAMEWORK = {"layer-not-in-framework"}
NOT_IN_KERAS = {"resize_to1d", "resize_to3d"}


def sample_shape(kind) -> list[int]:
    """A per-sample input of the rank the kind takes, channels 4 (so that groups 2 and heads 2 divide)."""
    if kind.name == "embedding":
        return [6]
    if kind.family in ("recurrent", "attention", "dense", "layer_norm", "group_norm"):
        return [6, 4]
    if kind.name == "repeat_vector":
        return [4]
    if kind.name == "squeeze":
        return [1, 4, 4]
    rank = kind.input_rank or (kind.dims + 1 if kind.dims else 3)
    return [4] * rank


def base_options(kind, framework: str) -> dict:
    options = {}
    for option in kind.options:
        if framework not in option.frameworks:
            continue
        if option.default_for(framework) is REQUIRED:
            options[option.name] = WORKING[option.name]
    for key in ((kind.name, None), (kind.name, framework)):
        options.update(EXTRA.get(key, {}))
    return options


def spec_for(kind, framework: str, options: dict) -> dict:
    shape = sample_shape(kind)
    low, _ = kind.arity
    layer = dict(options)
    if low > 1:
        names = [f"x{i}" for i in range(low)]
        layer["inputs"] = names
        return {"framework": framework, "inputs": {name: shape for name in names}, "layers": [{kind.name: layer}]}
    return {"framework": framework, "input": shape, "layers": [{kind.name: layer}]}


def options_of(kind, framework: str) -> list[str]:
    return [option.name for option in kind.options if framework in option.frameworks]


PAIRS = [(name, option.name) for name, kind in KINDS.items() for option in kind.options]


def run_every_command(data: dict) -> None:
    """plan, explain, solve, port and export one spec; each may refuse only as its command documents."""
    report = plan_data(data, file="every-option.yaml")
    report.to_dict()
    assert all(diagnostic.name in CATALOG for diagnostic in report.diagnostics)
    explain_report(report)
    framework = data["framework"]
    solve_expect(data, framework, limit=2)
    input_cause(data, framework, span=2)
    try:
        solve_input(data, 8, span=2, framework=framework)
    except ValueError:  # `solve input` on a spec without a spatial axis: a bad command line, status 2
        pass
    port = port_spec(data)
    plan_data(port.data, port.data["framework"])
    compare_data(data)
    for target in FRAMEWORKS:
        exported = plan_for_export(data, target)
        if exported.ok:
            try:
                export_report(exported)
            except NotWritable:  # a layer the target framework cannot write: `export` says so, status 1
                pass


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_a_clean_base(name, framework):
    """The starting point of every value below plans without error wherever the kind exists."""
    kind = KINDS[name]
    report = plan_data(spec_for(kind, framework, base_options(kind, framework)))
    refused = {d.name for d in report.diagnostics if d.is_error}
    if framework == "keras" and name in NOT_IN_KERAS:
        assert refused == {"wrong-rank"}
    else:
        assert refused <= ONLY_ONE_FRAMEWORK, [d.message for d in report.diagnostics]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_option_of_every_kind_plans_with_every_value(framework):
    """Each option of each kind, each boundary and wrong-typed value: plan ends in a report (cheap
    enough to run every pair with every value; the property below runs all the commands)."""
    for kind in KINDS.values():
        base = base_options(kind, framework)
        for option in options_of(kind, framework):
            for value in BOUNDARY + WRONG_TYPE:
                report = plan_data(spec_for(kind, framework, {**base, option: value}))
                assert all(d.name in CATALOG for d in report.diagnostics)


values = st.one_of(
    st.sampled_from(BOUNDARY + WRONG_TYPE),
    st.integers(min_value=-3, max_value=9),
    st.lists(st.integers(min_value=-2, max_value=6), max_size=4),
    st.floats(min_value=-2, max_value=4),
)


@fuzz_settings(weight=8)
@given(st.sampled_from(PAIRS), st.sampled_from(FRAMEWORKS), values, st.booleans())
def test_every_command_takes_any_value_of_any_option(pair, framework, value, use_working_value):
    name, option = pair
    kind = KINDS[name]
    options = base_options(kind, framework)
    if use_working_value:
        value = WORKING.get(option, options.get(option, value))
    run_every_command(spec_for(kind, framework, {**options, option: value}))


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_command_takes_every_kind(name, framework):
    """Every kind once, at its base, through every command (the property draws the options)."""
    kind = KINDS[name]
    run_every_command(spec_for(kind, framework, base_options(kind, framework)))


def _within(seconds: int):
    """Fail instead of hanging: every command is bounded in time, whatever a number in the spec."""
    import signal

    def expired(*_):
        raise TimeoutError(f"took more than {seconds} s")

    signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)


@pytest.mark.parametrize("framework, layer", [
    ("torch", {"conv_transpose2d": {"filters": 2, "kernel_size": 3, "output_padding": None}}),
    ("torch", {"lstm": {"units": 4, "num_layers": 10**40}}),
    ("torch", {"gru": {"units": 4, "num_layers": 2**63}}),
    ("torch", {"conv1d": {"filters": 2, "kernel_size": [[1, 1], [1, 1]]}}),
    ("keras", {"multi_head_attention": {"num_heads": 0, "key_dim": 4}}),
])
def test_values_that_ended_in_an_internal_error(framework, layer):
    kind = KINDS[next(iter(layer))]
    _within(10)
    try:
        run_every_command({"framework": framework, "input": sample_shape(kind), "layers": [layer]})
    finally:
        _within(0)


def test_stacked_torch_recurrent_layers_explain_the_layers_after_the_first_as_one_line():
    report = plan_data({"framework": "torch", "input": [6, 3], "layers": [{"lstm": {"units": 4, "num_layers": 3}}]})
    assert report.layers[0].params == 144 + 2 * 160  # torch.nn.LSTM(3, 4, num_layers=3)
    assert [line.split(":")[0] for line in explain_report(report)[0].params] == ["layer 1", "layers 2 to 3, each"]
