"""lstm-audio-classifier-torch: written by layerplan export from examples/lstm_audio_classifier_torch.yaml (torch, 278,092 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (40, 100)


class LstmAudioClassifierTorch(nn.Module):
    def __init__(self):
        super().__init__()
        self.front1 = nn.Sequential(
            nn.Conv1d(40, 64, kernel_size=5, padding="same"), nn.ReLU()
        )
        self.batch_norm1d_1 = nn.BatchNorm1d(64)
        self.max_pool1d_1 = nn.MaxPool1d(kernel_size=2)
        self.front2 = nn.Sequential(
            nn.Conv1d(64, 128, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool1d_2 = nn.MaxPool1d(kernel_size=2)
        self.spatial_dropout1d_1 = nn.Dropout1d(p=0.1)
        self.lstm1 = nn.LSTM(128, 96, batch_first=True, bidirectional=True)
        self.lstm2 = nn.LSTM(192, 64, batch_first=True)
        self.last = nn.Flatten()
        self.dropout_1 = nn.Dropout(p=0.3)
        self.classes = nn.Linear(64, 12)

    def forward(self, x):
        x = self.front1(x)  # (64, 100)
        x = self.batch_norm1d_1(x)  # (64, 100)
        x = self.max_pool1d_1(x)  # (64, 50)
        x = self.front2(x)  # (128, 50)
        x = self.max_pool1d_2(x)  # (128, 25)
        x = self.spatial_dropout1d_1(x)  # (128, 25)
        x = x.transpose(1, 2)  # (25, 128)
        x, _ = self.lstm1(x)  # (25, 192)
        lstm2, (lstm2_h_n, lstm2_c_n) = self.lstm2(x)  # (25, 64), (1, 64), (1, 64)
        x = self.last(lstm2_h_n.transpose(0, 1))  # (64,)
        x = self.dropout_1(x)  # (64,)
        classes = self.classes(x)  # (12,)
        return classes


def build_model():
    return LstmAudioClassifierTorch()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
