"""Sections of the docs that are generated from the engine: each sits between two HTML comment markers,
and a test keeps it current (rewriting it when LAYERPLAN_UPDATE_DOCS is set)."""

import os
from pathlib import Path


def check_generated_section(page: Path, start: str, end: str, wanted: str, test_file: str) -> None:
    """Assert that the text between `start` and `end` on `page` is `wanted`; with LAYERPLAN_UPDATE_DOCS=1,
    write it there instead."""
    text = page.read_text(encoding="utf-8")
    assert start in text and end in text, f"{page.name} lacks the markers {start!r} ... {end!r}"
    before, rest = text.split(start, 1)
    current, after = rest.split(end, 1)
    if current != wanted and os.environ.get("LAYERPLAN_UPDATE_DOCS"):
        page.write_text(before + start + wanted + end + after, encoding="utf-8")
        return
    assert current == wanted, (f"the generated section of {page.name} is stale; regenerate it with "
                               f"LAYERPLAN_UPDATE_DOCS=1 pytest {test_file}")
