"""Builder functions (`def small_resnet(): return ResNet(BasicBlock, [2, 2, 2])`) are models of the file,
the classes they name are parts of them; a model file with no input shape prints its error, not a table."""

import pytest
from click.testing import CliRunner

from layerplan.main import cli

RESNET = """import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, planes):
        super().__init__()
        self.conv = nn.Conv2d(planes, planes, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


class ResNet(nn.Module):
    def __init__(self, block, layers):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3)
        self.layer = nn.Sequential(*[block(16) for _ in range(layers[0])])

    def forward(self, x):
        return self.layer(self.conv1(x))


def small_resnet():
    return ResNet(BasicBlock, [2, 2, 2])
"""
HEAD = """

class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        return self.fc(x)
"""


def run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def model_file(tmp_path):
    def write(text):
        path = tmp_path / "resnet.py"
        path.write_text(text)
        return str(path)
    return write


def test_the_one_builder_is_the_model(model_file):
    status, out, err = run(["plan", model_file(RESNET), "-i", "3x32x32", "--format", "csv", "-c", "name,output"])
    assert (status, err) == (0, "")
    assert out.splitlines()[1:] == ["conv1,16x30x30", "layer.0.conv,16x30x30", "layer.1.conv,16x30x30"]


def test_a_builder_is_listed_with_the_other_models(model_file):
    status, out, err = run(["plan", model_file(RESNET + HEAD), "-i", "3x32x32"])
    assert status == 2
    assert "holds 2 models: Head, small_resnet; pick one" in err  # ResNet and BasicBlock are its parts


def test_no_input_shape_prints_the_error_not_a_table_of_unknowns(model_file):
    status, out, _ = run(["plan", model_file(RESNET)])
    assert status == 1
    (line,) = out.splitlines()
    assert "error LP102 missing-input" in line
