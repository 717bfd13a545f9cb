"""Every example plans as its golden report says; a changed report is a reviewed change.

Update the golden files after an intended change with:
    LAYERPLAN_UPDATE_GOLDEN=1 pytest tests/test_examples.py
"""

import json
import os
from pathlib import Path

import pytest

from layerplan.planner import plan_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in (".yaml", ".yml", ".json"))
GOLDEN = ROOT / "tests" / "golden" / "examples"
UPDATE = os.environ.get("LAYERPLAN_UPDATE_GOLDEN") == "1"

# Examples that are meant to fail, and the codes they must report.
EXPECTED_ERRORS = {
    "mnist_autoencoder.yaml": ["LP401"],
    "mnist_autoencoder_torch.yaml": ["LP401"],
}


def report_of(path: Path) -> dict:
    return plan_text(path.read_text(encoding="utf-8"), f"examples/{path.name}").to_dict()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_matches_golden_report(path):
    report = report_of(path)
    golden = GOLDEN / (path.stem + ".json")
    if UPDATE or not golden.exists():
        golden.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {golden.name}; review and commit it")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert report == expected, (f"{path.name} plans differently from {golden.name}; if intended, update with "
                                "LAYERPLAN_UPDATE_GOLDEN=1 pytest tests/test_examples.py")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_errors_are_the_intended_ones(path):
    report = report_of(path)
    errors = [d["code"] for d in report["diagnostics"] if d["severity"] == "error"]
    assert errors == EXPECTED_ERRORS.get(path.name, [])
