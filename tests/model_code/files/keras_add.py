import keras
from keras import layers as L

model = keras.Sequential(name="autoencoder")
model.add(keras.Input(shape=(32, 32, 3)))
model.add(L.Conv2D(16, 3, strides=2, padding="same", activation="relu"))
model.add(L.BatchNormalization())
model.add(L.Conv2D(8, 3, strides=2, padding="same", activation="relu"))
model.add(L.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"))
model.add(L.UpSampling2D(2))
model.add(L.Conv2D(3, 3, padding="same", activation="sigmoid"))
