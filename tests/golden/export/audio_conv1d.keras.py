"""audio-m5: written by layerplan export from examples/audio_conv1d.yaml (keras, 573,987 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (16000, 1)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv1D(128, 80, strides=4),  # (3981, 128)
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (3981, 128)
            layers.ReLU(),  # (3981, 128)
            layers.MaxPooling1D(4),  # (995, 128)
            layers.Conv1D(128, 3),  # (993, 128)
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (993, 128)
            layers.ReLU(),  # (993, 128)
            layers.MaxPooling1D(4),  # (248, 128)
            layers.Conv1D(256, 3),  # (246, 256)
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (246, 256)
            layers.ReLU(),  # (246, 256)
            layers.MaxPooling1D(4),  # (61, 256)
            layers.Conv1D(512, 3),  # (59, 512)
            layers.BatchNormalization(momentum=0.9, epsilon=1e-05),  # (59, 512)
            layers.ReLU(),  # (59, 512)
            layers.MaxPooling1D(4),  # (14, 512)
            layers.GlobalAveragePooling1D(),  # (512,)
            layers.Dense(35),  # (35,)
        ],
        name="audio-m5",
    )


if __name__ == "__main__":
    build_model().summary()
