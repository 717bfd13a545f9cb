"""Sizes taken from another tensor, in real keras (TensorFlow backend), run in the keras worker
(isolation.py) for test_reference_models_oracle.py: each op built as keras models write it from the
two tensors' static shapes, run eagerly and in a functional model."""

from __future__ import annotations

import numpy as np

import keras


def get_crop_shape(target, refer):
    """The crop of a keras U-Net skip to its up-sampled partner, as keras U-Net tutorials compute it
    (the odd cell goes after)."""
    crops = []
    for axis in range(1, len(target.shape) - 1):
        diff = target.shape[axis] - refer.shape[axis]
        if diff < 0:
            raise ValueError(f"reference larger on axis {axis}")
        if diff % 2 != 0:
            crops.append((int(diff / 2), int(diff / 2) + 1))
        else:
            crops.append((int(diff / 2), int(diff / 2)))
    return tuple(crops)


def _amounts(pairs: tuple) -> tuple:
    """keras' 1-D layers take one (before, after) pair, the others a pair per axis."""
    return pairs[0] if len(pairs) == 1 else pairs


def _layer(op: str, x, reference, mode: str | None):
    dims = len(x.shape) - 2
    if op == "resize_to":
        if dims != 2:
            raise ValueError("keras Resizing is 2-D only")
        return keras.layers.Resizing(reference.shape[1], reference.shape[2],
                                     **({"interpolation": mode} if mode else {}))
    if op == "crop_to":
        return keras.layers.__dict__[f"Cropping{dims}D"](_amounts(get_crop_shape(x, reference)))
    # pad_to: ZeroPadding where the reference is larger, Cropping where it is smaller, split as torch's F.pad
    pads, crops = [], []
    for axis in range(1, dims + 1):
        diff = reference.shape[axis] - x.shape[axis]
        before, after = diff // 2, diff - diff // 2
        pads.append((max(before, 0), max(after, 0)))
        crops.append((max(-before, 0), max(-after, 0)))
    padding = keras.layers.__dict__[f"ZeroPadding{dims}D"](_amounts(tuple(pads)))
    cropping = keras.layers.__dict__[f"Cropping{dims}D"](_amounts(tuple(crops)))
    return lambda tensor: cropping(padding(tensor))


def run_sized_like(op: str, x_shape: list[int], reference_shape: list[int], mode: str | None = None) -> dict:
    """{output} (eager and functional agree) or {error} of one op on zero tensors (channels last)."""
    try:
        x = np.zeros((1, *x_shape), "float32")
        reference = np.zeros((1, *reference_shape), "float32")
        eager = tuple(_layer(op, x, reference, mode)(x).shape[1:])
        x_in = keras.Input(shape=tuple(x_shape))
        ref_in = keras.Input(shape=tuple(reference_shape))
        functional = tuple(_layer(op, x_in, ref_in, mode)(x_in).shape[1:])
    except Exception as exc:  # keras refuses the op (the exception type varies)
        return {"error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}
    if eager != functional:
        return {"error": f"eager {eager} and functional {functional} differ"}
    if 0 in eager:
        return {"error": "empty output"}
    return {"output": list(eager)}
