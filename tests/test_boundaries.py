"""Architecture checks: the engine stays pure and light."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"import sys; {code}; print(' '.join(sys.modules))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_planner_imports_no_cli_click_or_rich():
    assert not {"click", "rich", "cli"} & _modules_after("import planner")


def test_planning_json_needs_no_yaml():
    code = ("from planner import plan_text; "
            "plan_text('{\"input\": [1, 8, 8], \"layers\": [\"flatten\"]}', 'a.json')")
    assert "yaml" not in _modules_after(code)
