"""mnist-autoencoder-skip: written by layerplan export from examples/autoencoder_skip.yaml (keras, 16,825 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (28, 28, 1)


def build_model():
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Conv2D(  # (28, 28, 32)
        32, 3, padding="same", activation="relu", name="enc1"
    )(inputs)
    x = layers.MaxPooling2D(2)(x)  # (14, 14, 32)
    enc2 = layers.Conv2D(  # (14, 14, 16)
        16, 3, padding="same", activation="relu", name="enc2"
    )(x)
    x = layers.MaxPooling2D(2)(enc2)  # (7, 7, 16)
    x = layers.Conv2D(  # (7, 7, 8)
        8, 3, padding="same", activation="relu", name="code"
    )(x)
    x = layers.UpSampling2D()(x)  # (14, 14, 8)
    x = layers.Conv2D(  # (14, 14, 16)
        16, 3, padding="same", activation="relu", name="dec2"
    )(x)
    x = layers.Concatenate(name="skip")([x, enc2])  # (14, 14, 32)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)  # (14, 14, 16)
    x = layers.UpSampling2D()(x)  # (28, 28, 16)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)  # (28, 28, 32)
    x = layers.Conv2D(  # (28, 28, 1)
        1, 3, padding="same", activation="sigmoid", name="reconstruction"
    )(x)
    return keras.Model(inputs, x, name="mnist-autoencoder-skip")


if __name__ == "__main__":
    build_model().summary()
