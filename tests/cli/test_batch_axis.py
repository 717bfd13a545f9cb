"""The batch axis on `-i`: a leading `None` or `-1` is dropped with an info line, a leading 1 one rank too
many is "drop the batch axis", and a torch model given a channels-last input points to the layout trap."""

import pytest
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.planner.spec import split_batch_axis

TORCH_MODEL = """import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3)

    def forward(self, x):
        return self.conv(x)
"""


def run(args):
    """(status, stdout, stdout and stderr): the table writes its problems to stdout."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("text, sample, batch", [
    ("(None, 28, 28, 1)", "28, 28, 1", "None"), ("[None,28,28,1]", "28,28,1", "None"),
    ("None,28,28,1", "28,28,1", "None"), ("-1x3x32x32", "3x32x32", "-1"), ("(-1, 784)", "784", "-1"),
    ("1x28x28", "1x28x28", None), ("None", "None", None), ("28,None", "28,None", None),
])
def test_split_batch_axis(text, sample, batch):
    assert split_batch_axis(text) == (sample, batch)


@pytest.mark.parametrize("framework, shape, sample", [
    ("keras", "(None, 28, 28, 1)", "28x28x1"), ("keras", "-1,28,28,1", "28x28x1"),
    ("torch", "-1x1x28x28", "1x28x28"), ("torch", "[None, 1, 28, 28]", "1x28x28"),
])
def test_a_leading_none_or_minus_one_is_the_batch(framework, shape, sample):
    status, out, err = run(["plan", "-f", framework, "-i", shape, "conv2d:8,3"])
    assert status == 0
    assert f"input {sample}" in out
    assert f"the leading {shape.strip('([').split(',')[0].split('x')[0]} is the batch axis, dropped" in err


@pytest.mark.parametrize("shape", ["None", "None,None,3", "(None,)", "-1"])
def test_only_a_batch_axis_before_a_sample_is_dropped(shape):
    status, _, err = run(["plan", "-i", shape, "dense:4"])
    assert status == 2 and "is not a shape" in err


@pytest.mark.parametrize("framework, layers, shape, fix", [
    ("torch", ["conv2d:16,3"], "1x3x32x32", "drop the batch axis: -i 3x32x32"),
    ("keras", ["conv2d:16,3"], "1x32x32x3", "drop the batch axis: -i 32x32x3"),
    ("torch", ["conv1d:4,3"], "1x2x100", "drop the batch axis: -i 2x100"),
    ("torch", ["lstm:8"], "1x10x4x2", None),  # rank two higher: not a batch axis
])
def test_a_leading_one_a_rank_too_many_is_the_batch_axis(framework, layers, shape, fix):
    status, _, err = run(["plan", "-f", framework, "-i", shape, *layers])
    assert status == 1
    assert "3d variant" not in err
    if fix:
        assert fix in err
    else:
        assert "drop the batch axis" not in err


def test_a_spec_input_with_a_batch_axis_says_so(tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text("input: [1, 3, 8, 8]\nlayers: [conv2d: {filters: 2, kernel_size: 3}]\n")
    status, _, err = run(["plan", str(spec)])
    assert status == 1 and "drop the batch axis: input: [3, 8, 8]" in err


@pytest.mark.parametrize("shape, says, never", [
    ("1x3x32x32", "drop the batch axis: -i 3x32x32", "make it in_channels=1"),
    ("32x32x3", "the input looks channels-last, not the layer wrong: torch reads a sample as 3x32x32 (see LP313)",
     "make it in_channels=32"),
])
def test_model_files_point_to_the_input_not_the_layer(tmp_path, shape, says, never):
    model = tmp_path / "model.py"
    model.write_text(TORCH_MODEL)
    status, _, err = run(["plan", "-i", shape, str(model)])
    assert status == 1
    assert says in err and never not in err
    assert "LP221" not in err or "LP313" in err
