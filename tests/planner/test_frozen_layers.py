"""`trainable: false`: a frozen layer's weights count as non-trainable, as torch counts them after
`requires_grad_(False)` and keras after `trainable = False`; the layer's shape and total are unchanged."""

import json

import pytest

from layerplan.planner import plan_data
from layerplan.planner.schema import spec_schema


def _plan(layers, framework="torch", **top):
    return plan_data({"framework": framework, "input": top.pop("input", [8]), "layers": layers, **top})


#: (framework, input, layers, (name, params, non-trainable) of every row, diagnostics by name)
CASES = [
    # the short form and the long form; the next layer stays trainable
    ("torch", [8], [{"dense": {"name": "fc", "units": 4, "trainable": False}}, {"dense": {"units": 2}}],
     [("fc", 36, 36), ("dense_2", 10, 0)], []),
    ("keras", [8], [{"type": "dense", "name": "fc", "units": 4, "trainable": False}],
     [("fc", 36, 36)], []),
    # beside the type, outside the options
    ("torch", [8], [{"dense": {"units": 4}, "trainable": False}], [("dense_1", 36, 36)], []),
    # the same layer on the same input, frozen once (planned once, counted apart)
    ("torch", [8], [{"dense": {"units": 8}}, {"dense": {"units": 8, "trainable": False}}, {"dense": {"units": 8}}],
     [("dense_1", 72, 0), ("dense_2", 72, 72), ("dense_3", 72, 0)], []),
    # trainable: true is the default
    ("torch", [8], [{"dense": {"units": 4, "trainable": True}}], [("dense_1", 36, 0)], []),
    # keras batch normalisation: gamma and beta join the moving statistics (all 4C non-trainable)
    ("keras", [6, 6, 4], [{"batch_norm2d": {"trainable": False}}], [("batch_norm2d_1", 16, 16)], []),
    ("keras", [6, 6, 4], [{"batch_norm2d": {}}], [("batch_norm2d_1", 16, 8)], []),
    # torch batch normalisation: weight and bias (the running statistics are buffers, not params)
    ("torch", [4, 6, 6], [{"batch_norm2d": {"trainable": False}}], [("batch_norm2d_1", 8, 8)], []),
    # an embedding, a recurrent layer, a conv
    ("torch", [5], [{"embedding": {"num_embeddings": 10, "embedding_dim": 3, "trainable": False}},
                    {"lstm": {"hidden_size": 4, "trainable": False}}],
     [("embedding_1", 30, 30), ("lstm_1", 144, 144)], []),
    ("keras", [8, 8, 3], [{"conv2d": {"filters": 2, "kernel_size": 3, "trainable": False}}],
     [("conv2d_1", 56, 56)], []),
    # a layer without weights: nothing is frozen, and it says so
    ("torch", [8], [{"relu": {"trainable": False}}], [("relu_1", 0, 0)], ["frozen-without-weights"]),
    ("keras", [6, 4], [{"layer_norm": {"center": False, "scale": False, "trainable": False}}],
     [("layer_norm_1", 0, 0)], ["frozen-without-weights"]),
    # keras batch normalisation without gamma and beta still holds its (non-trainable) statistics
    ("keras", [6, 6, 4], [{"batch_norm2d": {"center": False, "scale": False, "trainable": False}}],
     [("batch_norm2d_1", 8, 8)], []),
    # a shared layer is frozen where its weights are
    ("torch", [8], [{"dense": {"name": "fc", "units": 8, "trainable": False}}, {"dense": {"shares": "fc"}}],
     [("fc", 72, 72), ("dense_2", 0, 0)], []),
    ("torch", [8], [{"dense": {"name": "fc", "units": 8}}, {"dense": {"shares": "fc", "trainable": False}}],
     [("fc", 72, 0), ("dense_2", 0, 0)], ["shared-weights-mismatch"]),
    # not a boolean
    ("torch", [8], [{"dense": {"units": 4, "trainable": "no"}}], [("dense_1", 36, 0)], ["bad-value"]),
]


@pytest.mark.parametrize("framework, shape, layers, rows, diagnostics", CASES)
def test_frozen_layers(framework, shape, layers, rows, diagnostics):
    report = _plan(layers, framework, input=shape)
    assert [(row.name, row.params, row.non_trainable) for row in report.layers] == rows
    assert [d.name for d in report.diagnostics] == diagnostics
    assert report.non_trainable_params == sum(fixed for _, _, fixed in rows)


def test_totals_and_json_report():
    report = _plan([{"dense": {"name": "fc", "units": 4, "trainable": False}}, {"dense": {"units": 2}}])
    data = json.loads(json.dumps(report.to_dict()))
    assert (data["total_params"], data["trainable_params"], data["non_trainable_params"]) == (46, 10, 36)
    first, second = data["layers"]
    assert (first["trainable_params"], first["non_trainable_params"], first["trainable"]) == (0, 36, False)
    assert "trainable" not in second


def test_diagnostic_points_at_the_key():
    report = _plan([{"relu": {"trainable": False}}])
    assert [d.pointer for d in report.diagnostics] == ["/layers/0/relu/trainable"]


def test_schema_takes_trainable():
    jsonschema = pytest.importorskip("jsonschema")
    schema = spec_schema()
    jsonschema.validate({"input": [8], "layers": [{"dense": {"units": 4, "trainable": False}}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"input": [8], "layers": [{"dense": {"units": 4, "trainable": "no"}}]}, schema)


FROZEN_SPEC = {"input": [3, 8, 8], "layers": [
    {"conv2d": {"name": "stem", "filters": 4, "kernel_size": 3, "trainable": False}}, "relu", "flatten",
    {"dense": {"name": "head", "units": 5}}]}


@pytest.mark.parametrize(("framework", "frozen", "trainable"), [
    ("torch", "self.stem.requires_grad_(False)", "self.head.requires_grad_(False)"),
    ("keras", 'layers.Conv2D(4, 3, name="stem", trainable=False)', 'name="head", trainable=False'),
])
def test_export_writes_the_freeze(framework, frozen, trainable):
    from layerplan.planner.export import export_report, plan_for_export

    text = export_report(plan_for_export(FROZEN_SPEC, framework)).text
    assert frozen in text and trainable not in text


def test_port_keeps_the_freeze():
    from layerplan.planner.port import port_spec

    port = port_spec(FROZEN_SPEC, "keras")
    assert port.data["layers"][0] == {"conv2d": {"name": "stem", "filters": 4, "kernel_size": 3, "trainable": False}}
    report = plan_data(port.data)
    assert (report.layers[0].non_trainable, report.non_trainable_params) == (112, 112)
