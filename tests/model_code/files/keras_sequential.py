"""A keras Sequential CNN with its compile and fit calls."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

FILTERS = 32

model = keras.Sequential([
    layers.Conv2D(FILTERS, (3, 3), activation="relu", input_shape=(28, 28, 1)),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(FILTERS * 2, 3, activation="relu"),
    layers.MaxPooling2D(pool_size=2),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

if __name__ == "__main__":
    x = np.zeros((8, 28, 28, 1))
    model.fit(x, np.zeros(8), epochs=1)
