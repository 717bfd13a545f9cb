"""Layers that work on any shape: dense, flatten, reshape, batch norm, dropout, activations."""

from __future__ import annotations

from . import axis_maps, counting
from .base import (FunctionSpelling, Kind, LayerCall, LayerError, Outcome, deferred, no_count, no_field,
                                         only_in, spellings)
from .spatial import product
from .norm import CENTER, SCALE
from .weight_wrappers import SPECTRAL_NORM, WEIGHT_NORM, add_weight_wrappers
from .split import AXIS_DOC, sample_axis
from ..shapes import shape_text
from ..options import (
    REQUIRED,
    TORCH,
    Option,
    activation_name,
    any_int,
    boolean,
    number,
    numbers,
    positive_int,
    probability,
    target_shape,
)
from ..options import KERAS as KERAS_ONLY

BIAS = Option("bias", boolean, "boolean", "add a learned bias per unit", True, aliases=("use_bias",))
ACTIVATION = Option("activation", activation_name, "activation name", "fused activation (no params, same shape)", None)


def plan_dense(call: LayerCall) -> Outcome:
    units = call.options["units"]
    features = call.shape[-1]
    outcome = Outcome(output=(*call.shape[:-1], units))
    outcome.params = features * units + (units if call.options["bias"] else 0)
    add_weight_wrappers(outcome, call.options, call.framework, units, units)
    if len(call.shape) > 1:
        name = "Linear" if call.framework == "torch" else "Dense"
        outcome.warn(
            "dense-on-unflattened",
            f"{name} acts on the last axis only: {shape_text(call.shape)} -> {shape_text(outcome.output)}, the other axes are kept. "
            "If you meant one vector per sample, put a flatten layer before it",
            None,
        )
    return outcome


def plan_flatten(call: LayerCall) -> Outcome:
    if call.framework == "keras":  # keras Flatten: every sample axis; a per-sample scalar becomes (1)
        return Outcome(output=(product(call.shape),))
    # torch nn.Flatten(start_dim=1, end_dim=-1): dims count the batched tensor
    rank = len(call.shape)
    if rank == 0:  # torch: "Dimension out of range (expected to be in range of [-1, 0], but got 1)"
        raise LayerError("wrong-rank", "torch flatten needs a sample of rank 1 or more, got a per-sample scalar "
                         "(rank 0, no axis but the batch); unsqueeze or reshape it first (reshape: {target_shape: [1]})")
    start = sample_axis(call.options["start_dim"], rank, "start_dim")
    end = sample_axis(call.options["end_dim"], rank, "end_dim")
    if start > end:
        raise LayerError("bad-axis", f"flatten start_dim {call.options['start_dim']} comes after end_dim "
                         f"{call.options['end_dim']} (torch: start_dim cannot come after end_dim)", "start_dim")
    return Outcome(output=(*call.shape[:start], product(call.shape[start:end + 1]), *call.shape[end + 1:]))


def plan_reshape(call: LayerCall) -> Outcome:
    target = call.options["target_shape"]
    count = product(call.shape)
    known = product(v for v in target if v != -1)
    if -1 in target:
        if count % known:
            raise LayerError(
                "reshape-mismatch",
                f"cannot reshape {shape_text(call.shape)} ({count} elements) to {shape_text(target)}: {count} is not a "
                f"multiple of {known}",
                "target_shape",
            )
        target = tuple(count // known if v == -1 else v for v in target)
    elif known != count:
        fit = fitting_target(count, target)
        raise LayerError(
            "reshape-mismatch",
            f"cannot reshape {shape_text(call.shape)} ({count} elements) to {shape_text(target)} ({known} elements); "
            + ("the element count must match (one axis may be -1)" if fit is None else
               # a value to write in the spec, so written as the spec writes it
               f"the element count must match: use target_shape {list(fit)} or "
               f"{[-1 if new != old else old for new, old in zip(fit, target)]}"),
            "target_shape",
        )
    return Outcome(output=tuple(target))


def fitting_target(count: int, target) -> tuple[int, ...] | None:
    """The target shape with one axis changed so it holds exactly `count` elements (the first axis
    that can be), or None when no single axis can.

    >>> fitting_target(16384, (32, 32, 32)), fitting_target(60, (7, 8)), fitting_target(10, (4, 3))
    ((16, 32, 32), None, None)
    """
    for axis, size in enumerate(target):
        others = product(target) // size
        if count % others == 0:
            return tuple(count // others if j == axis else v for j, v in enumerate(target))
    return None



# torch BatchNorm{1,2,3}d accept these sample ranks (BatchNorm1d: (C) or (C, L)).
_TORCH_NORM_RANKS = {1: (1, 2), 2: (3,), 3: (4,)}


def plan_batch_norm(call: LayerCall) -> Outcome:
    rank = len(call.shape)
    if call.framework == "torch" and call.dims and rank not in _TORCH_NORM_RANKS[call.dims]:
        ranks = " or ".join(str(r) for r in _TORCH_NORM_RANKS[call.dims])
        raise LayerError("wrong-rank", f"batch_norm{call.dims}d needs an input of rank {ranks} (channels first), "
                         f"got {shape_text(call.shape)}", None)
    channels = call.shape[0] if call.framework == "torch" else call.shape[-1]
    outcome = Outcome(output=call.shape)
    if call.framework == "torch":
        # torch counts parameters() only: weight and bias; running stats are buffers.
        outcome.params = 2 * channels
    else:
        # keras counts weights: gamma (scale), beta (center) trainable, moving mean and variance not trainable.
        outcome.params = (2 + int(call.options.get("center", True)) + int(call.options.get("scale", True))) * channels
        outcome.non_trainable = 2 * channels
    return outcome


def spatial_dropout_ranks(dims: int):
    """The sample ranks torch's Dropout{dims}d runs on besides its own (dims + 1): Dropout1d also takes one
    vector per sample (read as one unbatched (C, L)); Dropout2d and Dropout3d take any rank, with a
    warning (keras' SpatialDropout layers take only their own).

    >>> spatial_dropout_ranks(2)("torch", 1), spatial_dropout_ranks(1)("torch", 3), spatial_dropout_ranks(2)("keras", 1)
    (True, False, False)
    """
    def other_ranks(framework: str, rank: int) -> bool:
        return framework == "torch" and (rank == 1 if dims == 1 else rank >= 1)
    return other_ranks


#: sample ranks on which torch runs Dropout{dims}d without a warning (dims: those ranks)
_QUIET_DROPOUT_RANKS = {1: (1, 2), 2: (3,), 3: (3, 4)}


def plan_spatial_dropout(call: LayerCall) -> Outcome:
    """Same shape; on a sample of a rank torch's Dropout2d / Dropout3d warns about, the warning."""
    outcome = Outcome(output=call.shape)
    rank = len(call.shape)
    if call.framework == "torch" and rank not in _QUIET_DROPOUT_RANKS[call.dims]:
        layout = {2: "(C, H, W)", 3: "(C, D, H, W)"}[call.dims]
        outcome.warn("spatial-dropout-rank",
                     f"torch runs Dropout{call.dims}d on a sample of rank {rank} with a warning (it expects "
                     f"{layout}; a later torch raises): the shape is kept, but in training it drops other groups "
                     "of values than whole channels; use nn.Dropout on vectors")
    return outcome


def plan_same_shape(call: LayerCall) -> Outcome:
    axis = call.options.get("dim")
    if axis is not None:
        batched_rank = len(call.shape) + 1
        if not -batched_rank <= axis < batched_rank:
            raise LayerError(
                "bad-axis",
                f"dim {axis} is out of range for a batched input of rank {batched_rank} "
                f"(use {-batched_rank}..{batched_rank - 1})",
                "dim",
            )
    return Outcome(output=call.shape)


_ACTIVATION_WRITERS = (deferred("writing", "torch_activation"), deferred("writing", "keras_activation"))

RESHAPING_HOOKS = dict(  # flatten, reshape: the spatial axes are mixed, no receptive field
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, receptive_field=no_field,
    parameter_free=True,
)
SAME_SHAPE_HOOKS = dict(  # activations, dropout (other_ops set per kind); they take per-sample scalars too
    min_rank=0, macs=no_count, macs_text=deferred("explaining", "macs_text_none"), receptive_field=axis_maps.identity_field,
    explain=deferred("explaining", "explain_same_shape"), parameter_free=True, sequence="follows",
)


def core_kinds() -> list[Kind]:
    kinds = [
        Kind("dense", "dense", 0, (Option("units", positive_int, "integer >= 1", "output features", REQUIRED,
                                          aliases=("out_features", "filters")), BIAS, ACTIVATION, WEIGHT_NORM,
                                          SPECTRAL_NORM),
             plan_dense, "Fully connected layer on the last axis: params = in_features * units + units.",
             positional=("units",), formulas={"torch": "(..., F) -> (..., units)", "keras": "(..., F) -> (..., units)"},
             spellings=spellings("Linear", "Dense", {"units": "out_features"}, {"bias": "use_bias"},
                                 torch_positional=("in_features", "out_features", "bias"),
                                 keras_positional=("units", "activation", "use_bias"),
                                 write=(deferred("writing", "torch_dense"), deferred("writing", "keras_dense")),
                                 keras_functions={"tf_slim.fully_connected": FunctionSpelling(
                                     {"units": "num_outputs", "activation": "activation_fn"},
                                     ("num_outputs", "activation_fn", "normalizer_fn", "normalizer_params",
                                      "weights_initializer", "weights_regularizer", "biases_initializer",
                                      "biases_regularizer", "reuse", "variables_collections", "outputs_collections",
                                      "trainable", "scope"), {"activation": "relu"})}),
             macs=counting.dense_macs, macs_text=deferred("explaining", "macs_text_dense"), other_ops=counting.weighted_ops,
             receptive_field=axis_maps.dense_field, explain=deferred("explaining", "explain_dense"), port=deferred("porting", "port_dense"),
             differences=deferred("porting", "dense_differences"), sequence="follows"),
        Kind("flatten", "flatten", 0, (
            Option("start_dim", any_int, AXIS_DOC, "the first axis flattened (torch nn.Flatten)", {"torch": 1},
                   frameworks=TORCH),
            Option("end_dim", any_int, AXIS_DOC, "the last axis flattened (torch nn.Flatten)", {"torch": -1},
                   frameworks=TORCH)),
             plan_flatten, "Flatten the sample's axes into one (torch: from start_dim to end_dim; keras Flatten: "
             "all of them).",
             formulas={"torch": "nn.Flatten(start_dim, end_dim): (a, b, ...) -> (a*b*...)",
                       "keras": "(a, b, ...) -> (a*b*...)"},
             min_rank=0, spellings=spellings("Flatten", "Flatten", torch_positional=("start_dim", "end_dim"),
                                             keras_positional=("data_format",),
                                             write=(deferred("writing", "torch_flatten"), deferred("writing", "keras_plain")),
                                             keras_functions={"tf_slim.flatten": FunctionSpelling(
                                                 {}, ("outputs_collections", "scope"))}),
             **RESHAPING_HOOKS, explain=deferred("explaining", "explain_flatten"), differences=deferred("porting", "flatten_differences"),
             port=deferred("porting", "port_flatten")),
        Kind("reshape", "reshape", 0, (Option("target_shape", target_shape, "list of integers (one may be -1)",
                                              "new sample shape", REQUIRED, aliases=("shape", "dims")),),
             plan_reshape, "Reshape the sample (batch axis kept); the element count must match. target_shape [] "
             "is a per-sample scalar.", min_rank=0,
             positional=("target_shape",), formulas={"torch": "x.view(N, *target_shape)", "keras": "Reshape(target_shape)"},
             spellings=spellings("reshape", "Reshape", {"target_shape": "shape"}, keras_positional=("target_shape",),
                                 write=(deferred("writing", "torch_reshape"), deferred("writing", "keras_reshape"))), **RESHAPING_HOOKS,
             explain=deferred("explaining", "explain_reshape"), port=deferred("porting", "port_reshape"), differences=deferred("porting", "reshape_differences")),
        Kind("dropout", "dropout", 0, (Option("rate", probability, "number in [0, 1]", "fraction dropped in training",
                                              {"torch": 0.5, "keras": REQUIRED}, aliases=("p",)),),
             plan_same_shape, "Dropout: same shape, no params.", positional=("rate",),
             spellings=spellings("Dropout", "Dropout", {"rate": "p"}, torch_positional=("p", "inplace"),
                                 keras_positional=("rate", "noise_shape", "seed"),
                                 write=(deferred("writing", "torch_dropout"), deferred("writing", "keras_dropout")),
                                 # tf-slim's keep_prob is 1 - rate (planner/model_code/tf_slim.py converts it)
                                 keras_functions={"tf_slim.dropout": FunctionSpelling(
                                     {}, ("keep_prob", "noise_shape", "is_training", "outputs_collections", "scope",
                                          "seed"), {"rate": 0.5})}), **SAME_SHAPE_HOOKS, other_ops=no_count),
    ]
    norm_options = (
        Option("momentum", number, "number", "running-statistics momentum (no effect on shape)", None),
        Option("epsilon", number, "number", "numerical stabiliser (no effect on shape)", None, aliases=("eps",)),
        CENTER, SCALE,
    )
    for dims in (1, 2, 3):
        kinds.append(Kind(
            f"batch_norm{dims}d", "batch_norm", dims, norm_options, plan_batch_norm,
            "Batch normalisation (planned in inference mode): torch 2C params; keras 4C params of which 2C are "
            "non-trainable moving statistics (3C without center or scale).",
            input_rank=None if dims == 1 else dims + 1,
            formulas={"torch": "same shape; params = 2C",
                      "keras": "same shape; params = (2 + center + scale)C (2C non-trainable)"},
            spellings=spellings(f"BatchNorm{dims}d", "BatchNormalization", {"epsilon": "eps"},
                                torch_positional=("num_features", "eps", "momentum", "affine", "track_running_stats"),
                                keras_positional=("axis", "momentum", "epsilon", "center", "scale"),
                                write=(deferred("writing", "torch_batch_norm"), deferred("writing", "keras_batch_norm")),
                                keras_functions={"tf_slim.batch_norm": FunctionSpelling(
                                    {"momentum": "decay"},
                                    ("decay", "center", "scale", "epsilon", "activation_fn", "param_initializers",
                                     "param_regularizers", "updates_collections", "is_training", "reuse",
                                     "variables_collections", "outputs_collections", "trainable", "batch_weights",
                                     "fused", "data_format", "zero_debias_moving_mean", "scope", "renorm",
                                     "renorm_clipping", "renorm_decay", "adjustment"),
                                    {"momentum": 0.999, "scale": False, "epsilon": 0.001})} if dims == 2 else None),
            macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=counting.normalisation_ops,
            receptive_field=axis_maps.identity_field, explain=deferred("explaining", "explain_batch_norm"), port=deferred("porting", "port_batch_norm"),
            differences=deferred("porting", "batch_norm_differences"),
        ))
    slope = Option("negative_slope", number, "number", "slope for x < 0", None, aliases=("alpha",))
    axis = Option("dim", any_int, "integer", "axis the softmax normalises, counted on the batched tensor", None,
                  aliases=("axis",))
    kinds.append(Kind("activation", "activation", 0,
                      (Option("activation", activation_name, "activation name", "which activation", REQUIRED),
                       slope, axis), plan_same_shape,
                      "An activation by name: same shape, no params.", positional=("activation",),
                      spellings=spellings("nn.<Activation>", "Activation", keras_positional=("activation",),
                                          write=_ACTIVATION_WRITERS),
                      **SAME_SHAPE_HOOKS, other_ops=counting.activation_ops, port=deferred("porting", "port_axis_activation")))
    # (torch positional, keras positional) of the activation classes that take options
    positional = {"relu": (("inplace",), ("max_value", "negative_slope", "threshold")),
                  "leaky_relu": (("negative_slope", "inplace"), ("negative_slope",)),
                  "elu": (("alpha", "inplace"), ("alpha",)), "softmax": (("dim",), ("axis",)),
                  "log_softmax": (("dim",), ("axis",))}
    for name, options in (
        ("relu", ()), ("relu6", ()), ("sigmoid", ()), ("tanh", ()), ("leaky_relu", (slope,)),
        ("softmax", (axis,)), ("log_softmax", (axis,)), ("gelu", ()), ("elu", (slope,)), ("selu", ()),
        ("silu", ()), ("swish", ()), ("mish", ()), ("softplus", ()), ("softsign", ()), ("hard_sigmoid", ()),
        ("hard_swish", ()),
    ):
        torch_positional, keras_positional = positional.get(name, (("inplace",), ()))
        kinds.append(Kind(name, "activation", 0, options, plan_same_shape,
                          f"{name} activation: same shape, no params.",
                          spellings=spellings(name, name, torch_positional=torch_positional,
                                              keras_positional=keras_positional, write=_ACTIVATION_WRITERS),
                          **SAME_SHAPE_HOOKS, other_ops=counting.activation_ops,
                          port=deferred("porting", "port_axis_activation") if options else None))
    kinds.append(Kind("identity", "activation", 0, (), plan_same_shape, "Identity: passes its input on unchanged.",
                      spellings=spellings("Identity", "Identity", write=_ACTIVATION_WRITERS), **SAME_SHAPE_HOOKS,
                      other_ops=counting.activation_ops))
    for dims in (1, 2, 3):
        kinds.append(Kind(
            f"spatial_dropout{dims}d", "spatial_dropout", dims,
            (Option("rate", probability, "number in [0, 1]", "fraction of whole channels dropped in training",
                    {"torch": 0.5, "keras": REQUIRED}, aliases=("p",)),),
            plan_spatial_dropout, f"{dims}-D spatial dropout: whole channels dropped; same shape, no params.",
            input_rank=dims + 1, positional=("rate",), other_ranks=spatial_dropout_ranks(dims),
            spellings=spellings(f"Dropout{dims}d", f"SpatialDropout{dims}D", {"rate": "p"},
                                torch_positional=("p", "inplace"), keras_positional=("rate", "seed"),
                                write=(deferred("writing", "torch_spatial_dropout"), deferred("writing", "keras_dropout"))),
            **{**SAME_SHAPE_HOOKS, "receptive_field": axis_maps.identity_field, "sequence": ""}, other_ops=no_count))
    kinds.append(Kind(
        "rescaling", "rescaling", 0,
        (Option("scale", numbers, "number or list of numbers", "multiplier (a list: one per channel)", REQUIRED),
         Option("offset", numbers, "number or list of numbers", "added after scaling", 0.0)),
        plan_rescaling, "keras Rescaling: x * scale + offset; same shape, no params (torch: arithmetic in forward()).",
        positional=("scale",), formulas={"torch": "(none)", "keras": "same shape"},
        spellings=spellings("(none: x * scale + offset)", "Rescaling", keras_positional=("scale", "offset"),
                            write=(deferred("writing", "none_in", "torch"), deferred("writing", "keras_rescaling"))),
        option_rules=(_ABSENT_RESCALING,), port=deferred("porting_sequence", "port_keras_only"),
        **SAME_SHAPE_HOOKS, other_ops=counting.normalisation_ops))
    kinds.append(Kind(
        "gaussian_noise", "gaussian_noise", 0,
        (Option("stddev", number, "number", "standard deviation of the noise added in training", REQUIRED),
         Option("seed", any_int, "integer", "keras: random seed", None, frameworks=KERAS_ONLY)),
        plan_gaussian_noise, "keras GaussianNoise: adds noise in training; same shape, no params.",
        positional=("stddev",), formulas={"torch": "(none)", "keras": "same shape"},
        spellings=spellings("(none: x + stddev * torch.randn_like(x))", "GaussianNoise",
                            write=(deferred("writing", "none_in", "torch"), deferred("writing", "keras_gaussian_noise"))),
        option_rules=(_ABSENT_NOISE,), port=deferred("porting_sequence", "port_keras_only"),
        **SAME_SHAPE_HOOKS, other_ops=no_count))
    return kinds


_ABSENT_RESCALING = only_in("keras", "Rescaling", "write x * scale + offset in forward()")
_ABSENT_NOISE = only_in("keras", "GaussianNoise", "add stddev * torch.randn_like(x) in forward() when training")


def plan_rescaling(call: LayerCall) -> Outcome:
    _ABSENT_RESCALING(call.options, call.framework, 0)
    for option in ("scale", "offset"):  # a list multiplies (or is added to) the last axis, value by value
        value = call.options[option]
        last = call.shape[-1] if call.shape else 1
        if isinstance(value, tuple) and len(value) not in (1, last):
            raise LayerError("bad-option-value", f"keras Rescaling: {len(value)} {option} values do not broadcast "
                             f"against the last axis of size {last} (give 1 or {last})", option)
    return Outcome(output=call.shape)


def plan_gaussian_noise(call: LayerCall) -> Outcome:
    _ABSENT_NOISE(call.options, call.framework, 0)
    return Outcome(output=call.shape)
