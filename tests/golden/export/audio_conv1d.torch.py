"""audio-m5: written by layerplan export from examples/audio_conv1d.yaml (torch, 571,939 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (1, 16000)


class AudioM5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1d_1 = nn.Conv1d(1, 128, kernel_size=80, stride=4)
        self.batch_norm1d_1 = nn.BatchNorm1d(128)
        self.relu_1 = nn.ReLU()
        self.max_pool1d_1 = nn.MaxPool1d(kernel_size=4)
        self.conv1d_2 = nn.Conv1d(128, 128, kernel_size=3)
        self.batch_norm1d_2 = nn.BatchNorm1d(128)
        self.relu_2 = nn.ReLU()
        self.max_pool1d_2 = nn.MaxPool1d(kernel_size=4)
        self.conv1d_3 = nn.Conv1d(128, 256, kernel_size=3)
        self.batch_norm1d_3 = nn.BatchNorm1d(256)
        self.relu_3 = nn.ReLU()
        self.max_pool1d_3 = nn.MaxPool1d(kernel_size=4)
        self.conv1d_4 = nn.Conv1d(256, 512, kernel_size=3)
        self.batch_norm1d_4 = nn.BatchNorm1d(512)
        self.relu_4 = nn.ReLU()
        self.max_pool1d_4 = nn.MaxPool1d(kernel_size=4)
        self.global_avg_pool1d_1 = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.dense_1 = nn.Linear(512, 35)

    def forward(self, x):
        x = self.conv1d_1(x)  # (128, 3981)
        x = self.batch_norm1d_1(x)  # (128, 3981)
        x = self.relu_1(x)  # (128, 3981)
        x = self.max_pool1d_1(x)  # (128, 995)
        x = self.conv1d_2(x)  # (128, 993)
        x = self.batch_norm1d_2(x)  # (128, 993)
        x = self.relu_2(x)  # (128, 993)
        x = self.max_pool1d_2(x)  # (128, 248)
        x = self.conv1d_3(x)  # (256, 246)
        x = self.batch_norm1d_3(x)  # (256, 246)
        x = self.relu_3(x)  # (256, 246)
        x = self.max_pool1d_3(x)  # (256, 61)
        x = self.conv1d_4(x)  # (512, 59)
        x = self.batch_norm1d_4(x)  # (512, 59)
        x = self.relu_4(x)  # (512, 59)
        x = self.max_pool1d_4(x)  # (512, 14)
        x = self.global_avg_pool1d_1(x)  # (512,)
        x = self.dense_1(x)  # (35,)
        return x


def build_model():
    return AudioM5()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
