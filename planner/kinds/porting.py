"""How a layer is ported to the other framework, and how the two frameworks' plans of it differ: the
`port` and `differences` hooks the kind definitions name (planner/port.py runs them for `diff`).

A `port` hook takes the planned row, the source and the target framework, and returns the option
changes and a note saying what was ported, or ({}, None) when the options are kept as written.
A `differences` hook takes the torch row and the keras row of one layer and returns why their params
differ (text appended to the params note, "" for none) and notes on other differences.
"""

from __future__ import annotations

from typing import Any

from layerplan.planner.kinds.base import split
from layerplan.planner.shapes import shape_text


def _half_kernel(kernel, dilation) -> list[int]:
    return [(d * (k - 1)) // 2 for k, d in zip(kernel, dilation)]


def _one_or_per_axis(values: list[int]) -> int | list[int]:
    return values[0] if len(set(values)) == 1 else values


def _note(changes: dict[str, Any], target: str) -> tuple[dict[str, Any], str | None]:
    if not changes:
        return {}, None
    shown = ", ".join(f"{k}={v!r}" for k, v in changes.items() if v is not None)
    return changes, f"ported to {target} as {shown}"


def port_conv(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Convolutions: keras 'same' becomes torch 'same' at stride 1 and padding (k_eff-1)//2 otherwise (the
    usual port, which shifts the grid where TensorFlow pads the odd pixel after); back to keras,
    padding 0 becomes 'valid' and the half-kernel padding 'same'.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [28, 28, 1], "layers": [{"conv2d": {
    ...     "filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}}]}).layers[0]
    >>> port_conv(row, "keras", "torch")
    ({'padding': 1}, 'ported to torch as padding=1')
    """
    return _port_window(row, target, pooling=False)


def port_pool(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Pooling: keras 'same' becomes padding (k-1)//2 with ceil_mode; back to keras, ceil_mode or the
    half-kernel padding becomes 'same'.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [1, 9], "layers": [{"max_pool1d": {"pool_size": 2, "ceil_mode": True}}]}).layers[0]
    >>> port_pool(row, "torch", "keras")
    ({'padding': 'same', 'ceil_mode': None}, "ported to keras as padding='same'")
    """
    return _port_window(row, target, pooling=True)


def port_conv_transpose(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """Transposed convolutions: keras 'valid' becomes padding 0 (output_padding kept; absent becomes
    torch's default 0).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [7, 3], "layers": [{"conv1d_transpose": {
    ...     "filters": 1, "kernel_size": 3, "strides": 2}}]}).layers[0]
    >>> port_conv_transpose(row, "keras", "torch")
    ({'padding': 0}, 'ported to torch as padding=0')
    """
    return _port_window(row, target, pooling=False, transposed=True)


def _port_window(row, target: str, pooling: bool, transposed: bool = False) -> tuple[dict[str, Any], str | None]:
    options = row.options
    padding = options.get("padding")
    kernel = options.get("pool_size") if pooling else options.get("kernel_size")
    if padding is None or kernel is None:
        return {}, None
    stride = options.get("stride") or kernel
    dilation = options.get("dilation") or (1,) * len(kernel)
    half = _half_kernel(kernel, dilation)
    changes: dict[str, Any] = {}
    if target == "torch":
        if padding == "valid":
            changes["padding"] = 0
        elif padding == "same":
            if not pooling and not transposed and max(stride) == 1:
                return {}, None
            changes["padding"] = _one_or_per_axis(half)
            if pooling:
                changes["padding"] = _one_or_per_axis([min(h, k // 2) for h, k in zip(half, kernel)])
                changes["ceil_mode"] = True
        else:  # causal: no torch spelling
            return {}, None
    else:
        if isinstance(padding, str):
            return {}, None
        if all(p == 0 for p in padding) and not (pooling and options.get("ceil_mode")):
            changes["padding"] = "valid"
        elif list(padding) == half or (pooling and options.get("ceil_mode")):
            changes["padding"] = "same"
        else:
            return {}, None  # no keras spelling: left as is, keras will say so
        if pooling and options.get("ceil_mode"):
            changes["ceil_mode"] = None
    return _note(changes, target)


def port_upsample(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """keras UpSampling `size` is a repeat factor; torch Upsample `size` is the output size.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [4, 4, 1], "layers": [{"upsample2d": {"size": 2}}]}).layers[0]
    >>> port_upsample(row, "keras", "torch")[0]
    {'size': None, 'scale_factor': 2}
    """
    options = row.options
    if source == "keras" and options.get("size") is not None:
        factors = list(options["size"])
        return ({"size": None, "scale_factor": _one_or_per_axis(factors)},
                "keras size is a repeat factor, torch size the output size: ported as scale_factor")
    if source == "torch" and options.get("size") is not None and row.input is not None and row.output is not None:
        spatial_in, spatial_out = row.input[1:], row.output[1:]
        if all(o % i == 0 for i, o in zip(spatial_in, spatial_out)):
            factors = [o // i for i, o in zip(spatial_in, spatial_out)]
            return ({"size": _one_or_per_axis(factors)},
                    "torch size is the output size, keras size a repeat factor: ported as the factor")
    return {}, None


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
    return [f"padding: torch {shown['t']}, keras {shown['k']} (before/after per axis): every window starts at a "
            "different cell (TensorFlow pads the odd pixel after)"]


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
    """Transposed convolutions: keras' absent output_padding, and the torch output_padding that matches."""
    why = " (groups)" if (t.options.get("groups") or 1) > 1 else ""
    notes = []
    if k.output is None:
        return why, notes
    if k.options.get("output_padding") is None:
        notes.append("keras output_padding is absent (torch's default is 0): keras sizes it as "
                     "i*s (+ max(k-s, 0) for 'valid'), and output_padding: 0 would differ")
    if t.output is not None and split(t.output, "torch") != split(k.output, "keras"):
        extra = [ko - to for ko, to in zip(k.output[:-1], t.output[1:])]
        limit = [max(s, d) for s, d in zip(t.options["stride"], t.options["dilation"])]
        current = t.options["output_padding"] or (0,) * len(extra)
        if all(0 <= e + op < lim for e, op, lim in zip(extra, current, limit)):
            wanted = [e + op for e, op in zip(extra, current)]
            notes.append(f"torch output_padding={_one_or_per_axis(wanted)} gives keras' size")
    return why, notes


def flatten_differences(t, k) -> tuple[str, list[str]]:
    """Flatten: the order of the values differs.

    >>> from types import SimpleNamespace
    >>> flatten_differences(SimpleNamespace(input=(8, 4, 4)), None)[1][0][:40]
    'flatten order: torch (C, H, W), keras (H'
    """
    if t.input is not None and len(t.input) > 2:
        return "", ["flatten order: torch (C, H, W), keras (H, W, C): the next dense layer's weights need a "
                    "permutation when ported"]
    return "", []


def dense_differences(t, k) -> tuple[str, list[str]]:
    """Dense on an unflattened input acts on a different axis in each layout."""
    if t.input is not None and len(t.input) > 1:
        return "", ["dense on an unflattened input acts on the last axis: W in torch, channels in keras"]
    return "", []


# --- split, chunk and the shape operations: their axes, ported to the other layout
#
# The port converts every layout-dependent shape (planner/port.py): a sample of rank >= 2 moves its
# channel axis, (C, H, W) <-> (H, W, C); rank 1 stays. An operation on axes is ported exactly when,
# run on the converted input, it gives the converted output: its axes are renamed, and where the
# other framework's operation cannot give that arrangement (a squeeze that takes the channel axis
# away, a swap that moves it) the note says so and which permute would.


def layout_map(rank: int, source: str) -> list[int]:
    """Where each sample axis of a `source`-layout shape goes in the other layout.

    >>> layout_map(3, "torch"), layout_map(3, "keras"), layout_map(1, "torch")
    ([2, 0, 1], [1, 2, 0], [0])
    """
    if rank < 2:
        return list(range(rank))
    if source == "torch":
        return [rank - 1, *range(rank - 1)]
    return [*range(1, rank), 0]


def _arrangement(sources: list, rank_in: int, rank_out: int, source: str) -> list:
    """The ported operation's output as input axes: `sources[i]` is the input axis output axis i comes
    from in the source layout (None: a new axis of 1; (axis, k): part k of an unflattened axis). The
    result lists, for each output axis in the target layout, the target input axis it must come from."""
    to_in, to_out = layout_map(rank_in, source), layout_map(rank_out, source)
    wanted = [None] * rank_out
    for i, came_from in enumerate(sources):
        if came_from is None:
            wanted[to_out[i]] = None
        elif isinstance(came_from, tuple):
            wanted[to_out[i]] = (to_in[came_from[0]], came_from[1])
        else:
            wanted[to_out[i]] = to_in[came_from]
    return wanted


def _in_order(wanted: list) -> bool:
    kept = [w for w in wanted if w is not None]
    return kept == sorted(kept, key=lambda w: w if isinstance(w, tuple) else (w, 0))


def _cannot(kind: str, target: str, why: str) -> tuple[dict[str, Any], str]:
    return {}, f"not ported exactly: {kind} {why} in {target}'s layout"


def _permute_dims(wanted: list[int], target: str) -> list[int]:
    """The permute that arranges the axes as `wanted`, as the target framework writes it."""
    dims = [w + 1 for w in wanted]
    return [0, *dims] if target == "torch" else dims


def _one_or_list(axes: list[int]):
    return axes[0] if len(axes) == 1 else axes


def _rank(row) -> int | None:
    return None if row.input is None else len(row.input)


def _position(axis: int, rank: int, inserting: bool = False) -> int:
    """The 0-based sample position of an axis counted on the batched tensor (already checked valid)."""
    return axis % (rank + 1 + (1 if inserting else 0)) - 1


def port_split(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """split / chunk: the axis is renamed (the parts keep the layout), and the way of cutting is
    spelled the target's way: torch split_size <-> keras sections or sizes, keras indices -> sizes.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [5, 4, 4], "layers": [{"split": {"split_size": 2, "dim": 1}}]}).layers[0]
    >>> port_split(row, "torch", "keras")
    ({'axis': 3, 'split_size': None, 'sizes': [2, 2, 1]}, 'ported to keras as axis=3, sizes=[2, 2, 1]')
    """
    rank, options = _rank(row), row.options
    if rank is None or row.outputs is None:
        return {}, None
    position = _position(options["axis"], rank)
    changes: dict[str, Any] = {}
    ported = layout_map(rank, source)[position] + 1
    if ported != options["axis"]:
        changes["axis"] = ported
    parts = [shape[position] for shape in row.outputs]
    if row.type == "chunk":
        if target == "keras" and (len(set(parts)) > 1 or len(parts) != options["chunks"]):
            return changes, (f"not ported exactly: keras.ops.split cuts {options['chunks']} equal parts, torch.chunk "
                             f"cut {', '.join(map(str, parts))}: write split with sizes: {parts}")
        return _note(changes, target)
    if target == "keras" and options.get("split_size") is not None:
        changes["split_size"] = None
        if len(set(parts)) == 1:
            changes["sections"] = len(parts)
        else:
            changes["sizes"] = parts
    if target == "torch" and (options.get("sections") is not None or options.get("indices") is not None):
        changes["sections"] = changes["indices"] = None
        changes["sizes"] = parts
    return _note(changes, target)


def port_squeeze(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """squeeze: the axes are renamed; removing the channel axis of a rank >= 3 sample cannot be
    ported exactly (the axes left are in the other order in the other layout).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 1, 5], "layers": [{"squeeze": {"dim": 2}}]}).layers[0]
    >>> port_squeeze(row, "torch", "keras")
    ({'axis': 1}, 'ported to keras as axis=1')
    """
    rank = _rank(row)
    if rank is None or row.output is None:
        return {}, None
    axes = row.options["axis"]
    named = [_position(a, rank) for a in axes]
    removed = [p for p in named if row.input[p] == 1]
    wanted = _arrangement([p for p in range(rank) if p not in removed], rank, len(row.output), source)
    if not _in_order(wanted):
        return _cannot("squeeze", target, "removes the channel axis, which leaves the other axes in another "
                       "order")
    left = [a for a, p in zip(axes, named) if p not in removed]  # torch leaves an axis whose size is not 1
    if left and not removed:
        return {}, (f"not ported exactly: torch squeeze leaves axis {_one_or_list(left)} unchanged here and "
                    "keras.ops.squeeze raises: drop the layer")
    ported = sorted(layout_map(rank, source)[p] + 1 for p in removed)
    changes, note = _note({} if ported == list(axes) else {"axis": _one_or_list(ported)}, target)
    if left:
        note += f" (torch leaves axis {_one_or_list(left)} unchanged, so the port drops it)"
    return changes, note


def port_unsqueeze(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """unsqueeze / expand_dims: the new axis goes where the other layout has it; a new axis that takes
    the channel place (torch dim 1 on a rank >= 1 sample) cannot be ported exactly.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 5], "layers": [{"unsqueeze": {"dim": 2}}]}).layers[0]
    >>> port_unsqueeze(row, "torch", "keras")
    ({'axis': 1}, 'ported to keras as axis=1')
    """
    rank = _rank(row)
    if rank is None or row.output is None:
        return {}, None
    at = _position(row.options["axis"], rank, inserting=True)
    sources = [*range(at), None, *range(at, rank)]
    wanted = _arrangement(sources, rank, rank + 1, source)
    if not _in_order(wanted):
        return _cannot("unsqueeze", target, "puts the new axis where the channel axis was, which moves the "
                       "other axes")
    ported = wanted.index(None) + 1
    return _note({} if ported == row.options["axis"] else {"axis": ported}, target)


def port_transpose(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """transpose / swapaxes: the two axes are renamed. Always exact: swapping the channel axis with
    another is swapping the same two axes in the other layout.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"transpose": {"dim0": 2, "dim1": 3}}]}).layers[0]
    >>> port_transpose(row, "torch", "keras")
    ({'dim0': 1, 'dim1': 2}, 'ported to keras as dim0=1, dim1=2')
    """
    rank = _rank(row)
    if rank is None or row.output is None:
        return {}, None
    a, b = _position(row.options["dim0"], rank), _position(row.options["dim1"], rank)
    sources = list(range(rank))
    sources[a], sources[b] = sources[b], sources[a]
    wanted = _arrangement(sources, rank, rank, source)
    moved = [k for k, w in enumerate(wanted) if w != k]  # a swap is a swap in either layout
    dim0, dim1 = (moved[0] + 1, moved[1] + 1) if moved else (layout_map(rank, source)[a] + 1,) * 2
    changes = {key: value for key, value in (("dim0", dim0), ("dim1", dim1)) if row.options[key] != value}
    return _note(changes, target)


def port_permute(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """permute: any order of the axes is one permute in the other layout too; torch lists the batch 0
    first, keras Permute the sample axes 1-based.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"permute": {"dims": [0, 1, 3, 2]}}]}).layers[0]
    >>> port_permute(row, "torch", "keras")
    ({'dims': [2, 1, 3]}, 'ported to keras as dims=[2, 1, 3]')
    """
    rank = _rank(row)
    if rank is None or row.output is None:
        return {}, None
    dims = row.options["dims"]
    order = [d % (rank + 1) - 1 for d in dims[1:]] if source == "torch" else [d - 1 for d in dims]
    wanted = _arrangement(order, rank, rank, source)
    return _note({"dims": _permute_dims(wanted, target)}, target)


def port_unflatten(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """unflatten: the axis is renamed and the sizes kept, when the axes it makes stay together and in
    order in the other layout (unflattening the channel axis of a rank >= 2 sample does not).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 6], "layers": [{"unflatten": {"dim": 2, "sizes": [2, 3]}}]}).layers[0]
    >>> port_unflatten(row, "torch", "keras")
    ({'axis': 1}, 'ported to keras as axis=1')
    """
    rank = _rank(row)
    if rank is None or row.output is None:
        return {}, None
    at, count = _position(row.options["axis"], rank), len(row.options["sizes"])
    sources = [*range(at), *((at, k) for k in range(count)), *range(at + 1, rank)]
    wanted = _arrangement(sources, rank, len(row.output), source)
    block = [k for k, w in enumerate(wanted) if isinstance(w, tuple)]
    if not _in_order(wanted) or block != list(range(block[0], block[0] + count)):
        return {}, (f"not ported exactly: unflatten of this axis gives axes that are not together and in order "
                    f"in {target}'s layout: a reshape: {{target_shape: {_moved(row.output, source)}}} gives it")
    ported = layout_map(rank, source)[at] + 1
    return _note({} if ported == row.options["axis"] else {"axis": ported}, target)


def port_flatten(row, source: str, target: str) -> tuple[dict[str, Any], str | None]:
    """flatten: torch start_dim/end_dim over every sample axis is keras Flatten; fewer axes have no
    keras Flatten (the note gives the reshape).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 4, 5], "layers": [{"flatten": {"start_dim": 2}}]}).layers[0]
    >>> port_flatten(row, "torch", "keras")
    ({}, 'not ported exactly: keras Flatten flattens every sample axis: a reshape: {target_shape: [20, 8]} gives this output')
    """
    rank = _rank(row)
    if target != "keras" or rank is None or row.output is None or rank == 0:
        return {}, None
    start, end = _position(row.options["start_dim"], rank), _position(row.options["end_dim"], rank)
    if (start, end) == (0, rank - 1):
        return {"start_dim": None, "end_dim": None}, "ported to keras as Flatten (every sample axis)"
    return {}, (f"not ported exactly: keras Flatten flattens every sample axis: a reshape: "
                f"{{target_shape: {_moved(row.output, source)}}} gives this output")


def _moved(shape, source: str) -> list[int]:
    return [shape[k] for k in sorted(range(len(shape)), key=lambda k: layout_map(len(shape), source)[k])]


# --- their differences


def split_differences(t, k) -> tuple[str, list[str]]:
    """split / chunk: the parts, which the shape comparison of one output does not see.

    >>> from types import SimpleNamespace
    >>> split_differences(SimpleNamespace(outputs=((2, 4), (2, 4), (1, 4))), SimpleNamespace(outputs=None))
    ('', [])
    """
    if t.outputs is None or k.outputs is None:
        return "", []
    neutral = [tuple(shape[k_] for k_ in sorted(range(len(shape)), key=lambda a: layout_map(len(shape), "keras")[a]))
               for shape in k.outputs]
    if len(t.outputs) == len(k.outputs) and list(t.outputs) == neutral:
        return "", []
    return "", [f"outputs: torch {len(t.outputs)} ({', '.join(map(shape_text, t.outputs))}), keras {len(k.outputs)} "
                f"({', '.join(map(shape_text, k.outputs))})"]


def repeat_vector_differences(t, k) -> tuple[str, list[str]]:
    """repeat_vector gives (n, F) in both frameworks: channels last (keras) reads it as n steps of F
    features, channels first (torch) as n channels of length F."""
    if t.output is None or k.output is None or t.output[0] == t.output[1]:
        return "", []
    return "", [f"repeat_vector gives {shape_text(t.output)} (n x F) in both: keras reads it as {t.output[0]} "
                f"steps of {t.output[1]} features, torch as {t.output[0]} channels of length {t.output[1]}; a torch "
                "sequence layer after it wants x.transpose(1, 2)"]
