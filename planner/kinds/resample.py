"""Resampling spatial axes: upsampling, zero padding and cropping, in 1d/2d/3d."""

from __future__ import annotations

import math

from layerplan.planner.kinds import axis_maps, explaining, porting
from layerplan.planner.kinds import writing
from layerplan.planner.kinds.base import AxisGeometry, Kind, LayerCall, LayerError, Outcome, no_count, spellings
from layerplan.planner.kinds.spatial import axis_name
from layerplan.planner.options import REQUIRED, Option, choice, padding_pairs, positive_ints, positive_scales

TORCH_MODES = {"nearest": None, "nearest-exact": None, "area": None, "linear": 1, "bilinear": 2, "bicubic": 2,
               "trilinear": 3}
KERAS_MODES = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")


def plan_upsample(call: LayerCall) -> Outcome:
    opts = call.options
    channels, spatial = call.split()
    scale, size = opts["scale_factor"], opts["size"]
    check_upsample_options(opts, call.framework, call.dims)
    outcome = Outcome(output=())
    if call.framework == "keras":
        factors = size if size is not None else scale if scale is not None else (2,) * call.dims
        out = tuple(i * int(f) for i, f in zip(spatial, factors))
    elif size is not None:
        # torch Upsample(size=...) gives exactly that output size.
        out = tuple(size)
    elif scale is not None:
        out_list = []
        for axis, (i, factor) in enumerate(zip(spatial, scale)):
            # torch: floor(float(input_size) * scale_factor)
            o = math.floor(float(i) * factor)
            if o != i * factor:
                outcome.warn(
                    "upsample-floored",
                    f"axis {axis_name(call.dims, axis)}: {i} x {factor} = {float(i) * factor:g} is floored to {o}",
                    "scale_factor",
                )
            if o <= 0:
                raise LayerError(
                    "non-positive-output",
                    f"axis {axis_name(call.dims, axis)}: {i} x {factor} floors to {o}; the output would be empty",
                    "scale_factor",
                )
            out_list.append(o)
        out = tuple(out_list)
    else:
        raise LayerError("missing-option", "torch Upsample needs scale_factor or size", None)
    outcome.output = call.join(channels, out)
    return outcome


def check_upsample_options(options: dict, framework: str, dims: int) -> None:
    """What upsampling's options must satisfy whatever the input shape: scale_factor or size (not both),
    a mode of the framework for this many axes, and keras' integer repeats. A missing or unparsed
    option (None) is left to the plan.

    >>> check_upsample_options({"scale_factor": (1.5, 1.5), "size": None, "mode": "bilinear"}, "keras", 2)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: keras UpSampling2D repeats cells an integer number of times and takes an int, got 1.5 (a resizing layer does fractional scales)
    """
    scale, size = options.get("scale_factor"), options.get("size")
    if scale is not None and size is not None:
        raise LayerError("conflicting-options", "give scale_factor or size, not both", "size")
    _check_mode(options.get("mode"), framework, dims)
    if framework == "keras":
        for factor in size if size is not None else scale or ():
            if isinstance(factor, float):
                raise LayerError(
                    "bad-option-value",
                    f"keras UpSampling{dims}D repeats cells an integer number of times and takes an int, "
                    f"got {factor}" + (f"; write {int(factor)}" if factor.is_integer() else
                                        " (a resizing layer does fractional scales)"),
                    "size" if size is not None else "scale_factor",
                )


def _check_mode(mode: str | None, framework: str, dims: int) -> None:
    if mode is None:
        return
    if framework == "torch":
        if mode not in TORCH_MODES:
            raise LayerError("bad-option-value", f"torch Upsample has no mode {mode!r}; use one of "
                             f"{', '.join(TORCH_MODES)}", "mode")
        needed = TORCH_MODES[mode]
        if needed is not None and needed != dims:
            raise LayerError("bad-option-value", f"mode {mode!r} works on {needed}-D inputs only, this is "
                             f"{dims}-D", "mode")
    elif mode not in KERAS_MODES or (dims != 2 and mode != "nearest"):
        allowed = KERAS_MODES if dims == 2 else ("nearest",)
        raise LayerError("bad-option-value", f"keras UpSampling{dims}D has no interpolation {mode!r}; use "
                         f"{', '.join(allowed)}", "mode")


def plan_zero_padding(call: LayerCall) -> Outcome:
    channels, spatial = call.split()
    pairs = call.options["padding"]
    outcome = Outcome(output=call.join(channels, tuple(i + b + a for i, (b, a) in zip(spatial, pairs))))
    outcome.geometry = [AxisGeometry(pad_before=b, pad_after=a) for b, a in pairs]
    return outcome


def plan_cropping(call: LayerCall) -> Outcome:
    channels, spatial = call.split()
    pairs = call.options["cropping"]
    out = []
    for axis, (i, (before, after)) in enumerate(zip(spatial, pairs)):
        o = i - before - after
        if o <= 0:
            raise LayerError(
                "non-positive-output",
                f"axis {axis_name(call.dims, axis)}: cropping {before}+{after} from {i} leaves {o}; "
                f"crop at most {i - 1} in total",
                "cropping",
            )
        out.append(o)
    outcome = Outcome(output=call.join(channels, tuple(out)))
    outcome.geometry = [AxisGeometry(pad_before=-b, pad_after=-a) for b, a in pairs]
    return outcome


# keras' own defaults for the cropping argument (torch has no cropping module).
_KERAS_CROPPING_DEFAULT = {1: 1, 2: 0, 3: 1}


UPSAMPLE_HOOKS = dict(
    macs=no_count, macs_text=explaining.macs_text_none, other_ops=no_count, receptive_field=axis_maps.upsample_field,
    explain=explaining.explain_upsample, parameter_free=True, port=porting.port_upsample,
)
PADDING_HOOKS = dict(  # zero padding and cropping
    macs=no_count, macs_text=explaining.macs_text_none, other_ops=no_count, receptive_field=axis_maps.window_field,
    explain=explaining.explain_padding_or_cropping, parameter_free=True, differences=porting.window_differences,
)


def resample_kinds() -> list[Kind]:
    kinds = []
    for dims in (1, 2, 3):
        kinds.append(Kind(
            f"upsample{dims}d", "upsample", dims,
            (
                Option("scale_factor", positive_scales, "number or one per axis (keras: integers)",
                       "multiplier per spatial axis", None, aliases=("scale",)),
                Option("size", positive_ints, "integer or one per axis",
                       "keras: integer multiplier per axis; torch: the output size", None),
                Option("mode", choice(*TORCH_MODES, *KERAS_MODES), "interpolation name",
                       "interpolation; does not change the shape", None, aliases=("interpolation",)),
            ),
            plan_upsample,
            f"{dims}-D upsampling. torch: o = floor(i * scale_factor), or size = the output size; "
            "keras: size (or scale_factor) is an integer repeat per axis, default 2.",
            input_rank=dims + 1, positional=("scale_factor",),
            formulas={"torch": "o = floor(i * scale_factor), or o = size", "keras": "o = i * size"},
            spellings=spellings("Upsample", f"UpSampling{dims}D", keras_arguments={"mode": "interpolation"},
                                write=(writing.torch_upsample, writing.keras_upsample)),
            option_rules=(check_upsample_options,),
            **UPSAMPLE_HOOKS,
        ))
        kinds.append(Kind(
            f"zero_padding{dims}d", "zero_padding", dims,
            (Option("padding", padding_pairs, "int, one per axis, or [before, after] per axis (D, H, W order)",
                    "zeros added before/after each spatial axis", {"keras": 1, "torch": REQUIRED}),),
            plan_zero_padding,
            f"{dims}-D zero padding. Amounts are in spatial-axis order (D, H, W), not torch's last-axis-first tuple.",
            input_rank=dims + 1, positional=("padding",),
            formulas={"torch": "o = i + before + after", "keras": "o = i + before + after"},
            spellings=spellings(f"ZeroPad{dims}d", f"ZeroPadding{dims}D",
                                write=(writing.torch_zero_padding, writing.keras_zero_padding)),
            **PADDING_HOOKS,
        ))
        kinds.append(Kind(
            f"cropping{dims}d", "cropping", dims,
            (Option("cropping", padding_pairs, "int, one per axis, or [before, after] per axis (D, H, W order)",
                    "cells removed before/after each spatial axis",
                    {"keras": _KERAS_CROPPING_DEFAULT[dims], "torch": REQUIRED}),),
            plan_cropping,
            f"{dims}-D cropping. torch: slicing.",
            input_rank=dims + 1, positional=("cropping",),
            formulas={"torch": "o = i - before - after", "keras": "o = i - before - after"},
            spellings=spellings("slicing", f"Cropping{dims}D", write=(writing.torch_cropping, writing.keras_cropping)),
            **PADDING_HOOKS,
        ))
    return kinds
