"""JSON and JSON Lines: spec-v1 reports, written directly (never through rich).

Every value is written by json.dumps: with its default separators (", " and ": ") for `--format json`,
compact (",", ":") for `--format jsonl`, ASCII only in both, and `##[` in a string written `##\\u005b`
(`escape.json_text`: a CI log does not read it as a command).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from layerplan.planner import Report

from layerplan.render.escape import json_text


def render_json(reports: list[Report], single: bool) -> str:
    """One report as an object when one spec was given, else an array of reports.

    Indented for reading, with each layer and each diagnostic on one line of its own: readable and
    greppable.
    """
    return "".join(json_pieces(reports, single))


def json_pieces(reports: list[Report], single: bool) -> Iterator[str]:
    """render_json's text in pieces, to write as they come: a large report is never one string."""
    if single:
        yield from _report_pieces(reports[0], "")
        yield "\n"
        return
    if not reports:
        yield "[]\n"
        return
    yield "["
    for position, report in enumerate(reports):
        yield ",\n  " if position else "\n  "
        yield from _report_pieces(report, "  ")
    yield "\n]\n"


def _report_pieces(report: Report, margin: str) -> Iterator[str]:
    """The report's to_dict() as an object with one field a line, each layer made only when written."""
    metrics = report.metrics()
    fields = report.fields_but_layers(metrics)
    fields["layers"] = report.layer_dicts(metrics)
    yield "{"
    for position, (key, value) in enumerate(fields.items()):
        yield f"{',' if position else ''}\n{margin}  {json_text(json.dumps(key))}: "
        if key in ("layers", "diagnostics"):
            yield from _one_item_a_line(value, margin + "  ")
        else:
            yield json_text(json.dumps(value))
    yield f"\n{margin}}}"


def _one_item_a_line(items: Iterable, margin: str) -> Iterator[str]:
    """A list whose items stand each on one line of its own, one step further in than `margin`."""
    any_item = False
    for item in items:
        yield f"{',' if any_item else '['}\n{margin}  {json_text(json.dumps(item))}"
        any_item = True
    yield f"\n{margin}]" if any_item else "[]"


def render_jsonl(reports: list[Report]) -> str:
    return "".join(json_text(json.dumps(r.to_dict(), separators=(",", ":"))) + "\n" for r in reports)
