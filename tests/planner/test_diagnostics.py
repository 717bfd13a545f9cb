"""Every diagnostic, triggered by a small spec: code, layer, line and the gist of the message."""

import textwrap

import pytest

from layerplan.planner import CATALOG, plan_data, plan_text


def plan(yaml_text: str, framework=None):
    return plan_text(textwrap.dedent(yaml_text), "spec.yaml", framework)


# (id, spec, expected code, layer, line, words the message must contain)
CASES = [
    ("unknown-key", """
        input: [1, 8, 8]
        layer: []
        """, "LP101", None, 3, ["'layer'", "did you mean 'layers'"]),
    ("missing-input", """
        layers: [flatten]
        """, "LP102", None, 2, ["input"]),
    ("bad-shape", """
        input: [1, 0, 8]
        layers: [flatten]
        """, "LP103", None, 2, ["positive integers"]),
    ("unknown-framework", """
        framework: tensorflow
        input: [8, 8, 1]
        layers: [flatten]
        """, "LP104", None, 2, ["torch or keras"]),
    ("bad-layers", """
        input: [1, 8, 8]
        layers: {conv2d: {}}
        """, "LP105", None, 3, ["list"]),
    ("unknown-layer-type", """
        input: [1, 8, 8]
        layers:
          - conv2dd: {filters: 4, kernel_size: 3}
        """, "LP106", 1, 4, ["conv2dd", "did you mean"]),
    ("unknown-option", """
        input: [1, 8, 8]
        layers:
          - conv2d:
              filters: 4
              kernel_size: 3
              strid: 2
        """, "LP107", 1, 7, ["'strid'", "did you mean 'stride'"]),
    ("bool-is-not-int", """
        input: [1, 8, 8]
        layers:
          - conv2d: {filters: true, kernel_size: 3}
        """, "LP108", 1, 4, ["positive integer", "boolean"]),
    ("float-kernel", """
        input: [1, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 2.5}
        """, "LP108", 1, 4, ["2.5"]),
    ("missing-option", """
        input: [1, 8, 8]
        layers:
          - conv2d: {kernel_size: 3}
        """, "LP109", 1, 4, ["filters"]),
    ("option-not-in-framework", """
        framework: keras
        input: [8, 8, 1]
        layers:
          - max_pool2d: {pool_size: 2, ceil_mode: true}
        """, "LP110", 1, 5, ["torch option"]),
    ("conflicting-options", """
        input: [1, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 3, stride: 1, strides: 2}
        """, "LP111", 1, 4, ["same option"]),
    ("wrong-rank", """
        input: [1, 8, 8]
        layers:
          - flatten
          - conv2d: {filters: 4, kernel_size: 3}
        """, "LP201", 2, 5, ["rank 3", "rank 1"]),
    ("non-positive-output-transpose", """
        input: [1, 2, 2]
        layers:
          - conv_transpose2d: {filters: 4, kernel_size: 1, padding: 1}
        """, "LP202", 2 - 1, 4, ["output size"]),
    ("kernel-too-large", """
        input: [1, 4, 4]
        layers:
          - conv2d: {filters: 4, kernel_size: 5}
        """, "LP203", 1, 4, ["larger than the padded input 4"]),
    ("same-with-stride", """
        input: [1, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 3, stride: 2, padding: same}
        """, "LP204", 1, 4, ["strided"]),
    ("pool-padding-too-large", """
        input: [1, 8, 8]
        layers:
          - max_pool2d: {kernel_size: 2, padding: 2}
        """, "LP205", 1, 4, ["at most half"]),
    ("output-padding-torch", """
        input: [1, 4, 4]
        layers:
          - conv_transpose2d: {filters: 4, kernel_size: 3, stride: 2, output_padding: 2}
        """, "LP206", 1, 4, ["smaller than stride 2"]),
    ("output-padding-keras", """
        framework: keras
        input: [4, 4, 1]
        layers:
          - conv2d_transpose: {filters: 4, kernel_size: 3, strides: 2, output_padding: 2}
        """, "LP206", 1, 5, ["smaller than"]),
    ("groups-channels", """
        input: [3, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 3, groups: 2}
        """, "LP207", 1, 4, ["input channels 3"]),
    ("groups-filters", """
        input: [4, 8, 8]
        layers:
          - conv2d: {filters: 3, kernel_size: 3, groups: 2}
        """, "LP207", 1, 4, ["filters 3"]),
    ("reshape-mismatch", """
        input: [1, 8, 8]
        layers:
          - reshape: {target_shape: [7, -1]}
        """, "LP208", 1, 4, ["64 elements"]),
    ("reshape-mismatch-fit", """
        input: [16, 32, 32]
        layers:
          - reshape: {target_shape: [32, 32, 32]}
        """, "LP208", 1, 4, ["16384 elements", "(32768 elements)", "use target_shape [16, 32, 32] or [-1, 32, 32]"]),
    ("reshape-mismatch-fit-later-axis", """
        input: [3, 10]
        layers:
          - reshape: {target_shape: [4, 5]}
        """, "LP208", 1, 4, ["use target_shape [6, 5] or [-1, 5]"]),
    ("reshape-mismatch-fit-last-axis", """
        input: [3, 7]
        layers:
          - reshape: {target_shape: [7, 2]}
        """, "LP208", 1, 4, ["use target_shape [7, 3] or [7, -1]"]),
    ("reshape-mismatch-no-single-axis", """
        input: [1, 5]
        layers:
          - reshape: {target_shape: [2, 3]}
        """, "LP208", 1, 4, ["(6 elements)", "one axis may be -1"]),
    ("transpose-same-crash", """
        framework: keras
        input: [7, 7, 8]
        layers:
          - conv2d_transpose: {filters: 4, kernel_size: 4, strides: 2, padding: same, output_padding: 0}
        """, "LP209", 1, 5, ["crashes"]),
    ("stride-with-dilation", """
        framework: keras
        input: [16, 16, 1]
        layers:
          - conv2d: {filters: 4, kernel_size: 3, strides: 2, dilation_rate: 2}
        """, "LP210", 1, 5, ["strides > 1"]),
    ("transpose-dilation", """
        framework: keras
        input: [16, 4]
        layers:
          - conv1d_transpose: {filters: 2, kernel_size: 3, dilation_rate: 2}
        """, "LP310", 1, 5, ["dilation_rate 2 runs where", "TF_ENABLE_ONEDNN_OPTS=0"]),
    ("unequal-strides", """
        framework: keras
        input: [10, 10, 4]
        layers:
          - separable_conv2d: {filters: 2, kernel_size: 1, strides: [2, 3]}
        """, "LP311", 1, 5, ["strides (2, 3) runs where", "equal strides"]),
    ("adaptive-max-pool-crash", """
        framework: keras
        input: [7, 5]
        layers:
          - adaptive_max_pool1d: {output_size: 1}
        """, "LP312", 1, 5, ["SIGFPE", "(input 7)"]),
    ("avg-pool3d-small-input", """
        input: [1, 2, 4, 4]
        layers:
          - avg_pool3d: {pool_size: 3, padding: 1}
        """, "LP203", 1, 4, ["input 2 < kernel 3"]),
    ("bad-top-level-value", """
        input: [1, 4, 4]
        batch: -1
        layers: [flatten]
        """, "LP112", None, 3, ["positive integer"]),
    ("keras-int-padding", """
        framework: keras
        input: [8, 8, 1]
        layers:
          - conv2d: {filters: 4, kernel_size: 3, padding: 1}
        """, "LP211", 1, 5, ["zero_padding2d"]),
    ("torch-pool-same", """
        input: [1, 8, 8]
        layers:
          - max_pool2d: {kernel_size: 2, padding: same}
        """, "LP211", 1, 4, ["integer padding"]),
    ("softmax-axis", """
        input: [10]
        layers:
          - softmax: {dim: 3}
        """, "LP212", 1, 4, ["out of range"]),
    ("index-out-of-range", """
        input: [10, 16]
        layers:
          - select: {axis: 1, index: 10}
        """, "LP214", 1, 4, ["index 10", "size 10", "-10..-1"]),
    ("dropped-input", """
        input: [1, 28, 28]
        layers:
          - conv2d: {filters: 4, kernel_size: 3, stride: 2}
        """, "LP301", 1, 4, ["never read", "27 or 29"]),
    ("stride-exceeds-kernel", """
        input: [1, 9, 9]
        layers:
          - conv2d: {filters: 4, kernel_size: 2, stride: 3}
        """, "LP302", 1, 4, ["stride 3 is larger than the kernel 2", "skipped"]),
    ("dilation-holes", """
        input: [1, 8]
        layers:
          - conv1d: {filters: 1, kernel_size: 2, dilation: 2, stride: 2}
        """, "LP309", 1, 4, ["only 1 in 2 input steps"]),
    ("even-kernel-same", """
        input: [1, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 4, padding: same}
        """, "LP303", 1, 4, ["1 before and 2 after"]),
    ("ceil-window", """
        input: [1, 7, 7]
        layers:
          - max_pool2d: {kernel_size: 2, ceil_mode: true}
        """, "LP304", 1, 4, ["ceil_mode"]),
    ("dense-on-unflattened", """
        input: [10, 20]
        layers:
          - dense: {units: 5}
        """, "LP305", 1, 4, ["last axis"]),
    ("option-without-effect", """
        framework: torch
        input: [10, 16]
        layers:
          - lstm: {hidden_size: 32, dropout: 0.5}
        """, "LP119", 1, 5, ["between stacked layers only", "dropout 0.5 does nothing"]),
    ("upsample-floored", """
        input: [1, 5, 5]
        layers:
          - upsample2d: {scale_factor: 1.5}
        """, "LP306", 1, 4, ["floored to 7"]),
    ("expect-layer", """
        input: [1, 28, 28]
        layers:
          - conv2d: {filters: 32, kernel_size: 3}
            expect: [32, 28, 28]
        """, "LP401", 1, 5, ["32x26x26"]),
    ("expect-output", """
        input: [1, 28, 28]
        layers:
          - conv2d: {filters: 32, kernel_size: 3}
        expect: {output: [32, 28, 28]}
        """, "LP401", None, 5, ["32x26x26"]),
    ("expect-budget", """
        input: [1, 28, 28]
        layers:
          - conv2d: {filters: 32, kernel_size: 3}
        expect: {max_params: 100}
        """, "LP401", None, 5, ["320 params"]),
    ("bad-expect", """
        input: [1, 28, 28]
        layers: [flatten]
        expect: {outptu: [784]}
        """, "LP402", None, 4, ["did you mean 'output'"]),
    # --- graphs: names, joins and blocks
    ("unknown-name", """
        input: [4, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 1, name: enc}
          - add: {inputs: [enc, encc]}
        """, "LP113", 2, 5, ["'encc'", "did you mean 'enc'"]),
    ("duplicate-name", """
        input: [4, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 1, name: x}
          - conv2d: {filters: 4, kernel_size: 1, name: x}
        """, "LP114", 2, 5, ["'x'", "layer 1"]),
    ("bad-inputs", """
        input: [4, 8, 8]
        layers:
          - relu: {name: a}
          - conv2d: {filters: 4, kernel_size: 1, inputs: [a, input]}
        """, "LP115", 2, 5, ["takes one input", "concatenate"]),
    ("defined-later", """
        input: [4, 8, 8]
        layers:
          - relu: {inputs: b}
          - relu: {name: b}
        """, "LP116", 1, 4, ["'b'", "written later"]),
    ("bad-block", """
        input: [4, 8, 8]
        blocks:
          down: [relu]
        layers:
          - block: dwn
        """, "LP117", 1, 6, ["'dwn'", "did you mean 'down'"]),
    ("merge-mismatch", """
        input: [4, 25, 25]
        layers:
          - max_pool2d: {kernel_size: 2, name: pooled}
          - upsample2d: {scale_factor: 2}
          - concatenate: {inputs: [input, upsample2d_1]}
        """, "LP213", 3, 6, ["'input' 4x25x25", "'upsample2d_1' 4x24x24", "cropping2d", "[[0, 1], [0, 1]]"]),
    ("size-overflow", """
        input: [1, 8, 8]
        layers:
          - relu
          - conv2d: {filters: 10000000000000000000000000000000000000000, kernel_size: 3}
        """, "LP220", 2, 5, ["2**63 - 1", "output"]),
    ("merge-broadcast", """
        input: [4, 8, 8]
        layers:
          - adaptive_avg_pool2d: {output_size: 1, name: gate}
          - multiply: {inputs: [input, gate]}
        """, "LP307", 2, 5, ["'gate' 4x1x1", "4x8x8"]),
    ("unreachable", """
        input: [4, 8, 8]
        layers:
          - conv2d: {filters: 4, kernel_size: 1, name: side}
          - relu: {inputs: input}
        """, "LP308", 1, 4, ["'side'"]),
]


@pytest.mark.parametrize("case_id, text, code, layer, line, words", CASES, ids=[c[0] for c in CASES])
def test_diagnostic(case_id, text, code, layer, line, words):
    report = plan(text)
    matching = [d for d in report.diagnostics if d.code == code]
    assert matching, f"expected {code}, got {[(d.code, d.message) for d in report.diagnostics]}"
    diagnostic = matching[0]
    assert diagnostic.layer == layer
    assert diagnostic.line == line
    for word in words:
        assert word in diagnostic.message, diagnostic.message
    assert report.ok == (CATALOG[diagnostic.name].severity.value != "error")


def test_every_code_is_exercised_by_some_test():
    """Each catalog code is triggered in this table or named in another test module."""
    from pathlib import Path

    covered = {c[2] for c in CASES}
    tests_text = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).resolve().parents[1].rglob("*.py")
                           if p.resolve() != Path(__file__).resolve())
    missing = [info.code for info in CATALOG.values() if info.code not in covered and info.code not in tests_text
               and f'"{info.name}"' not in tests_text]
    assert not missing, f"no test triggers {missing}"


@pytest.mark.parametrize("layer, warned", [
    ({"conv2d": {"filters": 8, "kernel_size": 1, "stride": 2}}, False),  # the projection shortcut
    ({"conv2d": {"filters": 8, "kernel_size": [1, 1], "stride": 4}}, False),
    ({"conv2d": {"filters": 8, "kernel_size": 1, "stride": 2, "dilation": 3}}, False),
    ({"separable_conv2d": {"filters": 8, "kernel_size": 1, "stride": 2}}, False),
    ({"conv2d": {"filters": 8, "kernel_size": 2, "stride": 3}}, True),
    ({"conv2d": {"filters": 8, "kernel_size": [1, 3], "stride": 2}}, True),  # on H, where the kernel is 1
    ({"conv2d": {"filters": 8, "kernel_size": 3, "stride": 4}}, True),
    ({"conv2d": {"filters": 8, "kernel_size": 3, "stride": 3}}, False),
    ({"max_pool2d": {"pool_size": 1, "stride": 2}}, True),  # pooling keeps it
])
def test_stride_exceeds_kernel_but_not_for_1x1_kernels(layer, warned):
    report = plan_data({"input": [8, 33, 33], "layers": [layer]})
    assert any(d.code == "LP302" for d in report.diagnostics) is warned, report.diagnostics


def test_planning_goes_on_after_an_error():
    report = plan("""
        input: [1, 4, 4]
        layers:
          - conv2d: {filters: 4, kernel_size: 5}
          - conv2d: {filters: 4, kernel_sise: 3}
          - flatten
        """)
    # the misspelt kernel_sise is unknown, so kernel_size is also missing
    assert [d.code for d in report.diagnostics] == ["LP203", "LP107", "LP109"]
    assert [row.output for row in report.layers] == [None, None, None]
    assert report.layers[2].params == 0
    assert report.total_params is None
    assert report.to_dict()["output"] is None


def test_all_problems_reported_in_one_run():
    report = plan("""
        input: [1, 8, 8]
        layers:
          - conv2d: {filters: 0, kernel_size: 3, padding: middle}
        """)
    assert sorted(d.code for d in report.diagnostics) == ["LP108", "LP108"]


# What TensorFlow does with these layers depends on the machine's CPU kernels (oneDNN or TensorFlow's
# own; tests/oracle/test_keras_oracle.py runs both): keras' shapes and params are planned, with a warning.
MACHINE_DEPENDENT = [
    # (input, layer, output, params, code)
    ([16, 16, 4], {"conv2d_transpose": {"filters": 8, "kernel_size": 3, "dilation_rate": 2}}, [20, 20, 8], 296, "LP310"),
    ([16, 16, 4], {"conv2d_transpose": {"filters": 8, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}},
     [16, 16, 8], 296, "LP310"),
    ([8, 8, 8, 4], {"conv3d_transpose": {"filters": 8, "kernel_size": 3, "dilation_rate": 2}}, [12, 12, 12, 8], 872,
     "LP310"),
    ([15, 16, 4], {"separable_conv2d": {"filters": 8, "kernel_size": 3, "strides": [2, 1]}}, [7, 14, 8], 76, "LP311"),
    ([15, 16, 4], {"depthwise_conv2d": {"kernel_size": 3, "strides": [2, 1]}}, [7, 14, 4], 40, "LP311"),
    ([7, 5], {"adaptive_max_pool1d": {"output_size": 1}}, [1, 5], 0, "LP312"),
    ([1, 5], {"adaptive_max_pool1d": {"output_size": 3}}, [3, 5], 0, "LP312"),
    ([7, 7, 5], {"adaptive_max_pool2d": {"output_size": [3, 1]}}, [3, 1, 5], 0, "LP312"),
    ([4, 4, 4, 5], {"adaptive_max_pool3d": {"output_size": 1}}, [1, 1, 1, 5], 0, "LP312"),
]


@pytest.mark.parametrize("shape, layer, output, params, code", MACHINE_DEPENDENT)
def test_machine_dependent_layer_is_planned_with_a_warning(shape, layer, output, params, code):
    report = plan_data({"framework": "keras", "input": shape, "layers": [layer]}).to_dict()
    assert report["ok"]
    assert report["layers"][0]["output"] == output
    assert report["layers"][0]["params"] == params
    assert [(d["code"], d["severity"]) for d in report["diagnostics"]] == [(code, "warning")]


@pytest.mark.parametrize("shape, layer", [
    ([7, 7, 5], {"adaptive_max_pool2d": {"output_size": [1, 3]}}),  # the last axis decides, not the first
    ([7, 5], {"adaptive_max_pool1d": {"output_size": 2}}),
    ([7, 7, 5], {"adaptive_avg_pool2d": {"output_size": 1}}),  # average pooling runs everywhere
    ([16, 16, 4], {"depthwise_conv2d": {"kernel_size": 3, "strides": [2, 1], "dilation_rate": 2}}),
])
def test_layers_that_run_everywhere_get_no_machine_warning(shape, layer):
    report = plan_data({"framework": "keras", "input": shape, "layers": [layer]}).to_dict()
    assert [d["code"] for d in report["diagnostics"] if d["code"] in ("LP310", "LP311", "LP312")] == []


# Errors are independent: a layer whose input is unknown (after an earlier error) or whose plan is
# skipped still gets the checks of its options that need no input shape. (spec, [(code, layer, line)])
INDEPENDENT = [
    ("""
        framework: keras
        input: [28, 28, 1]
        layers:
          - conv2d: {filters: 8, kernal_size: 3}
          - conv2d: {filters: 8, kernel_size: 3}
          - conv2d: {filters: 8, kernel_size: 3, padding: 1}
        """, [("LP107", 1, 5), ("LP109", 1, 5), ("LP211", 3, 7)]),
    ("""
        input: [1, 4, 4]
        layers:
          - conv2d: {filters: 4, kernel_size: 5}
          - conv2d: {filters: 6, kernel_size: 3, groups: 4}
          - conv2d: {filters: 4, kernel_size: 3, stride: 2, padding: same}
          - max_pool2d: {kernel_size: 3, padding: 2}
          - conv_transpose2d: {filters: 4, kernel_size: 3, stride: 2, output_padding: 2}
        """, [("LP203", 1, 4), ("LP207", 2, 5), ("LP204", 3, 6), ("LP205", 4, 7), ("LP206", 5, 8)]),
    ("""
        framework: keras
        input: [16, 16, 3]
        layers:
          - dense: {unit: 4}
          - conv2d: {filters: 4, kernel_size: 3, strides: 2, dilation_rate: 2}
          - conv2d_transpose: {filters: 4, kernel_size: 3, strides: 2, output_padding: 2}
          - max_pool2d: {pool_size: 2, padding: 1}
          - conv1d: {filters: 4, kernel_size: 3, padding: causal}
        """, [("LP107", 1, 5), ("LP109", 1, 5), ("LP210", 2, 6), ("LP206", 3, 7), ("LP211", 4, 8)]),
    ("""
        framework: keras
        input: [8, 8, 3]
        layers:
          - flatten: {axis: 1}
          - upsample2d: {scale_factor: 1.5}
          - upsample2d: {size: 2, mode: trilinear}
          - adaptive_avg_pool2d: {output_size: [null, 4]}
        """, [("LP107", 1, 5), ("LP108", 2, 6), ("LP108", 3, 7), ("LP108", 4, 8)]),
    ("""
        input: [1, 8]
        layers:
          - conv1d: {filters: 4, kernel_size: 9}
          - upsample1d: {scale_factor: 2, size: 16}
          - adaptive_max_pool1d: {output_size: null}
          - max_pool1d: {kernel_size: 2, padding: same}
        """, [("LP203", 1, 4), ("LP111", 2, 5), ("LP108", 3, 6), ("LP211", 4, 7)]),
    # the layer's own typo and its padding are reported together
    ("""
        framework: keras
        input: [8, 8, 1]
        layers:
          - conv2d: {filters: 4, kernel_size: 3, padding: 1, strid: 2}
        """, [("LP107", 1, 5), ("LP211", 1, 5)]),
]


@pytest.mark.parametrize("text, expected", INDEPENDENT)
def test_options_are_checked_on_layers_after_an_error(text, expected):
    report = plan(text)
    assert [(d.code, d.layer, d.line) for d in report.diagnostics] == expected


def test_a_shape_free_error_has_the_words_of_the_plan():
    """The rule run without a shape is the plan's own: the same message as on a known input."""
    layer = {"upsample2d": {"scale_factor": 1.5}}
    alone = plan_data({"framework": "keras", "input": [8, 8, 3], "layers": [layer]})
    after = plan_data({"framework": "keras", "input": [8, 8, 3], "layers": [{"conv2d": {"filters": 1}}, layer]})
    assert [d.message for d in after.diagnostics if d.layer == 2] == [d.message for d in alone.diagnostics]
    assert "fractional scales" in alone.diagnostics[0].message


@pytest.mark.parametrize("layer", [
    {"conv2d": {"filters": 4, "kernel_size": 3, "padding": "same"}},
    {"conv2d": {"filters": 8, "kernel_size": 3, "groups": 4}},
    {"conv_transpose2d": {"filters": 4, "kernel_size": 3, "stride": 2, "output_padding": 1}},
    {"max_pool2d": {"kernel_size": 3, "padding": 1}},
    {"depthwise_conv2d": {"kernel_size": 3, "padding": "same"}},
    {"upsample2d": {"scale_factor": 1.5, "mode": "bilinear"}},
    {"adaptive_avg_pool2d": {"output_size": [None, 2]}},
])
def test_no_error_after_an_error_on_a_layer_whose_options_are_fine(layer):
    report = plan_data({"input": [4, 4, 4], "layers": [{"conv2d": {"filters": 4, "kernel_size": 5}}, layer]})
    assert [(d.code, d.layer) for d in report.diagnostics] == [("LP203", 1)]
