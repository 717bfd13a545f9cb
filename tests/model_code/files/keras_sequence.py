"""A text classifier: Embedding, a stacked LSTM and GRU (keras takes the last step unless return_sequences)."""
import keras
from keras import layers

model = keras.Sequential([keras.Input((100,)), layers.Embedding(5000, 64), layers.LSTM(32, return_sequences=True),
                          layers.GRU(16), layers.Dense(1, activation="sigmoid")])
