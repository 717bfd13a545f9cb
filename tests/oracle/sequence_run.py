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


def examples_torch() -> dict:
    """The torch examples written out as PyTorch code (examples/lstm_audio_classifier_torch.yaml and
    examples/transformer_encoder_conv_stem_torch.yaml): name -> (per-sample output shapes, params) of each
    module and tensor the specs name."""
    import torch
    from torch import nn

    def record(found, name, tensors, module=None):
        tensors = tensors if isinstance(tensors, list) else [tensors]
        params = sum(p.numel() for p in module.parameters()) if module is not None else 0
        found[name] = ([list(t.shape[1:]) for t in tensors], params)

    torch.manual_seed(0)
    audio: dict = {}
    with torch.no_grad():
        x = torch.zeros(BATCH, 40, 100)
        front1, bn = nn.Conv1d(40, 64, 5, padding="same"), nn.BatchNorm1d(64)
        front2 = nn.Conv1d(64, 128, 3, padding="same")
        lstm1 = nn.LSTM(128, 96, bidirectional=True, batch_first=True)
        lstm2 = nn.LSTM(192, 64, batch_first=True)
        classes = nn.Linear(64, 12)
        for m in (bn, lstm1, lstm2):
            m.eval()
        x = torch.relu(front1(x))
        record(audio, "front1", x, front1)
        x = nn.functional.max_pool1d(bn(x), 2)
        x = torch.relu(front2(x))
        record(audio, "front2", x, front2)
        x = nn.functional.max_pool1d(x, 2)
        x = x.transpose(1, 2)
        record(audio, "frames", x)
        x, _ = lstm1(x)
        record(audio, "lstm1", x, lstm1)
        x, (h_n, c_n) = lstm2(x)
        # the spec reports h_n batch first: (N, layers * directions, units)
        record(audio, "lstm2", [x, h_n.transpose(0, 1), c_n.transpose(0, 1)], lstm2)
        x = h_n.transpose(0, 1).flatten(1)
        record(audio, "last", x)
        record(audio, "classes", classes(x), classes)
        audio["total"] = ([], sum(p.numel() for m in (front1, bn, front2, lstm1, lstm2, classes)
                                  for p in m.parameters()))

    vit: dict = {}
    with torch.no_grad():
        stem1, stem2 = nn.Conv2d(3, 32, 3, 2, 1), nn.Conv2d(32, 64, 4, 4)
        norm1, norm2, norm3 = (nn.LayerNorm(64, eps=1e-6), nn.LayerNorm(64, eps=1e-6), nn.LayerNorm(64))
        attention = nn.MultiheadAttention(64, 4, dropout=0.1, batch_first=True)
        ffn1, ffn2, classes = nn.Linear(64, 128), nn.Linear(128, 64), nn.Linear(64, 10)
        attention.eval()
        x = stem2(nn.functional.gelu(stem1(torch.zeros(BATCH, 3, 64, 64))))
        record(vit, "stem2", x, stem2)
        tokens = x.flatten(2).transpose(1, 2)
        record(vit, "tokens", tokens)
        y = norm1(tokens)
        attended, _ = attention(y, y, y)
        record(vit, "attention", attended, attention)
        residual1 = attended + tokens
        z = ffn2(nn.functional.gelu(ffn1(norm2(residual1))))
        record(vit, "ffn1", ffn1(norm2(residual1)), ffn1)
        x = norm3(z + residual1)
        x = x.transpose(1, 2).mean(dim=2)
        record(vit, "pool", x)
        record(vit, "classes", classes(x), classes)
        vit["total"] = ([], sum(p.numel() for m in (stem1, stem2, norm1, norm2, norm3, attention, ffn1, ffn2, classes)
                                for p in m.parameters()))
    return {"lstm_audio_classifier_torch": audio, "transformer_encoder_conv_stem_torch": vit}
