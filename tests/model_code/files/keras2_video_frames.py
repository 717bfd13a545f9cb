"""A video classifier in the Keras 2 style: every frame goes through the same small conv net
(TimeDistributed, the first wrapper taking input_shape), then an LSTM reads the frames in order."""
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, LSTM, TimeDistributed

frames, height, width, channels = 8, 32, 32, 3
num_classes = 5

model = Sequential()
model.add(TimeDistributed(Conv2D(16, (3, 3), activation="relu", padding="same"),
                          input_shape=(frames, height, width, channels)))
model.add(TimeDistributed(MaxPooling2D((2, 2))))
model.add(TimeDistributed(Conv2D(32, (3, 3), activation="relu")))
model.add(TimeDistributed(MaxPooling2D((2, 2))))
model.add(TimeDistributed(Flatten()))
model.add(LSTM(64))
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
