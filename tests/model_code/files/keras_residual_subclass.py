import keras
from keras import layers

# layerplan: input 16x16x8


class ResidualBlock(keras.Model):
    def __init__(self, filters=8):
        super().__init__()
        self.conv_a = layers.Conv2D(filters, 3, padding="same")
        self.bn_a = layers.BatchNormalization()
        self.act = layers.ReLU()
        self.conv_b = layers.Conv2D(filters, 3, padding="same")
        self.add = layers.Add()

    def call(self, inputs, training=False):
        x = self.act(self.bn_a(self.conv_a(inputs), training=training))
        x = self.conv_b(x)
        return self.add([x, inputs])
