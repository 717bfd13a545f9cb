"""Blocks: `if:` on a body entry, `in.channels` and `in.shape[K]` (the use's input), `start:` for the copy
numbers of `repeat:`, and a use with no name of its own (`segment: false`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from layerplan.planner import plan_data, plan_text
from layerplan.planner.port import port_spec

#: TCN's TemporalBlock: a 1x1 downsample only when the channels change (`if n_inputs != n_outputs`)
TEMPORAL = {"args": {"width": None}, "layers": [
    {"conv1d": {"name": "conv1", "filters": "width", "kernel_size": 3, "padding": 2}},
    {"slice": {"name": "chomp1", "axis": 2, "stop": -2}},
    {"relu": {"name": "relu1"}},
    {"conv1d": {"name": "downsample", "if": "in.channels != width", "inputs": "input", "filters": "width",
                "kernel_size": 1}},
    {"add": {"inputs": ["relu1", "downsample"]}}]}


def _plan(layers, blocks, shape=(4, 16), framework="torch"):
    return plan_data({"framework": framework, "input": list(shape), "blocks": blocks, "layers": layers})


def _names(report):
    return [row.name for row in report.layers]


def test_a_layer_left_out_is_read_as_its_input():
    report = _plan([{"block": "t", "name": "b1", "args": {"width": 8}},
                    {"block": "t", "name": "b2", "args": {"width": 8}}], {"t": TEMPORAL})
    assert report.ok, [d.message for d in report.diagnostics]
    assert _names(report) == ["b1.conv1", "b1.chomp1", "b1.relu1", "b1.downsample", "b1.add_1",
                              "b2.conv1", "b2.chomp1", "b2.relu1", "b2.add_1"]
    assert report.layers[-1].inputs == ["b2.relu1", "b1.add_1"]  # b2.downsample reads as b2's input
    assert report.total_params == (4 * 8 * 3 + 8) + (4 * 8 + 8) + (8 * 8 * 3 + 8)


@pytest.mark.parametrize("condition, kept", [
    (True, True), (False, False), (0, False), (1, True), ("width > 4", True), ("width <= 4", False),
    ("not width == 8", False), ("width == 8 and in.shape[1] == 16", True), ("width == 3 or in.shape[-1] < 9", False),
    ("in.channels * 2 == width", True), ("in.shape[0] != in.channels", False),
])
def test_conditions_read_the_arguments_and_the_input(condition, kept):
    blocks = {"b": {"args": {"width": 8}, "layers": [{"relu": {"name": "first"}},
                                                     {"conv1d": {"name": "maybe", "if": condition, "filters": 2,
                                                                 "kernel_size": 1}}]}}
    report = _plan([{"block": "b", "name": "u"}], blocks)
    assert report.ok and ("u.maybe" in _names(report)) == kept


def test_the_entry_after_a_layer_left_out_reads_what_it_read():
    blocks = {"b": {"args": {"on": 0}, "layers": [
        {"conv1d": {"name": "a", "filters": 3, "kernel_size": 1}},
        {"conv1d": {"name": "skip", "if": "on", "inputs": "input", "filters": 5, "kernel_size": 1}},
        {"relu": {"name": "after"}}]}}
    report = _plan([{"block": "b", "name": "u"}], blocks)
    assert report.ok and report.layers[-1].inputs == ["input"]  # skip read input: so does the layer after it
    report = _plan([{"block": "b", "name": "u", "args": {"on": 1}}], blocks)
    assert report.ok and report.layers[-1].inputs == ["u.skip"]


def test_a_last_entry_left_out_makes_the_use_name_its_input():
    blocks = {"b": {"args": {"on": 0}, "layers": [{"conv1d": {"name": "a", "filters": 3, "kernel_size": 1}},
                                                  {"conv1d": {"name": "proj", "if": "on", "inputs": "input",
                                                              "filters": 5, "kernel_size": 1}}]}}
    report = _plan([{"relu": {"name": "stem"}}, {"block": "b", "name": "u"}, {"relu": {"inputs": "u"}}, "tanh"],
                   blocks)
    assert report.ok and [row.inputs for row in report.layers[-2:]] == [["stem"], ["relu_2"]]


def test_a_use_left_out_by_if():
    blocks = {"unit": ["relu"], "stage": {"args": {"extra": 0}, "layers": [
        {"conv1d": {"name": "c", "filters": 3, "kernel_size": 1}},
        {"block": "unit", "name": "more", "if": "extra"}, {"relu": {"inputs": "more", "name": "out"}}]}}
    report = _plan([{"block": "stage", "name": "s"}], blocks)
    assert report.ok and _names(report) == ["s.c", "s.out"] and report.layers[-1].inputs == ["s.c"]


@pytest.mark.parametrize("framework, shape", [("torch", (6, 5, 7)), ("keras", (5, 7, 6))])
def test_in_channels_is_the_channel_axis_of_the_framework(framework, shape):
    blocks = {"keep": {"layers": [{"conv2d": {"filters": "in.channels", "kernel_size": 1}},
                                  {"conv2d": {"filters": "in.shape[1] + in.shape[-1]", "kernel_size": 1}}]}}
    report = _plan([{"conv2d": {"filters": 4, "kernel_size": 1}}, {"block": "keep", "repeat": 2}], blocks, shape,
                   framework)
    assert report.ok
    channels = [row.output[0 if framework == "torch" else -1] for row in report.layers]
    sizes = (5 + 7) if framework == "torch" else (7 + 4)
    assert channels[1:3] == [4, sizes]
    assert channels[3] == sizes  # the second copy reads the first copy's output


def test_in_values_in_a_uses_args_read_that_uses_input():
    blocks = {"unit": {"args": {"oup": None}, "layers": [{"conv1d": {"filters": "oup // 2", "kernel_size": 1}}]}}
    report = _plan([{"conv1d": {"filters": 12, "kernel_size": 1}},
                    {"block": "unit", "args": {"oup": "in.channels"}}], blocks)
    assert report.ok and report.output == (6, 16)


@pytest.mark.parametrize("use, names", [
    ({"repeat": 2}, ["u.1.r", "u.2.r"]),
    ({"repeat": 2, "start": 0}, ["u.0.r", "u.1.r"]),
    ({"repeat": 1, "start": 0}, ["u.0.r"]),
    ({"repeat": 3, "start": 4, "index": "i"}, ["u.4.r", "u.5.r", "u.6.r"]),
])
def test_start_numbers_the_copies(use, names):
    report = _plan([{"block": "b", "name": "u", **use}, {"relu": {"inputs": "u"}}], {"b": [{"relu": {"name": "r"}}]})
    assert report.ok and _names(report)[:-1] == names
    assert report.layers[-1].inputs == [names[-1]]


def test_a_stage_names_its_units_as_nn_sequential_does():
    blocks = {"unit": [{"conv1d": {"name": "conv", "filters": 4, "kernel_size": 1}}],
              "stage": {"args": {"n": 3}, "layers": [
                  {"block": "unit", "name": "0"},
                  {"block": "unit", "repeat": "n - 1", "start": 1, "segment": False},
                  {"relu": {"name": "after", "inputs": "2"}}]}}
    report = _plan([{"block": "stage", "name": "stage2"}, {"relu": {"inputs": "stage2.1"}}], blocks)
    assert report.ok, [d.message for d in report.diagnostics]
    assert _names(report) == ["stage2.0.conv", "stage2.1.conv", "stage2.2.conv", "stage2.after", "relu_1"]
    assert report.layers[-1].inputs == ["stage2.1.conv"]


def test_a_use_without_a_segment_and_without_numbers_shares_the_names():
    blocks = {"pair": [{"conv1d": {"filters": 4, "kernel_size": 1}}, "relu"],
              "outer": [{"conv1d": {"filters": 2, "kernel_size": 1}}, {"block": "pair", "segment": False}]}
    report = _plan([{"block": "outer", "name": "o"}], blocks)
    assert report.ok and _names(report) == ["o.conv1d_1", "o.conv1d_2", "o.relu_1"]


@pytest.mark.parametrize("blocks, layers, words", [
    ({"b": ["relu"]}, [{"relu": {"if": "1"}}], ["if: is read in a block body"]),
    ({"b": [{"relu": {"if": "w >"}}]}, [{"block": "b"}], ["if: 'w >'", "expected a number"]),
    ({"b": [{"relu": {"if": "w > 1"}}]}, [{"block": "b"}], ["unknown name 'w'"]),
    ({"b": [{"relu": {"if": [1]}}]}, [{"block": "b"}], ["if: takes a condition"]),
    ({"b": [{"relu": {"if": False}}]}, [{"block": "b"}], ["left out every layer of block 'b'"]),
    ({"b": [{"add": {"if": False, "inputs": ["input", "input"]}}, "relu"]}, [{"block": "b"}],
     ["reads 2 (input, input)"]),
    ({"b": ["relu"]}, [{"block": "b", "start": 0}], ["start numbers the copies of repeat:", "without repeat:"]),
    ({"b": ["relu"]}, [{"block": "b", "repeat": 2, "start": -1}], ["an integer >= 0"]),
    ({"b": ["relu"]}, [{"block": "b", "segment": False, "name": "x"}], ["takes no name:"]),
    ({"b": ["relu"]}, [{"block": "b", "segment": "no"}], ["segment is true or false"]),
])
def test_errors(blocks, layers, words):
    report = _plan(layers, blocks)
    assert not report.ok
    text = " ".join(d.message for d in report.diagnostics)
    for word in words:
        assert word in text, text
    assert {d.code for d in report.diagnostics if d.is_error} <= {"LP117", "LP115"}, report.diagnostics


def test_in_values_are_unknown_after_an_error():
    blocks = {"b": [{"conv1d": {"filters": "in.channels", "kernel_size": 1}}]}
    report = _plan([{"conv1d": {"filters": 4, "kernel_size": 99}}, {"block": "b"}], blocks)
    messages = [d.message for d in report.diagnostics]
    assert messages[1] == "conv1d filters: expected a positive integer, got unknown (an error before this block use)"


def test_the_line_of_a_bad_condition():
    text = "input: [4, 16]\nblocks:\n  b:\n    - relu\n    - tanh: {if: nope ==}\nlayers:\n  - block: b\n"
    report = plan_text(text, "spec.yaml")
    error = [d for d in report.diagnostics if d.is_error][0]
    assert (error.code, error.line) == ("LP117", 5) and [at[1] for at in error.used_at] == [7]


def test_the_probe_leaves_generated_names_as_they_were():
    blocks = {"b": [{"conv1d": {"filters": "in.channels", "kernel_size": 1}}, "relu"]}
    report = _plan(["relu", "relu", {"block": "b", "name": "u", "repeat": 2}, "relu"], blocks)
    assert report.ok and _names(report) == ["relu_1", "relu_2", "u.1.conv1d_1", "u.1.relu_1", "u.2.conv1d_1",
                                            "u.2.relu_1", "relu_3"]


def test_the_port_keeps_the_conditions_and_the_values_of_the_input():
    residual = {"args": {"width": None}, "layers": [
        {"conv1d": {"name": "conv1", "filters": "width", "kernel_size": 3, "padding": 1}},
        {"conv1d": {"name": "downsample", "if": "in.channels != width", "inputs": "input", "filters": "width",
                    "kernel_size": 1}},
        {"add": {"inputs": ["conv1", "downsample"]}}]}
    spec = {"framework": "torch", "input": [4, 16], "blocks": {"t": residual},
            "layers": [{"block": "t", "name": "b1", "args": {"width": 8}},
                       {"block": "t", "name": "b2", "args": {"width": 8}}]}
    ported = port_spec(spec)
    assert ported.exact
    report = plan_data(ported.data)
    assert report.ok and [row.name for row in report.layers if "downsample" in row.name] == ["b1.downsample"]


@settings(max_examples=40, deadline=None)
@given(widths=st.lists(st.integers(1, 6), min_size=1, max_size=4), channels=st.integers(1, 6))
def test_a_conditional_block_plans_as_its_layers_written_out(widths, channels):
    """TemporalBlocks of any widths plan exactly as the same layers written out, the downsample where
    the channels change."""
    layers = [{"block": "t", "name": f"b{k}", "args": {"width": w}} for k, w in enumerate(widths)]
    ours = _plan(layers, {"t": TEMPORAL}, shape=(channels, 12))
    written, last, previous = [], "input", channels
    for k, width in enumerate(widths):
        written += [{"conv1d": {"name": f"b{k}.conv1", "filters": width, "kernel_size": 3, "padding": 2,
                                "inputs": last}},
                    {"slice": {"name": f"b{k}.chomp1", "axis": 2, "stop": -2}}, {"relu": {"name": f"b{k}.relu1"}}]
        skip = last
        if previous != width:
            written.append({"conv1d": {"name": f"b{k}.downsample", "inputs": last, "filters": width,
                                       "kernel_size": 1}})
            skip = f"b{k}.downsample"
        written.append({"add": {"name": f"b{k}.add_1", "inputs": [f"b{k}.relu1", skip]}})
        last, previous = f"b{k}.add_1", width
    theirs = plan_data({"input": [channels, 12], "layers": written})
    assert ours.ok and theirs.ok
    assert [(r.name, r.output, r.params, r.inputs) for r in ours.layers] == \
        [(r.name, r.output, r.params, r.inputs) for r in theirs.layers]


def test_a_use_after_a_layer_left_out_reads_what_that_layer_read():
    blocks = {"unit": ["relu"], "b": {"args": {"on": 0}, "layers": [
        {"conv1d": {"name": "a", "filters": 3, "kernel_size": 1}},
        {"conv1d": {"name": "proj", "if": "on", "inputs": "input", "filters": 5, "kernel_size": 1}},
        {"block": "unit", "name": "u", "repeat": 2}]}}
    report = _plan([{"block": "b", "name": "x"}], blocks)
    assert report.ok and [row.inputs for row in report.layers] == [["input"], ["input"], ["x.u.1.relu_1"]]


def test_a_name_that_only_contains_in_needs_no_probe():
    from layerplan.planner.spec import build_spec

    spec = build_spec({"input": [4, 16], "blocks": {"b": [{"relu": {"name": "main.in.x"}}]},
                       "layers": [{"block": "b"}]})
    assert not spec.diagnostics


def test_the_probes_are_bounded():
    report = _plan([{"block": "b", "repeat": 3000}], {"b": [{"conv1d": {"filters": "in.channels",
                                                                          "kernel_size": 1}}]})
    assert [d.code for d in report.diagnostics] == ["LP004"] and "100,000 layer plans" in report.diagnostics[0].message
