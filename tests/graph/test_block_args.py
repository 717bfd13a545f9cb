"""Blocks with arguments: declared defaults, values passed by a use, names and expressions in the body,
`repeat:` with `index:`, and errors that point at the body line and at the use that passed the values."""

from __future__ import annotations

import textwrap

import pytest

from layerplan.planner import plan_data, plan_text
from layerplan.planner.spec import build_spec

CONV = {"args": {"width": None, "stride": 1},
        "layers": [{"conv2d": {"name": "conv", "filters": "width * 2", "kernel_size": 3, "stride": "stride",
                               "padding": 1}},
                   "relu"]}


def _plan(layers, blocks=None, shape=(4, 16, 16)):
    return plan_data({"input": list(shape), "blocks": blocks or {"c": CONV}, "layers": layers})


def test_values_defaults_and_expressions():
    report = _plan([{"block": "c", "name": "a", "args": {"width": 4}},
                    {"block": "c", "name": "b", "args": {"width": "4 * 3", "stride": 2}}])
    assert report.ok
    assert [row.output for row in report.layers] == [(8, 16, 16), (8, 16, 16), (24, 8, 8), (24, 8, 8)]
    assert report.layers[2].options["stride"] == (2, 2)


def test_repeat_with_index_gives_each_copy_its_values():
    report = _plan([{"block": "c", "name": "s", "repeat": 3, "index": "i", "args": {"width": "2 ** i"}}])
    assert report.ok
    assert [row.output[0] for row in report.layers if row.type == "conv2d"] == [4, 8, 16]
    assert [row.name for row in report.layers][::2] == ["s.1.conv", "s.2.conv", "s.3.conv"]


def test_nested_uses_read_the_enclosing_arguments():
    blocks = {"c": CONV, "stage": {"args": {"base": 2, "n": 2}, "layers": [
        {"block": "c", "name": "first", "args": {"width": "base", "stride": 2}},
        {"block": "c", "name": "rest", "repeat": "n - 1", "args": {"width": "base * n"}}]}}
    report = _plan([{"block": "stage", "name": "s1"}, {"block": "stage", "name": "s2", "args": {"n": 3}}], blocks)
    assert report.ok
    convs = [(row.name, row.output) for row in report.layers if row.type == "conv2d"]
    assert convs == [("s1.first.conv", (4, 8, 8)), ("s1.rest.conv", (8, 8, 8)), ("s2.first.conv", (4, 4, 4)),
                     ("s2.rest.1.conv", (12, 4, 4)), ("s2.rest.2.conv", (12, 4, 4))]


def test_an_argument_may_hold_any_value_and_name_a_layer():
    blocks = {"gate": {"args": {"act": "relu", "skip": None, "kernel": [3, 1]}, "layers": [
        {"conv2d": {"filters": 4, "kernel_size": "kernel", "padding": "same", "name": "conv"}},
        {"activation": {"activation": "act"}},
        {"add": {"inputs": ["activation_1", "skip"]}}]}}
    report = plan_data({"framework": "keras", "input": [16, 16, 4], "blocks": blocks, "layers": [
        {"relu": {"name": "stem"}}, {"block": "gate", "args": {"act": "sigmoid", "skip": "stem"}}]})
    assert report.ok, [d.message for d in report.diagnostics]
    assert report.layers[1].options["kernel_size"] == (3, 1)
    assert report.layers[2].options["activation"] == "sigmoid"
    assert report.layers[3].inputs == ["gate_1.activation_1", "stem"]


def test_strings_without_arguments_are_kept_and_blocks_without_args_read_as_before():
    blocks = {"plain": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": "same"}}],
              "with": {"args": {"same": 1}, "layers": [{"upsample2d": {"scale_factor": 2, "mode": "nearest"}}]}}
    report = plan_data({"framework": "keras", "input": [8, 8, 2], "blocks": blocks,
                        "layers": [{"block": "plain"}, {"block": "with"}]})
    assert report.ok and report.output == (16, 16, 4)
    spec = build_spec({"input": [2, 8], "blocks": {"b": {"layers": ["relu"]}}, "layers": [{"block": "b"}]})
    assert not spec.diagnostics and [e.pointer for e in spec.layers] == ["/blocks/b/layers/0"]


def test_a_custom_layer_expression_gets_the_arguments_written_in():
    blocks = {"twice": {"args": {"factor": 2}, "layers": [{"lambda": {"output": ["x[0] * factor", "x[1]"]}}]}}
    report = plan_data({"input": [3, 5], "blocks": blocks, "layers": [{"block": "twice", "args": {"factor": 4}}]})
    assert report.output == (12, 5)
    assert report.layers[0].options["output"] is not None


SPEC = textwrap.dedent("""\
    input: [4, 16, 16]
    blocks:
      conv:
        args: {width: null, stride: 1}
        layers:
          - conv2d: {filters: width * 2, kernel_size: 3, stride: stride}
      stage:
        args: {width: 8}
        layers:
          - {block: conv, args: {width: width}}
    layers:
      - {block: stage, name: ok}
      - {block: stage, name: bad, args: {width: %s}}
    """)


@pytest.mark.parametrize("value, code, words, line", [
    ('"8 * * 2"', "LP117", "argument width = '8 * * 2': expected a number, a name or '(', found '*' (at character 5)",
     13),
    ("(8 // 0)", "LP117", "division by zero", 13),
    ("relu", "LP108", "'width * 2': 'width' is 'relu', not an integer (at character 1)", 6),
    ("[8]", "LP108", "'width * 2': 'width' is [8], not an integer (at character 1)", 6),
    ("-8", "LP108", "conv2d filters: expected a positive integer, got -16", 6),
])
def test_errors_point_at_the_body_and_at_each_use(value, code, words, line):
    report = plan_text(SPEC % value, "spec.yaml")
    errors = [d for d in report.diagnostics if d.is_error]
    assert errors and errors[0].code == code and words in errors[0].message, errors
    assert errors[0].line == line
    if line == 6:  # inside the body: the uses that expanded into it, innermost first
        assert [at[1] for at in errors[0].used_at] == [10, 13]
    assert report.layers[0].output is not None  # the good use still plans


@pytest.mark.parametrize("blocks, layers, words", [
    ({"c": CONV}, [{"block": "c"}], ["needs args width", "add args: {width: ...}"]),
    ({"c": CONV}, [{"block": "c", "args": {"width": 2, "widht": 3}}], ["no argument 'widht'", "did you mean 'width'"]),
    ({"c": CONV}, [{"block": "c", "args": [2]}], ["args must map argument names"]),
    ({"c": CONV}, [{"block": "c", "args": {"width": 2}, "index": "2i"}], ["index names the copy number"]),
    ({"c": CONV}, [{"block": "c", "args": {"width": 2}, "repeat": "n"}], ["repeat must be a positive integer"]),
    ({"c": {"args": {"w": 1}, "layers": [{"block": "c2", "repeat": "w - 1"}]}, "c2": ["relu"]},
     [{"block": "c"}], ["repeat must be a positive integer, got 0"]),
    ({"c": {"args": {"w": 1}, "layers": [{"block": "c2", "repeat": "w +"}]}, "c2": ["relu"]},
     [{"block": "c"}], ["repeat 'w +': expected a number"]),
    ({"c": {"args": {"input": 1}, "layers": ["relu"]}}, [{"block": "c"}], ["not 'input'"]),
    ({"c": {"args": {"2w": 1}, "layers": ["relu"]}}, [{"block": "c"}], ["an argument name is a word"]),
    ({"c": {"args": [1], "layers": ["relu"]}}, [{"block": "c"}], ["args must map argument names to defaults"]),
    ({"c": {"args": {"w": 1}, "layer": ["relu"]}}, [{"block": "c"}], ["got 'layer'", "did you mean 'layers'"]),
    ({"c": {"args": {"w": 1}}}, [{"block": "c"}], ["must be a non-empty list of layers"]),
    ({"c": ["relu"]}, [{"block": "c", "args": {"w": 1}}], ["no argument 'w'", "its args: none"]),
])
def test_block_argument_errors(blocks, layers, words):
    report = _plan(layers, blocks)
    assert not report.ok
    text = " ".join(d.message for d in report.diagnostics)
    for word in words:
        assert word in text, text
    assert all(d.code == "LP117" for d in report.diagnostics if d.is_error), report.diagnostics


def test_an_unreadable_value_keeps_the_layer_in_place():
    """A layer whose option cannot be read keeps its name, so the layers reading it report no more errors."""
    blocks = {"b": {"args": {"w": 4}, "layers": [{"conv2d": {"name": "c", "filters": "w *", "kernel_size": 1}},
                                                  {"relu": {"inputs": "c"}}]}}
    report = _plan([{"block": "b"}], blocks)
    assert [d.code for d in report.diagnostics] == ["LP108"]
    assert [row.name for row in report.layers] == ["b_1.c", "b_1.relu_1"]


@pytest.mark.parametrize("blocks, layers", [
    ({"a": {"layers": [{"block": "b"}]}, "b": {"args": {"w": None}, "layers": ["relu"]}},
     [{"block": "a", "repeat": 10**17}]),
    ({"a": {"args": {"n": 10**17}, "layers": [{"block": "b", "repeat": "n * n // n"}]}, "b": ["relu"]},
     [{"block": "a"}]),
    ({"a": {"args": {"n": 1}, "layers": [{"conv2d": {"filters": "n * " * 60 + "2", "kernel_size": 1}}]}},
     [{"block": "a", "repeat": 3, "args": {"n": 10**9}}]),
])
def test_hostile_arguments_end_quickly_with_an_error(blocks, layers):
    report = _plan(layers, blocks)
    assert not report.ok and len(report.diagnostics) <= 3


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(width=st.integers(1, 12), stride=st.integers(1, 3), kernel=st.integers(1, 4), copies=st.integers(1, 3),
       extra=st.integers(-3, 3))
def test_a_block_with_arguments_plans_as_its_layers_written_out(width, stride, kernel, copies, extra):
    """Whatever the values, a parametrised block plans exactly as the same layers with the values written in."""
    block = {"args": {"w": None, "s": 1, "k": 3}, "layers": [
        {"conv2d": {"name": "a", "filters": "w * 2 + (k - 1) // 2", "kernel_size": "k", "stride": "s"}},
        {"conv2d": {"name": "b", "filters": "w + n", "kernel_size": 1}}]}
    block["args"]["n"] = extra
    written = []
    for copy in range(1, copies + 1):
        w = width * copy
        written += [{"conv2d": {"filters": w * 2 + (kernel - 1) // 2, "kernel_size": kernel, "stride": stride}},
                    {"conv2d": {"filters": w + extra, "kernel_size": 1}}]
    parametrised = plan_data({"input": [3, 24, 24], "blocks": {"b": block}, "layers": [
        {"block": "b", "repeat": copies, "index": "i", "args": {"w": f"{width} * i", "s": stride, "k": kernel}}]})
    literal = plan_data({"input": [3, 24, 24], "layers": written})
    assert [(r.output, r.params) for r in parametrised.layers] == [(r.output, r.params) for r in literal.layers]
    assert [d.code for d in parametrised.diagnostics] == [d.code for d in literal.diagnostics]
