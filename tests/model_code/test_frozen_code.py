"""Freezing in model code: what torch (`requires_grad`) and keras (`trainable`) freeze is read as the
spec's `trainable: false`, so the plan counts trainable and non-trainable parameters as the framework
does; a freeze of part of a layer's weights is refused at its line (planner/model_code/frozen.py)."""

import pytest

from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model

from cases import FILES

#: (file, NAME, trainable params, non-trainable params): the framework's counts
#: (tests/oracle/test_model_code_oracle.py checks them against torch and keras)
FILE_COUNTS = [
    ("torch_frozen.py", "FrozenTextNet", 60, 8756),
    ("torch_finetune.py", "FineTune", 85, 768),
    ("keras_frozen.py", "model", 323, 2864),
    ("keras_frozen_functional.py", "model", 90, 256),
    ("keras_frozen_backbone.py", "base", 0, 840),
]


def _report(text: str, name: str | None, shape=None):
    report = plan_document(read_model(text, "net.py", name, input_shape=shape))
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    return report


@pytest.mark.parametrize(("file", "name", "trainable", "fixed"), FILE_COUNTS, ids=[c[0] for c in FILE_COUNTS])
def test_model_file_counts_what_is_frozen(file, name, trainable, fixed):
    report = _report((FILES / file).read_text(), name)
    assert (report.trainable_params, report.non_trainable_params) == (trainable, fixed)


TORCH = "import torch\nfrom torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n" \
        "        super().__init__()\n        self.fc = nn.Linear(8, 4)\n        self.out = nn.Linear(4, 2)\n"
FORWARD = "\n    def forward(self, x):\n        return self.out(self.fc(x))\n"
KERAS = "import keras\nfrom keras import layers\n\n"
KERAS_MODEL = KERAS + "fc = layers.Dense(4)\nmodel = keras.Sequential([keras.Input(shape=(8,)), fc, layers.Dense(2)])\n"

#: (id, code, NAME, (trainable, non-trainable)): fc has 36 params, out 10
READ = [
    ("requires_grad_ on a layer", TORCH + "        self.fc.requires_grad_(False)\n" + FORWARD, "Net", (10, 36)),
    ("requires_grad_ keyword", TORCH + "        self.fc.requires_grad_(requires_grad=False)\n" + FORWARD, "Net",
     (10, 36)),
    ("requires_grad_ without argument", TORCH + "        self.fc.requires_grad_(False)\n"
     "        self.fc.requires_grad_()\n" + FORWARD, "Net", (46, 0)),
    ("every parameter", TORCH + "        for p in self.parameters():\n            p.requires_grad = False\n"
     + FORWARD, "Net", (0, 46)),
    ("every parameter, by a method", TORCH + "        for p in self.parameters():\n"
     "            p.requires_grad_(False)\n" + FORWARD, "Net", (0, 46)),
    ("the model object itself", TORCH + "        self.requires_grad_(False)\n" + FORWARD, "Net", (0, 46)),
    ("frozen after construction", TORCH + FORWARD + "\n\nmodel = Net()\nmodel.out.requires_grad_(False)\n",
     "model", (36, 10)),
    ("a tensor's flag in forward is not a freeze", TORCH + "\n    def forward(self, x):\n"
     "        x.requires_grad_(True)\n        return self.out(self.fc(x))\n", "Net", (46, 0)),
    ("a weight that is all of a layer's weights", TORCH.replace("nn.Linear(8, 4)", "nn.Linear(8, 4, bias=False)")
     + "        self.fc.weight.requires_grad = False\n" + FORWARD, "Net", (10, 32)),
    ("a keras layer argument", KERAS + "model = keras.Sequential([keras.Input(shape=(8,)), "
     "layers.Dense(4, trainable=False), layers.Dense(2, trainable=True)])\n", "model", (10, 36)),
    ("a keras layer object", KERAS_MODEL + "fc.trainable = False\n", "model", (10, 36)),
    ("a keras model's layers", KERAS_MODEL + "model.layers[-1].trainable = False\n", "model", (36, 10)),
    ("a whole keras Sequential", KERAS_MODEL + "model.trainable = False\n", "model", (0, 46)),
    ("a whole keras Sequential, trainable again", KERAS_MODEL + "model.trainable = False\nmodel.trainable = True\n"
     "fc.trainable = True\n", "model", (46, 0)),
    ("a frozen keras batch norm", KERAS + "model = keras.Sequential([keras.Input(shape=(8,)), "
     "layers.BatchNormalization(trainable=False)])\n", "model", (0, 32)),
]


@pytest.mark.parametrize(("text", "name", "counts"), [c[1:] for c in READ], ids=[c[0] for c in READ])
def test_freezing_is_read(text, name, counts):
    report = _report(text, name, (8,) if "torch" in text else None)
    assert (report.trainable_params, report.non_trainable_params) == counts


#: (id, code, NAME, words of the message, line)
REFUSED = [
    ("a bias alone", TORCH + "        self.fc.bias.requires_grad = False\n" + FORWARD, "Net",
     "freezes only the bias of self.fc (a dense), not its weight", 10),
    ("a weight beside a bias", TORCH + "        self.fc.weight.requires_grad = False\n" + FORWARD, "Net",
     "freezes only the weight of self.fc", 10),
    ("parameters chosen by name", TORCH + "        for name, p in self.named_parameters():\n"
     "            if name.startswith('fc'):\n                p.requires_grad = False\n" + FORWARD, "Net",
     "sets requires_grad on some of self's parameters", 10),
    ("a flag the reader cannot compute", "from config import FREEZE\n" + TORCH
     + "        self.fc.requires_grad_(FREEZE)\n" + FORWARD, "Net", "must be True or False here", 11),
    ("a loop that does more", TORCH + "        for p in self.fc.parameters():\n            p.requires_grad = False\n"
     "            print(p)\n" + FORWARD, "Net", "or does more than set it", 10),
    ("a tensor held by a name", TORCH + "        weight = self.fc.weight\n"
     "        weight.requires_grad = False\n" + FORWARD, "Net", "cannot tie to a layer's weights", 11),
    ("layers of a functional model", KERAS + "inputs = keras.Input(shape=(8,))\n"
     "model = keras.Model(inputs, layers.Dense(2)(inputs))\nmodel.layers[1].trainable = False\n", "model",
     "is read for a keras Sequential, not a functional Model", 6),
    ("a keras layer trainable inside a frozen Sequential", KERAS_MODEL + "model.trainable = False\n"
     "model.layers[0].trainable = True\n", "model", "inside a model or Sequential frozen as a whole", 7),
    ("a keras layer trainable inside a frozen functional model", KERAS + "inputs = keras.Input(shape=(8,))\n"
     "fc = layers.Dense(2)\nmodel = keras.Model(inputs, fc(inputs))\nmodel.trainable = False\n"
     "fc.trainable = True\n", "model", "inside a model or Sequential frozen as a whole", 8),
    ("a part of a frozen keras model trainable again", KERAS + "inner = keras.Sequential([layers.Dense(4)])\n"
     "model = keras.Sequential([keras.Input(shape=(8,)), inner, layers.Dense(2)])\nmodel.trainable = False\n"
     "inner.trainable = True\n", "model", "inside a model or Sequential frozen as a whole", 7),
    ("a keras trainable by a name", KERAS + "model = keras.Sequential([keras.Input(shape=(8,)), "
     "layers.Dense(4, trainable='no')])\n", "model", "trainable must be True or False", 4),
]


@pytest.mark.parametrize(("text", "name", "words", "line"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_freeze_of_part_of_a_layer_is_refused_at_its_line(text, name, words, line):
    with pytest.raises(SpecReadError) as caught:
        report = plan_document(read_model(text, "net.py", name, input_shape=(8,) if "torch" in text else None))
        errors = [d for d in report.diagnostics if d.is_error]
        assert errors
        raise SpecReadError(errors[0])
    diagnostic = caught.value.diagnostic
    assert words in diagnostic.message
    if line is not None:
        assert diagnostic.line == line
