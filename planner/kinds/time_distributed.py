"""time_distributed: one layer applied to every step of a sequence (keras `TimeDistributed(layer)`).

The wrapped layer, written as any layer entry under `layer:`, is planned on one step's shape: the sample
without its first axis (the steps). The output gets the steps axis back in front; the parameters are the
wrapped layer's, shared by every step. keras needs an input of rank 3 or more (batch, steps, ...): a
sample of rank 2 or more. torch has no such layer (a module applied to `x.flatten(0, 1)` and unflattened
after does the same), so planning it for torch is an error that says so.

>>> from layerplan.planner.plan import plan_only
>>> report = plan_only({"framework": "keras", "input": [10, 32, 32, 3], "layers": [
...     {"time_distributed": {"layer": {"conv2d": {"filters": 8, "kernel_size": 3}}}}]})
>>> report.layers[0].output, report.layers[0].params
((10, 30, 30, 8), 224)
"""

from __future__ import annotations

from typing import Any

from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_field, only_in, spellings
from ..options import REQUIRED, Option, OptionError, ParseContext, describe

_ABSENT = only_in("keras", "TimeDistributed", "apply the layer to x.flatten(0, 1) and unflatten(0, (N, steps)) "
                  "in forward(), or plan the layer alone on one step's shape")


def wrapped_layer(value: Any, ctx: ParseContext) -> dict:
    """A layer entry in any of the spec's spellings, as `{type: ..., options...}`.

    >>> wrapped_layer({"dense": {"units": 10}}, None), wrapped_layer("flatten", None)
    ({'type': 'dense', 'units': 10}, {'type': 'flatten'})
    >>> wrapped_layer({"dense": 10, "name": "fc"}, None)
    Traceback (most recent call last):
    ...
    layerplan.planner.options.OptionError: the wrapped layer has no name, expect, inputs or shares of its own (the time_distributed layer has them), got name
    """
    from ..spec import split_layer_item  # the spec reader, loaded only for a wrapped layer

    if not isinstance(value, (str, dict)):
        raise OptionError(f"expected a layer entry ({{dense: {{units: 10}}}} or a type name), got {describe(value)}")
    split = split_layer_item(value)
    if split is None:
        raise OptionError(f"expected one layer entry ({{dense: {{units: 10}}}} or a type name), got {describe(value)}")
    type_name, options, meta = split
    if meta:
        raise OptionError("the wrapped layer has no name, expect, inputs or shares of its own (the time_distributed "
                          f"layer has them), got {', '.join(meta)}")
    if "" in options:  # a positional value (`{max_pool2d: 2}`) stays in the short form the entry reader reads
        return {type_name: options[""]}
    return {"type": type_name, **options}


def plan_wrapped(options: dict, step: tuple, framework: str):
    """The wrapped layer planned on one step's shape: (its planned row, its diagnostics).

    >>> row, found = plan_wrapped({"layer": {"type": "dense", "units": 4}}, (6,), "keras")
    >>> row.type, row.output, row.params, found
    ('dense', (4,), 28, [])
    """
    from ..plan import plan_layer  # planning a layer inside a layer: the same rules as for the spec's own
    from ..spec import Spec, _read_layer

    spec = Spec()
    entry = _read_layer(spec, options["layer"], "/layer", 0, 0)
    row, found = plan_layer(entry, step, framework, {})
    return row, [*spec.diagnostics, *found]


def plan_time_distributed(call: LayerCall) -> Outcome:
    _ABSENT(call.options, call.framework, 0)
    if len(call.shape) < 2:
        raise LayerError("wrong-rank", f"keras TimeDistributed needs an input of rank 3 or more (batch, steps, ...), "
                         f"got a sample of rank {len(call.shape)} {list(call.shape)} (rank {len(call.shape) + 1} "
                         "with the batch)")
    steps, step = call.shape[0], tuple(call.shape[1:])
    row, found = plan_wrapped(call.options, step, call.framework)
    for diagnostic in found:
        if diagnostic.severity.value == "error":
            raise LayerError(diagnostic.name, f"the wrapped {row.type} on one step {list(step)}: {diagnostic.message}",
                             "layer")
    if row.outputs is not None:
        raise LayerError("bad-option-value", f"the wrapped {row.type} gives several outputs; keras TimeDistributed "
                         "stacks one output per step (write the layer without return_state)", "layer")
    if row.output is None or row.params is None:
        raise LayerError("bad-option-value", f"the wrapped {row.type} cannot be planned on one step {list(step)}",
                         "layer")
    outcome = Outcome(output=(steps, *row.output), params=row.params, non_trainable=row.non_trainable)
    for diagnostic in found:
        outcome.warn(diagnostic.name, f"the wrapped {row.type}: {diagnostic.message}", "layer")
    return outcome


def _per_step(hook: str):
    """A count of the wrapped layer (`macs`, `other_ops`) times the steps: each step is one application.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [7, 5],
    ...                  "layers": [{"time_distributed": {"layer": {"dense": {"units": 10}}}}]}).layers[0]
    >>> _per_step("macs")(row, "keras")
    350
    """
    def count(row, framework: str) -> int | None:
        inner, kind = _wrapped_row(row, framework)
        if inner is None or getattr(kind, hook) is None:
            return None
        per_step = getattr(kind, hook)(inner, framework)
        return None if per_step is None else row.input[0] * per_step
    return count


def _wrapped_row(row, framework: str):
    """(the wrapped layer's planned row, its kind), or (None, None) when it cannot be planned."""
    from . import KINDS

    if row.input is None or len(row.input) < 2 or not row.options or "layer" not in row.options:
        return None, None
    inner, found = plan_wrapped(row.options, tuple(row.input[1:]), framework)
    if inner.output is None or any(d.severity.value == "error" for d in found):
        return None, None
    return inner, KINDS.get(inner.type)


def macs_text_per_step(row, framework: str, macs: int) -> list[str]:
    """The MACs of every step: the wrapped layer's per step, times the steps."""
    steps = row.input[0]
    return [f"{steps} steps x {macs // steps:,} MACs of the wrapped layer per step = {macs:,} MACs"]


def explain_time_distributed(row, framework: str, e) -> None:
    """The wrapped layer's explanation on one step, after a line on how the steps are taken.

    >>> from layerplan.planner.plan import plan_only
    >>> from layerplan.planner.kinds.explaining import LayerExplanation
    >>> row = plan_only({"framework": "keras", "input": [7, 5],
    ...                  "layers": [{"time_distributed": {"layer": {"dense": {"units": 10}}}}]}).layers[0]
    >>> e = LayerExplanation(1, row.name, row.type, "keras", [7, 5], [7, 10], "")
    >>> explain_time_distributed(row, "keras", e)
    >>> e.channels[0]
    'the same dense on each of the 7 steps: one step 5 -> 10 (the steps axis comes back first)'
    >>> e.params
    ['in_features 5 x units 10 = 50 weights + 10 biases = 60 params, shared by the 7 steps']
    """
    from .explaining import LayerExplanation

    inner, kind = _wrapped_row(row, framework)
    if inner is None:
        return
    step = LayerExplanation(e.index, e.name, inner.type, framework, list(inner.input), list(inner.output), "")
    if kind is not None and kind.explain is not None:
        kind.explain(inner, framework, step)
    shape = "x".join(str(v) for v in inner.input), "x".join(str(v) for v in inner.output)
    e.axes = step.axes
    e.channels = [f"the same {inner.type} on each of the {row.input[0]} steps: one step {shape[0]} -> {shape[1]} "
                  "(the steps axis comes back first)", *step.channels]
    e.params = [*step.params[:-1], f"{step.params[-1]}, shared by the {row.input[0]} steps"] if step.params else \
        [f"{inner.params:,} params (the wrapped {inner.type}'s), shared by the {row.input[0]} steps"]


def time_distributed_kinds() -> list[Kind]:
    return [Kind(
        "time_distributed", "time_distributed", 0,
        (Option("layer", wrapped_layer, "layer entry ({dense: {units: 10}})",
                "the layer applied to every step, planned on one step's shape (the sample without its first axis)",
                REQUIRED),),
        plan_time_distributed,
        "keras TimeDistributed(layer): the wrapped layer applied to every step, on the sample without its first "
        "axis; the steps axis comes back first; the wrapped layer's params, shared by the steps (torch: none).",
        formulas={"torch": "(none)", "keras": "(T, *step) -> (T, *layer(step)); params = layer's"},
        spellings=spellings("(none: the layer on x.flatten(0, 1), unflattened after)", "TimeDistributed",
                            write=(deferred("writing", "none_in", "torch"),
                                   deferred("writing", "keras_time_distributed"))),
        option_rules=(_ABSENT,), port=deferred("porting_sequence", "port_keras_only"), receptive_field=no_field,
        macs=_per_step("macs"), macs_text=macs_text_per_step, other_ops=_per_step("other_ops"), explain=explain_time_distributed,
    )]
