"""The table folds block uses (unless --unfold) and shows where each layer's input comes from."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def run(*args):
    result = subprocess.run([sys.executable, "-c", "from layerplan.main import main; main()", *args], cwd=ROOT,
                            capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    return result.returncode, result.stdout, result.stderr


def test_blocks_fold_by_default_and_unfold_on_request():
    status, folded, _ = run("plan", "examples/resnet18.yaml")
    assert status == 0
    assert "layer1 (14 layers, 2 copies)" in folded and "layer1.1.conv1" not in folded
    assert "inputs" in folded.splitlines()[2]
    status, unfolded, _ = run("plan", "examples/resnet18.yaml", "--unfold")
    assert status == 0 and "layer1.1.conv1" in unfolded and "layer2.0.downsample.1" in unfolded
    assert "layer2.0.bn2, layer2.0.downsample.1" in unfolded  # the add names both branches
    assert "layer1.0.bn2, maxpool" in unfolded  # no downsample: the add reads the block's input


def test_a_plain_stack_has_no_inputs_column():
    status, out, _ = run("plan", "examples/resnet_stem.yaml")
    assert status == 0 and "inputs" not in out.splitlines()[2]


def test_several_inputs_in_the_title():
    status, out, _ = run("plan", "examples/two_inputs.yaml")
    assert status == 0 and "input image 3x64x64, metadata 10" in out


def test_a_problem_inside_a_block_names_the_use_line(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("input: [4, 8, 8]\nblocks:\n  bad:\n    - conv2d: {filters: 4, kernel_size: 9}\n"
                    "layers:\n  - relu\n  - block: bad\n")
    status, out, err = run("plan", str(spec))
    assert status == 1
    assert "s.yaml:4:" in out + err and "block used at line 7" in out + err


def test_a_folded_block_lists_only_what_it_reads_from_outside(tmp_path):
    """Reads of an output of a layer inside the block (`stage2.1.x:1`) are the block's own business."""
    spec = tmp_path / "stage.yaml"
    spec.write_text("framework: torch\ninput: [16, 8, 8]\nblocks:\n  unit:\n    layers:\n"
                    "      - chunk: {name: x, chunks: 2, dim: 1}\n"
                    "      - conv2d: {inputs: 'x:1', filters: 8, kernel_size: 1, name: b}\n"
                    "      - concatenate: {inputs: ['x:0', b]}\n"
                    "layers:\n  - {block: unit, name: stage2, repeat: 3}\n  - relu\n")
    status, out, _ = run("plan", str(spec))
    row = next(line for line in out.splitlines() if "stage2 (9 layers, 3 copies)" in line)
    assert status == 0 and [cell.strip() for cell in row.split("│")][5] == "input", out
    assert "stage2.1.x" not in out
