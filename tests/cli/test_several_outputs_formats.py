"""`--format shape` / `params` and the totals of a spec with several outputs: each output's shape, in order."""

import pytest
from click.testing import CliRunner

from layerplan.main import cli

GRAPH = """\
input: [4, 8, 8]
layers:
  - {name: a, conv2d: {filters: 2, kernel_size: 3}}
  - {name: b, inputs: [input], max_pool2d: 2}
outputs: [b, a]
"""


def run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("args, shape, params", [
    (["-i", "116x28x28", "chunk:2,dim=1"], "58x28x28, 58x28x28", "0"),
    (["-i", "5x4", "chunk:4,dim=1"], "2x4, 2x4, 1x4", "0"),  # torch.chunk gives three
    (["-i", "6x4", "split:sizes=[1,5],dim=1", "-f", "keras"], "1x4, 5x4", "0"),
    (["-i", "6x4", "split:sizes=[1,5],dim=1", "relu"], None, "0"),  # relu cannot read the split whole
])
def test_a_split_as_the_last_layer(args, shape, params):
    code, out = run(["plan", *args, "--format", "shape"])
    assert out == ("" if shape is None else shape + "\n") and code == (1 if shape is None else 0)
    code, out = run(["plan", *args, "--format", "params"])
    assert out == ("" if params is None else params + "\n")


def test_outputs_naming_several_layers_print_in_their_order(tmp_path):
    spec = tmp_path / "g.yaml"
    spec.write_text(GRAPH)
    assert run(["plan", str(spec), "--format", "shape"]) == (0, "4x4x4, 2x6x6\n")
    assert run(["plan", str(spec), str(spec), "--format", "shape"])[1] == f"{spec}: 4x4x4, 2x6x6\n" * 2
    assert "output 4x4x4, 2x6x6" in run(["plan", str(spec), "--format", "markdown"])[1]
    assert "output 4x4x4, 2x6x6" in run(["plan", str(spec)])[1]
