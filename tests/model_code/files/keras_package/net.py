"""A keras model whose sizes come from another module of its own package, imported absolutely."""

from keras import layers
from keras import Model

from keras_package import sizes


def build(classes=10):
    inputs = layers.Input(shape=sizes.image_shape(16))
    x = layers.Conv2D(sizes.WIDTH, 3, activation="relu")(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(classes)(x)
    return Model(inputs, outputs)
