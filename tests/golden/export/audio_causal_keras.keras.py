"""causal-audio: written by layerplan export from examples/audio_causal_keras.yaml (keras, 6,369 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (16000, 1)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv1D(32, 2, padding="causal"),  # (16000, 32)
            layers.Conv1D(32, 2, padding="causal", dilation_rate=2),  # (16000, 32)
            layers.Conv1D(32, 2, padding="causal", dilation_rate=4),  # (16000, 32)
            layers.Conv1D(32, 2, padding="causal", dilation_rate=8),  # (16000, 32)
            layers.Conv1D(1, 1),  # (16000, 1)
        ],
        name="causal-audio",
    )


if __name__ == "__main__":
    build_model().summary()
