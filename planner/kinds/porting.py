"""How a layer is ported to the other framework, and how the two frameworks' plans of it differ: the
`port` and `differences` hooks the kind definitions name (planner/port.py runs them).

A `port` hook takes the planned rows of one spec entry (several when a block body is used more than
once), the source and the target framework, and `fits`: a function that says whether some option
changes reproduce every row's output shape in the target framework (planner/port.py plans the ported
layer to answer). It returns a `Ported`: the option changes (canonical option names; None removes an
option), a note saying what was ported, and, for when no spelling fits, why the shapes differ and what
would match. Kinds without a hook keep their options (the options whose defaults differ between the
frameworks are written out by planner/port.py).

A `differences` hook takes the torch row and the keras row of one layer and returns why their params
differ (text appended to the params note, "" for none) and notes on what else differs (values, not
shapes: a shifted window grid, the order of flattened features).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any, Callable

from .. import shapes

#: fits(changes) -> whether the layer with these option changes reproduces every source row's shape
Fits = Callable[[dict[str, Any]], bool]


@dataclass(slots=True)
class Ported:
    """What a kind's port hook returns (see the module doc)."""

    changes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    why: str = ""


def _one_or_per_axis(values) -> Any:
    values = list(values)
    return values[0] if len(set(values)) == 1 else values


def _shown(changes: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_one_or_per_axis(v) if isinstance(v, (list, tuple)) else v!r}"
                     for k, v in changes.items() if v is not None)


def _choose(candidates: list[dict[str, Any]], fits: Fits, target: str, why: str) -> Ported:
    """The first candidate that fits, else the first one with `why` (nothing to try: options kept)."""
    if not candidates:
        return Ported(why=why)
    chosen = next((c for c in candidates if fits(c)), candidates[0])
    shown = _shown(chosen)
    return Ported(chosen, f"ported to {target} as {shown}" if shown else None, why)


def _pairs(pairs) -> str:
    pairs = [list(p) for p in pairs]
    if all(a == b for a, b in pairs) and len({a for a, _ in pairs}) == 1:
        return str(pairs[0][0])
    return "[" + ", ".join(f"[{a}, {b}]" for a, b in pairs) + "]"


def _tf_pads(rows) -> list[list[tuple[int, int]]]:
    return [[(g.pad_before, g.pad_after) for g in row.geometry] for row in rows if row.geometry]


# --- convolutions


def port_conv(rows, source: str, target: str, fits: Fits) -> Ported:
    """Convolutions (also depthwise and separable). keras -> torch: 'valid' and, at stride 1, 'same' are
    kept (torch pads 'same' as TensorFlow does there); strided 'same' becomes the symmetric padding that
    gives TensorFlow's size (d*(k-1))//2. torch -> keras: padding 0 becomes 'valid', other amounts 'same'
    when it gives torch's size ('valid' otherwise); TensorFlow puts the odd pixel after, so the windows
    may start one cell apart (the `differences` hook says where).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [28, 28, 1], "layers": [{"conv2d": {
    ...     "filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}}]}).layers[0]
    >>> ported = port_conv([row], "keras", "torch", lambda changes: True)
    >>> ported.changes, ported.note
    ({'padding': 1}, 'ported to torch as padding=1')
    """
    options = rows[0].options
    padding, kernel = options.get("padding"), options.get("kernel_size")
    if padding is None or kernel is None:
        return Ported()
    dilation = options.get("dilation") or (1,) * len(kernel)
    spans = [shapes.effective_kernel(k, d) for k, d in zip(kernel, dilation)]
    dims = len(kernel)
    if target == "torch":
        # every use counts: in a block with arguments, one body may be strided in some uses only
        strided = any(max(row.options.get("stride") or (1,)) > 1 for row in rows)
        if padding == "valid" or (padding == "same" and not strided):
            return Ported()
        pads = _tf_pads(rows)
        explicit = _pairs(pads[0]) if pads else "TensorFlow's amounts"
        if padding == "causal":
            return Ported(why=f"torch has no causal padding: zero_padding1d of [{spans[0] - 1}, 0] before this "
                              "layer and padding 0 match keras")
        # per axis: the symmetric amount, then one more (an even kernel)
        candidates = [{"padding": _one_or_per_axis(p)}
                      for p in product(*[sorted({(s - 1) // 2, s // 2}) for s in spans])]
        return _choose(candidates, fits, target,
                       f"keras 'same' pads {explicit} (before/after, the odd cell after) and torch pads both sides "
                       f"equally: zero_padding{dims}d of {explicit} before this layer and padding 0 match keras")
    if isinstance(padding, str):  # torch 'valid' and 'same' (stride 1) read the same in keras
        return Ported()
    if all(p == 0 for p in padding):
        return Ported({"padding": "valid"}, "ported to keras as padding='valid'")
    return _choose([{"padding": "same"}, {"padding": "valid"}], fits, target,
                   f"keras has no padding amounts, only 'valid' and 'same': zero_padding{dims}d of "
                   f"{_one_or_per_axis(padding)} before this layer and padding 'valid' match torch")


def port_conv_transpose(rows, source: str, target: str, fits: Fits) -> Ported:
    """Transposed convolutions. keras 'valid' becomes padding 0 with the output_padding keras' absent one
    amounts to (max(s - k_eff, 0)); keras 'same' becomes torch padding and output_padding that give i*s
    (k3 s2: padding 1, output_padding 1) or, with output_padding set, padding k_eff//2. torch -> keras:
    'valid' or 'same', with or without output_padding, whichever gives torch's size.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [7, 7, 3], "layers": [{"conv2d_transpose": {
    ...     "filters": 1, "kernel_size": 3, "strides": 2, "padding": "same"}}]}).layers[0]
    >>> port_conv_transpose([row], "keras", "torch", lambda changes: True).changes
    {'padding': 1, 'output_padding': 1}
    """
    options = rows[0].options
    padding, kernel = options.get("padding"), options.get("kernel_size")
    if padding is None or kernel is None:
        return Ported()
    dims = len(kernel)
    stride, dilation = options.get("stride") or (1,) * dims, options.get("dilation") or (1,) * dims
    spans = [shapes.effective_kernel(k, d) for k, d in zip(kernel, dilation)]
    op = options.get("output_padding")
    if target == "torch":
        if padding == "valid":
            extra = [max(s - e, 0) for s, e in zip(stride, spans)] if op is None else list(op)
            return _choose([{"padding": 0, "output_padding": _one_or_per_axis(extra)}], fits, target, "")
        if op is None:  # o = i*s
            pads = [max(0, -(-(e - s) // 2)) for e, s in zip(spans, stride)]
            extra = [2 * p + s - e for p, s, e in zip(pads, stride, spans)]
            # torch takes output_padding < max(stride, dilation): where keras needs more, no spelling fits
            extra = [x if x < max(s, d) else 0 for x, s, d in zip(extra, stride, dilation)]
        else:
            pads, extra = [e // 2 for e in spans], list(op)
        return _choose([{"padding": _one_or_per_axis(pads), "output_padding": _one_or_per_axis(extra)}], fits, target,
                       "torch crops the same amount on both sides and takes output_padding < max(stride, dilation): "
                       "no torch padding gives keras' size here (an odd kernel would)")
    if isinstance(padding, str):
        return Ported()
    op = list(op or (0,) * dims)
    candidates: list[dict[str, Any]] = []
    if all(p == 0 for p in padding):
        candidates += [{"padding": "valid", "output_padding": None},
                       {"padding": "valid", "output_padding": _one_or_per_axis(op)}]
    same_op = [2 * (e // 2 - p) + o for e, p, o in zip(spans, padding, op)]
    candidates.append({"padding": "same", "output_padding": None})
    if all(0 <= v < s for v, s in zip(same_op, stride)):
        candidates.append({"padding": "same", "output_padding": _one_or_per_axis(same_op)})
    return _choose(candidates, fits, target,
                   f"keras crops nothing ('valid') or k//2 per side ('same'): a 'valid' layer with output_padding "
                   f"{_one_or_per_axis(op)} followed by cropping{dims}d of {_one_or_per_axis(padding)} matches torch")


# --- pooling


def port_pool(rows, source: str, target: str, fits: Fits) -> Ported:
    """Pooling. keras 'valid' becomes padding 0; keras 'same' becomes, per axis, the torch padding
    (at most k//2; TensorFlow's amount before first, which keeps its windows) and ceil_mode (only where
    needed) that give ceil(i/s) on every input the layer sees. torch -> keras: padding 0 without ceil_mode is 'valid';
    otherwise 'same' or 'valid', whichever gives torch's size.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [80, 80, 8], "layers": [{"max_pool2d": {
    ...     "pool_size": 3, "strides": 2, "padding": "same"}}]}).layers[0]
    >>> port_pool([row], "keras", "torch", lambda changes: True).changes
    {'padding': 0, 'ceil_mode': True}
    """
    options = rows[0].options
    padding, kernel = options.get("padding"), options.get("pool_size")
    if padding is None or kernel is None:
        return Ported()
    dims = len(kernel)
    stride = options.get("stride") or kernel
    if target == "torch":
        if padding == "valid":
            return Ported({"padding": 0}, "ported to torch as padding=0")
        pads = _tf_pads(rows)
        explicit = _pairs(pads[0]) if pads else "TensorFlow's amounts"
        lengths = [row.input[:-1] for row in rows if row.input is not None and len(row.input) == dims + 1]
        # TensorFlow's amount before first (the same windows), without ceil_mode, then with it; then any
        # amount torch allows (k//2 at most)
        befores = [pads[0][axis][0] if pads else 0 for axis in range(dims)]
        for keep_grid, ceil_mode in ((True, False), (True, True), (False, False), (False, True)):
            chosen = []
            for axis, (k, s) in enumerate(zip(kernel, stride)):
                tries = [befores[axis]] if keep_grid else range(k // 2 + 1)
                chosen.append(next((p for p in tries if p <= k // 2 and all(
                    shapes.torch_pool_output_length(i[axis], k, s, p, 1, ceil_mode) == -(-i[axis] // s)
                    for i in lengths)), None))
            if None not in chosen and lengths:
                changes = {"padding": _one_or_per_axis(chosen)}
                if ceil_mode:
                    changes["ceil_mode"] = True
                if fits(changes):
                    return Ported(changes, f"ported to torch as {_shown(changes)}")
        return Ported({"padding": _one_or_per_axis([min((k - 1) // 2, k // 2) for k in kernel])},
                      None, f"keras 'same' pads {explicit} (before/after); no torch padding (at most k//2 per side) "
                      f"with or without ceil_mode gives its size: zero_padding{dims}d of {explicit} before this "
                      "layer and padding 0 match keras")
    if isinstance(padding, str):
        return Ported()
    base = {"ceil_mode": None, "dilation": None} if max(options.get("dilation") or (1,)) == 1 else {"ceil_mode": None}
    plain = all(p == 0 for p in padding) and not options.get("ceil_mode")
    order = ["valid", "same"] if all(p == 0 for p in padding) else ["same", "valid"]
    candidates = [{"padding": word, **base} for word in order]
    if plain:
        return Ported(candidates[0], "ported to keras as padding='valid'")
    row = rows[0]
    fix = ""
    if row.input is not None and row.output is not None and len(row.input) == dims + 1:
        after = [(o - 1) * s + k - i - p for i, o, k, s, p in zip(row.input[1:], row.output[1:], kernel, stride, padding)]
        fix = (f": zero_padding{dims}d of {_pairs(zip(padding, after))} before this layer and padding 'valid' give "
               "torch's size (zeros where torch max pooling pads with -inf)")
    return _choose(candidates, fits, target, "keras pools with 'valid' or TensorFlow's 'same' amounts only" + fix)


# --- resampling, merges, reshapes, normalisation


def port_upsample(rows, source: str, target: str, fits: Fits) -> Ported:
    """keras UpSampling `size` is a repeat factor; torch Upsample `size` is the output size.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [4, 4, 1], "layers": [{"upsample2d": {"size": 2}}]}).layers[0]
    >>> port_upsample([row], "keras", "torch", lambda changes: True).changes
    {'size': None, 'scale_factor': 2}
    """
    options = rows[0].options
    if source == "keras" and options.get("size") is not None:
        return Ported({"size": None, "scale_factor": _one_or_per_axis(options["size"])},
                      "keras size is a repeat factor, torch size the output size: ported as scale_factor")
    row = rows[0]
    if source == "torch" and options.get("size") is not None and row.input is not None and row.output is not None:
        spatial_in, spatial_out = row.input[1:], row.output[1:]
        if all(o % i == 0 for i, o in zip(spatial_in, spatial_out)):
            factors = [o // i for i, o in zip(spatial_in, spatial_out)]
            return Ported({"size": _one_or_per_axis(factors)},
                          "torch size is the output size, keras size a repeat factor: ported as the factor")
    return Ported(why="keras UpSampling repeats each cell an integer number of times")


def move_axis(axis: int, rank: int, source: str) -> int:
    """An axis of a batched tensor (1 is the first sample axis, negatives count from the end) written
    for the other layout: the channel axis moves between first and last, the spatial axes keep their
    order. Channel axes come back as torch's 1 and keras' -1.

    >>> move_axis(1, 3, "torch"), move_axis(2, 3, "torch"), move_axis(-1, 3, "keras"), move_axis(1, 3, "keras")
    (-1, 1, 1, 2)
    """
    j = axis % (rank + 1) - 1  # the sample axis
    if source == "torch":
        return -1 if j == 0 else j
    return 1 if j == rank - 1 else j + 2


def _axis_port(rows, source: str, option: str, default_is_channel: bool) -> Ported:
    row = rows[0]
    axis = row.options.get(option)
    if axis is None or row.input is None or len(row.input) < 2:
        return Ported()
    rank = len(row.input)
    if not -(rank + 1) <= axis <= rank or axis % (rank + 1) == 0:
        return Ported()  # out of range or the batch axis: an error in both frameworks
    moved = move_axis(axis, rank, source)
    target = "keras" if source == "torch" else "torch"
    if default_is_channel and moved in (1, -1) and (moved == 1) == (target == "torch"):
        return Ported({option: None})  # the channel axis: the target's default
    return Ported({option: moved}, f"{option} {axis} ({'channels' if moved in (1, -1) else 'spatial'}) is "
                                   f"{moved} in {target}")


def port_concatenate(rows, source: str, target: str, fits: Fits) -> Ported:
    """concatenate: the axis is counted on the batched tensor, so it moves with the channel axis
    (torch's 1 is keras' -1, torch's 2 (H) is keras' 1).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"inputs": {"a": [8, 4, 4], "b": [8, 4, 4]},
    ...                  "layers": [{"concatenate": {"inputs": ["a", "b"], "axis": 2}}]}).layers[0]
    >>> port_concatenate([row], "torch", "keras", lambda changes: True).changes
    {'axis': 1}
    """
    return _axis_port(rows, source, "axis", default_is_channel=True)


def port_axis_activation(rows, source: str, target: str, fits: Fits) -> Ported:
    """softmax and log_softmax: an explicit `dim` moves with the channel axis; leaky_relu and elu keep
    their slope (torch's default 0.01 is not keras' 0.3, and elu's 1.0 is both)."""
    ported = _axis_port(rows, source, "dim", default_is_channel=False)
    options = rows[0].options
    if "negative_slope" in options and options.get("negative_slope") is None and options.get("activation") in (
            None, "leaky_relu"):
        slope = 0.01 if source == "torch" else 0.3
        ported.changes["negative_slope"] = slope
        ported.note = f"the slope is written out: {source}'s default {slope} is not {target}'s"
    return ported


def port_reshape(rows, source: str, target: str, fits: Fits) -> Ported:
    """reshape: a target of rank >= 2 is written in the other layout (channels first <-> last).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [64], "layers": [{"reshape": [4, 4, 4]}]}).layers[0]
    >>> port_reshape([row], "torch", "keras", lambda changes: True).changes
    {'target_shape': [4, 4, 4]}
    """
    shape = rows[0].options.get("target_shape")
    if shape is None:
        return Ported()
    shape = list(shape)
    if len(shape) >= 2:
        shape = shape[1:] + shape[:1] if source == "torch" else shape[-1:] + shape[:-1]
    return Ported({"target_shape": shape})


def port_batch_norm(rows, source: str, target: str, fits: Fits) -> Ported:
    """Batch normalisation: torch's momentum m is keras' 1 - m (torch weighs the new batch by m, keras
    the running value), and the default epsilons differ (torch 1e-5, keras 1e-3): both are written out.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 4], "layers": ["batch_norm"]}).layers[0]
    >>> port_batch_norm([row], "torch", "keras", lambda changes: True).changes
    {'momentum': 0.9, 'epsilon': 1e-05}
    """
    options = rows[0].options
    if not (options.get("center", True) and options.get("scale", True)):
        return Ported(why="keras BatchNormalization without center or scale has no torch form (torch learns the "
                          "weight and the bias together)")
    defaults = {"torch": (0.1, 1e-5), "keras": (0.99, 1e-3)}[source]
    momentum = defaults[0] if options.get("momentum") is None else options["momentum"]
    epsilon = defaults[1] if options.get("epsilon") is None else options["epsilon"]
    changes = {"momentum": round(1 - momentum, 12), "epsilon": epsilon}
    return Ported(changes, f"momentum {momentum} in {source} is {changes['momentum']} in {target} (the two weigh the "
                           f"running statistics the opposite way); epsilon {epsilon} kept")


def port_dense(rows, source: str, target: str, fits: Fits) -> Ported:
    """dense acts on the last axis, which is W in torch and the channels in keras."""
    return Ported(why="dense acts on the last axis: W in torch, the channels in keras; flatten (or global "
                      "pooling) before it ports exactly")


def port_elementwise(rows, source: str, target: str, fits: Fits) -> Ported:
    """Element-wise merges: keras aligns branches of different ranks on the right, torch needs one rank."""
    return Ported(why="keras broadcasts branches of different ranks from the right, torch needs equal ranks: "
                      "reshape the smaller branch to the other's rank (size-1 axes broadcast)")


# --- differences between the torch plan and the keras plan of one layer


def _grid_shift(t, k) -> list[str]:
    """The grid is shifted when the padding *before* differs: every window starts elsewhere."""
    if not (t.geometry and k.geometry and t.output is not None and k.output is not None):
        return []
    pads_t = [(g.pad_before, g.pad_after) for g in t.geometry]
    pads_k = [(g.pad_before, g.pad_after) for g in k.geometry]
    if [b for b, _ in pads_t] == [b for b, _ in pads_k]:
        return []
    shown = {name: " ".join(f"{b}/{a}" for b, a in pads) for name, pads in (("t", pads_t), ("k", pads_k))}
    dims = len(pads_t)
    return [f"padding: torch {shown['t']}, keras {shown['k']} (before/after per axis): every window starts at a "
            "different cell (TensorFlow pads the odd pixel after); the same windows in both: "
            f"zero_padding{dims}d of {_pairs(pads_t)} (torch's) or {_pairs(pads_k)} (keras') before the layer "
            "and no padding of its own"]


def window_differences(t, k) -> tuple[str, list[str]]:
    """Convolutions, pooling, padding and cropping: a shifted window grid."""
    return "", _grid_shift(t, k)


def separable_differences(t, k) -> tuple[str, list[str]]:
    """Separable convolutions: the bias count, and a shifted window grid."""
    return " (keras has one bias, after the pointwise step; torch's two convs have one each)", _grid_shift(t, k)


def batch_norm_differences(t, k) -> tuple[str, list[str]]:
    """Batch normalisation: keras counts its moving statistics as (non-trainable) weights.

    >>> from types import SimpleNamespace
    >>> batch_norm_differences(SimpleNamespace(), SimpleNamespace(non_trainable=64))
    (' (keras counts the moving mean and variance: 64 non-trainable)', [])
    """
    return f" (keras counts the moving mean and variance: {k.non_trainable} non-trainable)", []


def conv_transpose_differences(t, k) -> tuple[str, list[str]]:
    """Transposed convolutions: torch's groups (keras has none)."""
    return (" (groups)" if (t.options.get("groups") or 1) > 1 else ""), []


def flatten_differences(t, k) -> tuple[str, list[str]]:
    """Flatten: the order of the values differs.

    >>> from types import SimpleNamespace
    >>> flatten_differences(SimpleNamespace(input=(8, 4, 4)), None)[1][0][:40]
    'flatten order: torch (C, H, W), keras (H'
    """
    if t.input is not None and len(t.input) >= 2:
        return "", ["flatten order: torch (C, H, W), keras (H, W, C): the next dense layer's weights need a "
                    "permutation when ported"]
    return "", []


def reshape_differences(t, k) -> tuple[str, list[str]]:
    """Reshape: the values fill the new shape in each framework's layout order."""
    if t.input is not None and t.output is not None and max(len(t.input), len(t.output)) >= 2:
        return "", ["reshape order: torch fills (C, H, W), keras (H, W, C): the same shape holds the values in "
                    "another order (weights before it need a permutation when ported)"]
    return "", []


def dense_differences(t, k) -> tuple[str, list[str]]:
    """Dense on an unflattened input acts on a different axis in each layout."""
    if t.input is not None and len(t.input) > 1:
        return "", ["dense on an unflattened input acts on the last axis: W in torch, channels in keras"]
    return "", []


# --- split, chunk and the shape operations: their axes in the other layout
#
# The port moves the channel axis of every layout-dependent shape (planner/port.py): a sample of rank
# >= 2 goes (C, H, W) <-> (H, W, C), rank 1 stays. An operation on axes ports exactly when, run on the
# moved input, it gives the moved output: the hooks rename its axes so, and where the other framework's
# operation cannot give that arrangement (a squeeze that takes the channel axis away, a new axis in the
# channel place) `why` says what would.


def layout_map(rank: int, source: str) -> list[int]:
    """Where each sample axis of a `source`-layout sample goes in the other layout.

    >>> layout_map(3, "torch"), layout_map(3, "keras"), layout_map(1, "torch")
    ([2, 0, 1], [1, 2, 0], [0])
    """
    if rank < 2:
        return list(range(rank))
    if source == "torch":
        return [rank - 1, *range(rank - 1)]
    return [*range(1, rank), 0]


def _arrangement(sources: list, rank_in: int, rank_out: int, source: str) -> list:
    """The ported operation's output as input axes. `sources[i]` is the input axis output axis i comes
    from in the source layout (None: a new axis of 1; (axis, k): part k of an unflattened axis); the
    result gives, for each output axis in the target layout, the target input axis it must come from."""
    to_in, to_out = layout_map(rank_in, source), layout_map(rank_out, source)
    wanted: list = [None] * rank_out
    for i, came_from in enumerate(sources):
        if isinstance(came_from, tuple):
            wanted[to_out[i]] = (to_in[came_from[0]], came_from[1])
        elif came_from is not None:
            wanted[to_out[i]] = to_in[came_from]
    return wanted


def _in_order(wanted: list) -> bool:
    kept = [w if isinstance(w, tuple) else (w, 0) for w in wanted if w is not None]
    return kept == sorted(kept)


def _position(axis: int, rank: int, inserting: bool = False) -> int:
    """The 0-based sample position of an axis counted on the batched tensor."""
    return axis % (rank + 1 + (1 if inserting else 0)) - 1


def _moved(shape, source: str) -> list[int]:
    """A shape in the other layout, as a reshape target (rank >= 2 moves its channel axis)."""
    order = layout_map(len(shape), source)
    moved = [0] * len(shape)
    for k, v in enumerate(shape):
        moved[order[k]] = v
    return moved


def _planned(row) -> bool:
    return row.input is not None and row.output_shapes is not None


def port_split(rows, source: str, target: str, fits: Fits) -> Ported:
    """split / chunk: the axis moves with the channel axis (the parts keep the layout), and the way of
    cutting is spelled the target's way: torch split_size -> keras sections (equal parts) or sizes, keras
    sections and indices -> torch sizes. torch.chunk's unequal parts have no keras chunk.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [5, 4, 4], "layers": [{"split": {"split_size": 2, "dim": 1}}]}).layers[0]
    >>> port_split([row], "torch", "keras", lambda changes: True).changes
    {'axis': 3, 'split_size': None, 'sizes': [2, 2, 1]}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    rank, options = len(row.input), row.options
    position = _position(options["axis"], rank)
    changes: dict[str, Any] = {"axis": layout_map(rank, source)[position] + 1}
    parts = [shape[position] for shape in row.outputs]
    why = ""
    if row.type == "chunk":
        if target == "keras" and (len(set(parts)) > 1 or len(parts) != options["chunks"]):
            why = (f"keras.ops.split cuts {options['chunks']} equal parts where torch.chunk cuts "
                   f"{', '.join(map(str, parts))}: split with sizes: {parts} matches torch")
    elif target == "keras" and options.get("split_size") is not None:
        changes.update({"split_size": None, **({"sections": len(parts)} if len(set(parts)) == 1 else {"sizes": parts})})
    elif target == "torch" and (options.get("sections") is not None or options.get("indices") is not None):
        changes.update({"sections": None, "indices": None, "sizes": parts})
    return _choose([changes], fits, target, why)


def port_squeeze(rows, source: str, target: str, fits: Fits) -> Ported:
    """squeeze: the axes move with the channel axis. Removing the channel axis of a rank >= 3 sample
    leaves the other axes in another order in the other layout; torch's squeeze of an axis whose size is
    not 1 does nothing, which keras.ops.squeeze refuses (the port leaves that axis out).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 1, 5], "layers": [{"squeeze": {"dim": 2}}]}).layers[0]
    >>> port_squeeze([row], "torch", "keras", lambda changes: True).changes
    {'axis': 1}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    rank = len(row.input)
    named = [_position(a, rank) for a in row.options["axis"]]
    removed = [p for p in named if row.input[p] == 1]
    wanted = _arrangement([p for p in range(rank) if p not in removed], rank, len(row.output), source)
    if not _in_order(wanted):
        return Ported(why=f"it removes the channel axis, and the axes left are in another order in {target}'s "
                          f"layout: reshape: {{target_shape: {_moved(row.output, source)}}} matches {source}")
    if not removed:
        return Ported(why="torch's squeeze leaves an axis whose size is not 1 unchanged, keras.ops.squeeze "
                          "refuses it: leave the layer out")
    axes = sorted(layout_map(rank, source)[p] + 1 for p in removed)
    return _choose([{"axis": axes[0] if len(axes) == 1 else axes}], fits, target, "")


def port_unsqueeze(rows, source: str, target: str, fits: Fits) -> Ported:
    """unsqueeze / expand_dims: the new axis goes where the other layout has it. A new axis in the
    channel place (torch dim 1, keras -1 on a rank >= 1 sample) moves the other axes: the reshape
    that matches is given instead.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 5], "layers": [{"unsqueeze": {"dim": 2}}]}).layers[0]
    >>> port_unsqueeze([row], "torch", "keras", lambda changes: True).changes
    {'axis': 1}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    rank = len(row.input)
    at = _position(row.options["axis"], rank, inserting=True)
    wanted = _arrangement([*range(at), None, *range(at, rank)], rank, rank + 1, source)
    if not _in_order(wanted):
        return Ported(why=f"the new axis takes the channel place, which moves the other axes in {target}'s "
                          f"layout: reshape: {{target_shape: {_moved(row.output, source)}}} matches {source}")
    return _choose([{"axis": wanted.index(None) + 1}], fits, target, "")


def port_transpose(rows, source: str, target: str, fits: Fits) -> Ported:
    """transpose / swapaxes: the two axes move with the channel axis; swapping the channel axis with
    another is swapping the same two axes in the other layout, so the port is always one swap.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"transpose": {"dim0": 1, "dim1": 3}}]}).layers[0]
    >>> port_transpose([row], "torch", "keras", lambda changes: True).changes
    {'dim0': 3, 'dim1': 2}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    rank, options = len(row.input), row.options
    moved = layout_map(rank, source)
    return _choose([{"dim0": moved[_position(options["dim0"], rank)] + 1,
                     "dim1": moved[_position(options["dim1"], rank)] + 1}], fits, target, "")


def port_select(rows, source: str, target: str, fits: Fits) -> Ported:
    """select: the axis moves with the channel axis (a sequence's stays) and the index stays. Taking the channel axis away
    from a rank >= 3 sample leaves the other axes in another order in the other layout (as squeeze).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"select": {"axis": 2, "index": -1}}]}).layers[0]
    >>> port_select([row], "torch", "keras", lambda changes: True).changes
    {'axis': 1}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    rank = len(row.input)
    taken = _position(row.options["axis"], rank)
    if getattr(fits, "sequence", False):  # (steps, features) is written alike in both frameworks
        return Ported()
    wanted = _arrangement([p for p in range(rank) if p != taken], rank, len(row.output), source)
    if not _in_order(wanted):
        return Ported(why=f"it takes the channel axis away, and the axes left are in another order in {target}'s "
                          f"layout: reshape: {{target_shape: {_moved(row.output, source)}}} matches {source}'s "
                          "shape, not its order")
    return _choose([{"axis": layout_map(rank, source)[taken] + 1}], fits, target, "")


def port_slice(rows, source: str, target: str, fits: Fits) -> Ported:
    """slice: the axis moves with the channel axis (a sequence's stays), the bounds stay; torch has no
    negative step.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"slice": {"axis": 1, "stop": 4}}]}).layers[0]
    >>> port_slice([row], "torch", "keras", lambda changes: True).changes
    {'axis': 3}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    why = ""
    if target == "torch" and row.options["step"] < 0:
        why = "torch slicing takes no negative step: torch.flip the axis, then slice with a positive step"
    if getattr(fits, "sequence", False):  # (steps, features) is written alike in both frameworks
        return Ported(why=why)
    rank = len(row.input)
    return _choose([{"axis": layout_map(rank, source)[_position(row.options["axis"], rank)] + 1}], fits, target, why)


def port_permute(rows, source: str, target: str, fits: Fits) -> Ported:
    """permute: any order of the axes is one permute in the other layout too; torch lists the batch 0
    first, keras Permute the sample axes 1-based.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"permute": {"dims": [0, 2, 3, 1]}}]}).layers[0]
    >>> port_permute([row], "torch", "keras", lambda changes: True).changes
    {'dims': [2, 3, 1]}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    rank, dims = len(row.input), row.options["dims"]
    order = [d % (rank + 1) - 1 for d in dims[1:]] if source == "torch" else [d - 1 for d in dims]
    wanted = [w + 1 for w in _arrangement(order, rank, rank, source)]
    return _choose([{"dims": [0, *wanted] if target == "torch" else wanted}], fits, target, "")


def port_unflatten(rows, source: str, target: str, fits: Fits) -> Ported:
    """unflatten: the axis moves with the channel axis and the sizes stay, when the axes it makes stay
    together and in order in the other layout (the channel axis of a rank >= 2 sample does not: the
    reshape that matches is given).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 6], "layers": [{"unflatten": {"dim": 2, "sizes": [2, 3]}}]}).layers[0]
    >>> port_unflatten([row], "torch", "keras", lambda changes: True).changes
    {'axis': 1}
    """
    row = rows[0]
    if not _planned(row):
        return Ported()
    rank, count = len(row.input), len(row.options["sizes"])
    at = _position(row.options["axis"], rank)
    wanted = _arrangement([*range(at), *((at, k) for k in range(count)), *range(at + 1, rank)], rank,
                          len(row.output), source)
    block = [k for k, w in enumerate(wanted) if isinstance(w, tuple)]
    if not _in_order(wanted) or block != list(range(block[0], block[0] + count)):
        return Ported(why=f"the axes it makes are not together and in order in {target}'s layout: reshape: "
                          f"{{target_shape: {_moved(row.output, source)}}} matches {source}")
    return _choose([{"axis": layout_map(rank, source)[at] + 1}], fits, target, "")


def port_flatten(rows, source: str, target: str, fits: Fits) -> Ported:
    """flatten: torch start_dim/end_dim over every sample axis is keras Flatten; over fewer axes keras
    has no Flatten (the reshape that matches is given).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"flatten": {"start_dim": 2}}]}).layers[0]
    >>> port_flatten([row], "torch", "keras", lambda changes: True).why
    'keras Flatten flattens every sample axis: reshape: {target_shape: [20, 8]} matches torch'
    """
    row = rows[0]
    if target != "keras" or not _planned(row) or not row.input:
        return Ported()
    rank = len(row.input)
    if (_position(row.options["start_dim"], rank), _position(row.options["end_dim"], rank)) == (0, rank - 1):
        return Ported({"start_dim": None, "end_dim": None})
    return Ported(why=f"keras Flatten flattens every sample axis: reshape: {{target_shape: "
                      f"{_moved(row.output, source)}}} matches torch")


def port_repeat_vector(rows, source: str, target: str, fits: Fits) -> Ported:
    """repeat_vector gives (n, F) in both frameworks, which channels last (keras) reads as n steps of F
    features and channels first (torch) as n channels of length F: the port says which transpose
    after it matches (none is needed when n = F).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [5], "layers": [{"repeat_vector": 3}]}).layers[0]
    >>> port_repeat_vector([row], "keras", "torch", lambda changes: True).why[:44]
    'repeat_vector gives 3x5 (n x F) in both: ker'
    """
    row = rows[0]
    if row.output is None:
        return Ported()
    n, features = row.output
    return Ported(why=f"repeat_vector gives {shapes.shape_text(row.output)} (n x F) in both: keras reads it as {n} "
                      f"steps of {features} features, torch as {n} channels of length {features}; transpose: "
                      f"{{dim0: 1, dim1: 2}} after it matches {source}")
