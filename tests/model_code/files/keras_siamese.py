"""A keras siamese pair: one Conv2D and one Dense, each called on both inputs (their weights are shared)."""
import keras
from keras import layers

left = keras.Input(shape=(28, 28, 1), name="left")
right = keras.Input(shape=(28, 28, 1), name="right")
conv = layers.Conv2D(8, 3, activation="relu")
pool = layers.GlobalAveragePooling2D()
dense = layers.Dense(16)
a = dense(pool(conv(left)))
b = dense(pool(conv(right)))
distance = layers.subtract([a, b])
score = layers.Dense(1, activation="sigmoid")(distance)
model = keras.Model(inputs=[left, right], outputs=score)
model.compile(optimizer="adam", loss="binary_crossentropy")
