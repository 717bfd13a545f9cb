"""How a layer is ported to the other framework, and how the two frameworks' plans of it differ: the
`port` and `differences` hooks the kind definitions name (planner/port.py runs them for `diff`).

A `port` hook takes the planned row, the source and the target framework, and returns the option
changes and a note saying what was ported, or ({}, None) when the options are kept as written.
A `differences` hook takes the torch row and the keras row of one layer and returns why their params
differ (text appended to the params note, "" for none) and notes on other differences.
"""

from __future__ import annotations

from typing import Any

from layerplan.planner.kinds.base import split


def _half_kernel(kernel, dilation) -> list[int]:
    return [(d * (k - 1)) // 2 for k, d in zip(kernel, dilation)]


def _one_or_per_axis(values: list[int]) -> int | list[int]:
    return values[0] if len(set(values)) == 1 else values


def _note(changes: dict[str, Any], target: str) -> tuple[dict[str, Any], str | None]:
    if not changes:
        return {}, None
    shown = ", ".join(f"{k}={v!r}" for k, v in changes.items() if v is not None)
    return changes, f"ported to {target} as {shown}"


def port_conv(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Convolutions: keras 'same' becomes torch 'same' at stride 1 and padding (k_eff-1)//2 otherwise (the
    usual port, which shifts the grid where TensorFlow pads the odd pixel after); back to keras,
    padding 0 becomes 'valid' and the half-kernel padding 'same'.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [28, 28, 1], "layers": [{"conv2d": {
    ...     "filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}}]}).layers[0]
    >>> port_conv(row, "keras", "torch")
    ({'padding': 1}, 'ported to torch as padding=1')
    """
    return _port_window(row, target, pooling=False)


def port_pool(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Pooling: keras 'same' becomes padding (k-1)//2 with ceil_mode; back to keras, ceil_mode or the
    half-kernel padding becomes 'same'.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [1, 9], "layers": [{"max_pool1d": {"pool_size": 2, "ceil_mode": True}}]}).layers[0]
    >>> port_pool(row, "torch", "keras")
    ({'padding': 'same', 'ceil_mode': None}, "ported to keras as padding='same'")
    """
    return _port_window(row, target, pooling=True)


def port_conv_transpose(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Transposed convolutions: keras 'valid' becomes padding 0 (output_padding kept; absent becomes
    torch's default 0).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [7, 3], "layers": [{"conv1d_transpose": {
    ...     "filters": 1, "kernel_size": 3, "strides": 2}}]}).layers[0]
    >>> port_conv_transpose(row, "keras", "torch")
    ({'padding': 0}, 'ported to torch as padding=0')
    """
    return _port_window(row, target, pooling=False, transposed=True)


def _port_window(row, target: str, pooling: bool, transposed: bool = False) -> tuple[dict[str, Any], str | None]:
    options = row.options
    padding = options.get("padding")
    kernel = options.get("pool_size") if pooling else options.get("kernel_size")
    if padding is None or kernel is None:
        return {}, None
    stride = options.get("stride") or kernel
    dilation = options.get("dilation") or (1,) * len(kernel)
    half = _half_kernel(kernel, dilation)
    changes: dict[str, Any] = {}
    if target == "torch":
        if padding == "valid":
            changes["padding"] = 0
        elif padding == "same":
            if not pooling and not transposed and max(stride) == 1:
                return {}, None
            changes["padding"] = _one_or_per_axis(half)
            if pooling:
                changes["padding"] = _one_or_per_axis([min(h, k // 2) for h, k in zip(half, kernel)])
                changes["ceil_mode"] = True
        else:  # causal: no torch spelling
            return {}, None
    else:
        if isinstance(padding, str):
            return {}, None
        if all(p == 0 for p in padding) and not (pooling and options.get("ceil_mode")):
            changes["padding"] = "valid"
        elif list(padding) == half or (pooling and options.get("ceil_mode")):
            changes["padding"] = "same"
        else:
            return {}, None  # no keras spelling: left as is, keras will say so
        if pooling and options.get("ceil_mode"):
            changes["ceil_mode"] = None
    return _note(changes, target)


def port_upsample(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """keras UpSampling `size` is a repeat factor; torch Upsample `size` is the output size.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [4, 4, 1], "layers": [{"upsample2d": {"size": 2}}]}).layers[0]
    >>> port_upsample(row, "keras", "torch")[0]
    {'size': None, 'scale_factor': 2}
    """
    options = row.options
    if source == "keras" and options.get("size") is not None:
        factors = list(options["size"])
        return ({"size": None, "scale_factor": _one_or_per_axis(factors)},
                "keras size is a repeat factor, torch size the output size: ported as scale_factor")
    if source == "torch" and options.get("size") is not None and row.input is not None and row.output is not None:
        spatial_in, spatial_out = row.input[1:], row.output[1:]
        if all(o % i == 0 for i, o in zip(spatial_in, spatial_out)):
            factors = [o // i for i, o in zip(spatial_in, spatial_out)]
            return ({"size": _one_or_per_axis(factors)},
                    "torch size is the output size, keras size a repeat factor: ported as the factor")
    return {}, None


# --- differences between the torch plan and the keras plan of one layer


def _grid_shift(t, k) -> list[str]:
    """The grid is shifted when the padding *before* differs: every window starts elsewhere."""
    if not (t.geometry and k.geometry and t.output is not None and k.output is not None):
        return []
    pads_t = [(g.pad_before, g.pad_after) for g in t.geometry]
    pads_k = [(g.pad_before, g.pad_after) for g in k.geometry]
    if [b for b, _ in pads_t] == [b for b, _ in pads_k]:
        return []
    shown = {name: " ".join(f"{b}/{a}" for b, a in pads) for name, pads in (("t", pads_t), ("k", pads_k))}
    return [f"padding: torch {shown['t']}, keras {shown['k']} (before/after per axis): every window starts at a "
            "different cell (TensorFlow pads the odd pixel after)"]


def window_differences(t, k) -> tuple[str, list[str]]:
    """Convolutions, pooling, padding and cropping: a shifted window grid."""
    return "", _grid_shift(t, k)


def separable_differences(t, k) -> tuple[str, list[str]]:
    """Separable convolutions: the bias count, and a shifted window grid."""
    return " (keras has one bias, after the pointwise step; torch's two convs have one each)", _grid_shift(t, k)


def batch_norm_differences(t, k) -> tuple[str, list[str]]:
    """Batch normalisation: keras counts its moving statistics as (non-trainable) weights.

    >>> from types import SimpleNamespace
    >>> batch_norm_differences(SimpleNamespace(), SimpleNamespace(non_trainable=64))
    (' (keras counts the moving mean and variance: 64 non-trainable)', [])
    """
    return f" (keras counts the moving mean and variance: {k.non_trainable} non-trainable)", []


def conv_transpose_differences(t, k) -> tuple[str, list[str]]:
    """Transposed convolutions: keras' absent output_padding, and the torch output_padding that matches."""
    why = " (groups)" if (t.options.get("groups") or 1) > 1 else ""
    notes = []
    if k.output is None:
        return why, notes
    if k.options.get("output_padding") is None:
        notes.append("keras output_padding is absent (torch's default is 0): keras sizes it as "
                     "i*s (+ max(k-s, 0) for 'valid'), and output_padding: 0 would differ")
    if t.output is not None and split(t.output, "torch") != split(k.output, "keras"):
        extra = [ko - to for ko, to in zip(k.output[:-1], t.output[1:])]
        limit = [max(s, d) for s, d in zip(t.options["stride"], t.options["dilation"])]
        current = t.options["output_padding"] or (0,) * len(extra)
        if all(0 <= e + op < lim for e, op, lim in zip(extra, current, limit)):
            wanted = [e + op for e, op in zip(extra, current)]
            notes.append(f"torch output_padding={_one_or_per_axis(wanted)} gives keras' size")
    return why, notes


def flatten_differences(t, k) -> tuple[str, list[str]]:
    """Flatten: the order of the values differs.

    >>> from types import SimpleNamespace
    >>> flatten_differences(SimpleNamespace(input=(8, 4, 4)), None)[1][0][:40]
    'flatten order: torch (C, H, W), keras (H'
    """
    if t.input is not None and len(t.input) > 2:
        return "", ["flatten order: torch (C, H, W), keras (H, W, C): the next dense layer's weights need a "
                    "permutation when ported"]
    return "", []


def dense_differences(t, k) -> tuple[str, list[str]]:
    """Dense on an unflattened input acts on a different axis in each layout."""
    if t.input is not None and len(t.input) > 1:
        return "", ["dense on an unflattened input acts on the last axis: W in torch, channels in keras"]
    return "", []
