"""JSON and JSON Lines: spec-v1 reports, written directly (never through rich)."""

from __future__ import annotations

import json

from planner import Report


def render_json(reports: list[Report], single: bool) -> str:
    """One report as an object when one spec was given, else an array of reports."""
    payload = reports[0].to_dict() if single else [r.to_dict() for r in reports]
    return json.dumps(payload, indent=2) + "\n"


def render_jsonl(reports: list[Report]) -> str:
    return "".join(json.dumps(r.to_dict(), separators=(",", ":")) + "\n" for r in reports)
