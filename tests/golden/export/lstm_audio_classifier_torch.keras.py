"""lstm-audio-classifier-torch: written by layerplan export from examples/lstm_audio_classifier_torch.yaml (keras, 198,092 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (100, 40)


def build_model():
    inputs = keras.Input(shape=INPUT_SHAPE)
    # (100, 64)
    x = layers.Conv1D(64, 5, padding="same", activation="relu", name="front1")(inputs)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-05)(x)  # (100, 64)
    x = layers.MaxPooling1D(2)(x)  # (50, 64)
    # (50, 128)
    x = layers.Conv1D(128, 3, padding="same", activation="relu", name="front2")(x)
    x = layers.MaxPooling1D(2)(x)  # (25, 128)
    x = layers.SpatialDropout1D(0.1)(x)  # (25, 128)
    x = keras.ops.swapaxes(x, 2, 1)  # (128, 25)
    # (128, 192)
    x = layers.Bidirectional(layers.LSTM(96, return_sequences=True), name="lstm1")(x)
    # (128, 64), (64,), (64,)
    lstm2, lstm2_h, lstm2_c = layers.LSTM(
        64, return_sequences=True, return_state=True, name="lstm2"
    )(x)
    x = layers.Flatten(name="last")(lstm2_h)  # (64,)
    x = layers.Dropout(0.3)(x)  # (64,)
    classes = layers.Dense(12, name="classes")(x)  # (12,)
    return keras.Model(inputs, classes, name="lstm-audio-classifier-torch")


if __name__ == "__main__":
    build_model().summary()
