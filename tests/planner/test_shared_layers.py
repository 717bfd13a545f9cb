"""`shares: NAME`: a second call of an earlier layer holds no weights of its own (both frameworks count
a shared layer's parameters once), takes that layer's options, and must get an input its weights fit."""

import pytest

from layerplan.planner import plan_data
from layerplan.planner.schema import spec_schema


def _plan(layers, framework="torch", **top):
    data = {"framework": framework, "layers": layers, **top}
    data.setdefault("input", [8]) if "inputs" not in data else None
    return plan_data(data)


SIAMESE = {"inputs": {"left": [16], "right": [16]}}

#: (framework, top-level keys, layers, (name, output, params) of every row, diagnostics by name)
CASES = [
    # a siamese tower: the second call has its own input and output, no params
    ("torch", SIAMESE, [{"dense": {"name": "tower", "units": 8, "inputs": "left"}},
                        {"dense": {"name": "tower_2", "shares": "tower", "inputs": "right"}},
                        {"concatenate": {"inputs": ["tower", "tower_2"]}}],
     [("tower", (8,), 136), ("tower_2", (8,), 0), ("concatenate_1", (16,), 0)], []),
    # the long form, options written again (the same ones)
    ("keras", {}, [{"type": "dense", "name": "fc", "units": 8},
                   {"type": "dense", "name": "fc_2", "units": 8, "shares": "fc"}],
     [("fc", (8,), 72), ("fc_2", (8,), 0)], []),
    # a keras Dense called on a sequence and on a vector: one kernel, the last axis fits
    ("keras", {"inputs": {"seq": [5, 8], "vec": [8]}},
     [{"dense": {"name": "proj", "units": 4, "inputs": "seq"}},
      {"dense": {"name": "proj_2", "shares": "proj", "inputs": "vec"}}],
     [("proj", (5, 4), 36), ("proj_2", (4,), 0)], []),
    # a conv shared on inputs of other sizes: the weights depend on the channels only
    ("torch", {"inputs": {"a": [3, 32, 32], "b": [3, 16, 16]}},
     [{"conv2d": {"name": "c", "filters": 4, "kernel_size": 3, "inputs": "a"}},
      {"conv2d": {"name": "c_2", "shares": "c", "inputs": "b"}}],
     [("c", (4, 30, 30), 112), ("c_2", (4, 14, 14), 0)], []),
    # sharing a sharing layer: the weights stay with the first
    ("torch", {}, [{"dense": {"name": "fc", "units": 8}}, {"dense": {"name": "fc_2", "shares": "fc"}},
                   {"dense": {"name": "fc_3", "shares": "fc_2"}}],
     [("fc", (8,), 72), ("fc_2", (8,), 0), ("fc_3", (8,), 0)], []),
    # an input the weights do not fit: torch raises (mat1 and mat2 shapes cannot be multiplied)
    ("torch", {}, [{"dense": {"name": "fc", "units": 4}}, {"dense": {"name": "fc_2", "shares": "fc"}}],
     [("fc", (4,), 36), ("fc_2", (4,), 0)], ["shared-weights-mismatch"]),
    # other options, another type, an unknown name, a bad value
    ("torch", {}, [{"dense": {"name": "fc", "units": 8}}, {"dense": {"name": "fc_2", "units": 4, "shares": "fc"}}],
     [("fc", (8,), 72), ("fc_2", (4,), 0)], ["shared-weights-mismatch"]),
    ("torch", {}, [{"dense": {"name": "fc", "units": 8}}, {"relu": {"shares": "fc"}}],
     [("fc", (8,), 72), ("relu_1", (8,), 0)], ["shared-weights-mismatch"]),
    ("torch", {}, [{"dense": {"name": "fc", "units": 8}}, {"dense": {"shares": "fx"}}],
     [("fc", (8,), 72), ("dense_2", None, None)], ["unknown-name", "missing-option"]),
    ("torch", {}, [{"dense": {"name": "fc", "units": 8, "shares": 3}}],
     [("fc", (8,), 72)], ["bad-value"]),
]


@pytest.mark.parametrize("framework, top, layers, rows, errors", CASES)
def test_shared_layer(framework, top, layers, rows, errors):
    report = _plan(layers, framework, **top)
    assert [(r.name, r.output, r.params) for r in report.layers] == rows
    assert [d.name for d in report.diagnostics if d.severity.value == "error"] == errors


def test_total_counts_shared_weights_once():
    report = _plan(CASES[0][2], **SIAMESE)
    assert report.total_params == 136


def test_schema_knows_shares():
    jsonschema = pytest.importorskip("jsonschema")
    schema = spec_schema()
    good = {"input": [8], "layers": [{"dense": {"name": "fc", "units": 4}}, {"dense": {"shares": "fc"}},
                                     {"type": "dense", "units": 4, "shares": "fc"}]}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"input": [8], "layers": [{"dense": {"units": 4, "shares": 3}}]}, schema)
