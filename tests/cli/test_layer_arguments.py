"""Layer arguments (planner/layer_arguments.py): values, positional and short keys, the same plan as a spec,
and diagnostics that name the argument."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layerplan.planner import plan_data
from layerplan.planner.kinds import KINDS
from layerplan.planner.layer_arguments import (
    SHORT_KEYS,
    looks_like_layer,
    parse_tokens,
    parse_value,
    plan_tokens,
    positional_options,
    split_arguments,
)


@pytest.mark.parametrize("text, value", [
    ("3", 3), ("-1", -1), ("+2", 2), ("0.5", 0.5), (".5", 0.5), ("1e-3", 0.001), ("true", True), ("False", False),
    ("null", None), ("None", None), ("same", "same"), ("relu", "relu"), ("3x5", [3, 5]), ("7X7x16", [7, 7, 16]),
    ("-1x16", [-1, 16]), ("[1,2]", [1, 2]), ("(1, 2)", [1, 2]), ("[[1,2],[0,1]]", [[1, 2], [0, 1]]), ("[]", []),
    ("[null,4]", [None, 4]), ("lanczos3", "lanczos3"),
])
def test_values(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text", ["", " ", "[1,2", "(1,2]x"])
def test_unreadable_values(text):
    with pytest.raises(ValueError):
        parse_value(text)


@pytest.mark.parametrize("tokens, layers", [
    (["flatten"], ["flatten"]),
    (["conv2d:32,3"], [{"conv2d": {"filters": 32, "kernel_size": 3}}]),
    (["conv2d:32,3,2,1"], [{"conv2d": {"filters": 32, "kernel_size": 3, "stride": 2, "padding": 1}}]),
    (["conv2d:32,k=3,s=2,p=same,d=2,g=1"],
     [{"conv2d": {"filters": 32, "kernel_size": 3, "stride": 2, "padding": "same", "dilation": 2, "groups": 1}}]),
    (["Conv2d:out_channels=8,kernel_size=3x5"], [{"Conv2d": {"out_channels": 8, "kernel_size": [3, 5]}}]),
    (["max_pool2d:2"], [{"max_pool2d": {"pool_size": 2}}]),
    (["max_pool2d:3,2,1"], [{"max_pool2d": {"pool_size": 3, "stride": 2, "padding": 1}}]),
    (["upsample:2"], [{"upsample": {"scale_factor": 2}}]),
    (["dense:10,bias=false"], [{"dense": {"units": 10, "bias": False}}]),
    (["reshape:7,7,16"], [{"reshape": {"target_shape": [7, 7, 16]}}]),
    (["reshape:-1"], [{"reshape": {"target_shape": -1}}]),
    (["dropout:p=0.2"], [{"dropout": {"p": 0.2}}]),  # dropout's own p (rate) wins over the short key
    (["zero_padding2d:[[1,2],[0,1]]"], [{"zero_padding2d": {"padding": [[1, 2], [0, 1]]}}]),
    (["conv2d:8,3,name=enc"], [{"conv2d": {"filters": 8, "kernel_size": 3, "name": "enc"}}]),
])
def test_layers_from_arguments(tokens, layers):
    stack = parse_tokens(tokens)
    assert stack.diagnostics == []
    assert stack.layers == layers


def test_short_keys_name_real_options():
    for short, option in SHORT_KEYS.items():
        assert KINDS["conv2d"].option(option) is not None, short


@pytest.mark.parametrize("tokens, code, words", [
    (["conv2d:32,,3"], "LP105", "empty argument"),
    (["conv2d:32,3,3,3,1,1,true,9"], "LP105", "at most 7 positional"),
    (["conv2d:k=3,32"], "LP105", "after key=value"),
    (["relu:3"], "LP105", "no positional"),
    (["conv2d:32,[3"], "LP105", "never closed"),
    (["conv2d:32,3,kernel_size=5"], "LP111", "given twice"),
    (["conv2d:32,3,s=1,s=2"], "LP111", "second time"),
    (["conv2d:32,3,3=4"], "LP105", "key=value"),
    (["conv2d:32,3,s="], "LP108", "missing"),
])
def test_unreadable_arguments(tokens, code, words):
    (diagnostic, *_) = parse_tokens(tokens).diagnostics
    assert diagnostic.code == code and words in diagnostic.message
    assert diagnostic.message.startswith(f"`{tokens[0]}`")


@pytest.mark.parametrize("tokens, shape, code, piece", [
    (["conv2d:32,3,s=2,p=same"], "1x28x28", "LP204", "p=same"),
    (["convv2d:32,3"], "1x28x28", "LP106", None),
    (["conv2d:32,3,foo=1"], "1x28x28", "LP107", "foo=1"),
    (["conv2d:32,3,s=x"], "1x28x28", "LP108", "s=x"),
    (["flatten", "conv2d:8,3"], "1x28x28", "LP201", None),
    (["conv2d:8,9"], "1x4x4", "LP203", "9"),
    (["conv2d:8,3,g=3"], "2x8x8", "LP207", "g=3"),
    (["max_pool2d:2", "reshape:5,5"], "1x8x8", "LP208", "5,5"),
    (["conv2d:8,3,expect=9x9x9"], "1x8x8", "LP401", None),
])
def test_engine_diagnostics_name_the_argument(tokens, shape, code, piece):
    report = plan_tokens(tokens, shape)
    found = [d for d in report.diagnostics if d.code == code]
    assert found, [d.code for d in report.diagnostics]
    token = next(t for t in tokens if found[0].message.startswith(f"`{t}`"))
    assert found[0].layer == tokens.index(token) + 1 and found[0].line is None
    if piece is not None:
        assert f"`{token}` at `{piece}`" in found[0].message


def test_missing_option_is_not_repeated_after_an_unreadable_argument():
    report = plan_tokens(["conv2d:32,[3"], "1x8x8")
    assert [d.code for d in report.diagnostics] == ["LP105"]


@pytest.mark.parametrize("tokens, spec_layers", [
    (["conv2d:32,3,p=same", "max_pool2d:2", "conv2d:16,3,p=1", "upsample2d:2", "conv2d:1,3,p=1"],
     [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}, {"max_pool2d": {"pool_size": 2}},
      {"conv2d": {"filters": 16, "kernel_size": 3, "padding": 1}}, {"upsample2d": {"scale_factor": 2}},
      {"conv2d": {"filters": 1, "kernel_size": 3, "padding": 1}}]),
    (["ConvTranspose2d:8,4,2,1,output_padding=1", "BatchNorm2d", "relu", "AdaptiveAvgPool2d:1", "flatten", "Linear:3"],
     [{"ConvTranspose2d": {"filters": 8, "kernel_size": 4, "stride": 2, "padding": 1, "output_padding": 1}},
      "BatchNorm2d", "relu", {"AdaptiveAvgPool2d": {"output_size": 1}}, "flatten", {"Linear": {"units": 3}}]),
])
@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_arguments_plan_like_the_spec(tokens, spec_layers, framework):
    shape = [4, 16, 16] if framework == "torch" else [16, 16, 4]
    from_tokens = plan_tokens(tokens, shape, framework).to_dict()
    from_spec = plan_data({"framework": framework, "input": shape, "layers": spec_layers}).to_dict()
    for report in (from_tokens, from_spec):
        report.pop("file")
        for d in report["diagnostics"]:
            d.pop("message"), d.pop("line"), d.pop("column")
    assert from_tokens == from_spec


@settings(max_examples=60, deadline=None)
@given(
    filters=st.integers(1, 64), kernel=st.integers(1, 5), stride=st.integers(1, 3), padding=st.integers(0, 2),
    size=st.integers(1, 40), pool=st.integers(1, 3), keyed=st.booleans(),
)
def test_conv_pool_arguments_match_the_spec(filters, kernel, stride, padding, size, pool, keyed):
    conv = f"conv2d:{filters},k={kernel},s={stride},p={padding}" if keyed else f"conv2d:{filters},{kernel},{stride},{padding}"
    report = plan_tokens([conv, f"max_pool2d:{pool}"], [3, size, size])
    spec = plan_data({"input": [3, size, size], "layers": [
        {"conv2d": {"filters": filters, "kernel_size": kernel, "stride": stride, "padding": padding}},
        {"max_pool2d": {"pool_size": pool}}]})
    assert (report.output, report.total_params, [d.code for d in report.diagnostics]) == \
        (spec.output, spec.total_params, [d.code for d in spec.diagnostics])


def test_appending_to_a_spec_keeps_its_positions_and_names_the_arguments():
    from layerplan.planner import load_text

    document = load_text("input: [1, 8, 8]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 3, stride: 2}\n", "net.yaml")
    report = plan_tokens(["conv2d:4,3,s=2,p=same"], base=document)
    assert report.file == "net.yaml" and len(report.layers) == 2
    first, second = report.diagnostics[0], report.diagnostics[-1]
    assert (first.layer, first.line) == (1, 3)
    assert second.layer == 2 and second.line is None and second.message.startswith("`conv2d:4,3,s=2,p=same`")


def test_input_replaces_the_spec_input():
    from layerplan.planner import load_text

    document = load_text('{"input": [1, 8, 8], "layers": ["flatten"]}', "net.json")
    assert plan_tokens([], [2, 4, 4], base=document).output == (32,)


@pytest.mark.parametrize("arguments, prefer, specs, layers", [
    (["net.yaml", "conv2d:8,3", "flatten"], False, ["net.yaml"], ["conv2d:8,3", "flatten"]),
    (["-", "dense:10"], False, ["-"], ["dense:10"]),
    (["dir/spec", "Conv2D:8,3"], False, ["dir/spec"], ["Conv2D:8,3"]),
    (["convv2d:8,3"], False, [], ["convv2d:8,3"]),
    (["mistyped"], False, ["mistyped"], []),
    (["mistyped"], True, [], ["mistyped"]),
    (["conv2d:8,3", "mistyped"], False, [], ["conv2d:8,3", "mistyped"]),
    (["existing"], True, ["existing"], []),
])
def test_split_arguments(arguments, prefer, specs, layers):
    assert split_arguments(arguments, prefer_layers=prefer, exists=lambda p: p == "existing") == (specs, layers)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_type_is_a_layer_argument(name):
    assert looks_like_layer(name) and looks_like_layer(f"{name}:x=1")


def test_tokens_module_stays_pure():
    import subprocess
    import sys

    code = ("import sys, planner.layer_arguments, planner.layer_docs; "
            "bad = {'click', 'rich', 'yaml', 'cli'} & {m.split('.')[0] for m in sys.modules}; "
            "assert not bad, bad")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


@pytest.mark.parametrize("framework, token, options", [
    ("torch", "resizing:7,7,interpolation=nearest", {"height": 7, "width": 7, "interpolation": "nearest"}),
    ("keras", "resizing:7,7,bilinear", {"height": 7, "width": 7, "interpolation": "bilinear"}),
    ("torch", "embedding:20000,128", {"input_dim": 20000, "output_dim": 128}),
    ("torch", "embedding:20000,128,0", {"input_dim": 20000, "output_dim": 128, "padding_idx": 0}),
    ("keras", "embedding:20000,128", {"input_dim": 20000, "output_dim": 128}),
    ("torch", "lstm:64", {"units": 64}),
    ("torch", "lstm:64,2", {"units": 64, "num_layers": 2}),
    ("keras", "lstm:64", {"units": 64}),
    ("keras", "multi_head_attention:4,32", {"num_heads": 4, "key_dim": 32}),
    ("torch", "multi_head_attention:64,4", {"embed_dim": 64, "num_heads": 4}),
    ("keras", "dense:10,relu", {"units": 10, "activation": "relu"}),
    ("torch", "dense:10,false", {"units": 10, "bias": False}),
    ("torch", "conv2d:32,3,1,1,2", {"filters": 32, "kernel_size": 3, "stride": 1, "padding": 1, "dilation": 2}),
    ("torch", "flatten:1,2", {"start_dim": 1, "end_dim": 2}),
    ("keras", "softmax:1", {"dim": 1}),
    ("torch", "upsample2d:2,bilinear", {"scale_factor": 2, "mode": "bilinear"}),
    ("torch", "reshape:7,7,16", {"target_shape": [7, 7, 16]}),
])
def test_positional_values_follow_the_framework_constructor(framework, token, options):
    stack = parse_tokens([token], framework=framework)
    assert not stack.diagnostics
    assert stack.layers == [{token.split(":")[0]: options}]


@pytest.mark.parametrize("framework, token, words", [
    ("keras", "conv2d:32,3,3,3,9", "at most 4 positional"),  # Conv2D's fifth parameter is data_format
    ("keras", "dense:10,relu,true,x", "at most 3 positional"),  # Dense's kernel_initializer
    ("torch", "max_pool2d:2,2,0,1,true", "at most 4 positional"),  # MaxPool2d's return_indices
])
def test_positional_values_stop_where_the_constructor_takes_no_option(framework, token, words):
    (diagnostic,) = parse_tokens([token], framework=framework).diagnostics
    assert diagnostic.code == "LP105" and words in diagnostic.message


@pytest.mark.parametrize("framework, shape, token", [
    ("torch", "3x32x32", "resizing:7,7,interpolation=nearest"), ("keras", "32x32x3", "resizing:7,7"),
    ("torch", "10", "embedding:20000,128"), ("keras", "10", "embedding:20000,128"),
    ("torch", "10x16", "lstm:64"), ("keras", "10x16", "lstm:64"),
    ("keras", "10x16", "multi_head_attention:4,32"), ("torch", "10x16", "multi_head_attention:16,4"),
])
def test_the_constructor_order_plans(framework, shape, token):
    report = plan_tokens([token], shape, framework)
    assert report.ok, [d.message for d in report.diagnostics]


@pytest.mark.parametrize("kind", sorted(KINDS), ids=str)
@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_positional_options_are_options_in_the_constructor_order(kind, framework):
    definition = KINDS[kind]
    names = positional_options(definition, framework)
    assert all(definition.option(name) for name in names)
    spelling = definition.spellings.get(framework)
    if spelling is not None and spelling.positional and names != definition.positional:
        def spelled(name):
            return {spelling.arguments.get(name, name), name, *definition.option(name).aliases}

        start = next(i for i, keyword in enumerate(spelling.positional) if keyword in spelled(names[0]))
        following = spelling.positional[start:start + len(names)]
        assert len(following) == len(names) and all(k in spelled(n) for k, n in zip(following, names))
