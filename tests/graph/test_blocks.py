"""Blocks: expansion with name prefixes, repeat, nesting, and where their diagnostics point."""

import textwrap

import pytest

from layerplan.planner import plan_data, plan_text

RES = {"res": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1, "name": "conv"}},
               {"add": {"inputs": ["conv", "input"]}}]}


def test_prefixes_repeat_and_the_use_name_naming_the_output():
    report = plan_data({"input": [4, 8, 8], "blocks": RES, "layers": [
        {"block": "res", "name": "stage", "repeat": 3}, {"relu": {"inputs": "stage.2"}}, {"relu": {"inputs": "stage"}}]})
    assert report.ok
    names = [row.name for row in report.layers]
    assert names[:6] == ["stage.1.conv", "stage.1.add_1", "stage.2.conv", "stage.2.add_1", "stage.3.conv",
                         "stage.3.add_1"]
    assert report.layers[2].inputs == ["stage.1.add_1"]  # copies are chained
    assert report.layers[3].inputs == ["stage.2.conv", "stage.1.add_1"]  # `input` is the copy's input
    assert report.layers[6].inputs == ["stage.2.add_1"] and report.layers[7].inputs == ["stage.3.add_1"]
    assert [row.index for row in report.layers] == list(range(1, 9))
    assert report.to_dict()["layers"][2]["block"] == "stage.2"


def test_default_use_names_and_inputs_of_a_use():
    report = plan_data({"input": [4, 8, 8], "blocks": RES, "layers": [
        {"relu": {"name": "r"}}, {"block": "res"}, {"block": "res", "inputs": "r"}]})
    assert [row.name for row in report.layers][1:] == ["res_1.conv", "res_1.add_1", "res_2.conv", "res_2.add_1"]
    assert report.layers[3].inputs == ["r"] and report.ok


def test_nested_blocks_and_params_counted_once_per_copy():
    blocks = {**RES, "stage": [{"block": "res", "name": "a"}, {"block": "res", "name": "b"}]}
    report = plan_data({"input": [4, 8, 8], "blocks": blocks, "layers": [{"block": "stage", "name": "s1"}]})
    assert [row.name for row in report.layers] == ["s1.a.conv", "s1.a.add_1", "s1.b.conv", "s1.b.add_1"]
    assert report.total_params == 2 * (4 * 4 * 9 + 4)
    assert report.layers[0].block_path == ("s1", "s1.a")


@pytest.mark.parametrize("blocks, layers, words", [
    ({"a": [{"block": "a"}]}, [{"block": "a"}], ["uses itself"]),
    ({"a": [{"block": "b"}], "b": [{"block": "a"}]}, [{"block": "a"}], ["a -> b -> a"]),
    ({"a": []}, [{"block": "a"}], ["non-empty"]),
    (RES, [{"block": "res", "repeat": 0}], ["repeat"]),
    (RES, [{"block": "res", "inputs": ["input", "input"]}], ["one input"]),
    (RES, [{"block": "res", "times": 2}], ["times"]),
    ({"a": [{"block": "a2"}], "a2": ["relu"] * 10}, [{"block": "a", "repeat": 20000}], ["100,000"]),
])
def test_block_errors(blocks, layers, words):
    report = plan_data({"input": [4, 8, 8], "blocks": blocks, "layers": layers})
    assert not report.ok
    text = " ".join(d.message for d in report.diagnostics)
    for word in words:
        assert word in text, text


def test_a_diagnostic_inside_a_block_gives_the_body_line_and_the_use_line():
    report = plan_text(textwrap.dedent("""\
        input: [4, 8, 8]
        blocks:
          down:
            - conv2d: {filters: 4, kernel_size: 3, padding: 1}
            - max_pool2d: 2
          stage:
            - block: down
        layers:
          - block: stage
          - block: stage
        """), "spec.yaml")
    assert report.ok
    report = plan_text(textwrap.dedent("""\
        input: [4, 8, 8]
        blocks:
          down:
            - conv2d: {filters: 4, kernel_size: 9}
        layers:
          - relu
          - block: down
        """), "spec.yaml")
    diagnostic = report.diagnostics[0].to_dict()
    assert diagnostic["layer"] == 2 and diagnostic["line"] == 4
    assert [u["line"] for u in diagnostic["used_at"]] == [7]


def test_nested_use_lines_innermost_first():
    report = plan_text(textwrap.dedent("""\
        input: [4, 4, 4]
        blocks:
          bad:
            - conv2d: {filters: 4, kernel_size: 9}
          outer:
            - relu
            - block: bad
        layers:
          - block: outer
        """), "spec.yaml")
    used_at = report.diagnostics[0].to_dict()["used_at"]
    assert [u["line"] for u in used_at] == [7, 9]


@pytest.mark.parametrize(("layers", "blocks", "code", "message", "read_error"), [
    (["relu"] * 100_001, None, "LP004", "the spec has 100,001 layers, over the 100,000-layer limit of a spec", True),
    ([{"block": "b", "repeat": 101}], {"b": ["relu"] * 1000}, "LP117",
     "the blocks expand to more than 100,000 layers (check repeat: and nested blocks)", False),
    (["relu", {"block": "b", "repeat": 100_000}], {"b": ["relu"]}, "LP117", "the blocks expand to more than", False),
])
def test_too_many_layers_says_whether_blocks_made_them(layers, blocks, code, message, read_error):
    data = {"input": [4], "layers": layers, **({"blocks": blocks} if blocks else {})}
    report = plan_data(data)
    assert [d.code for d in report.diagnostics] == [code]
    assert report.diagnostics[0].message.startswith(message)
    assert report.read_error is read_error


_FAILED_USES = {
    "unknown-block": [{"block": "nope"}],
    "cycle": [{"block": "loop"}],
    "bad-repeat": [{"block": "b", "repeat": 0}],
    "unknown-arg": [{"block": "b", "args": {"nope": 1}}],
    "too-many": [{"block": "b", "repeat": 100_001}],
    "after-good-layers": ["relu", {"block": "nope"}, "relu"],
}


@pytest.mark.parametrize("case", _FAILED_USES)
def test_a_failed_block_use_leaves_the_output_and_totals_unknown(case, tmp_path):
    import json

    from click.testing import CliRunner

    from layerplan.main import cli

    data = {"input": [4, 8, 8], "blocks": {"b": ["relu"], "loop": [{"block": "loop"}]}, "layers": _FAILED_USES[case]}
    report = plan_data(data)
    assert not report.ok and report.output is None and report.outputs and None in report.outputs.values()
    assert report.total_params is None and report.metrics().total_macs is None
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data), encoding="utf-8")
    for output_format in ("shape", "params"):
        result = CliRunner().invoke(cli, ["plan", str(spec), "--format", output_format])
        assert (result.exit_code, result.stdout) == (1, "")  # nothing computed: nothing printed
        assert "LP117" in result.stderr
    result = CliRunner().invoke(cli, ["plan", str(spec), str(spec), "--format", "shape"])
    assert result.stdout == f"{spec}:\n{spec}:\n"
    printed = json.loads(CliRunner().invoke(cli, ["plan", str(spec), "--format", "json"]).stdout)
    assert printed["output"] is None and printed["total_params"] is None


def test_a_block_use_error_that_leaves_no_layer_out_still_has_an_output():
    report = plan_data({"input": [4, 8, 8], "blocks": {"b": ["relu"]}, "layers": [{"block": "b", "nme": "x"}]})
    assert not report.ok and report.output == (4, 8, 8) and report.total_params == 0
