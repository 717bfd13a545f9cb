"""CVAE encoder: written by layerplan export from examples/cvae_encoder.yaml (torch, 28,036 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (1, 28, 28)


class CVAEEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv2d_1 = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, stride=2), nn.ReLU()
        )
        self.conv2d_2 = nn.Sequential(
            nn.Conv2d(32, 64, kernel_size=3, stride=2), nn.ReLU()
        )
        self.flatten_1 = nn.Flatten()
        self.encoded = nn.Linear(2304, 4)

    def forward(self, x):
        x = self.conv2d_1(x)  # (32, 13, 13)
        x = self.conv2d_2(x)  # (64, 6, 6)
        x = self.flatten_1(x)  # (2304,)
        x = self.encoded(x)  # (4,)
        mean, logvar = torch.split(x, [2, 2], dim=1)  # (2,), (2,)
        return mean, logvar


def build_model():
    return CVAEEncoder()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print([t.shape for t in y])
