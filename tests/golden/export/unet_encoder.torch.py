"""unet-encoder: written by layerplan export from examples/unet_encoder.yaml (torch, 18,842,048 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (1, 572, 572)


class UnetEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv2d_1 = nn.Conv2d(1, 64, kernel_size=3)
        self.relu_1 = nn.ReLU()
        self.conv2d_2 = nn.Conv2d(64, 64, kernel_size=3)
        self.relu_2 = nn.ReLU()
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_3 = nn.Conv2d(64, 128, kernel_size=3)
        self.relu_3 = nn.ReLU()
        self.conv2d_4 = nn.Conv2d(128, 128, kernel_size=3)
        self.relu_4 = nn.ReLU()
        self.max_pool2d_2 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_5 = nn.Conv2d(128, 256, kernel_size=3)
        self.relu_5 = nn.ReLU()
        self.conv2d_6 = nn.Conv2d(256, 256, kernel_size=3)
        self.relu_6 = nn.ReLU()
        self.max_pool2d_3 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_7 = nn.Conv2d(256, 512, kernel_size=3)
        self.relu_7 = nn.ReLU()
        self.conv2d_8 = nn.Conv2d(512, 512, kernel_size=3)
        self.relu_8 = nn.ReLU()
        self.max_pool2d_4 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_9 = nn.Conv2d(512, 1024, kernel_size=3)
        self.relu_9 = nn.ReLU()
        self.conv2d_10 = nn.Conv2d(1024, 1024, kernel_size=3)
        self.relu_10 = nn.ReLU()

    def forward(self, x):
        x = self.conv2d_1(x)  # (64, 570, 570)
        x = self.relu_1(x)  # (64, 570, 570)
        x = self.conv2d_2(x)  # (64, 568, 568)
        x = self.relu_2(x)  # (64, 568, 568)
        x = self.max_pool2d_1(x)  # (64, 284, 284)
        x = self.conv2d_3(x)  # (128, 282, 282)
        x = self.relu_3(x)  # (128, 282, 282)
        x = self.conv2d_4(x)  # (128, 280, 280)
        x = self.relu_4(x)  # (128, 280, 280)
        x = self.max_pool2d_2(x)  # (128, 140, 140)
        x = self.conv2d_5(x)  # (256, 138, 138)
        x = self.relu_5(x)  # (256, 138, 138)
        x = self.conv2d_6(x)  # (256, 136, 136)
        x = self.relu_6(x)  # (256, 136, 136)
        x = self.max_pool2d_3(x)  # (256, 68, 68)
        x = self.conv2d_7(x)  # (512, 66, 66)
        x = self.relu_7(x)  # (512, 66, 66)
        x = self.conv2d_8(x)  # (512, 64, 64)
        x = self.relu_8(x)  # (512, 64, 64)
        x = self.max_pool2d_4(x)  # (512, 32, 32)
        x = self.conv2d_9(x)  # (1024, 30, 30)
        x = self.relu_9(x)  # (1024, 30, 30)
        x = self.conv2d_10(x)  # (1024, 28, 28)
        x = self.relu_10(x)  # (1024, 28, 28)
        return x


def build_model():
    return UnetEncoder()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
