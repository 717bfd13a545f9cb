"""shufflenet-v2-unit: written by layerplan export from examples/shufflenet_v2_unit.yaml (keras, 15,856 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (56, 56, 24)


def build_model():
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Conv2D(  # (28, 28, 24)
        24, 3, strides=2, padding="same", groups=24, use_bias=False, name="b1_dw"
    )(inputs)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (28, 28, 24)
    x = layers.Conv2D(58, 1, use_bias=False)(x)  # (28, 28, 58)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (28, 28, 58)
    branch1 = layers.ReLU(name="branch1")(x)  # (28, 28, 58)
    x = layers.Conv2D(58, 1, use_bias=False)(inputs)  # (56, 56, 58)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (56, 56, 58)
    x = layers.ReLU()(x)  # (56, 56, 58)
    x = layers.Conv2D(  # (28, 28, 58)
        58, 3, strides=2, padding="same", groups=58, use_bias=False
    )(x)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (28, 28, 58)
    x = layers.Conv2D(58, 1, use_bias=False)(x)  # (28, 28, 58)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (28, 28, 58)
    x = layers.ReLU(name="branch2")(x)  # (28, 28, 58)
    x = layers.Concatenate()([branch1, x])  # (28, 28, 116)
    x = layers.Reshape((58, 28, 28, 2))(x)  # (58, 28, 28, 2)
    x = keras.ops.swapaxes(x, 4, 1)  # (2, 28, 28, 58)
    x = layers.Reshape((28, 28, 116), name="unit1")(x)  # (28, 28, 116)
    halves_0, x = keras.ops.split(x, 2, axis=3)  # (28, 28, 58), (28, 28, 58)
    x = layers.Conv2D(58, 1, use_bias=False)(x)  # (28, 28, 58)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (28, 28, 58)
    x = layers.ReLU()(x)  # (28, 28, 58)
    x = layers.Conv2D(58, 3, padding="same", groups=58, use_bias=False)(  # (28, 28, 58)
        x
    )
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (28, 28, 58)
    x = layers.Conv2D(58, 1, use_bias=False)(x)  # (28, 28, 58)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (28, 28, 58)
    x = layers.ReLU(name="unit2_branch")(x)  # (28, 28, 58)
    x = layers.Concatenate()([halves_0, x])  # (28, 28, 116)
    x = layers.Reshape((58, 28, 28, 2))(x)  # (58, 28, 28, 2)
    x = keras.ops.swapaxes(x, 4, 1)  # (2, 28, 28, 58)
    x = layers.Reshape((28, 28, 116), name="unit2")(x)  # (28, 28, 116)
    return keras.Model(inputs, x, name="shufflenet-v2-unit")


if __name__ == "__main__":
    build_model().summary()
