"""The graph examples plan with the frameworks' own numbers, and a U-Net on 100x100 fails where it should."""

from pathlib import Path

import pytest
import yaml

from layerplan.planner import plan_data, plan_text

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def load(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text())


@pytest.mark.parametrize("name, params, output", [
    ("resnet18.yaml", 11_689_512, (1000,)),
    ("resnet50.yaml", 25_557_032, (1000,)),
    ("unet_original.yaml", None, (2, 388, 388)),
    ("unet_same_256.yaml", None, (256, 256, 1)),
    ("autoencoder_skip.yaml", None, (28, 28, 1)),
    ("two_inputs.yaml", None, (1,)),
])
def test_graph_examples(name, params, output):
    report = plan_text((EXAMPLES / name).read_text(), name)
    assert report.ok and report.output == output
    if params is not None:
        assert report.total_params == params  # torchvision's count, 1000-class head included


def test_unet_on_100_fails_at_the_right_concatenate_with_a_concrete_fix():
    spec = load("unet_same_256.yaml")
    spec["input"] = [100, 100, 3]
    report = plan_data(spec)
    errors = [d for d in report.errors]
    assert len(errors) == 1
    error = errors[0]
    row = report.layers[error.layer - 1]
    assert row.type == "concatenate" and row.inputs == ["up3", "enc3"]
    assert "'up3' 24x24x256" in error.message and "'enc3' 25x25x128" in error.message
    assert "cropping2d: {cropping: [[0, 1], [0, 1]], inputs: enc3}" in error.message
    assert "96 or 112" in error.message


def test_original_unet_without_a_crop_names_the_crop_it_needs():
    spec = load("unet_original.yaml")
    spec["layers"] = [layer for layer in spec["layers"] if not (isinstance(layer, dict) and "cropping2d" in layer
                                                                  and layer["cropping2d"]["name"] == "crop1")]
    for layer in spec["layers"]:
        if isinstance(layer, dict) and "concatenate" in layer and "crop1" in layer["concatenate"]["inputs"]:
            layer["concatenate"]["inputs"] = ["skip1", "up1"]
    report = plan_data(spec)
    assert len(report.errors) == 1 and "[[88, 88], [88, 88]]" in report.errors[0].message
