"""unet-encoder: written by layerplan export from examples/unet_encoder.yaml (keras, 18,842,048 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (572, 572, 1)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv2D(64, 3),  # (570, 570, 64)
            layers.ReLU(),  # (570, 570, 64)
            layers.Conv2D(64, 3),  # (568, 568, 64)
            layers.ReLU(),  # (568, 568, 64)
            layers.MaxPooling2D(2),  # (284, 284, 64)
            layers.Conv2D(128, 3),  # (282, 282, 128)
            layers.ReLU(),  # (282, 282, 128)
            layers.Conv2D(128, 3),  # (280, 280, 128)
            layers.ReLU(),  # (280, 280, 128)
            layers.MaxPooling2D(2),  # (140, 140, 128)
            layers.Conv2D(256, 3),  # (138, 138, 256)
            layers.ReLU(),  # (138, 138, 256)
            layers.Conv2D(256, 3),  # (136, 136, 256)
            layers.ReLU(),  # (136, 136, 256)
            layers.MaxPooling2D(2),  # (68, 68, 256)
            layers.Conv2D(512, 3),  # (66, 66, 512)
            layers.ReLU(),  # (66, 66, 512)
            layers.Conv2D(512, 3),  # (64, 64, 512)
            layers.ReLU(),  # (64, 64, 512)
            layers.MaxPooling2D(2),  # (32, 32, 512)
            layers.Conv2D(1024, 3),  # (30, 30, 1024)
            layers.ReLU(),  # (30, 30, 1024)
            layers.Conv2D(1024, 3),  # (28, 28, 1024)
            layers.ReLU(),  # (28, 28, 1024)
        ],
        name="unet-encoder",
    )


if __name__ == "__main__":
    build_model().summary()
