"""explain on a narrow terminal: a wrapped line continues under a hanging indent, never at column 0
(where `-> 28x28x32, 320` or a sentence's end would read as a heading such as `params`)."""

import io
import json

import pytest
from click.testing import CliRunner
from rich.console import Console

from layerplan.main import cli
from layerplan.render.explain import HANGING, render_explain


def explained(width: int, *arguments) -> list[str]:
    result = CliRunner().invoke(cli, ["explain", *arguments, "--format", "json"], catch_exceptions=False)
    out = io.StringIO()
    render_explain(json.loads(result.stdout), console=Console(file=out, width=width, color_system=None))
    return out.getvalue().splitlines()


ARGUMENTS = [
    ("-f", "keras", "-i", "28x28x1", "conv2d:32,3,p=same", "max_pool2d:2"),
    ("-i", "3x64x64", "conv_transpose2d:16,4,s=2,p=1", "batch_norm2d"),
]


@pytest.mark.parametrize("arguments", ARGUMENTS)
@pytest.mark.parametrize("width", [40, 50, 60])
def test_continuations_hang_under_their_line(arguments, width):
    lines = explained(width, *arguments)
    wide = explained(1000, *arguments)
    assert all(len(line) <= width for line in lines if " " in line.strip())  # a single long word stays whole
    starts = {line for line in wide if line and not line.startswith(" ")}  # what starts at column 0
    for line in lines:
        if line and not line.startswith(" "):
            assert any(start.startswith(line.rstrip()) for start in starts), line
    # the words are the same, only the line breaks differ
    assert " ".join(" ".join(lines).split()) == " ".join(" ".join(wide).split())


def test_a_continuation_is_indented_deeper_than_its_line():
    lines = explained(40, "-f", "keras", "-i", "28x28x1", "conv2d:32,3,p=same")
    summary = next(i for i, line in enumerate(lines) if line.startswith("1  conv2d_1"))
    assert lines[summary + 1].startswith(" " * HANGING) and not lines[summary + 1].startswith(" " * (HANGING + 1))
    assert "  params" in lines
