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
    from layerplan.planner import plan_data

    report = plan_data(spec)
    shapes = {"input": list(spec["input"])}
    for row in report.layers:
        shapes[row.name] = None if row.output is None else list(row.output)
    return shapes


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


def generate_graph(seed: int, framework: str) -> dict:
    """A random graph spec for `framework` (2-D images, 2 to 10 layers)."""
    rng = random.Random(f"graph-{framework}-{seed}")
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
            layer = _unary(rng, framework)
            source = names[-1] if rng.random() < 0.65 else rng.choice(names)
            layer["inputs"] = [source]
        layer["name"] = name
        spec["layers"].append(layer)
        names.append(name)
    return spec


# --------------------------------------------------------------------------------------------
# What a framework said about a graph, node by node (shared by graph_torch.py and graph_keras.py)
# --------------------------------------------------------------------------------------------

from runs import GraphRun, NodeRow  # noqa: E402,F401  (re-exported for graph_torch.py and graph_keras.py)

GRAPH_KEYS = ("name", "inputs", "expect")


def node_entry(layer: dict) -> tuple[str, dict]:
    """(type, options without the graph keys) of a long-form layer."""
    return layer["type"], {k: v for k, v in layer.items() if k not in GRAPH_KEYS and k != "type"}


def merge_axis(axis: int, rank: int) -> int:
    """A merge axis on the batched tensor, checked as spec-v1 rules it (0, the batch, is rejected)."""
    batched = rank + 1
    if not -batched <= axis < batched or axis % batched == 0:
        raise ValueError(f"spec-v1: axis {axis} is the batch axis or out of range for rank {batched}")
    return axis
