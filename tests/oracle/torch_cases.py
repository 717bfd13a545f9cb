"""Seeded random layer stacks in spec-v1 format for the torch differential tests.

`generate_spec(seed)` returns one spec dict with `framework: torch`: a channels-first input
(1d, 2d or 3d) and a stack of layers drawn from every torch-mode layer type and option of spec-v1,
written in a random mix of long form, short form, bare strings, class-name aliases and option
aliases. Roughly a fifth of the stacks contain one layer torch rejects (or spec-v1 declares an
error: zero-sized output, wrong input rank), followed by a few more layers that the planner must
keep going through.

The generator proposes layers from the current sample shape and asks torch (`torch_build.run_layer`)
for the exact next shape, so stacks meant to be valid stay valid deep into the stack and the
proposals can aim at boundaries (kernel == padded input, padding == kernel // 2, output_padding ==
max(stride, dilation) - 1 ...).

    python tests/oracle/torch_cases.py 5      # print five stacks and torch's verdict
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from torch_build import run_layer  # noqa: E402

MAX_ELEMENTS = 12_000      # per sample, keeps torch fast
INVALID_SHARE = 0.2
MAX_LAYERS = 7

# --------------------------------------------------------------------------------------------
# Presentation: type aliases, option aliases, long/short/bare forms
# --------------------------------------------------------------------------------------------

TYPE_SPELLINGS = {
    # kind: spellings; "{n}" is the dimension
    "conv": ["conv{n}d", "Conv{n}d", "Conv{n}D"],
    "conv_transpose": ["conv_transpose{n}d", "ConvTranspose{n}d", "Conv{n}DTranspose"],
    "depthwise_conv": ["depthwise_conv{n}d", "DepthwiseConv{n}D"],
    "separable_conv": ["separable_conv{n}d", "SeparableConv{n}D"],
    "max_pool": ["max_pool{n}d", "MaxPool{n}d", "MaxPooling{n}D"],
    "avg_pool": ["avg_pool{n}d", "AvgPool{n}d", "AveragePooling{n}D"],
    "global_avg_pool": ["global_avg_pool{n}d", "GlobalAveragePooling{n}D"],
    "global_max_pool": ["global_max_pool{n}d", "GlobalMaxPooling{n}D"],
    "adaptive_avg_pool": ["adaptive_avg_pool{n}d", "AdaptiveAvgPool{n}d"],
    "adaptive_max_pool": ["adaptive_max_pool{n}d", "AdaptiveMaxPool{n}d"],
    # torch `size` is the output size; keras UpSampling is kept for scale_factor only
    "upsample": ["upsample{n}d", "upsample", "Upsample"],
    "zero_padding": ["zero_padding{n}d", "ZeroPadding{n}D", "ZeroPad{n}d"],
    "cropping": ["cropping{n}d", "Cropping{n}D"],
    "batch_norm": ["batch_norm{n}d", "batch_norm", "BatchNorm{n}d", "BatchNormalization"],
    "dense": ["dense", "Dense", "Linear"],
    "flatten": ["flatten", "Flatten"],
    "reshape": ["reshape", "Reshape"],
    "dropout": ["dropout", "Dropout"],
    "activation": ["activation", "Activation"],
    "relu": ["relu", "ReLU"],
    "sigmoid": ["sigmoid", "Sigmoid"],
    "tanh": ["tanh", "Tanh"],
    "leaky_relu": ["leaky_relu", "LeakyReLU"],
    "softmax": ["softmax", "Softmax"],
    "gelu": ["gelu", "GELU"],
    "elu": ["elu", "ELU"],
}

TYPE_SPELLINGS.update({
    "squeeze": ["squeeze"],
    "unsqueeze": ["unsqueeze", "expand_dims"],
    "permute": ["permute", "Permute"],
    "transpose": ["transpose", "swapaxes"],
    "unflatten": ["unflatten", "Unflatten"],
    "repeat_vector": ["repeat_vector", "RepeatVector"],
    "select": ["select"],
    "slice": ["slice"],
})

# Documented option aliases (spec-v1's table), per kind.
OPTION_SPELLINGS = {
    "conv": {"filters": "out_channels", "kernel_size": "kernel", "stride": "strides",
             "dilation": "dilation_rate", "bias": "use_bias"},
    "max_pool": {"pool_size": "kernel_size", "stride": "strides"},
    "avg_pool": {"pool_size": "kernel_size", "stride": "strides"},
    "dense": {"units": "out_features", "bias": "use_bias"},
    "reshape": {"target_shape": "shape"},
    "dropout": {"rate": "p"},
    "leaky_relu": {"negative_slope": "alpha"},
    "softmax": {"dim": "axis"},
    "squeeze": {"dim": "axis"},
    "unsqueeze": {"dim": "axis"},
    "unflatten": {"dim": "axis", "sizes": "unflattened_size"},
    "select": {"axis": "dim"},
    "slice": {"axis": "dim"},
}

ACTIVATION_NAMES = ["relu", "sigmoid", "tanh", "gelu", "elu", "softmax", "leaky_relu"]


def spelled_type(rng: random.Random, kind: str, dims: int | None, options: dict, keep_suffix: bool) -> str:
    """A spelling of the type. Without keep_suffix, a suffixed layer may be written without its
    suffix where the dimension then comes from the input rank (upsample, batch_norm): on a valid
    input that is the same layer."""
    spellings = TYPE_SPELLINGS[kind]
    if dims is None:
        spellings = [s for s in spellings if "{n}" not in s]
    elif keep_suffix:
        spellings = [s for s in spellings if "{n}" in s]
    if kind == "upsample" and "scale_factor" in options and dims is not None:
        spellings = spellings + ["UpSampling{n}D"]
    return rng.choice(spellings).format(n=dims)


def dress(rng: random.Random, kind: str, dims: int | None, options: dict, name: str | None = None,
          keep_suffix: bool = False):
    """Write one layer in a random presentation: long form, short form or bare string."""
    type_name = spelled_type(rng, kind, dims, options, keep_suffix)
    aliases = OPTION_SPELLINGS.get(kind, {})
    spelled = {}
    for key, value in options.items():
        if key in aliases and rng.random() < 0.35:
            key = aliases[key]
        spelled[key] = value
    if not spelled and rng.random() < 0.6:
        return type_name
    if name is not None or rng.random() < 0.5:
        entry = {"type": type_name}
        if name is not None:
            entry["name"] = name
        entry.update(spelled)
        return entry
    return {type_name: spelled}


# --------------------------------------------------------------------------------------------
# Small helpers for per-axis options
# --------------------------------------------------------------------------------------------

def per_axis(rng: random.Random, values: list[int]):
    """An int when all axes agree (usually), else one int per spatial axis."""
    if len(set(values)) == 1 and rng.random() < 0.7:
        return values[0]
    return list(values)


def later_options_rng(rng: random.Random) -> random.Random:
    """A generator for options drawn after the first release of these cases: seeded from `rng`'s state
    without drawing from it, so every seed still draws what it drew before (and covers what it covered)."""
    return random.Random(hash(rng.getstate()[1]))


def boundary_int(rng: random.Random, low: int, high: int) -> int:
    """A value in [low, high], often one of the two ends."""
    if high <= low:
        return low
    roll = rng.random()
    if roll < 0.25:
        return high
    if roll < 0.35:
        return low
    return rng.randint(low, high)


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


# --------------------------------------------------------------------------------------------
# Valid-layer proposals: (rng, sample shape) -> (kind, dims, options)
# --------------------------------------------------------------------------------------------

def propose_conv(rng, shape):
    channels, spatial = shape[0], shape[1:]
    dims = len(spatial)
    options = {"filters": rng.randint(1, 8)}
    dilation = [rng.choice([1, 1, 1, 2]) for _ in spatial]
    padding_mode = rng.choice(["int", "int", "axes", "same", "valid", "none"])
    if padding_mode == "same":
        stride = [1] * dims
    else:
        stride = [rng.choice([1, 1, 2, 3]) for _ in spatial]
    pads = [rng.randint(0, 2) for _ in spatial] if padding_mode in ("int", "axes") else [0] * dims
    if padding_mode == "int":
        pads = [pads[0]] * dims
    kernel = []
    for size, pad, dil in zip(spatial, pads, dilation):
        largest = (size + 2 * pad - 1) // dil + 1 if padding_mode != "same" else 5
        kernel.append(boundary_int(rng, 1, max(1, min(5, largest))))
    options["kernel_size"] = per_axis(rng, kernel)
    if any(s != 1 for s in stride) or rng.random() < 0.2:
        options["stride"] = per_axis(rng, stride)
    if padding_mode in ("same", "valid"):
        options["padding"] = padding_mode
    elif padding_mode == "int":
        options["padding"] = pads[0]
    elif padding_mode == "axes":
        options["padding"] = list(pads)
    if any(d != 1 for d in dilation):
        options["dilation"] = per_axis(rng, dilation)
    if rng.random() < 0.25:
        common = [g for g in divisors(channels) if g > 1]
        if common:
            groups = rng.choice(common)
            options["groups"] = groups
            options["filters"] = groups * rng.randint(1, 3)
    if rng.random() < 0.3:
        options["bias"] = rng.choice([True, False])
    if rng.random() < 0.15:
        options["activation"] = rng.choice(ACTIVATION_NAMES)
    return "conv", dims, options


def propose_conv_transpose(rng, shape):
    channels, spatial = shape[0], shape[1:]
    dims = len(spatial)
    kernel = [rng.randint(1, 4) for _ in spatial]
    stride = [rng.choice([1, 2, 2, 3]) for _ in spatial]
    dilation = [rng.choice([1, 1, 2]) for _ in spatial]
    padding = [rng.randint(0, max(0, k - 1)) for k in kernel]
    output_padding = [boundary_int(rng, 0, max(s, d) - 1) if rng.random() < 0.5 else 0
                      for s, d in zip(stride, dilation)]
    options = {"filters": rng.randint(1, 6), "kernel_size": per_axis(rng, kernel)}
    if any(s != 1 for s in stride):
        options["stride"] = per_axis(rng, stride)
    if any(padding) or rng.random() < 0.2:
        options["padding"] = per_axis(rng, padding)
    if any(output_padding):
        options["output_padding"] = per_axis(rng, output_padding)
    if any(d != 1 for d in dilation):
        options["dilation"] = per_axis(rng, dilation)
    if rng.random() < 0.2:
        common = [g for g in divisors(channels) if g > 1]
        if common:
            groups = rng.choice(common)
            options["groups"] = groups
            options["filters"] = groups * rng.randint(1, 2)
    if rng.random() < 0.3:
        options["bias"] = rng.choice([True, False])
    later = later_options_rng(rng)
    if later.random() < 0.15:
        options["activation"] = later.choice(ACTIVATION_NAMES)
    return "conv_transpose", dims, options


def _depthwise_options(rng, shape):
    spatial = shape[1:]
    options = {}
    dilation = rng.choice([1, 1, 1, 2])
    if rng.random() < 0.3:
        options["padding"] = "same"
        stride = 1
    else:
        stride = rng.choice([1, 1, 2])
        pad = rng.randint(0, 1)
        if pad:
            options["padding"] = pad
    pad = options.get("padding", 0) if options.get("padding") != "same" else 0
    largest = min((s + 2 * pad - 1) // dilation + 1 for s in spatial)
    options["kernel_size"] = boundary_int(rng, 1, max(1, min(5, largest)))
    if stride != 1:
        options["stride"] = stride
    if dilation != 1:
        options["dilation"] = dilation
    if rng.random() < 0.4:
        options["depth_multiplier"] = rng.randint(1, 3)
    if rng.random() < 0.3:
        options["bias"] = rng.choice([True, False])
    later = later_options_rng(rng)
    if later.random() < 0.15:
        options["activation"] = later.choice(ACTIVATION_NAMES)
    return options


def propose_depthwise_conv(rng, shape):
    return "depthwise_conv", len(shape) - 1, _depthwise_options(rng, shape)


def propose_separable_conv(rng, shape):
    options = _depthwise_options(rng, shape)
    options = {"filters": rng.randint(1, 8), **options}
    return "separable_conv", len(shape) - 1, options


def propose_pool(rng, shape, kind=None):
    kind = kind or rng.choice(["max_pool", "avg_pool"])
    spatial = shape[1:]
    dims = len(spatial)
    pool = [boundary_int(rng, 1, min(4, s)) for s in spatial]
    options = {"pool_size": per_axis(rng, pool)}
    if rng.random() < 0.4:
        options["stride"] = per_axis(rng, [rng.randint(1, 3) for _ in spatial])
    dilation = [1] * dims
    if kind == "max_pool" and rng.random() < 0.2:
        dilation = [rng.choice([1, 2]) for _ in spatial]
        options["dilation"] = per_axis(rng, dilation)
    if rng.random() < 0.4:
        options["padding"] = per_axis(rng, [boundary_int(rng, 0, k // 2) for k in pool])
    if rng.random() < 0.4:
        options["ceil_mode"] = rng.choice([True, False])
    return kind, dims, options


def propose_global_pool(rng, shape):
    kind = rng.choice(["global_avg_pool", "global_max_pool"])
    options = {}
    if rng.random() < 0.5:
        options["keepdims"] = rng.choice([True, False])
    elif later_options_rng(rng).random() < 0.5:
        options["keepdims"] = True
    return kind, len(shape) - 1, options


def propose_adaptive_pool(rng, shape):
    kind = rng.choice(["adaptive_avg_pool", "adaptive_max_pool"])
    spatial = shape[1:]
    sizes = [rng.randint(1, s + 2) for s in spatial]
    if len(spatial) > 1 and rng.random() < 0.4:
        sizes[rng.randrange(len(sizes))] = None
        output_size = sizes
    elif len(spatial) == 1 and rng.random() < 0.05:
        output_size = [None]  # torch's 1d adaptive pools reject None
    else:
        output_size = per_axis(rng, sizes)
    return kind, len(spatial), {"output_size": output_size}


SCALE_FACTORS = [2, 2, 3, 0.5, 1.5, 2.5, 0.7, 1.3, 2.0, 1.75, 1.16]  # 25 * 1.16 floors to 28 in floats


def propose_upsample(rng, shape):
    spatial = shape[1:]
    dims = len(spatial) if rng.random() < 0.6 else None
    if rng.random() < 0.6:
        if rng.random() < 0.6:
            options = {"scale_factor": rng.choice(SCALE_FACTORS)}
        else:
            options = {"scale_factor": [rng.choice(SCALE_FACTORS) for _ in spatial]}
    else:
        sizes = [rng.randint(1, 2 * s + 1) for s in spatial]
        options = {"size": per_axis(rng, sizes)}
    if rng.random() < 0.15:
        # `mode` is beyond spec-v1's table; layerplan accepts torch's modes, some of which need a rank
        options["mode"] = rng.choice(["nearest", "nearest-exact", "area", UPSAMPLE_MODE_FOR_DIMS[len(spatial)]])
    return "upsample", dims, options


UPSAMPLE_MODE_FOR_DIMS = {1: "linear", 2: "bilinear", 3: "trilinear"}


def invalid_upsample_mode(rng, shape):
    dims = len(shape) - 1
    mode = rng.choice([m for d, m in UPSAMPLE_MODE_FOR_DIMS.items() if d != dims] + (["bicubic"] if dims != 2 else []))
    return "upsample", dims, {"scale_factor": 2, "mode": mode}


def _sides(rng, spatial, largest_total):
    """A padding/cropping value in one of spec-v1's forms, each axis's total <= largest_total(size)."""
    dims = len(spatial)
    form = rng.choice(["int", "axes", "pairs"] + (["flat"] if dims == 1 else []))
    if form == "int":
        limit = min(largest_total(s) // 2 for s in spatial)
        return rng.randint(0, max(0, min(3, limit)))
    if form == "axes":
        return [rng.randint(0, max(0, min(3, largest_total(s) // 2))) for s in spatial]
    pairs = []
    for s in spatial:
        limit = max(0, min(4, largest_total(s)))
        before = rng.randint(0, limit)
        after = rng.randint(0, limit - before)
        pairs.append([before, after])
    return pairs[0] if form == "flat" else pairs


def propose_zero_padding(rng, shape):
    spatial = shape[1:]
    return "zero_padding", len(spatial), {"padding": _sides(rng, spatial, lambda s: 6)}


def propose_cropping(rng, shape):
    spatial = shape[1:]
    return "cropping", len(spatial), {"cropping": _sides(rng, spatial, lambda s: s - 1)}


def propose_batch_norm(rng, shape):
    rank = len(shape)
    dims = None if rng.random() < 0.3 else {1: 1, 2: 1, 3: 2, 4: 3}[rank]
    options, later = {}, later_options_rng(rng)
    if later.random() < 0.5:
        options["epsilon"] = later.choice([1e-5, 1e-3, 0.01])
    if later.random() < 0.5:
        options["momentum"] = later.choice([0.1, 0.01, 0.5])
    return "batch_norm", dims, options


def propose_dense(rng, shape):
    options = {"units": rng.randint(1, 16)}
    if rng.random() < 0.3:
        options["bias"] = rng.choice([True, False])
    if rng.random() < 0.15:
        options["activation"] = rng.choice(ACTIVATION_NAMES)
    return "dense", None, options


def propose_flatten(rng, shape):
    return "flatten", None, {}


def factor_shape(rng, total: int, rank: int) -> list[int]:
    """A random shape of `rank` axes whose product is `total`."""
    shape = []
    rest = total
    for _ in range(rank - 1):
        factor = rng.choice(divisors(rest))
        shape.append(factor)
        rest //= factor
    shape.append(rest)
    rng.shuffle(shape)
    return shape


def propose_reshape(rng, shape):
    total = math.prod(shape)
    rank = rng.choice([1, 2, 3, 4] if total > 1 else [1, 2])
    target = factor_shape(rng, total, rank)
    if rng.random() < 0.5:
        target[rng.randrange(rank)] = -1
    return "reshape", None, {"target_shape": target}


def propose_dropout(rng, shape):
    options = {}
    if rng.random() < 0.7:
        options["rate"] = rng.choice([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
    return "dropout", None, options


def propose_activation(rng, shape):
    kind = rng.choice(["relu", "sigmoid", "tanh", "leaky_relu", "softmax", "gelu", "elu", "activation"])
    options = {}
    if kind == "activation":
        options["activation"] = rng.choice(ACTIVATION_NAMES)
    elif kind == "leaky_relu" and rng.random() < 0.6:
        options["negative_slope"] = rng.choice([0.01, 0.2, 0.3])
    elif kind == "softmax" and rng.random() < 0.7:
        batched_rank = len(shape) + 1  # dim counts the batch axis, as in torch
        options["dim"] = rng.randint(-batched_rank, batched_rank - 1)
    later = later_options_rng(rng)
    if kind == "activation" and later.random() < 0.5:
        options["activation"] = later.choice(["leaky_relu", "softmax"])  # the names with an option
    named = options.get("activation", kind)
    if named in ("leaky_relu", "elu") and "negative_slope" not in options and later.random() < 0.5:
        options["negative_slope"] = later.choice([0.01, 0.5, 2.0])
    elif kind == "activation" and named == "softmax" and later.random() < 0.6:
        batched_rank = len(shape) + 1
        options["dim"] = later.randint(-batched_rank, batched_rank - 1)
    return kind, None, options


def invalid_softmax_dim(rng, shape):
    batched_rank = len(shape) + 1
    return "softmax", None, {"dim": rng.choice([batched_rank, -batched_rank - 1])}


def invalid_causal_padding(rng, shape):
    kind, dims, options = propose_conv(rng, shape)
    options["padding"] = "causal"
    options.pop("stride", None)
    return kind, dims, options


# --- shape operations (torch dims count the batched tensor: 1 is the first sample axis)

def _sample_dim(rng, rank: int, inserting: bool = False) -> int:
    """A sample axis as torch writes it: 1..rank (rank + 1 when inserting), or negative."""
    size = rank + (1 if inserting else 0)
    dim = rng.randint(1, size)
    return dim - size - 1 if rng.random() < 0.4 else dim


def propose_squeeze(rng, shape):
    ones = [k + 1 for k, v in enumerate(shape) if v == 1]
    if ones and rng.random() < 0.8:
        picked = rng.sample(ones, rng.randint(1, min(len(ones), len(shape) - 1) or 1))
        return "squeeze", None, {"dim": picked if len(picked) > 1 else picked[0]}
    return "squeeze", None, {"dim": _sample_dim(rng, len(shape))}  # torch leaves an axis of another size


def propose_unsqueeze(rng, shape):
    if len(shape) >= 4:  # no layer after it takes a rank-5 sample
        return propose_squeeze(rng, shape)
    return "unsqueeze", None, {"dim": _sample_dim(rng, len(shape), inserting=True)}


def propose_permute(rng, shape):
    batched = len(shape) + 1
    order = rng.sample(range(1, batched), len(shape))
    return "permute", None, {"dims": [0, *(d - batched if rng.random() < 0.2 else d for d in order)]}


def propose_transpose(rng, shape):
    return "transpose", None, {"dim0": _sample_dim(rng, len(shape)), "dim1": _sample_dim(rng, len(shape))}


def propose_unflatten(rng, shape):
    if len(shape) >= 4:
        return propose_squeeze(rng, shape)
    axis = rng.randrange(len(shape))
    first = rng.choice(divisors(shape[axis]))
    sizes = [first, shape[axis] // first]
    if rng.random() < 0.3:
        sizes[rng.randrange(2)] = -1
    return "unflatten", None, {"dim": axis + 1 if rng.random() < 0.6 else axis - len(shape), "sizes": sizes}


def propose_select(rng, shape):
    if len(shape) < 2:  # a per-sample scalar reaches few layers
        return propose_slice(rng, shape)
    axis = rng.randrange(len(shape))
    return "select", None, {"axis": _sample_dim(rng, len(shape)) if rng.random() < 0.3 else axis + 1,
                            "index": rng.randint(-shape[axis], shape[axis] - 1)}


def propose_slice(rng, shape):
    axis = rng.randrange(len(shape))
    n = shape[axis]
    start = rng.randint(-n, n - 1)
    first = start % n
    options = {"axis": axis + 1 if rng.random() < 0.6 else axis - len(shape), "start": start}
    if rng.random() < 0.6:
        options["stop"] = rng.choice([first + rng.randint(1, n - first), -rng.randint(0, n - first - 1) or None,
                                      n + rng.randint(0, 3)])
    if rng.random() < 0.5:
        options["step"] = rng.randint(1, 3)
    return "slice", None, {k: v for k, v in options.items() if v is not None}


def propose_flatten_dims(rng, shape):
    start = rng.randrange(len(shape))
    end = rng.randrange(start, len(shape))
    return "flatten", None, {"start_dim": start + 1, "end_dim": end + 1 if rng.random() < 0.6 else end - len(shape)}


def propose_repeat_vector(rng, shape):
    return "repeat_vector", None, {"n": rng.randint(1, 4)}


def invalid_shape_op(rng, shape):
    """A shape operation torch (or spec-v1) rejects: the batch axis, an axis out of range, a permutation
    that is not one, unflatten sizes that do not multiply up, repeat_vector on a rank > 1 sample."""
    batched = len(shape) + 1
    pick = rng.choice(["batch", "range", "permute", "unflatten", "repeat", "index"])
    if pick == "index":  # an index outside the axis, an empty slice, a negative step (torch refuses it)
        return rng.choice([("select", None, {"axis": 1, "index": rng.choice([shape[0], -shape[0] - 1])}),
                           ("slice", None, {"axis": -1, "start": shape[-1]}),
                           ("slice", None, {"axis": 1, "start": 1, "stop": 1}),
                           ("slice", None, {"axis": 1, "step": -1})])
    if pick == "batch":
        kind = rng.choice(["squeeze", "unsqueeze", "transpose", "unflatten", "flatten"])
        zero = rng.choice([0, -batched - (1 if kind == "unsqueeze" else 0)])
        options = {"squeeze": {"dim": zero}, "unsqueeze": {"dim": zero}, "transpose": {"dim0": zero, "dim1": 1},
                   "unflatten": {"dim": zero, "sizes": [1, -1]}, "flatten": {"start_dim": zero}}[kind]
        return kind, None, options
    if pick == "range":
        return rng.choice([("squeeze", None, {"dim": batched}), ("unsqueeze", None, {"dim": batched + 1}),
                           ("transpose", None, {"dim0": 1, "dim1": -batched - 1})])
    if pick == "permute":
        dims = [0, *range(1, batched)]
        return "permute", None, {"dims": rng.choice([dims[1:], [*dims, batched], [1, 0, *dims[2:]], [0, 1, *dims[1:-1]]])}
    if pick == "unflatten":
        return "unflatten", None, {"dim": 1, "sizes": [shape[0] + 1, rng.choice([1, -1])]}
    return "repeat_vector", None, {"n": 2}


SHAPE_OP_PROPOSALS = [  # (weight, proposal): in SPATIAL_PROPOSALS and FLAT_PROPOSALS below
    (1, propose_squeeze), (1, propose_unsqueeze), (1, propose_permute), (1, propose_transpose),
    (1, propose_unflatten), (1, propose_flatten_dims), (1, propose_select), (1, propose_slice),
]


SPATIAL_PROPOSALS = [  # (weight, proposal) for inputs of rank 2..4 (channels + spatial axes)
    (10, propose_conv),
    (4, propose_conv_transpose),
    (3, propose_depthwise_conv),
    (3, propose_separable_conv),
    (7, propose_pool),
    (2, propose_global_pool),
    (3, propose_adaptive_pool),
    (3, propose_upsample),
    (3, propose_zero_padding),
    (3, propose_cropping),
    (3, propose_batch_norm),
    (2, propose_dense),
    (2, propose_flatten),
    (2, propose_reshape),
    (2, propose_dropout),
    (4, propose_activation),
]
FLAT_PROPOSALS = [  # for rank-1 samples (features)
    (8, propose_dense),
    (2, propose_batch_norm),
    (2, propose_dropout),
    (3, propose_activation),
    (1, propose_flatten),
    (4, propose_reshape),
]


SPATIAL_PROPOSALS += SHAPE_OP_PROPOSALS
FLAT_PROPOSALS += [*SHAPE_OP_PROPOSALS, (1, propose_repeat_vector)]
INVALID_PROPOSALS_SHAPE_OPS = [(3, invalid_shape_op)]  # joined to the invalid tables below


def propose_valid(rng, shape):
    table = FLAT_PROPOSALS if len(shape) == 1 else SPATIAL_PROPOSALS
    weights, proposals = zip(*table)
    proposal = rng.choices(proposals, weights=weights)[0]
    kind, dims, options = proposal(rng, shape)
    if kind in ("depthwise_conv", "separable_conv") and dims == 3:
        return propose_conv(rng, shape)  # spec-v1 has no 3d depthwise/separable
    return kind, dims, options


# --------------------------------------------------------------------------------------------
# Invalid-layer proposals: a layer torch rejects (or spec-v1 calls an error) on this shape
# --------------------------------------------------------------------------------------------

def invalid_kernel_too_large(rng, shape):
    spatial = shape[1:]
    pad = rng.randint(0, 1)
    kernel = [s + 2 * pad + rng.randint(1, 2) for s in spatial]
    options = {"filters": rng.randint(1, 4), "kernel_size": per_axis(rng, kernel)}
    if pad:
        options["padding"] = pad
    return "conv", len(spatial), options


def invalid_same_strided(rng, shape):
    kind, dims, options = propose_conv(rng, shape)
    options["padding"] = "same"
    options["stride"] = rng.choice([2, 3])
    return kind, dims, options


def invalid_pool_padding(rng, shape):
    kind, dims, options = propose_pool(rng, shape)
    pool = options["pool_size"]
    first = pool if isinstance(pool, int) else pool[0]
    options["padding"] = first // 2 + rng.randint(1, 2)
    return kind, dims, options


def invalid_max_pool_dilated_padding(rng, shape):
    # max pooling checks padding <= kernel // 2 ignoring dilation
    spatial = shape[1:]
    return "max_pool", len(spatial), {"pool_size": 2, "dilation": 3, "padding": 2, "stride": 1}


def invalid_pool_too_large(rng, shape):
    kind, dims, options = propose_pool(rng, shape)
    options.pop("padding", None)
    options.pop("dilation", None)
    options["pool_size"] = per_axis(rng, [s + rng.randint(1, 2) for s in shape[1:]])
    return kind, dims, options


def invalid_pool_kernel_over_unpadded_input(rng, shape):
    # AvgPool3d requires every unpadded axis >= kernel even when padding makes the window fit;
    # 1d/2d pools and max pools accept it, so on those this stays a valid boundary case.
    kind, dims, options = propose_pool(rng, shape)
    options.pop("dilation", None)
    pool = [min(s, 4) for s in shape[1:]]
    axis = rng.randrange(dims)
    pool[axis] = shape[1 + axis] + 1
    options["pool_size"] = per_axis(rng, pool)
    options["padding"] = per_axis(rng, [k // 2 for k in pool])
    return kind, dims, options


def invalid_output_padding(rng, shape):
    kind, dims, options = propose_conv_transpose(rng, shape)
    stride = rng.randint(1, 3)
    dilation = rng.randint(1, 2)
    options.update(stride=stride, dilation=dilation, output_padding=max(stride, dilation) + rng.randint(0, 1))
    return kind, dims, options


def invalid_transpose_string_padding(rng, shape):
    kind, dims, options = propose_conv_transpose(rng, shape)
    options["padding"] = rng.choice(["same", "valid"])
    options.pop("output_padding", None)
    return kind, dims, options


def invalid_pool_string_padding(rng, shape):
    kind, dims, options = propose_pool(rng, shape)
    options["padding"] = rng.choice(["same", "valid"])
    return kind, dims, options


def invalid_groups(rng, shape):
    kind, dims, options = (propose_conv if rng.random() < 0.6 else propose_conv_transpose)(rng, shape)
    channels = shape[0]
    groups = rng.choice([g for g in range(2, 6) if channels % g] or [channels + 1])
    options["groups"] = groups
    if rng.random() < 0.5:
        options["filters"] = groups * rng.randint(1, 2)
    return kind, dims, options


def invalid_filters_not_divisible(rng, shape):
    channels = shape[0]
    kind, dims, options = propose_conv(rng, shape)
    groups = rng.choice([g for g in divisors(channels) if g > 1] or [1])
    if groups == 1:
        return invalid_groups(rng, shape)
    options["groups"] = groups
    options["filters"] = groups * rng.randint(1, 2) + 1
    return kind, dims, options


def invalid_reshape_count(rng, shape):
    total = math.prod(shape)
    target = factor_shape(rng, total + rng.randint(1, 3), rng.randint(1, 3))
    if rng.random() < 0.3:
        target[0] = -1
        target.append(total + 1)  # -1 cannot make the count match
    return "reshape", None, {"target_shape": target}


def invalid_reshape_two_unknowns(rng, shape):
    return "reshape", None, {"target_shape": [-1, -1]}


def invalid_zero_size(rng, shape):
    spatial = shape[1:]
    dims = len(spatial)
    choice = rng.choice(["transpose", "adaptive", "upsample", "crop", "dense", "reshape", "upsample_size"])
    if choice == "transpose":
        # (i-1)s - 2p + k = 0 with s=1, k=1: p chosen so the length is zero or negative
        i = spatial[0]
        return "conv_transpose", dims, {"filters": 2, "kernel_size": 1, "padding": (i + rng.randint(0, 1)) // 2 + 1}
    if choice == "adaptive":
        sizes = [rng.randint(1, 3) for _ in spatial]
        sizes[rng.randrange(dims)] = 0
        return rng.choice(["adaptive_avg_pool", "adaptive_max_pool"]), dims, {"output_size": per_axis(rng, sizes)}
    if choice == "upsample":
        return "upsample", dims, {"scale_factor": round(0.9 / (max(spatial) + 1), 3)}
    if choice == "upsample_size":
        return "upsample", None, {"size": 0}
    if choice == "crop":
        crops = [[s // 2, s - s // 2 + rng.randint(0, 1)] for s in spatial]
        return "cropping", dims, {"cropping": crops if dims > 1 or rng.random() < 0.5 else crops[0]}
    if choice == "dense":
        return "dense", None, {"units": 0}
    return "reshape", None, {"target_shape": [0, -1]}


def invalid_wrong_rank(rng, shape):
    rank = len(shape)
    other_dims = rng.choice([d for d in (1, 2, 3) if d + 1 != rank])
    kind = rng.choice(["conv", "max_pool", "batch_norm", "upsample", "global_avg_pool", "zero_padding",
                       "adaptive_avg_pool", "conv_transpose"])
    table = {
        "conv": {"filters": 4, "kernel_size": 1},
        "conv_transpose": {"filters": 4, "kernel_size": 1},
        "max_pool": {"pool_size": 1},
        "batch_norm": {},
        "upsample": {"scale_factor": 2},
        "global_avg_pool": {},
        "zero_padding": {"padding": 1},
        "adaptive_avg_pool": {"output_size": 1},
    }
    if kind == "batch_norm" and rank <= 2 and other_dims == 1:
        other_dims = 2
    return kind, other_dims, dict(table[kind])


def invalid_dropout_rate(rng, shape):
    return "dropout", None, {"rate": rng.choice([1.5, 2, -0.1])}


def invalid_conv_padding_length(rng, shape):
    kind, dims, options = propose_conv(rng, shape)
    options["padding"] = [1] * (dims + 1)
    options["stride"] = 1
    return kind, dims, options


def invalid_zero_stride(rng, shape):
    kind, dims, options = propose_conv(rng, shape)
    options["stride"] = 0
    options.pop("padding", None)
    return kind, dims, options


NONPOSITIVE_OPTIONS = [  # (kind, option, value) torch rejects
    ("conv", "kernel_size", 0), ("conv", "dilation", 0), ("conv", "padding", -1),
    ("conv_transpose", "stride", 0), ("conv_transpose", "padding", -1), ("conv_transpose", "output_padding", -1),
    ("max_pool", "stride", 0), ("max_pool", "pool_size", 0), ("max_pool", "padding", -1), ("max_pool", "dilation", 0),
    ("avg_pool", "stride", 0), ("avg_pool", "pool_size", 0),
    ("adaptive_avg_pool", "output_size", -1), ("upsample", "scale_factor", -1.0), ("dense", "units", -1),
]


def invalid_nonpositive_option(rng, shape):
    kind, option, value = rng.choice(NONPOSITIVE_OPTIONS)
    dims = len(shape) - 1
    if kind == "conv":
        options = {"filters": 2, "kernel_size": 1, **{option: value}}
    elif kind == "conv_transpose":
        options = {"filters": 2, "kernel_size": 2, "stride": 2, **{option: value}}
    elif kind in ("max_pool", "avg_pool"):
        options = {"pool_size": 1, **{option: value}}
    elif kind == "adaptive_avg_pool":
        options = {"output_size": value}
    elif kind == "upsample":
        options = {"scale_factor": value}
    else:
        return kind, None, {option: value}
    return kind, dims, options


INVALID_PROPOSALS = [  # (weight, proposal) for spatial inputs
    (4, invalid_kernel_too_large),
    (3, invalid_same_strided),
    (3, invalid_pool_padding),
    (1, invalid_max_pool_dilated_padding),
    (2, invalid_pool_too_large),
    (2, invalid_pool_kernel_over_unpadded_input),
    (3, invalid_output_padding),
    (1, invalid_transpose_string_padding),
    (1, invalid_pool_string_padding),
    (2, invalid_groups),
    (2, invalid_filters_not_divisible),
    (2, invalid_reshape_count),
    (1, invalid_reshape_two_unknowns),
    (4, invalid_zero_size),
    (3, invalid_wrong_rank),
    (1, invalid_dropout_rate),
    (1, invalid_conv_padding_length),
    (1, invalid_zero_stride),
    (2, invalid_nonpositive_option),
    (1, invalid_upsample_mode),
    (1, invalid_softmax_dim),
    (1, invalid_causal_padding),
]
FLAT_INVALID_PROPOSALS = [
    (3, invalid_reshape_count),
    (1, invalid_reshape_two_unknowns),
    (3, invalid_wrong_rank),
    (1, invalid_dropout_rate),
    (1, lambda rng, shape: ("dense", None, {"units": 0})),
    (1, invalid_softmax_dim),
]


INVALID_PROPOSALS += INVALID_PROPOSALS_SHAPE_OPS
FLAT_INVALID_PROPOSALS += INVALID_PROPOSALS_SHAPE_OPS


def propose_invalid(rng, shape):
    table = FLAT_INVALID_PROPOSALS if len(shape) == 1 else INVALID_PROPOSALS
    weights, proposals = zip(*table)
    return rng.choices(proposals, weights=weights)[0](rng, shape)


TAIL_PROPOSALS = [propose_activation, propose_dropout, propose_flatten, propose_dense]


# --------------------------------------------------------------------------------------------
# Stacks
# --------------------------------------------------------------------------------------------

INPUT_SIZES = {1: (3, 40), 2: (3, 16), 3: (2, 8)}


def random_input(rng: random.Random) -> list[int]:
    dims = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
    low, high = INPUT_SIZES[dims]
    channels = rng.choice([1, 1, 2, 3, 4, 6, 8])
    spatial = [rng.randint(low, high)] * dims if rng.random() < 0.5 else [rng.randint(low, high) for _ in range(dims)]
    return [channels] + spatial


def probe(kind, dims, options, shape):
    """Torch's output shape for one canonical layer on `shape`, or None if it is rejected."""
    entry = {"type": kind if dims is None else f"{kind}{dims}d", **options}
    return run_layer(entry, shape).output


def generate_spec(seed: int) -> dict:
    """One random spec-v1 torch stack; the same seed always gives the same stack."""
    rng = random.Random(seed)
    shape = random_input(rng)
    spec = {"framework": "torch", "input": list(shape), "layers": []}
    if rng.random() < 0.3:
        spec["name"] = f"stack-{seed}"
    count = rng.randint(1, MAX_LAYERS)
    invalid_at = rng.randrange(count) if rng.random() < INVALID_SHARE else None
    for position in range(count):
        if position == invalid_at:
            for _attempt in range(6):
                layer = propose_invalid(rng, shape)
                if probe(*layer, shape) is None:
                    break
            spec["layers"].append(dress(rng, *layer, keep_suffix=True))
            for _tail in range(rng.randint(0, 2)):
                spec["layers"].append(dress(rng, *rng.choice(TAIL_PROPOSALS)(rng, [4])))
            break
        for _attempt in range(10):
            layer = propose_valid(rng, shape)
            output = probe(*layer, shape)
            if output is not None and output and math.prod(output) <= MAX_ELEMENTS:  # a scalar ends what follows
                break
        else:
            layer, output = ("relu", None, {}), shape
        name = f"layer_{position + 1}" if rng.random() < 0.1 else None
        spec["layers"].append(dress(rng, *layer, name=name))
        shape = output
    return spec


def generate_specs(count: int, first_seed: int = 0) -> list[dict]:
    return [generate_spec(seed) for seed in range(first_seed, first_seed + count)]


if __name__ == "__main__":
    import json

    from torch_build import run_torch

    for seed in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        spec = generate_spec(seed)
        run = run_torch(spec)
        print(json.dumps(spec))
        for layer in run.layers:
            print("   ", layer.row())
