"""rgb-conv-autoencoder: written by layerplan export from examples/conv_autoencoder_128.yaml (keras, 206,995 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (128, 128, 3)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv2D(  # (128, 128, 32)
                32, 3, padding="same", activation="relu", name="enc1"
            ),
            layers.MaxPooling2D(2),  # (64, 64, 32)
            layers.Conv2D(  # (64, 64, 64)
                64, 3, padding="same", activation="relu", name="enc2"
            ),
            layers.MaxPooling2D(2),  # (32, 32, 64)
            layers.Conv2D(  # (32, 32, 128)
                128, 3, padding="same", activation="relu", name="enc3"
            ),
            layers.MaxPooling2D(2),  # (16, 16, 128)
            layers.Conv2D(16, 1, name="code"),  # (16, 16, 16)
            layers.Conv2DTranspose(  # (32, 32, 128)
                128, 3, strides=2, padding="same", activation="relu"
            ),
            layers.Conv2DTranspose(  # (64, 64, 64)
                64, 3, strides=2, padding="same", activation="relu"
            ),
            layers.Conv2DTranspose(  # (128, 128, 32)
                32, 3, strides=2, padding="same", activation="relu"
            ),
            layers.Conv2D(  # (128, 128, 3)
                3, 3, padding="same", activation="sigmoid", name="reconstruction"
            ),
        ],
        name="rgb-conv-autoencoder",
    )


if __name__ == "__main__":
    build_model().summary()
