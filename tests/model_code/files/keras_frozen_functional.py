"""A functional keras model whose feature layers are frozen after it is built."""
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
conv = layers.Conv2D(8, 3, activation="relu")
x = conv(inputs)
norm = layers.BatchNormalization()
x = norm(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)

conv.trainable = False
norm.trainable = False
