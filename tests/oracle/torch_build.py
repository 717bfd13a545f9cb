"""Build the torch equivalent of a spec-v1 layer stack and run it on zeros.

This is the reference side of the torch differential tests. It reads a spec dict independently of
`planner/` (its own table of type and option aliases), builds one torch module per spec layer, runs
the stack in eval mode on a zeros batch and records, per layer, what torch itself says:

    >>> run = run_torch({"framework": "torch", "input": [1, 28, 28],
    ...                  "layers": [{"type": "conv2d", "filters": 32, "kernel_size": 3}]})
    >>> run.layers[0].output, run.layers[0].params, run.first_error
    ([32, 26, 26], 320, None)

Rules of spec-v1 that go beyond "torch raised":
- a layer whose output has a zero-sized axis is rejected;
- a layer given an input of the wrong rank is rejected, even where torch would silently treat the
  sample as unbatched (Conv2d on a (C, L) sample);
- construction errors (groups not dividing channels) and forward errors both count.

Layers with no single torch module use their natural torch equivalent (spec-v1): global pool =
adaptive pool to 1 then flatten (keepdims keeps the 1s); depthwise = conv with groups = channels;
separable = depthwise then 1x1 conv, each with its own bias; cropping = slicing; zero padding = ZeroPadNd
with torch's last-axis-first tuple; reshape keeps the batch axis.
"""

from __future__ import annotations

import warnings
import torch
from torch import nn

from runs import TorchLayer, TorchRun

BATCH = 2

# --------------------------------------------------------------------------------------------
# Layer types: squashed alias (lower case, underscores removed) -> (kind, spatial dims or None)
# --------------------------------------------------------------------------------------------

_SUFFIXED_ALIASES = {
    # kind: alias patterns, "{n}" is the dimension
    "conv": ["conv{n}d"],
    "conv_transpose": ["convtranspose{n}d", "conv{n}dtranspose"],
    "depthwise_conv": ["depthwiseconv{n}d"],
    "separable_conv": ["separableconv{n}d"],
    "max_pool": ["maxpool{n}d", "maxpooling{n}d"],
    "avg_pool": ["avgpool{n}d", "averagepooling{n}d"],
    "global_avg_pool": ["globalavgpool{n}d", "globalaveragepooling{n}d"],
    "global_max_pool": ["globalmaxpool{n}d", "globalmaxpooling{n}d"],
    "adaptive_avg_pool": ["adaptiveavgpool{n}d"],
    "adaptive_max_pool": ["adaptivemaxpool{n}d"],
    "upsample": ["upsample{n}d", "upsampling{n}d"],
    "zero_padding": ["zeropadding{n}d", "zeropad{n}d"],
    "cropping": ["cropping{n}d"],
    "batch_norm": ["batchnorm{n}d"],
    "reflection_padding": ["reflectionpadding{n}d", "reflectionpad{n}d"],
    "replication_padding": ["replicationpadding{n}d", "replicationpad{n}d"],
    "instance_norm": ["instancenorm{n}d"],
    "spatial_dropout": ["spatialdropout{n}d", "dropout{n}d"],
}

_UNSUFFIXED_ALIASES = {
    "upsample": ["upsample", "upsampling"],
    "batch_norm": ["batchnorm", "batchnormalization"],
    "dense": ["dense", "linear"],
    "flatten": ["flatten"],
    "reshape": ["reshape"],
    "dropout": ["dropout"],
    "activation": ["activation"],
    "relu": ["relu"],
    "sigmoid": ["sigmoid"],
    "tanh": ["tanh"],
    "leaky_relu": ["leakyrelu"],
    "softmax": ["softmax"],
    "gelu": ["gelu"],
    "elu": ["elu"],
    "pixel_shuffle": ["pixelshuffle"],
    "pixel_unshuffle": ["pixelunshuffle"],
    "group_norm": ["groupnorm", "groupnormalization"],
    "layer_norm": ["layernorm", "layernormalization"],
    "resizing": ["resizing"],
    "rescaling": ["rescaling"],
    "gaussian_noise": ["gaussiannoise"],
    "identity": ["identity"],
    "embedding": ["embedding"],
    "rnn": ["rnn", "simplernn"],
    "lstm": ["lstm"],
    "gru": ["gru"],
    "multi_head_attention": ["multiheadattention"],
    "prelu": ["prelu"],
    "learned_tensor": ["learnedtensor"],
    "normalization": ["normalization"],
}

# Shape operations (no parameters), as torch writes them: the spec's names and keras' class names.
_SHAPE_OP_ALIASES = {
    "squeeze": ["squeeze"],
    "unsqueeze": ["unsqueeze", "expanddims"],
    "permute": ["permute"],
    "transpose": ["transpose", "swapaxes"],
    "unflatten": ["unflatten"],
    "repeat_vector": ["repeatvector"],
    "select": ["select"],
    "slice": ["slice"],
}
_UNSUFFIXED_ALIASES.update(_SHAPE_OP_ALIASES)

TYPE_TABLE: dict[str, tuple[str, int | None]] = {}
for _kind, _patterns in _SUFFIXED_ALIASES.items():
    for _n in (1, 2, 3):
        for _pattern in _patterns:
            TYPE_TABLE[_pattern.format(n=_n)] = (_kind, _n)
for _kind, _aliases in _UNSUFFIXED_ALIASES.items():
    for _alias in _aliases:
        TYPE_TABLE[_alias] = (_kind, None)

ACTIVATION_KINDS = {"relu", "sigmoid", "tanh", "leaky_relu", "softmax", "gelu", "elu"}

# Option aliases -> canonical option name. Pooling calls its kernel `pool_size`.
OPTION_ALIASES = {
    "out_channels": "filters",
    "kernel": "kernel_size",
    "strides": "stride",
    "dilation_rate": "dilation",
    "use_bias": "bias",
    "out_features": "units",
    "shape": "target_shape",
    "p": "rate",
    "alpha": "negative_slope",
    "axis": "dim",
    "hidden_size": "units",
    "num_groups": "groups",
    "num_embeddings": "input_dim",
    "embedding_dim": "output_dim",
}
POOL_KINDS = {"max_pool", "avg_pool"}


class SpecRejected(Exception):
    """A layer spec-v1 rejects although torch itself might not raise (rank, zero size)."""


def squash(name: str) -> str:
    return name.lower().replace("_", "")


def layer_entry(entry) -> tuple[str, dict]:
    """Split one spec layer (bare string, short form or long form) into (type name, options)."""
    if isinstance(entry, str):
        return entry, {}
    if "type" in entry:
        options = {k: v for k, v in entry.items() if k not in ("type", "name", "expect")}
        return entry["type"], options
    ((type_name, options),) = entry.items()
    return type_name, dict(options or {})


def canonical_layer(entry) -> tuple[str, int | None, dict]:
    """(kind, spatial dims or None, options with canonical names) for one spec layer."""
    type_name, options = layer_entry(entry)
    kind, dims = TYPE_TABLE[squash(type_name)]
    canonical = {}
    for key, value in options.items():
        key = OPTION_ALIASES.get(key, key)
        if kind in POOL_KINDS and key == "kernel_size":
            key = "pool_size"
        canonical[key] = value
    return kind, dims, canonical


# --------------------------------------------------------------------------------------------
# Expected input rank (of one sample, no batch axis)
# --------------------------------------------------------------------------------------------

def resolve_dims(kind: str, dims: int | None, rank: int) -> int | None:
    """Spatial dims of a layer; types without a suffix take it from the input rank."""
    if dims is not None:
        return dims
    if kind == "upsample":
        return rank - 1 if 2 <= rank <= 4 else None
    if kind == "batch_norm":
        return {1: 1, 2: 1, 3: 2, 4: 3}.get(rank)
    return None


def check_rank(kind: str, dims: int | None, rank: int) -> None:
    if kind == "batch_norm":
        allowed = {1: (1, 2), 2: (3,), 3: (4,)}.get(dims, ())
    elif kind in ("dense", "flatten", "group_norm", "layer_norm", "embedding"):
        allowed = range(1, 99)
    elif kind in ("pixel_shuffle", "pixel_unshuffle", "resizing"):
        allowed = (3,)
    elif kind in ("rnn", "lstm", "gru", "multi_head_attention"):
        allowed = (2,)
    elif kind in ("rescaling", "gaussian_noise", "identity", "prelu", "learned_tensor", "normalization"):
        allowed = range(0, 99)
    elif kind in ("reshape", "dropout", "activation") or kind in ACTIVATION_KINDS:
        allowed = range(0, 99)
    elif kind in SHAPE_OP_RANKS:
        allowed = SHAPE_OP_RANKS[kind]
    else:
        allowed = (dims + 1,) if dims else ()
    if rank not in allowed:
        raise SpecRejected(f"{kind}{dims or ''}d expects an input of rank {tuple(allowed)}, got rank {rank}")


# --------------------------------------------------------------------------------------------
# Module builders: (dims, options, input sample shape) -> nn.Module
# --------------------------------------------------------------------------------------------

def _tuple(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _conv_class(dims: int):
    return {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[dims]


def _activation_module(name: str | None, options: dict | None = None) -> nn.Module:
    options = options or {}
    if name in (None, "linear"):
        return nn.Identity()
    table = {
        "relu": lambda: nn.ReLU(),
        "sigmoid": lambda: nn.Sigmoid(),
        "tanh": lambda: nn.Tanh(),
        "gelu": lambda: nn.GELU(),
        "elu": lambda: nn.ELU(options.get("negative_slope", 1.0)),
        "leaky_relu": lambda: nn.LeakyReLU(options.get("negative_slope", 0.01)),
        "softmax": lambda: nn.Softmax(dim=options.get("dim", 1)),
    }
    return table[name]()


def _with_activation(module: nn.Module, options: dict) -> nn.Module:
    if options.get("activation") in (None, "linear"):
        return module
    return nn.Sequential(module, _activation_module(options["activation"]))


def _weight_wrapped(module: nn.Module, o: dict) -> nn.Module:
    """weight_norm / spectral_norm as torch's parametrizations apply them (on `weight`, default dims)."""
    if o.get("weight_norm"):
        module = nn.utils.parametrizations.weight_norm(module)
    if o.get("spectral_norm"):
        module = nn.utils.parametrizations.spectral_norm(module)
    return module


def build_conv(dims, o, shape):
    conv = _conv_class(dims)(
        shape[0], o["filters"], _tuple(o["kernel_size"]),
        stride=_tuple(o.get("stride", 1)), padding=_tuple(o.get("padding", 0)),
        dilation=_tuple(o.get("dilation", 1)), groups=o.get("groups", 1), bias=o.get("bias", True))
    return _with_activation(_weight_wrapped(conv, o), o)


def build_conv_transpose(dims, o, shape):
    cls = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}[dims]
    conv = cls(
        shape[0], o["filters"], _tuple(o["kernel_size"]),
        stride=_tuple(o.get("stride", 1)), padding=_tuple(o.get("padding", 0)),
        output_padding=_tuple(o.get("output_padding", 0)), groups=o.get("groups", 1),
        bias=o.get("bias", True), dilation=_tuple(o.get("dilation", 1)))
    return _with_activation(_weight_wrapped(conv, o), o)


def _depthwise(dims, o, channels):
    return _conv_class(dims)(
        channels, channels * o.get("depth_multiplier", 1), _tuple(o["kernel_size"]),
        stride=_tuple(o.get("stride", 1)), padding=_tuple(o.get("padding", 0)),
        dilation=_tuple(o.get("dilation", 1)), groups=channels, bias=o.get("bias", True))


def build_depthwise_conv(dims, o, shape):
    return _with_activation(_depthwise(dims, o, shape[0]), o)


def build_separable_conv(dims, o, shape):
    depthwise = _depthwise(dims, o, shape[0])
    pointwise = _conv_class(dims)(depthwise.out_channels, o["filters"], 1, bias=o.get("bias", True))
    return _with_activation(nn.Sequential(depthwise, pointwise), o)


def build_max_pool(dims, o, shape):
    cls = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}[dims]
    return cls(_tuple(o["pool_size"]), stride=_tuple(o.get("stride")), padding=_tuple(o.get("padding", 0)),
               dilation=_tuple(o.get("dilation", 1)), ceil_mode=o.get("ceil_mode", False))


def build_avg_pool(dims, o, shape):
    cls = {1: nn.AvgPool1d, 2: nn.AvgPool2d, 3: nn.AvgPool3d}[dims]
    return cls(_tuple(o["pool_size"]), stride=_tuple(o.get("stride")), padding=_tuple(o.get("padding", 0)),
               ceil_mode=o.get("ceil_mode", False))


def _adaptive(kind, dims, output_size):
    classes = {
        "avg": {1: nn.AdaptiveAvgPool1d, 2: nn.AdaptiveAvgPool2d, 3: nn.AdaptiveAvgPool3d},
        "max": {1: nn.AdaptiveMaxPool1d, 2: nn.AdaptiveMaxPool2d, 3: nn.AdaptiveMaxPool3d},
    }
    return classes[kind][dims](output_size)


def build_adaptive_avg_pool(dims, o, shape):
    return _adaptive("avg", dims, _tuple(o["output_size"]))


def build_adaptive_max_pool(dims, o, shape):
    return _adaptive("max", dims, _tuple(o["output_size"]))


def _global(kind, dims, o):
    pool = _adaptive(kind, dims, 1)
    return pool if o.get("keepdims", False) else nn.Sequential(pool, nn.Flatten())


def build_global_avg_pool(dims, o, shape):
    return _global("avg", dims, o)


def build_global_max_pool(dims, o, shape):
    return _global("max", dims, o)


def build_upsample(dims, o, shape):
    return nn.Upsample(size=_tuple(o.get("size")), scale_factor=_tuple(o.get("scale_factor")),
                       mode=o.get("mode", "nearest"), align_corners=o.get("align_corners"))


def before_after_pairs(value, dims: int) -> list[tuple[int, int]]:
    """spec-v1 padding/cropping value -> one (before, after) per spatial axis, in D, H, W order."""
    if isinstance(value, int):
        return [(value, value)] * dims
    value = list(value)
    if dims == 1 and len(value) == 2 and all(isinstance(v, int) for v in value):
        return [(value[0], value[1])]  # 1d flat [a, b] means before, after
    if len(value) != dims:
        raise SpecRejected(f"expected one value per spatial axis ({dims}), got {value}")
    return [(v, v) if isinstance(v, int) else (v[0], v[1]) for v in value]


def build_zero_padding(dims, o, shape):
    pairs = before_after_pairs(o.get("padding", 1), dims)
    torch_pad = tuple(side for pair in reversed(pairs) for side in pair)  # last axis first
    cls = {1: nn.ZeroPad1d, 2: nn.ZeroPad2d, 3: nn.ZeroPad3d}[dims]
    return cls(torch_pad)


class Crop(nn.Module):
    """Cropping as slicing: keep [before, length - after) on each spatial axis."""

    def __init__(self, pairs):
        super().__init__()
        self.pairs = pairs

    def forward(self, x):
        spatial = x.shape[2:]
        index = [slice(None), slice(None)]
        index += [slice(before, length - after) for (before, after), length in zip(self.pairs, spatial)]
        return x[tuple(index)]


def build_cropping(dims, o, shape):
    return Crop(before_after_pairs(o.get("cropping", 1), dims))


def build_batch_norm(dims, o, shape):
    cls = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d, 3: nn.BatchNorm3d}[dims]
    return cls(shape[0], eps=o.get("epsilon", 1e-5), momentum=o.get("momentum", 0.1))


def build_dense(dims, o, shape):
    return _with_activation(_weight_wrapped(nn.Linear(shape[-1], o["units"], bias=o.get("bias", True)), o), o)


def build_flatten(dims, o, shape):
    _refuse_batch_axis("flatten", o, shape)
    return nn.Flatten(o.get("start_dim", 1), o.get("end_dim", -1))


class KeepBatchReshape(nn.Module):
    """Reshape every sample to `target` (one -1 allowed), keeping the batch axis."""

    def __init__(self, target):
        super().__init__()
        self.target = tuple(target)

    def forward(self, x):
        # reshape, not view: a view after slicing (cropping) would fail for memory-layout reasons
        # that say nothing about the shapes.
        return x.reshape(x.shape[0], *self.target)


def build_reshape(dims, o, shape):
    return KeepBatchReshape(o["target_shape"])


def build_dropout(dims, o, shape):
    return nn.Dropout(o.get("rate", 0.5))


def build_activation(dims, o, shape):
    return _activation_module(o["activation"], o)


# --- shape operations: torch's own functions; spec-v1 rules torch does not enforce (an axis that is the
# batch, a permutation that moves it) are refused as tests/oracle/shape_ops_run.py refuses them.

SHAPE_OP_RANKS = {"squeeze": range(0, 99), "unsqueeze": range(0, 99), "permute": range(1, 99),
                  "transpose": range(1, 99), "unflatten": range(1, 99), "repeat_vector": (1,),
                  "select": range(1, 99), "slice": range(1, 99)}
SHAPE_OP_OPTIONS = {"axis1": "dim0", "axis2": "dim1", "unflattened_size": "sizes", "repeats": "n", "axes": "dims",
                    "dims_order": "dims"}


class ShapeOp(nn.Module):
    """A torch function of one tensor as a module (no parameters)."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, x):
        return self.function(x)


def _shape_op_options(o: dict) -> dict:
    return {SHAPE_OP_OPTIONS.get(k, k): v for k, v in o.items()}


def _refuse_batch_axis(kind: str, o: dict, shape) -> None:
    from shape_ops_run import _spec_refusal

    options = {("axis" if k == "dim" else k): v for k, v in _shape_op_options(o).items()}
    refusal = _spec_refusal(kind, shape, {**options, "framework": "torch"})
    if refusal:
        raise SpecRejected(refusal)


def build_squeeze(dims, o, shape):
    _refuse_batch_axis("squeeze", o, shape)
    axis = _shape_op_options(o)["dim"]
    return ShapeOp(lambda x: torch.squeeze(x, tuple(axis) if isinstance(axis, list) else axis))


def build_unsqueeze(dims, o, shape):
    _refuse_batch_axis("unsqueeze", o, shape)
    return ShapeOp(lambda x: torch.unsqueeze(x, _shape_op_options(o)["dim"]))


def build_permute(dims, o, shape):
    _refuse_batch_axis("permute", o, shape)
    return ShapeOp(lambda x: x.permute(*_shape_op_options(o)["dims"]))


def build_transpose(dims, o, shape):
    _refuse_batch_axis("transpose", o, shape)
    options = _shape_op_options(o)
    return ShapeOp(lambda x: torch.transpose(x, options["dim0"], options["dim1"]))


def build_unflatten(dims, o, shape):
    _refuse_batch_axis("unflatten", o, shape)
    options = _shape_op_options(o)
    return nn.Unflatten(options["dim"], tuple(options["sizes"]))


def build_indexing(kind):
    """select / slice: the subscript x[:, ..., item] (shape_ops_run._subscript)."""
    def build(dims, o, shape):
        from shape_ops_run import _subscript

        options = {("axis" if k == "dim" else k): v for k, v in o.items()}
        _refuse_batch_axis(kind, options, shape)
        key = _subscript(kind, shape, options)
        return ShapeOp(lambda x: x[key])
    return build


def build_repeat_vector(dims, o, shape):
    n = _shape_op_options(o)["n"]
    return ShapeOp(lambda x: x.unsqueeze(1).repeat(1, n, 1))


def build_other_padding(cls_name):
    def build(dims, o, shape):
        pairs = before_after_pairs(o["padding"], dims)
        return getattr(nn, f"{cls_name}{dims}d")(tuple(side for pair in reversed(pairs) for side in pair))
    return build


def build_instance_norm(dims, o, shape):
    cls = {1: nn.InstanceNorm1d, 2: nn.InstanceNorm2d, 3: nn.InstanceNorm3d}[dims]
    return cls(shape[0], eps=o.get("epsilon") or 1e-5, momentum=o.get("momentum") or 0.1, affine=o.get("affine", False),
               track_running_stats=o.get("track_running_stats", False))


def build_layer_norm(dims, o, shape):
    return nn.LayerNorm(_tuple(o["normalized_shape"]), eps=o.get("epsilon") or 1e-5,
                        elementwise_affine=o.get("elementwise_affine", True),
                        bias=o.get("bias", True))


def build_spatial_dropout(dims, o, shape):
    return {1: nn.Dropout1d, 2: nn.Dropout2d, 3: nn.Dropout3d}[dims](o.get("rate", 0.5))


def build_resizing(dims, o, shape):
    return nn.Upsample(size=(o["height"], o["width"]), mode=o.get("interpolation", "bilinear"))


def build_missing(name):
    def build(dims, o, shape):
        raise SpecRejected(f"torch has no {name} layer")
    return build


class LearnedTensor(nn.Module):
    """A parameter of the given sample shape added to, multiplied with or concatenated to the input, as a
    model holding an nn.Parameter writes it (a leading 1 for the batch axis)."""

    def __init__(self, shape, merge, axis, first):
        super().__init__()
        self.value = nn.Parameter(torch.zeros(1, *shape))
        self.merge, self.axis, self.first = merge, axis, first

    def forward(self, x):
        if self.merge == "add":
            return x + self.value
        if self.merge == "multiply":
            return x * self.value
        value = self.value.expand(x.shape[0], *self.value.shape[1:])
        return torch.cat([value, x] if self.first else [x, value], dim=self.axis)


def build_learned_tensor(dims, o, shape):
    shape = o["target_shape"]  # the option table of this file reads "shape" as reshape's alias
    return LearnedTensor(tuple(shape) if isinstance(shape, (list, tuple)) else (shape,),
                         o.get("merge", "add"), o.get("axis", 1), o.get("first", True))


class SequenceFirst(nn.Module):
    """A recurrent or attention module on (N, L, F) samples, whatever its batch_first: the main output."""

    def __init__(self, module, batch_first, attention=False):
        super().__init__()
        self.module, self.batch_first, self.attention = module, batch_first, attention

    def forward(self, x):
        if not self.batch_first:
            x = x.transpose(0, 1)
        out = self.module(x, x, x)[0] if self.attention else self.module(x)[0]
        return out if self.batch_first else out.transpose(0, 1)


def build_recurrent(cls):
    def build(dims, o, shape):
        module = cls(shape[-1], o["units"], num_layers=o.get("num_layers", 1), bias=o.get("bias", True),
                     batch_first=o.get("batch_first", False), dropout=o.get("dropout", 0.0),
                     bidirectional=o.get("bidirectional", False))
        return SequenceFirst(module, o.get("batch_first", False))
    return build


def build_attention(dims, o, shape):
    module = nn.MultiheadAttention(o.get("embed_dim", shape[-1]), o["num_heads"], dropout=o.get("dropout", 0.0),
                                   bias=o.get("bias", True), add_bias_kv=o.get("add_bias_kv", False),
                                   kdim=o.get("kdim"), vdim=o.get("vdim"), batch_first=o.get("batch_first", False))
    return SequenceFirst(module, o.get("batch_first", False), attention=True)


BUILDERS = {
    "conv": build_conv,
    "conv_transpose": build_conv_transpose,
    "depthwise_conv": build_depthwise_conv,
    "separable_conv": build_separable_conv,
    "max_pool": build_max_pool,
    "avg_pool": build_avg_pool,
    "global_avg_pool": build_global_avg_pool,
    "global_max_pool": build_global_max_pool,
    "adaptive_avg_pool": build_adaptive_avg_pool,
    "adaptive_max_pool": build_adaptive_max_pool,
    "upsample": build_upsample,
    "zero_padding": build_zero_padding,
    "cropping": build_cropping,
    "batch_norm": build_batch_norm,
    "dense": build_dense,
    "flatten": build_flatten,
    "reshape": build_reshape,
    "dropout": build_dropout,
    "activation": build_activation,
    "pixel_shuffle": lambda dims, o, shape: nn.PixelShuffle(o["upscale_factor"]),
    "pixel_unshuffle": lambda dims, o, shape: nn.PixelUnshuffle(o["downscale_factor"]),
    "reflection_padding": build_other_padding("ReflectionPad"),
    "replication_padding": build_other_padding("ReplicationPad"),
    "instance_norm": build_instance_norm,
    "group_norm": lambda dims, o, shape: nn.GroupNorm(o["groups"], shape[0], eps=o.get("epsilon") or 1e-5,
                                                      affine=o.get("affine", True)),
    "layer_norm": build_layer_norm,
    "spatial_dropout": build_spatial_dropout,
    "resizing": build_resizing,
    "rescaling": build_missing("Rescaling"),
    "gaussian_noise": build_missing("GaussianNoise"),
    "identity": lambda dims, o, shape: nn.Identity(),
    "embedding": lambda dims, o, shape: nn.Embedding(o["input_dim"], o["output_dim"], padding_idx=o.get("padding_idx")),
    "rnn": build_recurrent(nn.RNN),
    "lstm": build_recurrent(nn.LSTM),
    "gru": build_recurrent(nn.GRU),
    "multi_head_attention": build_attention,
    "prelu": lambda dims, o, shape: nn.PReLU(o.get("num_parameters", 1)),
    "learned_tensor": build_learned_tensor,
    "normalization": build_missing("Normalization"),
}
BUILDERS.update(squeeze=build_squeeze, unsqueeze=build_unsqueeze, permute=build_permute, transpose=build_transpose,
                unflatten=build_unflatten, repeat_vector=build_repeat_vector, select=build_indexing("select"),
                slice=build_indexing("slice"))
for _kind in ACTIVATION_KINDS:
    BUILDERS[_kind] = lambda dims, o, shape, _kind=_kind: _activation_module(_kind, o)


# --------------------------------------------------------------------------------------------
# Running a stack
# --------------------------------------------------------------------------------------------

def _count_params(module: nn.Module) -> tuple[int, int, int]:
    total = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    return total, trainable, total - trainable


def run_layer(entry, shape: list[int]) -> TorchLayer:
    """Build and run one spec layer on a zeros batch whose samples have `shape`."""
    kind, dims, options = canonical_layer(entry)
    layer = TorchLayer(index=0, kind=kind, input=list(shape))
    try:
        dims = resolve_dims(kind, dims, len(shape))
        check_rank(kind, dims, len(shape))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = BUILDERS[kind](dims, options, shape)
            layer.params, layer.trainable, layer.non_trainable = _count_params(module)
            module.eval()
            with torch.no_grad():
                # an embedding reads integer ids
                dtype = torch.long if kind == "embedding" else torch.float32
                out = module(torch.zeros(BATCH, *shape, dtype=dtype))
        if out.dim() == 0 or out.shape[0] != BATCH:
            raise SpecRejected(f"the batch axis was not kept: {tuple(out.shape)}")
        if 0 in out.shape:
            raise SpecRejected(f"zero-sized output {list(out.shape[1:])}")
        layer.output = list(out.shape[1:])
    except (SpecRejected, Exception) as exc:  # noqa: BLE001 - any torch error is a rejection
        layer.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return layer


def run_torch(spec: dict, progress=None) -> TorchRun:
    """Run a spec-v1 torch stack layer by layer; stop at the first rejected layer. `progress` (from the
    worker, isolation.py) hears ("start", index) before each layer runs and ("done", layer) after it."""
    report = progress or (lambda payload: None)
    run = TorchRun()
    shape = list(spec["input"])
    for index, entry in enumerate(spec["layers"], start=1):
        report(("start", index))
        layer = run_layer(entry, shape)
        layer.index = index
        report(("done", layer))
        run.layers.append(layer)
        if layer.error is not None:
            run.first_error = index
            break
        shape = layer.output
    return run


torch.set_num_threads(1)
