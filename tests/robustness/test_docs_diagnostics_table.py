"""The table of diagnostic codes in docs/diagnostics.md is generated from layerplan.planner.diagnostics.CATALOG and must not
go stale: a code added to the catalog fails this test until the table is regenerated with

    LAYERPLAN_UPDATE_DOCS=1 pytest tests/robustness/test_docs_diagnostics_table.py
"""

from __future__ import annotations

import os
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"
START = "<!-- errors-table:start (generated from planner/diagnostics.py CATALOG; see tests/robustness/test_docs_diagnostics_table.py) -->"
END = "<!-- errors-table:end -->"


def exit_status_text(info) -> str:
    """The exit status a diagnostic leads to: its family for read errors, else its severity."""
    if info.code.startswith("LP0"):
        return "2"
    return {"error": "1", "warning": "0 (1 with `--strict`)", "info": "0"}[info.severity.value]


def errors_table() -> str:
    from layerplan.planner import CATALOG

    lines = ["| code | name | severity | exit | meaning |", "|---|---|---|---|---|"]
    for info in sorted(CATALOG.values(), key=lambda info: info.code):
        summary = info.summary.replace("|", "\\|")
        lines.append(f"| {info.code} | `{info.name}` | {info.severity.value} | {exit_status_text(info)} | {summary} |")
    return "\n".join(lines)


def test_readme_errors_table_is_generated_from_the_catalog():
    text = PAGE.read_text(encoding="utf-8")
    assert START in text and END in text, f"docs/diagnostics.md lacks the markers {START!r} ... {END!r}"
    before, rest = text.split(START, 1)
    current, after = rest.split(END, 1)
    wanted = "\n" + errors_table() + "\n"
    if current != wanted and os.environ.get("LAYERPLAN_UPDATE_DOCS"):
        PAGE.write_text(before + START + wanted + END + after, encoding="utf-8")
        return
    assert current == wanted, ("the table of codes in docs/diagnostics.md differs from CATALOG; regenerate it with "
                               "LAYERPLAN_UPDATE_DOCS=1 pytest tests/robustness/test_docs_diagnostics_table.py")


def test_every_code_has_a_unique_number_and_name():
    from layerplan.planner import CATALOG

    codes = [info.code for info in CATALOG.values()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(name == info.name for name, info in CATALOG.items())
