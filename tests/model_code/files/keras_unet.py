"""A small keras U-Net: helper functions for the blocks, Conv2DTranspose and concatenate skips."""
from tensorflow import keras
from tensorflow.keras import layers

IMG = 64


def down(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    skip = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D(2)(skip), skip


def up(x, skip, filters):
    x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
    x = layers.concatenate([x, skip])
    return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)


def unet(classes=3):
    inputs = keras.Input((IMG, IMG, 1))
    x, s1 = down(inputs, 8)
    x, s2 = down(x, 16)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = up(x, s2, 16)
    x = up(x, s1, 8)
    outputs = layers.Conv2D(classes, 1, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="unet")
