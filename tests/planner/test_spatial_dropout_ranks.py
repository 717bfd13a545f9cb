"""Spatial dropout on a sample of another rank than its own: what each framework does (measured with
torch 2.13 and keras 3.15). torch's Dropout2d and Dropout3d run on any rank, warning on the ranks torch
warns about; Dropout1d also takes one vector per sample and raises on other ranks; keras' SpatialDropout
layers take only their own rank.

Each row: framework, layer type, sample shape, and the diagnostic the plan gives (None: none at all).
"""

import pytest

from layerplan.planner import plan_data

CASES = [
    ("torch", "dropout2d", [8, 5, 5], None),
    ("torch", "dropout2d", [64], "spatial-dropout-rank"),       # torch: "Received a 2-D input ... deprecated"
    ("torch", "dropout2d", [4, 5], "spatial-dropout-rank"),     # torch: "Received a 3D input ... (N, C, L)"
    ("torch", "dropout2d", [2, 3, 4, 5], "spatial-dropout-rank"),
    ("torch", "dropout3d", [2, 3, 4, 5], None),
    ("torch", "dropout3d", [3, 4, 5], None),                   # read as one unbatched (C, D, H, W), quietly
    ("torch", "dropout3d", [16], "spatial-dropout-rank"),
    ("torch", "dropout1d", [4, 5], None),
    ("torch", "dropout1d", [5], None),                         # read as one unbatched (C, L), quietly
    ("torch", "dropout1d", [3, 4, 5], "wrong-rank"),           # torch: "Expected 2D or 3D input"
    ("keras", "spatial_dropout2d", [5, 5, 8], None),
    ("keras", "spatial_dropout2d", [64], "wrong-rank"),
]


@pytest.mark.parametrize(("framework", "kind", "shape", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{'x'.join(map(str, c[2]))}" for c in CASES])
def test_spatial_dropout_on_each_rank_does_what_the_framework_does(framework, kind, shape, expected):
    report = plan_data({"framework": framework, "input": shape, "layers": [{kind: {"rate": 0.5}}]})
    names = [d.name for d in report.diagnostics]
    assert names == ([] if expected is None else [expected]), [d.message for d in report.diagnostics]
    if expected != "wrong-rank":
        assert report.output == tuple(shape) and report.total_params == 0


def test_the_warning_says_what_torch_does_and_the_fix():
    report = plan_data({"framework": "torch", "input": [64], "layers": [{"dropout2d": {"rate": 0.25}}]})
    (warning,) = report.warnings
    assert warning.code == "LP328" and "rank 1" in warning.message and "nn.Dropout" in warning.message
