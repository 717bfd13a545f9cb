"""transformer-encoder-conv-stem: written by layerplan export from examples/transformer_encoder_conv_stem.yaml (keras, 67,978 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (64, 64, 3)


def build_model():
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Conv2D(  # (32, 32, 32)
        32, 3, strides=2, padding="same", activation="gelu", name="stem1"
    )(inputs)
    x = layers.Conv2D(64, 4, strides=4, name="stem2")(x)  # (8, 8, 64)
    tokens = layers.Reshape((64, 64), name="tokens")(x)  # (64, 64)
    x = layers.LayerNormalization(epsilon=1e-06, name="norm1")(tokens)  # (64, 64)
    x = layers.MultiHeadAttention(4, 16, dropout=0.1, name="attention")(  # (64, 64)
        x, x
    )
    residual1 = layers.Add(name="residual1")([x, tokens])  # (64, 64)
    x = layers.LayerNormalization(epsilon=1e-06, name="norm2")(residual1)  # (64, 64)
    x = layers.Dense(128, activation="gelu", name="ffn1")(x)  # (64, 128)
    x = layers.Dense(64, name="ffn2")(x)  # (64, 64)
    x = layers.Add(name="residual2")([x, residual1])  # (64, 64)
    x = layers.LayerNormalization(name="norm3")(x)  # (64, 64)
    x = layers.GlobalAveragePooling1D(name="pool")(x)  # (64,)
    x = layers.Dense(10, activation="softmax", name="classes")(x)  # (10,)
    return keras.Model(inputs, x, name="transformer-encoder-conv-stem")


if __name__ == "__main__":
    build_model().summary()
