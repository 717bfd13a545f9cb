"""resnet-stem: written by layerplan export from examples/resnet_stem.yaml (keras, 9,664 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (224, 224, 3)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            # (112, 112, 64)
            layers.Conv2D(
                64, 7, strides=2, padding="same", use_bias=False, name="conv1"
            ),
            # (112, 112, 64)
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05, name="bn1"),
            layers.ReLU(),  # (112, 112, 64)
            # (56, 56, 64)
            layers.MaxPooling2D(3, strides=2, padding="same", name="maxpool"),
        ],
        name="resnet-stem",
    )


if __name__ == "__main__":
    build_model().summary()
