"""A functional model with two inputs, built in a function that returns it."""
from tensorflow.keras.layers import Concatenate, Conv2D as C, Dense, Flatten, Input, MaxPooling2D
from tensorflow.keras.models import Model


def build_model():
    image = Input(shape=(32, 32, 3), name="image")
    meta = Input(shape=(8,), name="meta")
    x = C(16, 3, strides=2, padding="same", activation="relu")(image)
    x = MaxPooling2D()(x)
    x = Flatten()(x)
    m = Dense(16, activation="relu")(meta)
    both = Concatenate()([x, m])
    out = Dense(1, activation="sigmoid", name="score")(both)
    return Model(inputs=[image, meta], outputs=out)
