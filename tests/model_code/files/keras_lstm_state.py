"""An encoder whose LSTM returns its states (return_state=True): the output and both states feed the head."""
import keras
from keras import layers

tokens = keras.Input(shape=(30,), name="tokens")
x = layers.Embedding(1000, 32)(tokens)
sequence, state_h, state_c = layers.LSTM(24, return_sequences=True, return_state=True)(x)
last, state = layers.GRU(16, return_state=True)(sequence)
joined = layers.concatenate([state_h, state_c, last])
outputs = layers.Dense(3, activation="softmax")(joined)
model = keras.Model(tokens, outputs)
