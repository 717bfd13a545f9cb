"""dcgan-generator: written by layerplan export from examples/dcgan_generator.yaml (torch, 3,576,704 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (100, 1, 1)


class DcganGenerator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_transpose2d_1 = nn.ConvTranspose2d(
            100, 512, kernel_size=4, bias=False
        )
        self.batch_norm2d_1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv_transpose2d_2 = nn.ConvTranspose2d(
            512, 256, kernel_size=4, stride=2, padding=1, bias=False
        )
        self.batch_norm2d_2 = nn.BatchNorm2d(256)
        self.relu_2 = nn.ReLU()
        self.conv_transpose2d_3 = nn.ConvTranspose2d(
            256, 128, kernel_size=4, stride=2, padding=1, bias=False
        )
        self.batch_norm2d_3 = nn.BatchNorm2d(128)
        self.relu_3 = nn.ReLU()
        self.conv_transpose2d_4 = nn.ConvTranspose2d(
            128, 64, kernel_size=4, stride=2, padding=1, bias=False
        )
        self.batch_norm2d_4 = nn.BatchNorm2d(64)
        self.relu_4 = nn.ReLU()
        self.conv_transpose2d_5 = nn.ConvTranspose2d(
            64, 3, kernel_size=4, stride=2, padding=1, bias=False
        )
        self.tanh_1 = nn.Tanh()

    def forward(self, x):
        x = self.conv_transpose2d_1(x)  # (512, 4, 4)
        x = self.batch_norm2d_1(x)  # (512, 4, 4)
        x = self.relu_1(x)  # (512, 4, 4)
        x = self.conv_transpose2d_2(x)  # (256, 8, 8)
        x = self.batch_norm2d_2(x)  # (256, 8, 8)
        x = self.relu_2(x)  # (256, 8, 8)
        x = self.conv_transpose2d_3(x)  # (128, 16, 16)
        x = self.batch_norm2d_3(x)  # (128, 16, 16)
        x = self.relu_3(x)  # (128, 16, 16)
        x = self.conv_transpose2d_4(x)  # (64, 32, 32)
        x = self.batch_norm2d_4(x)  # (64, 32, 32)
        x = self.relu_4(x)  # (64, 32, 32)
        x = self.conv_transpose2d_5(x)  # (3, 64, 64)
        x = self.tanh_1(x)  # (3, 64, 64)
        return x


def build_model():
    return DcganGenerator()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
