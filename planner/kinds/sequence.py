"""Sequence layers: embedding, recurrent layers (rnn, lstm, gru) and multi-head attention.

How the spec states a sequence: a sample is (L, F), steps then features, in both frameworks (the batch
axis is left out as everywhere). torch's `batch_first` says only where torch puts the batch axis of the
whole tensor ((N, L, F) or (L, N, F)); the sample shape, and so the plan, is the same either way. An
embedding's input is the shape of its integer ids, e.g. [L] for one sequence of L tokens; layerplan
plans shapes and does not read the ids.

What is planned is each layer's main output: the sequence (torch; keras with return_sequences) or the
last step (keras default). With `return_state` a recurrent layer has several outputs (the mechanism of
planner/kinds/split.py: a later layer reads output K as `NAME:K`): torch's (output, h_n[, c_n]) — what
the module always returns — and keras' [output, h(, c)] per direction (bidirectional: the forward
states, then the backward ones). `recurrent_states` gives their shapes. torch's h_n and c_n are
(num_layers x directions, N, units), the batch in the middle even with batch_first: their per-sample
shape is reported as (num_layers x directions, units), the tensor h_n.transpose(0, 1) gives.
With `return_attention_scores` (torch: need_weights) attention has two outputs, the output and the
attention weights: torch (L, S) averaged over the heads (average_attn_weights, its default) or
(num_heads, L, S); keras (num_heads, L, S).

MACs convention: a recurrent layer does, per step, layer and direction, gates x units x (inputs + units)
multiply-accumulates (its input and recurrent matrix products), so L times the sum over layers and
directions. Attention counts its projections (query, key, value, output) plus the two products of the
attention itself: scores (Lq x S x key width) and the weighted sum (Lq x S x value width). An embedding
is a lookup: no MACs.
"""

from __future__ import annotations

from .counting import GATES
from .base import Kind, LayerCall, LayerError, Outcome, deferred, no_count, no_field, spellings
from .spatial import product
from ..options import (
    KERAS,
    REQUIRED,
    TORCH,
    Option,
    any_int,
    boolean,
    positive_int,
    positive_shape,
    number,
)



# The recurrent constructors' positional parameters (torch 2.13, keras 3.15), as model code passes them.
_TORCH_RECURRENT = ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional")
_RECURRENT_POSITIONAL = {
    "torch": {"rnn": ("input_size", "hidden_size", "num_layers", "nonlinearity", "bias", "batch_first", "dropout",
                      "bidirectional"), "lstm": _TORCH_RECURRENT, "gru": _TORCH_RECURRENT},
    "keras": {"rnn": ("units", "activation", "use_bias"),
              "lstm": ("units", "activation", "recurrent_activation", "use_bias"),
              "gru": ("units", "activation", "recurrent_activation", "use_bias")},
}

def _sequence(call: LayerCall, what: str) -> tuple[int, int]:
    if len(call.shape) != 2:
        raise LayerError("wrong-rank", f"{what} needs a sample of rank 2 (steps, features), got {list(call.shape)} of "
                         f"rank {len(call.shape)}" + ("; after a conv1d in torch, permute (C, L) to (L, C) first"
                                                      if call.framework == "torch" else ""), None)
    return call.shape


def recurrent_params(kind: str, framework: str, features: int, options: dict) -> int:
    """Parameters of a recurrent layer as the framework counts them.

    torch keeps two bias vectors per gate (b_ih and b_hh) and stacks num_layers layers, each layer after the
    first reading directions x units features; keras has one bias per gate, except GRU with reset_after
    (its default), which keeps two.

    >>> recurrent_params("lstm", "torch", 3, {"units": 4, "bias": True, "num_layers": 1, "bidirectional": False})
    144
    >>> recurrent_params("gru", "keras", 3, {"units": 4, "bias": True, "bidirectional": False, "reset_after": True})
    108
    """
    gates, units = GATES[kind], options["units"]
    directions = 2 if options["bidirectional"] else 1
    if framework == "torch":
        def layer(width: int) -> int:
            return directions * (gates * units * (width + units) + (2 * gates * units if options["bias"] else 0))
        # every layer after the first reads the same width: counted once, not looped (num_layers may be huge)
        return layer(features) + (options["num_layers"] - 1) * layer(directions * units)
    biases = 0
    if options["bias"]:
        biases = 2 * gates * units if kind == "gru" and options["reset_after"] else gates * units
    return directions * (gates * units * (features + units) + biases)


def recurrent_states(kind: str, framework: str, options: dict) -> list[tuple[int, ...]]:
    """The shapes of the final states a recurrent layer also returns (per sample, batch axis left out):
    torch h_n (and c_n for LSTM) are (num_layers x directions, units) — the batch axis sits in the middle of
    the real tensor; keras return_state gives one (units,) per state and direction.

    >>> recurrent_states("lstm", "torch", {"units": 8, "num_layers": 2, "bidirectional": True})
    [(4, 8), (4, 8)]
    """
    count = 2 if kind == "lstm" else 1
    directions = 2 if options["bidirectional"] else 1
    if framework == "torch":
        return [(options["num_layers"] * directions, options["units"])] * count
    return [(options["units"],)] * (count * directions)


def rate_rule(framework: str, cls: str):
    """The framework that rejects a dropout outside [0, 1] (torch's recurrent layers; keras attention's Dropout);
    the other clips it (keras recurrent layers) or ignores it in inference (torch attention).

    >>> rate_rule("torch", "LSTM")({"dropout": 1.5}, "torch", 0)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: torch LSTM takes dropout in [0, 1], got 1.5
    """
    def rule(options: dict, target: str, dims: int) -> None:
        rate = options.get("dropout")
        if target == framework and rate is not None and not 0 <= rate <= 1:
            raise LayerError("bad-option-value", f"{framework} {cls} takes dropout in [0, 1], got {rate:g}", "dropout")

    return rule


def recurrent_returns(kind: str, framework: str):
    """What a recurrent layer's call returns, for model code (Spelling.returns): torch always returns
    (output, h_n) — LSTM (output, (h_n, c_n)) — so the spec layer gets return_state; keras returns
    [output, *states] with return_state, one state (two for LSTM) per direction.

    >>> recurrent_returns("lstm", "torch")({}), recurrent_returns("gru", "keras")({"return_state": True})
    (((0, (1, 2)), {'return_state': True}), ((0, 1), {}))
    """
    count = 2 if kind == "lstm" else 1
    if framework == "torch":
        return lambda options: ((0, (1, 2)) if count == 2 else (0, 1), {"return_state": True})

    def keras(options: dict):
        if not options.get("return_state"):
            return None
        states = count * (2 if options.get("bidirectional") else 1)
        return tuple(range(1 + states)), {}
    return keras


def keras_bidirectional(options: dict, wrapper: dict) -> dict:
    """keras `Bidirectional(LSTM(...))` (Spelling.wrappers): the recurrent layer with `bidirectional`, its
    two directions' outputs concatenated (merge_mode='concat', keras' default; the other modes and a
    separate backward_layer are not planned).

    >>> keras_bidirectional({"units": 8}, {})
    {'units': 8, 'bidirectional': True}
    >>> keras_bidirectional({"units": 8}, {"merge_mode": "sum"})
    Traceback (most recent call last):
    ValueError: Bidirectional(merge_mode='sum') is not planned by layerplan (only merge_mode='concat', the default)
    """
    merge_mode = wrapper.get("merge_mode", "concat")
    if merge_mode != "concat":
        raise ValueError(f"Bidirectional(merge_mode={merge_mode!r}) is not planned by layerplan (only "
                         "merge_mode='concat', the default)")
    if wrapper.get("backward_layer") is not None:
        raise ValueError("Bidirectional(backward_layer=...) is not planned by layerplan (both directions are the "
                         "same layer in a spec)")
    if options.get("bidirectional"):
        raise ValueError("this recurrent layer is already bidirectional")
    return {**options, "bidirectional": True}


def attention_returns(options: dict):
    """torch MultiheadAttention returns (output, weights) (need_weights, its default; the spec layer gets
    return_attention_scores), for model code's `x, w = attn(q, k, v)` (Spelling.returns).

    >>> attention_returns({})
    ((0, 1), {'return_attention_scores': True})
    """
    return (0, 1), {"return_attention_scores": True}


def recurrent_planner(kind: str):
    """The plan function of one recurrent kind ("rnn", "lstm" or "gru")."""
    return lambda call: plan_recurrent(kind, call)


def plan_recurrent(kind: str, call: LayerCall) -> Outcome:
    rate_rule("torch", kind.upper())(call.options, call.framework, 0)
    steps, features = _sequence(call, kind.upper())
    opts = call.options
    width = opts["units"] * (2 if opts["bidirectional"] else 1)
    if call.framework == "torch" or opts["return_sequences"]:
        output = (steps, width)
    else:
        output = (width,)
    outcome = Outcome(output=output, params=recurrent_params(kind, call.framework, features, opts))
    if opts["return_state"]:
        outcome.output, outcome.outputs = None, (output, *recurrent_states(kind, call.framework, opts))
    if call.framework == "torch" and opts["dropout"] and opts["num_layers"] == 1:
        outcome.warn("option-without-effect", f"torch {kind.upper()} applies dropout between stacked layers only: "
                     f"with num_layers 1, dropout {opts['dropout']:g} does nothing", "dropout")
    return outcome


def recurrent_macs(row, framework: str) -> int:
    """L x sum over layers and directions of gates x units x (inputs + units).

    >>> from types import SimpleNamespace
    >>> recurrent_macs(SimpleNamespace(type="lstm", input=(10, 3), options={"units": 4, "num_layers": 1,
    ...                                "bidirectional": False}), "keras")
    1120
    """
    steps, features = row.input
    opts = row.options
    gates, units = GATES[row.type], opts["units"]
    directions = 2 if opts["bidirectional"] else 1
    layers = (opts.get("num_layers") or 1) if framework == "torch" else 1
    def layer(width: int) -> int:
        return directions * gates * units * (width + units)
    return steps * (layer(features) + (layers - 1) * layer(directions * units))


def recurrent_ops(row, framework: str) -> int:
    """One op per gate value per step (its activation), per layer and direction.

    >>> from types import SimpleNamespace
    >>> recurrent_ops(SimpleNamespace(type="gru", input=(10, 3), options={"units": 4, "bidirectional": True}), "keras")
    240
    """
    opts = row.options
    layers = (opts.get("num_layers") or 1) if framework == "torch" else 1
    return row.input[0] * layers * (2 if opts["bidirectional"] else 1) * GATES[row.type] * opts["units"]


# --- embedding


def check_embedding_options(options: dict, framework: str, dims: int) -> None:
    """torch asserts padding_idx lies within num_embeddings (negative counts from the end).

    >>> check_embedding_options({"input_dim": 10, "padding_idx": 10}, "torch", 0)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: padding_idx 10 must be within num_embeddings 10 (-10..9)
    """
    size, index = options.get("input_dim"), options.get("padding_idx")
    if framework == "torch" and size is not None and index is not None and not -size <= index < size:
        raise LayerError("bad-option-value", f"padding_idx {index} must be within num_embeddings {size} "
                         f"({-size}..{size - 1})", "padding_idx")


def plan_embedding(call: LayerCall) -> Outcome:
    opts = call.options
    check_embedding_options(opts, call.framework, 0)
    return Outcome(output=(*call.shape, opts["output_dim"]), params=opts["input_dim"] * opts["output_dim"])


def embedding_ops(row, framework: str) -> int:
    """One read per output value (the lookup).

    >>> from types import SimpleNamespace
    >>> embedding_ops(SimpleNamespace(output=(6, 4)), "torch")
    24
    """
    return product(row.output)


# --- attention


def check_attention_options(options: dict, framework: str, dims: int) -> None:
    """torch asserts embed_dim is divisible by num_heads.

    >>> check_attention_options({"embed_dim": 6, "num_heads": 4}, "torch", 0)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: embed_dim 6 must be divisible by num_heads 4 (head width = embed_dim / num_heads)
    """
    embed, heads = options.get("embed_dim"), options.get("num_heads")
    if framework == "torch" and embed is not None and heads is not None and embed % heads:
        raise LayerError("groups-mismatch", f"embed_dim {embed} must be divisible by num_heads {heads} "
                         "(head width = embed_dim / num_heads)", "num_heads")


def _attention_inputs(call: LayerCall) -> tuple[tuple, tuple, tuple]:
    """(query, key, value) shapes in the framework's call order: torch (query, key, value), keras (query, value,
    key); one input is self-attention, a second input is both key and value."""
    shapes = call.shapes or (call.shape,)
    query = shapes[0]
    second = shapes[1] if len(shapes) > 1 else query
    third = shapes[2] if len(shapes) > 2 else second
    if call.framework == "torch":
        return query, second, third
    return query, third, second


def plan_attention(call: LayerCall) -> Outcome:
    opts = call.options
    rate_rule("keras", "MultiHeadAttention")(opts, call.framework, 0)
    query, key, value = _attention_inputs(call)
    heads = opts["num_heads"]
    if call.framework == "torch":
        for what, shape in (("query", query), ("key", key), ("value", value)):
            if len(shape) != 2:
                raise LayerError("wrong-rank", f"torch MultiheadAttention needs a {what} sample of rank 2 (steps, "
                                 f"features), got {list(shape)}", None)
        embed = opts["embed_dim"] or query[-1]
        check_attention_options({**opts, "embed_dim": embed}, "torch", 0)
        kdim, vdim = opts["kdim"] or embed, opts["vdim"] or embed
        for what, shape, width, option in (("query", query, embed, "embed_dim"), ("key", key, kdim, "kdim"),
                                           ("value", value, vdim, "vdim")):
            if shape[-1] != width:
                raise LayerError("merge-mismatch", f"the {what} has {shape[-1]} features but {option} is {width}; "
                                 f"set {option}: {shape[-1]}", option)
        if key[0] != value[0]:
            raise LayerError("merge-mismatch", f"key and value must have the same steps, got {key[0]} and {value[0]}",
                             None)
        bias = opts["bias"]
        params = embed * (embed + kdim + vdim) + (3 * embed if bias else 0) + embed * embed + (embed if bias else 0)
        params += 2 * embed if opts["add_bias_kv"] else 0
        # add_bias_kv appends one key and value step: the weights cover S + 1 steps
        steps = key[0] + (1 if opts["add_bias_kv"] else 0)
        weights = (query[0], steps) if opts["average_attn_weights"] else (heads, query[0], steps)
        return _with_scores(Outcome(output=(query[0], embed), params=params), opts, weights)
    key_dim = opts["key_dim"]
    value_dim = opts["value_dim"] or key_dim
    if key[:-1] != value[:-1]:
        raise LayerError("merge-mismatch", f"key {list(key)} and value {list(value)} must agree on every axis but "
                         "the last", None)
    if len(query) != len(value):
        raise LayerError("merge-mismatch", f"query {list(query)} and value {list(value)} must have the same rank",
                         None)
    out_shape = opts["output_shape"] or (query[-1],)
    bias = opts["bias"]
    width_k, width_v = heads * key_dim, heads * value_dim
    params = (query[-1] + key[-1]) * width_k + value[-1] * width_v + width_v * product(out_shape)
    if bias:
        params += 2 * width_k + width_v + product(out_shape)
    return _with_scores(Outcome(output=(*query[:-1], *out_shape), params=params), opts,
                        (heads, *query[:-1], *key[:-1]))


def _with_scores(outcome: Outcome, options: dict, scores: tuple) -> Outcome:
    """The attention weights as a second output, when the spec reads them."""
    if options["return_attention_scores"]:
        outcome.output, outcome.outputs = None, (outcome.output, scores)
    return outcome


def attention_macs(row, framework: str) -> int:
    """Projections plus the attention's two products (module docstring).

    >>> from types import SimpleNamespace
    >>> attention_macs(SimpleNamespace(input=(5, 8), input_shapes=None, output_shapes=((5, 8),),
    ...                                options={"num_heads": 2, "embed_dim": None, "kdim": None, "vdim": None}), "torch")
    1680
    """
    shapes = [s for s in getattr(row, "input_shapes", None) or () if s is not None] or (row.input,)
    call = LayerCall(row.input, row.options, framework, 0, shapes=tuple(shapes))
    query, key, value = _attention_inputs(call)
    lq, steps = product(query[:-1]), product(key[:-1])
    if framework == "torch":
        embed = row.options["embed_dim"] or query[-1]
        width_k = width_v = embed
    else:
        width_k = row.options["num_heads"] * row.options["key_dim"]
        width_v = row.options["num_heads"] * (row.options["value_dim"] or row.options["key_dim"])
    projections = lq * query[-1] * width_k + steps * key[-1] * width_k + steps * value[-1] * width_v
    return projections + lq * steps * (width_k + width_v) + lq * width_v * row.output_shapes[0][-1]


def attention_ops(row, framework: str) -> int:
    """The softmax over the scores: one op per score.

    >>> from types import SimpleNamespace
    >>> attention_ops(SimpleNamespace(input=(5, 8), input_shapes=None, options={"num_heads": 2}), "keras")
    50
    """
    shapes = [s for s in getattr(row, "input_shapes", None) or () if s is not None] or (row.input,)
    steps = product(shapes[1][:-1]) if len(shapes) > 1 else product(row.input[:-1])
    return row.options["num_heads"] * product(row.input[:-1]) * steps


SEQUENCE_HOOKS = dict(receptive_field=no_field, macs_text=deferred("explaining", "macs_text_total"))


def sequence_kinds() -> list[Kind]:
    kinds = [Kind(
        "embedding", "embedding", 0,
        (Option("input_dim", positive_int, "integer >= 1", "vocabulary size: ids are 0..input_dim-1", REQUIRED,
                aliases=("num_embeddings",)),
         Option("output_dim", positive_int, "integer >= 1", "vector size per id", REQUIRED, aliases=("embedding_dim",)),
         Option("padding_idx", any_int, "integer", "torch: the id whose vector stays zero (no effect on params)", None,
                frameworks=TORCH),
         Option("mask_zero", boolean, "boolean", "keras: id 0 is padding (a mask; no effect on shape)", False,
                frameworks=KERAS)),
        plan_embedding, "Embedding lookup: the input is the shape of the integer ids (e.g. [L]); each id becomes a "
        "vector of output_dim; params = input_dim * output_dim.",
        positional=("input_dim",), formulas={"torch": "(...) -> (..., output_dim)", "keras": "(...) -> (..., output_dim)"},
        spellings=spellings("Embedding", "Embedding", {"input_dim": "num_embeddings", "output_dim": "embedding_dim"},
                            torch_positional=("num_embeddings", "embedding_dim", "padding_idx"),
                            keras_positional=("input_dim", "output_dim"),
                            write=(deferred("writing", "torch_embedding"), deferred("writing", "keras_embedding"))),
        option_rules=(check_embedding_options,), port=deferred("porting_sequence", "port_embedding"), sequence="makes",
        macs=no_count, other_ops=embedding_ops,
        explain=deferred("explaining", "explain_embedding"), **SEQUENCE_HOOKS,
    )]
    torch_names = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
    keras_names = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
    for name in ("rnn", "lstm", "gru"):
        options = [
            Option("units", positive_int, "integer >= 1", "hidden size per direction", REQUIRED,
                   aliases=("hidden_size",)),
            Option("num_layers", positive_int, "integer >= 1", "torch: layers stacked in one module", 1,
                   frameworks=TORCH),
            Option("bias", boolean, "boolean", "learn biases (torch: two per gate, b_ih and b_hh)", True,
                   aliases=("use_bias",)),
            Option("bidirectional", boolean, "boolean",
                   "run both directions and concatenate (keras: the Bidirectional wrapper)", False),
            Option("batch_first", boolean, "boolean",
                   "torch: the batch axis comes first in the tensor (the sample is (L, F) either way)", False,
                   frameworks=TORCH),
            Option("return_sequences", boolean, "boolean", "keras: every step's output (L, units), else the last",
                   False, frameworks=KERAS),
            Option("dropout", number, "number (torch: in [0, 1]; keras clips it to [0, 1])",
                   "torch: between stacked layers; keras: on the inputs (no effect on shape)", 0.0),
            Option("return_state", boolean, "boolean",
                   "the final states as more outputs, read as NAME:K: torch (output, h_n" + (", c_n" if name == "lstm"
                   else "") + ") (what the module returns), keras [output, h" + (", c" if name == "lstm" else "")
                   + "] per direction", False),
        ]
        if name == "gru":
            options.append(Option("reset_after", boolean, "boolean",
                                  "keras: reset gate after the matrix product (two bias vectors per gate)", True,
                                  frameworks=KERAS))
        gates = GATES[name]
        kinds.append(Kind(
            name, "recurrent", 0, tuple(options), recurrent_planner(name),
            f"{keras_names[name]} on a (steps, features) sample: torch returns every step, keras the last unless "
            f"return_sequences; {gates} gate{'s' if gates > 1 else ''}, torch counts two bias vectors per gate.",
            positional=("units",),
            formulas={"torch": f"(L, F) -> (L, D*units); params = D*{gates}*units*(F + units + 2) per layer",
                      "keras": f"(L, F) -> (D*units) or (L, D*units); params = D*{gates}*units*(F + units + 1)"
                               + (" (+ 3*units with reset_after)" if name == "gru" else "")},
            spellings=spellings(torch_names[name], keras_names[name], {"units": "hidden_size"}, {"bias": "use_bias"},
                                torch_positional=_RECURRENT_POSITIONAL["torch"][name],
                                keras_positional=_RECURRENT_POSITIONAL["keras"][name],
                                write=(deferred("writing", "torch_recurrent"), deferred("writing", "keras_recurrent")),
                                returns=(recurrent_returns(name, "torch"), recurrent_returns(name, "keras")),
                                keras_wrappers={"Bidirectional": keras_bidirectional}),
            option_rules=(rate_rule("torch", torch_names[name]),), port=deferred("porting_sequence", "port_recurrent"),
            differences=deferred("porting_sequence", "recurrent_differences"), sequence="makes",
            macs=recurrent_macs, other_ops=recurrent_ops, explain=deferred("explaining", "explain_recurrent"), **SEQUENCE_HOOKS,
        ))
    kinds.append(Kind(
        "multi_head_attention", "attention", 0,
        (Option("num_heads", positive_int, "integer >= 1", "attention heads", REQUIRED),
         Option("embed_dim", positive_int, "integer >= 1", "torch: query features (default: the query's last axis)",
                None, frameworks=TORCH),
         Option("kdim", positive_int, "integer >= 1", "torch: key features (default embed_dim)", None, frameworks=TORCH),
         Option("vdim", positive_int, "integer >= 1", "torch: value features (default embed_dim)", None,
                frameworks=TORCH),
         Option("add_bias_kv", boolean, "boolean", "torch: learned bias_k and bias_v (2 x embed_dim params)", False,
                frameworks=TORCH),
         Option("batch_first", boolean, "boolean", "torch: the batch axis comes first (the sample is (L, E) either way)",
                False, frameworks=TORCH),
         Option("key_dim", positive_int, "integer >= 1", "keras: width of each head for query and key", REQUIRED,
                frameworks=KERAS),
         Option("value_dim", positive_int, "integer >= 1", "keras: width of each head for value (default key_dim)",
                None, frameworks=KERAS),
         Option("output_shape", positive_shape, "integer or list of integers",
                "keras: the output's last axes (default: the query's features)", None, frameworks=KERAS),
         Option("bias", boolean, "boolean", "learn the projections' biases", True, aliases=("use_bias",)),
         Option("dropout", number, "number (keras: in [0, 1])", "on the attention weights (no effect on shape)",
                0.0),
         Option("return_attention_scores", boolean, "boolean",
                "the attention weights as a second output, read as NAME:1 (torch: need_weights)", False,
                aliases=("need_weights",)),
         Option("average_attn_weights", boolean, "boolean",
                "torch: the weights averaged over the heads (L, S), else (num_heads, L, S)", True, frameworks=TORCH)),
        plan_attention,
        "Multi-head attention. One input: self-attention; inputs [query, key_value] or, in the framework's call "
        "order, torch [query, key, value] / keras [query, value, key]: cross-attention. Output: query steps x "
        "embed_dim (torch) or output_shape (keras).",
        positional=("num_heads",), arity=(1, 3),
        formulas={"torch": "(L, E) -> (L, E); params = E*(E + kdim + vdim) + 3E + E*E + E",
                  "keras": "(L, Eq) -> (L, out); params = (Eq + Ek + 2)*h*key_dim + (Ev + 1)*h*value_dim + (h*value_dim + 1)*out"},
        spellings=spellings("MultiheadAttention", "MultiHeadAttention", keras_arguments={"bias": "use_bias"},
                            torch_positional=("embed_dim", "num_heads", "dropout", "bias", "add_bias_kv",
                                              "add_zero_attn", "kdim", "vdim", "batch_first"),
                            keras_positional=("num_heads", "key_dim", "value_dim", "dropout", "use_bias",
                                              "output_shape"),
                            write=(deferred("writing", "torch_attention"), deferred("writing", "keras_attention")), returns=(attention_returns, None)),
        option_rules=(check_attention_options, rate_rule("keras", "MultiHeadAttention")),
        port=deferred("porting_sequence", "port_attention"), differences=deferred("porting_sequence", "attention_differences"), sequence="makes",
        macs=attention_macs, other_ops=attention_ops,
        explain=deferred("explaining", "explain_attention"), **SEQUENCE_HOOKS,
    ))
    return kinds
