"""Keras' `input_shape`: at the top level (an alias of `input:`) and on the first layer (planner/spec.py)."""

import textwrap

import pytest

from layerplan.planner import plan_text
from layerplan.planner.layer_arguments import plan_tokens
from layerplan.planner.port import port_spec
from layerplan.planner.solve import solve_input
from layerplan.planner.spec import map_input, with_input


def plan(text, framework=None):
    return plan_text(textwrap.dedent(text).lstrip(), "net.yaml", framework)


# spec, input, output, [(code, layer, line, column, message)]
CASES = [
    ("top-level alias", """
     framework: keras
     input_shape: [28, 28, 1]
     layers:
       - conv2d: {filters: 8, kernel_size: 3}
     """, (28, 28, 1), (26, 26, 8), []),
    ("first layer, among its options", """
     framework: keras
     layers:
       - conv2d: {filters: 8, kernel_size: 3, input_shape: [28, 28, 1]}
       - flatten
     """, (28, 28, 1), (5408,), []),
    ("first layer, beside its type", """
     layers:
       - dense: {units: 4}
         input_shape: [16]
     """, (16,), (4,), []),
    ("first layer, long form", """
     layers:
       - type: dense
         units: 4
         input_shape: "16"
     """, (16,), (4,), []),
    ("first layer agrees with input:", """
     input: [16]
     layers:
       - dense: {units: 4, input_shape: [16]}
     """, (16,), (4,), []),
    ("both input: and input_shape:", """
     input: [1, 8, 8]
     input_shape: [8, 8, 1]
     layers: [flatten]
     """, (1, 8, 8), (64,), [
        ("LP111", None, 2, 1, "input_shape is the Keras name of input: give the shape once, as input: [1, 8, 8] or "
                              "input_shape: [8, 8, 1]"),
    ]),
    ("first layer disagrees with input_shape:", """
     input_shape: [16]
     layers:
       - dense: {units: 4, input_shape: [32]}
     """, (16,), (4,), [
        ("LP111", 1, 3, 23, "input_shape [32] of the first layer disagrees with input_shape: [16]; give the shape "
                            "once (remove one of them)"),
    ]),
    ("a later layer", """
     input: [16]
     layers:
       - dense: {units: 8}
       - dense: {units: 4, input_shape: [8]}
     """, (16,), (4,), [
        ("LP107", 2, 4, 23, "input_shape [8]: Keras reads input_shape only on the first layer; remove it (a layer "
                            "reads the output of the one before), and give the spec's input shape once, as input: "
                            "at the top level"),
    ]),
    ("first layer with named inputs", """
     inputs: {a: [4]}
     layers:
       - dense: {units: 2, input_shape: [4]}
     """, (4,), (2,), [
        ("LP111", 1, 3, 23, "with inputs:, each input's shape is given there; remove input_shape from the first "
                            "layer"),
    ]),
    ("not a shape", """
     layers:
       - dense: {units: 2, input_shape: [0]}
     """, None, None, [
        ("LP103", 1, 2, 36, "input_shape (of the first layer) must be a list of positive integers (one sample, no "
                            "batch axis), got [0]"),
    ]),
    ("misspelt at the top level", """
     input_shap: [16]
     layers: [flatten]
     """, None, None, [
        ("LP101", None, 1, 1, "unknown top-level key 'input_shap'; did you mean 'input_shape'?"),
        ("LP102", None, 1, 1, "the spec needs an input shape, e.g. input: [1, 28, 28] (torch: channels first) or "
                              "[28, 28, 1] (keras: channels last)"),
    ]),
    ("the layout warning points where the input is written", """
     framework: keras
     layers:
       - conv2d: {filters: 8, kernel_size: 1, input_shape: [1, 28, 28]}
     """, (1, 28, 28), (1, 28, 8), [
        ("LP313", None, 3, 42, "input 1x28x28 looks channels-first: keras reads 28 channels of 1x28; use "
                               "framework: torch or input_shape: [28, 28, 1]"),
    ]),
]


@pytest.mark.parametrize("text, shape, output, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_input_shape(text, shape, output, expected):
    report = plan(text)
    assert (report.input, report.output) == (shape, output)
    assert [(d.code, d.layer, d.line, d.column, d.message) for d in report.diagnostics] == expected


def test_a_later_layer_inside_a_block_is_refused_too():
    report = plan("""
        input: [4]
        blocks:
          head: [{dense: {units: 2, input_shape: [4]}}]
        layers:
          - block: head
        """)
    assert [(d.code, d.line) for d in report.diagnostics] == [("LP107", 3)]


@pytest.mark.parametrize("data, shape, changed", [
    ({"input": [1, 8, 8]}, [1, 4, 4], {"input": [1, 4, 4]}),
    ({"input_shape": [8, 8, 1]}, [4, 4, 1], {"input_shape": [4, 4, 1]}),
    ({"layers": [{"dense": {"units": 2, "input_shape": [8]}}]}, [4],
     {"layers": [{"dense": {"units": 2, "input_shape": [4]}}]}),
    ({"layers": [{"type": "dense", "units": 2, "input_shape": [8]}, "relu"]}, [4],
     {"layers": [{"type": "dense", "units": 2, "input_shape": [4]}, "relu"]}),
    ({"layers": ["flatten"]}, [4], {"layers": ["flatten"], "input": [4]}),
])
def test_with_input_writes_where_the_spec_writes_it(data, shape, changed):
    assert with_input(data, shape) == changed
    assert map_input(data, lambda s: s) == data


def test_the_command_line_input_replaces_the_first_layers():
    document_text = "framework: keras\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3, input_shape: [28, 28, 1]}\n"
    from layerplan.planner import load_text

    report = plan_tokens([], "32x32x1", base=load_text(document_text, "net.yaml"))
    assert (report.input, report.output, report.diagnostics) == ((32, 32, 1), (30, 30, 8), [])


def test_solver_and_port_follow_the_alias():
    data = {"framework": "keras", "input_shape": [28, 28, 1], "layers": [{"max_pool2d": 2}]}
    assert 28 in solve_input(data, 28, span=2).valid and 27 not in solve_input(data, 28, span=2).valid
    converted = port_spec(data, "torch").data
    assert converted["input_shape"] == [1, 28, 28] and "input" not in converted
