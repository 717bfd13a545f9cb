"""Differential tests of block arguments and of sizes taken from another tensor.

- The examples written with parametrised blocks (ResNet-50, DenseNet-121) and the U-Net that pads to
  its skips plan with the params and output shape of the real torch models (reference_torch.py: the
  models as torchvision and milesial/Pytorch-UNet write them), the U-Net at several input sizes,
  odd ones included; and the same torch file read by the model-code reader (`reference_torch.py::UNet`).
- resize_to, pad_to and crop_to against torch (F.interpolate(size=...), the U-Net F.pad, slicing) and
  keras (Resizing, ZeroPadding/Cropping, the keras U-Net crop) on a table of cases and seeded random
  draws in 1d/2d/3d: the output shape, or that both refuse.

LAYERPLAN_REFERENCE_CASES sets the number of random draws per framework (default 150).
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
import yaml

from layerplan.planner import plan_data
from layerplan.planner.model_code import read_model
from layerplan.planner.spec import with_input

sys.path.insert(0, str(Path(__file__).parent))

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

ROOT = Path(__file__).resolve().parents[2]
N_CASES = int(os.environ.get("LAYERPLAN_REFERENCE_CASES", "150"))


def _example(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("example, model, shape", [
    ("resnet18.yaml", "resnet18", [3, 224, 224]),
    ("resnet18.yaml", "resnet18", [3, 97, 131]),
    ("resnet50.yaml", "resnet50", [3, 224, 224]),
    ("resnet50.yaml", "resnet50", [3, 97, 131]),
    ("densenet121.yaml", "densenet121", [3, 224, 224]),
    ("unet_any_size.yaml", "unet", [3, 64, 64]),
    ("unet_any_size.yaml", "unet", [3, 101, 101]),
    ("unet_any_size.yaml", "unet", [3, 37, 53]),
    ("unet_any_size.yaml", "unet", [3, 16, 31]),
])
def test_examples_plan_as_the_reference_models_run(torch_worker, isolated, example, model, shape):
    data = with_input(_example(example), shape)
    data.pop("expect", None)  # budgets and sizes asserted at the example's own input
    report = plan_data(data)
    assert not [d.message for d in report.diagnostics if d.is_error]
    theirs = isolated(torch_worker, "reference_torch:run_model", model, shape)
    assert (report.total_params, list(report.output)) == (theirs["params"], theirs["output"])


#: the reference models' classes in reference_torch.py, read by the model-code reader as a user types it
READ_FROM_CODE = [
    ("ResNet50", "resnet50", [3, 224, 224]),
    ("ResNet50", "resnet50", [3, 97, 131]),
    ("DenseNet121", "densenet121", [3, 224, 224]),
    ("UNet", "unet", [3, 64, 64]),
    ("UNet", "unet", [3, 37, 53]),
    ("UNet", "unet", [3, 16, 31]),
]


@pytest.mark.parametrize("class_name, model, shape", READ_FROM_CODE)
def test_the_reference_model_files_read_as_they_run(torch_worker, isolated, class_name, model, shape):
    """The same file torch runs, read by `layerplan plan reference_torch.py::CLASS -i SHAPE`."""
    path = Path(__file__).parent / "reference_torch.py"
    document = read_model(path.read_text(encoding="utf-8"), path.name, class_name, input_shape=tuple(shape),
                          path=path)
    report = plan_data(document.data)
    assert not [d.message for d in report.diagnostics if d.is_error]
    theirs = isolated(torch_worker, "reference_torch:run_model", model, shape)
    assert (report.total_params, list(report.output)) == (theirs["params"], theirs["output"])


def test_resnet18_has_torchvisions_names(torch_worker, isolated):
    """Every layer with weights has the name, and the params, of torchvision's module (layer2.0.downsample.0)."""
    report = plan_data(_example("resnet18.yaml"))
    ours = [[row.name, row.params] for row in report.layers if row.params]
    assert ours == isolated(torch_worker, "reference_torch:weighted_modules", "resnet18")


def test_the_documented_counts():
    """The counts torchvision documents for its models (resnet50: 25,557,032; densenet121: 7,978,856)."""
    assert plan_data(_example("resnet50.yaml")).total_params == 25_557_032
    assert plan_data(_example("densenet121.yaml")).total_params == 7_978_856


def _plan_sized_like(framework: str, op: str, x: list[int], reference: list[int], mode: str | None) -> dict:
    options = {"inputs": ["x", "reference"], **({"mode": mode} if mode else {})}
    report = plan_data({"framework": framework, "inputs": {"x": x, "reference": reference},
                        "layers": [{f"{op}{len(x) - 1}d": options}]})
    errors = [d for d in report.diagnostics if d.is_error]
    return {"error": errors[0].message} if errors else {"output": list(report.output)}


def _layout(framework: str, channels: int, spatial: list[int]) -> list[int]:
    return [channels, *spatial] if framework == "torch" else [*spatial, channels]


#: (op, x spatial, reference spatial, mode): the U-Net cases, odd differences both ways, 1d and 3d
TABLE = [
    ("pad_to", [12, 12], [12, 12], None),
    ("pad_to", [24, 24], [25, 25], None),
    ("pad_to", [24, 20], [27, 21], None),
    ("pad_to", [9, 9], [6, 5], None),  # negative differences crop, -3 // 2 = -2 before
    ("pad_to", [7], [10], None),
    ("pad_to", [3, 4, 5], [6, 4, 2], None),
    ("crop_to", [64, 64], [56, 56], None),
    ("crop_to", [25, 25], [24, 24], None),
    ("crop_to", [9, 8], [4, 8], None),
    ("crop_to", [9], [10], None),  # larger reference: refused
    ("crop_to", [5, 6, 7], [2, 6, 4], None),
    ("resize_to", [7, 9], [14, 18], None),
    ("resize_to", [16, 16], [5, 3], "bilinear"),
    ("resize_to", [6, 6], [12, 12], "nearest"),
    ("resize_to", [6, 6], [12, 12], "bicubic"),
    ("resize_to", [5], [11], "linear"),
    ("resize_to", [3, 4, 5], [6, 7, 8], "trilinear"),
    ("resize_to", [6, 6], [12, 12], "linear"),  # torch: linear is 1-D only
]


def _random_cases(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    cases = []
    for _ in range(N_CASES):
        op = rng.choice(["pad_to", "crop_to", "resize_to"])
        dims = rng.choice([1, 2, 3])
        x = [rng.randint(1, 12) for _ in range(dims)]
        reference = [rng.randint(1, 12) for _ in range(dims)]
        mode = rng.choice([None, "nearest", "bilinear", "linear", "bicubic", "trilinear", "area"]) \
            if op == "resize_to" else None
        cases.append((op, x, reference, mode))
    return cases


def _compare(framework: str, worker, isolated, cases) -> list[str]:
    problems = []
    for op, x_spatial, ref_spatial, mode in cases:
        channels = 1 + len(x_spatial)
        x, reference = _layout(framework, channels, x_spatial), _layout(framework, 2, ref_spatial)
        mine = _plan_sized_like(framework, op, x, reference, mode)
        theirs = isolated(worker, f"reference_{framework}:run_sized_like", op, x, reference, mode)
        if ("output" in mine) != ("output" in theirs) or mine.get("output") != theirs.get("output"):
            problems.append(f"{op} {x} to {reference} mode {mode}: layerplan {mine}, {framework} {theirs}")
    return problems


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_sized_like_table(request, isolated, framework):
    worker = request.getfixturevalue(f"{framework}_worker")
    assert not _compare(framework, worker, isolated, TABLE)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_sized_like_random(request, isolated, framework):
    worker = request.getfixturevalue(f"{framework}_worker")
    problems = _compare(framework, worker, isolated, _random_cases(15))
    assert not problems, "\n".join(problems[:10])
