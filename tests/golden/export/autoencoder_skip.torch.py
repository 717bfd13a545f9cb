"""mnist-autoencoder-skip: written by layerplan export from examples/autoencoder_skip.yaml (torch, 16,825 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (1, 28, 28)


class MnistAutoencoderSkip(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)
        self.enc2 = nn.Sequential(
            nn.Conv2d(32, 16, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_2 = nn.MaxPool2d(kernel_size=2)
        self.code = nn.Sequential(
            nn.Conv2d(16, 8, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.upsample2d_1 = nn.Upsample(scale_factor=2)
        self.dec2 = nn.Sequential(
            nn.Conv2d(8, 16, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.conv2d_5 = nn.Sequential(
            nn.Conv2d(32, 16, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.upsample2d_2 = nn.Upsample(scale_factor=2)
        self.conv2d_6 = nn.Sequential(
            nn.Conv2d(16, 32, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.reconstruction = nn.Sequential(
            nn.Conv2d(32, 1, kernel_size=3, padding="same"), nn.Sigmoid()
        )

    def forward(self, x):
        x = self.enc1(x)  # (32, 28, 28)
        x = self.max_pool2d_1(x)  # (32, 14, 14)
        enc2 = self.enc2(x)  # (16, 14, 14)
        x = self.max_pool2d_2(enc2)  # (16, 7, 7)
        x = self.code(x)  # (8, 7, 7)
        x = self.upsample2d_1(x)  # (8, 14, 14)
        x = self.dec2(x)  # (16, 14, 14)
        x = torch.cat([x, enc2], dim=1)  # (32, 14, 14)
        x = self.conv2d_5(x)  # (16, 14, 14)
        x = self.upsample2d_2(x)  # (16, 28, 28)
        x = self.conv2d_6(x)  # (32, 28, 28)
        x = self.reconstruction(x)  # (1, 28, 28)
        return x


def build_model():
    return MnistAutoencoderSkip()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
