"""The fast table layout (cli/render/table_layout.py) prints exactly what rich's Table prints.

Every test renders one table both ways on the same kind of Console — `LayerTable` itself and
`LayerTable.rich_table()` (rich's `Table` with the same title, columns and cells) — and compares the
output: plain, ANSI in several colour systems, NO_COLOR, terminal and pipe widths. Each also checks
which way the table went, so a comparison never silently ends up comparing rich with rich.
"""

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

from cli.render.columns import COLUMNS, pick_columns
from cli.render.console import make_console
from cli.render.table import layer_table, render_table
from cli.render.table_layout import LayerTable
from planner import plan_text

from problem_specs import PROBLEM_SPECS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in (".yaml", ".yml", ".json"))

#: Consoles as the CLI makes them (pipe, --color always) and as rich makes them by default.
CONSOLES = {
    "pipe": dict(color_system=None, soft_wrap=True, highlight=False, markup=False, emoji=False),
    "terminal-plain": dict(color_system=None, soft_wrap=False),
    "truecolor": dict(force_terminal=True, color_system="truecolor", soft_wrap=False),
    "standard": dict(force_terminal=True, color_system="standard", soft_wrap=True),
    "256-no-color": dict(force_terminal=True, color_system="256", no_color=True, soft_wrap=False),
}


class _Stream(io.StringIO):
    """A StringIO with an encoding (rich draws an ASCII box when the encoding is not UTF-8)."""

    def __init__(self, encoding: str = "utf-8") -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:
        return self._encoding


def _print(renderable, width: int, console_kwargs: dict, encoding: str = "utf-8") -> str:
    stream = _Stream(encoding)
    Console(file=stream, width=width, **console_kwargs).print(renderable)
    return stream.getvalue()


def natural_width(table: LayerTable) -> int:
    """The table's width as laid out on a console wide enough for it."""
    widths = table.content_widths(Console(file=io.StringIO(), width=100_000).options)
    assert widths is not None
    return sum(widths) + 3 * len(widths) + 1


def both(table: LayerTable, width: int, console: str, encoding: str = "utf-8") -> tuple[str, str, bool]:
    """(fast output, rich's output, whether the fast layout was used) on one kind of console."""
    kwargs = CONSOLES[console]
    fast = _print(table, width, kwargs, encoding)
    slow = _print(table.rich_table(), width, kwargs, encoding)
    options = Console(file=_Stream(encoding), width=width, **kwargs).options
    return fast, slow, table.content_widths(options) is not None


def assert_same(table: LayerTable, width: int, console: str, fast_expected: bool, encoding: str = "utf-8") -> None:
    fast, slow, used = both(table, width, console, encoding)
    assert used == fast_expected
    assert fast == slow


# --- every example, its default columns folded and unfolded, and all columns ------------------------

@functools.lru_cache(maxsize=None)
def _report(path: Path):
    return plan_text(path.read_text(encoding="utf-8"), f"examples/{path.name}")


# the default columns, all columns, and unfolded blocks where an example has blocks
EXAMPLE_TABLES = [(path, columns, False) for path in EXAMPLES for columns in (None, "all")]
EXAMPLE_TABLES += [(path, None, True) for path in EXAMPLES if any(row.block_path for row in _report(path).layers)]


@pytest.mark.parametrize("path, columns, unfold", EXAMPLE_TABLES,
                         ids=[f"{p.name}-{c or 'default'}{'-unfold' * u}" for p, c, u in EXAMPLE_TABLES])
def test_examples_print_as_rich_prints_them(path, columns, unfold):
    table = layer_table(_report(path), pick_columns(columns) if columns else None, unfold)
    natural = natural_width(table)
    assert_same(table, 1000, "pipe", True)
    assert_same(table, natural, "truecolor", True)
    # one column less and rich would shrink the table (the smaller tables below compare that output too)
    assert table.content_widths(Console(file=io.StringIO(), width=natural - 1).options) is None


def test_the_examples_include_graphs_errors_and_folded_blocks():
    """The example tests above cover what they claim: an inputs column, a folded block, an error row."""
    tables = {p.name: layer_table(_report(p)) for p in EXAMPLES}
    assert any("inputs" in t.headers for t in tables.values())
    assert any(any(text.endswith("layers)") for text, _ in row) for t in tables.values() for row in t.rows)
    assert any(style for t in tables.values() for row in t.rows for _, style in row)


# --- problems: the status column and a missing output are styled ----------------------------------

SPECS = PROBLEM_SPECS


@pytest.mark.parametrize("spec", SPECS, ids=list(SPECS))
@pytest.mark.parametrize("console", CONSOLES, ids=list(CONSOLES))
def test_reports_with_problems_print_as_rich_prints_them(spec, console):
    table = layer_table(plan_text(SPECS[spec], f"{spec}.yaml"))
    natural = natural_width(table)
    assert_same(table, natural, console, True)
    assert_same(table, natural - 1, console, False)


def test_problem_specs_style_cells():
    """The problem specs above do style cells (the status mark, a missing output)."""
    styles = {style for spec in ("shape-error", "warning") for row in layer_table(plan_text(SPECS[spec])).rows
              for _, style in row}
    assert {"bold red", "yellow"} <= styles


# --- --columns choices ----------------------------------------------------------------------------

CHOICES = ["all", "name,output", "-status,+trainable", "index", "status", "name", "output,params,non_trainable",
           "inputs,name", "+file,+inputs", "params,params"]


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("spec", ["resnet_stem.yaml", "two_inputs.yaml"])
def test_column_choices_print_as_rich_prints_them(choice, spec):
    table = layer_table(_report(ROOT / "examples" / spec), pick_columns(choice))
    natural = natural_width(table)
    for console in ("pipe", "truecolor"):
        assert_same(table, natural, console, True)
    assert_same(table, natural - 1, "standard", False)


# --- when the fast layout hands the table to rich -------------------------------------------------

def _small(name: str = "conv", **changes) -> LayerTable:
    fields = dict(title=Text("t · torch · input 1x8x8", style="bold"), headers=["#", "", "name", "output"],
                  right=[True, False, False, True], footers=["", "", "total", "2x6x6"],
                  rows=[[("1", ""), ("✗", "bold red"), (name, ""), ("?", "bold red")]])
    fields.update(changes)
    return LayerTable(**fields)


FALLBACKS = {
    "newline in a cell": (_small("a\nb"), "utf-8"),
    "tab in a cell": (_small("a\tb"), "utf-8"),
    "escape in a cell": (_small("a\x1b[31mb"), "utf-8"),
    "carriage return": (_small("a\rb"), "utf-8"),
    "non-breaking space": (_small("a\xa0b"), "utf-8"),
    "line separator": (_small("a\u2028b"), "utf-8"),
    "control in a footer": (_small(footers=["", "", "to\ttal", "2x6x6"]), "utf-8"),
    "ASCII console": (_small(), "ascii"),
    "latin-1 console": (_small(), "latin-1"),
    "no columns": (_small(headers=[], right=[], footers=None, rows=[]), "utf-8"),
}


@pytest.mark.parametrize("case", FALLBACKS, ids=list(FALLBACKS))
@pytest.mark.parametrize("console", CONSOLES, ids=list(CONSOLES))
def test_tables_rich_could_print_differently_go_to_rich(case, console):
    table, encoding = FALLBACKS[case]
    assert_same(table, 200, console, False, encoding)


@pytest.mark.parametrize("console", CONSOLES, ids=list(CONSOLES))
def test_legacy_windows_consoles_go_to_rich(console):
    table = _small()
    options = Console(file=io.StringIO(), width=200, legacy_windows=True, **CONSOLES[console]).options
    assert table.content_widths(options) is None
    assert table.content_widths(Console(file=io.StringIO(), width=200, **CONSOLES[console]).options) is not None


@pytest.mark.parametrize("title", ["a title much wider than this small table is, on any console", "",
                                   "  spaced  title  ", "新しいモデル · torch · input 1x8x8 and more words here"])
@pytest.mark.parametrize("console", CONSOLES, ids=list(CONSOLES))
def test_titles_wider_than_the_table_are_wrapped_as_rich_wraps_them(title, console):
    """rich renders the title in both layouts (wrapped on a terminal, whole on a pipe)."""
    table = _small(title=Text(title, style="bold"))
    assert_same(table, natural_width(table), console, True)
    assert_same(table, 1000, console, True)


def test_tables_without_a_footer_or_rows():
    for table in (_small(footers=None), _small(rows=[]), _small(rows=[], footers=None)):
        for console in CONSOLES:
            assert_same(table, natural_width(table), console, True)


# --- properties: random names and cells -----------------------------------------------------------

NAME_CHARS = st.one_of(
    st.characters(codec="ascii", min_codepoint=32, max_codepoint=126),
    st.sampled_from("漢字模型卷積🙂👍ｗｉｄｅ한국어"),          # wide
    st.sampled_from("\u0301\u0308\u20dd\u200d\ufe0f"),   # combining, joiner, variation selector
    st.characters(categories=["L", "M", "N", "P", "S"]),
)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=6, unique=True),
       columns=st.lists(st.sampled_from(list(COLUMNS)), min_size=1, max_size=6),
       console=st.sampled_from(list(CONSOLES)), below=st.booleans())
def test_random_layer_names_and_columns_print_as_rich_prints_them(names, columns, console, below):
    layers = [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1, "name": names[0]}}]
    layers += [{"relu": {"name": name}} for name in names[1:]]
    report = plan_text(json.dumps({"input": [1, 8, 8], "layers": layers}), "random.json")
    table = layer_table(report, pick_columns(",".join(columns)))
    natural = natural_width(table)
    assert_same(table, natural - 1 if below else natural, console, not below)


CELLS = st.text(st.one_of(NAME_CHARS, st.just(" "), st.sampled_from("\t\n\x1b\xa0")), max_size=10)
STYLES = st.sampled_from(["", "", "bold red", "yellow", "cyan", "dim italic", "on blue"])


@st.composite
def tables(draw):
    n = draw(st.integers(1, 6))
    rows = draw(st.lists(st.lists(st.tuples(CELLS, STYLES), min_size=n, max_size=n), max_size=5))
    footers = draw(st.none() | st.lists(CELLS, min_size=n, max_size=n))
    return LayerTable(title=Text(draw(CELLS), style=draw(STYLES)), headers=draw(st.lists(CELLS, min_size=n, max_size=n)),
                      right=draw(st.lists(st.booleans(), min_size=n, max_size=n)), footers=footers, rows=rows)


@settings(max_examples=100, deadline=None)
@given(table=tables(), console=st.sampled_from(list(CONSOLES)), extra=st.integers(-3, 20))
def test_random_cells_print_as_rich_prints_them(table, console, extra):
    """Empty cells, spaces at either end, wide and combining characters, any style, any widths."""
    texts = [*table.headers, *(table.footers or []), *(text for row in table.rows for text, _ in row)]
    printable = "".join(texts).isprintable()  # else rich splits, expands or strips characters: its Table prints
    width = (natural_width(table) if printable else 4 * len(table.headers) + len("".join(texts))) + extra
    assert_same(table, width, console, extra >= 0 and printable)


# --- the CLI path ---------------------------------------------------------------------------------

@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize("columns_env", ["", "60", "500"])
@pytest.mark.parametrize("spec", ["autoencoder_skip.yaml", "mnist_autoencoder.yaml"])
def test_render_table_on_the_cli_console_equals_rich(monkeypatch, color, columns_env, spec):
    """render_table on make_console's Console (what `layerplan plan` prints: the table, the params
    line, the problems) is the same with the fast layout and with rich's Table."""
    monkeypatch.setenv("COLUMNS", columns_env)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    report = _report(ROOT / "examples" / spec)
    fits = natural_width(layer_table(report)) <= int(columns_env or 1000)
    used = []
    content_widths = LayerTable.content_widths

    def spy(self, options):
        widths = content_widths(self, options)
        used.append(widths is not None)
        return widths

    fast, slow = io.StringIO(), io.StringIO()
    monkeypatch.setattr(LayerTable, "content_widths", spy)
    render_table(report, make_console(color, stream=fast))
    monkeypatch.setattr(LayerTable, "content_widths", lambda self, options: None)
    render_table(report, make_console(color, stream=slow))
    assert used == [fits]
    assert fast.getvalue() == slow.getvalue()
    assert ("\x1b[" in fast.getvalue()) == (color == "always")


# --- start-up: the fast layout does not import rich.table -----------------------------------------

@pytest.mark.process
@pytest.mark.parametrize("spec, environment, table_imported, console_imported", [
    ("examples/resnet_stem.yaml", {"FORCE_COLOR": "1"}, False, True),  # YAML: yaml is imported, rich.table is not
    ("ae.json", {"FORCE_COLOR": "1"}, False, True),             # the benchmark's autoencoder, in colour
    ("ae.json", {"COLUMNS": "30"}, True, True),                 # too narrow: rich lays it out
    # without colour on a pipe, no rich at all (cli/render/plain_table.py, tests/cli/test_plain_table.py)
    ("examples/resnet_stem.yaml", {}, False, False),
    ("ae.json", {}, False, False),
])
def test_the_fast_layout_does_not_import_rich_table(tmp_path, spec, environment, table_imported, console_imported):
    if spec == "ae.json":
        layers = [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}}, "relu", {"max_pool2d": {"pool_size": 2}}]
        (tmp_path / spec).write_text(json.dumps({"name": "autoencoder", "input": [1, 28, 28], "layers": layers}))
        spec = str(tmp_path / spec)
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli.main", "plan", spec],
                            capture_output=True, text=True, cwd=ROOT, env={**env, **environment}, timeout=60)
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert result.returncode == 0 and "┏" in result.stdout
    assert ("rich.console" in imported) == console_imported
    assert ("rich.table" in imported) == table_imported
