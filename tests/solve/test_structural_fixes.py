"""solve expect: structural fixes ranked by how little they change, never a layer that does nothing,
the input size named as the cause; solve conv/pool: what reaches a larger output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.planner import plan_data
from layerplan.planner.solve import input_cause, solve_expect, solve_layer

#: a keras decoder that lost one upsampling: 32 -> 16 -> 8 -> 16, expected 32
DECODER = {"framework": "keras", "input": [32, 32, 3], "expect": {"output": [32, 32, 3]}, "layers": [
    {"Conv2D": {"filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"}},
    {"MaxPooling2D": {"pool_size": 2}},
    {"Conv2D": {"filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"}},
    {"MaxPooling2D": {"pool_size": 2}},
    {"UpSampling2D": {"size": 2}},
    {"Conv2D": {"filters": 3, "kernel_size": 3, "padding": "same"}},
]}
#: a net that needs multiples of 4, fed 90
NINETY = {"framework": "keras", "input": [90, 90, 3], "expect": {"output": [90, 90, 3]}, "layers": [
    {"MaxPooling2D": 2}, {"MaxPooling2D": 2}, {"UpSampling2D": 2}, {"UpSampling2D": 2}]}


def run(args):
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None, "COLUMNS": "200"}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_missing_upsampling_is_found_first():
    texts = [fix.text() for fix in solve_expect(DECODER)]
    assert texts[0] == "layer 5 (upsample2d_1): size=4 gives 32x32x3"
    assert "add upsample2d (size=2) after layer 6 (conv2d_3): gives 32x32x3" in texts
    assert "add upsample2d (size=2) after layer 5 (upsample2d_1): gives 32x32x3" in texts


TORCH_DECODER = {"input": [3, 32, 32], "expect": {"output": [3, 32, 32]}, "layers": [
    {"conv2d": {"filters": 16, "kernel_size": 3, "padding": 1}}, {"max_pool2d": 2},
    {"conv_transpose2d": {"filters": 8, "kernel_size": 2, "stride": 2}}, {"max_pool2d": 2},
    {"conv2d": {"filters": 3, "kernel_size": 3, "padding": 1}}]}


@pytest.mark.parametrize("spec", [DECODER, TORCH_DECODER])
def test_every_fix_really_fixes_and_changes_something(spec):
    fixes = solve_expect(spec)
    assert fixes
    for fix in fixes:
        layers = list(spec["layers"])
        if fix.action == "add":
            changes = dict(fix.changes)
            layers.insert(fix.layer - 1, {changes.pop("type"): changes})
        else:
            (name, options), = layers[fix.layer - 1].items()
            layers[fix.layer - 1] = {name: {**(options if isinstance(options, dict) else {}), **fix.changes}}
        report = plan_data({**spec, "layers": layers})
        assert report.ok and list(report.output) == spec["expect"]["output"], fix.text()
        assert not any(value == 1 for key, value in fix.changes.items() if key in ("pool_size", "kernel_size")), fix


def test_smaller_changes_come_first():
    fixes = solve_expect(DECODER)
    kinds = [fix.action for fix in fixes]
    assert kinds == sorted(kinds, key=lambda action: action == "add")


@pytest.mark.parametrize(("spec", "unwanted"), [
    # a pool of 1 and a conv of kernel 1 would "fix" these, and do nothing
    (DECODER, "pool_size=1"),
    ({"input": [1, 28, 28], "expect": {"output": [8, 28, 28]},
      "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}]}, "kernel_size=1"),
])
def test_never_a_layer_that_does_nothing(spec, unwanted):
    assert not any(unwanted in fix.text() for fix in solve_expect(spec, limit=100))


def test_never_an_option_set_to_the_default_it_had():
    spec = {"input": [1, 28, 28], "expect": {"output": [8, 28, 28]},
            "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}]}
    assert all(fix.changes != {"padding": 0} and fix.changes != {"stride": 1} for fix in solve_expect(spec, limit=100))


def test_the_input_size_is_named_as_the_cause():
    cause = input_cause(NINETY)
    assert (cause.size, cause.sizes, cause.rule) == (90, [88, 92], (4, 0))
    assert input_cause(DECODER) is None  # there, the layers are the cause


def test_solve_expect_points_to_solve_input(tmp_path):
    path = tmp_path / "ninety.json"
    path.write_text(json.dumps(NINETY))
    code, out, err = run(["solve", "expect", str(path)])
    assert code == 1
    assert out.splitlines()[0].startswith(f"{path}:1:57: error LP401 expect-failed: expected the output 90x90x3")
    assert (f"the input size is the cause: 90 fails, 88 or 92 (a multiple of 4) would plan with every cell read; "
            f"layerplan solve input {path} --near 90 --ignore-expect lists them") in out
    assert err == (f"layerplan: {path}: no one-layer change makes the spec plan cleanly; the input size is the "
                   f"cause (layerplan solve input {path} --near 90 --ignore-expect)\n")
    payload = json.loads(run(["solve", "expect", str(path), "--format", "json"])[1])
    assert payload["input_cause"] == {"size": 90, "sizes": [88, 92], "rule": [4, 0]}


def test_solve_expect_takes_an_input_shape(tmp_path):
    path = tmp_path / "ninety.json"
    path.write_text(json.dumps({**NINETY, "expect": {"output": [88, 88, 3]}}))
    assert run(["solve", "expect", str(path), "-i", "88x88x3"])[:2] == (0, f"{path}: plans cleanly; nothing to fix\n")
    assert run(["solve", "expect", str(path), "-i", "3x88"])[0] == 1


@pytest.mark.parametrize(("kind", "framework", "hint"), [
    ("conv", "torch", "a transposed convolution (kernel_size=16, stride=14;"),
    ("pool", "keras", "a transposed convolution (kernel_size=16, strides=14;"),
])
def test_a_larger_output_points_to_transposed_convs_and_upsampling(kind, framework, hint):
    solution = solve_layer(kind, 7, 100, framework)
    text = solution.larger_output()
    assert not solution.possible and hint in text and "an upsampling by 15 (105)" in text
    assert solution.to_dict()["larger_output"] == text
    code, out, _ = run(["solve", kind, "--in", "7", "--out", "100", "-f", framework])
    assert code == 1 and hint in out


def test_the_suggested_transposed_conv_is_real():
    for framework in ("torch", "keras"):
        assert any(combo.text(framework).startswith("kernel_size=16, stride")
                   for combo in solve_layer("conv_transpose", 7, 100, framework,
                                            __import__("layerplan.planner.solve", fromlist=["Ranges"]).Ranges(16, 14, 1)).combos)


def test_a_reachable_or_smaller_output_has_no_such_hint():
    assert solve_layer("conv", 28, 14, "torch").larger_output() is None
    assert solve_layer("conv", 5, 112, "torch").larger_output() is not None
    assert solve_layer("conv_transpose", 7, 100, "torch").larger_output() is None


def test_the_title_is_a_line_of_its_own(tmp_path):
    result = CliRunner().invoke(cli, ["solve", "conv", "--in", "28", "--out", "14"], env={"COLUMNS": "40"})
    assert result.stdout.splitlines()[0] == "torch convolution: 28 -> 14 (kernel <= 7, stride <= 4, dilation <= 2)"
