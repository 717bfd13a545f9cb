"""Differential metrics against torch: MACs = FlopCounterMode's FLOPs / 2 for conv, transposed conv and
linear layers; receptive fields = the cells whose gradient is non-zero for one output cell.

Both run on small random layers and networks; torch is the reference (run in the torch worker,
metrics_torch.py), layerplan's counts come from the report.
"""

from __future__ import annotations

import random

import pytest

from layerplan.planner import plan_data

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

BATCH = 2  # the batch metrics_torch.py runs


def random_layer(rng: random.Random) -> tuple[list[int], dict, int]:
    kind = rng.choice(["conv", "conv_transpose", "dense"])
    if kind == "dense":
        shape = [rng.randint(1, 5), rng.randint(1, 40)] if rng.random() < 0.5 else [rng.randint(1, 60)]
        return shape, {"dense": {"units": rng.randint(1, 30)}}, 0
    dims = rng.choice([1, 2, 3])
    groups = rng.choice([1, 1, 2])
    channels = groups * rng.randint(1, 4)
    size = [rng.randint(6, 14 if dims < 3 else 8) for _ in range(dims)]
    options = {"filters": groups * rng.randint(1, 4), "kernel_size": rng.randint(1, 4), "stride": rng.randint(1, 3),
               "padding": rng.randint(0, 1), "dilation": rng.randint(1, 2), "groups": groups}
    if kind == "conv_transpose" and rng.random() < 0.5:
        options["output_padding"] = rng.randint(0, max(options["stride"], options["dilation"]) - 1)
    return [channels, *size], {f"{kind}{dims}d": options}, dims


@pytest.mark.parametrize("seed", range(60))
def test_macs_are_torch_flops_over_two(torch_worker, isolated, seed):
    rng = random.Random(seed)
    shape, layer, dims = random_layer(rng)
    report = plan_data({"framework": "torch", "input": shape, "layers": [layer]})
    if not report.ok:
        pytest.skip("layerplan rejects this layer (the shape oracle checks that torch does too)")
    flops = isolated(torch_worker, "metrics_torch:flops_of_layer", shape, layer, dims)
    assert report.total_macs * BATCH == flops // 2, (shape, layer)
    assert report.total_flops * BATCH == flops


NETWORKS = [
    [{"conv2d": {"filters": 2, "kernel_size": 3}}, {"conv2d": {"filters": 2, "kernel_size": 3, "dilation": 2}}],
    [{"conv2d": {"filters": 2, "kernel_size": 3, "stride": 2, "padding": 1}}, {"max_pool2d": 2},
     {"conv2d": {"filters": 2, "kernel_size": 3}}],
    [{"conv2d": {"filters": 2, "kernel_size": 5, "padding": 2}}, {"avg_pool2d": {"pool_size": 3, "stride": 2}},
     {"conv2d": {"filters": 2, "kernel_size": 3, "dilation": 3}}],
    [{"zero_padding2d": {"padding": [[2, 0], [0, 1]]}}, {"conv2d": {"filters": 2, "kernel_size": 3, "stride": 2}}],
    [{"conv2d": {"filters": 2, "kernel_size": 3}}, {"upsample2d": {"scale_factor": 2}},
     {"conv2d": {"filters": 2, "kernel_size": 3}}],
    [{"conv_transpose2d": {"filters": 2, "kernel_size": 4, "stride": 2, "padding": 1}},
     {"conv2d": {"filters": 2, "kernel_size": 3}}],
    [{"slice": {"axis": 2, "start": 1, "step": 2}}, {"slice": {"axis": -1, "start": 1, "step": 2}},
     {"conv2d": {"filters": 2, "kernel_size": 3}}],
    [{"conv2d": {"filters": 2, "kernel_size": 3, "padding": 1}}, {"slice": {"axis": 3, "start": 3, "stop": -5}},
     {"slice": {"axis": 2, "start": -27, "stop": 27}}, {"conv2d": {"filters": 2, "kernel_size": 3, "stride": 2}}],
]


@pytest.mark.parametrize("layers", NETWORKS, ids=range(len(NETWORKS)))
def test_receptive_field_matches_gradients(torch_worker, isolated, layers):
    size = 32
    report = plan_data({"framework": "torch", "input": [1, size, size], "layers": layers})
    assert report.ok, report.diagnostics
    field = report.to_dict()["layers"][-1]["receptive_field"]
    channels = [row.input[0] for row in report.layers]
    out_h = report.output[1]
    # every output cell whose whole field lies inside the input: the gradient's support must span the
    # field exactly (max pooling is replaced by its sum-equivalent through positive inputs); with
    # upsampling (a fractional jump) it must span no more than the field
    cells, nominal = [], []
    for axis, f in enumerate(field):
        for j in range(out_h):
            lo = hi = None
            if isinstance(f["jump"], int):  # nominal field of cell j: start + j*jump
                lo = f["start"] + j * f["jump"]
                hi = lo + f["size"] - 1
                if lo < 0 or hi >= size:
                    continue
            cells.append((axis, j, out_h // 2))
            nominal.append((lo, hi, f["size"]))
    spans = isolated(torch_worker, "metrics_torch:gradient_spans", layers, channels, size, cells)
    for (axis, j, _), (lo, hi, width), (low, high) in zip(cells, nominal, spans):
        if lo is None:
            assert high - low + 1 <= width, (axis, j)
        else:
            assert (low, high) == (lo, hi), (axis, j, field)


def test_receptive_field_with_upsampling_is_the_largest_span(torch_worker, isolated):
    layers = NETWORKS[4]
    size = 32
    report = plan_data({"framework": "torch", "input": [1, size, size], "layers": layers})
    field = report.to_dict()["layers"][-1]["receptive_field"][0]
    channels = [row.input[0] for row in report.layers]
    cells = [(0, j, report.output[2] // 2) for j in range(4, report.output[1] - 4)]
    spans = isolated(torch_worker, "metrics_torch:gradient_spans", layers, channels, size, cells)
    assert max(high - low + 1 for low, high in spans) == field["size"]
