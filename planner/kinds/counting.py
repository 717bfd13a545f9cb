"""How each kind counts its work: the MACs and other operations hooks the kind definitions name.

The convention (planner/metrics.py states it in full): a MAC is one multiply-accumulate of a weight
with an input value, per sample; bias adds, normalisation, pooling reads and activations are other
operations, counted separately.

>>> from types import SimpleNamespace
>>> row = SimpleNamespace(options={"kernel_size": (3, 3), "filters": 32, "groups": 1}, input=(28, 28, 1),
...                       output=(28, 28, 32))
>>> conv_macs(row, "keras")
225792
"""

from __future__ import annotations

from planner.kinds.base import split
from planner.kinds.spatial import product


def conv_macs(row, framework: str) -> int:
    """Output positions x kernel volume x C_in/groups x filters."""
    options = row.options
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    return product(spatial_out) * product(options["kernel_size"]) * (channels // options["groups"]) * options["filters"]


def conv_transpose_macs(row, framework: str) -> int:
    """*Input* positions x kernel volume x C_in/groups x filters: each input cell stamps the kernel once
    (counting output positions, as some tools do, overcounts by about stride^n)."""
    options = row.options
    channels, spatial_in = split(row.input, framework)
    groups = options.get("groups") or 1
    return product(spatial_in) * product(options["kernel_size"]) * (channels // groups) * options["filters"]


def depthwise_macs(row, framework: str) -> int:
    """Output positions x kernel volume x C x depth_multiplier."""
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    return product(spatial_out) * product(row.options["kernel_size"]) * channels * row.options["depth_multiplier"]


def separable_macs(row, framework: str) -> int:
    """Depthwise, then pointwise: output positions x C*depth_multiplier x filters."""
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    depth = channels * row.options["depth_multiplier"]
    return depthwise_macs(row, framework) + product(spatial_out) * depth * row.options["filters"]


def dense_macs(row, framework: str) -> int:
    """(product of the axes it does not act on) x in_features x units."""
    return product(row.input[:-1]) * row.input[-1] * row.options["units"]


def _output_elements(row) -> int:
    return product(row.output)


def weighted_ops(row, framework: str) -> int:
    """Layers with weights: one op per bias add and per value of a fused activation."""
    options, elements = row.options, _output_elements(row)
    return (elements if options.get("bias") else 0) + (
        elements if options.get("activation") not in (None, "linear", "identity") else 0)


def separable_ops(row, framework: str) -> int:
    """As weighted_ops; the torch equivalent has a second bias, on the depthwise output."""
    ops = weighted_ops(row, framework)
    if row.options.get("bias") and framework == "torch":
        channels, _ = split(row.input, framework)
        _, spatial_out = split(row.output, framework)
        ops += product(spatial_out) * channels * row.options["depth_multiplier"]
    return ops


def activation_ops(row, framework: str) -> int:
    """One op per output value (identity: none)."""
    return 0 if row.type == "identity" else _output_elements(row)


def normalisation_ops(row, framework: str) -> int:
    """Two ops per normalised value: scale and shift."""
    return 2 * _output_elements(row)


def window_pool_ops(row, framework: str) -> int:
    """One op per cell a pooling window reads."""
    return _output_elements(row) * product(row.options["pool_size"])


def whole_input_pool_ops(row, framework: str) -> int:
    """Adaptive and global pooling read every input cell once."""
    return product(row.input)
