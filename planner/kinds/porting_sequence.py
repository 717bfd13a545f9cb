"""The port hooks and differences of the normalisation, padding, shuffle, sequence and attention kinds (the
hooks' contract: planner/kinds/porting.py).

Layout: a sequence (steps, features) is written the same way in both frameworks, while an image-like
tensor moves its channel axis. planner/port.py tells a hook which one a layer reads: `fits.sequence` is
True when the layer's input is a sequence (the output of an embedding, a recurrent or an attention layer,
or of element-wise and last-axis layers after one).

Conventions the hooks translate, each as the frameworks define it:
- LayerNorm: torch normalises the trailing axes given by their sizes (normalized_shape), keras the axes
  given by index (axis, on the batched tensor). Default epsilons: torch 1e-5, keras 1e-3.
  torch elementwise_affine/bias are keras scale/center.
- GroupNorm / InstanceNorm: torch `affine` is keras center + scale; keras groups=-1 (one group per
  channel) is torch's channel count; default epsilons torch 1e-5, keras 1e-3.
- Recurrent layers: torch returns every step, keras the last one unless return_sequences; torch stacks
  num_layers layers in one module, keras one per layer; torch keeps two bias vectors per gate (b_ih and
  b_hh), keras one (GRU with reset_after, its default and torch's formulation, two).
- Attention: torch projects queries, keys and values to embed_dim (the query's features) split over the
  heads; keras projects each to num_heads x key_dim (value_dim) and back to the query's features
  (output_shape). torch is called (query, key, value), keras (query, value, key).
"""

from __future__ import annotations

from typing import Any

from .porting import Fits, Ported, move_axis

EPSILONS = {"layer_norm": {"torch": 1e-5, "keras": 1e-3}, "group_norm": {"torch": 1e-5, "keras": 1e-3},
            "instance_norm": {"torch": 1e-5, "keras": 1e-3}}


#: why a keras layer that reads (steps, features) straight from a conv or reshape has no torch port as is
LAYOUT_WHY = ("keras' (steps, features) comes here from a channels-last layer, whose torch port is channels first "
              "(features, steps); {cls} reads (steps, features): a transpose of dims 1 and 2 before this layer "
              "(the port does not insert layers) makes it exact")


def _sequence(fits: Any) -> bool:
    return bool(getattr(fits, "sequence", False))


def _epsilon(options: dict, family: str, source: str, target: str) -> dict:
    """The source's epsilon written out where the default differs."""
    value = options.get("epsilon")
    defaults = EPSILONS[family]
    if value is None and defaults[source] != defaults[target]:
        return {"epsilon": defaults[source]}
    return {}


# --- normalisations


def port_layer_norm(rows, source: str, target: str, fits: Fits) -> Ported:
    """torch normalized_shape (the trailing axes, by size) <-> keras axis (by index on the batched tensor).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [64, 32], "layers": ["layer_norm"]}).layers[0]
    >>> class Sequence: sequence = True
    >>> port_layer_norm([row], "keras", "torch", Sequence()).changes
    {'axis': None, 'normalized_shape': 32, 'scale': None, 'center': None, 'epsilon': 0.001}
    """
    row, options = rows[0], rows[0].options
    changes: dict[str, Any] = {}
    why = ""
    shape = row.input
    if shape is None:
        return Ported()
    rank = len(shape)
    sequence = _sequence(fits) or rank < 2
    if source == "keras":
        axes = sorted({a % (rank + 1) for a in (options.get("axis") or (-1,))})
        torch_axes = axes if sequence else sorted(move_axis(a, rank, "keras") % (rank + 1) for a in axes)
        torch_shape = shape if sequence else (shape[-1], *shape[:-1])
        trailing = list(range(rank + 1 - len(torch_axes), rank + 1))
        changes["axis"] = None
        if torch_axes == trailing and 0 not in axes:
            sizes = [torch_shape[a - 1] for a in torch_axes]
            changes["normalized_shape"] = sizes[0] if len(sizes) == 1 else sizes
        else:
            why = (f"torch LayerNorm normalises trailing axes only; keras axis {list(options.get('axis') or [-1])} "
                   f"is axes {torch_axes} of torch's tensor: permute them to the end first")
        scale, center = options.get("scale", True), options.get("center", True)
        changes["scale"] = changes["center"] = None
        if not scale:
            changes["elementwise_affine"] = False
            if center:
                why = why or "torch LayerNorm has no bias without a weight (keras center without scale)"
        elif not center:
            changes["bias"] = False
    else:
        normalized = options.get("normalized_shape") or ()
        count = len(normalized)
        torch_axes = list(range(rank + 1 - count, rank + 1))
        keras_axes = torch_axes if sequence else sorted(move_axis(a, rank, "torch") % (rank + 1) for a in torch_axes)
        changes["normalized_shape"] = None
        if keras_axes != [rank]:
            changes["axis"] = keras_axes[0] if len(keras_axes) == 1 else keras_axes
        affine = options.get("elementwise_affine", True)
        changes["elementwise_affine"] = changes["bias"] = None
        if not affine:
            changes["scale"] = changes["center"] = False
        elif not options.get("bias", True):
            changes["center"] = False
    changes.update(_epsilon(options, "layer_norm", source, target))
    return Ported(changes, None, why)


def layer_norm_differences(t, k) -> tuple[str, list[str]]:
    """torch counts weight and bias of normalized_shape; keras gamma and beta of the axes.

    >>> from types import SimpleNamespace
    >>> layer_norm_differences(SimpleNamespace(), SimpleNamespace(options={"center": False, "scale": True}))
    (' (keras center false: no beta; torch LayerNorm bias=False is the same)', [])
    """
    if not (k.options.get("center", True) and k.options.get("scale", True)):
        return " (keras center false: no beta; torch LayerNorm bias=False is the same)", []
    return "", []


def port_group_norm(rows, source: str, target: str, fits: Fits) -> Ported:
    """GroupNorm: torch affine <-> keras center and scale; keras groups -1 is the channel count.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [8, 8, 16], "layers": [{"group_norm": -1}]}).layers[0]
    >>> port_group_norm([row], "keras", "torch", None).changes
    {'groups': 16, 'center': None, 'scale': None, 'epsilon': 0.001}
    """
    options = rows[0].options
    changes: dict[str, Any] = {}
    why = ""
    if source == "keras":
        if options.get("groups") == -1 and rows[0].input is not None:
            changes["groups"] = rows[0].input[-1]
        scale, center = options.get("scale", True), options.get("center", True)
        changes["center"] = changes["scale"] = None
        if not scale and not center:
            changes["affine"] = False
        elif not (scale and center):
            why = "torch GroupNorm learns both a weight and a bias or neither (keras center or scale alone)"
    else:
        changes["affine"] = None
        if not options.get("affine", True):
            changes["center"] = changes["scale"] = False
    changes.update(_epsilon(options, "group_norm", source, target))
    return Ported(changes, None, why)


def norm_affine_differences(t, k) -> tuple[str, list[str]]:
    """GroupNorm: torch affine is all or nothing; keras center and scale are separate."""
    if k.options.get("center", True) != k.options.get("scale", True):
        return " (keras learns only one of center and scale; torch affine learns both or neither)", []
    return "", []


def port_instance_norm(rows, source: str, target: str, fits: Fits) -> Ported:
    """InstanceNorm{d}d is keras GroupNormalization(groups=-1): affine kept, epsilon written out; torch's
    track_running_stats (buffers: no params, but eval mode uses them) has no keras counterpart.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [8, 16, 16], "layers": [{"instance_norm2d": {"affine": True}}]}).layers[0]
    >>> port_instance_norm([row], "torch", "keras", None).changes
    {'track_running_stats': None, 'momentum': None, 'epsilon': 1e-05}
    """
    options = rows[0].options
    changes: dict[str, Any] = {"track_running_stats": None, "momentum": None} if source == "torch" else {}
    changes.update(_epsilon(options, "instance_norm", source, target))
    note = None
    if source == "torch" and options.get("track_running_stats"):
        note = ("torch track_running_stats normalises with running statistics in eval mode; keras "
                "GroupNormalization always uses the sample's own: the same shape, other values in eval mode")
    return Ported(changes, note)


# --- layers one framework does not have


def port_torch_only(rows, source: str, target: str, fits: Fits) -> Ported:
    """Reflection/replication padding and pixel (un)shuffle: keras has no such layer.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [3, 8, 8], "layers": [{"reflection_padding2d": 2}]}).layers[0]
    >>> port_torch_only([row], "torch", "keras", None).why[:47]
    'keras has no reflection padding layer: tf.pad(x'
    """
    row = rows[0]
    if row.type.startswith(("reflection_padding", "replication_padding")):
        mode = "REFLECT" if row.type.startswith("reflection") else "SYMMETRIC"
        what = row.type.split("_padding")[0]
        dims = len(row.geometry) or 2
        pads = [[g.pad_before, g.pad_after] for g in row.geometry]
        shown = pads[0][0] if pads and len({tuple(p) for p in pads}) == 1 and pads[0][0] == pads[0][1] else pads
        return Ported(why=f"keras has no {what} padding layer: tf.pad(x, paddings, mode='{mode}') in a custom layer "
                          f"gives the same shape and values{' (SYMMETRIC repeats the edge cell only for an amount of 1)' if mode == 'SYMMETRIC' else ''}; "
                          f"zero_padding{dims}d of {shown} gives the same shape with zeros")
    up = row.type == "pixel_shuffle"
    op = "depth_to_space" if up else "space_to_depth"
    return Ported(why=f"keras has no {row.type} layer: tf.nn.{op}(x, r) in a custom layer gives the same shape, "
                      "but orders the channels (r, r, C) where torch orders them (C, r, r)")


def port_keras_only(rows, source: str, target: str, fits: Fits) -> Ported:
    """Rescaling, GaussianNoise, Normalization and TimeDistributed: torch has no such layer.

    >>> from types import SimpleNamespace
    >>> port_keras_only([SimpleNamespace(type="rescaling", options={"scale": 0.5, "offset": 0.0})], "keras",
    ...                 "torch", None).why
    'torch has no Rescaling layer: x * 0.5 + 0.0 in forward() keeps the shape (identity stands in for it in a spec)'
    """
    row = rows[0]
    if row.type == "rescaling":
        return Ported(why=f"torch has no Rescaling layer: x * {row.options.get('scale')} + "
                          f"{row.options.get('offset') or 0.0} in forward() keeps the shape (identity stands in for "
                          "it in a spec)")
    if row.type == "normalization":
        return Ported(why="torch has no Normalization layer: (x - mean) / sqrt(variance) in forward() keeps the shape "
                          "(identity stands in for it in a spec; adapted statistics are buffers there, not parameters)")
    if row.type == "time_distributed":
        return Ported(why="torch has no TimeDistributed layer: apply the wrapped layer to x.flatten(0, 1) and "
                          "unflatten(0, (N, steps)) in forward()")
    return Ported(why="torch has no GaussianNoise layer: x + stddev * torch.randn_like(x) when training, in forward(), "
                      "keeps the shape (identity stands in for it in a spec)")


def port_resizing(rows, source: str, target: str, fits: Fits) -> Ported:
    """Resizing: keras crop_to_aspect_ratio (no effect on shape) has no torch argument.

    >>> from types import SimpleNamespace
    >>> port_resizing([SimpleNamespace(options={"crop_to_aspect_ratio": True})], "keras", "torch", None).changes
    {'crop_to_aspect_ratio': None}
    """
    if source == "keras" and rows[0].options.get("crop_to_aspect_ratio"):
        return Ported({"crop_to_aspect_ratio": None}, "keras crop_to_aspect_ratio crops before resizing; torch "
                      "Upsample stretches: the same shape, other values")
    return Ported()


def port_embedding(rows, source: str, target: str, fits: Fits) -> Ported:
    """Embedding: the same table in both; torch padding_idx and keras mask_zero do different things.

    >>> from types import SimpleNamespace
    >>> port_embedding([SimpleNamespace(options={"padding_idx": 0})], "torch", "keras", None).changes
    {'padding_idx': None}
    """
    options = rows[0].options
    if source == "torch" and options.get("padding_idx") is not None:
        return Ported({"padding_idx": None}, f"torch padding_idx {options['padding_idx']} (a zero vector that is "
                      "never trained) has no keras argument; keras mask_zero masks id 0 for later layers instead")
    if source == "keras" and options.get("mask_zero"):
        return Ported({"mask_zero": None}, "keras mask_zero (later layers skip id 0) has no torch argument; "
                      "padding_idx 0 keeps id 0's vector at zero, and packed sequences skip the padding")
    return Ported()


# --- recurrent layers


def port_recurrent(rows, source: str, target: str, fits: Fits) -> Ported:
    """torch returns every step: keras return_sequences=True is exact, keras' last step has no torch module.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [10, 4], "layers": [{"lstm": {"units": 8,
    ...                  "return_sequences": True}}]}).layers[0]
    >>> port_recurrent([row], "keras", "torch", None).changes
    {'return_sequences': None}
    """
    row, options = rows[0], rows[0].options
    name = row.type.upper()
    changes: dict[str, Any] = {}
    why, note = "", None
    states = bool(options.get("return_state"))
    if source == "keras" and fits is not None and not _sequence(fits):
        return Ported({"return_sequences": None, "reset_after": None} if row.type == "gru" else
                      {"return_sequences": None}, None, LAYOUT_WHY.format(cls=f"torch {name}"))
    if source == "keras":
        changes["return_sequences"] = None
        if row.type == "gru":
            changes["reset_after"] = None
        if not options.get("return_sequences"):
            if options.get("bidirectional"):
                last = ("keras' output is the forward half's last step and the backward half's final state: "
                        "torch output[:, -1, :units] joined with output[:, 0, units:]")
            else:
                last = "keras' output is torch's last step output[:, -1] (and h_n[-1])"
            why = (f"torch {name} returns every step (steps, D*units) and has no return_sequences: {last}, written "
                   "in forward(); keras return_sequences=True ports exactly")
        if row.type == "gru" and options.get("reset_after") is False:
            note = ("keras GRU reset_after=False applies the reset gate before the recurrent product; torch GRU "
                    "after it (keras' default): the same shapes, other values and params")
        if states:
            note = ((note + "; ") if note else "") + (
                "the states: keras [output, h(, c)] per direction are torch's (output, h_n(, c_n)) with both "
                "directions stacked in h_n (:1) and c_n (:2)")
    else:
        changes.update({"num_layers": None, "batch_first": None, "return_sequences": True})
        if options.get("dropout"):
            changes["dropout"] = None
            note = (f"torch dropout {options['dropout']:g} acts between stacked layers, keras' on the inputs: "
                    "not ported (no effect on shapes)")
    return Ported(changes, note, why)


def recurrent_differences(t, k) -> tuple[str, list[str]]:
    """torch two bias vectors per gate; keras one (GRU reset_after: two).

    >>> from types import SimpleNamespace
    >>> recurrent_differences(SimpleNamespace(type="lstm", options={"units": 8, "bias": True}),
    ...                       SimpleNamespace(options={}))[0]
    ' (torch keeps two bias vectors per gate, b_ih and b_hh: 4 x 8 more)'
    """
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[t.type]
    layers = t.options.get("num_layers") or 1
    stacked = (f" (torch stacks num_layers {layers} layers in one module, keras {t.type.upper()} is one: write "
               f"{layers} keras layers with return_sequences=True)") if layers > 1 else ""
    if not t.options.get("bias", True) or (t.type == "gru" and k.options.get("reset_after", True)):
        return stacked, []
    return stacked or f" (torch keeps two bias vectors per gate, b_ih and b_hh: {gates} x {t.options['units']} more)", []


# --- attention


def port_attention(rows, source: str, target: str, fits: Fits) -> Ported:
    """torch embed_dim (split over the heads) <-> keras num_heads x key_dim; torch (query, key, value) <->
    keras (query, value, key).

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [64, 64], "layers": [{"multi_head_attention": {
    ...     "num_heads": 4, "key_dim": 16}}]}).layers[0]
    >>> port_attention([row], "keras", "torch", None).changes
    {'key_dim': None, 'value_dim': None, 'output_shape': None}
    """
    row, options = rows[0], rows[0].options
    shapes = [s for s in (row.input_shapes or [row.input]) if s is not None]
    changes: dict[str, Any] = {}
    why, note = "", None
    if len(row.inputs or ()) == 3:
        inputs = list(row.inputs)
        changes["inputs"] = [inputs[0], inputs[2], inputs[1]]
    heads = options.get("num_heads")
    if source == "keras" and fits is not None and not _sequence(fits):
        why = LAYOUT_WHY.format(cls="torch MultiheadAttention")
    if source == "keras":
        changes.update({"key_dim": None, "value_dim": None, "output_shape": None})
        if not shapes:
            return Ported(changes)
        query = shapes[0]
        value = shapes[1] if len(shapes) > 1 else query
        key = shapes[2] if len(shapes) > 2 else value
        embed = query[-1]
        if key[-1] != embed:
            changes["kdim"] = key[-1]
        if value[-1] != embed:
            changes["vdim"] = value[-1]
        out = options.get("output_shape")
        if out is not None and tuple(out) != (embed,):
            why = (f"torch MultiheadAttention returns embed_dim = the query's {embed} features; keras output_shape "
                   f"{list(out)}: a torch Linear({embed}, {out[-1]}) after it matches")
        elif heads and embed % heads and not why:  # heads None: the option did not parse, said by the plan
            why = (f"torch splits embed_dim {embed} (the query's features) over the heads: {heads} heads do not "
                   f"divide it; keras' heads are key_dim {options['key_dim']} wide each")
    else:
        changes.update({"embed_dim": None, "kdim": None, "vdim": None, "batch_first": None,
                        "average_attn_weights": None})
        embed = options.get("embed_dim") or (shapes[0][-1] if shapes else None)
        if embed is not None and heads:
            changes["key_dim"] = embed // heads
        if options.get("add_bias_kv"):
            changes["add_bias_kv"] = None
            note = "torch add_bias_kv appends a learned key and value step; keras has none (params and values differ)"
    return Ported(changes, note, why)


def attention_differences(t, k) -> tuple[str, list[str]]:
    """Explain the params of the two attentions.

    >>> from types import SimpleNamespace
    >>> attention_differences(SimpleNamespace(input=(10, 64), input_shapes=None, options={"embed_dim": None}),
    ...                       SimpleNamespace(options={"num_heads": 4, "key_dim": 8, "value_dim": None}))[0][:60]
    ' (keras projects to num_heads x key_dim = 32, torch to embed'
    """
    embed = t.options.get("embed_dim") or (t.input[-1] if t.input is not None else None)
    heads, key_dim = k.options.get("num_heads"), k.options.get("key_dim")
    if embed is None or heads is None or key_dim is None:
        return "", []
    value_dim = k.options.get("value_dim") or key_dim
    if heads * key_dim == embed and value_dim == key_dim:
        return ("", [])
    return (f" (keras projects to num_heads x key_dim = {heads * key_dim}, torch to embed_dim = {embed}; "
            f"key_dim {embed // heads if embed % heads == 0 else 'embed_dim / num_heads'} gives equal params)", [])



def port_prelu(rows, source: str, target: str, fits: Fits) -> Ported:
    """torch num_parameters (1, or one slope per channel) <-> keras shared_axes (the axes one slope covers).

    >>> from types import SimpleNamespace
    >>> port_prelu([SimpleNamespace(input=(8, 4, 4), options={"num_parameters": 8})], "torch", "keras", None).changes
    {'num_parameters': None, 'init': None, 'shared_axes': [1, 2]}
    >>> port_prelu([SimpleNamespace(input=(4, 4, 8), options={"shared_axes": (1,)})], "keras", "torch", None).why
    'torch PReLU learns 1 slope or one per channel; keras shared_axes [1] leaves 32 slopes over (4, 8)'
    """
    row, options = rows[0], rows[0].options
    shape = row.input
    if shape is None:
        return Ported()
    rank = len(shape)
    if source == "torch":
        per_channel = (options.get("num_parameters") or 1) > 1
        shared = list(range(1, rank)) if per_channel else list(range(1, rank + 1))
        return Ported(changes={"num_parameters": None, "init": None, "shared_axes": shared or None})
    weight = list(shape)
    for axis in options.get("shared_axes") or ():
        if -rank <= axis - 1 < rank:
            weight[axis - 1] = 1
    if all(size == 1 for size in weight):
        return Ported(changes={"shared_axes": None})
    if all(size == 1 for size in weight[:-1]):
        return Ported(changes={"shared_axes": None, "num_parameters": weight[-1]})
    kept = tuple(size for size in weight if size != 1)
    slopes = 1
    for size in kept:
        slopes *= size
    return Ported(changes={"shared_axes": None}, why=(
        f"torch PReLU learns 1 slope or one per channel; keras shared_axes {list(options.get('shared_axes') or [])} "
        f"leaves {slopes} slopes over {tuple(weight)}".replace(str(tuple(weight)), "(" + ", ".join(map(str, kept)) + ")")))
