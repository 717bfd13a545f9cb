"""A review classifier written with keras 2's spellings: the sequence length stated on the embedding,
bidirectional recurrent layers, and weight decay, initializers and constraints on the layers."""

from keras import constraints, regularizers
from keras.layers import LSTM, GRU, Bidirectional, Dense, Dropout, Embedding
from keras.models import Sequential
from keras.regularizers import l2

VOCABULARY = 3000
STEPS = 60
WEIGHT_DECAY = 1e-4

decay = l2(WEIGHT_DECAY)

model = Sequential()
model.add(Embedding(VOCABULARY, 24, input_length=STEPS, embeddings_regularizer=regularizers.l2(1e-5)))
model.add(Bidirectional(LSTM(16, return_sequences=True, kernel_regularizer=decay,
                             recurrent_constraint=constraints.max_norm(3.0))))
model.add(Dropout(0.3))
model.add(Bidirectional(GRU(8), merge_mode="concat"))
model.add(Dense(12, activation="relu", kernel_initializer="he_normal", kernel_regularizer=l2(WEIGHT_DECAY),
                bias_constraint=constraints.NonNeg()))
model.add(Dense(1, activation="sigmoid"))

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
