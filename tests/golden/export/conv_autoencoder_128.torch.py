"""rgb-conv-autoencoder: written by layerplan export from examples/conv_autoencoder_128.yaml (torch, 206,995 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 128, 128)


class RgbConvAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(
            nn.Conv2d(3, 32, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)
        self.enc2 = nn.Sequential(
            nn.Conv2d(32, 64, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_2 = nn.MaxPool2d(kernel_size=2)
        self.enc3 = nn.Sequential(
            nn.Conv2d(64, 128, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_3 = nn.MaxPool2d(kernel_size=2)
        self.code = nn.Conv2d(128, 16, kernel_size=1)
        self.conv_transpose2d_1 = nn.Sequential(
            nn.ConvTranspose2d(
                16, 128, kernel_size=3, stride=2, padding=1, output_padding=1
            ),
            nn.ReLU(),
        )
        self.conv_transpose2d_2 = nn.Sequential(
            nn.ConvTranspose2d(
                128, 64, kernel_size=3, stride=2, padding=1, output_padding=1
            ),
            nn.ReLU(),
        )
        self.conv_transpose2d_3 = nn.Sequential(
            nn.ConvTranspose2d(
                64, 32, kernel_size=3, stride=2, padding=1, output_padding=1
            ),
            nn.ReLU(),
        )
        self.reconstruction = nn.Sequential(
            nn.Conv2d(32, 3, kernel_size=3, padding="same"), nn.Sigmoid()
        )

    def forward(self, x):
        x = self.enc1(x)  # (32, 128, 128)
        x = self.max_pool2d_1(x)  # (32, 64, 64)
        x = self.enc2(x)  # (64, 64, 64)
        x = self.max_pool2d_2(x)  # (64, 32, 32)
        x = self.enc3(x)  # (128, 32, 32)
        x = self.max_pool2d_3(x)  # (128, 16, 16)
        x = self.code(x)  # (16, 16, 16)
        x = self.conv_transpose2d_1(x)  # (128, 32, 32)
        x = self.conv_transpose2d_2(x)  # (64, 64, 64)
        x = self.conv_transpose2d_3(x)  # (32, 128, 128)
        x = self.reconstruction(x)  # (3, 128, 128)
        return x


def build_model():
    return RgbConvAutoencoder()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
