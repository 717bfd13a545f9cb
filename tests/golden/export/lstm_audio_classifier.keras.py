"""lstm-audio-classifier: written by layerplan export from examples/lstm_audio_classifier.yaml (keras, 277,196 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (100, 40)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv1D(  # (100, 64)
                64, 5, padding="same", activation="relu", name="front1"
            ),
            layers.BatchNormalization(),  # (100, 64)
            layers.MaxPooling1D(2),  # (50, 64)
            layers.Conv1D(  # (50, 128)
                128, 3, padding="same", activation="relu", name="front2"
            ),
            layers.MaxPooling1D(2),  # (25, 128)
            layers.SpatialDropout1D(0.1),  # (25, 128)
            layers.Bidirectional(  # (25, 192)
                layers.LSTM(96, return_sequences=True), name="lstm1"
            ),
            layers.LSTM(64, name="lstm2"),  # (64,)
            layers.Dropout(0.3),  # (64,)
            layers.Dense(12, activation="softmax", name="classes"),  # (12,)
        ],
        name="lstm-audio-classifier",
    )


if __name__ == "__main__":
    build_model().summary()
