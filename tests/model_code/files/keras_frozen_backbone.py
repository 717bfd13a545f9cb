"""Transfer learning: a functional backbone built by a function, frozen as a whole."""
import keras
from keras import layers


def backbone():
    inputs = keras.Input(shape=(16, 16, 3))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Conv2D(8, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, x, name="backbone")


base = backbone()
base.trainable = False
