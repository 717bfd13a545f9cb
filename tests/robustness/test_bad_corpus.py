"""The bad-spec corpus (tests/cases/bad/): each file gives the exit status and the error codes listed
beside it in expected.tsv, read from a file and from standard input alike, with a message on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuzzing import assert_well_behaved, invoke

CORPUS = Path(__file__).resolve().parents[1] / "cases" / "bad"
TABLE = CORPUS / "expected.tsv"


def expected_rows() -> dict[str, tuple[int, list[str]]]:
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, status, codes = (line.split("\t") + [""])[:3]
        assert name not in rows, f"{name} is listed twice in {TABLE.name}"
        rows[name] = (int(status), [c for c in codes.split(",") if c])
    return rows


ROWS = expected_rows()


def test_every_file_is_listed_and_every_row_has_a_file():
    files = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name != TABLE.name}
    assert files == set(ROWS), (f"not in {TABLE.name}: {sorted(files - set(ROWS))}; "
                                f"listed without a file: {sorted(set(ROWS) - files)}")


def test_every_code_is_known_and_the_status_matches_its_family():
    from layerplan.planner import CATALOG

    known = {info.code for info in CATALOG.values()}
    for name, (status, codes) in ROWS.items():
        assert codes and set(codes) <= known, name
        assert status == (2 if any(code.startswith("LP0") for code in codes) else 1), name


@pytest.mark.parametrize("name", sorted(ROWS))
@pytest.mark.parametrize("channel", ["file", "stdin"])
def test_bad_spec(name, channel):
    status, codes = ROWS[name]
    path = CORPUS / name
    if channel == "file":
        code, out, err = invoke(["plan", str(path), "--format", "json"])
        shown = str(path)
    else:
        code, out, err = invoke(["plan", "-", "--stdin-filename", name, "--format", "json"], stdin=path.read_bytes())
        shown = name
    assert_well_behaved(code, out, err, context=name)
    report = json.loads(out)
    assert code == status, err
    assert [d["code"] for d in report["diagnostics"] if d["severity"] == "error"] == codes
    assert report["file"] == shown and report["ok"] is False
    if status == 2:
        assert err.startswith(f"layerplan: {shown}") and codes[0] in err
    else:
        assert err.strip() == f"layerplan: {shown}: {len(codes)} error{'s' if len(codes) > 1 else ''}"
