"""Seeded random stacks of the normalisation, padding, shuffle, resizing, sequence and attention kinds and
the weight_norm / spectral_norm options, for both frameworks (the differential test of these kinds,
test_new_kinds_oracle.py, runs them in torch_build / keras_build).

Two sorts of stack: a spatial one (1d, 2d or 3d input in the framework's layout) through pixel shuffle,
reflection / replication padding, instance / group / layer norm, spatial dropout, upsample modes, resizing,
rescaling, gaussian noise, identity and conv / dense layers with weight_norm or spectral_norm; and a
sequence one ((steps, features), or integer ids into an embedding) through rnn / lstm / gru and multi-head
self-attention. About a quarter of the layers get an option the framework rejects (groups that do not
divide, reflection padding as large as the axis, a mode of the wrong rank, heads that do not divide ...),
and a layer only the other framework has is drawn now and then: both must be errors on the same layer.

    python tests/oracle/new_kinds_cases.py 5 keras   # print five stacks
"""

from __future__ import annotations

import random
import sys

INVALID = 0.25


def _norm_extras(rng: random.Random, framework: str, kind: str) -> dict:
    """The normalisation options that change neither shape nor params, drawn now and then so that every
    documented option is planned and built: epsilon (all), momentum (torch instance norm)."""
    extras = {}
    if rng.random() < 0.3:
        extras["epsilon"] = rng.choice([1e-5, 1e-3, 0.01])
    if framework == "torch" and kind == "instance" and rng.random() < 0.3:
        extras["momentum"] = rng.choice([0.1, 0.01, 0.5])
    return extras


def _channels(shape, framework):
    return shape[0] if framework == "torch" else shape[-1]


def _spatial(shape, framework):
    return list(shape[1:]) if framework == "torch" else list(shape[:-1])


def _join(channels, spatial, framework):
    return [channels, *spatial] if framework == "torch" else [*spatial, channels]


def spatial_layer(rng: random.Random, shape: list[int], framework: str) -> tuple[dict, list[int] | None]:
    """One layer for a spatial sample, and the shape it should give when valid (None: unknown or invalid)."""
    dims = len(shape) - 1
    channels, spatial = _channels(shape, framework), _spatial(shape, framework)
    bad = rng.random() < INVALID
    choice = rng.choice(["pad", "instance", "group", "layer", "dropout", "upsample", "conv", "shuffle",
                         "resizing", "other", "learned"])
    if choice == "learned":
        return learned_layer(rng, shape, framework, bad)
    if choice == "pad":
        kind = rng.choice(["reflection_padding", "replication_padding"])
        if framework == "keras" and rng.random() < 0.7:
            kind = "group_norm"  # keras has neither: drawn now and then only
            return {kind: {"groups": channels}}, shape
        amounts = [rng.randint(0, max(0, s - 1)) for s in spatial]
        if bad:
            amounts[rng.randrange(dims)] = spatial[0] + rng.randint(0, 2)
        out = [s + 2 * a for s, a in zip(spatial, amounts)]
        return {f"{kind}{dims}d": {"padding": amounts if rng.random() < 0.5 else amounts[0] if len(set(amounts)) == 1
                                   else amounts}}, _join(channels, out, framework)
    if choice == "instance":
        options = {"affine": rng.random() < 0.5, **_norm_extras(rng, framework, "instance")}
        if framework == "torch" and rng.random() < 0.3:
            options["track_running_stats"] = True
        later = _later_rng(rng)
        if framework == "torch" and later.random() < 0.3:
            # once more for each, so that every dimensionality draws them
            options.setdefault("momentum", later.choice([0.1, 0.01, 0.5]))
            options.setdefault("track_running_stats", later.random() < 0.5)
        return {rng.choice([f"instance_norm{dims}d", f"InstanceNorm{dims}d"]): options}, shape
    if choice == "group":
        divisors = [d for d in range(1, channels + 1) if channels % d == 0]
        groups = rng.choice(divisors)
        if bad:
            groups = rng.choice([channels + 1, channels * 2, 3 if channels % 3 else channels + 2])
        options = {"groups": groups}
        if framework == "torch" and rng.random() < 0.3:
            options["affine"] = False
        if framework == "keras" and rng.random() < 0.3:
            options[rng.choice(["center", "scale"])] = False
        options.update(_norm_extras(rng, framework, "group"))
        return {rng.choice(["group_norm", "GroupNorm"]): options}, shape
    if choice == "layer":
        if framework == "torch":
            count = rng.randint(1, len(shape))
            normalized = list(shape[-count:])
            if bad:
                normalized[0] += 1
            options = {"normalized_shape": normalized, "bias": rng.random() < 0.7, **_norm_extras(rng, framework, "layer")}
            if rng.random() < 0.2:
                options["elementwise_affine"] = False  # no weight and no bias
            return {"layer_norm": options}, shape
        axes = sorted(rng.sample(range(1, len(shape) + 1), rng.randint(1, len(shape))))
        if bad:
            # axis 0 (the batch) runs eagerly on a batch of known size but fails in a keras Model, whose batch
            # is unknown: layerplan reports it as the error it is in a model; not drawn here
            axes = [len(shape) + 1]
        options = {"axis": axes if len(axes) > 1 else axes[0], **_norm_extras(rng, framework, "layer")}
        if rng.random() < 0.3:
            options[rng.choice(["center", "scale"])] = False
        return {"LayerNormalization": options}, shape
    if choice == "dropout":
        return {rng.choice([f"spatial_dropout{dims}d", f"SpatialDropout{dims}D", f"Dropout{dims}d"]):
                {"rate": round(rng.random(), 2)}}, shape
    if choice == "upsample" and framework == "torch":
        mode = {1: "linear", 2: rng.choice(["bilinear", "bicubic"]), 3: "trilinear"}[dims]
        options = {"scale_factor": 2, "mode": mode if rng.random() < 0.7 else "nearest"}
        if rng.random() < 0.5:
            options["align_corners"] = rng.random() < 0.5
        if bad:
            options["mode"] = rng.choice([m for m in ("linear", "bilinear", "trilinear") if m != mode])
        return {"upsample": options}, None
    if choice == "conv" or choice == "upsample":
        options = {"filters": rng.randint(1, 6), "kernel_size": rng.randint(1, 3)}
        if min(spatial) < 3:
            options["kernel_size"] = 1
        if framework == "torch" and rng.random() < 0.6:
            options["weight_norm"] = True
        if rng.random() < 0.5:
            options["spectral_norm"] = True
        kind = f"conv{dims}d" if rng.random() < 0.7 else f"conv_transpose{dims}d"
        return {kind: options}, None
    if choice == "shuffle" and dims == 2:
        if framework == "keras" and rng.random() < 0.7:
            return {"identity": {}}, shape
        if rng.random() < 0.5:
            r = rng.choice([d for d in (1, 2, 3) if channels % (d * d) == 0] or [1])
            if bad:
                r = 2 if channels % 4 else 3 if channels % 9 else 5
            return {"PixelShuffle": {"upscale_factor": r}}, None
        r = rng.choice([d for d in (1, 2, 3) if all(s % d == 0 for s in spatial)] or [1])
        if bad:
            r = rng.choice([d for d in (2, 3, 5) if any(s % d for s in spatial)] or [7])
        return {"pixel_unshuffle": {"downscale_factor": r}}, None
    if choice == "resizing" and dims == 2:
        options = {"height": rng.randint(1, 12), "width": rng.randint(1, 12)}
        if framework == "keras" or rng.random() < 0.5:
            options["interpolation"] = rng.choice(["nearest", "bilinear", "bicubic"] + (
                ["lanczos3"] if bad else []))
        if framework == "keras" and _later_rng(rng).random() < 0.4:
            options["crop_to_aspect_ratio"] = True
        return {"Resizing": options}, _join(channels, [options["height"], options["width"]], framework)
    kind = rng.choice(["identity", "rescaling", "gaussian_noise"] if framework == "keras" or bad else ["identity"])
    options = {"rescaling": {"scale": 0.5, "offset": -1}, "gaussian_noise": {"stddev": 0.1}, "identity": {}}[kind]
    if kind == "gaussian_noise" and _later_rng(rng).random() < 0.5:
        options["seed"] = 7
    return {kind: options}, shape


def learned_layer(rng: random.Random, shape: list[int], framework: str, bad: bool) -> tuple[dict, list[int] | None]:
    """prelu, keras normalization or a learned tensor (added, multiplied or concatenated) for this sample."""
    channels, rank = _channels(shape, framework), len(shape)
    pick = rng.choice(["prelu", "normalization", "learned_tensor"])
    if pick == "prelu":
        if framework == "torch":
            count = rng.choice([1, channels]) if not bad else channels + rng.randint(1, 3)
            return {rng.choice(["prelu", "PReLU"]): {"num_parameters": count}}, shape
        axes = sorted(rng.sample(range(1, rank + 1), rng.randint(0, rank)))
        if bad:
            axes.append(rank + rng.randint(1, 2))
        return {"PReLU": {"shared_axes": axes} if axes else {}}, shape
    if pick == "normalization":
        if framework == "torch" and not bad:
            return {"identity": {}}, shape
        if rng.random() < 0.4:
            values = [rng.random() for _ in range(rng.choice([1, channels] if not bad else [channels + 1]))]
            return {"Normalization": {"mean": values, "variance": values}}, shape
        axis = rng.choice([-1, None, [1, rank], list(range(1, rank + 1))])
        if bad:  # (axis 0, the batch axis, is refused as in a keras model, whose batch size is unknown; this
            axis = rank + 1  # oracle runs a batch of known size, so it is not drawn)
        return {"normalization": {"axis": axis}}, shape
    merge = rng.choice(["add", "multiply", "concatenate"])
    if merge == "concatenate":
        axis = rng.randint(1, rank)
        learned = list(shape)
        learned[axis - 1] = rng.randint(1, 3)
        if bad:
            learned[(axis % rank)] += 1 if rank > 1 else 0
            learned = learned if rank > 1 else learned + [1]
        options = {"shape": learned, "merge": "concatenate", "axis": axis, "first": rng.random() < 0.7}
        return {"learned_tensor": options}, None
    learned = [size if rng.random() < 0.6 else 1 for size in shape][rng.randint(0, rank - 1):]
    if bad:
        learned[-1] += 1
    return {"learned_tensor": {"shape": learned, "merge": merge}}, shape


def sequence_layers(rng: random.Random, framework: str) -> tuple[list[int], list[dict]]:
    """An input and a stack for a sequence model: maybe an embedding, recurrent layers, attention, norm."""
    steps = rng.randint(1, 7)
    layers: list[dict] = []
    if rng.random() < 0.4:
        shape = [steps]
        width = rng.randint(1, 8)
        options = {"input_dim": rng.randint(1, 20), "output_dim": width}
        if framework == "torch" and rng.random() < 0.3:
            options["padding_idx"] = rng.randint(-options["input_dim"], options["input_dim"] - 1)
            if rng.random() < INVALID:
                options["padding_idx"] = options["input_dim"]
        if framework == "keras" and _later_rng(rng).random() < 0.4:
            options["mask_zero"] = True
        layers.append({"Embedding": options})
    else:
        width = rng.randint(1, 8)
        shape = [steps, width]
    keep_sequence = True
    for _ in range(rng.randint(1, 3)):
        if not keep_sequence:
            break
        bad = rng.random() < INVALID
        pick = rng.random()
        if pick < 0.5:
            kind = rng.choice(["rnn", "lstm", "gru", "LSTM", "GRU", "SimpleRNN" if framework == "keras" else "RNN"])
            units = rng.randint(1, 6)
            options = {"units" if rng.random() < 0.5 or framework == "keras" else "hidden_size": units}
            if rng.random() < 0.4:
                options["bidirectional"] = True
            if rng.random() < 0.2:
                options["bias"] = False
            if framework == "torch":
                if rng.random() < 0.4:
                    options["num_layers"] = rng.randint(1, 3)
                if rng.random() < 0.5:
                    options["batch_first"] = rng.random() < 0.5
            else:
                sequences = rng.random() < 0.7
                options["return_sequences"] = sequences
                keep_sequence = sequences
                if kind.lower() == "gru" and rng.random() < 0.5:
                    options["reset_after"] = False
            if bad:
                options["dropout"] = 1.5
            layers.append({kind: options})
            width = units * (2 if options.get("bidirectional") else 1)
        elif pick < 0.8:
            heads = rng.choice([d for d in range(1, width + 1) if width % d == 0])
            if framework == "torch":
                options = {"num_heads": heads if not bad else width + 1}
                if rng.random() < 0.3:
                    options["embed_dim"] = width
                if rng.random() < 0.3:
                    options["add_bias_kv"] = True
                if rng.random() < 0.3:
                    options["batch_first"] = True
            else:
                options = {"num_heads": rng.randint(1, 3), "key_dim": rng.randint(1, 4)}
                if rng.random() < 0.3:
                    options["value_dim"] = rng.randint(1, 4)
                if rng.random() < 0.3:
                    options["output_shape"] = rng.randint(1, 6)
                    width = options["output_shape"]
                if bad:
                    options.pop("key_dim")
            if rng.random() < 0.2:
                options["bias"] = False
            options.update(_later_attention_options(rng, framework, width))
            layers.append({rng.choice(["multi_head_attention", "MultiheadAttention", "MultiHeadAttention"]): options})
        else:
            if framework == "torch":
                layers.append({"LayerNorm": {"normalized_shape": width if not bad else width + 1}})
            else:
                layers.append({"layer_norm": {"axis": -1 if not bad else 3}})
    if rng.random() < 0.5:
        layers.append({"dense": {"units": rng.randint(1, 5), "spectral_norm": rng.random() < 0.5}})
    return shape, layers


SIZES = {1: (2, 12), 2: (2, 7), 3: (2, 5)}


def _later_rng(rng: random.Random) -> random.Random:
    """A generator for options drawn after the first release of these cases: seeded from `rng`'s state
    without drawing from it, so every seed still draws what it drew before."""
    return random.Random(hash(rng.getstate()[1]))


def _later_attention_options(rng: random.Random, framework: str, width: int) -> dict:
    """Attention dropout, and torch's key / value widths: the query's width (self-attention reads one
    tensor), now and then one more, which torch and the planner must both refuse."""
    later, options = _later_rng(rng), {}
    if later.random() < 0.3:
        options["dropout"] = later.choice([0.0, 0.1, 0.5])
    if framework == "torch":
        for key in ("kdim", "vdim"):
            if later.random() < 0.25:
                options[key] = width + (1 if later.random() < 0.2 else 0)
    return options


def generate_spec(seed: int, framework: str) -> dict:
    rng = random.Random(f"new-kinds-{framework}-{seed}")
    if rng.random() < 0.45:
        shape, layers = sequence_layers(rng, framework)
        return {"framework": framework, "input": shape, "layers": layers}
    dims = rng.choice([1, 2, 2, 3])
    low, high = SIZES[dims]
    channels = rng.choice([1, 2, 3, 4, 6, 8])
    shape = _join(channels, [rng.randint(low, high) for _ in range(dims)], framework)
    first = list(shape)
    layers = []
    for _ in range(rng.randint(1, 3)):
        layer, next_shape = spatial_layer(rng, shape, framework)
        layers.append(layer)
        if next_shape is None:
            break
        shape = next_shape
    return {"framework": framework, "input": first, "layers": layers}


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for seed in range(count):
        print(generate_spec(seed, sys.argv[2] if len(sys.argv) > 2 else "torch"))


def several_outputs_graph(seed: int, framework: str) -> dict:
    """A graph around one layer with several outputs: a recurrent layer returning its states, attention
    returning its weights, or a split / chunk, with later layers reading outputs as `NAME:K`, and
    `outputs:` naming some of them (`NAME:K`, or `NAME` for all). A few are invalid (a split whose
    sizes do not add up), as in the other corpora."""
    rng = random.Random(f"several-outputs-{framework}-{seed}")
    steps, width = rng.randint(1, 6), rng.randint(1, 8)
    inputs = {"seq": [steps, width]}
    pick = rng.choice(["recurrent", "attention", "split"])
    options: dict = {"name": "multi"}
    if pick == "recurrent":
        kind = rng.choice(["rnn", "lstm", "gru"])
        options.update(units=rng.randint(1, 5), return_state=True, bidirectional=rng.random() < 0.4)
        if framework == "torch":
            if rng.random() < 0.4:
                options["num_layers"] = rng.randint(2, 3)
        else:
            options["return_sequences"] = rng.random() < 0.5
        count = 1 + (2 if kind == "lstm" else 1) * (2 if options["bidirectional"] and framework == "keras" else 1)
    elif pick == "attention":
        kind = "multi_head_attention"
        options.update(return_attention_scores=True)
        if rng.random() < 0.5:
            # keras 3.15.1's symbolic MultiHeadAttention states the scores as (heads, Lq, Lq) whatever the key's
            # length S (compute_output_spec); run, they are (heads, Lq, S) as planned. A functional model is
            # built on the symbolic shape, so keras' own memory keeps the query's length here.
            memory_steps = rng.randint(1, 6) if framework == "torch" else steps
            inputs["memory"] = [memory_steps, width if framework == "torch" else rng.randint(1, 8)]
            options["inputs"] = ["seq", "memory"]
        if framework == "torch":
            options["num_heads"] = rng.choice([d for d in range(1, width + 1) if width % d == 0])
            options["average_attn_weights"] = rng.random() < 0.5
        else:
            options.update(num_heads=rng.randint(1, 3), key_dim=rng.randint(1, 4))
        count = 2
    else:
        kind = rng.choice(["split", "chunk"])
        axis = rng.choice([1, 2, -1])
        length = [steps, width][axis % 3 - 1]
        if kind == "chunk":
            chunks = rng.randint(1, length) if framework == "torch" else rng.choice(
                [d for d in range(1, length + 1) if length % d == 0])
            options.update(chunks=chunks, axis=axis)
            size = -(-length // chunks) if framework == "torch" else length // chunks
            count = -(-length // size)
        else:
            cuts = sorted(rng.sample(range(1, length), rng.randint(0, min(3, length - 1))))
            sizes = [b - a for a, b in zip([0, *cuts], [*cuts, length])]
            if rng.random() < INVALID:
                sizes[0] += 1
            options.update(sizes=sizes, axis=axis)
            count = len(sizes)
    layers: list[dict] = [{kind: options}]
    if "inputs" not in options:
        options["inputs"] = "seq"
    outputs = []
    for k in range(count):
        read = rng.random()
        if read < 0.4:
            layers.append({"flatten": {"name": f"flat{k}", "inputs": f"multi:{k}"}})
            layers.append({"dense": {"name": f"head{k}", "units": rng.randint(1, 4)}})
            outputs.append(f"head{k}")
        elif read < 0.7:
            outputs.append(f"multi:{k}")
    if not outputs or rng.random() < 0.2:
        outputs.append("multi")
    return {"framework": framework, "inputs": inputs, "layers": layers, "outputs": outputs}
