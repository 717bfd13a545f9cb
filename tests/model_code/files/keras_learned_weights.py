"""A keras model with a custom layer whose weight is made in build(), a Normalization layer that holds
adapted statistics, one with fixed statistics, and PReLU with shared axes."""

import keras
from keras import layers


class ChannelScale(layers.Layer):
    def __init__(self, start=1e-2, **kwargs):
        super().__init__(**kwargs)
        self.start = start

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(input_shape[-1],), initializer=keras.initializers.Constant(self.start),
                                     trainable=True)

    def call(self, x):
        return x * self.gamma


inputs = keras.Input(shape=(32, 32, 3))
x = layers.Normalization(mean=[0.5, 0.4, 0.3], variance=[0.1, 0.2, 0.3], name="fixed")(inputs)
x = layers.Normalization(name="adapted")(x)
x = layers.Conv2D(16, 3, padding="same", name="conv")(x)
x = layers.PReLU(shared_axes=[1, 2], name="prelu")(x)
x = ChannelScale(name="scale")(x)
x = layers.GlobalAveragePooling2D(name="pool")(x)
outputs = layers.Dense(10, name="logits")(x)
model = keras.Model(inputs, outputs)
