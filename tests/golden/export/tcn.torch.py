"""tcn: written by layerplan export from examples/tcn.yaml (torch, 66,910 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (1, 784)


class Temporal(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(1, 25, kernel_size=7, padding=6)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=6)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.downsample = nn.Conv1d(1, 25, kernel_size=1)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 790)
        x = x[:, :, :-6]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 790)
        x = x[:, :, :-6]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        dropout2 = self.dropout2(x)  # (25, 784)
        x = self.downsample(inputs)  # (25, 784)
        x = dropout2 + x  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Temporal_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=12, dilation=2)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=12, dilation=2)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 796)
        x = x[:, :, :-12]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 796)
        x = x[:, :, :-12]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        x = self.dropout2(x)  # (25, 784)
        x = x + inputs  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Temporal_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=24, dilation=4)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=24, dilation=4)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 808)
        x = x[:, :, :-24]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 808)
        x = x[:, :, :-24]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        x = self.dropout2(x)  # (25, 784)
        x = x + inputs  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Temporal_4(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=48, dilation=8)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=48, dilation=8)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 832)
        x = x[:, :, :-48]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 832)
        x = x[:, :, :-48]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        x = self.dropout2(x)  # (25, 784)
        x = x + inputs  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Temporal_5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=96, dilation=16)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=96, dilation=16)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 880)
        x = x[:, :, :-96]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 880)
        x = x[:, :, :-96]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        x = self.dropout2(x)  # (25, 784)
        x = x + inputs  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Temporal_6(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=192, dilation=32)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=192, dilation=32)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 976)
        x = x[:, :, :-192]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 976)
        x = x[:, :, :-192]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        x = self.dropout2(x)  # (25, 784)
        x = x + inputs  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Temporal_7(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=384, dilation=64)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=384, dilation=64)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 1168)
        x = x[:, :, :-384]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 1168)
        x = x[:, :, :-384]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        x = self.dropout2(x)  # (25, 784)
        x = x + inputs  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Temporal_8(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=768, dilation=128)
        )
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(p=0.05)
        self.conv2 = nn.utils.parametrizations.weight_norm(
            nn.Conv1d(25, 25, kernel_size=7, padding=768, dilation=128)
        )
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(p=0.05)
        self.relu = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (25, 1552)
        x = x[:, :, :-768]  # (25, 784)
        x = self.relu1(x)  # (25, 784)
        x = self.dropout1(x)  # (25, 784)
        x = self.conv2(x)  # (25, 1552)
        x = x[:, :, :-768]  # (25, 784)
        x = self.relu2(x)  # (25, 784)
        x = self.dropout2(x)  # (25, 784)
        x = x + inputs  # (25, 784)
        x = self.relu(x)  # (25, 784)
        return x


class Tcn(nn.Module):
    def __init__(self):
        super().__init__()
        self.tcn_network_0 = Temporal()
        self.tcn_network_1 = Temporal_2()
        self.tcn_network_2 = Temporal_3()
        self.tcn_network_3 = Temporal_4()
        self.tcn_network_4 = Temporal_5()
        self.tcn_network_5 = Temporal_6()
        self.tcn_network_6 = Temporal_7()
        self.tcn_network_7 = Temporal_8()
        self.linear = nn.Linear(25, 10)

    def forward(self, x):
        x = self.tcn_network_0(x)  # (25, 784)
        x = self.tcn_network_1(x)  # (25, 784)
        x = self.tcn_network_2(x)  # (25, 784)
        x = self.tcn_network_3(x)  # (25, 784)
        x = self.tcn_network_4(x)  # (25, 784)
        x = self.tcn_network_5(x)  # (25, 784)
        x = self.tcn_network_6(x)  # (25, 784)
        x = self.tcn_network_7(x)  # (25, 784)
        x = x[:, :, -1]  # (25,)
        x = self.linear(x)  # (10,)
        return x


def build_model():
    return Tcn()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
