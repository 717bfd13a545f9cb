"""dcgan-generator: written by layerplan export from examples/dcgan_generator.yaml (keras, 3,578,624 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (1, 1, 100)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv2DTranspose(512, 4, use_bias=False),  # (4, 4, 512)
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (4, 4, 512)
            layers.ReLU(),  # (4, 4, 512)
            layers.Conv2DTranspose(  # (8, 8, 256)
                256, 4, strides=2, padding="same", use_bias=False
            ),
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (8, 8, 256)
            layers.ReLU(),  # (8, 8, 256)
            layers.Conv2DTranspose(  # (16, 16, 128)
                128, 4, strides=2, padding="same", use_bias=False
            ),
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (16, 16, 128)
            layers.ReLU(),  # (16, 16, 128)
            layers.Conv2DTranspose(  # (32, 32, 64)
                64, 4, strides=2, padding="same", use_bias=False
            ),
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (32, 32, 64)
            layers.ReLU(),  # (32, 32, 64)
            layers.Conv2DTranspose(  # (64, 64, 3)
                3, 4, strides=2, padding="same", use_bias=False
            ),
            layers.Activation("tanh"),  # (64, 64, 3)
        ],
        name="dcgan-generator",
    )


if __name__ == "__main__":
    build_model().summary()
