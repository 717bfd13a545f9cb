"""`layerplan verify`: exit statuses and the table when the framework agrees, when it differs (an
exported layer broken by hand), when it raises or crashes, and when it is not installed.

verify runs the framework in its own child process (layerplan/verify_child.py), so these tests need
no worker of tests/oracle; they are marked `framework` because they import torch and keras there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan.commands.verify import verify_exported
from layerplan.main import cli
from layerplan.planner.export import export_report, plan_for_export

pytestmark = pytest.mark.framework

ROOT = Path(__file__).resolve().parents[2]
STEM = ROOT / "examples" / "resnet_stem.yaml"


def run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def planned(path: Path, framework: str):
    import yaml

    report = plan_for_export(yaml.safe_load(path.read_text(encoding="utf-8")), framework, str(path))
    return report, export_report(report)


def tampered(exported, old: str, new: str):
    """The export with one argument broken by hand: the plan no longer describes the code."""
    assert exported.text.count(old) == 1
    exported.text = exported.text.replace(old, new)
    return exported


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_an_agreeing_model_exits_0_with_the_table(monkeypatch, framework):
    monkeypatch.chdir(ROOT)
    code, out, err = run(["verify", "examples/resnet_stem.yaml", "-f", framework])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["#", "layer", "type", "plan"]
    shape = "64x112x112" if framework == "torch" else "112x112x64"
    assert lines[1].split() == ["1", "conv1", "conv2d", *shape.split(), *shape.split(), "9,408", "9,408", "agrees"]
    assert len(lines) == 6 and all(line.endswith("agrees") for line in lines[1:5])
    assert lines[5].startswith(framework) and lines[5].endswith("all 4 layers agree with the plan")


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_a_graph_with_a_skip_agrees(monkeypatch, framework):
    monkeypatch.chdir(ROOT)
    code, out, err = run(["verify", "examples/autoencoder_skip.yaml", "-f", framework])
    assert (code, err) == (0, ""), out
    assert out.splitlines()[-1].endswith("all 12 layers agree with the plan")


def test_a_wrong_argument_in_torch_is_a_difference_on_that_layer():
    report, exported = planned(STEM, "torch")
    exported = tampered(exported, "stride=2, padding=3, bias=False", "stride=2, bias=False")
    status, table, line = verify_exported(report, exported)
    assert status == 1
    rows = table.splitlines()
    assert rows[1].startswith("1  conv1") and rows[1].endswith("differs: output 64x109x109 (meta)")
    assert "differs" in rows[4]  # the pool after it sees the smaller input too
    assert line.endswith("4 of 4 layers differ from the plan: 1 (conv1), 2 (bn1), 3 (relu_1), 4 (maxpool)")


def test_a_wrong_parameter_count_in_keras_is_a_difference_on_that_layer():
    report, exported = planned(STEM, "keras")
    exported = tampered(exported, "use_bias=False", "use_bias=True")
    status, table, line = verify_exported(report, exported)
    assert status == 1
    assert table.splitlines()[1].split()[-5:] == ["9,408", "9,472", "differs:", "params", "9,472"]
    assert line.endswith("1 of 4 layers differ from the plan: 1 (conv1)")


def test_a_raise_the_plan_did_not_predict_is_a_finding():
    report, exported = planned(STEM, "torch")
    exported = tampered(exported, "nn.BatchNorm2d(64)", "nn.BatchNorm2d(32)")
    status, table, line = verify_exported(report, exported)
    assert status == 1
    row = table.splitlines()[2]
    assert row.startswith("2  bn1") and "cpu: raised RuntimeError" in row
    assert table.splitlines()[3].endswith("not reached")


def test_a_framework_crash_is_a_finding_not_a_crash_of_layerplan():
    report, exported = planned(STEM, "torch")
    kill = "__import__('os').kill(__import__('os').getpid(), __import__('signal').SIGFPE)"
    exported = tampered(exported, "x = self.bn1(x)", f"x = self.bn1(x); {kill}")
    status, table, line = verify_exported(report, exported)
    assert status == 1
    assert "was killed by SIGFPE" in line and line.endswith("the model does not run here")


def test_an_unreadable_spec_exits_2(tmp_path):
    spec = tmp_path / "broken.yaml"
    spec.write_text("input: [1, 4\n")
    code, out, err = run(["verify", str(spec)])
    assert (code, out) == (2, "") and "LP" in err


def test_a_spec_with_errors_the_framework_is_not_asked_about_exits_1_with_its_diagnostics(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 32, kernel_size: 5, colour: red}\n")
    code, out, err = run(["verify", str(spec)])
    assert (code, out) == (1, "") and "LP107" in err and "not verified" in err


REJECTED = {"torch": "input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 2, kernel_size: 3}\n"
                     "  - {conv2d: {name: too_big, filters: 2, kernel_size: 3}}\n  - relu\n",
            "keras": "framework: keras\ninput: [4, 4, 1]\nlayers:\n  - conv2d: {filters: 2, kernel_size: 3}\n"
                     "  - {conv2d: {name: too_big, filters: 2, kernel_size: 3}}\n  - relu\n"}


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_a_layer_the_plan_and_the_framework_both_reject_is_an_agreement(tmp_path, framework):
    spec = tmp_path / "rejected.yaml"
    spec.write_text(REJECTED[framework])
    code, out, err = run(["verify", str(spec)])
    assert (code, err) == (0, ""), out
    lines = out.splitlines()
    assert len(lines) == 4  # the relu after the rejected layer is kept out
    assert lines[1].endswith("agrees")
    assert lines[2].split()[:4] == ["2", "too_big", "conv2d", "rejected"]
    assert "both reject: plan LP203 kernel-too-large; " in lines[2] and "raised" in lines[2]
    assert lines[3].endswith(f"the plan and {framework} both reject layer 2 (too_big); the layer before it agrees")


def test_a_spec_with_errors_is_not_ported_to_be_verified(tmp_path):
    spec = tmp_path / "rejected.yaml"
    spec.write_text(REJECTED["torch"])
    code, out, err = run(["verify", str(spec), "-f", "keras"])
    assert (code, out) == (1, "") and "a spec with errors is not ported" in err


def _hand_made_rejection(report, index: int, code: str = "kernel-too-large"):
    """The plan's verdict made by hand: no plan is known to reject a layer the framework runs, so the
    logic is tested on a clean plan that is told its layer `index` was rejected."""
    from layerplan.planner.diagnostics import Diagnostic
    from layerplan.planner.export import Rejection

    layers = [row for row in report.layers if row.index <= index]
    report.layers = layers
    return Rejection(report, layers[-1], [Diagnostic.make(code, "made by hand", layer=index)])


def test_a_framework_that_runs_a_layer_the_plan_rejects_is_a_difference():
    report, exported = planned(STEM, "torch")
    rejection = _hand_made_rejection(report, 4)
    status, table, line = verify_exported(report, exported, rejection)
    assert status == 1
    row = table.splitlines()[4]
    assert row.startswith("4  maxpool") and row.endswith("differs: the plan rejects it (LP203 kernel-too-large), "
                                                          "torch runs it")
    assert line.endswith("the plan rejects layer 4 (maxpool), but torch runs it")


def test_a_crash_at_the_rejected_layer_is_a_rejection_too():
    report, exported = planned(STEM, "torch")
    kill = "__import__('os').kill(__import__('os').getpid(), __import__('signal').SIGFPE)"
    exported = tampered(exported, "x = self.maxpool(x)", f"{kill}; x = self.maxpool(x)")
    status, table, line = verify_exported(report, exported, _hand_made_rejection(report, 4))
    assert status == 0
    assert line.endswith("was killed by SIGFPE at layer 4 (maxpool), which the plan rejects too: both reject it")


def test_a_raise_at_a_machine_dependent_layer_is_reported_as_such_not_as_a_difference():
    from layerplan.planner.diagnostics import Diagnostic

    report, exported = planned(STEM, "torch")
    # a layer layerplan warns about (LP311: some TensorFlow CPU kernels reject it), made to raise here
    report.diagnostics.append(Diagnostic.make("unequal-strides", "made by hand", layer=2))
    exported = tampered(exported, "x = self.bn1(x)", "x = self.bn1(x[:, :1])")
    rejection = _hand_made_rejection(report, 4)
    status, table, line = verify_exported(report, exported, rejection)
    rows = table.splitlines()
    assert "depends on the machine (LP311 unequal-strides): cpu: raised RuntimeError" in rows[2]
    assert rows[4].endswith("not reached")
    assert status == 0 and line.endswith("is not reached: a layer before it depends on the machine, not a difference")


def test_verify_never_imports_the_framework_in_layerplan_itself():
    code = ("import sys; from click.testing import CliRunner; from layerplan.main import cli; "
            f"r = CliRunner().invoke(cli, ['verify', {str(STEM)!r}]); "
            "print(r.exit_code, sorted({'torch', 'keras', 'tensorflow'} & set(sys.modules)))")
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert child.stdout.strip() == "0 []"


def test_a_raise_inside_a_block_class_names_the_layer_of_that_use():
    report, exported = planned(ROOT / "examples" / "resnet18.yaml", "torch")
    exported = tampered(exported, "self.bn2 = nn.BatchNorm2d(64)", "self.bn2 = nn.BatchNorm2d(32)")
    status, table, line = verify_exported(report, exported)
    assert status == 1
    rows = {row.split()[1]: row for row in table.splitlines()[1:]}
    assert rows["layer1.0.conv2"].endswith("agrees")
    assert "cpu: raised RuntimeError" in rows["layer1.0.bn2"]
    assert rows["layer1.1.conv1"].endswith("not reached")


def test_the_verify_example_of_the_page_runs_as_written():
    import re

    page = (ROOT / "docs" / "export-and-verify.md").read_text(encoding="utf-8")
    examples = [block for block in re.findall(r"```text\n(.*?)```", page, re.S) if block.startswith("$ layerplan ")]
    assert examples
    for block in examples:
        command, *expected = block.splitlines()
        child = subprocess.run(command[2:].split(), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert child.returncode == 0, child.stderr
        version = re.compile(r"^(torch|keras) \S+ ", re.M)  # the installed version is the reader's own
        assert version.sub(r"\1 VERSION ", child.stdout) == version.sub(r"\1 VERSION ", "\n".join(expected) + "\n")


SIAMESE = {"inputs": {"left": [16], "right": [16]},
           "layers": [{"dense": {"units": 8, "name": "tower", "inputs": "left"}},
                      {"dense": {"name": "tower_2", "shares": "tower", "inputs": "right"}},
                      {"subtract": {"inputs": ["tower", "tower_2"]}}]}


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_a_shared_layer_is_one_module_called_twice_and_its_weights_count_once(framework):
    report = plan_for_export({**SIAMESE, "framework": framework}, framework)
    exported = export_report(report)
    assert exported.text.count("nn.Linear(16, 8)" if framework == "torch" else "layers.Dense(8") == 1
    status, table, line = verify_exported(report, exported)
    assert status == 0, table + line
    assert report.total_params == 136 and table.splitlines()[2].split()[5:7] == ["0", "0"]


def test_a_shared_call_written_as_a_second_module_is_caught_by_the_model_total():
    report = plan_for_export({**SIAMESE, "framework": "torch"}, "torch")
    exported = export_report(report)
    # by hand: the second call gets weights of its own, as an export that ignored `shares` would write
    exported = tampered(exported, "self.tower = nn.Linear(16, 8)",
                        "self.tower = nn.Linear(16, 8); self.tower_copy = nn.Linear(16, 8)")  # lines stay put
    exported = tampered(exported, "x = self.tower(right)", "x = self.tower_copy(right)")
    status, table, line = verify_exported(report, exported)
    assert status == 1 and line.endswith("the model holds 272 parameters, the plan counts 136")


INDEXING_SPECS = [
    ("torch", [8, 12], [{"conv1d": {"filters": 6, "kernel_size": 3, "padding": 2}}, {"slice": {"axis": 2, "stop": -2}},
                        {"select": {"axis": -1, "index": -1}}, {"dense": {"units": 3}}]),
    ("torch", [3, 9, 7], [{"slice": {"axis": -2, "start": -20, "stop": 6, "step": 2}},
                          {"select": {"dim": 1, "index": 2}}, {"slice": {"axis": 2, "start": 1}}]),
    ("keras", [9, 7, 3], [{"slice": {"axis": 1, "step": -2}}, {"select": {"axis": -1, "index": -3}},
                          {"slice": {"axis": -1, "start": 5, "stop": 0, "step": -1}}]),
    ("keras", [10, 16], [{"lstm": {"units": 8, "return_sequences": True}}, {"slice": {"axis": 1, "start": 2}},
                         {"select": {"axis": 1, "index": -1}}, {"dense": {"units": 2}}]),
]


@pytest.mark.parametrize("framework, shape, layers", INDEXING_SPECS, ids=[f"{s[0]}-{i}" for i, s in
                                                                         enumerate(INDEXING_SPECS)])
def test_select_and_slice_exports_agree_with_the_framework(framework, shape, layers):
    report = plan_for_export({"framework": framework, "input": shape, "layers": layers}, framework)
    status, table, line = verify_exported(report, export_report(report))
    assert status == 0, table
    assert line.endswith(f"all {len(layers)} layers agree with the plan")


def test_a_name_keras_refuses_is_made_valid_and_the_export_runs(tmp_path):
    spec = tmp_path / "unet.yaml"
    spec.write_text('name: "U-Net 256 (zhixuhao/unet)"\nframework: keras\ninput: [8, 8, 1]\n'
                    'layers:\n  - conv2d: {name: enc/1, filters: 2, kernel_size: 3}\n')
    code, out, err = run(["verify", str(spec)])
    assert (code, err) == (0, ""), out
VIDEO = ("framework: keras\ninput: [4, 12, 12, 3]\nlayers:\n"
         "  - time_distributed: {layer: {conv2d: {filters: 4, kernel_size: 3, padding: same}}}\n"
         "  - time_distributed: {layer: {max_pool2d: 2}}\n  - time_distributed: {layer: flatten}\n"
         "  - time_distributed: {layer: {time_distributed: {layer: {dense: {units: 3}}}}}\n  - lstm: {units: 5}\n")


def test_layers_on_every_step_agree_with_keras(tmp_path):
    spec = tmp_path / "video.yaml"
    spec.write_text(VIDEO.replace("{time_distributed: {layer: {dense: {units: 3}}}}", "{dense: {units: 3}}"))
    code, out, err = run(["verify", str(spec)])
    assert (code, err) == (0, ""), out
    assert out.splitlines()[1].split()[:4] == ["1", "time_distributed_1", "time_distributed", "4x12x12x4"]
    assert out.splitlines()[-1].endswith("all 5 layers agree with the plan")


def test_a_nested_wrapper_on_a_rank_2_step_is_the_error_keras_raises(tmp_path):
    spec = tmp_path / "video.yaml"
    spec.write_text(VIDEO)
    code, out, err = run(["verify", str(spec)])
    assert (code, err) == (0, ""), out
    assert "both reject: plan LP201 wrong-rank" in out.splitlines()[4]
    assert out.splitlines()[-1].endswith("the plan and keras both reject layer 4 (time_distributed_4); the 3 layers "
                                         "before it agree")


#: keras model code whose layers keras names itself: the reader's names (`dense`, `dense_2`) are written on
#: every layer, so keras does not make a second `dense` beside the given one
TWO_UNNAMED_DENSE = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
                     "model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4), layers.Dense(3)])\n")


def test_a_keras_file_of_unnamed_layers_of_one_kind_verifies(tmp_path):
    path = tmp_path / "two_dense.py"
    path.write_text(TWO_UNNAMED_DENSE)
    code, out, err = run(["verify", str(path)])
    assert (code, err) == (0, ""), out
    assert out.splitlines()[-1].endswith("all 2 layers agree with the plan")
