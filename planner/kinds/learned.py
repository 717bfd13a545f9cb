"""Layers that apply a learned tensor to their input: prelu's slopes and learned_tensor.

- prelu: max(0, x) + slope * min(0, x), one learned slope per position of its weight. torch
  `nn.PReLU(num_parameters)` learns 1 slope or one per channel (the axis after the batch axis; a batched
  input of rank 1 has one channel); keras `PReLU(shared_axes)` learns one per sample value, with the
  shared axes (counted on the batched tensor) reduced to 1.
- learned_tensor: a tensor of a stated shape that the model holds itself (torch `nn.Parameter`, keras
  `add_weight`), added to, multiplied with or concatenated to its input: ViT's class token and position
  embedding, ConvNeXt's layer scale. Its shape is written without the batch axis; for add and multiply it
  broadcasts against the sample with numpy rules (aligned on the right, at most the sample's rank: a
  longer one would meet the batch axis), for concatenate it has the sample's rank and equals it on every
  axis but `axis`. Its values are all trainable parameters.

>>> from layerplan.planner import plan_data
>>> report = plan_data({"input": [196, 768], "layers": [
...     {"learned_tensor": {"shape": [1, 768], "merge": "concatenate"}},
...     {"learned_tensor": {"shape": [197, 768]}}]})
>>> [(row.output, row.params) for row in report.layers]
[((197, 768), 768), ((197, 768), 151296)]
"""

from __future__ import annotations

from . import axis_maps, counting
from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, spellings
from .spatial import product
from ..shapes import shape_text
from ..options import KERAS, REQUIRED, TORCH, Option, any_int, boolean, choice, int_list, number, positive_int, positive_shape


def plan_prelu(call: LayerCall) -> Outcome:
    outcome = Outcome(output=call.shape)
    if call.framework == "torch":
        slopes = call.options["num_parameters"]
        channels = call.shape[0] if call.shape else 1
        if slopes not in (1, channels):
            raise LayerError("bad-option-value", f"torch PReLU learns 1 slope or one per channel: num_parameters "
                             f"{slopes} does not fit the {channels} channels of {shape_text(call.shape)} (use 1 or "
                             f"{channels})", "num_parameters")
        outcome.params = slopes
        return outcome
    weight = list(call.shape)
    for axis in call.options["shared_axes"] or ():
        # keras sets the weight's axis `axis - 1` to 1 with Python indexing (so 0 and negatives wrap around)
        if not -len(weight) <= axis - 1 < len(weight):
            raise LayerError("bad-axis", f"keras PReLU shared axis {axis} is out of range for a batched input of rank "
                             f"{len(weight) + 1} (use 1..{len(weight)})", "shared_axes")
        weight[axis - 1] = 1
    outcome.params = product(weight)
    return outcome


def _sample_axis(call: LayerCall) -> int:
    axis, batched = call.options["axis"], len(call.shape) + 1
    if not -batched <= axis < batched or axis % batched == 0:
        raise LayerError("bad-axis", f"learned_tensor axis {axis} is not a sample axis of an input of rank {batched} "
                         f"with the batch axis (use 1..{batched - 1} or -{batched - 1}..-1)", "axis")
    return axis % batched - 1


def plan_learned_tensor(call: LayerCall) -> Outcome:
    shape, sample, merge = call.options["shape"], call.shape, call.options["merge"]
    if merge == "concatenate":
        axis = _sample_axis(call)
        if len(shape) != len(sample) or any(shape[k] != sample[k] for k in range(len(sample)) if k != axis):
            raise LayerError("merge-mismatch", f"a learned tensor {shape_text(shape)} concatenated along axis "
                             f"{call.options['axis']} needs the rank of the input {shape_text(sample)} and its sizes "
                             "on every other axis", "shape")
        output = list(sample)
        output[axis] += shape[axis]
        return Outcome(output=tuple(output), params=product(shape))
    if len(shape) > len(sample):
        raise LayerError("merge-mismatch", f"a learned tensor {shape_text(shape)} has more axes than the input "
                         f"{shape_text(sample)}: broadcasting would meet the batch axis", "shape")
    padded = (1,) * (len(sample) - len(shape)) + tuple(shape)
    output = []
    for size, learned in zip(sample, padded):
        if size != learned and 1 not in (size, learned):
            raise LayerError("merge-mismatch", f"a learned tensor {shape_text(shape)} does not broadcast against the "
                             f"input {shape_text(sample)} (each axis equal or 1, aligned on the right)", "shape")
        output.append(max(size, learned))
    return Outcome(output=tuple(output), params=product(shape))


LEARNED_HOOKS = dict(macs=no_count, macs_text=deferred("explaining", "macs_text_none"),
                     explain=deferred("explaining", "explain_learned"))


def learned_kinds() -> list[Kind]:
    return [
        Kind("prelu", "prelu", 0,
             (Option("num_parameters", positive_int, "integer >= 1", "torch: learned slopes, 1 or the channel count",
                     1, frameworks=TORCH),
              Option("init", number, "number", "torch: the slopes' initial value (no effect on shape)", None,
                     frameworks=TORCH),
              Option("shared_axes", int_list, "integer or list of integers (on the batched tensor)",
                     "keras: axes along which one slope is shared (the weight has size 1 there)", None,
                     frameworks=KERAS)),
             plan_prelu, "Parametric ReLU: a learned slope for negative values; same shape. torch params = "
             "num_parameters (1 or C); keras params = the sample's size with shared_axes set to 1.",
             min_rank=0, formulas={"torch": "same shape; params = num_parameters",
                                   "keras": "same shape; params = prod(sample sizes, 1 on shared_axes)"},
             spellings=spellings("PReLU", "PReLU", torch_positional=("num_parameters", "init"),
                                 keras_positional=("alpha_initializer", "alpha_regularizer", "alpha_constraint",
                                                   "shared_axes"),
                                 write=(deferred("writing", "torch_prelu"), deferred("writing", "keras_prelu"))),
             other_ops=counting.activation_ops, receptive_field=axis_maps.identity_field, sequence="follows",
             port=deferred("porting_sequence", "port_prelu"), **LEARNED_HOOKS),
        Kind("learned_tensor", "learned_tensor", 0,
             (Option("shape", positive_shape, "integer or list of integers (without the batch axis)",
                     "the learned tensor's shape", REQUIRED),
              Option("merge", choice("add", "multiply", "concatenate"), "add, multiply or concatenate",
                     "how it meets the input: added or multiplied (broadcast), or concatenated along axis", "add"),
              Option("axis", any_int, "integer (counted on the batched tensor; 0 is the batch)",
                     "concatenate: the axis it is joined along", 1),
              Option("first", boolean, "boolean", "concatenate: the learned tensor comes before the input", True)),
             plan_learned_tensor, "A learned tensor the model holds (torch nn.Parameter, keras add_weight), added "
             "to, multiplied with or concatenated to the input (a class token, a position embedding, a layer "
             "scale); params = prod(shape), all trainable.",
             positional=("shape",),
             formulas={"torch": "x + p, x * p, torch.cat([p.expand(N, ...), x], dim=axis)",
                       "keras": "the same in a custom layer's call() (add_weight)"},
             spellings=spellings("nn.Parameter", "add_weight",
                                 write=(deferred("writing", "learned_not_written"),
                                        deferred("writing", "learned_not_written"))),
             other_ops=counting.learned_tensor_ops, receptive_field=axis_maps.merge_field, **LEARNED_HOOKS),
    ]

