"""Random graph specs (DAGs with skips and merges) for the graph differential tests.

Every layer is written in long form with an explicit `name:` (n1, n2, ...) and `inputs:`, so the
reference builders need no name rules. Merges mostly join branches of compatible shapes (the planner
is used only to pick likely-compatible branches, never as the expected answer), sometimes any branches
(to exercise the join errors), sometimes with a size-1 gate that broadcasts, sometimes with an
explicit axis, including the batch axis.

    >>> spec = generate_graph(3, "torch")
    >>> spec["layers"][0]["inputs"]
    ['input']
"""

from __future__ import annotations

import random

MERGES = ("concatenate", "add", "subtract", "multiply", "average", "maximum", "minimum")


def _unary(rng: random.Random, framework: str) -> dict:
    torch = framework == "torch"
    kind = rng.choices(
        ["conv2d", "max_pool2d", "upsample2d", "conv_transpose2d", "cropping2d", "zero_padding2d", "relu",
         "batch_norm", "gate"],
        weights=[6, 3, 2, 2, 1, 1, 2, 1, 1])[0]
    if kind == "conv2d":
        stride = rng.choice([1, 1, 2])
        if torch:
            padding = rng.choice([0, 1, "same"] if stride == 1 else [0, 1])
        else:
            padding = rng.choice(["valid", "same"])
        return {"type": "conv2d", "filters": rng.randint(1, 8), "kernel_size": rng.randint(1, 3),
                "stride": stride, "padding": padding, "bias": rng.random() < 0.7}
    if kind == "max_pool2d":
        return {"type": "max_pool2d", "pool_size": 2}
    if kind == "upsample2d":
        return {"type": "upsample2d", "scale_factor": 2} if torch else {"type": "upsample2d", "size": 2}
    if kind == "conv_transpose2d":
        return {"type": "conv_transpose2d", "filters": rng.randint(1, 8), "kernel_size": 2, "stride": 2}
    if kind == "cropping2d":
        return {"type": "cropping2d", "cropping": [[rng.randint(0, 1), rng.randint(0, 2)], [rng.randint(0, 2), 0]]}
    if kind == "zero_padding2d":
        return {"type": "zero_padding2d", "padding": [[rng.randint(0, 1), rng.randint(0, 1)], [1, 0]]}
    if kind == "gate":  # a size-1 spatial map: multiplying by it broadcasts
        return {"type": "global_avg_pool2d", "keepdims": True}
    return {"type": kind}


def _planned_shapes(spec: dict) -> dict[str, list | None]:
    """What each name an input can read holds, as the planner sees it (to pick likely inputs only):
    `NAME` for a layer with one output, `NAME:K` (and the names of `names:`) for each output of a split
    or chunk."""
    from layerplan.planner import plan_data

    report = plan_data(spec)
    shapes = {"input": list(spec["input"])}
    output_names = {layer["name"]: layer.get("names", ()) for layer in spec["layers"]}
    for row in report.layers:
        if row.outputs is not None:
            shapes.update({f"{row.name}:{k}": list(shape) for k, shape in enumerate(row.outputs)})
            shapes.update({name: list(shape) for name, shape in zip(output_names.get(row.name, ()), row.outputs)})
        else:
            shapes[row.name] = None if row.output is None else list(row.output)
    return shapes


# --- several outputs (split, chunk) and shape operations. Axes count the batched tensor (1 is the
# first sample axis); keras Permute lists the sample axes 1-based, torch permute every axis, 0 first.

PARTS = ("split", "chunk")


def _sample_axis(rng: random.Random, rank: int, channel_axis: int) -> int:
    """Mostly the channel axis, sometimes another; now and then the batch (0) or out of range."""
    roll = rng.random()
    if roll < 0.06:
        return rng.choice([0, rank + 1, -rank - 2])
    axis = channel_axis + 1 if roll < 0.7 else rng.randint(1, rank)
    return axis - rank - 1 if rng.random() < 0.3 else axis


def _parts(rng: random.Random, framework: str, shape: list[int] | None) -> dict:
    """A split or chunk of `shape` (None: unknown, any options)."""
    shape = shape or [4, 4, 4]
    rank = len(shape)
    axis = _sample_axis(rng, rank, 0 if framework == "torch" else rank - 1)
    length = shape[axis % (rank + 1) - 1] if -rank - 1 <= axis <= rank and axis % (rank + 1) else 4
    if rng.random() < 0.4:
        return {"type": "chunk", "chunks": rng.choice([2, 2, 3, 4]), "axis": axis}
    cuts = sorted(rng.sample(range(1, length), min(length - 1, rng.randint(1, 2)))) if length > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, length])]
    if rng.random() < 0.1:
        sizes[-1] += 1  # does not add up
    way = rng.choice(["sizes", "split_size"] if framework == "torch" else ["sizes", "sections", "indices"])
    # the framework's own keyword (torch.split's split_size_or_sections, tf.split's num_or_size_splits) means
    # sizes for a list and split_size (torch) or sections (keras) for a number
    keyword = rng.random() < 0.3 and way != "indices"
    own = "split_size_or_sections" if framework == "torch" else "num_or_size_splits"
    if way == "sizes" or (way == "indices" and not cuts):
        return {"type": "split", own if keyword else "sizes": sizes, "axis": axis}
    if way == "indices":
        return {"type": "split", "indices": cuts, "axis": axis}
    if way == "sections":
        return {"type": "split", own if keyword else "sections": rng.choice([2, 2, 3]), "axis": axis}
    return {"type": "split", own if keyword else "split_size": rng.randint(1, max(1, length - 1)), "axis": axis}


def _shape_op(rng: random.Random, framework: str, shape: list[int] | None) -> dict:
    """A shape operation on `shape`: rank-keeping ones mostly (the layers after them still fit)."""
    shape = shape or [4, 4, 4]
    rank = len(shape)
    kind = rng.choice(["permute", "transpose", "transpose", "squeeze", "unsqueeze"])
    if kind == "squeeze":
        ones = [k + 1 for k, v in enumerate(shape) if v == 1]
        return {"type": "squeeze", "axis": rng.choice(ones) if ones else rng.randint(1, rank)}
    if kind == "unsqueeze":
        return {"type": "unsqueeze", "axis": rng.randint(1, rank + 1)}
    if kind == "transpose":
        return {"type": "transpose", "dim0": rng.randint(1, rank), "dim1": -rng.randint(1, rank)}
    order = rng.sample(range(1, rank + 1), rank)
    return {"type": "permute", "dims": [0, *order] if framework == "torch" else order}


PART_ALIASES = {"dim": "axis", "indices_or_sections": "sections", "num": "sections"}


def part_options(options: dict) -> dict:
    """split / chunk options by canonical name, from the spec's aliases (torch's split_size_or_sections
    is sizes for a list, split_size for a number; tf.split's num_or_size_splits sizes for a list,
    sections for a number), as the builders read them."""
    canonical = {}
    for key, value in options.items():
        if key == "split_size_or_sections":
            key = "sizes" if isinstance(value, list) else "split_size"
        if key == "num_or_size_splits":
            key = "sizes" if isinstance(value, list) else "sections"
        canonical[PART_ALIASES.get(key, key)] = value
    return canonical


def _read(rng: random.Random, names: list[str]) -> str:
    """What a unary layer reads: the latest output mostly, any earlier one sometimes, and rarely
    a layer with several outputs whole or an output index it does not have (both errors)."""
    source = names[-1] if rng.random() < 0.65 else rng.choice(names)
    if ":" in source and rng.random() < 0.05:
        name, _ = source.split(":")
        return rng.choice([name, f"{name}:{sum(n.startswith(name + ':') for n in names)}"])
    return source


def _pick_merge_inputs(rng: random.Random, names: list[str], shapes: dict, kind: str, framework: str,
                       count: int) -> list[str]:
    known = [n for n in names if shapes.get(n) is not None]
    if known and rng.random() < 0.75:
        first = rng.choice(known[-3:])
        target = shapes[first]
        channel = 0 if framework == "torch" else len(target) - 1

        def fits(shape):
            if len(shape) != len(target):
                return False
            if kind == "concatenate":
                return all(a == b for i, (a, b) in enumerate(zip(shape, target)) if i != channel)
            return shape == target or (kind == "multiply" and all(a in (1, b) for a, b in zip(shape, target)))

        partners = [n for n in known if n != first and fits(shapes[n])]
        if partners:
            return [first] + [rng.choice(partners) for _ in range(count - 1)]
    return [rng.choice(names) for _ in range(count)]


def generate_graph(seed: int, framework: str, with_shape_ops: bool = False) -> dict:
    """A random graph spec for `framework` (2-D images, 2 to 10 layers). `with_shape_ops` adds split
    and chunk, whose outputs later layers read as NAME:K, and the shape operations."""
    rng = random.Random(f"graph-{framework}-{seed}" + ("-shape-ops" if with_shape_ops else ""))
    channels, height = rng.randint(1, 6), rng.randint(3, 17)
    width = height if rng.random() < 0.6 else rng.randint(3, 17)
    shape = [channels, height, width] if framework == "torch" else [height, width, channels]
    spec = {"framework": framework, "input": shape, "layers": []}
    names = ["input"]
    for index in range(1, rng.randint(2, 10) + 1):
        name = f"n{index}"
        if index > 1 and rng.random() < 0.4:
            kind = rng.choice(MERGES)
            count = 2 if kind == "subtract" or rng.random() < 0.8 else 3
            layer = {"type": kind}
            layer["inputs"] = _pick_merge_inputs(rng, names, _planned_shapes(spec), kind, framework, count)
            if kind == "concatenate" and rng.random() < 0.15:
                layer["axis"] = rng.choice([0, 1, 2, 3, -1, -2, -3])
        else:
            if with_shape_ops and rng.random() < 0.45:
                shapes = _planned_shapes(spec)
                source = _read(rng, names)
                maker = _parts if rng.random() < 0.55 else _shape_op
                layer = maker(rng, framework, shapes.get(source))
            else:
                layer = _unary(rng, framework)
                source = _read(rng, names)
            layer["inputs"] = [source]
        layer["name"] = name
        spec["layers"].append(layer)
        if layer["type"] in PARTS:
            count = sum(1 for k in _planned_shapes(spec) if k.startswith(name + ":"))
            if count and rng.random() < 0.3:  # the outputs named (`names:`), read by those names
                layer["names"] = [f"{name}_part{k}" for k in range(count)]
                names.extend(layer["names"])
            else:
                names.extend(f"{name}:{k}" for k in range(count or 2))
        else:
            names.append(name)
    return spec


# --------------------------------------------------------------------------------------------
# What a framework said about a graph, node by node (shared by graph_torch.py and graph_keras.py)
# --------------------------------------------------------------------------------------------

from runs import GraphRun, NodeRow  # noqa: E402,F401  (re-exported for graph_torch.py and graph_keras.py)

GRAPH_KEYS = ("name", "names", "inputs", "expect")


def spec_inputs(spec: dict) -> dict[str, list[int]]:
    """The graph's inputs by name: `inputs:` (several), else the one `input` named "input"."""
    return dict(spec["inputs"]) if spec.get("inputs") else {"input": spec["input"]}


def indexed_reads(spec: dict) -> dict:
    """The spec with every read of an output's name (`names:`) written as `NAME:K`, as the builders run it:
    layerplan reads the names, the frameworks the indices they stand for.

    >>> indexed_reads({"layers": [{"name": "s", "names": ["a", "b"]}, {"name": "r", "inputs": ["b"]}]})["layers"][1]
    {'name': 'r', 'inputs': ['s:1']}
    """
    meaning = {output: f"{layer['name']}:{k}" for layer in spec["layers"] for k, output in enumerate(layer.get("names", ()))}
    layers = [{**layer, "inputs": [meaning.get(name, name) for name in layer["inputs"]]} if "inputs" in layer else layer
              for layer in spec["layers"]]
    return {**spec, "layers": layers}


def node_entry(layer: dict) -> tuple[str, dict]:
    """(type, options without the graph keys) of a long-form layer."""
    return layer["type"], {k: v for k, v in layer.items() if k not in GRAPH_KEYS and k != "type"}


def merge_axis(axis: int, rank: int) -> int:
    """A merge axis on the batched tensor, checked as spec-v1 rules it (0, the batch, is rejected)."""
    batched = rank + 1
    if not -batched <= axis < batched or axis % batched == 0:
        raise ValueError(f"spec-v1: axis {axis} is the batch axis or out of range for rank {batched}")
    return axis
