"""A keras model with a frozen embedding, a frozen block of its Sequential and a frozen batch norm."""
import keras
from keras import layers

vocabulary, width = 300, 8

model = keras.Sequential(
    [
        keras.Input(shape=(12,)),
        layers.Embedding(vocabulary, width, trainable=False),
        layers.Conv1D(16, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.GlobalMaxPooling1D(),
        layers.Dense(16, activation="relu"),
        layers.Dense(3, activation="softmax"),
    ],
    name="frozen_reader",
)
for layer in model.layers[1:3]:
    layer.trainable = False
model.layers[3].trainable = True
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
