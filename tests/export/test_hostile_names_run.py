"""Hostile names, run: `verify` builds exports of specs whose every name is hostile in the real
frameworks, they agree with the plan, and nothing a name says is done (no file appears); the exported
file runs as `python model.py`; verify names the cause when exported code does not parse; and the list
of nn.Module attributes export keeps clear of is torch's own.

verify runs the framework in its own child process (layerplan/verify_child.py), so these tests need no
worker of tests/oracle; they are marked `framework` because they import torch and keras there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layerplan.commands.verify import verify_exported
from layerplan.planner import plan_data
from layerplan.planner.code_text import TORCH_MODULE_NAMES
from layerplan.planner.export import export_report

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_names import HOSTILE, POSITIONS, distinct_names, hostile_spec  # noqa: E402

pytestmark = pytest.mark.framework

#: a name that, run as code, would create the file `pwned` in the working directory
PAYLOADS = ['x"""; import os; os.system("touch pwned"); """', "u\n    __import__('os').system('touch pwned')",
            "u\r__import__('os').system('touch pwned')", "u\u2028__import__('os').system('touch pwned')"]


def _samples(count: int) -> list[dict[str, str]]:
    """`count` sets of names: each payload first, then HOSTILE in turn, so every position sees both."""
    # keras takes no `/` in a layer's name, and TensorFlow no lone surrogate (no UTF-8 holds one)
    pool = PAYLOADS + [n for n in HOSTILE if "/" not in n and "\ud800" not in n]
    samples = []
    shift = 0
    while len(samples) < count:
        chosen = [pool[(shift + k * 5) % len(pool)] for k in range(len(POSITIONS))]
        shift += 1
        if distinct_names(chosen):
            samples.append(dict(zip(POSITIONS, chosen)))
    return samples


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("names", _samples(3), ids=lambda names: f"from-{ascii(names['spec'])[:12]}")
def test_verify_runs_hostile_exports_that_agree_and_do_nothing_else(tmp_path, monkeypatch, framework, names):
    monkeypatch.chdir(tmp_path)
    report = plan_data(hostile_spec(names, framework), file=PAYLOADS[0] + ".yaml")
    assert report.ok, [d.message for d in report.diagnostics]
    status, table, line = verify_exported(report, export_report(report))
    assert status == 0, table + line
    assert line.endswith(f"all {len(report.layers)} layers agree with the plan")
    assert not list(tmp_path.iterdir())  # no `pwned`


def test_an_exported_model_with_hostile_input_names_runs_as_a_script(tmp_path):
    names = {position: position for position in POSITIONS} | {"input_a": "left-eye", "input_b": PAYLOADS[1],
                                                              "spec": PAYLOADS[0], "use_3": PAYLOADS[2]}
    report = plan_data(hostile_spec(names, "torch"), file=PAYLOADS[0] + ".yaml")
    script = tmp_path / "model.py"
    script.write_text(export_report(report).text, encoding="utf-8")
    child = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[-1] == "torch.Size([1, 4, 6, 6])"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.py"]


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_verify_names_the_cause_when_the_exported_code_does_not_parse(framework):
    shape = [1, 8, 8] if framework == "torch" else [8, 8, 1]
    report = plan_data({"framework": framework, "input": shape, "layers": ["relu"]})
    exported = export_report(report)
    exported.text = exported.text.replace("def build_model():", "def build_model(:")
    status, _, line = verify_exported(report, exported)
    assert status == 1
    assert "the exported code does not parse (SyntaxError:" in line and "does not run here" not in line


def test_the_nn_module_attributes_export_keeps_clear_of_are_torchs():
    import torch

    names = set(dir(torch.nn.Module)) | set(vars(torch.nn.Module()))
    assert {n for n in names if not (n.startswith("__") and n.endswith("__"))} == TORCH_MODULE_NAMES
