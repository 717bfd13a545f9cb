"""Layers with several outputs: split and chunk (torch.split, torch.chunk, tf.split / keras.ops.split).

The mechanism, for any kind whose layer returns several tensors (split parts here; a recurrent
layer's sequence and states are the same case):
- its plan function returns `Outcome(output=None, outputs=(shape_0, shape_1, ...))`, one shape per
  output in the order the framework returns them;
- the planner stores them as `LayerRow.outputs` (`output` stays None), and the JSON report writes
  the layer's `outputs` as a list of shapes with `output` null;
- a later layer reads output K as `NAME:K` in `inputs:` (TensorFlow's names for an op's outputs,
  from 0), and `outputs:` may name `NAME:K` or `NAME` (all of them). Reading such a layer whole (by
  its name, or as the next layer of a stack) is an error that says how to pick one (planner/graph.py).

Axes count the batched tensor, as both frameworks count them: 1 is the first sample axis, negative
axes count from the end, 0 is the batch (an error: a plan is per sample). The axis is required: all
four functions default to axis 0, the batch.

>>> from layerplan.planner import plan_data
>>> report = plan_data({"input": [116, 28, 28], "layers": [{"chunk": {"chunks": 2, "dim": 1}}]})
>>> report.layers[0].outputs
((58, 28, 28), (58, 28, 28))
>>> plan_data({"input": [5, 4], "layers": [{"chunk": {"chunks": 4, "dim": 1}}]}).layers[0].outputs
((2, 4), (2, 4), (1, 4))
"""

from __future__ import annotations

from . import axis_maps
from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, spellings
from ..options import (KERAS, REQUIRED, TORCH, Option, any_int, positive_int, positive_int_list,
                                       section_count)

AXIS_DOC = "integer, counted on the batched tensor (1 is the first sample axis, negative from the end; 0 is the batch)"


def sample_axis(axis: int, rank: int, option: str = "axis", inserting: bool = False) -> int:
    """The 0-based sample axis of `axis` counted on the batched tensor, as torch and keras count it.

    `rank` is the sample rank; `inserting` (unsqueeze, expand_dims) allows the position after the last
    axis. The batch axis and axes out of range are LayerError(bad-axis).

    >>> sample_axis(1, 3), sample_axis(-1, 3), sample_axis(-1, 3, inserting=True)
    (0, 2, 3)
    """
    batched = rank + 1 + (1 if inserting else 0)
    if not -batched <= axis < batched:
        raise LayerError("bad-axis", f"{option} {axis} is out of range for a batched tensor of rank {rank + 1} "
                         f"(use 1..{batched - 1} or -{batched - 1}..-1{'; 0 is the batch' if batched > 1 else ''})",
                         option)
    if axis % batched == 0:
        if batched == 1:
            raise LayerError("bad-axis", f"{option} {axis} is the batch axis: a per-sample scalar has no other axis",
                             option)
        raise LayerError("bad-axis", f"{option} {axis} is the batch axis; a plan is per sample, so name a sample axis "
                         f"(1..{batched - 1} or -{batched - 1}..-1)", option)
    return axis % batched - 1


def _with(shape, axis: int, size: int) -> tuple[int, ...]:
    return tuple(size if k == axis else v for k, v in enumerate(shape))


_SPLIT_WAYS = ("sizes", "split_size", "sections", "indices")


def _one_way(options: dict, framework: str, dims: int) -> None:
    """split takes exactly one of sizes, split_size (torch), sections and indices (keras)."""
    given = [name for name in _SPLIT_WAYS if options.get(name) is not None]
    if len(given) > 1:
        raise LayerError("conflicting-options", f"give one of sizes, split_size, sections and indices, not "
                         f"{' and '.join(given)}", given[1])


def parts_at(indices, length: int) -> list[int]:
    """The part sizes keras.ops.split(x, indices) cuts: numpy.split's split points, so [2, 5] on an axis
    of 7 gives x[:2], x[2:5], x[5:] (keras computes the sizes [i0, i1 - i0, ..., length - i_last] and
    calls tf.split with them). A size below 1 is an empty (or, for TensorFlow, negative) part.

    >>> parts_at([2, 5], 7), parts_at([3], 3)
    ([2, 3, 2], [3, 0])
    """
    points = [0, *indices, length]
    return [b - a for a, b in zip(points, points[1:])]


def plan_split(call: LayerCall) -> Outcome:
    _one_way(call.options, call.framework, 0)
    axis = sample_axis(call.options["axis"], len(call.shape))
    length = call.shape[axis]
    sizes, split_size, sections, indices = (call.options[name] for name in _SPLIT_WAYS)
    if indices is not None:
        parts = parts_at(indices, length)
        if any(part < 1 for part in parts):
            raise LayerError("split-mismatch", f"keras.ops.split indices {list(indices)} are split points: they must "
                             f"increase strictly within 1..{length - 1} (axis {call.options['axis']} has {length}); "
                             f"they would cut parts of {', '.join(str(p) for p in parts)}", "indices")
    elif sizes is not None:
        if sum(sizes) != length:
            function = "torch.split" if call.framework == "torch" else "tf.split"
            raise LayerError("split-mismatch", f"{function} sizes {list(sizes)} add up to {sum(sizes)}, but axis "
                             f"{call.options['axis']} has {length}: the sizes must add up to exactly {length}", "sizes")
        parts = list(sizes)
    elif split_size is not None:
        # torch.split(x, n): parts of n along the axis, the last one smaller when n does not divide it
        full, rest = divmod(length, split_size)
        parts = [split_size] * full + ([rest] if rest else [])
    elif sections is not None:
        # keras.ops.split(x, n) / tf.split(x, n): n equal parts, and n must divide the axis
        if length % sections:
            raise LayerError("split-mismatch", f"keras.ops.split into {sections} equal sections needs axis "
                             f"{call.options['axis']} ({length}) to be divisible by {sections}; give sizes for "
                             "unequal parts", "sections")
        parts = [length // sections] * sections
    else:
        way = "sizes or split_size" if call.framework == "torch" else "sections, indices or sizes"
        raise LayerError("missing-option", f"split needs {way} (how to cut the axis)", None)
    return Outcome(output=None, outputs=tuple(_with(call.shape, axis, part) for part in parts))


def plan_chunk(call: LayerCall) -> Outcome:
    axis = sample_axis(call.options["axis"], len(call.shape))
    length, chunks = call.shape[axis], call.options["chunks"]
    if call.framework == "keras":
        # keras has no chunk: keras.ops.split(x, chunks) cuts equal sections and needs them to divide
        if length % chunks:
            raise LayerError("split-mismatch", f"keras.ops.split into {chunks} equal sections needs axis "
                             f"{call.options['axis']} ({length}) to be divisible by {chunks}", "chunks")
        return Outcome(output=None, outputs=(_with(call.shape, axis, length // chunks),) * chunks)
    # torch.chunk: parts of ceil(length / chunks); it returns fewer than `chunks` parts when they cover
    # the axis sooner (5 in 4 chunks -> 2, 2, 1: three parts)
    size = -(-length // chunks)
    full, rest = divmod(length, size)
    parts = [size] * full + ([rest] if rest else [])
    outcome = Outcome(output=None, outputs=tuple(_with(call.shape, axis, part) for part in parts))
    if len(parts) < chunks:
        outcome.warn("fewer-chunks", f"torch.chunk returns {len(parts)} chunks, not {chunks}: chunks of "
                     f"ceil({length}/{chunks}) = {size} cover the axis of {length} sooner", "chunks")
    return outcome


SPLIT_HOOKS = dict(macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count,
                   receptive_field=axis_maps.split_field, explain=deferred("explaining", "explain_split"), parameter_free=True,
                   port=deferred("porting", "port_split"))


def torch_split_keyword(value) -> str:
    """torch.split's `split_size_or_sections`: an integer is the size of each part (split_size), a list
    the parts' sizes.

    >>> torch_split_keyword(2), torch_split_keyword([2, 3])
    ('split_size', 'sizes')
    """
    return "sizes" if isinstance(value, (list, tuple)) else "split_size"


def tf_split_keyword(value) -> str:
    """tf.split's `num_or_size_splits`: an integer is how many equal parts (sections), a list the parts'
    sizes.

    >>> tf_split_keyword(2), tf_split_keyword([2, 3])
    ('sections', 'sizes')
    """
    return "sizes" if isinstance(value, (list, tuple)) else "sections"


def split_kinds() -> list[Kind]:
    axis = Option("axis", any_int, AXIS_DOC, "the axis to cut", REQUIRED, aliases=("dim",))
    return [
        Kind("split", "split", 0, (
            Option("sizes", positive_int_list, "list of positive integers adding up to the axis",
                   "the size of each part (torch.split with a list; in keras tf.split's sizes, which is "
                   "keras.ops.split at the running totals as indices)", None),
            Option("split_size", positive_int, "integer >= 1",
                   "torch.split with one size: parts of this size, the last one smaller", None, frameworks=TORCH),
            Option("sections", section_count, "integer >= 1",
                   "keras.ops.split / tf.split with a number: that many equal parts (must divide the axis)", None,
                   aliases=("indices_or_sections", "num"), frameworks=KERAS),
            Option("indices", positive_int_list, "list of split points increasing within 1..n-1",
                   "keras.ops.split with a list: the split points, as numpy.split ([2, 5] cuts :2, 2:5, 5:)", None,
                   frameworks=KERAS),
            axis),
            plan_split, "Cut a tensor into parts along an axis; each part is one output, read as NAME:K.",
            formulas={"torch": "torch.split(x, sizes | split_size, dim)",
                      "keras": "keras.ops.split(x, sections | indices, axis); tf.split(x, sizes, axis)"},
            spellings=spellings("torch.split", "keras.ops.split",
                                {"sizes": "split_size_or_sections", "split_size": "split_size_or_sections",
                                 "axis": "dim"},
                                {"sections": "indices_or_sections", "indices": "indices_or_sections",
                                 "sizes": "num_or_size_splits"},
                                write=(deferred("writing", "torch_split"), deferred("writing", "keras_split"))),
            option_rules=(_one_way,), keywords={"split_size_or_sections": torch_split_keyword,
                                                "num_or_size_splits": tf_split_keyword}, **SPLIT_HOOKS),
        Kind("chunk", "split", 0, (Option("chunks", positive_int, "integer >= 1", "how many parts", REQUIRED), axis),
             plan_chunk, "Cut a tensor into `chunks` parts along an axis (torch.chunk: parts of ceil(n/chunks), "
             "so it may return fewer; keras.ops.split: equal parts that must divide the axis). Read part K as NAME:K.",
             positional=("chunks",),
             formulas={"torch": "torch.chunk(x, chunks, dim)", "keras": "keras.ops.split(x, chunks, axis)"},
             spellings=spellings("torch.chunk", "keras.ops.split", {"axis": "dim"}, {"chunks": "indices_or_sections"},
                                 write=(deferred("writing", "torch_chunk"), deferred("writing", "keras_split"))),
             **SPLIT_HOOKS),
    ]
