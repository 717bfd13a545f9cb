"""shufflenet-v2-unit: written by layerplan export from examples/shufflenet_v2_unit.yaml (torch, 14,996 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (24, 56, 56)


class ShufflenetV2Unit(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1_dw = nn.Conv2d(
            24, 24, kernel_size=3, stride=2, padding=1, groups=24, bias=False
        )
        self.batch_norm2d_1 = nn.BatchNorm2d(24)
        self.conv2d_2 = nn.Conv2d(24, 58, kernel_size=1, bias=False)
        self.batch_norm2d_2 = nn.BatchNorm2d(58)
        self.branch1 = nn.ReLU()
        self.conv2d_3 = nn.Conv2d(24, 58, kernel_size=1, bias=False)
        self.batch_norm2d_3 = nn.BatchNorm2d(58)
        self.relu_2 = nn.ReLU()
        self.conv2d_4 = nn.Conv2d(
            58, 58, kernel_size=3, stride=2, padding=1, groups=58, bias=False
        )
        self.batch_norm2d_4 = nn.BatchNorm2d(58)
        self.conv2d_5 = nn.Conv2d(58, 58, kernel_size=1, bias=False)
        self.batch_norm2d_5 = nn.BatchNorm2d(58)
        self.branch2 = nn.ReLU()
        self.conv2d_6 = nn.Conv2d(58, 58, kernel_size=1, bias=False)
        self.batch_norm2d_6 = nn.BatchNorm2d(58)
        self.relu_4 = nn.ReLU()
        self.conv2d_7 = nn.Conv2d(
            58, 58, kernel_size=3, padding=1, groups=58, bias=False
        )
        self.batch_norm2d_7 = nn.BatchNorm2d(58)
        self.conv2d_8 = nn.Conv2d(58, 58, kernel_size=1, bias=False)
        self.batch_norm2d_8 = nn.BatchNorm2d(58)
        self.unit2_branch = nn.ReLU()

    def forward(self, inputs):
        x = self.b1_dw(inputs)  # (24, 28, 28)
        x = self.batch_norm2d_1(x)  # (24, 28, 28)
        x = self.conv2d_2(x)  # (58, 28, 28)
        x = self.batch_norm2d_2(x)  # (58, 28, 28)
        branch1 = self.branch1(x)  # (58, 28, 28)
        x = self.conv2d_3(inputs)  # (58, 56, 56)
        x = self.batch_norm2d_3(x)  # (58, 56, 56)
        x = self.relu_2(x)  # (58, 56, 56)
        x = self.conv2d_4(x)  # (58, 28, 28)
        x = self.batch_norm2d_4(x)  # (58, 28, 28)
        x = self.conv2d_5(x)  # (58, 28, 28)
        x = self.batch_norm2d_5(x)  # (58, 28, 28)
        x = self.branch2(x)  # (58, 28, 28)
        x = torch.cat([branch1, x], dim=1)  # (116, 28, 28)
        x = x.reshape(x.shape[0], 2, 58, 28, 28)  # (2, 58, 28, 28)
        x = x.transpose(1, 2)  # (58, 2, 28, 28)
        x = x.reshape(x.shape[0], 116, 28, 28)  # (116, 28, 28)
        halves_0, x = torch.chunk(x, 2, dim=1)  # (58, 28, 28), (58, 28, 28)
        x = self.conv2d_6(x)  # (58, 28, 28)
        x = self.batch_norm2d_6(x)  # (58, 28, 28)
        x = self.relu_4(x)  # (58, 28, 28)
        x = self.conv2d_7(x)  # (58, 28, 28)
        x = self.batch_norm2d_7(x)  # (58, 28, 28)
        x = self.conv2d_8(x)  # (58, 28, 28)
        x = self.batch_norm2d_8(x)  # (58, 28, 28)
        x = self.unit2_branch(x)  # (58, 28, 28)
        x = torch.cat([halves_0, x], dim=1)  # (116, 28, 28)
        x = x.reshape(x.shape[0], 2, 58, 28, 28)  # (2, 58, 28, 28)
        x = x.transpose(1, 2)  # (58, 2, 28, 28)
        x = x.reshape(x.shape[0], 116, 28, 28)  # (116, 28, 28)
        return x


def build_model():
    return ShufflenetV2Unit()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
