"""One notation for kernel / stride / padding in every format that shows it (table, markdown, csv, tsv,
HTML), and the HTML table's type keeps the activation a layer fuses, as the terminal table does."""

import csv
import io

import pytest
from click.testing import CliRunner

from layerplan.main import cli

CASES = [
    ("keras", "28,28,1", ["conv2d:32,3,p=same,activation=relu"], "k3 s1 p1 same", "conv2d+relu"),
    ("keras", "28,28,1", ["max_pool2d:2"], "k2 s2 p0 valid", "max_pool2d"),
    ("keras", "14,14,8", ["conv2d:8,3,2,same"], "k3 s2 p0/1 same", "conv2d"),
    ("torch", "1x28x28", ["conv2d:8,3,p=same"], "k3 s1 p1 same", "conv2d"),
    ("torch", "1x28x28", ["conv2d:8,3,p=1,d=2"], "k3 s1 p1 d2", "conv2d"),
    ("torch", "1x28x28", ["max_pool2d:2"], "k2 s2 p0", "max_pool2d"),
    ("keras", "100,2", ["conv1d:4,3,padding=causal"], "k3 s1 p2/0 causal", "conv1d"),
]


def run(*args):
    result = CliRunner().invoke(cli, ["plan", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("framework, shape, layers, geometry, type_", CASES)
def test_one_notation_in_every_format(framework, shape, layers, geometry, type_):
    common = ["-f", framework, "-i", shape, *layers]
    for format_, delimiter in (("tsv", "\t"), ("csv", ",")):
        rows = list(csv.DictReader(io.StringIO(run(*common, "--format", format_)), delimiter=delimiter))
        assert rows[0]["geometry"] == geometry
    assert f"| {geometry} |" in run(*common, "--format", "markdown")
    assert f"│ {geometry} " in run(*common, "-c", "name,geometry")
    html = run(*common, "--format", "html")
    assert f"<td>{geometry}</td>" in html and f"<td>{type_}</td>" in html
