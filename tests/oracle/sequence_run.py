"""Run one recurrent or attention layer with all its outputs in a framework on a zeros batch of 2, inside a
worker process: every output's per-sample shape and the layer's params, or the framework's refusal.

A case is (kind, options, input shapes): recurrent kinds read one (steps, features) input; attention reads
[query] (self-attention) or [query, key_value] (cross-attention). The options are the spec's canonical
names. torch's h_n and c_n are (num_layers * directions, N, units): they are reported with the batch axis
taken out where torch puts it, (num_layers * directions, units), as layerplan documents.
"""

from __future__ import annotations

BATCH = 2


def run_torch(kind: str, options: dict, shapes: list) -> dict:
    import torch
    from torch import nn

    o = options
    try:
        inputs = [torch.zeros(BATCH, *shape) for shape in shapes]
        batch_first = o.get("batch_first", False)
        if not batch_first:
            inputs = [x.transpose(0, 1) for x in inputs]  # (L, N, F)
        if kind == "multi_head_attention":
            query = inputs[0]
            key = value = inputs[1] if len(inputs) > 1 else query
            module = nn.MultiheadAttention(o.get("embed_dim") or shapes[0][-1], o["num_heads"],
                                           kdim=o.get("kdim"), vdim=o.get("vdim"), batch_first=batch_first,
                                           add_bias_kv=o.get("add_bias_kv", False))
            module.eval()
            with torch.no_grad():
                out, weights = module(query, key, value, need_weights=o.get("return_attention_scores", False),
                                      average_attn_weights=o.get("average_attn_weights", True))
            results = [out if batch_first else out.transpose(0, 1)]
            if o.get("return_attention_scores"):
                results.append(weights)  # batch first whatever batch_first is
        else:
            cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
            module = cls(shapes[0][-1], o["units"], num_layers=o.get("num_layers", 1),
                         bidirectional=o.get("bidirectional", False), batch_first=batch_first)
            module.eval()
            with torch.no_grad():
                out, states = module(inputs[0])
            results = [out if batch_first else out.transpose(0, 1)]
            if o.get("return_state"):
                states = list(states) if isinstance(states, tuple) else [states]
                results += [state.transpose(0, 1) for state in states]  # (N, layers * D, units)
        params = sum(p.numel() for p in module.parameters())
        return {"outputs": [list(r.shape[1:]) for r in results], "params": params}
    except (RuntimeError, ValueError, AssertionError) as exc:
        return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}


def run_keras(kind: str, options: dict, shapes: list) -> dict:
    import os

    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras
    import numpy as np

    o = options
    try:
        inputs = [np.zeros((BATCH, *shape), dtype="float32") for shape in shapes]
        if kind == "multi_head_attention":
            layer = keras.layers.MultiHeadAttention(o["num_heads"], o["key_dim"], value_dim=o.get("value_dim"))
            value = inputs[1] if len(inputs) > 1 else inputs[0]
            result = layer(inputs[0], value, return_attention_scores=o.get("return_attention_scores", False))
        else:
            cls = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[kind]
            extra = {"reset_after": o["reset_after"]} if kind == "gru" and "reset_after" in o else {}
            layer = cls(o["units"], return_sequences=o.get("return_sequences", False),
                        return_state=o.get("return_state", False), **extra)
            if o.get("bidirectional"):
                layer = keras.layers.Bidirectional(layer)
            result = layer(inputs[0])
        results = list(result) if isinstance(result, (list, tuple)) else [result]
        return {"outputs": [[int(d) for d in r.shape[1:]] for r in results], "params": int(layer.count_params())}
    except (ValueError, TypeError) as exc:
        return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
