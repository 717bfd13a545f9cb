"""The table of diagnostic codes in docs/diagnostics.md is generated from layerplan.planner.diagnostics.CATALOG and must not
go stale: a code added to the catalog fails this test until the table is regenerated with

    LAYERPLAN_UPDATE_DOCS=1 pytest tests/robustness/test_docs_diagnostics_table.py
"""

from __future__ import annotations

from pathlib import Path

from generated_sections import check_generated_section  # tests/generated_sections.py

PAGE = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"
START = "<!-- errors-table:start (generated from planner/diagnostics.py CATALOG; see tests/robustness/test_docs_diagnostics_table.py) -->"
END = "<!-- errors-table:end -->"


def exit_status_text(info) -> str:
    """The exit status a diagnostic leads to: its family for read errors, else its severity (LP009 is a warning)."""
    from layerplan.planner.diagnostics import FAILS_CHECK

    if info.code.startswith("LP0") and info.severity.value == "error":
        return "2"
    if info.name in FAILS_CHECK:
        return "0 (1 with `--strict`, and in `check`)"
    return {"error": "1", "warning": "0 (1 with `--strict`)", "info": "0"}[info.severity.value]


def errors_table() -> str:
    from layerplan.planner import CATALOG

    lines = ["| code | name | severity | exit | meaning |", "|---|---|---|---|---|"]
    for info in sorted(CATALOG.values(), key=lambda info: info.code):
        summary = info.summary.replace("|", "\\|")
        lines.append(f"| {info.code} | `{info.name}` | {info.severity.value} | {exit_status_text(info)} | {summary} |")
    return "\n".join(lines)


def test_the_table_of_codes_is_generated_from_the_catalog():
    check_generated_section(PAGE, START, END, "\n" + errors_table() + "\n",
                            "tests/robustness/test_docs_diagnostics_table.py")


def test_every_code_has_a_unique_number_and_name():
    from layerplan.planner import CATALOG

    codes = [info.code for info in CATALOG.values()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(name == info.name for name, info in CATALOG.items())
