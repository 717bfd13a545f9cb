import keras
from keras import layers

N_MELS = 40

model = keras.Sequential(
    [
        keras.Input(shape=(16000, 1)),
        layers.Conv1D(16, 80, strides=4, activation="relu"),
        layers.MaxPooling1D(4),
        layers.Conv1D(32, 3, padding="causal", activation="relu"),
        layers.MaxPooling1D(4),
        layers.Conv1D(N_MELS, 3, padding="same"),
        layers.GlobalAveragePooling1D(),
        layers.Dense(12, activation="softmax"),
    ]
)
