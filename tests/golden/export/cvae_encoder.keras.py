"""CVAE encoder: written by layerplan export from examples/cvae_encoder.yaml (keras, 28,036 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (28, 28, 1)


def build_model():
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Conv2D(32, 3, strides=2, activation="relu")(inputs)  # (13, 13, 32)
    x = layers.Conv2D(64, 3, strides=2, activation="relu")(x)  # (6, 6, 64)
    x = layers.Flatten()(x)  # (2304,)
    x = layers.Dense(4, name="encoded")(x)  # (4,)
    mean, logvar = keras.ops.split(x, 2, axis=1)  # (2,), (2,)
    return keras.Model(inputs, [mean, logvar], name="CVAE encoder")


if __name__ == "__main__":
    build_model().summary()
