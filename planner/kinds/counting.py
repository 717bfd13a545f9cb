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

from .base import split
from .spatial import product

#: gate count per recurrent kind: how many units-wide matrices each step multiplies
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def conv_macs(row, framework: str) -> int:
    """Output positions x kernel volume x C_in/groups x filters."""
    options = row.options
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    return product(spatial_out) * product(options["kernel_size"]) * (channels // options["groups"]) * options["filters"]


def conv_transpose_macs(row, framework: str) -> int:
    """*Input* positions x kernel volume x C_in/groups x filters: each input cell stamps the kernel once
    (counting output positions, as some tools do, overcounts by about stride^n).

    >>> from types import SimpleNamespace
    >>> conv_transpose_macs(SimpleNamespace(options={"kernel_size": (3, 3), "filters": 1, "groups": 1},
    ...                                     input=(8, 7, 7), output=(1, 14, 14)), "torch")
    3528
    """
    options = row.options
    channels, spatial_in = split(row.input, framework)
    groups = options.get("groups") or 1
    return product(spatial_in) * product(options["kernel_size"]) * (channels // groups) * options["filters"]


def depthwise_macs(row, framework: str) -> int:
    """Output positions x kernel volume x C x depth_multiplier.

    >>> from types import SimpleNamespace
    >>> depthwise_macs(SimpleNamespace(options={"kernel_size": (3, 3), "depth_multiplier": 2},
    ...                                input=(3, 8, 8), output=(6, 6, 6)), "torch")
    1944
    """
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    return product(spatial_out) * product(row.options["kernel_size"]) * channels * row.options["depth_multiplier"]


def separable_macs(row, framework: str) -> int:
    """Depthwise, then pointwise: output positions x C*depth_multiplier x filters.

    >>> from types import SimpleNamespace
    >>> separable_macs(SimpleNamespace(options={"kernel_size": (3, 3), "depth_multiplier": 1, "filters": 4},
    ...                                input=(3, 8, 8), output=(4, 6, 6)), "torch")  # 972 + 432
    1404
    """
    channels, _ = split(row.input, framework)
    _, spatial_out = split(row.output, framework)
    depth = channels * row.options["depth_multiplier"]
    return depthwise_macs(row, framework) + product(spatial_out) * depth * row.options["filters"]


def dense_macs(row, framework: str) -> int:
    """(product of the axes it does not act on) x in_features x units.

    >>> from types import SimpleNamespace
    >>> dense_macs(SimpleNamespace(options={"units": 5}, input=(10, 20), output=(10, 5)), "keras")
    1000
    """
    return product(row.input[:-1]) * row.input[-1] * row.options["units"]


def _output_elements(row) -> int:
    return product(row.output)


def weighted_ops(row, framework: str) -> int:
    """Layers with weights: one op per bias add and per value of a fused activation.

    >>> from types import SimpleNamespace
    >>> weighted_ops(SimpleNamespace(options={"bias": True, "activation": "relu"}, output=(28, 28, 32)), "keras")
    50176
    """
    options, elements = row.options, _output_elements(row)
    return (elements if options.get("bias") else 0) + (
        elements if options.get("activation") not in (None, "linear", "identity") else 0)


def separable_ops(row, framework: str) -> int:
    """As weighted_ops; the torch equivalent has a second bias, on the depthwise output.

    >>> from types import SimpleNamespace
    >>> row = SimpleNamespace(options={"bias": True, "depth_multiplier": 1}, input=(3, 8, 8), output=(4, 6, 6))
    >>> separable_ops(row, "keras"), separable_ops(row, "torch")
    (144, 252)
    """
    ops = weighted_ops(row, framework)
    if row.options.get("bias") and framework == "torch":
        channels, _ = split(row.input, framework)
        _, spatial_out = split(row.output, framework)
        ops += product(spatial_out) * channels * row.options["depth_multiplier"]
    return ops


def activation_ops(row, framework: str) -> int:
    """One op per output value (identity: none).

    >>> from types import SimpleNamespace
    >>> activation_ops(SimpleNamespace(type="relu", output=(8, 4)), "torch")
    32
    """
    return 0 if row.type == "identity" else _output_elements(row)


def normalisation_ops(row, framework: str) -> int:
    """Two ops per normalised value: scale and shift.

    >>> from types import SimpleNamespace
    >>> normalisation_ops(SimpleNamespace(output=(8, 4, 4)), "torch")
    256
    """
    return 2 * _output_elements(row)


def window_pool_ops(row, framework: str) -> int:
    """One op per cell a pooling window reads.

    >>> from types import SimpleNamespace
    >>> window_pool_ops(SimpleNamespace(options={"pool_size": (2, 2)}, output=(14, 14, 32)), "keras")
    25088
    """
    return _output_elements(row) * product(row.options["pool_size"])


def whole_input_pool_ops(row, framework: str) -> int:
    """Adaptive and global pooling read every input cell once.

    >>> from types import SimpleNamespace
    >>> whole_input_pool_ops(SimpleNamespace(input=(7, 7, 512)), "keras")
    25088
    """
    return product(row.input)


def learned_tensor_ops(row, framework: str) -> int:
    """One op per output value when a learned tensor is added or multiplied; none for a concatenation.

    >>> from types import SimpleNamespace
    >>> learned_tensor_ops(SimpleNamespace(options={"merge": "add"}, output=(197, 768)), "torch")
    151296
    """
    return 0 if row.options.get("merge") == "concatenate" else _output_elements(row)
