"""The name of a model read from code: the model's own, never the variable of the tensor it outputs."""

import pytest

from layerplan.planner.model_code import read_model

KERAS = "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n" \
        "x_in = keras.Input(shape=(28, 28, 1))\nx = layers.Flatten()(x_in)\nencoded = layers.Dense(32)(x)\n"
TF1 = "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, (None, 28, 28, 1))\n" \
      "h = tf.layers.conv2d(x, 8, 3)\nencoded = tf.layers.flatten(h)\n"


@pytest.mark.parametrize("text, file, name", [
    (KERAS, "cvae.py", "cvae"),  # layers applied to an input: the file's model
    (TF1, "models/tf1_encoder.py", "tf1_encoder"),
    (KERAS + "encoder = keras.Model(x_in, encoded)\n", "cvae.py", "encoder"),
    (KERAS + 'encoder = keras.Model(x_in, encoded, name="vae_encoder")\n', "cvae.py", "vae_encoder"),
    ("from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
     'net = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)], name="head")\n', "m.py", "head"),
    ("import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
     "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n", "m.py", "Net"),
])
def test_a_model_is_named_after_the_model(text, file, name):
    assert read_model(text, file).data["name"] == name


def test_a_model_picked_by_name_keeps_that_name():
    assert read_model(KERAS, "cvae.py", "encoded").data["name"] == "encoded"
