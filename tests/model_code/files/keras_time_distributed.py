"""The functional API with layers applied to every step: a shared per-step projection, a frame encoder
wrapped twice over clips of frames, and a per-step classifier on an LSTM's sequence."""
import keras
from keras import layers

clips = keras.Input(shape=(3, 4, 13, 13, 1), name="clips")
x = layers.TimeDistributed(layers.TimeDistributed(layers.Conv2D(4, 3, strides=2)), name="frame_conv")(clips)
x = layers.TimeDistributed(layers.TimeDistributed(layers.GlobalAveragePooling2D()), name="frame_pool")(x)
x = layers.TimeDistributed(layers.Flatten(), name="clip_features")(x)
x = layers.TimeDistributed(layers.Dense(10, activation="relu"), name="project")(x)
x = layers.LSTM(6, return_sequences=True)(x)
outputs = layers.TimeDistributed(layers.Dense(2, activation="softmax"), name="per_step")(x)
model = keras.Model(clips, outputs)
