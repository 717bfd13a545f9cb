"""The keras oracle: build a spec-v1 stack in real keras 3 (TensorFlow backend) and run it on zeros.

``run_in_keras(spec)`` constructs each layer, calls it eagerly on a zeros batch of 2 (training=False) and
records, per layer: the output sample shape (no batch axis), params (count_params), the trainable /
non-trainable split, and the 1-based index of the first layer the framework rejects. Recording stops at
that layer. A layer counts as rejected when keras raises at construction or at call, when its output has a
zero-sized axis (spec-v1), or when it is given an input of the wrong rank (spec-v1), even where keras
would silently accept it.

Option names follow spec-v1 (canonical names and aliases); the values go to keras unchanged apart from
the spec-v1 notations keras spells differently (1d padding pairs, one-element per-axis lists).
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import math  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers as kl  # noqa: E402

from runs import KerasResult, KerasRow  # noqa: E402

BATCH = 2

# Normalised type name (lower case, no underscores) -> (kind, dims or None).
_SPATIAL_TYPES = {
    "conv": ["conv{n}d"],
    "conv_transpose": ["convtranspose{n}d", "conv{n}dtranspose"],
    "depthwise_conv": ["depthwiseconv{n}d"],
    "separable_conv": ["separableconv{n}d"],
    "max_pool": ["maxpool{n}d", "maxpooling{n}d"],
    "avg_pool": ["avgpool{n}d", "averagepooling{n}d"],
    "global_avg_pool": ["globalavgpool{n}d", "globalaveragepooling{n}d"],
    "global_max_pool": ["globalmaxpool{n}d", "globalmaxpooling{n}d"],
    "adaptive_avg_pool": ["adaptiveavgpool{n}d", "adaptiveaveragepooling{n}d"],
    "adaptive_max_pool": ["adaptivemaxpool{n}d", "adaptivemaxpooling{n}d"],
    "upsample": ["upsample{n}d", "upsampling{n}d"],
    "zero_padding": ["zeropadding{n}d", "zeropad{n}d"],
    "cropping": ["cropping{n}d"],
    "reflection_padding": ["reflectionpadding{n}d", "reflectionpad{n}d"],
    "replication_padding": ["replicationpadding{n}d", "replicationpad{n}d"],
    "instance_norm": ["instancenorm{n}d"],
    "spatial_dropout": ["spatialdropout{n}d", "dropout{n}d"],
}
_PLAIN_TYPES = {
    "dense": "dense", "linear": "dense", "flatten": "flatten", "reshape": "reshape",
    "batchnorm": "batch_norm", "batchnormalization": "batch_norm", "dropout": "dropout",
    "activation": "activation", "relu": "relu", "leakyrelu": "leaky_relu", "softmax": "softmax",
    "elu": "elu", "sigmoid": "sigmoid", "tanh": "tanh", "gelu": "gelu",
    "upsample": "upsample", "upsampling": "upsample",
    "pixelshuffle": "pixel_shuffle", "pixelunshuffle": "pixel_unshuffle", "groupnorm": "group_norm",
    "groupnormalization": "group_norm", "layernorm": "layer_norm", "layernormalization": "layer_norm",
    "resizing": "resizing", "rescaling": "rescaling", "gaussiannoise": "gaussian_noise", "identity": "identity",
    "embedding": "embedding", "rnn": "rnn", "simplernn": "rnn", "lstm": "lstm", "gru": "gru",
    "multiheadattention": "multi_head_attention", "prelu": "prelu", "learnedtensor": "learned_tensor",
    "normalization": "normalization", "timedistributed": "time_distributed",
}
# Shape operations (no parameters): the spec's names, keras' class and function names.
_SHAPE_OP_TYPES = {
    "squeeze": "squeeze", "unsqueeze": "unsqueeze", "expanddims": "unsqueeze", "permute": "permute",
    "transpose": "transpose", "swapaxes": "transpose", "unflatten": "unflatten", "repeatvector": "repeat_vector",
    "select": "select", "slice": "slice",
}
_PLAIN_TYPES.update(_SHAPE_OP_TYPES)
TYPE_TABLE: dict[str, tuple[str, int | None]] = {name: (kind, None) for name, kind in _PLAIN_TYPES.items()}
for _kind, _patterns in _SPATIAL_TYPES.items():
    for _pattern in _patterns:
        for _n in (1, 2, 3):
            TYPE_TABLE[_pattern.replace("{n}", str(_n))] = (_kind, _n)

# spec-v1 option aliases -> canonical option name.
OPTION_ALIASES = {
    "out_channels": "filters", "kernel": "kernel_size", "strides": "stride",
    "dilation_rate": "dilation", "use_bias": "bias", "out_features": "units", "shape": "target_shape",
    "p": "rate", "alpha": "negative_slope", "dim": "axis",
    "hidden_size": "units", "num_groups": "groups", "num_embeddings": "input_dim", "embedding_dim": "output_dim",
}
RECURRENT_CLASSES = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
TORCH_ONLY = {"pixel_shuffle", "pixel_unshuffle", "reflection_padding", "replication_padding"}
POOL_KINDS = {"max_pool", "avg_pool"}

# Canonical option -> keras keyword, per family.
CONV_KEYWORDS = {"filters": "filters", "kernel_size": "kernel_size", "stride": "strides",
                 "padding": "padding", "dilation": "dilation_rate", "groups": "groups", "bias": "use_bias",
                 "activation": "activation", "output_padding": "output_padding",
                 "depth_multiplier": "depth_multiplier"}
KERAS_CLASSES = {
    "conv": "Conv{n}D", "conv_transpose": "Conv{n}DTranspose", "depthwise_conv": "DepthwiseConv{n}D",
    "separable_conv": "SeparableConv{n}D", "max_pool": "MaxPooling{n}D", "avg_pool": "AveragePooling{n}D",
    "global_avg_pool": "GlobalAveragePooling{n}D", "global_max_pool": "GlobalMaxPooling{n}D",
    "adaptive_avg_pool": "AdaptiveAveragePooling{n}D", "adaptive_max_pool": "AdaptiveMaxPooling{n}D",
    "upsample": "UpSampling{n}D", "zero_padding": "ZeroPadding{n}D", "cropping": "Cropping{n}D",
}


def layer_entry(layer) -> tuple[str, dict]:
    """(type name, options) of a layer in long, short or bare-string form."""
    if isinstance(layer, str):
        return layer, {}
    if "type" in layer:
        return layer["type"], {k: v for k, v in layer.items() if k != "type"}
    ((type_name, options),) = layer.items()
    return type_name, dict(options or {})


def canonical_options(options: dict) -> dict:
    out = {}
    for key, value in options.items():
        if key in ("name", "expect"):
            continue
        out[OPTION_ALIASES.get(key, key)] = value
    return out


def resolve_type(type_name: str, input_rank: int) -> tuple[str, int | None]:
    key = type_name.lower().replace("_", "")
    kind, dims = TYPE_TABLE[key]
    if kind == "upsample" and dims is None:  # no suffix: dimensionality from the input rank
        dims = input_rank - 1
    return kind, dims


def _tuple(value):
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


def _one_axis(value):
    """A 1d per-axis value: [n] -> n and [[a, b]] -> (a, b); the flat pair [a, b] stays a pair."""
    if isinstance(value, list) and len(value) == 1:
        return _tuple(value[0])
    return _tuple(value)


# --- shape operations: keras.ops functions (squeeze, expand_dims, swapaxes) run in a layer of their own;
# Permute and RepeatVector are keras layers; unflatten is the equivalent Reshape. Spec-v1 rules keras does
# not enforce (an axis that is the batch) are refused as tests/oracle/shape_ops_run.py refuses them.

SHAPE_OP_OPTIONS = {"axis1": "dim0", "axis2": "dim1", "unflattened_size": "sizes", "repeats": "n", "axes": "dims",
                    "dims_order": "dims"}


class ShapeOp(kl.Layer):
    """One shape operation of the spec as a keras layer without weights."""

    def __init__(self, kind: str, options: dict):
        super().__init__()
        self.kind, self.options = kind, options

    def call(self, x):
        from shape_ops_run import _spec_refusal

        shape, o = list(x.shape[1:]), self.options
        refusal = _spec_refusal(self.kind, shape, {**o, "framework": "keras"})
        if refusal:
            raise ValueError(refusal)
        if self.kind == "squeeze":
            return keras.ops.squeeze(x, tuple(o["axis"]) if isinstance(o["axis"], list) else o["axis"])
        if self.kind == "unsqueeze":
            return keras.ops.expand_dims(x, o["axis"])
        if self.kind == "transpose":
            return keras.ops.swapaxes(x, o["dim0"], o["dim1"])
        if self.kind in ("select", "slice"):
            from shape_ops_run import _subscript

            return x[_subscript(self.kind, shape, o)]
        raise AssertionError(self.kind)


def make_shape_op(kind: str, options: dict):
    o = {SHAPE_OP_OPTIONS.get(k, k): v for k, v in options.items()}
    if kind == "permute":
        return kl.Permute(tuple(o["dims"]))
    if kind == "repeat_vector":
        return kl.RepeatVector(o["n"])
    if kind == "unflatten":
        return UnflattenAsReshape(o)
    return ShapeOp(kind, o)


class UnflattenAsReshape(kl.Layer):
    """keras has no Unflatten: the Reshape to the shape it gives (one -1 resolved by Reshape itself)."""

    def __init__(self, options: dict):
        super().__init__()
        self.options = options

    def call(self, x):
        from shape_ops_run import _spec_refusal

        shape, o = list(x.shape[1:]), self.options
        refusal = _spec_refusal("unflatten", shape, o)
        if refusal:
            raise ValueError(refusal)
        position = o["axis"] % (len(shape) + 1) - 1
        if not -len(shape) - 1 <= o["axis"] <= len(shape):
            raise ValueError(f"axis {o['axis']} out of range")
        target = [*shape[:position], *o["sizes"], *shape[position + 1:]]
        return kl.Reshape(tuple(target))(x)


def make_layer(kind: str, dims: int | None, options: dict):
    """Construct the keras layer for one spec layer (raises what keras raises); conv and dense layers with
    spectral_norm are wrapped in SpectralNormalization."""
    opts = canonical_options(options)
    if kind in set(_SHAPE_OP_TYPES.values()):
        return make_shape_op(kind, opts)
    if opts.pop("spectral_norm", False):
        return kl.SpectralNormalization(make_layer(kind, dims, opts))
    made = _new_kind_layer(kind, dims, opts)
    if made is not None:
        return made
    if kind in KERAS_CLASSES:
        cls = getattr(kl, KERAS_CLASSES[kind].replace("{n}", str(dims)))
        if kind in POOL_KINDS:
            kwargs = {"pool_size": opts.pop("pool_size", opts.pop("kernel_size", None))}
            if "stride" in opts:
                kwargs["strides"] = opts.pop("stride")
            kwargs.update(opts)
        elif kind in ("zero_padding", "cropping", "upsample", "adaptive_avg_pool", "adaptive_max_pool"):
            key = {"zero_padding": "padding", "cropping": "cropping", "upsample": "size"}.get(
                kind, "output_size")
            if kind == "upsample":  # the spec's other spellings of keras's size and interpolation
                if "scale_factor" in opts:
                    opts["size"] = opts.pop("scale_factor")
                if "mode" in opts:
                    mode = opts.pop("mode")
                    # UpSampling1D/3D take no interpolation: they are nearest, and refuse any other
                    if dims == 2 or mode != "nearest":
                        opts["interpolation"] = mode
            value = opts.pop(key)
            kwargs = {key: _one_axis(value) if dims == 1 else _tuple(value), **opts}
        elif kind in ("global_avg_pool", "global_max_pool"):
            kwargs = opts
        else:
            kwargs = {CONV_KEYWORDS.get(k, k): v for k, v in opts.items()}
        kwargs = {k: _tuple(v) for k, v in kwargs.items()}
        return cls(**kwargs)
    if kind == "dense":
        kwargs = {"units": opts.pop("units")}
        if "bias" in opts:
            kwargs["use_bias"] = opts.pop("bias")
        return kl.Dense(**kwargs, **opts)
    if kind == "flatten":
        return kl.Flatten(**opts)
    if kind == "reshape":
        return kl.Reshape(_tuple(opts["target_shape"]))
    if kind == "batch_norm":
        return kl.BatchNormalization(**opts)
    if kind == "dropout":
        return kl.Dropout(**opts)
    if kind == "activation":
        return kl.Activation(opts["activation"])
    if kind == "relu":
        return kl.ReLU(**opts)
    if kind == "leaky_relu":
        return kl.LeakyReLU(**opts)
    if kind == "softmax":
        return kl.Softmax(**opts)
    if kind == "elu":
        # "alpha" is an alias of leaky_relu's negative_slope, but ELU's own option in keras.
        if "negative_slope" in opts:
            opts["alpha"] = opts.pop("negative_slope")
        return kl.ELU(**opts)
    if kind in ("sigmoid", "tanh", "gelu"):
        return kl.Activation(kind)
    raise AssertionError(f"oracle has no keras mapping for {kind!r}")


def _new_kind_layer(kind: str, dims: int | None, opts: dict):
    """The normalisation, sequence and other layers added with the sequence kinds (None for the others)."""
    if kind in TORCH_ONLY:
        raise ValueError(f"keras has no layer for {kind}")
    if kind == "instance_norm":
        affine = opts.get("affine", False)
        return kl.GroupNormalization(groups=-1, center=affine, scale=affine, epsilon=opts.get("epsilon") or 1e-3)
    if kind == "group_norm":
        return kl.GroupNormalization(groups=opts.get("groups", 32), center=opts.get("center", True),
                                     scale=opts.get("scale", True), epsilon=opts.get("epsilon") or 1e-3)
    if kind == "layer_norm":
        return kl.LayerNormalization(axis=_tuple(opts.get("axis", -1)), center=opts.get("center", True),
                                     scale=opts.get("scale", True), epsilon=opts.get("epsilon") or 1e-3)
    if kind == "spatial_dropout":
        return getattr(kl, f"SpatialDropout{dims}D")(opts["rate"])
    if kind == "resizing":
        return kl.Resizing(**opts)
    if kind == "rescaling":
        return kl.Rescaling(**opts)
    if kind == "gaussian_noise":
        return kl.GaussianNoise(**opts)
    if kind == "identity":
        return kl.Identity()
    if kind == "prelu":
        return kl.PReLU(**opts)
    if kind == "normalization":
        return kl.Normalization(**{k: list(v) if isinstance(v, tuple) else v for k, v in opts.items()})
    if kind == "learned_tensor":
        return learned_tensor_layer(opts)
    if kind == "embedding":
        return kl.Embedding(**opts)
    if kind in RECURRENT_CLASSES:
        bidirectional = opts.pop("bidirectional", False)
        if "bias" in opts:
            opts["use_bias"] = opts.pop("bias")
        layer = getattr(kl, RECURRENT_CLASSES[kind])(**opts)
        return kl.Bidirectional(layer) if bidirectional else layer
    if kind == "multi_head_attention":
        if "bias" in opts:
            opts["use_bias"] = opts.pop("bias")
        return kl.MultiHeadAttention(**{k: _tuple(v) for k, v in opts.items()})
    return None


def learned_tensor_layer(opts: dict):
    """A custom layer holding a weight of the given sample shape (add_weight), added to, multiplied with or
    concatenated to its input."""
    import keras

    shape = opts["target_shape"]  # the option table of this file reads "shape" as reshape's alias
    shape = tuple(shape) if isinstance(shape, (list, tuple)) else (shape,)
    merge, axis, first = opts.get("merge", "add"), opts.get("axis", 1), opts.get("first", True)

    class LearnedTensor(kl.Layer):
        def build(self, input_shape):
            self.value = self.add_weight(shape=(1, *shape), initializer="zeros")

        def call(self, x):
            if merge == "add":
                return x + self.value
            if merge == "multiply":
                return x * self.value
            value = keras.ops.broadcast_to(self.value, (keras.ops.shape(x)[0], *shape))
            return keras.ops.concatenate([value, x] if first else [x, value], axis=axis)

        def compute_output_shape(self, input_shape):
            if merge != "concatenate":
                return tuple(input_shape)
            output = list(input_shape)
            output[axis] += shape[axis if axis < 0 else axis - 1]
            return tuple(output)

    return LearnedTensor()
def make_time_distributed(options: dict, sample_rank: int):
    """keras TimeDistributed around the layer of `layer:`, which acts on one step (a sample one rank lower);
    a layer of another rank than one step's is rejected here, as the spec's own layers are."""
    type_name, inner = layer_entry(options["layer"])
    kind, dims = resolve_type(type_name, sample_rank - 1)
    if dims is not None and sample_rank - 1 != dims + 1:
        raise ValueError(f"wrong step rank {sample_rank - 1} for a {dims}d layer (spec-v1)")
    if kind == "time_distributed":
        return kl.TimeDistributed(make_time_distributed(inner, sample_rank - 1))
    return kl.TimeDistributed(make_layer(kind, dims, inner))


def _weight_count(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


def _short(exc: BaseException) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.startswith("Exception encountered when calling")]
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:300]


def run_in_keras(spec: dict, progress=None) -> KerasResult:
    """Run the stack in keras layer by layer; stop at the first rejected layer. `progress` (from the
    worker, isolation.py) hears ("start", row) before each layer runs and ("done", row) after it."""
    report = progress or (lambda payload: None)
    shape = list(spec["input"])
    # an embedding reads integer ids
    first_type = layer_entry(spec["layers"][0])[0] if spec["layers"] else ""
    x = np.zeros((BATCH, *shape), dtype="int32" if first_type.lower() == "embedding" else "float32")
    rows: list[KerasRow] = []
    for index, layer_spec in enumerate(spec["layers"], start=1):
        type_name, options = layer_entry(layer_spec)
        kind, dims = resolve_type(type_name, len(shape))
        row = KerasRow(index, kind, None, None, None, None)
        rows.append(row)
        report(("start", row))
        if dims is not None and len(shape) != dims + 1:
            row.error = f"wrong input rank {len(shape)} for a {dims}d layer (spec-v1)"
            return KerasResult(rows, index)
        try:
            layer = make_time_distributed(options, len(shape)) if kind == "time_distributed" else \
                make_layer(kind, dims, options)
        except Exception as exc:  # construction error: keras rejects the layer
            row.error = "construction: " + _short(exc)
            return KerasResult(rows, index)
        try:
            # multi-head attention: self-attention, the input is query and value
            y = layer(x, x, training=False) if kind == "multi_head_attention" else layer(x, training=False)
        except Exception as exc:  # execution error
            row.error = "call: " + _short(exc)
            if layer.built:
                _record_params(row, layer)
            return KerasResult(rows, index)
        _record_params(row, layer)
        row.output = [int(d) for d in y.shape[1:]]
        if 0 in row.output:
            row.error = f"zero-sized output {row.output} (spec-v1)"
            return KerasResult(rows, index)
        report(("done", row))
        x, shape = y, row.output
    return KerasResult(rows, None)


def _record_params(row: KerasRow, layer) -> None:
    row.params = int(layer.count_params())
    row.trainable_params = int(_weight_count(layer.trainable_weights))
    row.non_trainable_params = int(_weight_count(layer.non_trainable_weights))


def keras_version() -> str:
    return keras.__version__


TYPE_TABLE["resizing"] = ("resizing", 2)  # keras would take a rank-2 sample for one unbatched image
