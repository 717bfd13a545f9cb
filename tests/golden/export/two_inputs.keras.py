"""image-and-metadata: written by layerplan export from examples/two_inputs.yaml (keras, 6,865 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = {"image": (64, 64, 3), "metadata": (10,)}


def build_model():
    image = keras.Input(shape=INPUT_SHAPE["image"], name="image")
    metadata = keras.Input(shape=INPUT_SHAPE["metadata"], name="metadata")
    x = layers.Conv2D(16, 3, strides=2, padding="same")(image)  # (32, 32, 16)
    x = layers.ReLU()(x)  # (32, 32, 16)
    x = layers.Conv2D(32, 3, strides=2, padding="same")(x)  # (16, 16, 32)
    x = layers.ReLU()(x)  # (16, 16, 32)
    image_features = layers.GlobalAveragePooling2D(name="image_features")(x)  # (32,)
    x = layers.Dense(16)(metadata)  # (16,)
    x = layers.ReLU(name="metadata_features")(x)  # (16,)
    x = layers.Concatenate(axis=1)([image_features, x])  # (48,)
    x = layers.Dense(32, activation="relu")(x)  # (32,)
    x = layers.Dense(1, name="score")(x)  # (1,)
    return keras.Model([image, metadata], x, name="image-and-metadata")


if __name__ == "__main__":
    build_model().summary()
