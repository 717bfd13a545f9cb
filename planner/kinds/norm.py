"""Normalisations over one sample: instance norm (1d/2d/3d), group norm and layer norm; and keras'
Normalization preprocessing layer (fixed or adapted statistics).

Conventions (each as its framework counts it):
- torch counts `parameters()` only: the affine weight and bias. Running statistics (InstanceNorm with
  track_running_stats) are buffers and are not counted.
- keras counts every weight; these layers have no moving statistics, so all their params are trainable.
- keras Normalization(axis, mean, variance) keeps the shape; without mean and variance it holds adapted
  statistics as non-trainable weights: a mean and a variance of the sizes of the kept axes, and a count
  (one value); with them it holds none. torch has no such layer (arithmetic in forward()).
- keras has no InstanceNormalization layer: its natural equivalent is GroupNormalization(groups=-1),
  one group per channel, with center and scale set by `affine`.
"""

from __future__ import annotations

from . import counting
from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, no_field, only_in, spellings
from .spatial import product
from ..options import (
    KERAS,
    REQUIRED,
    TORCH,
    Option,
    any_int,
    axes_or_none,
    axis_list,
    boolean,
    number,
    numbers_or_none,
    positive_shape,
)

EPSILON = Option("epsilon", number, "number", "numerical stabiliser (no effect on shape)", None, aliases=("eps",))
MOMENTUM = Option("momentum", number, "number", "running-statistics momentum (no effect on shape)", None)
CENTER = Option("center", boolean, "boolean", "keras: learn a shift (beta) per normalised value", True,
                frameworks=KERAS)
SCALE = Option("scale", boolean, "boolean", "keras: learn a scale (gamma) per normalised value", True,
               frameworks=KERAS)


def _channels(call: LayerCall) -> int:
    return call.shape[0] if call.framework == "torch" else call.shape[-1]


def plan_instance_norm(call: LayerCall) -> Outcome:
    channels, spatial = call.split()
    opts = call.options
    # torch normalises with the sample's own statistics unless it tracks running ones (in eval mode),
    # and then needs more than one value per channel.
    if call.framework == "torch" and not opts["track_running_stats"] and product(spatial) == 1:
        raise LayerError("non-positive-output",
                         f"instance norm over {product(spatial)} spatial element per channel: torch needs more than 1 "
                         f"(\"Expected more than 1 spatial element\"); got {call.shape}", None)
    outcome = Outcome(output=call.shape)
    outcome.params = 2 * channels if opts["affine"] else 0
    return outcome


def check_groups(options: dict, framework: str, dims: int) -> None:
    """keras groups = -1 means one group per channel; torch takes a positive count.

    >>> check_groups({"groups": -1}, "torch", 0)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: torch GroupNorm needs num_groups >= 1, got -1 (keras' -1 means one group per channel: write the channel count)
    """
    groups = options.get("groups")
    if groups is None:
        return
    if groups == 0 or groups < -1 or (framework == "torch" and groups < 1):
        raise LayerError("bad-option-value",
                         f"torch GroupNorm needs num_groups >= 1, got {groups}" + (
                             " (keras' -1 means one group per channel: write the channel count)" if groups == -1 else "")
                         if framework == "torch" else f"keras GroupNormalization needs groups >= 1 or -1, got {groups}",
                         "groups")


def plan_group_norm(call: LayerCall) -> Outcome:
    opts = call.options
    check_groups(opts, call.framework, 0)
    channels = _channels(call)
    groups = channels if opts["groups"] == -1 else opts["groups"]
    if call.framework == "keras" and groups > channels:
        raise LayerError("groups-mismatch", f"keras GroupNormalization: {groups} groups cannot be more than the "
                         f"{channels} channels", "groups")
    if channels % groups:
        raise LayerError("groups-mismatch", f"{channels} channels are not divisible by {groups} groups; use a "
                         f"divisor of {channels}", "groups")
    outcome = Outcome(output=call.shape)
    if call.framework == "torch":
        outcome.params = 2 * channels if opts["affine"] else 0
    else:
        outcome.params = channels * (int(opts["center"]) + int(opts["scale"]))
    return outcome


def check_layer_norm_options(options: dict, framework: str, dims: int) -> None:
    """torch LayerNorm needs normalized_shape; keras takes distinct axes.

    >>> check_layer_norm_options({"axis": (1, 1)}, "keras", 0)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: keras LayerNormalization axis lists axis 1 twice
    """
    axes = options.get("axis")
    if framework == "keras" and axes is not None:
        for axis in axes:
            if axes.count(axis) > 1:
                raise LayerError("bad-axis", f"keras LayerNormalization axis lists axis {axis} twice", "axis")


def plan_layer_norm(call: LayerCall) -> Outcome:
    opts = call.options
    outcome = Outcome(output=call.shape)
    if call.framework == "torch":
        normalized = opts["normalized_shape"]
        if normalized is None:
            raise LayerError("missing-option", "torch LayerNorm needs normalized_shape (the trailing axes it "
                             f"normalises, e.g. {call.shape[-1]} for the last axis)", "normalized_shape")
        if tuple(call.shape[-len(normalized):]) != normalized or len(normalized) > len(call.shape):
            raise LayerError("bad-option-value",
                             f"normalized_shape {list(normalized)} must equal the trailing axes of the input "
                             f"{call.shape}; use {call.shape[-1]} (the last axis) or {list(call.shape)} (the whole sample)",
                             "normalized_shape")
        if opts["elementwise_affine"]:
            outcome.params = product(normalized) * (2 if opts["bias"] else 1)
        return outcome
    check_layer_norm_options(opts, call.framework, 0)
    rank = len(call.shape) + 1  # keras counts axes on the batched tensor
    sizes = []
    for axis in opts["axis"]:
        if not (1 <= axis < rank or -rank < axis <= -1):
            raise LayerError("bad-axis", f"keras LayerNormalization axis {axis} is out of range for a batched input "
                             f"of rank {rank} (use 1..{rank - 1} or -{rank - 1}..-1; the batch axis cannot be one)",
                             "axis")
        sizes.append(call.shape[axis - 1 if axis > 0 else axis])
    if len({a % rank for a in opts["axis"]}) != len(opts["axis"]):
        raise LayerError("bad-axis", f"keras LayerNormalization axis {list(opts['axis'])} names one axis twice", "axis")
    outcome.params = product(sizes) * (int(opts["center"]) + int(opts["scale"]))
    return outcome


_ABSENT_NORMALIZATION = only_in("keras", "Normalization", "write (x - mean) / sqrt(variance) in forward()")


def check_normalization_statistics(options: dict, framework: str, dims: int) -> None:
    """keras Normalization takes mean and variance together, of one shape, of rank at most the axes kept.

    >>> check_normalization_statistics({"mean": (1.0, 2.0), "variance": None, "axis": (-1,)}, "keras", 0)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: keras Normalization takes mean and variance together (got mean without variance)
    """
    _ABSENT_NORMALIZATION(options, framework, dims)
    mean, variance = options.get("mean"), options.get("variance")
    if (mean is None) != (variance is None):
        given = "mean without variance" if variance is None else "variance without mean"
        raise LayerError("bad-option-value", f"keras Normalization takes mean and variance together (got {given})",
                         "mean" if variance is None else "variance")
    if mean is None:
        return
    if isinstance(mean, tuple) != isinstance(variance, tuple) or (isinstance(mean, tuple) and len(mean) != len(variance)):
        raise LayerError("bad-option-value", "keras Normalization needs mean and variance of the same shape", "variance")
    if isinstance(mean, tuple) and options.get("axis") == ():
        raise LayerError("bad-option-value", "keras Normalization: a list of means needs an axis to keep (the rank of "
                         "mean must be at most the number of axes)", "mean")


def plan_normalization(call: LayerCall) -> Outcome:
    opts = call.options
    check_normalization_statistics(opts, call.framework, 0)
    rank = len(call.shape) + 1  # keras counts axes on the batched tensor
    kept = []
    for axis in opts["axis"]:
        if not -rank <= axis < rank:
            raise LayerError("bad-axis", f"keras Normalization axis {axis} is out of range for a batched input of rank "
                             f"{rank} (use 1..{rank - 1} or -{rank - 1}..-1)", "axis")
        if axis % rank == 0:
            raise LayerError("bad-axis", "keras Normalization cannot keep the batch axis (its size is not known)",
                             "axis")
        kept.append(axis % rank)
    sizes = [call.shape[axis - 1] for axis in sorted(set(kept))]
    outcome = Outcome(output=call.shape)
    mean = opts["mean"]
    if mean is None:  # adapted statistics: mean and variance per kept position, and a count
        outcome.params = outcome.non_trainable = 2 * product(sizes) + 1
    elif isinstance(mean, tuple) and len(mean) not in (1, sizes[-1]):
        raise LayerError("bad-option-value", f"keras Normalization: {len(mean)} means do not broadcast to the last "
                         f"kept axis of size {sizes[-1]} (give 1 or {sizes[-1]})", "mean")
    return outcome


# Each output value depends, through the statistics, on every value normalised with it: the receptive
# field of a cell is the whole group, so these layers have no per-cell field map.
NORM_HOOKS = dict(
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=counting.normalisation_ops,
    receptive_field=no_field, explain=deferred("explaining", "explain_normalisation"),
)


def norm_kinds() -> list[Kind]:
    kinds = []
    affine = Option("affine", boolean, "boolean", "learn a scale and shift per channel (keras: center and scale)",
                    False)
    track = Option("track_running_stats", boolean, "boolean",
                   "torch: keep running statistics (buffers, not params) and use them in eval mode", False,
                   frameworks=TORCH)
    for dims in (1, 2, 3):
        kinds.append(Kind(
            f"instance_norm{dims}d", "instance_norm", dims, (affine, track, EPSILON, MOMENTUM), plan_instance_norm,
            f"{dims}-D instance normalisation: each channel of each sample normalised over its spatial axes; "
            "2C params when affine. keras: GroupNormalization(groups=-1).",
            input_rank=dims + 1,
            formulas={"torch": "same shape; params = 2C if affine", "keras": "same shape; params = 2C if affine"},
            spellings=spellings(f"InstanceNorm{dims}d", "GroupNormalization(groups=-1)", {"epsilon": "eps"},
                                torch_positional=("num_features", "eps", "momentum", "affine", "track_running_stats"),
                                write=(deferred("writing", "torch_instance_norm"), deferred("writing", "keras_instance_norm"))),
            port=deferred("porting_sequence", "port_instance_norm"), **NORM_HOOKS,
        ))
    kinds.append(Kind(
        "group_norm", "group_norm", 0,
        (Option("groups", any_int, "integer >= 1 (keras: or -1, one group per channel)",
                "channel groups normalised together; must divide the channels", {"torch": REQUIRED, "keras": 32},
                aliases=("num_groups",)),
         Option("affine", boolean, "boolean", "torch: learn a scale and shift per channel", True, frameworks=TORCH),
         CENTER, SCALE, EPSILON),
        plan_group_norm, "Group normalisation: channels split into groups normalised together; params 2C "
        "(torch affine; keras center + scale).",
        positional=("groups",),
        formulas={"torch": "same shape; params = 2C if affine", "keras": "same shape; params = C*center + C*scale"},
        spellings=spellings("GroupNorm", "GroupNormalization", {"groups": "num_groups", "epsilon": "eps"},
                            torch_positional=("num_groups", "num_channels", "eps", "affine"),
                            keras_positional=("groups", "axis", "epsilon", "center", "scale"),
                            write=(deferred("writing", "torch_group_norm"), deferred("writing", "keras_group_norm"))),
        option_rules=(check_groups,), port=deferred("porting_sequence", "port_group_norm"),
        differences=deferred("porting_sequence", "norm_affine_differences"), **NORM_HOOKS,
    ))
    kinds.append(Kind(
        "layer_norm", "layer_norm", 0,
        (Option("normalized_shape", positive_shape, "integer or list of integers",
                "torch: the trailing axes normalised together (and the shape of weight and bias)", None,
                frameworks=TORCH),
         Option("axis", axis_list, "integer or list of integers (on the batched tensor)",
                "keras: the axes normalised together (and the shape of gamma and beta)", -1, frameworks=KERAS),
         Option("elementwise_affine", boolean, "boolean", "torch: learn weight (and bias) per normalised value", True,
                aliases=("affine",), frameworks=TORCH),
         Option("bias", boolean, "boolean", "torch: learn a bias too (when elementwise_affine)", True, frameworks=TORCH),
         CENTER, SCALE, EPSILON),
        plan_layer_norm, "Layer normalisation over the last axes: torch params = prod(normalized_shape) x 2 (weight, "
        "bias); keras params = prod(sizes of axis) x (center + scale).",
        positional=("normalized_shape",),
        formulas={"torch": "same shape; params = 2 * prod(normalized_shape)",
                  "keras": "same shape; params = 2 * prod(input sizes on axis)"},
        spellings=spellings("LayerNorm", "LayerNormalization", {"epsilon": "eps"},
                            torch_positional=("normalized_shape", "eps", "elementwise_affine", "bias"),
                            keras_positional=("axis", "epsilon", "center", "scale"),
                            write=(deferred("writing", "torch_layer_norm"), deferred("writing", "keras_layer_norm"))),
        option_rules=(check_layer_norm_options,), port=deferred("porting_sequence", "port_layer_norm"),
        differences=deferred("porting_sequence", "layer_norm_differences"), sequence="follows", **NORM_HOOKS,
    ))
    kinds.append(Kind(
        "normalization", "normalization", 0,
        (Option("axis", axes_or_none, "integer, list of integers or null (on the batched tensor)",
                "keras: the axes with their own statistics (null: one mean and variance for all)", -1,
                frameworks=KERAS),
         Option("mean", numbers_or_none, "number or list of numbers",
                "keras: fixed means (with variance); without them the statistics are adapted weights", None,
                frameworks=KERAS),
         Option("variance", numbers_or_none, "number or list of numbers", "keras: fixed variances (with mean)", None,
                frameworks=KERAS),
         Option("invert", boolean, "boolean", "keras: undo the normalisation instead (no effect on shape)", False,
                frameworks=KERAS)),
        plan_normalization, "keras Normalization: (x - mean) / sqrt(variance); same shape. Without mean and "
        "variance it holds adapted statistics: 2 x prod(kept axis sizes) + 1 non-trainable params (mean, variance, "
        "count); with them, none. torch: arithmetic in forward().",
        formulas={"torch": "(none)", "keras": "same shape; params = 2 * prod(kept sizes) + 1 if adapted, else 0"},
        spellings=spellings("(none: (x - mean) / sqrt(variance))", "Normalization",
                            keras_positional=("axis", "mean", "variance", "invert"),
                            write=(deferred("writing", "none_in", "torch"), deferred("writing", "keras_normalization"))),
        option_rules=(check_normalization_statistics,), port=deferred("porting_sequence", "port_keras_only"),
        sequence="follows", **{**NORM_HOOKS, "explain": deferred("explaining", "explain_learned")},
    ))
    return kinds

