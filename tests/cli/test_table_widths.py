"""The table on terminals of every width: names, shapes and counts are never cut; whole columns give
way (an empty status column, then k/s/p, the inputs, the input, the type) and names wrap only after
`_`, `.` or `+`. Also: the status column's heading, the fused activation in the
type column, keras padding by name, memory in binary units (exact bytes in csv and JSON)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from layerplan.main import cli
from layerplan.planner import plan_data, plan_text
from layerplan.render.columns import pick_columns
from layerplan.render.escape import terminal
from layerplan.render.graph import fold_rows
from layerplan.render.table import narrowest_table, pieces, render_table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STEM = plan_text((EXAMPLES / "resnet_stem.yaml").read_text(), "examples/resnet_stem.yaml")
NUMBERS = ["3x224x224", "64x112x112", "64x56x56", "9,408", "9,536", "128"]


def table_at(report, width: int, columns=None) -> str:
    out = io.StringIO()
    render_table(report, Console(file=out, width=width, force_terminal=False, color_system=None), columns)
    return out.getvalue()


def heading(text: str) -> list[str]:
    (line,) = [line for line in text.splitlines() if line.startswith("┃")]
    return [cell.strip() for cell in line.strip("┃").split("┃")]


@pytest.mark.parametrize(("width", "headings"), [
    (40, ["#", "name", "output", "params"]),
    (50, ["#", "name", "type", "output", "params"]),
    (60, ["#", "name", "type", "input", "output", "params"]),
    (70, ["#", "name", "type", "k/s/p", "input", "output", "params"]),
    (75, ["#", "!", "name", "type", "k/s/p", "input", "output", "params"]),
    (80, ["#", "!", "name", "type", "k/s/p", "input", "output", "params"]),
    (120, ["#", "!", "name", "type", "k/s/p", "input", "output", "params"]),
])
def test_the_resnet_stem_at_each_width(width, headings):
    text = table_at(STEM, width)
    assert heading(text) == headings
    assert "…" not in text
    table = [line for line in text.splitlines() if line[:1] in "┏┃┡│├└"]
    assert all(len(line) <= width for line in table), "\n".join(table)
    cells = " ".join(text.split())
    for number in (NUMBERS if "input" in headings else [n for n in NUMBERS if n != "3x224x224"]):
        assert number in cells, (number, text)


def test_at_60_names_and_types_wrap_only_after_an_underscore():
    text = table_at(STEM, 60)
    type_lines = [line.split("│")[3].strip() for line in text.splitlines() if line.startswith("│")]
    assert "batch_" in type_lines and "norm2d" in type_lines and "max_" in type_lines


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1] in "┏┃┡│├└"]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("width", [36, 48, 60, 72, 90])
def test_no_name_shape_or_number_is_ever_split(example, width):
    """Every shape and count is on one line, every name piece between `_`, `.`, `+` whole, no line
    wider than the terminal once the table fits, and no `…`."""
    report = plan_text(example.read_text(encoding="utf-8"), f"examples/{example.name}")
    text = table_at(report, width)
    if width < narrowest_table(report):  # nothing is left to give way: rich has to cut
        assert not {"type", "k/s/p", "inputs", "input"} & set(heading(text))
        return
    assert "…" not in text
    words = set(" ".join(line.replace("│", " ").replace("┃", " ") for line in table_lines(text)).split())
    for row in fold_rows(report, False):
        for shape in (row.outputs if row.outputs is not None else [row.output]):
            if shape:
                assert "x".join(map(str, shape)) in " ".join(words).replace(",", " ").split()
        if row.params is not None:
            assert f"{row.params:,}" in words
        for piece in pieces(terminal(row.name)):
            assert any(piece.rstrip(" ,") in word for word in words), (piece, text)
    assert all(len(line) <= width for line in table_lines(text)), text


@pytest.mark.parametrize("spec, dropped_first", [
    ({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}]}, "!"),
    ({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "stride": 2}}]}, "k/s/p"),
])
def test_the_status_column_gives_way_first_only_when_it_is_empty(spec, dropped_first):
    report = plan_data(spec)
    full = heading(table_at(report, 200))
    narrower = next(shown for shown in (heading(table_at(report, width)) for width in range(200, 20, -1))
                    if shown != full)
    assert [h for h in full if h not in narrower] == [dropped_first]


def test_wider_than_the_table_changes_nothing():
    assert table_at(STEM, 120) == table_at(STEM, 200)


def test_chosen_columns_are_kept_and_still_never_cut():
    text = table_at(STEM, 60, pick_columns("name,input,output,params"))
    assert heading(text) == ["name", "input", "output", "params"] and "…" not in text
    assert "3x224x224" in text


def test_on_a_pipe_the_table_keeps_its_natural_width():
    result = CliRunner().invoke(cli, ["plan", str(EXAMPLES / "resnet_stem.yaml")], env={"COLUMNS": "60"})
    assert "input" in heading(result.stdout) and "3x224x224" in result.stdout


KERAS = {"framework": "keras", "input": [28, 28, 1], "batch": 32, "layers": [
    {"Conv2D": {"filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"}},
    {"Conv2D": {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"}},
    {"MaxPooling2D": {"pool_size": 2}},
    {"Conv1D": {"filters": 4, "kernel_size": 3, "padding": "causal"}} ,
]}


def test_keras_padding_by_name_and_the_fused_activation():
    report = plan_data({**KERAS, "layers": KERAS["layers"][:3]})
    rows = [line.split("│")[3:6] for line in table_at(report, 200).splitlines() if line.startswith("│ ")]
    assert [[cell.strip() for cell in row] for row in rows[:3]] == [
        ["conv2d_1", "conv2d+relu", "k3 s1 p1 same"],
        ["conv2d_2", "conv2d", "k3 s2 p0/1 same"],
        ["max_pool2d_1", "max_pool2d", "k2 s2 p0 valid"],
    ]


def test_causal_shows_its_amounts():
    report = plan_data({"framework": "keras", "input": [100, 1],
                        "layers": [{"Conv1D": {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}}]})
    assert "k3 s1 p4/0 causal d2" in table_at(report, 200)


def test_torch_padding_as_written():
    report = plan_data({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}},
                                                          {"conv2d": {"filters": 8, "kernel_size": 3, "padding": "same"}}]})
    text = table_at(report, 200)
    assert "k3 s1 p0 " in text and "k3 s1 p1 same " in text


def test_memory_in_binary_units_in_the_table_and_bytes_elsewhere(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({**KERAS, "layers": KERAS["layers"][:3]}))
    runner = CliRunner()
    table = runner.invoke(cli, ["plan", str(path), "-c", "name,activation_bytes,param_bytes"]).stdout
    assert "│      3.1 MiB │" in table and "1.2 KiB" in table  # 28*28*32 floats of 4 bytes, batch 32
    assert "peak 3.8 MiB" in table  # two layers' outputs at once
    csv = runner.invoke(cli, ["plan", str(path), "-c", "name,activation_bytes", "--format", "csv"]).stdout
    assert csv.splitlines()[1] == "conv2d_1,3211264"
