"""Resampling spatial axes: upsampling, zero padding and cropping, in 1d/2d/3d."""

from __future__ import annotations

import math

from . import axis_maps
from .base import (
    AxisGeometry,
    Kind,
    LayerCall,
    LayerError,
    Outcome,
    deferred,
    no_count,
    no_field,
    only_in,
    spellings,
)
from .spatial import axis_name
from ..options import (
    KERAS,
    REQUIRED,
    TORCH,
    Option,
    boolean,
    choice,
    padding_pairs,
    positive_int,
    positive_ints,
    positive_scales,
)

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
    mode = options.get("mode") or "nearest"
    if options.get("align_corners") is not None and TORCH_MODES.get(mode, 0) is None:
        # torch raises for any align_corners (even false) with a mode that does not interpolate
        raise LayerError("bad-option-value", "align_corners can only be set with the interpolating modes: linear | "
                         f"bilinear | bicubic | trilinear (mode is {mode!r})", "align_corners")
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


#: the check of an interpolation mode for a framework and a number of axes (also used by resize_to)
check_mode = _check_mode


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
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, receptive_field=axis_maps.upsample_field,
    explain=deferred("explaining", "explain_upsample"), parameter_free=True, port=deferred("porting", "port_upsample"),
)
PADDING_HOOKS = dict(  # zero padding and cropping
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, receptive_field=axis_maps.window_field,
    explain=deferred("explaining", "explain_padding_or_cropping"), parameter_free=True, differences=deferred("porting", "window_differences"),
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
                       "interpolation (torch: linear 1-D, bilinear and bicubic 2-D, trilinear 3-D; keras: 2-D only "
                       "beyond nearest); does not change the shape", None, aliases=("interpolation",)),
                Option("align_corners", boolean, "boolean",
                       "torch: align corner pixels (interpolating modes only; no effect on shape)", None,
                       frameworks=TORCH),
            ),
            plan_upsample,
            f"{dims}-D upsampling. torch: o = floor(i * scale_factor), or size = the output size; "
            "keras: size (or scale_factor) is an integer repeat per axis, default 2.",
            input_rank=dims + 1, positional=("scale_factor",),
            formulas={"torch": "o = floor(i * scale_factor), or o = size", "keras": "o = i * size"},
            spellings=spellings("Upsample", f"UpSampling{dims}D", keras_arguments={"mode": "interpolation"},
                                torch_positional=("size", "scale_factor", "mode", "align_corners"),
                                keras_positional=("size", "data_format", "interpolation"),
                                write=(deferred("writing", "torch_upsample"), deferred("writing", "keras_upsample"))),
            option_rules=(check_upsample_options,),
            scale={"torch": "scale_factor", "keras": "size"},
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
            spellings=spellings(f"ZeroPad{dims}d", f"ZeroPadding{dims}D", torch_positional=("padding",),
                                keras_positional=("padding", "data_format"),
                                write=(deferred("writing", "torch_zero_padding"), deferred("writing", "keras_zero_padding"))),
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
            spellings=spellings("slicing", f"Cropping{dims}D", keras_positional=("cropping", "data_format"),
                                write=(deferred("writing", "torch_cropping"), deferred("writing", "keras_cropping"))),
            **PADDING_HOOKS,
        ))
        for name, cls, rule in (("reflection_padding", "ReflectionPad", "reflects the input, so each amount must "
                                 "be smaller than its axis"), ("replication_padding", "ReplicationPad",
                                                               "repeats the edge cells, any amount")):
            kinds.append(Kind(
                f"{name}{dims}d", name, dims,
                (Option("padding", padding_pairs, "int, one per axis, or [before, after] per axis (D, H, W order)",
                        "cells added before/after each spatial axis", REQUIRED),),
                reflection_planner(name == "reflection_padding"),
                f"{dims}-D {name.split('_')[0]} padding (torch {cls}{dims}d): {rule}. Amounts in spatial-axis order "
                "(D, H, W), not torch's last-axis-first tuple. keras has no such layer.",
                input_rank=dims + 1, positional=("padding",),
                formulas={"torch": "o = i + before + after", "keras": "(none)"},
                spellings=spellings(f"{cls}{dims}d", "(none: tf.pad in a custom layer)", torch_positional=("padding",),
                                    write=(deferred("writing", "torch_pad_module"), deferred("writing", "none_in", "keras"))),
                option_rules=(_absent_padding(name == "reflection_padding", dims),),
                **{**PADDING_HOOKS, "differences": None, "port": deferred("porting_sequence", "port_torch_only")},
            ))
    shuffle_hooks = dict(port=deferred("porting_sequence", "port_torch_only"), macs=no_count, macs_text=deferred("explaining", "macs_text_none"),
                         other_ops=no_count,
                         receptive_field=no_field, explain=deferred("explaining", "explain_pixel_shuffle"), parameter_free=True)
    kinds.append(Kind(
        "pixel_shuffle", "pixel_shuffle", 2,
        (Option("upscale_factor", positive_int, "integer >= 1", "r: (C*r*r, H, W) -> (C, H*r, W*r)", REQUIRED),),
        lambda call: plan_pixel_shuffle(call, up=True),
        "Pixel shuffle (sub-pixel upsampling): (C*r^2, H, W) -> (C, H*r, W*r); the channels must be divisible by r^2. "
        "keras has no such layer (tf.nn.depth_to_space is an op).",
        input_rank=3, positional=("upscale_factor",),
        formulas={"torch": "(C, H, W) -> (C/r^2, H*r, W*r)", "keras": "(none)"},
        spellings=spellings("PixelShuffle", "(none: tf.nn.depth_to_space)", torch_positional=("upscale_factor",),
                            write=(deferred("writing", "torch_pixel_shuffle"), deferred("writing", "none_in", "keras"))),
        option_rules=(_ABSENT_SHUFFLE[True],),
        **shuffle_hooks,
    ))
    kinds.append(Kind(
        "pixel_unshuffle", "pixel_unshuffle", 2,
        (Option("downscale_factor", positive_int, "integer >= 1", "r: (C, H*r, W*r) -> (C*r*r, H, W)", REQUIRED),),
        lambda call: plan_pixel_shuffle(call, up=False),
        "Pixel unshuffle: (C, H, W) -> (C*r^2, H/r, W/r); H and W must be divisible by r. keras has no such layer "
        "(tf.nn.space_to_depth is an op).",
        input_rank=3, positional=("downscale_factor",),
        formulas={"torch": "(C, H, W) -> (C*r^2, H/r, W/r)", "keras": "(none)"},
        spellings=spellings("PixelUnshuffle", "(none: tf.nn.space_to_depth)",
                            torch_positional=("downscale_factor",),
                            write=(deferred("writing", "torch_pixel_shuffle"), deferred("writing", "none_in", "keras"))),
        option_rules=(_ABSENT_SHUFFLE[False],),
        **shuffle_hooks,
    ))
    kinds.append(Kind(
        "resizing", "resizing", 2,
        (Option("height", positive_int, "integer >= 1", "output height", REQUIRED),
         Option("width", positive_int, "integer >= 1", "output width", REQUIRED),
         Option("interpolation", choice(*KERAS_MODES), "interpolation name",
                "keras interpolation (torch: Upsample mode; no effect on shape)", "bilinear", aliases=("mode",)),
         Option("crop_to_aspect_ratio", boolean, "boolean", "keras: crop to the output's aspect ratio first (no "
                "effect on shape)", False, frameworks=KERAS)),
        plan_resizing,
        "Resize an image to height x width (keras Resizing; torch: Upsample(size=(height, width))).",
        input_rank=3, positional=("height",),
        formulas={"torch": "(C, H, W) -> (C, height, width)", "keras": "(H, W, C) -> (height, width, C)"},
        spellings=spellings("Upsample(size=(height, width))", "Resizing", keras_arguments={},
                            keras_positional=("height", "width", "interpolation", "crop_to_aspect_ratio"),
                            write=(deferred("writing", "torch_resizing"), deferred("writing", "keras_resizing"))),
        option_rules=(check_resizing_options,),
        macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, receptive_field=no_field,
        explain=deferred("explaining", "explain_resizing"), parameter_free=True, port=deferred("porting_sequence", "port_resizing"),
    ))
    return kinds


def reflection_planner(reflect: bool):
    """The plan function of reflection (reflect=True) or replication padding."""
    return lambda call: plan_reflection_padding(call, reflect)


def _absent_padding(reflect: bool, dims: int):
    """keras has no reflection or replication padding layer."""
    cls = f"{'ReflectionPad' if reflect else 'ReplicationPad'}{dims}d"
    return only_in("torch", cls, f"pad in a custom layer (tf.pad with mode '{'REFLECT' if reflect else 'SYMMETRIC'}')")


_ABSENT_SHUFFLE = {True: only_in("torch", "PixelShuffle", "use tf.nn.depth_to_space in a custom layer"),
                   False: only_in("torch", "PixelUnshuffle", "use tf.nn.space_to_depth in a custom layer")}


def plan_reflection_padding(call: LayerCall, reflect: bool) -> Outcome:
    _absent_padding(reflect, call.dims)(call.options, call.framework, call.dims)
    channels, spatial = call.split()
    pairs = call.options["padding"]
    if reflect:
        for axis, (i, (before, after)) in enumerate(zip(spatial, pairs)):
            # torch: "Padding size should be less than the corresponding input dimension"
            if before >= i or after >= i:
                raise LayerError("bad-padding", f"axis {axis_name(call.dims, axis)}: reflection padding {before}+"
                                 f"{after} must be smaller than the input {i} on each side (at most {i - 1}); "
                                 "use replication padding for more", "padding")
    outcome = Outcome(output=call.join(channels, tuple(i + b + a for i, (b, a) in zip(spatial, pairs))))
    outcome.geometry = [AxisGeometry(pad_before=b, pad_after=a) for b, a in pairs]
    return outcome


def plan_pixel_shuffle(call: LayerCall, up: bool) -> Outcome:
    _ABSENT_SHUFFLE[up](call.options, call.framework, call.dims)
    channels, (height, width) = call.split()
    if up:
        r = call.options["upscale_factor"]
        if channels % (r * r):
            raise LayerError("groups-mismatch", f"pixel_shuffle needs channels divisible by upscale_factor^2 = {r * r}, "
                             f"got {channels}", "upscale_factor")
        return Outcome(output=(channels // (r * r), height * r, width * r))
    r = call.options["downscale_factor"]
    for name, size in (("H", height), ("W", width)):
        if size % r:
            raise LayerError("non-positive-output", f"pixel_unshuffle needs {name} divisible by downscale_factor {r}, "
                             f"got {size}", "downscale_factor")
    return Outcome(output=(channels * r * r, height // r, width // r))


# torch's Upsample modes that a keras Resizing interpolation stands for
_RESIZE_IN_TORCH = {"nearest": "nearest", "bilinear": "bilinear", "bicubic": "bicubic", "area": "area"}


def check_resizing_options(options: dict, framework: str, dims: int) -> None:
    """torch resizes with Upsample(size=...): nearest, bilinear, bicubic or area.

    >>> check_resizing_options({"interpolation": "lanczos3"}, "torch", 2)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: torch Upsample has no mode 'lanczos3'; use one of nearest, bilinear, bicubic, area
    """
    mode = options.get("interpolation")
    if framework == "torch" and mode is not None and mode not in _RESIZE_IN_TORCH:
        raise LayerError("bad-option-value", f"torch Upsample has no mode {mode!r}; use one of "
                         f"{', '.join(_RESIZE_IN_TORCH)}", "interpolation")


def plan_resizing(call: LayerCall) -> Outcome:
    check_resizing_options(call.options, call.framework, call.dims)
    channels, _ = call.split()
    return Outcome(output=call.join(channels, (call.options["height"], call.options["width"])))
