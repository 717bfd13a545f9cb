"""How a layer's options are ported to the other framework: the `port` hooks the kind definitions
name (planner/compare.py runs them for `diff`).

A hook takes the planned row, the source and the target framework, and returns the option changes
and a note saying what was ported, or ({}, None) when the options are kept as written.
"""

from __future__ import annotations

from typing import Any


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
    padding 0 becomes 'valid' and the half-kernel padding 'same'."""
    return _port_window(row, target, pooling=False)


def port_pool(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Pooling: keras 'same' becomes padding (k-1)//2 with ceil_mode; back to keras, ceil_mode or the
    half-kernel padding becomes 'same'."""
    return _port_window(row, target, pooling=True)


def port_conv_transpose(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Transposed convolutions: keras 'valid' becomes padding 0 (output_padding kept; absent becomes
    torch's default 0)."""
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
    """keras UpSampling `size` is a repeat factor; torch Upsample `size` is the output size."""
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
