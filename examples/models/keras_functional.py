"""A functional keras model with a helper that takes and returns tensors, a skip and two merges."""
from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, filters, name):
    x = layers.Conv2D(filters, 3, padding="same", name=name + "_conv")(x)
    x = layers.BatchNormalization(name=name + "_bn")(x)
    return layers.Activation("relu", name=name + "_relu")(x)


inputs = keras.Input(shape=(64, 64, 3), name="image")
x = conv_block(inputs, 16, "block1")
skip = x
x = conv_block(x, 16, "block2")
x = layers.add([x, skip])
x = layers.MaxPooling2D(2)(x)
branch_a = layers.Conv2D(8, 1)(x)
branch_b = layers.Conv2D(8, 3, padding="same")(x)
x = layers.concatenate([branch_a, branch_b])
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(4, activation="softmax", name="scores")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy")
