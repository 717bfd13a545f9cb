"""Shape operations without parameters: squeeze, unsqueeze (expand_dims), permute, transpose,
unflatten, repeat_vector.

Axes are written as each framework writes them, counted on the batched tensor (planner/kinds/split.py,
`sample_axis`): torch `dim` and keras `axis` alike count the batch as 0, so 1 is the first sample
axis and -1 the last. keras Permute's `dims` are 1-based without the batch, which is the same
numbering; torch permute lists every axis, the batch (0) first.

>>> from layerplan.planner import plan_data
>>> plan_data({"input": [1], "layers": [{"squeeze": {"dim": 1}}]}).output
()
>>> plan_data({"input": [4, 2, 3], "layers": [{"permute": {"dims": [0, 2, 3, 1]}}]}).output
(2, 3, 4)
"""

from __future__ import annotations

from . import axis_maps
from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, no_field, spellings
from .spatial import product
from .split import AXIS_DOC, sample_axis
from ..shapes import shape_text
from ..options import REQUIRED, Option, any_int, int_list, positive_int


def plan_squeeze(call: LayerCall) -> Outcome:
    axes = call.options["axis"]
    rank = len(call.shape)
    positions = [sample_axis(a, rank) for a in axes]
    if len(set(positions)) != len(positions):
        raise LayerError("bad-axis", f"axis {list(axes)} names one axis twice", "axis")
    sized = [(a, call.shape[p]) for a, p in zip(axes, positions) if call.shape[p] != 1]
    if sized and call.framework == "keras":
        a, size = sized[0]
        raise LayerError("bad-axis", f"keras.ops.squeeze cannot squeeze axis {a}: its size is {size}, not 1", "axis")
    output = tuple(v for k, v in enumerate(call.shape) if not (k in positions and v == 1))
    outcome = Outcome(output=output)
    if sized:
        # torch.squeeze(dim) leaves an axis whose size is not 1 in place, silently
        which = ", ".join(f"axis {a} (size {size})" for a, size in sized)
        outcome.warn("squeeze-no-op", f"torch squeeze leaves {which} unchanged: only axes of size 1 are removed",
                     "axis")
    return outcome


def plan_unsqueeze(call: LayerCall) -> Outcome:
    position = sample_axis(call.options["axis"], len(call.shape), inserting=True)
    return Outcome(output=(*call.shape[:position], 1, *call.shape[position:]))


def plan_permute(call: LayerCall) -> Outcome:
    dims, rank = call.options["dims"], len(call.shape)
    if call.framework == "keras":
        # keras Permute: a permutation of 1..rank (no batch, no negatives), checked at construction
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise LayerError("bad-axis", f"keras Permute dims {list(dims)} must be the numbers 1..{len(dims)} in some "
                             "order (1-based sample axes, no batch)", "dims")
        if len(dims) != rank:
            raise LayerError("bad-axis", f"keras Permute dims {list(dims)} name {len(dims)} axes, but the sample has "
                             f"{rank}: {shape_text(call.shape)}", "dims")
        return Outcome(output=tuple(call.shape[d - 1] for d in dims))
    # torch x.permute(*dims): every axis of the batched tensor once, negative allowed; the batch stays first
    if len(dims) != rank + 1:
        raise LayerError("bad-axis", f"torch permute lists every axis of the batched tensor: {rank + 1} dims for a "
                         f"sample {shape_text(call.shape)}, got {len(dims)} ({list(dims)}); the batch 0 comes first",
                         "dims")
    batched = rank + 1
    if any(not -batched <= d < batched for d in dims):
        raise LayerError("bad-axis", f"permute dims {list(dims)}: each must be in -{batched}..{batched - 1}", "dims")
    normalised = [d % batched for d in dims]
    if len(set(normalised)) != len(normalised):
        raise LayerError("bad-axis", f"permute dims {list(dims)} name an axis twice", "dims")
    if normalised[0] != 0:
        raise LayerError("bad-axis", f"permute dims {list(dims)} move the batch axis; a plan is per sample, so keep 0 "
                         "first", "dims")
    return Outcome(output=tuple(call.shape[d - 1] for d in normalised[1:]))


def plan_transpose(call: LayerCall) -> Outcome:
    rank = len(call.shape)
    a = sample_axis(call.options["dim0"], rank, "dim0")
    b = sample_axis(call.options["dim1"], rank, "dim1")
    output = list(call.shape)
    output[a], output[b] = output[b], output[a]
    return Outcome(output=tuple(output))


def plan_unflatten(call: LayerCall) -> Outcome:
    position = sample_axis(call.options["axis"], len(call.shape))
    sizes, length = call.options["sizes"], call.shape[position]
    if any(s < 1 and s != -1 for s in sizes) or sizes.count(-1) > 1:
        raise LayerError("bad-option-value", f"unflatten sizes {list(sizes)}: positive integers, at most one -1",
                         "sizes")
    known = product(s for s in sizes if s != -1)
    if -1 in sizes and length % known == 0:
        sizes = tuple(length // known if s == -1 else s for s in sizes)
    if product(sizes) != length or -1 in sizes:
        raise LayerError("reshape-mismatch", f"unflatten sizes {list(call.options['sizes'])} do not multiply up to "
                         f"{length}, the size of axis {call.options['axis']}", "sizes")
    return Outcome(output=(*call.shape[:position], *sizes, *call.shape[position + 1:]))


def plan_repeat_vector(call: LayerCall) -> Outcome:
    return Outcome(output=(call.options["n"], call.shape[0]))


SHAPE_HOOKS = dict(macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, receptive_field=no_field,
                   explain=deferred("explaining", "explain_rearrange"), parameter_free=True)


def shape_op_kinds() -> list[Kind]:
    return [
        Kind("squeeze", "squeeze", 0, (Option("axis", int_list, AXIS_DOC + "; or a list", "the axes of size 1 to "
                                              "remove", REQUIRED, aliases=("dim",)),),
             plan_squeeze, "Remove axes of size 1 (torch leaves an axis of another size unchanged, with a warning "
             "here; keras raises). The axis is required: without it the frameworks also remove a batch of 1.",
             positional=("axis",), min_rank=0,
             formulas={"torch": "torch.squeeze(x, dim)", "keras": "keras.ops.squeeze(x, axis)"},
             spellings=spellings("torch.squeeze", "keras.ops.squeeze", {"axis": "dim"},
                                 write=(deferred("writing", "torch_squeeze"), deferred("writing", "keras_squeeze"))), port=deferred("porting", "port_squeeze"),
             **{**SHAPE_HOOKS, "receptive_field": axis_maps.unchanged_field}),
        Kind("unsqueeze", "unsqueeze", 0, (Option("axis", any_int, AXIS_DOC + "; -1 appends", "where the new axis "
                                                  "of size 1 goes", REQUIRED, aliases=("dim",)),),
             plan_unsqueeze, "Insert an axis of size 1 (torch.unsqueeze, keras.ops.expand_dims).",
             positional=("axis",), min_rank=0,
             formulas={"torch": "torch.unsqueeze(x, dim)", "keras": "keras.ops.expand_dims(x, axis)"},
             spellings=spellings("torch.unsqueeze", "keras.ops.expand_dims", {"axis": "dim"},
                                 write=(deferred("writing", "torch_unsqueeze"), deferred("writing", "keras_unsqueeze"))),
             port=deferred("porting", "port_unsqueeze"), **SHAPE_HOOKS),
        Kind("permute", "permute", 0, (Option("dims", int_list, "list of integers: torch every batched axis, 0 "
                                              "first; keras Permute 1..rank", "the new order of the axes", REQUIRED,
                                              aliases=("axes", "dims_order")),),
             plan_permute, "Reorder the axes: torch x.permute(0, ...) lists the batch first; keras Permute lists the "
             "sample axes, 1-based.", positional=("dims",),
             formulas={"torch": "x.permute(*dims)", "keras": "Permute(dims)"},
             spellings=spellings("permute", "Permute",
                                 write=(deferred("writing", "torch_permute"), deferred("writing", "keras_permute"))), port=deferred("porting", "port_permute"),
             **{**SHAPE_HOOKS, "receptive_field": axis_maps.reorder_field}),
        Kind("transpose", "transpose", 0, (Option("dim0", any_int, AXIS_DOC, "one axis to swap", REQUIRED,
                                                  aliases=("axis1",)),
                                           Option("dim1", any_int, AXIS_DOC, "the other axis", REQUIRED,
                                                  aliases=("axis2",))),
             plan_transpose, "Swap two axes (torch.transpose, keras.ops.swapaxes).", positional=(),
             formulas={"torch": "torch.transpose(x, dim0, dim1)", "keras": "keras.ops.swapaxes(x, axis1, axis2)"},
             spellings=spellings("torch.transpose", "keras.ops.swapaxes", {}, {"dim0": "axis1", "dim1": "axis2"},
                                 write=(deferred("writing", "torch_transpose"), deferred("writing", "keras_transpose"))),
             port=deferred("porting", "port_transpose"), **{**SHAPE_HOOKS, "receptive_field": axis_maps.reorder_field}),
        Kind("unflatten", "unflatten", 0, (
            Option("axis", any_int, AXIS_DOC, "the axis to expand", REQUIRED, aliases=("dim",)),
            Option("sizes", int_list, "list of positive integers (one may be -1)", "the sizes it expands into",
                   REQUIRED, aliases=("unflattened_size",))),
             plan_unflatten, "Expand one axis into several whose sizes multiply to it (torch nn.Unflatten; keras "
             "has no such layer: the equivalent Reshape).",
             formulas={"torch": "nn.Unflatten(dim, unflattened_size)", "keras": "Reshape(the resulting sample shape)"},
             spellings=spellings("Unflatten", "Reshape", {"axis": "dim", "sizes": "unflattened_size"},
                                 write=(deferred("writing", "torch_unflatten"), deferred("writing", "keras_unflatten"))),
             port=deferred("porting", "port_unflatten"), **{**SHAPE_HOOKS, "receptive_field": axis_maps.unchanged_field}),
        Kind("repeat_vector", "repeat_vector", 0, (Option("n", positive_int, "integer >= 1", "how many copies",
                                                          REQUIRED, aliases=("repeats",)),),
             plan_repeat_vector, "Repeat a vector n times: (F) -> (n, F) (keras RepeatVector; torch "
             "x.unsqueeze(1).repeat(1, n, 1)).", input_rank=1, positional=("n",),
             formulas={"torch": "x.unsqueeze(1).repeat(1, n, 1)", "keras": "RepeatVector(n)"},
             spellings=spellings("unsqueeze + repeat", "RepeatVector",
                                 write=(deferred("writing", "torch_repeat_vector"), deferred("writing", "keras_repeat_vector"))), port=deferred("porting", "port_repeat_vector"),
             **SHAPE_HOOKS),
    ]

