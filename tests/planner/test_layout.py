"""The layout trap (planner/layout.py, LP313): an input that looks written in the other framework's layout."""

import textwrap

import pytest

from layerplan.planner import plan_data, plan_text
from layerplan.planner.layer_arguments import plan_tokens
from layerplan.planner.layout import FEW_CHANNELS, MIN_SIGNAL, MIN_SPATIAL, looks_misplaced


# shape, framework, warns
BOUNDARIES = [
    # 2-D samples: the cases
    ([3, 224, 224], "torch", False),
    ([224, 224, 3], "torch", True),
    ([28, 28, 1], "keras", False),
    ([1, 28, 28], "keras", True),
    ([224, 224, 3], "keras", False),
    ([3, 224, 224], "keras", True),
    # channels on the wrong end: at most FEW_CHANNELS (4)
    ([128, 128, 4], "torch", True),
    ([128, 128, 5], "torch", False),
    ([4, 128, 128], "keras", True),
    ([5, 128, 128], "keras", False),
    # every other axis at least MIN_SPATIAL (8): small ambiguous samples do not warn
    ([8, 8, 3], "torch", True),
    ([7, 8, 3], "torch", False),
    ([8, 7, 3], "torch", False),
    ([3, 8, 7], "keras", False),
    ([4, 6, 3], "torch", False),
    ([2, 2, 2], "torch", False),
    # 3-D samples
    ([16, 64, 64, 1], "torch", True),
    ([1, 16, 64, 64], "torch", False),
    ([1, 16, 64, 64], "keras", True),
    ([16, 64, 64, 1], "keras", False),
    # 1-D samples: only a long signal with a few channels on the wrong end
    ([16, 8], "torch", False),
    ([16, 8], "keras", False),
    ([8, 16], "torch", False),
    ([100, 3], "torch", False),
    ([3, 100], "keras", False),
    ([1, 300], "keras", False),
    ([2, 100], "torch", False),
    ([100, 2], "keras", False),
    ([1023, 1], "torch", False),
    ([1024, 1], "torch", True),
    ([16000, 1], "torch", True),
    ([2, 4096], "keras", True),
    ([2, 4096], "torch", False),
    ([5, 4096], "keras", False),
    # other ranks never warn
    ([3], "torch", False),
    ([784], "keras", False),
    ([2, 8, 8, 8, 1], "torch", False),
]


@pytest.mark.parametrize("shape, framework, warns", BOUNDARIES)
def test_the_rule_at_its_boundaries(shape, framework, warns):
    assert looks_misplaced(tuple(shape), framework) is warns
    report = plan_data({"framework": framework, "input": shape, "layers": ["identity"]})
    assert [d.code for d in report.diagnostics] == (["LP313"] if warns else [])


def test_the_thresholds_are_the_documented_ones():
    assert (FEW_CHANNELS, MIN_SPATIAL, MIN_SIGNAL) == (4, 8, 1024)


def plan(text, framework=None):
    return plan_text(textwrap.dedent(text).lstrip(), "net.yaml", framework)


# spec, framework override, [(code, layer, line, column, message)]
SPECS = [
    ("""
     input: [128, 128, 3]
     layers:
       - conv2d: {filters: 32, kernel_size: 3}
       - max_pool2d: 2
     """, None, [
        ("LP313", None, 1, 1, "input 128x128x3 looks channels-last: torch reads 128 channels of 128x3; "
                              "use framework: keras or input: [3, 128, 128]"),
        ("LP202", 2, 4, 17, "axis W: pool window 2 does not fit the padded input 1 (output size 0); use a smaller "
                            "pool_size or more padding (the input looks channels-last: see LP313)"),
    ]),
    # the spec's framework, or the one given, decides
    ("""
     framework: keras
     input: [1, 28, 28]
     layers: [flatten]
     """, None, [
        ("LP313", None, 2, 1, "input 1x28x28 looks channels-first: keras reads 28 channels of 1x28; "
                              "use framework: torch or input: [28, 28, 1]"),
    ]),
    ("""
     framework: keras
     input: [1, 28, 28]
     layers: [flatten]
     """, "torch", []),
    # only the first error refers to the warning
    ("""
     input: [64, 64, 3]
     layers:
       - conv2d: {filters: 8, kernel_size: 5}
       - conv2d: {filters: 8, kernel_size: 5}
     """, None, [
        ("LP313", None, 1, 1, "input 64x64x3 looks channels-last: torch reads 64 channels of 64x3; "
                              "use framework: keras or input: [3, 64, 64]"),
        ("LP203", 1, 3, 39, "kernel 5 is larger than the padded input 3 on axis W (input 3 + padding 0+0); use "
                            "a kernel <= 3 or more padding (the input looks channels-last: see LP313)"),
    ]),
    # an error that only the options give is not the layout's: it does not refer to the warning
    ("""
     input: [64, 64, 3]
     layers:
       - conv2d: {filters: 8, kernel_size: 3, stride: 2, padding: same}
       - conv2d: {filters: 8, kernel_size: 5}
     """, None, [
        ("LP313", None, 1, 1, "input 64x64x3 looks channels-last: torch reads 64 channels of 64x3; "
                              "use framework: keras or input: [3, 64, 64]"),
        ("LP204", 1, 3, 62, "torch padding='same' is not supported for strided convolutions (stride 2); use an "
                            "integer padding such as 1"),
    ]),
    # a failed spec expect after the warning refers to it too
    ("""
     input: [32, 32, 3]
     layers:
       - conv2d: {filters: 8, kernel_size: 1}
     expect: {output: [8, 32, 32]}
     """, None, [
        ("LP313", None, 1, 1, "input 32x32x3 looks channels-last: torch reads 32 channels of 32x3; "
                              "use framework: keras or input: [3, 32, 32]"),
        ("LP401", None, 4, 10, "expected the output 8x32x32, planned 8x32x3 (the input looks "
                               "channels-last: see LP313)"),
    ]),
    # named inputs: each one is judged, and named
    ("""
     inputs: {image: [64, 64, 3], mask: [1, 64, 64]}
     layers:
       - conv2d: {inputs: mask, filters: 3, kernel_size: 1}
       - identity: {inputs: image}
     outputs: [conv2d_1, identity_1]
     """, None, [
        ("LP313", None, 1, 10, "input 'image' 64x64x3 looks channels-last: torch reads 64 channels of 64x3; "
                               "use framework: keras or image: [3, 64, 64]"),
    ]),
]


@pytest.mark.parametrize("text, framework, expected", SPECS)
def test_layout_warning_in_specs(text, framework, expected):
    report = plan(text, framework)
    got = [(d.code, d.layer, d.line, d.column, d.message) for d in report.diagnostics]
    assert got == expected


def test_a_warning_alone_keeps_the_spec_ok():
    report = plan_data({"input": [64, 64, 3], "layers": [{"conv2d": {"filters": 8, "kernel_size": 1}}]})
    assert report.ok and [d.severity.value for d in report.diagnostics] == ["warning"]


def test_layer_arguments_spell_the_fixes_as_options():
    report = plan_tokens(["conv2d:32,3", "max_pool2d:2"], "128x128x3")
    assert [(d.code, d.line, d.message) for d in report.diagnostics] == [
        ("LP313", None, "`-i 128x128x3` looks channels-last: torch reads 128 channels of 128x3; "
                        "use -f keras or -i 3x128x128"),
        ("LP202", None, "`max_pool2d:2` at `2`: axis W: pool window 2 does not fit the padded input 1 (output "
                        "size 0); use a smaller pool_size or more padding (the input looks channels-last: see LP313)"),
    ]
    assert [d.code for d in plan_tokens(["conv2d:32,3", "max_pool2d:2"], "128x128x3", "keras").diagnostics] == []
