"""Indexing along one axis: select (`x[:, -1]`, torch.select) and slice (`x[:, :, 0:-1]`).

The axis is counted on the batched tensor as for the shape operations (planner/kinds/split.py,
`sample_axis`): 1 is the first sample axis, negative axes count from the end, 0 (the batch) is an error.
The index and the slice bounds follow Python's rules, which torch and keras tensors follow too: a
negative index counts from the end of the axis, and slice bounds out of range are clamped
(`slice.indices`). select drops the axis it indexes; slice keeps it, with the positions it takes.

>>> from layerplan.planner import plan_data
>>> plan_data({"input": [10, 16], "layers": [{"select": {"axis": 1, "index": -1}}]}).output
(16,)
>>> plan_data({"input": [3, 8, 8], "layers": [{"slice": {"axis": 2, "start": 0, "stop": -1}}]}).output
(3, 7, 8)
"""

from __future__ import annotations

from . import axis_maps
from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, no_field, spellings
from .split import AXIS_DOC, sample_axis
from ..options import REQUIRED, Option, any_int, optional_int


def sliced_length(length: int, start: int | None, stop: int | None, step: int) -> int:
    """How many positions `x[start:stop:step]` takes from an axis of `length`, as Python computes it
    (bounds out of range clamped, an empty range 0).

    >>> sliced_length(8, 0, -1, 1), sliced_length(5, -10, 10, 3), sliced_length(5, 3, 1, 1)
    (7, 2, 0)
    >>> sliced_length(5, None, None, -2)
    3
    """
    return len(range(*slice(start, stop, step).indices(length)))


def slice_text(start: int | None, stop: int | None, step: int) -> str:
    """The slice as Python writes it: `0:-1`, `::2`, `:`.

    >>> slice_text(0, -1, 1), slice_text(None, None, 2), slice_text(None, None, 1)
    ('0:-1', '::2', ':')
    """
    bounds = f"{'' if start is None else start}:{'' if stop is None else stop}"
    return bounds if step == 1 else f"{bounds}:{step}"


def subscript(axis: int, rank: int, item: str) -> str:
    """The subscript that applies `item` at `axis` of a batched tensor of sample rank `rank`: leading
    colons for an axis counted from the front, `...` for one counted from the end.

    >>> subscript(1, 2, "-1"), subscript(-1, 3, "0"), subscript(-2, 3, "0:-1")
    ('[:, -1]', '[..., 0]', '[..., 0:-1, :]')
    """
    if axis >= 0:
        return "[" + ", ".join([":"] * axis + [item]) + "]"
    return "[" + ", ".join(["...", item] + [":"] * (-axis - 1)) + "]"


def _step_rule(options: dict, framework: str, dims: int) -> None:
    """A slice's step is not 0; torch slicing takes no negative step."""
    step = options.get("step")
    if step == 0:
        raise LayerError("bad-option-value", "slice step cannot be zero", "step")
    if step is not None and step < 0 and framework == "torch":
        raise LayerError("bad-option-value", f"torch slicing takes a positive step, got {step} (torch.flip the "
                         "axis first)", "step")


def plan_select(call: LayerCall) -> Outcome:
    axis = call.options["axis"]
    position = sample_axis(axis, len(call.shape))
    length, index = call.shape[position], call.options["index"]
    if not -length <= index < length:
        raise LayerError("index-out-of-range", f"index {index} is out of range for axis {axis} of size {length} "
                         f"(use 0..{length - 1} or -{length}..-1)", "index")
    return Outcome(output=call.shape[:position] + call.shape[position + 1:])


def plan_slice(call: LayerCall) -> Outcome:
    _step_rule(call.options, call.framework, 0)
    axis, o = call.options["axis"], call.options
    position = sample_axis(axis, len(call.shape))
    length = call.shape[position]
    size = sliced_length(length, o["start"], o["stop"], o["step"])
    if size == 0:
        raise LayerError("non-positive-output", f"[{slice_text(o['start'], o['stop'], o['step'])}] of axis {axis} "
                         f"(size {length}) takes no position: the frameworks give an axis of size 0", "stop")
    return Outcome(output=(*call.shape[:position], size, *call.shape[position + 1:]))


INDEXING_HOOKS = dict(macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count,
                      parameter_free=True)


def indexing_kinds() -> list[Kind]:
    axis = Option("axis", any_int, AXIS_DOC, "the axis to index", REQUIRED, aliases=("dim",))
    return [
        Kind("select", "select", 0, (axis, Option("index", any_int, "integer, negative from the end",
                                                  "the position kept; the axis is dropped", REQUIRED)),
             plan_select, "Take one position along an axis and drop that axis (x[:, -1], torch.select); the "
             "index counts from the end when negative.", positional=("axis", "index"),
             formulas={"torch": "x[:, index] (torch.select(x, dim, index))", "keras": "x[:, index]"},
             spellings=spellings("torch.select", "x[:, index]", {"axis": "dim"},
                                 torch_positional=("dim", "index"),
                                 write=(deferred("writing", "write_select"),) * 2),
             receptive_field=no_field, explain=deferred("explaining", "explain_select"),
             port=deferred("porting", "port_select"), **INDEXING_HOOKS),
        Kind("slice", "slice", 0, (
            axis,
            Option("start", optional_int, "integer or null, negative from the end", "the first position taken "
                   "(null: the start of the axis)", None),
            Option("stop", optional_int, "integer or null, negative from the end", "the position it stops before "
                   "(null: the end of the axis)", None),
            Option("step", any_int, "integer, not 0 (torch: positive)", "the distance between positions taken",
                   1)),
             plan_slice, "Take start:stop:step along an axis, as Python slices (bounds out of range clamped); the "
             "axis keeps the positions taken.", positional=("axis", "start", "stop", "step"),
             formulas={"torch": "x[:, start:stop:step]", "keras": "x[:, start:stop:step]"},
             spellings=spellings("x[:, start:stop:step]", "x[:, start:stop:step]",
                                 write=(deferred("writing", "write_slice"),) * 2),
             receptive_field=axis_maps.slice_field, explain=deferred("explaining", "explain_slice"),
             port=deferred("porting", "port_slice"), option_rules=(_step_rule,), sequence="follows", **INDEXING_HOOKS),
    ]
