"""`port` writes specs back as YAML (planner/spec_writer.py): a name with a line break of any kind, a
control or NUL is double-quoted and escaped, so every entry stays on its line and reads back as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from layerplan.planner.spec_text import load_text
from layerplan.planner.spec_writer import spec_yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))
from hostile_names import HOSTILE, POSITIONS, hostile_spec  # noqa: E402

#: a lone surrogate is no text a YAML file can hold: it is written as an escape the reader refuses
WRITABLE = [name for name in HOSTILE if "\ud800" not in name]


@pytest.mark.parametrize("start", range(len(WRITABLE)))
def test_hostile_names_are_written_one_entry_a_line_and_read_back(start):
    names = {p: WRITABLE[(start + k) % len(WRITABLE)] for k, p in enumerate(POSITIONS)}
    data = hostile_spec(names, "torch")
    text = spec_yaml(data)
    assert len(text.split("\n")) == len(text.splitlines()) + 1
    assert len(text.splitlines()) == 4 + 3 + 1 + len(data["layers"])  # keys, the block's 3 lines, layers
    assert load_text(text).data == data
