"""The table of tensor operations (planner/model_code/tensor_ops.py): shapes read from tensors, and each
rule's output shape, as the framework computes it (each expectation is what torch, keras or TensorFlow
give for the same code on a batch)."""

import pytest
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model
from layerplan.planner.model_code.tensor_ops import OPERATIONS, broadcast, rule_for
from layerplan.planner.model_code.values import BatchSize

TORCH = """import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
{layers}
    def forward(self, x):
{body}
"""
#: the layers a forward body may use (torch counts every layer a module holds: each body gets those it uses)
LAYERS = {"self.conv": "nn.Conv2d(3, 8, 3, padding=1)", "self.lstm": "nn.LSTM(12, 16, 2, batch_first=True)"}


def _module(body: str) -> str:
    layers = "".join(f"        {name} = {made}\n" for name, made in LAYERS.items() if name in body)
    return TORCH.format(layers=layers, body="\n".join("        " + line for line in body.splitlines()))


def _torch(body: str, shape: tuple) -> tuple:
    """(output shapes, params, layer types, codes of the diagnostics) of a forward body on `shape`."""
    text = _module(body)
    report = plan_document(read_model(text, "net.py", "Net", input_shape=shape))
    outputs = [list(s) for s in (report.outputs.values() if report.outputs else [report.output])]
    return outputs, report.total_params, [row.type for row in report.layers], \
        sorted({d.code for d in report.diagnostics})


# (id, forward body, input shape, output shapes, params, layer types): torch's shapes for the same code
TORCH_CASES = [
    # shapes read from the tensor are numbers; the batch axis is not
    ("size of an axis", "return x.view(x.size(0), x.size(1) * x.size(2) * x.size()[3])", (3, 4, 5),
     [[60]], 0, ["reshape"]),
    ("shape from the end", "return x.reshape(x.shape[0], x.shape[-1], -1)", (3, 4, 5), [[5, 12]], 0, ["reshape"]),
    ("len, dim, ndim", "return x.view(len(x), x.dim() * x.ndim)", (3, 3), [[9]], 0, ["reshape"]),
    ("unpacked size", "b, c, h, w = x.size()\nreturn x.view(b, c * h, w)", (3, 4, 5), [[12, 5]], 0, ["reshape"]),
    ("a slice of the shape as a size", "y = F.max_pool2d(self.conv(x), 2)\n"
                                       "return F.interpolate(y, size=x.shape[2:])", (3, 6, 10), [[8, 6, 10]], 224,
     ["conv2d", "max_pool2d", "upsample2d"]),
    # elementwise: shape kept, no layer for one tensor of the model
    ("exp of a scaled tensor", "return torch.exp(0.5 * self.conv(x))", (3, 4, 4), [[8, 4, 4]], 224, ["conv2d"]),
    ("method chain", "return self.conv(x).abs().clamp(0, 1).float().contiguous().to('cpu')", (3, 4, 4),
     [[8, 4, 4]], 224, ["conv2d"]),
    ("noise like a tensor", "y = self.conv(x)\nreturn y + torch.randn_like(y) * y.exp()", (3, 4, 4), [[8, 4, 4]],
     224, ["conv2d", "add"]),
    ("numpy noise of the batch's size", "import numpy as np\nfrom torch.autograd import Variable\n"
     "z = Variable(torch.FloatTensor(np.random.normal(0, 1, (x.size(0), 3))))\nreturn x * 2 + z", (3,), [[3]], 0, []),
    ("division of two tensors", "return x / x[:, :1]", (3, 4, 4), [[3, 4, 4]], 0, ["slice", "lambda"]),
    ("a tensor divided by itself", "y = self.conv(x)\nreturn y / (y + 1)", (3, 4, 4), [[8, 4, 4]], 224, ["conv2d"]),
    ("a made mask broadcast", "y = self.conv(x)\nm = torch.ones(x.size(0), 1, 1, 1)\ny.mul_(m)\nreturn y",
     (3, 4, 4), [[8, 4, 4]], 224, ["conv2d"]),
    ("minus", "return -self.conv(x)", (3, 4, 4), [[8, 4, 4]], 224, ["conv2d"]),
    # reductions
    ("mean over the spatial axes", "return self.conv(x).mean(dim=(2, 3))", (3, 4, 5), [[8]], 224,
     ["conv2d", "lambda"]),
    ("sum keeping the axes", "return torch.sum(self.conv(x), [2, 3], keepdim=True)", (3, 4, 5), [[8, 1, 1]], 224,
     ["conv2d", "lambda"]),
    ("amax of the last axis", "return self.conv(x).amax(-1)", (3, 4, 5), [[8, 4]], 224, ["conv2d", "lambda"]),
    ("max along an axis gives values and indices", "values, indices = torch.max(self.conv(x), 1)\nreturn values",
     (3, 4, 5), [[4, 5]], 224, ["conv2d", "lambda"]),
    # indexing and slicing
    ("the last step", "out, _ = self.lstm(x)\nreturn out[:, -1, :]", (7, 12), [[16]], 4096, ["lstm", "select"]),
    ("the last step, short", "out, _ = self.lstm(x)\nreturn out[:, -1]", (7, 12), [[16]], 4096, ["lstm", "select"]),
    ("ellipsis and a slice", "return self.conv(x)[..., :3]", (3, 4, 5), [[8, 4, 3]], 224, ["conv2d", "slice"]),
    ("a step and a last position", "return self.conv(x)[:, :, ::2][..., -1]", (3, 4, 5), [[8, 2]], 224,
     ["conv2d", "slice", "select"]),
    ("a causal trim (Chomp1d)", "return x[:, :, :-2].contiguous()", (3, 9), [[3, 7]], 0, ["slice"]),
    ("two axes at once stay computed", "return self.conv(x)[:, -1, :2]", (3, 4, 5), [[2, 5]], 224,
     ["conv2d", "lambda"]),
    ("a new axis", "return self.conv(x)[:, None]", (3, 4, 5), [[1, 8, 4, 5]], 224, ["conv2d", "lambda"]),
    ("channel slices", "y = self.conv(x)\nreturn torch.cat([y[:, :2, :, :] + y[:, 6:], y[:, 2:6]], 1)", (3, 4, 5),
     [[6, 4, 5]], 224, ["conv2d", "slice", "slice", "add", "slice", "concatenate"]),
    ("a whole slice is the tensor", "return self.conv(x)[:, :, :]", (3, 4, 5), [[8, 4, 5]], 224, ["conv2d"]),
    # creation: initial states of a recurrent layer
    ("zero initial states", "h0 = torch.zeros(2, x.size(0), 16)\nc0 = torch.zeros(2, x.size(0), 16)\n"
                            "out, (h, c) = self.lstm(x, (h0, c0))\nreturn out", (7, 12), [[7, 16]], 4096, ["lstm"]),
    # stack, matmul, expand, padding
    ("stack on a new axis", "y = self.conv(x)\nreturn torch.stack([y, y * 2], dim=1)", (3, 4, 5), [[2, 8, 4, 5]],
     224, ["conv2d", "lambda"]),
    ("attention scores", "q = x.transpose(1, 2)\nreturn torch.matmul(q, x)", (3, 5), [[5, 5]], 0,
     ["transpose", "lambda"]),
    ("matmul operator", "return x @ x.transpose(1, 2)", (3, 5), [[3, 3]], 0, ["transpose", "lambda"]),
    ("expand to a size", "return x.mean(2, keepdim=True).expand(-1, -1, 6)", (3, 5), [[3, 6]], 0,
     ["lambda", "lambda"]),
    ("pad to a skip's size", "y = F.max_pool2d(x, 2)\ndy = x.size(2) - y.size(2)\ndx = x.size(3) - y.size(3)\n"
                             "return F.pad(y, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])", (3, 9, 8),
     [[3, 9, 8]], 0, ["max_pool2d", "zero_padding2d"]),
    ("reflection pad of the last axis", "return F.pad(x, (1, 2), mode='reflect')", (3, 9, 8), [[3, 9, 11]], 0,
     ["lambda"]),
    # ranges: a made tensor of one axis, as long as Python's range
    ("a range as long as an axis", "return x + torch.arange(x.size(2))", (3, 5), [[3, 5]], 0, []),
    ("a range with a step", "return x + torch.arange(2, 13, 3)", (3, 4), [[3, 4]], 0, []),
    ("a range's length", "return x.view(x.size(0), -1, torch.arange(1, 4).size(0))", (4, 3), [[4, 3]], 0,
     ["reshape"]),
    ("a sin-cos table from a range raised to a power (its values not followed, its shape read)",
     "omega = 1.0 / (10000 ** (torch.arange(3) / 2))\nreturn x + torch.cat((omega.sin(), omega.cos()))", (4, 6),
     [[4, 6]], 0, []),
    ("a grid of positions", "y, z = torch.meshgrid(torch.arange(2), torch.arange(4), indexing='ij')\n"
     "return x + torch.cat((y.flatten()[:, None], z.flatten()[:, None]), dim=1)", (8, 2), [[8, 2]], 0, []),
    ("a grid, xy", "y, z = torch.meshgrid(torch.arange(2), torch.arange(4), indexing='xy')\nreturn x + y",
     (4, 2), [[4, 2]], 0, []),
    # indices of the largest value: a reduction of the axis
    ("argmax of the last axis", "return self.conv(x).argmax(dim=-1)", (3, 4, 5), [[8, 4]], 224,
     ["conv2d", "lambda"]),
    ("argmax keeping the axis", "return torch.argmax(self.conv(x), 1, keepdim=True)", (3, 4, 5), [[1, 4, 5]], 224,
     ["conv2d", "lambda"]),
    # the module's mode: planned for inference
    ("dropout while training", "x = F.dropout(x, 0.5, training=self.training)\n"
                               "if self.training:\n    x = x[:, :1]\nreturn x", (3, 4), [[3, 4]], 0, ["dropout"]),
]


@pytest.mark.parametrize(("body", "shape", "outputs", "params", "types"), [c[1:] for c in TORCH_CASES],
                         ids=[c[0] for c in TORCH_CASES])
def test_a_tensor_operation_plans_to_the_framework_shape(body, shape, outputs, params, types):
    planned, total, layer_types, codes = _torch(body, shape)
    assert (planned, total, layer_types) == (outputs, params, types)
    assert "LP330" not in codes  # a computed shape is not taken on trust


# (id, forward body, input shape, words of the message): never a guess
TORCH_REFUSED = [
    ("numpy noise without a size", "import numpy as np\nreturn x + np.random.normal(0, 1)", (3,),
     "without a size is one number"),
    ("a reduction over the batch", "return x.sum()", (3, 4), "reduces over the batch axis"),
    ("an index of the batch", "return x[0]", (3, 4), "indexes the batch axis"),
    ("an index outside the axis", "return x[:, 5]", (3, 4), "outside an axis of size 3"),
    ("indexing with a list", "return x[:, [0, 1]]", (3, 4), "indexing a tensor with a tensor, a list"),
    ("stack on the batch axis", "return torch.stack([x, x])", (3, 4), "moves or removes the batch axis"),
    ("states of the wrong shape", "h = torch.zeros(1, x.size(0), 16)\nout, _ = self.lstm(x, (h, h))\nreturn out",
     (7, 12), "the layer expects [2, batch, 16]"),
    ("states from the model", "out, (h, c) = self.lstm(x)\nout, _ = self.lstm(out[:, :, :12], (h, c))\nreturn out",
     (7, 12), "a layer is applied to something that is not a tensor"),
    ("an in-place step with a tensor of the model", "y = x * 2\ny.add_(x)\nreturn y", (3, 4),
     "write it as an assignment"),
    ("a per-sample scalar", "return x.mean(dim=[1, 2])", (3, 4), "one number per sample"),
    ("numel of a batch", "return x.view(x.numel())", (3, 4), ".numel() counts the batch"),
    ("matrices that do not multiply", "return x @ x", (3, 4), "do not multiply"),
    ("a range that does not fit", "return x + torch.arange(5)", (3, 4), "do not broadcast"),
    ("made tensors that do not join", "return x + torch.cat((torch.zeros(2, 3), torch.zeros(3, 2)), 1)", (2, 5),
     "do not concatenate"),
    ("a grid, ij, of the wrong shape", "y, z = torch.meshgrid(torch.arange(2), torch.arange(4))\nreturn x + y",
     (4, 2), "do not broadcast"),
    ("a range of step 0", "return x + torch.arange(0, 4, 0)", (3, 4), "step of 0"),
    ("a range as long as the batch", "return x + torch.arange(x.size(0))", (3, 4), "as long as the batch"),
    ("argmax of everything", "return torch.argmax(x)", (3, 4), "reduces over the batch axis"),
]


@pytest.mark.parametrize(("body", "shape", "words"), [c[1:] for c in TORCH_REFUSED],
                         ids=[c[0] for c in TORCH_REFUSED])
def test_an_operation_that_cannot_be_planned_is_refused_at_its_line(body, shape, words):
    with pytest.raises(SpecReadError) as caught:
        _torch(body, shape)
    assert words in caught.value.diagnostic.message
    assert caught.value.diagnostic.line is not None


def test_a_shape_without_the_input_says_how_to_give_it():
    text = _module("return x.view(x.size(0), x.size(1), -1)")
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "net.py", "Net")
    assert "-i SHAPE" in caught.value.diagnostic.message and caught.value.diagnostic.line == 11


def test_the_batch_axis_needs_no_shape():
    text = _module("return x.view(x.size(0), -1)")
    assert read_model(text, "net.py", "Net").data["layers"] == [{"name": "flatten", "type": "flatten"}]


TF1 = """import tensorflow as tf

images = tf.placeholder(tf.float32, (None, 28, 28, 1))
conv = tf.layers.conv2d(images, 8, 3, padding="same")
height, width = conv.get_shape().as_list()[1:3]
up = tf.image.resize_nearest_neighbor(conv, (height * 2, tf.shape(conv)[2] * 2))
pooled = tf.reduce_mean(up, axis=[1, 2])
"""

KERAS = """import keras
from keras import layers, ops
from keras import backend as K

inputs = keras.Input(shape=(20, 8))
x = layers.Dense(16)(inputs)
flat = layers.Reshape((x.shape[1] * K.int_shape(x)[-1],))(x)
out = layers.Dense(ops.shape(x)[-1])(flat)
model = keras.Model(inputs, out)
"""

POSITIONS = """import keras
from keras import layers, ops

inputs = keras.Input(shape=(10,))
tokens = layers.Embedding(input_dim=6, output_dim=4)(inputs)
positions = ops.arange(start=0, stop=10, step=1)
model = keras.Model(inputs, tokens + ops.cast(positions[:, None], "float32"))
"""


# (id, file text, NAME, -i, output, params): TensorFlow's and keras' shapes for the same code
FRAMEWORK_CASES = [
    ("tf1 static shapes", TF1, "pooled", None, [8], 80),
    ("tf1 static shapes under -i", TF1, "up", (14, 10, 1), [28, 20, 8], 80),
    ("keras shapes", KERAS, "model", None, [16], 144 + 5136),
    ("keras shapes under -i", KERAS, "model", (10, 8), [16], 144 + 2576),
    ("tf argmax of an axis", TF1 + "classes = tf.argmax(input=up, axis=3)\n", "classes", None, [56, 56], 80),
    ("tf argmax takes the first axis", TF1 + "classes = tf.argmax(up)\n", "classes", None, None, 80),
    ("keras positions from a range", POSITIONS, "model", None, [10, 4], 24),
    ("tf range", TF1 + "steps = tf.range(2, 9, 2)\nlonger = pooled[:, :4] + tf.cast(steps, tf.float32)\n",
     "longer", None, [4], 80),
]


@pytest.mark.parametrize(("text", "name", "shape", "output", "params"), [c[1:] for c in FRAMEWORK_CASES],
                         ids=[c[0] for c in FRAMEWORK_CASES])
def test_keras_and_tf1_shapes_are_numbers(text, name, shape, output, params):
    if output is None:  # tf.argmax(x) without an axis reduces the batch axis: refused, never guessed
        with pytest.raises(SpecReadError, match="batch axis"):
            read_model(text, "m.py", name, input_shape=shape)
        return
    report = plan_document(read_model(text, "m.py", name, input_shape=shape))
    assert (list(report.output), report.total_params) == (output, params)


def test_the_command_line_reads_the_code_with_the_input_given(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(_module("return x.view(x.size(0), x.size(1), -1)"))
    runner = CliRunner()
    shapes = [runner.invoke(cli, ["plan", f"{path}::Net", "-i", shape, "--format", "shape"]).output.strip()
              for shape in ("3x4x5", "2x6x6")]
    assert shapes == ["3x20", "2x36"]
    imported = runner.invoke(cli, ["import", f"{path}::Net", "-i", "2x6x6"]).output
    assert "target_shape: [2, -1]" in imported


def test_the_registry_serves_each_framework_spelling():
    for name in ("torch.exp", "Tensor.exp", "tensorflow.exp", "tensorflow.math.exp", "keras.ops.exp",
                 "torch.mean", "Tensor.mean", "tensorflow.reduce_mean", "keras.ops.mean", "torch.zeros",
                 "torch.randn_like", "tensorflow.zeros", "Tensor.to", "Tensor.size", "torch.stack",
                 "torch.matmul", "torch.nn.functional.pad"):
        assert rule_for(name) is not None, name
    assert {rule.what for rule in OPERATIONS.values()} >= {"elementwise", "reduction", "creation", "identity",
                                                          "shape", "stack", "matmul", "padding"}


@pytest.mark.parametrize(("shapes", "result"), [
    ([(BatchSize(), 8, 1), (1, 5)], (BatchSize(), 8, 5)),
    ([(BatchSize(), 3), (3,)], (BatchSize(), 3)),
    ([(4, 1), (1, 6)], (4, 6)),
])
def test_broadcast_follows_numpy(shapes, result):
    assert broadcast(shapes, None) == result


def test_a_computed_custom_layer_is_not_on_trust_but_a_stated_one_is():
    from layerplan.planner.plan import plan_only

    def codes(computed_for):
        layer = {"lambda": {"output": [16], "function": "out[:, -1, :]", **computed_for}}
        return [d.code for d in plan_only({"input": [7, 16], "layers": [layer]}).diagnostics]

    assert codes({"computed_for": [[7, 16]]}) == []
    assert codes({"computed_for": [[9, 16]]}) == ["LP330"]
    assert codes({}) == ["LP330"]
