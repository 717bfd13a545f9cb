"""Sizes taken from another tensor: resize, pad or crop the first input to the spatial size of the
second (the reference), so a spec stays right at every input size.

Each of these kinds reads two inputs, `inputs: [x, reference]`; only the reference's spatial sizes
are used (its channels are ignored), and the output keeps x's channels:

- resize_to: torch `F.interpolate(x, size=reference.shape[2:], mode=...)`, keras `Resizing(h, w)`
  (2-D only: keras has no 1-D or 3-D resizing layer).
- pad_to: the U-Net idiom `diff = reference - x; F.pad(x, [diff // 2, diff - diff // 2, ...])`: the
  odd cell goes after; a negative diff crops (F.pad with negative amounts), Python's floor division
  deciding the split (diff -3 crops 2 before and 1 after). keras: ZeroPadding{n}D, and Cropping{n}D
  for a negative diff, with the same amounts.
- crop_to: crop x down to the reference, `diff = x - reference`, diff // 2 before and the rest after
  (keras U-Nets' `Cropping2D` of the skip; torch slicing `x[..., b:b + ref]`); a reference larger than
  x is an error.

>>> from layerplan.planner.plan import plan_only
>>> report = plan_only({"inputs": {"x": [8, 17, 20], "skip": [4, 20, 20]}, "layers": [
...     {"pad_to2d": {"inputs": ["x", "skip"]}}]})
>>> report.layers[0].output, [(g.pad_before, g.pad_after) for g in report.layers[0].geometry]
((8, 20, 20), [(1, 2), (0, 0)])
"""

from __future__ import annotations

from . import axis_maps
from .base import (AxisGeometry, Kind, LayerCall, LayerError, Outcome, deferred, no_count,
                                         spellings, split)
from .resample import KERAS_MODES, TORCH_MODES, check_mode
from .spatial import axis_name
from ..options import Option, choice


def _sizes(call: LayerCall) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """(x's channels, x's spatial sizes, the reference's spatial sizes); the ranks must agree."""
    x, reference = call.shapes[0], call.shapes[1]
    names = call.input_names or ("x", "reference")
    if len(reference) != len(x):
        raise LayerError("merge-mismatch", f"the reference {names[1]!r} {list(reference)} has rank {len(reference)}, "
                         f"but {names[0]!r} {list(x)} has rank {len(x)}: a reference is a tensor of the same rank "
                         "whose spatial sizes are taken")
    channels, spatial = split(x, call.framework)
    return channels, spatial, split(reference, call.framework)[1]


def plan_resize_to(call: LayerCall) -> Outcome:
    check_resize_to_options(call.options, call.framework, call.dims)
    channels, _, target = _sizes(call)
    return Outcome(output=call.join(channels, target))


def check_resize_to_options(options: dict, framework: str, dims: int) -> None:
    """keras resizes 2-D images only; the mode must be one the framework has for this many axes.

    >>> check_resize_to_options({"mode": None}, "keras", 3)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: keras has no 3-D resizing layer (Resizing is 2-D); resize a 3-D tensor in torch, or with UpSampling3D by an integer factor
    """
    if framework == "keras" and dims != 2:
        raise LayerError("wrong-rank", f"keras has no {dims}-D resizing layer (Resizing is 2-D); resize a {dims}-D "
                         f"tensor in torch, or with UpSampling{dims}D by an integer factor")
    check_mode(options.get("mode"), framework, dims)


def split_diff(diff: int) -> tuple[int, int]:
    """(before, after) of the U-Net pad: diff // 2 and diff - diff // 2, Python's floor division.

    >>> split_diff(3), split_diff(-3), split_diff(4)
    ((1, 2), (-2, -1), (2, 2))
    """
    return diff // 2, diff - diff // 2


def plan_pad_to(call: LayerCall) -> Outcome:
    channels, spatial, target = _sizes(call)
    outcome = Outcome(output=call.join(channels, target))
    outcome.geometry = [AxisGeometry(pad_before=b, pad_after=a) for b, a in map(split_diff, (t - i for i, t in
                                                                                              zip(spatial, target)))]
    return outcome


def plan_crop_to(call: LayerCall) -> Outcome:
    channels, spatial, target = _sizes(call)
    names = call.input_names or ("x", "reference")
    outcome = Outcome(output=call.join(channels, target))
    for axis, (i, t) in enumerate(zip(spatial, target)):
        if t > i:
            raise LayerError("merge-mismatch", f"axis {axis_name(call.dims, axis)}: the reference {names[1]!r} is "
                             f"{t}, larger than {names[0]!r} {i}; crop_to only shrinks (pad_to pads or crops)")
        before, after = split_diff(i - t)
        outcome.geometry.append(AxisGeometry(pad_before=-before, pad_after=-after))
    return outcome


MATCH_HOOKS = dict(macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, parameter_free=True,
                   arity=(2, 2))


def matching_kinds() -> list[Kind]:
    kinds = []
    for dims in (1, 2, 3):
        kinds.append(Kind(
            f"resize_to{dims}d", "resize_to", dims,
            (Option("mode", choice(*TORCH_MODES, *KERAS_MODES), "interpolation name",
                    "interpolation; does not change the shape", None, aliases=("interpolation",)),),
            plan_resize_to,
            f"{dims}-D resize of the first input to the spatial size of the second (inputs: [x, reference]). "
            "torch F.interpolate(size=reference's size); keras Resizing (2-D only). No params.",
            input_rank=dims + 1,
            formulas={"torch": "o = reference's size", "keras": "o = reference's size"},
            spellings=spellings("F.interpolate(size=)", "Resizing", keras_arguments={"mode": "interpolation"},
                                write=(deferred("writing", "torch_resize_to"), deferred("writing", "keras_resize_to"))),
            option_rules=(check_resize_to_options,), receptive_field=axis_maps.resize_to_field,
            explain=deferred("explaining", "explain_sized_like"), **MATCH_HOOKS,
        ))
        kinds.append(Kind(
            f"pad_to{dims}d", "pad_to", dims, (), plan_pad_to,
            f"{dims}-D pad of the first input to the spatial size of the second (inputs: [x, reference]): "
            "diff // 2 before, diff - diff // 2 after; a negative diff crops (torch F.pad). No params.",
            input_rank=dims + 1,
            formulas={"torch": "diff = ref - i; o = i + diff // 2 + (diff - diff // 2)",
                      "keras": "diff = ref - i; o = i + diff // 2 + (diff - diff // 2)"},
            spellings=spellings("F.pad", f"ZeroPadding{dims}D / Cropping{dims}D",
                                write=(deferred("writing", "torch_pad_to"), deferred("writing", "keras_pad_to"))),
            receptive_field=axis_maps.window_field, explain=deferred("explaining", "explain_sized_like"), **MATCH_HOOKS,
        ))
        kinds.append(Kind(
            f"crop_to{dims}d", "crop_to", dims, (), plan_crop_to,
            f"{dims}-D crop of the first input to the spatial size of the second (inputs: [x, reference]): "
            "diff // 2 before, the rest after. No params.",
            input_rank=dims + 1,
            formulas={"torch": "diff = i - ref; o = i - diff // 2 - (diff - diff // 2)",
                      "keras": "diff = i - ref; o = i - diff // 2 - (diff - diff // 2)"},
            spellings=spellings("slicing", f"Cropping{dims}D", write=(deferred("writing", "torch_crop_to"), deferred("writing", "keras_crop_to"))),
            receptive_field=axis_maps.window_field, explain=deferred("explaining", "explain_sized_like"), **MATCH_HOOKS,
        ))
    return kinds
