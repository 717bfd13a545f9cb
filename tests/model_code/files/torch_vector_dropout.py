"""A sequence classifier that reads each row of an image as a step, and drops channels with nn.Dropout2d
after the recurrent layer, on one vector per sample (torch runs it, with a deprecation warning)."""

import torch
import torch.nn as nn
import torch.nn.functional as F

# layerplan: input 28x28


class RowReader(nn.Module):
    def __init__(self, hidden=48, classes=10):
        super().__init__()
        self.rnn = nn.LSTM(input_size=28, hidden_size=hidden, batch_first=True)
        self.drop1 = nn.Dropout2d(0.25)
        self.fc1 = nn.Linear(hidden, 32)
        self.drop2 = nn.Dropout2d(0.5)
        self.fc2 = nn.Linear(32, classes)

    def forward(self, x):
        out, _ = self.rnn(x)
        out = self.drop1(out[:, -1, :])
        out = self.drop2(F.relu(self.fc1(out)))
        return F.log_softmax(self.fc2(out), dim=1)
