"""unet-same-256: written by layerplan export from examples/unet_same_256.yaml (keras, 7,846,657 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (256, 256, 3)


def build_model():
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(  # (256, 256, 32)
        inputs
    )
    enc1 = layers.Conv2D(  # (256, 256, 32)
        32, 3, padding="same", activation="relu", name="enc1"
    )(x)
    x = layers.MaxPooling2D(2)(enc1)  # (128, 128, 32)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)  # (128, 128, 64)
    enc2 = layers.Conv2D(  # (128, 128, 64)
        64, 3, padding="same", activation="relu", name="enc2"
    )(x)
    x = layers.MaxPooling2D(2)(enc2)  # (64, 64, 64)
    x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)  # (64, 64, 128)
    enc3 = layers.Conv2D(  # (64, 64, 128)
        128, 3, padding="same", activation="relu", name="enc3"
    )(x)
    x = layers.MaxPooling2D(2)(enc3)  # (32, 32, 128)
    x = layers.Conv2D(256, 3, padding="same", activation="relu")(x)  # (32, 32, 256)
    enc4 = layers.Conv2D(  # (32, 32, 256)
        256, 3, padding="same", activation="relu", name="enc4"
    )(x)
    x = layers.MaxPooling2D(2)(enc4)  # (16, 16, 256)
    x = layers.Conv2D(512, 3, padding="same", activation="relu")(x)  # (16, 16, 512)
    x = layers.Conv2D(  # (16, 16, 512)
        512, 3, padding="same", activation="relu", name="bottom"
    )(x)
    x = layers.UpSampling2D(name="up4")(x)  # (32, 32, 512)
    x = layers.Concatenate()([x, enc4])  # (32, 32, 768)
    x = layers.Conv2D(256, 3, padding="same", activation="relu")(x)  # (32, 32, 256)
    x = layers.Conv2D(256, 3, padding="same", activation="relu")(x)  # (32, 32, 256)
    x = layers.UpSampling2D(name="up3")(x)  # (64, 64, 256)
    x = layers.Concatenate()([x, enc3])  # (64, 64, 384)
    x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)  # (64, 64, 128)
    x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)  # (64, 64, 128)
    x = layers.UpSampling2D(name="up2")(x)  # (128, 128, 128)
    x = layers.Concatenate()([x, enc2])  # (128, 128, 192)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)  # (128, 128, 64)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)  # (128, 128, 64)
    x = layers.UpSampling2D(name="up1")(x)  # (256, 256, 64)
    x = layers.Concatenate()([x, enc1])  # (256, 256, 96)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)  # (256, 256, 32)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)  # (256, 256, 32)
    x = layers.Conv2D(1, 1, activation="sigmoid", name="mask")(x)  # (256, 256, 1)
    return keras.Model(inputs, x, name="unet-same-256")


if __name__ == "__main__":
    build_model().summary()
