"""Merge layers: the joins of a graph (concatenate, add, subtract, multiply, average, maximum, minimum).

A merge takes two or more inputs (subtract exactly two) and has no parameters.
- concatenate (torch.cat / keras Concatenate): one rank, every axis equal but `axis`, which is counted on the
  batched tensor as both frameworks count it (1 is the first sample axis, negatives count from the end,
  0 is the batch and an error). Default: the channel axis (torch 1, keras -1).
- element-wise merges broadcast with numpy rules: axes of size 1 repeat. keras aligns sample shapes of
  different ranks on the right (its Merge layers expand the shorter ones after the batch axis); torch
  would align the batch axis itself against a sample axis, so there the ranks must be equal.

A mismatch names both branches, their shapes, and the nearest fix (a crop or pad, a 1x1 projection).

>>> from layerplan.planner import plan_data
>>> report = plan_data({"inputs": {"a": [8, 16, 16], "b": [4, 16, 16]},
...                     "layers": [{"concatenate": {"inputs": ["a", "b"]}}]})
>>> report.output, report.layers[0].inputs
((12, 16, 16), ['a', 'b'])
"""

from __future__ import annotations

from . import axis_maps
from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, spellings
from .spatial import AXIS_NAMES
from ..shapes import shape_text
from ..options import Option, any_int

Shape = tuple[int, ...]

AXIS = Option("axis", any_int, "integer (counted on the batched tensor; 0 is the batch)",
              "axis to concatenate along (default: the channel axis)", {"torch": 1, "keras": -1}, aliases=("dim",))



def _branch(call: LayerCall, i: int) -> str:
    name = call.input_names[i] if i < len(call.input_names) else f"input {i + 1}"
    return f"{name!r} {shape_text(call.shapes[i])}"


def axis_labels(rank: int, framework: str) -> list[str]:
    """Names of a sample's axes: C and the spatial axes in the framework's layout.

    >>> axis_labels(3, "torch"), axis_labels(3, "keras"), axis_labels(1, "torch")
    (['C', 'H', 'W'], ['H', 'W', 'C'], ['C'])
    """
    if rank == 1:
        return ["C"]
    spatial = list(AXIS_NAMES.get(rank - 1, tuple(f"axis {i + 1}" for i in range(rank - 1))))
    return ["C", *spatial] if framework == "torch" else [*spatial, "C"]


def _spatial_axes(rank: int, framework: str) -> list[int]:
    if not 2 <= rank <= 4:
        return []
    return list(range(1, rank)) if framework == "torch" else list(range(rank - 1))


def _channel_axis(rank: int, framework: str) -> int:
    return 0 if framework == "torch" else rank - 1


def alignment_fix(call: LayerCall, i: int, j: int, skip_axis: int | None = None) -> str:
    """The nearest fix that makes branches i and j agree on every axis but `skip_axis`.

    Spatial differences: crop the larger branch (U-Net's center crop) or pad the smaller one.
    Channel differences (with spatial sizes an integer ratio apart): a 1x1 projection with that stride,
    as ResNet's downsampling shortcut does.
    """
    a, b = call.shapes[i], call.shapes[j]
    names = (call.input_names[i], call.input_names[j]) if len(call.input_names) > max(i, j) else ("a", "b")
    rank = len(a)
    framework = call.framework
    differing = [k for k in range(rank) if k != skip_axis and a[k] != b[k]]
    spatial = _spatial_axes(rank, framework)
    channel = _channel_axis(rank, framework)
    dims = len(spatial)
    if channel in differing or any(k not in spatial for k in differing):
        return _projection_fix(call, i, j, names, spatial, channel) if spatial else (
            "make both branches the same shape first (a dense or reshape layer on one of them)")
    bigger = {k: (0 if a[k] > b[k] else 1) for k in differing}
    if len(set(bigger.values())) == 1:
        large = next(iter(bigger.values()))
        large_name, small_name = names[large], names[1 - large]
        crop = []
        for k in spatial:
            diff = abs(a[k] - b[k]) if k in differing else 0
            crop.append([diff // 2, diff - diff // 2])
        amounts = _pairs_text(crop)
        keras_tuple = "(" + ", ".join(f"({x}, {y})" for x, y in crop) + ")" if dims > 1 else f"({crop[0][0]}, {crop[0][1]})"
        target = "x".join(str((b if large == 0 else a)[k]) for k in spatial)
        text = (f"crop {large_name!r} to {target} before the merge: "
                f"`- cropping{dims}d: {{cropping: {amounts}, inputs: {large_name}}}` "
                f"(keras Cropping{dims}D({keras_tuple}); torch: a center crop, as the original U-Net does), "
                f"or pad {small_name!r}: `- zero_padding{dims}d: {{padding: {amounts}, inputs: {small_name}}}`")
        if all(abs(a[k] - b[k]) == 1 for k in differing):
            text += ("; a difference of one pixel usually means an odd size was halved (pooling or a stride-2 "
                     "conv) and doubled back: input sizes divisible by 2^(number of halvings) keep branches "
                     "aligned")
        return text
    parts = [f"{axis_labels(rank, framework)[k]}: crop {names[bigger[k]]!r} by {abs(a[k] - b[k])}" for k in differing]
    return "crop or pad each axis to the smaller size (" + "; ".join(parts) + ")"


def _pairs_text(pairs) -> str:
    if len(pairs) == 1:
        return f"[{pairs[0][0]}, {pairs[0][1]}]"
    return "[" + ", ".join(f"[{x}, {y}]" for x, y in pairs) + "]"


def _projection_fix(call: LayerCall, i: int, j: int, names, spatial, channel) -> str:
    a, b = call.shapes[i], call.shapes[j]
    dims = len(spatial)
    # Project the branch with the larger spatial size (the shortcut that was not downsampled).
    if any(a[k] != b[k] for k in spatial):
        large = 0 if a[spatial[0]] > b[spatial[0]] else 1
    else:
        large = 1
    src, dst = (a, b) if large == 0 else (b, a)
    ratios = {src[k] // dst[k] if dst[k] and src[k] % dst[k] == 0 else None for k in spatial}
    if len(ratios) != 1 or None in ratios:
        return (f"the branches differ on more than channels ({shape_text(a)} vs {shape_text(b)}): check which layers "
                "each branch went through")
    stride = ratios.pop()
    options = f"filters: {dst[channel]}, kernel_size: 1" + (f", stride: {stride}" if stride > 1 else "")
    return (f"project {names[large]!r} to {shape_text(dst)} with `- conv{dims}d: {{{options}, bias: false, "
            f"inputs: {names[large]}}}` (+ batch_norm), as ResNet's downsampling shortcut does")


def _normalise_axis(call: LayerCall, rank: int) -> int:
    axis = call.options["axis"]
    batched = rank + 1
    if not -batched <= axis < batched:
        raise LayerError("bad-axis", f"axis {axis} is out of range for inputs of rank {batched} with the batch axis "
                         f"(use 1..{rank} or -{rank}..-1)", "axis")
    if axis % batched == 0:
        raise LayerError("bad-axis", f"axis {axis} is the batch axis; merge layers join samples along a sample axis "
                         f"(1..{rank} or -{rank}..-1; the channel axis is "
                         f"{1 if call.framework == 'torch' else -1})", "axis")
    return axis % batched - 1


def plan_concatenate(call: LayerCall) -> Outcome:
    shapes = call.shapes
    ranks = [len(s) for s in shapes]
    for j in range(1, len(shapes)):
        if ranks[j] != ranks[0]:
            raise LayerError("merge-mismatch", f"concatenate needs inputs of one rank: {_branch(call, 0)} has rank "
                             f"{ranks[0]}, {_branch(call, j)} has rank {ranks[j]}; flatten or reshape one branch")
    rank = ranks[0]
    axis = _normalise_axis(call, rank)
    labels = axis_labels(rank, call.framework)
    for j in range(1, len(shapes)):
        differing = [k for k in range(rank) if k != axis and shapes[j][k] != shapes[0][k]]
        if differing:
            sizes = ", ".join(f"{labels[k]} {shapes[0][k]} vs {shapes[j][k]}" for k in differing)
            raise LayerError(
                "merge-mismatch",
                f"concatenate along axis {call.options['axis']} ({labels[axis]}) needs every other axis equal, but "
                f"branches {_branch(call, 0)} and {_branch(call, j)} differ ({sizes}). Fix: "
                f"{alignment_fix(call, 0, j, axis)}",
                None,
            )
    output = list(shapes[0])
    output[axis] = sum(s[axis] for s in shapes)
    return Outcome(output=tuple(output))


def plan_elementwise(call: LayerCall, name: str = "an element-wise merge") -> Outcome:
    """add, subtract, multiply, average, maximum, minimum: numpy broadcasting of the inputs."""
    shapes = call.shapes
    if call.framework == "torch":
        for j in range(1, len(shapes)):
            if len(shapes[j]) != len(shapes[0]):
                raise LayerError(
                    "merge-mismatch",
                    f"branches {_branch(call, 0)} and {_branch(call, j)} have different ranks; torch broadcasting "
                    "would align the batch axis with a sample axis. Reshape one branch to the other's rank "
                    "(size-1 axes broadcast)")
    rank = max(len(s) for s in shapes)
    padded = [(1,) * (rank - len(s)) + tuple(s) for s in shapes]
    output = list(padded[0])
    for j in range(1, len(padded)):
        for k in range(rank):
            if padded[j][k] == output[k] or padded[j][k] == 1:
                continue
            if output[k] == 1:
                output[k] = padded[j][k]
                continue
            other = next(i for i in range(j) if padded[i][k] not in (1, padded[j][k]))
            labels = axis_labels(rank, call.framework)
            where = [f"{labels[x]} {padded[other][x]} vs {padded[j][x]}" for x in range(rank)
                     if padded[other][x] != padded[j][x] and 1 not in (padded[other][x], padded[j][x])]
            fix = alignment_fix(call, other, j) if len(shapes[other]) == len(shapes[j]) else \
                "reshape one branch so the shapes match"
            raise LayerError(
                "merge-mismatch",
                f"{name} needs equal shapes (or size-1 axes that broadcast), but branches "
                f"{_branch(call, other)} and {_branch(call, j)} differ ({', '.join(where)}). Fix: {fix}")
    outcome = Outcome(output=tuple(output))
    stretched = [i for i, s in enumerate(shapes) if tuple(s) != outcome.output]
    if stretched:
        which = ", ".join(_branch(call, i) for i in stretched)
        outcome.warn(
            "merge-broadcast",
            f"broadcasts {which} to {shape_text(outcome.output)} (size-1 axes repeat, numpy rules). A residual add rarely "
            "means to: check the branch shapes (a gate or scale that multiplies on purpose can ignore this)")
    return outcome


ELEMENTWISE = {
    "add": ("Add", "a + b (torch.add)", "element-wise sum"),
    "subtract": ("Subtract", "a - b (torch.sub)", "element-wise difference of exactly two inputs"),
    "multiply": ("Multiply", "a * b (torch.mul)", "element-wise product"),
    "average": ("Average", "(a + b + ...) / n", "element-wise mean"),
    "maximum": ("Maximum", "torch.maximum", "element-wise maximum"),
    "minimum": ("Minimum", "torch.minimum", "element-wise minimum"),
}


MERGE_HOOKS = dict(
    macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, receptive_field=axis_maps.merge_field,
    explain=deferred("explaining", "explain_merge"), parameter_free=True,
)


def merge_kinds() -> list[Kind]:
    kinds = [Kind("concatenate", "merge", 0, (AXIS,), plan_concatenate,
                  "Concatenate two or more inputs along an axis (default: the channel axis); every other axis "
                  "must be equal. No params.",
                  formulas={"torch": "torch.cat([a, b, ...], dim=axis)", "keras": "Concatenate(axis)([a, b, ...])"},
                  spellings=spellings("torch.cat", "Concatenate", {"axis": "dim"}, keras_positional=("axis",),
                                      write=(deferred("writing", "torch_concatenate"), deferred("writing", "keras_concatenate"))), arity=(2, None),
                  port=deferred("porting", "port_concatenate"), **MERGE_HOOKS)]
    for name, (keras_class, torch_form, doc) in ELEMENTWISE.items():
        kinds.append(Kind(
            name, "merge", 0, (), lambda call, name=name: plan_elementwise(call, name),
            f"{doc.capitalize()} of {'two' if name == 'subtract' else 'two or more'} inputs; numpy broadcasting "
            "(warned). No params.",
            formulas={"torch": torch_form, "keras": f"{keras_class}()([a, b, ...])"},
            spellings=spellings(torch_form, keras_class,
                                write=(deferred("writing", "torch_elementwise"), deferred("writing", "keras_merge"))), arity=(2, 2) if name == "subtract" else (2, None),
            port=deferred("porting", "port_elementwise"), sequence="follows", **MERGE_HOOKS))
    return kinds
