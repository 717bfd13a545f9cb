"""The layer table as people read it: what `layerplan plan` prints on a pipe, against golden text.

Every example (default columns; all columns; blocks unfolded), the problem specs (errors, warnings,
wide and odd characters) and several specs in one call are printed through the command, as a pipe
or a file receives them, and compared with tests/golden/tables/NAME.txt byte for byte. rich lays the
table out, so these files are exact for the rich version pinned in the test extra (pyproject.toml).

Update the golden files after an intended change with:
    LAYERPLAN_UPDATE_GOLDEN=1 pytest tests/cli/test_table_output.py
and review the diff.
"""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

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


#: golden name -> (arguments of `layerplan`, standard input or None[, environment])
TABLES = {path.stem: (["plan", _example(path.name)], None) for path in EXAMPLES}
TABLES.update({
    "mnist_autoencoder-all-columns": (["plan", _example("mnist_autoencoder.yaml"), "--columns", "all"], None),
    "resnet18-unfold": (["plan", _example("resnet18.yaml"), "--unfold"], None),
    "resnet_stem-name-output-params": (["plan", _example("resnet_stem.yaml"), "-c", "name,output,params"], None),
    "several-specs": (["plan", _example("resnet_stem.yaml"), "-", _example("two_inputs.yaml"),
                       "--stdin-filename", "broken.yaml"], BROKEN_YAML),
    "layer-arguments": (["plan", "-i", "1x28x28", "conv2d:32,3,p=same", "max_pool2d:2", "flatten", "dense:10"], None),
    "mnist_autoencoder-COLUMNS-60": (["plan", _example("mnist_autoencoder.yaml")], None, {"COLUMNS": "60"}),
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
    arguments, stdin, *environment = TABLES[name]
    _, printed = plan(arguments, stdin, **(environment[0] if environment else {}))
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
    assert "✗ error" in texts["spec-shape-error"] and "! warning" in texts["spec-warning"]
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
    if "✗" in plain:
        assert re.search(r"\x1b\[1;31m✗", coloured)


@pytest.mark.parametrize("environment", [{"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}])
def test_no_color_prints_the_plain_table(environment):
    arguments, stdin = TABLES["spec-shape-error"]
    _, plain = plan(arguments, stdin)
    assert plan(arguments, stdin, **environment)[1] == plain
    assert plan([*arguments, "--color", "never"], stdin, FORCE_COLOR="1")[1] == plain
