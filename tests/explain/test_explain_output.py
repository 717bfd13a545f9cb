"""explain for people: never wrapped or cut on a pipe, --brief, --color, the MAC-convention footer once,
what 'same' would give next to a 'valid' layer, and a clear message when -i comes without layers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan.main import cli

RESNET18 = str(Path(__file__).resolve().parents[2] / "examples" / "resnet18.yaml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(args, **env):
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None, "NO_COLOR": None, "FORCE_COLOR": None,
                                                "COLUMNS": "80", **env}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_formulas_stay_on_their_line_on_a_pipe():
    code, out, _ = run(["explain", "Conv2D:32,3,p=same", "-i", "28x28x1", "-f", "keras"])
    assert code == 0
    (same,) = [line for line in out.splitlines() if "'same' makes o" in line]
    assert same.strip().endswith("= max(27*1 + 3 - 28, 0) = 2")
    assert any(len(line) > 80 for line in out.splitlines())  # COLUMNS=80 does not wrap a pipe


def test_brief_is_one_line_per_layer_with_the_numbers():
    code, out, _ = run(["explain", "--brief", "conv2d:8,3", "max_pool2d:2", "-i", "1x28x28"])
    lines = out.splitlines()
    assert code == 0
    assert lines[-2:] == [
        "1  conv2d_1: conv2d (torch Conv2d), 1x28x28 -> 8x26x26, 80 params · "
        "H: o = floor((28 + 0 + 0 - (3-1) - 1) / 1) + 1 = 25 + 1 = 26; W: the same",
        "2  max_pool2d_1: max_pool2d (torch MaxPool2d), 8x26x26 -> 8x13x13, 0 params · "
        "H: o = floor((26 + 0 + 0 - (2-1) - 1) / 2) + 1 = 12 + 1 = 13; W: the same",
    ]
    assert "MAC convention" not in out


def test_a_whole_network_in_brief():
    from layerplan.planner import plan_text

    code, out, _ = run(["explain", "--brief", RESNET18])
    layers = [line for line in out.splitlines() if re.match(r"\d+  ", line)]
    planned = plan_text(Path(RESNET18).read_text(), RESNET18).layers
    assert code == 0 and len(layers) == len(planned) and all(" -> " in line for line in layers)


def test_the_convention_footer_is_printed_once():
    _, out, _ = run(["explain", RESNET18])
    assert out.count("MAC convention:") == 1


@pytest.mark.parametrize(("color", "coloured"), [("always", True), ("never", False), ("auto", False)])
def test_color(color, coloured):
    code, out, _ = run(["explain", "conv2d:8,3", "-i", "1x28x28", "--color", color])
    assert code == 0 and bool(ANSI.search(out)) is coloured
    plain = run(["explain", "conv2d:8,3", "-i", "1x28x28"])[1]
    assert ANSI.sub("", out) == plain


@pytest.mark.parametrize("command", [["explain", "conv2d:8,3", "-i", "1x28x28"], ["diff", RESNET18],
                                     ["solve", "conv", "--in", "28", "--out", "14"]])
def test_every_command_that_colours_takes_color(command):
    assert ANSI.search(run([*command, "--color", "always"])[1])
    assert not ANSI.search(run([*command, "--color", "never"])[1])


@pytest.mark.parametrize(("arguments", "said"), [
    (["conv2d:8,3", "-i", "1x28x28"], "padding='same' (or padding=1) keeps 28 instead of 26"),
    (["Conv2D:8,3", "-i", "28x28x1", "-f", "keras"], "padding='same' keeps 28 instead of 26"),
    (["Conv2D:8,3,s=2", "-i", "28x28x1", "-f", "keras"], "padding='same' gives ceil(28 / 2) = 14 instead of 13"),
])
def test_a_valid_conv_says_what_same_gives(arguments, said):
    assert said in run(["explain", *arguments])[1]


def test_a_same_conv_or_a_fitting_pool_says_nothing_more():
    assert "instead of" not in run(["explain", "conv2d:8,3,p=same", "-i", "1x28x28"])[1]
    assert "instead of" not in run(["explain", "MaxPooling2D:2", "-i", "28x28x1", "-f", "keras"])[1]


@pytest.mark.parametrize(("arguments", "message"), [
    (["-i", "128x128x3", "-f", "keras"], "no layers to explain on the input 128x128x3: write them after it"),
    ([], "explain needs a spec file, or layers with -i SHAPE"),
])
def test_no_layers_is_a_clear_usage_error(arguments, message):
    code, out, err = run(["explain", *arguments])
    assert (code, out) == (2, "") and message in err and "Traceback" not in err
