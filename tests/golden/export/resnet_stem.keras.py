"""resnet-stem: written by layerplan export from examples/resnet_stem.yaml (keras, 9,664 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (224, 224, 3)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv2D(  # (112, 112, 64)
                64, 7, strides=2, padding="same", use_bias=False, name="conv1"
            ),
            layers.BatchNormalization(  # (112, 112, 64)
                momentum=0.9, epsilon=1e-05, name="bn1"
            ),
            layers.ReLU(),  # (112, 112, 64)
            layers.MaxPooling2D(  # (56, 56, 64)
                3, strides=2, padding="same", name="maxpool"
            ),
        ],
        name="resnet-stem",
    )


if __name__ == "__main__":
    build_model().summary()
