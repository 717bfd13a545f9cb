"""Learned tensors a model holds (torch nn.Parameter, keras add_weight): each use forward makes of one is a
learned_tensor layer whose parameters are its values, counted once; a use the reader cannot state that way
is an error at its line that names the tensor."""

import pytest

from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model

TORCH = "import torch\nimport torch.nn as nn\n"
MODULE = TORCH + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.p = nn.Parameter({made})

    def forward(self, x):
{body}
"""
FORWARD_LINE = 10  # the first line of {body}


def _learned_rows(text, shape, name=None):
    report = plan_document(read_model(text, "model.py", name, input_shape=shape))
    assert report.ok, [d.message for d in report.diagnostics]
    return report, [row for row in report.layers if row.type == "learned_tensor"]


# (id, made, forward body, input sample shape, the learned_tensor layer's options, its output, params)
LOWERED = [
    ("added, batch axis of 1", "torch.zeros(1, 5, 8)", "        return x + self.p", (5, 8),
     {"shape": (5, 8), "merge": "add"}, (5, 8), 40),
    ("added on the left", "torch.randn(5, 8)", "        return self.p + x", (5, 8),
     {"shape": (5, 8), "merge": "add"}, (5, 8), 40),
    ("a gain on the last axis", "torch.ones(8) * 0.1", "        return x * self.p", (5, 8),
     {"shape": (8,), "merge": "multiply"}, (5, 8), 8),
    ("a scale per channel", "torch.ones(4, 1, 1)", "        return self.p * x", (4, 6, 6),
     {"shape": (4, 1, 1), "merge": "multiply"}, (4, 6, 6), 4),
    ("a class token first", "torch.zeros(1, 1, 8)",
     "        token = self.p.expand(x.shape[0], -1, -1)\n        return torch.cat([token, x], dim=1)", (5, 8),
     {"shape": (1, 8), "merge": "concatenate", "axis": 1, "first": True}, (6, 8), 8),
    ("a token last, the batch from x.size(0)", "torch.empty(1, 2, 8).normal_(std=0.02)",
     "        n = x.size(0)\n        return torch.cat((x, self.p.expand(n, -1, -1)), 1)", (5, 8),
     {"shape": (2, 8), "merge": "concatenate", "axis": 1, "first": False}, (7, 8), 16),
    ("moved to a device first", "torch.zeros(1, 5, 8)", "        return x + self.p.to(x.device)", (5, 8),
     {"shape": (5, 8), "merge": "add"}, (5, 8), 40),
]


@pytest.mark.parametrize(("made", "body", "shape", "options", "output", "params"), [c[1:] for c in LOWERED],
                         ids=[c[0] for c in LOWERED])
def test_a_use_of_a_learned_tensor_is_a_learned_tensor_layer(made, body, shape, options, output, params):
    report, rows = _learned_rows(MODULE.format(made=made, body=body), shape)
    assert len(rows) == 1
    row = rows[0]
    assert {key: row.options[key] for key in options} == options
    assert (row.name, row.output, row.params, row.non_trainable) == ("p", output, params, 0)
    assert report.total_params == params


# (id, made, forward body, input sample shape, line, words the message must contain)
REFUSED = [
    ("indexed", "torch.zeros(9, 8)", "        return x + self.p[0]", (5, 8), FORWARD_LINE,
     "the learned tensor self.p (made at line 7) is indexed"),
    ("used twice", "torch.zeros(8)", "        x = x * self.p\n        return x + self.p", (5, 8), FORWARD_LINE + 1,
     "used a second time (first at line 10"),
    ("subtracted", "torch.zeros(8)", "        return x - self.p", (5, 8), FORWARD_LINE, "used in a sub operation"),
    ("a matrix product", "torch.zeros(8, 8)", "        return x @ self.p", (5, 8), FORWARD_LINE,
     "used in a matmult operation"),
    ("in a tensor operation", "torch.zeros(8)", "        return x + torch.exp(self.p)", (5, 8), FORWARD_LINE,
     "the learned tensor self.p (made at line 7) is used by torch.exp()"),
    ("joined without a batch axis", "torch.zeros(1, 1, 8)", "        return torch.cat([self.p, x], dim=1)", (5, 8),
     FORWARD_LINE, "concatenated without a batch axis"),
    ("expanded along a sample axis", "torch.zeros(1, 1, 8)",
     "        return torch.cat([self.p.expand(x.shape[0], 3, -1), x], dim=1)", (5, 8), FORWARD_LINE,
     "expanded to (batch, 3, -1)"),
    ("its first axis meets the batch", "torch.zeros(2, 5, 8)", "        return x + self.p", (5, 8), FORWARD_LINE,
     "whose first axis meets the batch axis"),
    ("combined with a number", "torch.zeros(8)", "        return x * (self.p * 2)", (5, 8),
     FORWARD_LINE, "combined with a value that is not a tensor of the model"),
    ("never used", "torch.zeros(8)", "        return x", (5, 8), 7, "is never used by forward"),
    ("frozen", "torch.zeros(8), requires_grad=False", "        return x + self.p", (5, 8), 7,
     "requires_grad=False) is not read"),
    ("of the data", "torch.zeros(8)", "        self.q = nn.Parameter(x)\n        return x + self.q", (5, 8),
     FORWARD_LINE, "nn.Parameter is read of a tensor the code makes"),
]


@pytest.mark.parametrize(("made", "body", "shape", "line", "words"), [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_a_use_that_is_not_a_learned_tensor_layer_is_an_error_naming_it(made, body, shape, line, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(MODULE.format(made=made, body=body), "model.py", input_shape=shape)
    d = caught.value.diagnostic
    assert (d.code, d.line) == ("LP007", line), d.message
    assert words in d.message, d.message


KERAS_LAYER = """import keras
from keras import layers


class Scale(layers.Layer):
    def build(self, input_shape):
        self.gamma = self.add_weight(shape={shape}, initializer="ones"{more})

    def call(self, x):
        return {use}


inputs = keras.Input(shape=(6, 6, 4))
model = keras.Model(inputs, Scale()(inputs))
"""


@pytest.mark.parametrize(("shape", "more", "use", "options", "params"), [
    ("(input_shape[-1],)", "", "x * self.gamma", {"shape": (4,), "merge": "multiply"}, 4),
    ("(1, 6, 6, 4)", ", trainable=True", "self.gamma + x", {"shape": (6, 6, 4), "merge": "add"}, 144),
    ("input_shape[1:]", "", "x + self.gamma", {"shape": (6, 6, 4), "merge": "add"}, 144),
])
def test_a_keras_weight_made_in_build_is_a_learned_tensor_layer(shape, more, use, options, params):
    report, rows = _learned_rows(KERAS_LAYER.format(shape=shape, more=more, use=use), None, "model")
    assert [{key: row.options[key] for key in options} for row in rows] == [options]
    assert report.total_params == params and rows[0].output == (6, 6, 4)


@pytest.mark.parametrize(("more", "use", "words"), [
    (", trainable=False", "x * self.gamma", "add_weight(..., trainable=False) is not read"),
    ("", "x", "the learned tensor self.gamma (made at line 7) is never used by Scale.call()"),
])
def test_a_keras_weight_that_is_not_a_learned_tensor_layer_is_an_error(more, use, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(KERAS_LAYER.format(shape="(4,)", more=more, use=use), "model.py", "model")
    assert words in caught.value.diagnostic.message, caught.value.diagnostic.message
