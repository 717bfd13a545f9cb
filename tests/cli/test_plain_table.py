"""The plain table path (cli/render/plain_table.py) writes exactly what rich writes.

Without colour on a stream that is not a terminal, `print_tables` writes a report's text itself
(without importing rich) unless rich could print it differently. Every test here prints the same
reports both ways on a StringIO — `print_tables` (the one entry point `emit` calls) and, as the
reference, `render_table` on `make_console`'s Console (what `layerplan plan` printed before; in most
tests with the table laid out by rich's own Table rather than the fast layout) — and compares the text
byte for byte. Each also checks which way every report went against an oracle (the table fits the
width as rich's fast layout measures it and every line is printable), so no comparison silently ends
up comparing rich with rich.
"""

import copy
import functools
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from rich.console import Console
from rich.text import Text

import cli.render.table as table_module
from cli.inputs import plan_path
from cli.render.columns import COLUMNS, pick_columns
from cli.render.console import make_console, use_color
from cli.render.plain_table import plain_report, plain_width
from cli.render.table import (diagnostic_pieces, layer_table, params_line, plain_layer_table, print_tables,
                              render_table)
from cli.render.table_layout import LayerTable
from planner import Diagnostic, Severity, plan_text

from problem_specs import PROBLEM_SPECS

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = (".yaml", ".yml", ".json")
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in SUFFIXES)
CASES = sorted(p for p in (ROOT / "tests" / "check" / "cases").glob("*/*") if p.is_file())
CASES += sorted(p for p in (ROOT / "tests" / "cases" / "bad").glob("*") if p.is_file())
WIDTHS = ["", "60", "200", "1000"]  # COLUMNS (unset: 1000)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def _rich(reports, color="auto", columns=None, unfold=False, table=False) -> str:
    """The reference: every readable report printed by rich on the CLI's Console as `layerplan plan`
    printed it before the plain path (the table by the fast layout); with `table`, the table by rich's
    own Table (slower: tests/cli/test_table_layout.py compares the two)."""
    stream = io.StringIO()
    console = make_console(color, stream)
    with pytest.MonkeyPatch.context() as patch:
        if table:
            patch.setattr(LayerTable, "content_widths", lambda self, options: None)
        for report in reports:
            if not report.read_error:
                render_table(report, console, columns, unfold=unfold)
    return stream.getvalue()


def _printed(monkeypatch, reports, color="auto", columns=None, unfold=False) -> tuple[str, list[bool]]:
    """What print_tables writes, and for each readable report whether it went the plain way."""
    stream = io.StringIO()
    by_rich = []
    rich_render = table_module.render_table

    def spy(report, console, *args, **kwargs):
        by_rich.append(report)
        return rich_render(report, console, *args, **kwargs)

    monkeypatch.setattr(table_module, "render_table", spy)
    print_tables(reports, color, columns, unfold, stream=stream)
    monkeypatch.setattr(table_module, "render_table", rich_render)
    return stream.getvalue(), [not any(r is report for r in by_rich) for report in reports if not report.read_error]


def _expected_plain(report, width: int, columns=None, unfold=False) -> bool:
    """The oracle: the fast layout keeps the table (measured as rich's Console measures) and every
    other line (title, params, diagnostics) is printable, so rich prints them as they are."""
    table = layer_table(report, columns, unfold)
    options = Console(file=io.StringIO(), width=width, soft_wrap=True, color_system=None).options
    # the title before rich's Text strips control codes from it
    lines = [plain_layer_table(report, columns, unfold).title, params_line(report) or ""]
    lines += ["".join(text for text, _ in diagnostic_pieces(d, report)) for d in report.diagnostics]
    return table.content_widths(options) is not None and all(line.isprintable() for line in lines)


def assert_same(monkeypatch, reports, columns_env="", columns=None, unfold=False, color="auto",
                rich_table=True) -> list[bool]:
    monkeypatch.setenv("COLUMNS", columns_env)
    width = int(columns_env or 1000)
    printed, plain = _printed(monkeypatch, reports, color, columns, unfold)
    assert printed == _rich(reports, color, columns, unfold, rich_table)
    colored = use_color(color, io.StringIO())
    expected = [_expected_plain(r, width, columns, unfold) and not colored for r in reports if not r.read_error]
    assert plain == expected
    return plain


@functools.lru_cache(maxsize=None)
def _planned(path: Path):
    return plan_path(str(path), str(path.relative_to(ROOT)))


# --- every example and every test spec, default and all columns, unfolded, at several widths --------

# the default columns and all columns; unfolded blocks where a spec has blocks
SPEC_CASES = [(p, columns, False) for p in EXAMPLES + CASES for columns in (None, "all")]
SPEC_CASES += [(p, None, True) for p in EXAMPLES + CASES if any(row.block_path for row in _planned(p).layers)]


@pytest.mark.parametrize("columns_env", ["", "200"])  # 60 (rich for most) and 1000: test_several_reports_...
@pytest.mark.parametrize("path, columns, unfold", SPEC_CASES,
                         ids=[f"{p.parent.name}/{p.name}-{c or 'default'}{'-unfold' * u}" for p, c, u in SPEC_CASES])
def test_every_spec_prints_as_rich_prints_it(monkeypatch, path, columns, unfold, columns_env):
    report = _planned(path)
    assert_same(monkeypatch, [report], columns_env, pick_columns(columns) if columns else None, unfold,
                rich_table=False)


def test_the_specs_go_both_ways(monkeypatch):
    """The corpus above exercises the plain path (errors, warnings, ✗ marks, folded blocks) and the fallback."""
    readable = [_planned(p) for p in EXAMPLES + CASES if not _planned(p).read_error]
    plain_1000 = [_expected_plain(r, 1000) for r in readable]
    plain_60 = [_expected_plain(r, 60) for r in readable]
    assert all(_expected_plain(_planned(p), 1000) for p in EXAMPLES)
    assert sum(plain_1000) >= len(readable) - 3 and not all(plain_60) and any(plain_60)
    plain = [r for r, ok in zip(readable, plain_1000) if ok]
    assert any(r.errors for r in plain) and any(r.warnings for r in plain)
    assert any(any(row.severity is not None for row in r.layers) for r in plain)
    assert any(not r.ok for r in readable) and any(r.read_error for r in map(_planned, CASES))


# --- several reports in one call ------------------------------------------------------------------

@pytest.mark.parametrize("columns_env", WIDTHS)
def test_several_reports_print_in_order(monkeypatch, columns_env):
    reports = [_planned(p) for p in EXAMPLES + CASES]
    plain = assert_same(monkeypatch, reports, columns_env, rich_table=not columns_env)
    if not columns_env:
        assert sum(plain) > len(plain) - 4


def test_a_report_rich_prints_between_plain_ones(monkeypatch):
    odd = plan_text(json.dumps({"name": "tab\there", "input": [1, 8, 8], "layers": ["relu"]}), "odd.json")
    ok = _planned(ROOT / "examples" / "resnet_stem.yaml")
    assert assert_same(monkeypatch, [ok, odd, ok]) == [True, False, True]


# --- problems, --columns choices, colour and the stream -------------------------------------------

SPECS = {
    **PROBLEM_SPECS,
    "long-title": "name: " + "a very long model name " * 8 + "\ninput: [1, 8, 8]\nlayers:\n  - relu\n",
    "long-message": "input: [1, 8, 8]\nlayers:\n  - relu: {name: " + "n" * 120 + "}\n  - relu: {name: " + "n" * 120
                    + "}\n",
    "tab-in-name": "input: [1, 8, 8]\nlayers:\n  - relu: {name: \"a\\tb\"}\n",
    "newline-in-title": "name: \"two\\nlines\"\ninput: [1, 8, 8]\nlayers:\n  - relu\n",
    "control-in-message": "input: [1, 8, 8]\nlayers:\n  - relu: {name: \"x\\u0007\"}\n  - relu: {name: \"x\\u0007\"}\n",
    "nbsp-in-title": "name: \"a\\u00a0b\"\ninput: [1, 8, 8]\nlayers:\n  - relu\n",
}


@pytest.mark.parametrize("columns_env", WIDTHS)
@pytest.mark.parametrize("spec", SPECS, ids=list(SPECS))
def test_problems_wide_names_and_odd_characters(monkeypatch, spec, columns_env):
    assert_same(monkeypatch, [plan_text(SPECS[spec], f"{spec}.yaml")], columns_env)


def test_the_odd_specs_go_the_way_they_should():
    """Long titles and messages stay plain (soft wrap prints them whole); characters rich would
    change send the report to rich."""
    reports = {spec: plan_text(text, f"{spec}.yaml") for spec, text in SPECS.items()}
    for spec in ("long-title", "shape-error", "wide-names", "duplicate-name", "long-message"):
        assert plain_report(reports[spec], 1000) is not None, spec
    assert plain_report(reports["shape-error"], 60) is None  # the table is wider than 60: rich shrinks it
    assert any(len(line) > 60 for line in plain_report(reports["long-title"], 60).splitlines())
    assert any(len(line) > 60 for line in plain_report(reports["long-message"], 1000).splitlines())
    for spec in ("tab-in-name", "newline-in-title", "control-in-message", "nbsp-in-title"):
        assert plain_report(reports[spec], 1000) is None, spec


CHOICES = ["all", "name,output", "-status,+trainable", "index", "status", "name", "output,params,non_trainable",
           "inputs,name", "+file,+inputs", "params,params"]


@pytest.mark.parametrize("columns_env", ["", "60"])
@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("spec", ["resnet_stem.yaml", "two_inputs.yaml", "mnist_autoencoder.yaml"])
def test_column_choices(monkeypatch, choice, spec, columns_env):
    assert_same(monkeypatch, [_planned(ROOT / "examples" / spec)], columns_env, pick_columns(choice))


class _Stream(io.StringIO):
    def __init__(self, encoding="utf-8", tty=False):
        super().__init__()
        self._encoding, self._tty = encoding, tty

    @property
    def encoding(self):
        return self._encoding

    def isatty(self):
        return self._tty


@pytest.mark.parametrize("color, environment, stream, width", [
    ("auto", {}, _Stream(), 1000),
    ("never", {}, _Stream(), 1000),
    ("auto", {"NO_COLOR": "1", "COLUMNS": "77"}, _Stream(), 77),
    ("auto", {"COLUMNS": "abc"}, _Stream(), 1000),
    ("auto", {"FORCE_COLOR": "1"}, _Stream(), None),            # colour: rich
    ("always", {}, _Stream(), None),
    ("never", {}, _Stream(tty=True), None),                      # a terminal: rich (its width, wrapping)
    ("auto", {"NO_COLOR": "1"}, _Stream(tty=True), None),
    ("never", {}, _Stream("latin-1"), None),                     # rich draws an ASCII box
    ("never", {}, _Stream("UTF-16"), 1000),
])
def test_which_streams_get_plain_text(monkeypatch, color, environment, stream, width):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert plain_width(color, stream) == width


@pytest.mark.parametrize("color, environment", [("always", {}), ("auto", {"FORCE_COLOR": "1"}),
                                                ("never", {"NO_COLOR": "1"})])
def test_colour_goes_to_rich_and_prints_the_same(monkeypatch, color, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    reports = [_planned(ROOT / "examples" / "resnet_stem.yaml"), plan_text(SPECS["shape-error"], "e.yaml")]
    plain = assert_same(monkeypatch, reports, color=color)
    assert ("\x1b[" in _rich(reports, color)) == (color != "never")
    assert plain == [color == "never"] * 2


def test_jupyter_goes_to_rich(monkeypatch):
    import builtins

    monkeypatch.setattr(builtins, "get_ipython", lambda: None, raising=False)
    assert plain_width("never", _Stream()) is None


# --- properties: random layer names, model names and widths ---------------------------------------

NAME_CHARS = st.one_of(
    st.characters(codec="ascii", min_codepoint=32, max_codepoint=126),
    st.sampled_from("漢字模型卷積🙂👍ｗｉｄｅ한국어✗·…"),           # wide, and the table's own marks
    st.sampled_from("\u0301\u0308\u20dd\u200d\ufe0f"),       # combining, joiner, variation selector
    st.sampled_from("\t\n\r\x1b\x07\xa0\u2028"),              # what rich expands, splits or strips
    st.characters(categories=["L", "M", "N", "P", "S"]),
)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=6), title=st.none() | NAMES,
       columns=st.lists(st.sampled_from(list(COLUMNS)), max_size=5), width=st.sampled_from([None, 20, 45, 70, 120, 300]),
       broken=st.booleans(), expect=st.booleans())
def test_random_names_print_as_rich_prints_them(names, title, columns, width, broken, expect):
    """Names (duplicates give diagnostics quoting them), a model name in the title, a shape error,
    a failed expectation, any columns with the names shown, any width."""
    layers = [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1, "name": names[0]}}]
    layers += [{"relu": {"name": name}} for name in names[1:]]
    if broken:
        layers.append({"conv2d": {"filters": 4, "kernel_size": 30}})
    if expect:
        layers[0]["conv2d"]["expect"] = [4, 7, 7]
    spec = {"input": [1, 8, 8], "layers": layers, **({"name": title} if title is not None else {})}
    report = plan_text(json.dumps(spec), "random.json")
    picked = pick_columns(",".join(["name", *columns]))
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
        assert_same(monkeypatch, [report], str(width or ""), picked)


MESSAGES = st.text(st.one_of(NAME_CHARS, st.just(" ")), max_size=40)


@settings(max_examples=40, deadline=None)
@given(messages=st.lists(st.tuples(MESSAGES, st.sampled_from(list(Severity)), st.none() | st.integers(1, 9)),
                         max_size=3),
       width=st.sampled_from([None, 30, 80, 300]))
def test_random_diagnostic_messages_print_as_rich_prints_them(messages, width):
    """Messages rich prints as they are (any length: soft wrap) stay plain; tabs, newlines, control
    codes and other characters rich would change send the report to rich."""
    report = copy.copy(_planned(ROOT / "examples" / "resnet_stem.yaml"))
    report.diagnostics = [*report.diagnostics, *(Diagnostic(severity, "LP999", "test", message, layer=layer)
                                                 for message, severity, layer in messages)]
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
        assert_same(monkeypatch, [report], str(width or ""))


CELLS = st.text(st.one_of(st.characters(codec="ascii", min_codepoint=32, max_codepoint=126), st.just(" "),
                          st.sampled_from("漢字🙂ｗ한✗·…\u0301\u20dd\ufe0f"), st.sampled_from("\t\x1b\xa0")), max_size=8)
CELLS = CELLS | CELLS.map(lambda text: text + " ") | CELLS.map(lambda text: " " + text)  # spaces either end
STYLES = st.sampled_from(["", "bold red", "yellow"])


@st.composite
def tables(draw):
    n = draw(st.integers(0, 5))
    cells = st.lists(st.tuples(CELLS, STYLES), min_size=n, max_size=n)
    return LayerTable(title=draw(NAMES | CELLS), headers=draw(st.lists(CELLS, min_size=n, max_size=n)),
                      right=draw(st.lists(st.booleans(), min_size=n, max_size=n)),
                      footers=draw(st.none() | st.lists(CELLS, min_size=n, max_size=n)), rows=draw(st.lists(cells, max_size=4)))


@settings(max_examples=120, deadline=None)
@given(table=tables(), extra=st.integers(-2, 20))
def test_random_tables_as_plain_text_print_as_rich_prints_them(table, extra):
    """LayerTable.plain_text against rich printing the table with a Text title on the pipe Console:
    spaces at either end of a cell (right-justified cells lose trailing ones), empty columns, wide and
    combining characters, titles wider than the table or empty."""
    natural = table.widths(100_000)
    width = max(1, (sum(natural) + 3 * len(natural) + 1 if natural is not None else 30) + extra)
    stream = io.StringIO()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("COLUMNS", str(width))
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
        console = make_console("auto", stream)
    plain = table.plain_text(width)
    console.print(LayerTable(Text(table.title, style="bold"), table.headers, table.right, table.footers,
                             table.rows).rich_table())  # rich's Table itself
    widths = table.content_widths(console.options)
    assert (plain is not None) == (widths is not None and table.title.isprintable())
    if plain is not None:
        assert plain == stream.getvalue()


# --- the process: no rich module on a pipe --------------------------------------------------------

def _imported(tmp_path, arguments, environment):
    layers = [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}}, "relu", {"max_pool2d": {"pool_size": 2}}]
    spec = tmp_path / "ae.json"
    spec.write_text(json.dumps({"name": "autoencoder", "input": [1, 28, 28], "layers": layers}))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"input": [1, 4, 4], "layers": [{"conv2d": {"filters": 2, "kernel_size": 5}}]}))
    arguments = [str(tmp_path / a) if a.endswith(".json") else a for a in arguments]
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli.main", "plan", *arguments],
                            capture_output=True, text=True, cwd=ROOT, env={**env, **environment}, timeout=60)
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "┏" in result.stdout and "cli.render.plain_table" in modules
    return {module for module in modules if module == "rich" or module.startswith("rich.")}, result


@pytest.mark.process
@pytest.mark.parametrize("arguments, environment, expected", [
    (["ae.json"], {}, set()),                                          # a pipe: no rich at all
    (["ae.json", "ae.json"], {"COLUMNS": "200"}, set()),
    (["ae.json", "--color", "never"], {}, set()),
    (["ae.json"], {"NO_COLOR": "1"}, set()),
    (["ae.json", "--columns", "all"], {}, set()),
    (["bad.json"], {}, {"rich", "rich.cells"}),                        # a ✗ mark: only the cell widths
])
def test_a_pipe_imports_no_rich(tmp_path, arguments, environment, expected):
    rich_modules, result = _imported(tmp_path, arguments, environment)
    assert {m for m in rich_modules if not m.startswith("rich._")} == expected


@pytest.mark.process
@pytest.mark.parametrize("arguments, environment", [
    (["ae.json"], {"FORCE_COLOR": "1"}),
    (["ae.json", "--color", "always"], {}),
    (["ae.json"], {"COLUMNS": "30"}),                                  # too narrow: rich's Table
])
def test_colour_or_a_narrow_pipe_imports_rich(tmp_path, arguments, environment):
    rich_modules, result = _imported(tmp_path, arguments, environment)
    assert "rich.console" in rich_modules
    assert ("\x1b[" in result.stdout) == ("COLUMNS" not in environment)
