"""A custom element-wise op with a stated output: what a model computes in Python (`mu + eps *
exp(0.5 * logvar)`, keras `Lambda`), with no parameters.

layerplan cannot know what the function does, so the spec states the output shape: `same` (every
input has one shape, and so does the output), the name of an input (`x1`: the second input's shape),
or one integer expression per axis of the output, where `x` (or `x0`) is the first input's shape,
`x1` the second's, and so on: `output: ["x[0] * 2", "x[1]", "x[2]"]` (quoted in YAML). Expressions are those of
planner/expressions.py (+ - * // ** and parentheses; never run as code). The report notes that the
shape was taken on trust (LP330), unless `computed_for` states the input shapes the output was computed
for (the model-code reader computes the output of a tensor operation it follows, `out[:, -1, :]`) and
the inputs have exactly those shapes: then the output is computed, not trusted.

>>> from layerplan.planner.plan import plan_only
>>> report = plan_only({"inputs": {"mu": [32], "logvar": [32]}, "layers": [
...     {"lambda": {"inputs": ["mu", "logvar"], "function": "mu + eps * exp(0.5 * logvar)"}}]})
>>> report.layers[0].output, report.layers[0].params, [d.code for d in report.diagnostics]
((32,), 0, ['LP330'])
"""

from __future__ import annotations

import re
from typing import Any

from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, no_field, spellings
from ..options import Option, OptionError, ParseContext, describe, is_int, text

_INPUT_NAME = re.compile(r"x\d*\Z")


def output_shape(value: Any, ctx: ParseContext) -> str | tuple:
    """`same`, an input's name (x, x0, x1, ...), or one integer or expression per output axis (parsed).

    >>> output_shape(["x[0] * 2", 7], None)[1], output_shape("X1", None)
    (7, 'x1')
    >>> output_shape(["x[0] *"], None)
    Traceback (most recent call last):
    ...
    layerplan.planner.options.OptionError: axis 0 'x[0] *': expected a number, a name or '(', found the end of the expression (at character 7)
    """
    if isinstance(value, str):
        word = value.strip().lower()
        if word == "same" or _INPUT_NAME.match(word):
            return word
        raise OptionError(f"expected same, an input (x, x0, x1, ...) or a list with one size per output axis, "
                          f"got {describe(value)}")
    if not isinstance(value, list) or not value:
        raise OptionError(f"expected same or a list with one size per output axis, got {describe(value)}")
    from ..expressions import ExpressionError, parse  # loaded only for a custom layer

    axes: list = []  # sizes, and expressions.Node for the computed ones
    for axis, item in enumerate(value):
        if is_int(item):
            if item < 1:
                raise OptionError(f"axis {axis}: sizes are positive, got {item}")
            axes.append(item)
        elif isinstance(item, str):
            try:
                axes.append(parse(item))
            except ExpressionError as exc:
                raise OptionError(f"axis {axis} {item!r}: {exc}") from None
        else:
            raise OptionError(f"axis {axis}: expected an integer or an expression such as 'x[0] * 2', "
                              f"got {describe(item)}")
    return tuple(axes)


def computed_for(value: Any, ctx: ParseContext) -> tuple:
    """The input shapes a stated output was computed for: one shape (a list of positive sizes) per input.

    >>> computed_for([[64, 28], [28]], None)
    ((64, 28), (28,))
    >>> computed_for([[64, 0]], None)
    Traceback (most recent call last):
    ...
    layerplan.planner.options.OptionError: expected one shape (a list of positive sizes) per input, got [[64, 0]]
    """
    if not isinstance(value, list) or not value or not all(
            isinstance(shape, list) and all(is_int(size) and size >= 1 for size in shape) for shape in value):
        raise OptionError(f"expected one shape (a list of positive sizes) per input, got {describe(value)}")
    return tuple(tuple(shape) for shape in value)


def _show(shape) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def plan_custom(call: LayerCall) -> Outcome:
    from ..expressions import ExpressionError, evaluate, render  # loaded only for a custom layer

    shapes = call.shapes or (call.shape,)
    env: dict[str, Any] = {"x": tuple(shapes[0])}
    env.update({f"x{position}": tuple(shape) for position, shape in enumerate(shapes)})
    stated = call.options["output"]
    if stated == "same":
        if any(tuple(shape) != tuple(shapes[0]) for shape in shapes):
            raise LayerError("merge-mismatch", "output: same needs every input to have one shape, got "
                             f"{', '.join(_show(s) for s in shapes)}; state the output, e.g. output: x0 or "
                             "output: [x[0], x1[1]]", "output")
        output = tuple(shapes[0])
    elif isinstance(stated, str):
        if stated not in env:
            raise LayerError("bad-option-value", f"output {stated}: this layer has {len(shapes)} input(s), "
                             f"x0 .. x{len(shapes) - 1}", "output")
        output = env[stated]
    else:
        sizes = []
        for axis, item in enumerate(stated):
            try:
                size = item if is_int(item) else evaluate(item, env)
            except ExpressionError as exc:
                raise LayerError("bad-option-value", f"output axis {axis} {render(item)!r}: {exc}", "output") from None
            if size < 1:
                raise LayerError("non-positive-output", f"output axis {axis} {render(item)!r} is {size}; sizes "
                                 "are positive", "output")
            sizes.append(size)
        output = tuple(sizes)
    outcome = Outcome(output=output)
    if call.options.get("computed_for") == tuple(tuple(shape) for shape in shapes):
        return outcome  # computed by the model-code reader for exactly these inputs: nothing taken on trust
    function = call.options.get("function")
    what = f" ({function})" if function else ""
    outcome.warn("shape-on-trust", f"custom layer{what}: layerplan took its output {_show(output)} as stated "
                 "and counts 0 params; it does not run the function, so check the shape against the model's code",
                 "output")
    return outcome


def custom_kinds() -> list[Kind]:
    return [Kind(
        "lambda", "custom", 0,
        (Option("output", output_shape, "same, an input (x0, x1, ...), or a list of sizes and expressions of "
                "x, x0, x1, ... such as x[0] * 2", "the output shape, taken on trust", "same",
                aliases=("output_shape",)),
         Option("function", text, "text", "what the function computes (shown in the report)", None),
         Option("computed_for", computed_for, "one list of sizes per input", "the input shapes the output was "
                "computed for (model-code reader); with exactly these inputs it is not taken on trust", None)),
        plan_custom,
        "A custom element-wise op (keras Lambda, a function in torch forward()) with a stated output shape; "
        "no params. The shape is taken on trust (LP330).",
        arity=(1, None),
        formulas={"torch": "o = output (as stated)", "keras": "o = output (as stated)"},
        spellings=spellings("a function in forward()", "Lambda", keras_arguments={"output": "output_shape"},
                            write=(deferred("writing", "not_in_spec"), deferred("writing", "not_in_spec"))),
        macs=no_count, macs_text=deferred("explaining", "macs_text_none"), other_ops=no_count, receptive_field=no_field,
        explain=deferred("explaining", "explain_custom"), parameter_free=True,
    )]
