"""Graph specs: inputs:, named inputs, outputs:, names and their errors, report keys."""

import textwrap

import pytest

from layerplan.planner import plan_data, plan_text


def plan(yaml_text: str):
    return plan_text(textwrap.dedent(yaml_text), "spec.yaml")


def codes(report):
    return [d.code for d in report.diagnostics]


def test_straight_stack_reads_previous_layers_and_keeps_spec_v1_keys():
    report = plan_data({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 2, "kernel_size": 3}}, "flatten"]})
    data = report.to_dict()
    assert data["input"] == [1, 8, 8] and data["output"] == [72]
    assert data["outputs"] == {"flatten_1": [72]}
    assert [layer["inputs"] for layer in data["layers"]] == [["input"], ["conv2d_1"]]
    assert [layer["block"] for layer in data["layers"]] == [None, None]
    assert codes(report) == []


@pytest.mark.parametrize("reference", ["enc", "conv2d_1"])
def test_inputs_may_name_explicit_and_generated_names(reference):
    layers = [{"conv2d": {"filters": 4, "kernel_size": 1, "name": "enc"}} if reference == "enc"
              else {"conv2d": {"filters": 4, "kernel_size": 1}},
              {"max_pool2d": 2}, {"upsample2d": {"scale_factor": 2}},
              {"concatenate": {"inputs": [reference, "upsample2d_1"]}}]
    report = plan_data({"input": [3, 8, 8], "layers": layers})
    assert report.ok and report.output == (8, 8, 8)
    assert report.layers[-1].inputs == [reference, "upsample2d_1"]


def test_generated_names_skip_names_written_elsewhere():
    report = plan_data({"input": [3, 8, 8], "layers": [
        {"relu": {}}, {"relu": {"name": "relu_2"}}, {"relu": {}}]})
    assert [row.name for row in report.layers] == ["relu_1", "relu_2", "relu_3"]
    report = plan_data({"input": [3, 8, 8], "layers": [{"relu": {}}, {"relu": {}}, {"relu": {"name": "relu_2"}}]})
    assert [row.name for row in report.layers] == ["relu_1", "relu_3", "relu_2"] and report.ok


def test_named_inputs_report_a_mapping_and_the_first_layer_must_choose():
    spec = {"inputs": {"image": [3, 8, 8], "mask": [1, 8, 8]},
            "layers": [{"concatenate": {"inputs": ["image", "mask"]}}, {"conv2d": {"filters": 2, "kernel_size": 1}}]}
    data = plan_data(spec).to_dict()
    assert data["input"] == {"image": [3, 8, 8], "mask": [1, 8, 8]} and data["output"] == [2, 8, 8]
    missing = plan_data({**spec, "layers": [{"conv2d": {"filters": 2, "kernel_size": 1}}]})
    assert "LP115" in codes(missing) and "image" in missing.diagnostics[0].message


def test_single_named_input_is_the_default_input():
    report = plan_data({"inputs": {"x": [3, 8, 8]}, "layers": ["relu"]})
    assert report.ok and report.layers[0].inputs == ["x"] and report.to_dict()["input"] == [3, 8, 8]


def test_input_and_inputs_together_is_an_error():
    report = plan_data({"input": [3, 8, 8], "inputs": {"x": [3, 8, 8]}, "layers": ["relu"]})
    assert not report.ok


def test_several_outputs():
    report = plan_data({"input": [3, 8, 8], "layers": [
        {"conv2d": {"filters": 2, "kernel_size": 1, "name": "a"}},
        {"conv2d": {"filters": 5, "kernel_size": 1, "name": "b", "inputs": "input"}}], "outputs": ["a", "b"]})
    data = report.to_dict()
    assert data["output"] is None and data["outputs"] == {"a": [2, 8, 8], "b": [5, 8, 8]} and report.ok


@pytest.mark.parametrize("outputs, code", [("nope", "LP113"), ([], "LP115"), (3, "LP115")])
def test_bad_outputs(outputs, code):
    report = plan_data({"input": [3, 8, 8], "layers": ["relu"], "outputs": outputs})
    assert code in codes(report)


@pytest.mark.parametrize("layers, code, words", [
    ([{"relu": {"inputs": "me", "name": "me"}}], "LP116", ["itself"]),
    ([{"relu": {"name": "a", "inputs": "b"}}, {"relu": {"name": "b"}}], "LP116", ["cycle"]),
    ([{"relu": {"name": "a", "inputs": "b"}}, {"relu": {"name": "b", "inputs": "input"}}], "LP116", ["move"]),
    ([{"relu": {"inputs": "inptu"}}], "LP113", ["did you mean 'input'"]),
    ([{"relu": {"inputs": 3}}], "LP115", ["name"]),
    ([{"relu": {"name": "input"}}], "LP114", ["spec input"]),
    ([{"add": {"inputs": ["input"]}}], "LP115", ["2 or more"]),
    ([{"subtract": {"inputs": ["input", "input", "input"]}}], "LP115", ["exactly 2"]),
])
def test_name_errors(layers, code, words):
    report = plan_data({"input": [3, 8, 8], "layers": layers})
    matching = [d for d in report.diagnostics if d.code == code]
    assert matching, [(d.code, d.message) for d in report.diagnostics]
    for word in words:
        assert word in matching[0].message


def test_unreachable_layer_and_input_warn_but_count():
    report = plan_data({"inputs": {"a": [3, 4, 4], "b": [3, 4, 4]}, "layers": [
        {"conv2d": {"filters": 2, "kernel_size": 1, "inputs": "a", "name": "dead"}},
        {"relu": {"inputs": "a"}}]})
    assert report.ok
    messages = [d.message for d in report.diagnostics if d.code == "LP308"]
    assert any("'dead'" in m for m in messages) and any("'b'" in m for m in messages)
    assert report.total_params == 8


def test_expect_output_input_for_an_autoencoder():
    ok = plan_data({"input": [1, 8, 8], "layers": [{"max_pool2d": 2}, {"upsample2d": {"scale_factor": 2}}],
                    "expect": {"output": "input"}})
    bad = plan_data({"input": [1, 9, 9], "layers": [{"max_pool2d": 2}, {"upsample2d": {"scale_factor": 2}}],
                     "expect": {"output": "input"}})
    assert ok.ok and "LP401" in codes(bad)


def test_an_unknown_input_name_leaves_the_output_unknown_and_planning_goes_on():
    report = plan("""
        input: [3, 8, 8]
        layers:
          - relu: {inputs: nothing}
          - conv2d: {filters: 2, kernel_size: 9}
        """)
    assert report.layers[0].output is None and report.layers[1].output is None
    assert report.diagnostics[0].line == 4
