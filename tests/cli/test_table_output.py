"""The layer table as people read it: what `layerplan plan` prints on a pipe, against golden text.

Every example (default columns; all columns; blocks unfolded), the problem specs (errors, warnings,
wide and odd characters) and several specs in one call are printed through the command, as a pipe
or a file receives them, and compared with tests/golden/tables/NAME.txt byte for byte. rich lays the
table out, so these files are exact for the rich version pinned in the test extra (pyproject.toml).
The other tests check what holds for any rich: colour only where asked for, and a table on a pipe
that keeps its natural width, so no shape or count is ever cut.

Update the golden files after an intended change with:
    LAYERPLAN_UPDATE_GOLDEN=1 pytest tests/cli/test_table_output.py
and review the diff.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from layerplan.main import cli
from layerplan.render.columns import COLUMNS
from layerplan.render.common import number_text, shape_text
from layerplan.render.console import PIPE_WIDTH, make_console
from layerplan.planner import plan_text

from problem_specs import PROBLEM_SPECS

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "tables"
UPDATE = os.environ.get("LAYERPLAN_UPDATE_GOLDEN") == "1"
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in (".yaml", ".yml", ".json"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: specs whose characters rich treats specially (tabs, newlines, control codes, non-breaking spaces)
ODD_SPECS = {
    "long-title": "name: " + "a very long model name " * 8 + "\ninput: [1, 8, 8]\nlayers:\n  - relu\n",
    "long-message": "input: [1, 8, 8]\nlayers:\n  - relu: {name: " + "n" * 120 + "}\n  - relu: {name: " + "n" * 120
                    + "}\n",
    "tab-in-name": "input: [1, 8, 8]\nlayers:\n  - relu: {name: \"a\\tb\"}\n",
    "newline-in-title": "name: \"two\\nlines\"\ninput: [1, 8, 8]\nlayers:\n  - relu\n",
    "control-in-message": "input: [1, 8, 8]\nlayers:\n  - relu: {name: \"x\\u0007\"}\n  - relu: {name: \"x\\u0007\"}\n",
    "nbsp-in-title": "name: \"a\\u00a0b\"\ninput: [1, 8, 8]\nlayers:\n  - relu\n",
}
SPECS = {**PROBLEM_SPECS, **ODD_SPECS}
BROKEN_YAML = "input: [1, 4, 4\nlayers: []\n"


def _example(name: str) -> str:
    return f"examples/{name}"


#: golden name -> (arguments of `layerplan`, standard input or None)
TABLES = {path.stem: (["plan", _example(path.name)], None) for path in EXAMPLES}
TABLES.update({
    "mnist_autoencoder-all-columns": (["plan", _example("mnist_autoencoder.yaml"), "--columns", "all"], None),
    "resnet18-unfold": (["plan", _example("resnet18.yaml"), "--unfold"], None),
    "resnet_stem-name-output-params": (["plan", _example("resnet_stem.yaml"), "-c", "name,output,params"], None),
    "several-specs": (["plan", _example("resnet_stem.yaml"), "-", _example("two_inputs.yaml"),
                       "--stdin-filename", "broken.yaml"], BROKEN_YAML),
    "layer-arguments": (["plan", "-i", "1x28x28", "conv2d:32,3,p=same", "max_pool2d:2", "flatten", "dense:10"], None),
})
TABLES.update({f"spec-{name}": (["plan", "-", "--stdin-filename", f"{name}.yaml"], text) for name, text in SPECS.items()})


@pytest.fixture(autouse=True)
def _in_the_project(monkeypatch):
    monkeypatch.chdir(ROOT)  # the specs are named as a user in the project names them: examples/...


def plan(arguments, stdin=None, **environment):
    """(status, stdout) of `layerplan ARGUMENTS` with its output going to a pipe, colour and width
    left to the command (NO_COLOR, FORCE_COLOR and COLUMNS unset unless given)."""
    env = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": None, **environment}
    result = CliRunner().invoke(cli, arguments, input=stdin, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("name", TABLES)
def test_table_matches_golden(name):
    arguments, stdin = TABLES[name]
    _, printed = plan(arguments, stdin)
    golden = GOLDEN / f"{name}.txt"
    if UPDATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(printed, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {golden.name}; review and commit it")
    assert printed == golden.read_text(encoding="utf-8"), (
        f"the table of {name} changed; if intended, update with LAYERPLAN_UPDATE_GOLDEN=1 pytest {__file__}")


def test_the_goldens_cover_errors_warnings_graphs_and_folded_blocks():
    texts = {name: (GOLDEN / f"{name}.txt").read_text(encoding="utf-8") for name in TABLES}
    assert ": error LP" in texts["spec-shape-error"] and ": warning LP" in texts["spec-warning"]
    assert "inputs" in texts["unet_original"].splitlines()[2]
    assert "layer1 (14 layers, 2 copies)" in texts["resnet18"] and "layer1.1.conv1" in texts["resnet18-unfold"]
    assert "params: " in texts["mnist_autoencoder"] and "LP401" in texts["mnist_autoencoder"]


@pytest.mark.parametrize("name", ["mnist_autoencoder", "spec-shape-error", "spec-warning", "several-specs"])
def test_colour_only_adds_styles(name):
    """With colour forced on a pipe the same text is printed, with ANSI styles: bold headers, the
    error mark in red."""
    arguments, stdin = TABLES[name]
    _, plain = plan(arguments, stdin)
    _, coloured = plan([*arguments, "--color", "always"], stdin)
    _, forced = plan(arguments, stdin, FORCE_COLOR="1")
    assert ANSI.search(coloured) and ANSI.sub("", coloured) == plain
    assert forced == coloured
    assert "\x1b[1m" in coloured.splitlines()[0]  # the title
    if "✗ error" in plain:  # a problem's mark and severity in bold red, its message plain
        assert "\x1b[1;31m✗ error\x1b[0m " in coloured
    if name == "spec-shape-error":  # the status mark of the layer at fault, and the output it left unknown
        assert "\x1b[1;31m✗\x1b[0m" in coloured and re.search(r"\x1b\[1;31m +\?\x1b\[0m", coloured)


@pytest.mark.parametrize("environment", [{"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}])
def test_no_color_prints_the_plain_table(environment):
    arguments, stdin = TABLES["spec-shape-error"]
    _, plain = plan(arguments, stdin)
    assert plan(arguments, stdin, **environment)[1] == plain
    assert plan([*arguments, "--color", "never"], stdin, FORCE_COLOR="1")[1] == plain


# --- width: a pipe never narrows a table ---------------------------------------------------------

@pytest.mark.parametrize("columns_env", ["60", "20", "1", "abc", "100000000"])
def test_columns_does_not_narrow_a_table_on_a_pipe(columns_env):
    arguments, stdin = TABLES["mnist_autoencoder-all-columns"]
    assert plan(arguments, stdin, COLUMNS=columns_env) == plan(arguments, stdin)


NAME_CHARS = st.one_of(
    st.characters(codec="ascii", min_codepoint=32, max_codepoint=126),
    st.sampled_from("漢字模型卷積🙂👍ｗｉｄｅ한국어✗·"),     # wide, and the table's own marks
    st.sampled_from("\u0301\u0308\u200d\ufe0f"),        # combining, joiner, variation selector
    st.sampled_from("\t\n\x1b\x07\xa0"),                 # what rich expands, splits or strips
)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=14)


@settings(max_examples=40, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=5), title=st.none() | NAMES,
       columns=st.lists(st.sampled_from(list(COLUMNS)), max_size=5),
       columns_env=st.sampled_from([None, "20", "45", "80"]), broken=st.booleans())
def test_shapes_and_counts_are_printed_whole(names, title, columns, columns_env, broken):
    """Any layer names (duplicates give problems quoting them), a model name in the title, a shape
    error, any columns, any COLUMNS: every shape and count of every row is printed whole, and so is
    every printable name."""
    layers = [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1, "name": names[0]}}]
    layers += [{"relu": {"name": name}} for name in names[1:]]
    if broken:
        layers.append({"conv2d": {"filters": 4, "kernel_size": 30}})
    spec = json.dumps({"input": [1, 8, 8], "layers": layers, **({"name": title} if title is not None else {})})
    shown = ",".join(["index", "input", "output", "params", "name", *columns])
    status, printed = plan(["plan", "-", "--stdin-filename", "random.json", "-c", shown], spec, COLUMNS=columns_env)
    report = plan_text(spec, "random.json")
    title_lines = printed.split("┏")[0]
    assert status == (0 if report.ok else 1) and "random.json" in title_lines and "· input 1x8x8" in title_lines
    for row in report.layers:
        line = next(line for line in printed.splitlines() if line.startswith(f"│ {row.index} │"))
        assert f" {shape_text(row.input)} │" in line and f" {shape_text(row.output)} │" in line
        assert f" {number_text(row.params)} │" in line
        if row.name.isprintable():
            assert row.name in printed


# --- the Console on a terminal and on a pipe --------------------------------------------------------

class _Stream(io.StringIO):
    """A StringIO that says whether it is a terminal."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize("color, environment, tty, coloured", [
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True),
])
def test_console_colour_and_width(monkeypatch, color, environment, tty, coloured):
    """Colour on a terminal unless NO_COLOR or --color never; FORCE_COLOR or --color always colour a pipe.
    A terminal wraps at its width; a pipe or a file is never wrapped or cut."""
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    console = make_console(color, _Stream(tty))
    assert (console.color_system is not None) == coloured
    assert console.soft_wrap == (not tty)
    if not tty:
        assert console.width == PIPE_WIDTH
