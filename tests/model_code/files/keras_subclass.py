import tensorflow as tf

# layerplan: input 28x28x1


class Classifier(tf.keras.Model):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = tf.keras.layers.Conv2D(32, 3, activation="relu")
        self.pool = tf.keras.layers.MaxPooling2D()
        self.flatten = tf.keras.layers.Flatten()
        self.d1 = tf.keras.layers.Dense(128, activation="relu")
        self.d2 = tf.keras.layers.Dense(classes)

    def call(self, x, training=False):
        x = self.conv1(x)
        x = self.pool(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


model = Classifier()
