"""Seeded random layer stacks in spec-v1 format for the keras differential test.

``random_spec(seed)`` returns one spec dict (``framework: keras``, channels-last input). The generator
tracks an approximate sample shape so that most stacks are legal; about a fifth of the stacks get one
"breaker" layer, a layer keras/TensorFlow rejects (or that spec-v1 declares an error). Whether a stack is
really valid is never decided here: the keras oracle (keras_build.py) is the judge.

Layer type names, option aliases and the three layer forms (long, short, bare string) are mixed on
purpose, so the spec reader is exercised together with the shape rules.
"""

from __future__ import annotations

import math
import random

# ---------------------------------------------------------------------------------------------------------
# Type names: canonical spec-v1 names and keras/torch class-name aliases, per kind and dimensionality.
# "{n}" is replaced by 1, 2 or 3.

TYPE_NAMES = {
    "conv": ["conv{n}d", "Conv{n}D", "conv{n}D", "Conv{n}d"],
    "conv_transpose": ["conv_transpose{n}d", "Conv{n}DTranspose", "ConvTranspose{n}d", "conv{n}d_transpose"],
    "depthwise_conv": ["depthwise_conv{n}d", "DepthwiseConv{n}D"],
    "separable_conv": ["separable_conv{n}d", "SeparableConv{n}D"],
    "max_pool": ["max_pool{n}d", "MaxPooling{n}D", "MaxPool{n}d", "max_pooling{n}d"],
    "avg_pool": ["avg_pool{n}d", "AveragePooling{n}D", "AvgPool{n}d"],
    "global_avg_pool": ["global_avg_pool{n}d", "GlobalAveragePooling{n}D"],
    "global_max_pool": ["global_max_pool{n}d", "GlobalMaxPooling{n}D"],
    "adaptive_avg_pool": ["adaptive_avg_pool{n}d", "AdaptiveAvgPool{n}d", "AdaptiveAveragePooling{n}D"],
    "adaptive_max_pool": ["adaptive_max_pool{n}d", "AdaptiveMaxPool{n}d", "AdaptiveMaxPooling{n}D"],
    "upsample": ["upsample{n}d", "UpSampling{n}D", "upsample"],
    "zero_padding": ["zero_padding{n}d", "ZeroPadding{n}D", "ZeroPad{n}d"],
    "cropping": ["cropping{n}d", "Cropping{n}D"],
    "dense": ["dense", "Dense", "linear", "Linear"],
    "flatten": ["flatten", "Flatten"],
    "reshape": ["reshape", "Reshape"],
    "batch_norm": ["batch_norm", "BatchNormalization", "batch_normalization"],
    "dropout": ["dropout", "Dropout"],
    "activation": ["activation", "Activation"],
    "relu": ["relu", "ReLU"],
    "leaky_relu": ["leaky_relu", "LeakyReLU"],
    "softmax": ["softmax", "Softmax"],
    "elu": ["elu", "ELU"],
    "sigmoid": ["sigmoid"],
    "tanh": ["tanh"],
    "gelu": ["gelu"],
}

TYPE_NAMES.update({
    "squeeze": ["squeeze"],
    "unsqueeze": ["unsqueeze", "expand_dims"],
    "permute": ["permute", "Permute"],
    "transpose": ["transpose", "swapaxes"],
    "unflatten": ["unflatten"],
    "repeat_vector": ["repeat_vector", "RepeatVector"],
    "select": ["select"],
    "slice": ["slice"],
})

# Option names: canonical first, then aliases accepted by spec-v1.
OPTION_NAMES = {
    "filters": ["filters", "out_channels"],
    "kernel_size": ["kernel_size", "kernel"],
    "stride": ["stride", "strides"],
    "dilation": ["dilation", "dilation_rate"],
    "bias": ["bias", "use_bias"],
    "pool_size": ["pool_size", "kernel_size"],
    "units": ["units", "out_features"],
    "target_shape": ["target_shape", "shape"],
    "rate": ["rate", "p"],
    "negative_slope": ["negative_slope", "alpha"],
    "axis": ["axis", "dim"],
}

ACTIVATION_NAMES = ["relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "linear", "swish", "selu"]

# Kinds with a spatial dimensionality (type name carries 1d/2d/3d and needs rank dims + 1).
SPATIAL_KINDS = {
    "conv", "conv_transpose", "depthwise_conv", "separable_conv", "max_pool", "avg_pool",
    "global_avg_pool", "global_max_pool", "adaptive_avg_pool", "adaptive_max_pool", "upsample",
    "zero_padding", "cropping",
}
ONLY_1D_2D = {"depthwise_conv", "separable_conv"}
SHAPE_PRESERVING = ["batch_norm", "dropout", "activation", "relu", "leaky_relu", "softmax", "elu",
                    "sigmoid", "tanh", "gelu"]

INVALID_FRACTION = 0.17


class Builder:
    """Builds one random stack while tracking the approximate sample shape (channels last)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.layers: list = []
        self.shape: list[int] | None = None  # None once the tracker has lost the shape

    # -- helpers -----------------------------------------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    @property
    def spatial(self) -> list[int]:
        return self.shape[:-1]

    @property
    def channels(self) -> int:
        return self.shape[-1]

    def type_name(self, kind: str, dims: int | None = None) -> str:
        name = self.pick(TYPE_NAMES[kind])
        return name.replace("{n}", str(dims)) if "{n}" in name else name

    def opt(self, canonical: str) -> str:
        names = OPTION_NAMES.get(canonical, [canonical])
        return names[0] if self.chance(0.6) else self.pick(names)

    def per_axis(self, dims: int, lo: int, hi: int, limits: list[int] | None = None):
        """An int, or one int per spatial axis; values in [lo, hi] (capped by limits when given)."""
        def draw(axis):
            top = hi if limits is None else max(lo, min(hi, limits[axis]))
            return self.rng.randint(lo, top)
        if dims == 1 or self.chance(0.6):
            value = draw(0) if limits is None else min(draw(a) for a in range(dims))
            return [value] if dims == 1 and self.chance(0.15) else value
        return [draw(a) for a in range(dims)]

    def emit(self, kind: str, options: dict, dims: int | None = None):
        """Append a layer in long, short or bare form."""
        type_name = self.type_name(kind, dims)
        layer_name = f"l{len(self.layers) + 1}" if self.chance(0.1) else None
        if not options and layer_name is None and self.chance(0.5):
            self.layers.append(type_name)
        elif layer_name is None and self.chance(0.4):
            self.layers.append({type_name: options})
        else:
            layer = {"type": type_name}
            if layer_name:
                layer["name"] = layer_name
            layer.update(options)
            self.layers.append(layer)

    # -- shape tracking (approximate; the oracle decides) -------------------------------------------------
    def set_spatial(self, spatial: list[int], channels: int):
        self.shape = None if any(s <= 0 for s in spatial) else [*spatial, channels]

    @staticmethod
    def axis(value, dims: int) -> list[int]:
        return [value] * dims if isinstance(value, int) else list(value)

    # -- legal-ish layers ----------------------------------------------------------------------------------
    def conv_like(self, kind: str):
        dims = len(self.spatial)
        opts: dict = {}
        if kind in ("conv", "conv_transpose", "separable_conv"):
            opts[self.opt("filters")] = self.rng.randint(1, 8)
        kernel = self.per_axis(dims, 1, 4, limits=self.spatial)
        opts[self.opt("kernel_size")] = kernel
        padding = self.pick(["valid", "same", None])
        if kind == "conv" and dims == 1 and self.chance(0.25):
            padding = "causal"
        if padding is not None:
            opts["padding"] = padding
        strided = self.chance(0.4)
        # keras rejects strides > 1 with dilation > 1 in Conv*D (a breaker covers it); depthwise and
        # separable convolutions accept the pair, so they get it here.
        may_dilate = kind in ("depthwise_conv", "separable_conv") or (not strided and kind == "conv")
        dilated = may_dilate and self.chance(0.25)
        if strided:
            opts[self.opt("stride")] = self.per_axis(dims, 1, 3)
        if dilated:
            opts[self.opt("dilation")] = self.per_axis(dims, 1, 2)
        if kind == "conv" and self.chance(0.2):
            groups = self.pick([d for d in (1, 2, 3, 4) if self.channels % d == 0])
            opts["groups"] = groups
            filters_key = next(k for k in opts if k in OPTION_NAMES["filters"])
            opts[filters_key] = groups * self.rng.randint(1, 3)
        if kind in ("depthwise_conv", "separable_conv") and self.chance(0.5):
            opts["depth_multiplier"] = self.rng.randint(1, 3)
        if kind == "conv_transpose":
            stride = self.axis(opts.get("stride", opts.get("strides", 1)), dims)
            choice = self.rng.random()
            if choice < 0.3:
                opts["output_padding"] = 0
            elif choice < 0.55:
                opts["output_padding"] = [self.rng.randint(0, s - 1) for s in stride] \
                    if self.chance(0.5) or dims == 1 else self.rng.randint(0, min(stride) - 1)
            if opts.get("output_padding") is not None and padding == "same":
                # Keep most 'same' + output_padding cases legal on TF: an odd kernel avoids the crash.
                kernel_axes = self.axis(kernel, dims)
                if self.chance(0.7):
                    opts[next(k for k in opts if k in OPTION_NAMES["kernel_size"])] = \
                        [k | 1 for k in kernel_axes] if isinstance(kernel, list) else kernel | 1
        if self.chance(0.3):
            opts[self.opt("bias")] = self.chance(0.5)
        if kind == "conv" and self.chance(0.15):
            opts["activation"] = self.pick(ACTIVATION_NAMES)
        elif kind != "conv":
            # drawn from a generator seeded from the state, so every seed still draws what it drew before
            later = random.Random(hash(self.rng.getstate()[1]))
            if later.random() < 0.35:
                opts["activation"] = later.choice(ACTIVATION_NAMES)
        self.emit(kind, opts, dims)
        self.track_conv(kind, opts, dims)

    def track_conv(self, kind: str, opts: dict, dims: int):
        def get(canonical, default):
            for name in OPTION_NAMES.get(canonical, [canonical]):
                if name in opts:
                    return opts[name]
            return default
        k = self.axis(get("kernel_size", 1), dims)
        s = self.axis(get("stride", 1), dims)
        d = self.axis(get("dilation", 1), dims)
        padding = opts.get("padding", "valid")
        out = []
        for i, ki, si, di in zip(self.spatial, k, s, d):
            k_eff = di * (ki - 1) + 1
            if kind == "conv_transpose":
                op = opts.get("output_padding")
                if op is None:
                    out.append(i * si + max(k_eff - si, 0) if padding == "valid" else i * si)
                else:
                    op_i = self.axis(op, dims)[len(out)] if isinstance(op, list) else op
                    base = k_eff if padding == "valid" else k_eff % 2
                    out.append((i - 1) * si + base + op_i)
            elif padding in ("same", "causal"):
                out.append(math.ceil(i / si))
            else:
                out.append((i - k_eff) // si + 1)
        channels = get("filters", None)
        if channels is None:
            channels = self.channels * get("depth_multiplier", 1) if "depth_multiplier" in opts \
                else self.channels
        self.set_spatial(out, channels)

    def pool(self, kind: str):
        dims = len(self.spatial)
        opts: dict = {}
        size = self.per_axis(dims, 1, 3, limits=self.spatial)
        opts[self.opt("pool_size")] = size
        if self.chance(0.4):
            opts[self.opt("stride")] = self.per_axis(dims, 1, 3)
        padding = self.pick(["valid", "same", None])
        if padding:
            opts["padding"] = padding
        self.emit(kind, opts, dims)
        k = self.axis(size, dims)
        s = self.axis(opts.get("stride", opts.get("strides", size)), dims)
        if padding == "same":
            out = [math.ceil(i / si) for i, si in zip(self.spatial, s)]
        else:
            out = [(i - ki) // si + 1 for i, ki, si in zip(self.spatial, k, s)]
        self.set_spatial(out, self.channels)

    def global_pool(self, kind: str):
        dims = len(self.spatial)
        opts = {}
        keepdims = self.pick([None, True, False])
        if keepdims is not None:
            opts["keepdims"] = keepdims
        self.emit(kind, opts, dims)
        self.shape = [1] * dims + [self.channels] if keepdims else [self.channels]

    def adaptive_pool(self, kind: str):
        dims = len(self.spatial)
        size = self.per_axis(dims, 1, 6)
        self.emit(kind, {"output_size": size}, dims)
        self.set_spatial(self.axis(size, dims), self.channels)

    def upsample(self):
        dims = len(self.spatial)
        size = self.per_axis(dims, 1, 3)
        # drawn from a generator seeded from the state, so every seed still draws what it drew before
        later = random.Random(hash(self.rng.getstate()[1]))
        opts = {"scale_factor" if later.random() < 0.3 else "size": size}
        if later.random() < 0.4:
            # beyond nearest only UpSampling2D interpolates: keras and the planner refuse bilinear elsewhere
            opts["mode"] = later.choice(["nearest", "bilinear", "bicubic"] if dims == 2
                                        else ["nearest", "nearest", "bilinear"])
        self.emit("upsample", opts, dims)
        self.set_spatial([i * f for i, f in zip(self.spatial, self.axis(size, dims))], self.channels)

    def pad_or_crop(self, kind: str):
        dims = len(self.spatial)
        key = "padding" if kind == "zero_padding" else "cropping"
        # Cropping budget per side keeps the result at least 1 wide.
        budget = [max(0, (i - 1) // 2) for i in self.spatial] if kind == "cropping" else [3] * dims
        form = self.rng.random()
        if form < 0.35:
            value = self.rng.randint(0, min(budget))
            pairs = [(value, value)] * dims
        elif form < 0.65 and dims > 1:
            value = [self.rng.randint(0, b) for b in budget]
            pairs = [(v, v) for v in value]
        else:
            pairs = [(self.rng.randint(0, b), self.rng.randint(0, b)) for b in budget]
            value = [list(p) for p in pairs]
            if dims == 1 and self.chance(0.6):
                value = list(pairs[0])  # flat [before, after]
        self.emit(kind, {key: value}, dims)
        sign = 1 if kind == "zero_padding" else -1
        self.set_spatial([i + sign * (a + b) for i, (a, b) in zip(self.spatial, pairs)], self.channels)

    def dense(self):
        opts = {self.opt("units"): self.rng.randint(1, 10)}
        if self.chance(0.25):
            opts[self.opt("bias")] = self.chance(0.5)
        if self.chance(0.2):
            opts["activation"] = self.pick(ACTIVATION_NAMES)
        self.emit("dense", opts)
        self.shape = [*self.shape[:-1], opts.get("units", opts.get("out_features"))]

    def flatten(self):
        self.emit("flatten", {})
        self.shape = [math.prod(self.shape)]

    def reshape(self):
        total = math.prod(self.shape)
        divisors = [d for d in range(1, total + 1) if total % d == 0]
        first = self.pick(divisors)
        target = [first, total // first]
        if self.chance(0.3):
            second = self.pick([d for d in divisors if (total // first) % d == 0])
            target = [first, second, total // first // second]
        result = list(target)
        if self.chance(0.5):
            target[self.rng.randrange(len(target))] = -1
        self.emit("reshape", {self.opt("target_shape"): target})
        self.shape = result

    def shape_preserving(self):
        kind = self.pick(SHAPE_PRESERVING)
        opts: dict = {}
        if kind == "dropout":
            opts[self.opt("rate")] = self.pick([0.0, 0.1, 0.25, 0.5, 0.9])
        elif kind == "activation":
            opts["activation"] = self.pick(ACTIVATION_NAMES)
        elif kind == "leaky_relu" and self.chance(0.5):
            opts[self.opt("negative_slope")] = self.pick([0.01, 0.1, 0.2])
        elif kind == "softmax" and self.chance(0.4):
            opts[self.opt("axis")] = -1
        elif kind == "elu" and random.Random(hash(self.rng.getstate()[1])).random() < 0.5:
            opts[self.opt("negative_slope")] = self.pick([0.5, 1.0, 2.0])
        elif kind == "batch_norm":
            # none of these changes a shape; center and scale change the parameter count
            # drawn from a generator seeded from the state, so every seed still draws what it drew before
            later = random.Random(hash(self.rng.getstate()[1]))
            for option, values in (("epsilon", [1e-5, 1e-3, 0.01]), ("momentum", [0.9, 0.99, 0.5]),
                                   ("center", [True, False]), ("scale", [True, False])):
                if later.random() < 0.5:
                    opts[option] = later.choice(values)
        self.emit(kind, opts)

    def legal_layer(self):
        rank = len(self.shape)
        dims = rank - 1
        choices: list[tuple[float, callable]] = [
            (1.5, self.shape_preserving), (1.0, self.dense), (0.4, self.reshape),
        ]
        if rank > 1:
            choices.append((0.5, self.flatten))
        if 1 <= dims <= 3:
            choices += [
                (3.0, lambda: self.conv_like("conv")),
                (1.2, lambda: self.conv_like("conv_transpose")),
                (1.5, lambda: self.pool(self.pick(["max_pool", "avg_pool"]))),
                (0.6, lambda: self.global_pool(self.pick(["global_avg_pool", "global_max_pool"]))),
                (0.6, lambda: self.adaptive_pool(self.pick(["adaptive_avg_pool", "adaptive_max_pool"]))),
                (0.7, self.upsample),
                (1.0, lambda: self.pad_or_crop(self.pick(["zero_padding", "cropping"]))),
            ]
            if dims <= 2:
                choices.append((1.2, lambda: self.conv_like(self.pick(["depthwise_conv", "separable_conv"]))))
        choices += [(weight, lambda step=step: step(self)) for weight, step in shape_op_steps(self.shape)]
        if math.prod(self.shape) > 4096:  # keep tensors small: shrink before growing further
            choices = [c for c in choices if c[1] not in (self.upsample,)]
        weights = [w for w, _ in choices]
        self.rng.choices([f for _, f in choices], weights=weights)[0]()

    # -- breakers: layers keras/TF rejects, or spec-v1 declares an error -----------------------------------
    def breaker(self):
        rank = len(self.shape)
        dims = rank - 1
        options = [self.break_reshape, self.break_bad_value]
        if 1 <= dims <= 3:
            options += [
                self.break_kernel_too_big, self.break_pool_to_zero, self.break_output_padding,
                self.break_groups, self.break_same_op_even_kernel, self.break_stride_and_dilation,
                self.break_transpose_dilation, self.break_upsample_float, self.break_crop_all,
                self.break_wrong_padding, self.break_adaptive_null, self.break_wrong_rank,
                self.break_transpose_groups,
            ]
        else:
            options.append(self.break_wrong_rank)
        options.append(lambda: break_shape_op(self))
        self.pick(options)()
        self.shape = None

    def break_kernel_too_big(self):
        dims = len(self.spatial)
        kind = self.pick(["conv", "conv", "depthwise_conv" if dims <= 2 else "conv",
                          "separable_conv" if dims <= 2 else "conv"])
        opts = {} if kind == "depthwise_conv" else {"filters": 2}
        opts[self.opt("kernel_size")] = min(self.spatial) + self.rng.randint(1, 2)
        if self.chance(0.5):
            opts["padding"] = "valid"
        self.emit(kind, opts, dims)

    def break_pool_to_zero(self):
        dims = len(self.spatial)
        self.emit(self.pick(["max_pool", "avg_pool"]),
                  {self.opt("pool_size"): max(self.spatial) + self.rng.randint(1, 2)}, dims)

    def break_output_padding(self):
        dims = len(self.spatial)
        stride = self.rng.randint(1, 3)
        self.emit("conv_transpose", {"filters": 3, "kernel_size": 3, self.opt("stride"): stride,
                                     "output_padding": stride + self.rng.randint(0, 1)}, dims)

    def break_groups(self):
        dims = len(self.spatial)
        groups = self.rng.randint(2, 5)
        if self.channels % groups == 0 or self.chance(0.5):
            filters = groups * 2 + 1  # filters not divisible
        else:
            filters = groups * 2  # input channels not divisible
        self.emit("conv", {"filters": filters, "kernel_size": 1, "groups": groups}, dims)

    def break_same_op_even_kernel(self):
        dims = len(self.spatial)
        self.emit("conv_transpose", {"filters": 2, "kernel_size": self.pick([2, 4]),
                                     self.opt("stride"): self.pick([1, 2]), "padding": "same",
                                     "output_padding": 0}, dims)

    def break_stride_and_dilation(self):
        dims = len(self.spatial)
        self.emit("conv", {"filters": 2, "kernel_size": 1, self.opt("stride"): 2,
                           self.opt("dilation"): 2, "padding": "same"}, dims)

    def break_transpose_dilation(self):
        dims = len(self.spatial)
        self.emit("conv_transpose", {"filters": 2, "kernel_size": self.pick([1, 3]),
                                     self.opt("dilation"): 2}, dims)

    def break_transpose_groups(self):
        dims = len(self.spatial)
        self.emit("conv_transpose", {"filters": 2, "kernel_size": 1, "groups": 1}, dims)

    def break_upsample_float(self):
        dims = len(self.spatial)
        self.emit("upsample", {"size": self.pick([1.5, 2.0, 0.5])}, dims)

    def break_crop_all(self):
        dims = len(self.spatial)
        value = max(self.spatial) // 2 + self.rng.randint(0, 1)
        self.emit("cropping", {"cropping": value}, dims)

    def break_wrong_padding(self):
        dims = len(self.spatial)
        if dims == 1:
            kind, padding = self.pick([("conv_transpose", "causal"), ("max_pool", "causal"),
                                       ("separable_conv", "causal"), ("conv", 1)])
        else:
            kind, padding = self.pick([("conv", "causal"), ("conv", 1), ("avg_pool", 1)])
        opts = {"padding": padding}
        if kind in ("conv", "conv_transpose", "separable_conv"):
            opts.update({"filters": 2, "kernel_size": 1})
        else:
            opts["pool_size"] = 1
        self.emit(kind, opts, dims)

    def break_adaptive_null(self):
        dims = len(self.spatial)
        size = [None] + [2] * (dims - 1)
        self.emit(self.pick(["adaptive_avg_pool", "adaptive_max_pool"]), {"output_size": size}, dims)

    def break_wrong_rank(self):
        rank = len(self.shape)
        dims = self.pick([d for d in (1, 2, 3) if d + 1 != rank])
        kind = self.pick(["conv", "max_pool", "global_avg_pool", "adaptive_avg_pool", "upsample",
                          "zero_padding", "cropping", "conv_transpose"])
        opts = {
            "conv": {"filters": 2, "kernel_size": 1},
            "conv_transpose": {"filters": 2, "kernel_size": 1},
            "max_pool": {"pool_size": 1},
            "global_avg_pool": {},
            "adaptive_avg_pool": {"output_size": 1},
            "upsample": {"size": 1},
            "zero_padding": {"padding": 1},
            "cropping": {"cropping": 0},
        }[kind]
        self.emit(kind, opts, dims)

    def break_reshape(self):
        total = math.prod(self.shape)
        target = self.pick([[total + 1], [-1, total + 1], [total, 2], [-1, -1]])
        self.emit("reshape", {self.opt("target_shape"): target})

    def break_bad_value(self):
        choice = self.rng.randrange(3)
        if choice == 0:
            self.emit("dense", {"units": 0})
        elif choice == 1:
            self.emit("dropout", {"rate": 1.5})
        else:
            self.emit("activation", {"activation": "no_such_activation"})


# ---------------------------------------------------------------------------------------------------------
# Shape operations (keras axes count the batched tensor: 1 is the first sample axis, -1 the last)

def _axis(b: Builder, rank: int) -> int:
    """A sample axis as keras writes it: 1..rank or -rank..-1."""
    axis = b.rng.randint(1, rank)
    return axis - rank - 1 if b.chance(0.4) else axis


def step_squeeze(b: Builder):
    ones = [k for k, v in enumerate(b.shape) if v == 1]
    picked = b.rng.sample(ones, b.rng.randint(1, min(len(ones), len(b.shape) - 1)))
    b.emit("squeeze", {b.opt("axis"): [k + 1 for k in picked] if len(picked) > 1 else picked[0] + 1})
    b.shape = [v for k, v in enumerate(b.shape) if k not in picked]


def step_expand_dims(b: Builder):
    rank = len(b.shape)
    axis = _axis(b, rank + 1)
    b.emit("unsqueeze", {b.opt("axis"): axis})
    position = axis - 1 if axis > 0 else rank + 1 + axis
    b.shape = [*b.shape[:position], 1, *b.shape[position:]]


def step_permute(b: Builder):
    order = b.rng.sample(range(len(b.shape)), len(b.shape))
    b.emit("permute", {"dims": [k + 1 for k in order]})
    b.shape = [b.shape[k] for k in order]


def step_swapaxes(b: Builder):
    rank = len(b.shape)
    first, second = _axis(b, rank), _axis(b, rank)
    b.emit("transpose", {"dim0": first, "dim1": second} if b.chance(0.5) else {"axis1": first, "axis2": second})
    a, c = first % (rank + 1) - 1, second % (rank + 1) - 1
    b.shape[a], b.shape[c] = b.shape[c], b.shape[a]


def step_unflatten(b: Builder):
    position = b.rng.randrange(len(b.shape))
    length = b.shape[position]
    first = b.pick([d for d in range(1, length + 1) if length % d == 0])
    sizes = [first, length // first]
    written = list(sizes)
    if b.chance(0.3):
        written[b.rng.randrange(2)] = -1
    b.emit("unflatten", {b.opt("axis"): position + 1, "sizes": written})
    b.shape = [*b.shape[:position], *sizes, *b.shape[position + 1:]]


def step_repeat_vector(b: Builder):
    n = b.rng.randint(1, 4)
    b.emit("repeat_vector", {"n": n})
    b.shape = [n, b.shape[0]]


def step_select(b: Builder):
    position = b.rng.randrange(len(b.shape))
    length = b.shape[position]
    b.emit("select", {b.opt("axis"): position + 1 if b.chance(0.6) else position - len(b.shape),
                      "index": b.rng.randint(-length, length - 1)})
    b.shape = [v for k, v in enumerate(b.shape) if k != position]


def step_slice(b: Builder):
    position = b.rng.randrange(len(b.shape))
    length = b.shape[position]
    start, stop = b.rng.randint(-length - 2, length - 1), b.rng.randint(-length, length + 2)
    step = b.pick([1, 1, 2, 3, -1, -2])
    if not range(length)[start:stop:step]:
        start, stop = (None, None)
    b.emit("slice", {b.opt("axis"): position + 1, "start": start, "stop": stop, "step": step})
    b.shape[position] = len(range(length)[start:stop:step])


def shape_op_steps(shape: list[int]) -> list[tuple[float, callable]]:
    """The shape operations that fit this sample shape, with their weights (rank stays 1..4)."""
    rank = len(shape)
    steps = [(0.3, step_permute), (0.3, step_swapaxes)]
    if any(v == 1 for v in shape) and rank > 1:
        steps.append((0.4, step_squeeze))
    if rank <= 3:
        steps += [(0.3, step_expand_dims), (0.3, step_unflatten)]
    if rank == 1:
        steps.append((0.4, step_repeat_vector))
    steps.append((0.3, step_slice))
    if rank > 1:
        steps.append((0.3, step_select))
    return steps


def break_shape_op(b: Builder):
    """A shape operation keras (or spec-v1) rejects: squeezing an axis whose size is not 1, the batch
    axis, an axis out of range, a Permute that is not 1..rank, RepeatVector on a rank > 1 sample."""
    rank = len(b.shape)
    pick = b.pick(["squeeze", "batch", "range", "permute", "repeat", "index"])
    if pick == "index":  # an index outside the axis, an empty slice, a step of 0
        b.emit(*b.pick([("select", {"axis": 1, "index": b.shape[0]}), ("slice", {"axis": -1, "start": b.shape[-1]}),
                        ("slice", {"axis": 1, "start": 2, "stop": 1}), ("slice", {"axis": 1, "step": 0})]))
    elif pick == "squeeze" and any(v != 1 for v in b.shape):
        b.emit("squeeze", {"axis": [k + 1 for k, v in enumerate(b.shape) if v != 1][0]})
    elif pick == "batch":
        b.emit(*b.pick([("squeeze", {"axis": 0}), ("unsqueeze", {"axis": 0}), ("transpose", {"dim0": 0, "dim1": 1})]))
    elif pick == "range":
        b.emit(*b.pick([("unsqueeze", {"axis": rank + 2}), ("transpose", {"dim0": 1, "dim1": -rank - 2})]))
    elif pick == "permute":
        b.emit("permute", {"dims": b.pick([[*range(1, rank + 2)], [*range(0, rank)], [1] * rank])})
    else:
        b.emit("repeat_vector", {"n": 2}) if rank > 1 else b.emit("permute", {"dims": [2]})


def random_input(rng: random.Random) -> list[int]:
    dims = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
    top = {1: 24, 2: 14, 3: 7}[dims]
    spatial = [rng.randint(3, top) for _ in range(dims)]
    if dims > 1 and rng.random() < 0.5:
        spatial = [spatial[0]] * dims  # square inputs are common
    return [*spatial, rng.randint(1, 6)]


def random_spec(seed: int) -> dict:
    """One random keras-mode spec, fully determined by ``seed``.

    >>> random_spec(3)["framework"]
    'keras'
    """
    rng = random.Random(seed)
    builder = Builder(rng)
    builder.shape = random_input(rng)
    input_shape = list(builder.shape)
    n_layers = rng.randint(1, 5)
    breaker_at = rng.randrange(n_layers) if rng.random() < INVALID_FRACTION else None
    for position in range(n_layers):
        if builder.shape is None:
            break
        if position == breaker_at:
            builder.breaker()
            if rng.random() < 0.5:
                break
            # Layers after an error still have to be accepted by the planner (unknown shape).
            builder.shape = [4]
            builder.dense()
            break
        builder.legal_layer()
    spec = {"framework": "keras", "input": input_shape, "layers": builder.layers}
    if rng.random() < 0.2:
        spec = {"name": f"random-{seed}", **spec}
    if rng.random() < 0.1:
        spec["batch"] = rng.choice([1, 8, 32])  # memory estimates only; never changes shapes
    return spec
