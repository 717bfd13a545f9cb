"""A keras digit classifier whose input shape follows the backend's image data format, with its data,
compile and fit around the model."""
import keras
from keras import backend as K
from keras.datasets import mnist
from keras.layers import BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential

SIDE = 28
CLASSES = 10

(train_images, train_labels), (test_images, test_labels) = mnist.load_data()

if K.image_data_format() == "channels_first":
    train_images = train_images.reshape(-1, 1, SIDE, SIDE)
    test_images = test_images.reshape(-1, 1, SIDE, SIDE)
    input_shape = (1, SIDE, SIDE)
else:
    train_images = train_images.reshape(-1, SIDE, SIDE, 1)
    test_images = test_images.reshape(-1, SIDE, SIDE, 1)
    input_shape = (SIDE, SIDE, 1)

model = Sequential()
model.add(Conv2D(24, (5, 5), padding="same", activation="relu", input_shape=input_shape))
model.add(MaxPooling2D(2))
model.add(Conv2D(48, 3, activation="relu"))
model.add(BatchNormalization())
model.add(MaxPooling2D(2))
model.add(Conv2D(64, 3, strides=2, padding="same", activation="relu"))
model.add(Flatten())
model.add(Dense(96, activation="relu"))
model.add(Dense(CLASSES, activation="softmax"))

model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_images / 255.0, train_labels, batch_size=64, epochs=3,
          validation_data=(test_images / 255.0, test_labels))
