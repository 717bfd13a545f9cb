"""The spec format of spec-v1: forms, aliases, both syntaxes, positions, and safe reading."""

import json
import textwrap

import pytest

from layerplan.planner import plan_data, plan_text


def test_long_short_and_bare_forms_plan_alike():
    long_form = {"input": [1, 8, 8], "layers": [
        {"type": "conv2d", "filters": 4, "kernel_size": 3}, {"type": "flatten"}]}
    short_form = {"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3}}, "flatten"]}
    assert plan_data(long_form).to_dict() == plan_data(short_form).to_dict()


@pytest.mark.parametrize("alias", ["Conv2D", "Conv2d", "conv2d", "CONV_2D", "Convolution2D"])
def test_class_name_aliases(alias):
    report = plan_data({"input": [1, 8, 8], "layers": [{alias: {"out_channels": 4, "kernel": 3}}]})
    assert report.layers[0].type == "conv2d" and report.output == (4, 6, 6)


@pytest.mark.parametrize(
    "alias, canonical",
    [("ConvTranspose2d", "conv_transpose2d"), ("Conv2DTranspose", "conv_transpose2d"), ("MaxPooling2D", "max_pool2d"),
     ("AveragePooling2D", "avg_pool2d"), ("AvgPool2d", "avg_pool2d"), ("UpSampling2D", "upsample2d"),
     ("Upsample", "upsample2d"), ("GlobalAveragePooling2D", "global_avg_pool2d"),
     ("AdaptiveAvgPool2d", "adaptive_avg_pool2d"), ("ZeroPadding2D", "zero_padding2d"), ("ZeroPad2d", "zero_padding2d"),
     ("Cropping2D", "cropping2d"), ("DepthwiseConv2D", "depthwise_conv2d"), ("SeparableConv2D", "separable_conv2d"),
     ("BatchNorm2d", "batch_norm2d"), ("BatchNormalization", "batch_norm2d"), ("batch_norm", "batch_norm2d"),
     ("Linear", "dense"), ("Dense", "dense"), ("Flatten", "flatten"), ("Dropout", "dropout"), ("ReLU", "relu"),
     ("LeakyReLU", "leaky_relu"), ("Activation", "activation")],
)
def test_type_aliases_resolve(alias, canonical):
    from layerplan.planner.kinds import resolve_type

    assert resolve_type(alias, input_rank=3).name == canonical


def test_dimension_from_input_rank():
    for shape, expected in (([4, 10], "upsample1d"), ([4, 10, 10], "upsample2d"), ([4, 3, 10, 10], "upsample3d")):
        report = plan_data({"input": shape, "layers": [{"upsample": {"scale_factor": 2}}]})
        assert report.layers[0].type == expected


def test_json_and_yaml_agree_and_report_positions():
    data = {"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 4, "kernel_size": 9}}]}
    json_text = json.dumps(data, indent=2)
    yaml_text = "input: [1, 8, 8]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 9}\n"
    from_json = plan_text(json_text, "s.json").to_dict()
    from_yaml = plan_text(yaml_text, "s.yaml").to_dict()
    assert from_json["layers"] == from_yaml["layers"]
    assert from_yaml["diagnostics"][0]["line"] == 3 and from_yaml["diagnostics"][0]["column"] == 39
    json_diagnostic = from_json["diagnostics"][0]
    assert json_text.splitlines()[json_diagnostic["line"] - 1].strip().startswith('"kernel_size": 9')


def test_yaml_syntax_error_has_position():
    report = plan_text("input: [1, 8, 8\nlayers: []\n", "s.yaml")
    assert report.read_error
    diagnostic = report.diagnostics[0]
    assert diagnostic.code == "LP002" and diagnostic.line == 2


def test_duplicate_keys_are_errors():
    report = plan_text("input: [1, 8, 8]\nlayers:\n  - conv2d: {filters: 4, filters: 8, kernel_size: 3}\n", "s.yaml")
    assert report.read_error and report.diagnostics[0].code == "LP005" and report.diagnostics[0].line == 3
    report = plan_text('{"input": [1, 8, 8], "input": [1, 9, 9], "layers": []}', "s.json")
    assert report.read_error and report.diagnostics[0].code == "LP005"


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo hacked']", "!!python/name:os.system", "!custom 3",
                                 "!!binary aGVsbG8="])
def test_yaml_tags_are_never_constructed(tag):
    report = plan_text(f"input: [1, 8, 8]\nlayers:\n  - dense:\n      units: {tag}\n", "s.yaml")
    assert report.read_error and report.diagnostics[0].code == "LP006"


def test_merge_keys_and_anchors_work():
    text = textwrap.dedent("""
        input: [1, 16, 16]
        layers:
          - conv2d: &c {filters: 8, kernel_size: 3, padding: 1}
          - conv2d: {<<: *c, filters: 16}
        """)
    report = plan_text(text, "s.yaml")
    assert report.ok and report.output == (16, 16, 16)


def test_empty_and_non_mapping_documents():
    assert plan_text("", "s.yaml").diagnostics[0].code == "LP003"
    assert plan_text("- a\n- b\n", "s.yaml").diagnostics[0].code == "LP003"


@pytest.mark.parametrize(("text", "kind"), [
    ("", "an empty document"),
    ("AWS_SECRET_ACCESS_KEY=abc123\n", "a string"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n", "a string"),
    ("- hunter2\n- swordfish\n", "a list"),
    ("31337\n", "a number"),
    ("true\n", "a boolean"),
    ('"token-xyz"', "a string"),
])
def test_a_document_that_is_not_a_spec_is_named_by_its_type_never_quoted(text, kind):
    diagnostic = plan_text(text, "link.yaml").diagnostics[0]
    assert diagnostic.code == "LP003"
    assert diagnostic.message == f"a spec is a mapping with input and layers, got {kind}"


def test_framework_override():
    data = {"framework": "keras", "input": [8, 8, 1], "layers": [{"batch_norm": None}]}
    assert plan_data(data).total_params == 4
    assert plan_data({**data, "input": [1, 8, 8]}, framework="torch").total_params == 2


def test_default_names_count_per_type():
    report = plan_data({"input": [1, 8, 8], "layers": [
        {"conv2d": {"filters": 2, "kernel_size": 1}}, "relu", {"conv2d": {"filters": 2, "kernel_size": 1}, "name": "x"},
        {"conv2d": {"filters": 2, "kernel_size": 1}}]})
    assert [r.name for r in report.layers] == ["conv2d_1", "relu_1", "x", "conv2d_3"]


@pytest.mark.parametrize("text, quoted", [
    ("input: [8, 4]\nlayers:\n  - lambda: {output: [x[0] * 2, x[1]]}\n", 'output: ["x[0] * 2", "x[1]"]'),
    ("input: [8, 4]\nlayers:\n  - lambda:\n      output: [x[0] * 2, x[-1]]\n", 'output: ["x[0] * 2", "x[-1]"]'),
    ("input: [8, 4]\nlayers:\n  - lambda:\n      output: *x\n", 'output: "*x"'),
    ("input: [8, 4]\nlayers:\n  - lambda:\n      function: [x] + 1\n", 'function: "[x] + 1"'),
    ("input: [8, 4]\nlayers:\n  - lambda:\n      function: &a b: c\n", 'function: "&a b: c"'),
])
def test_a_yaml_error_on_a_value_that_starts_with_yaml_syntax_says_to_quote_it(text, quoted):
    report = plan_text(text, "spec.yaml")
    [diagnostic] = report.diagnostics
    assert diagnostic.code == "LP002" and diagnostic.line == text.count("\n")
    assert "write an expression or text that holds them in quotes" in diagnostic.message
    assert diagnostic.message.endswith(f"e.g. {quoted}")


def test_the_quoted_expressions_the_hint_shows_plan():
    report = plan_text('input: [8, 4]\nlayers:\n  - lambda: {output: ["x[0] * 2", "x[1]"]}\n', "spec.yaml")
    assert report.ok and report.output == (16, 4)


@pytest.mark.parametrize("text", [
    "input: [8, 4\nlayers: [flatten]\n",  # an unclosed list is not about quoting
    "input: [8, 4]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3\n",
])
def test_other_yaml_errors_get_no_quoting_hint(text):
    report = plan_text(text, "spec.yaml")
    assert report.read_error and "in quotes" not in report.diagnostics[0].message
