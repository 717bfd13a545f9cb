"""resnet-stem: written by layerplan export from examples/resnet_stem.yaml (torch, 9,536 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 224, 224)


class ResnetStem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

    def forward(self, x):
        x = self.conv1(x)  # (64, 112, 112)
        x = self.bn1(x)  # (64, 112, 112)
        x = self.relu_1(x)  # (64, 112, 112)
        x = self.maxpool(x)  # (64, 56, 56)
        return x


def build_model():
    return ResnetStem()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
