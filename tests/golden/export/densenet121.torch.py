"""densenet121: written by layerplan export from examples/densenet121.yaml (torch, 7,978,856 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 224, 224)


class DenseLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(64, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (64, 56, 56)
        x = self.relu_1(x)  # (64, 56, 56)
        x = self.conv1(x)  # (128, 56, 56)
        x = self.norm2(x)  # (128, 56, 56)
        x = self.relu_2(x)  # (128, 56, 56)
        x = self.conv2(x)  # (32, 56, 56)
        x = torch.cat([inputs, x], dim=1)  # (96, 56, 56)
        return x


class DenseLayer_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(96)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(96, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (96, 56, 56)
        x = self.relu_1(x)  # (96, 56, 56)
        x = self.conv1(x)  # (128, 56, 56)
        x = self.norm2(x)  # (128, 56, 56)
        x = self.relu_2(x)  # (128, 56, 56)
        x = self.conv2(x)  # (32, 56, 56)
        x = torch.cat([inputs, x], dim=1)  # (128, 56, 56)
        return x


class DenseLayer_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(128, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (128, 56, 56)
        x = self.relu_1(x)  # (128, 56, 56)
        x = self.conv1(x)  # (128, 56, 56)
        x = self.norm2(x)  # (128, 56, 56)
        x = self.relu_2(x)  # (128, 56, 56)
        x = self.conv2(x)  # (32, 56, 56)
        x = torch.cat([inputs, x], dim=1)  # (160, 56, 56)
        return x


class DenseLayer_4(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(160)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(160, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (160, 56, 56)
        x = self.relu_1(x)  # (160, 56, 56)
        x = self.conv1(x)  # (128, 56, 56)
        x = self.norm2(x)  # (128, 56, 56)
        x = self.relu_2(x)  # (128, 56, 56)
        x = self.conv2(x)  # (32, 56, 56)
        x = torch.cat([inputs, x], dim=1)  # (192, 56, 56)
        return x


class DenseLayer_5(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(192)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(192, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (192, 56, 56)
        x = self.relu_1(x)  # (192, 56, 56)
        x = self.conv1(x)  # (128, 56, 56)
        x = self.norm2(x)  # (128, 56, 56)
        x = self.relu_2(x)  # (128, 56, 56)
        x = self.conv2(x)  # (32, 56, 56)
        x = torch.cat([inputs, x], dim=1)  # (224, 56, 56)
        return x


class DenseLayer_6(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(224)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(224, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (224, 56, 56)
        x = self.relu_1(x)  # (224, 56, 56)
        x = self.conv1(x)  # (128, 56, 56)
        x = self.norm2(x)  # (128, 56, 56)
        x = self.relu_2(x)  # (128, 56, 56)
        x = self.conv2(x)  # (32, 56, 56)
        x = torch.cat([inputs, x], dim=1)  # (256, 56, 56)
        return x


class DenseStage(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv = nn.Conv2d(256, 128, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2)

    def forward(self, x):
        x = self.norm(x)  # (256, 56, 56)
        x = self.relu_1(x)  # (256, 56, 56)
        x = self.conv(x)  # (128, 56, 56)
        x = self.pool(x)  # (128, 28, 28)
        return x


class DenseLayer_7(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(128, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (128, 28, 28)
        x = self.relu_1(x)  # (128, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (160, 28, 28)
        return x


class DenseLayer_8(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(160)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(160, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (160, 28, 28)
        x = self.relu_1(x)  # (160, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (192, 28, 28)
        return x


class DenseLayer_9(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(192)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(192, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (192, 28, 28)
        x = self.relu_1(x)  # (192, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (224, 28, 28)
        return x


class DenseLayer_10(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(224)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(224, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (224, 28, 28)
        x = self.relu_1(x)  # (224, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (256, 28, 28)
        return x


class DenseLayer_11(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(256, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (256, 28, 28)
        x = self.relu_1(x)  # (256, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (288, 28, 28)
        return x


class DenseLayer_12(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(288)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(288, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (288, 28, 28)
        x = self.relu_1(x)  # (288, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (320, 28, 28)
        return x


class DenseLayer_13(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(320)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(320, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (320, 28, 28)
        x = self.relu_1(x)  # (320, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (352, 28, 28)
        return x


class DenseLayer_14(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(352)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(352, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (352, 28, 28)
        x = self.relu_1(x)  # (352, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (384, 28, 28)
        return x


class DenseLayer_15(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(384)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(384, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (384, 28, 28)
        x = self.relu_1(x)  # (384, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (416, 28, 28)
        return x


class DenseLayer_16(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(416)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(416, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (416, 28, 28)
        x = self.relu_1(x)  # (416, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (448, 28, 28)
        return x


class DenseLayer_17(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(448)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(448, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (448, 28, 28)
        x = self.relu_1(x)  # (448, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (480, 28, 28)
        return x


class DenseLayer_18(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(480)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(480, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (480, 28, 28)
        x = self.relu_1(x)  # (480, 28, 28)
        x = self.conv1(x)  # (128, 28, 28)
        x = self.norm2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv2(x)  # (32, 28, 28)
        x = torch.cat([inputs, x], dim=1)  # (512, 28, 28)
        return x


class DenseStage_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv = nn.Conv2d(512, 256, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2)

    def forward(self, x):
        x = self.norm(x)  # (512, 28, 28)
        x = self.relu_1(x)  # (512, 28, 28)
        x = self.conv(x)  # (256, 28, 28)
        x = self.pool(x)  # (256, 14, 14)
        return x


class DenseLayer_19(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(256, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (256, 14, 14)
        x = self.relu_1(x)  # (256, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (288, 14, 14)
        return x


class DenseLayer_20(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(288)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(288, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (288, 14, 14)
        x = self.relu_1(x)  # (288, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (320, 14, 14)
        return x


class DenseLayer_21(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(320)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(320, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (320, 14, 14)
        x = self.relu_1(x)  # (320, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (352, 14, 14)
        return x


class DenseLayer_22(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(352)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(352, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (352, 14, 14)
        x = self.relu_1(x)  # (352, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (384, 14, 14)
        return x


class DenseLayer_23(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(384)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(384, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (384, 14, 14)
        x = self.relu_1(x)  # (384, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (416, 14, 14)
        return x


class DenseLayer_24(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(416)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(416, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (416, 14, 14)
        x = self.relu_1(x)  # (416, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (448, 14, 14)
        return x


class DenseLayer_25(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(448)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(448, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (448, 14, 14)
        x = self.relu_1(x)  # (448, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (480, 14, 14)
        return x


class DenseLayer_26(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(480)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(480, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (480, 14, 14)
        x = self.relu_1(x)  # (480, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (512, 14, 14)
        return x


class DenseLayer_27(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(512, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (512, 14, 14)
        x = self.relu_1(x)  # (512, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (544, 14, 14)
        return x


class DenseLayer_28(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(544)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(544, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (544, 14, 14)
        x = self.relu_1(x)  # (544, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (576, 14, 14)
        return x


class DenseLayer_29(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(576)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(576, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (576, 14, 14)
        x = self.relu_1(x)  # (576, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (608, 14, 14)
        return x


class DenseLayer_30(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(608)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(608, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (608, 14, 14)
        x = self.relu_1(x)  # (608, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (640, 14, 14)
        return x


class DenseLayer_31(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(640)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(640, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (640, 14, 14)
        x = self.relu_1(x)  # (640, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (672, 14, 14)
        return x


class DenseLayer_32(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(672)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(672, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (672, 14, 14)
        x = self.relu_1(x)  # (672, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (704, 14, 14)
        return x


class DenseLayer_33(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(704)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(704, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (704, 14, 14)
        x = self.relu_1(x)  # (704, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (736, 14, 14)
        return x


class DenseLayer_34(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(736)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(736, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (736, 14, 14)
        x = self.relu_1(x)  # (736, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (768, 14, 14)
        return x


class DenseLayer_35(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(768)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(768, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (768, 14, 14)
        x = self.relu_1(x)  # (768, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (800, 14, 14)
        return x


class DenseLayer_36(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(800)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(800, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (800, 14, 14)
        x = self.relu_1(x)  # (800, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (832, 14, 14)
        return x


class DenseLayer_37(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(832)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(832, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (832, 14, 14)
        x = self.relu_1(x)  # (832, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (864, 14, 14)
        return x


class DenseLayer_38(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(864)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(864, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (864, 14, 14)
        x = self.relu_1(x)  # (864, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (896, 14, 14)
        return x


class DenseLayer_39(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(896)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(896, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (896, 14, 14)
        x = self.relu_1(x)  # (896, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (928, 14, 14)
        return x


class DenseLayer_40(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(928)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(928, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (928, 14, 14)
        x = self.relu_1(x)  # (928, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (960, 14, 14)
        return x


class DenseLayer_41(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(960)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(960, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (960, 14, 14)
        x = self.relu_1(x)  # (960, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (992, 14, 14)
        return x


class DenseLayer_42(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(992)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(992, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (992, 14, 14)
        x = self.relu_1(x)  # (992, 14, 14)
        x = self.conv1(x)  # (128, 14, 14)
        x = self.norm2(x)  # (128, 14, 14)
        x = self.relu_2(x)  # (128, 14, 14)
        x = self.conv2(x)  # (32, 14, 14)
        x = torch.cat([inputs, x], dim=1)  # (1024, 14, 14)
        return x


class DenseStage_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm2d(1024)
        self.relu_1 = nn.ReLU()
        self.conv = nn.Conv2d(1024, 512, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2)

    def forward(self, x):
        x = self.norm(x)  # (1024, 14, 14)
        x = self.relu_1(x)  # (1024, 14, 14)
        x = self.conv(x)  # (512, 14, 14)
        x = self.pool(x)  # (512, 7, 7)
        return x


class DenseLayer_43(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(512, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (512, 7, 7)
        x = self.relu_1(x)  # (512, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (544, 7, 7)
        return x


class DenseLayer_44(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(544)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(544, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (544, 7, 7)
        x = self.relu_1(x)  # (544, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (576, 7, 7)
        return x


class DenseLayer_45(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(576)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(576, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (576, 7, 7)
        x = self.relu_1(x)  # (576, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (608, 7, 7)
        return x


class DenseLayer_46(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(608)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(608, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (608, 7, 7)
        x = self.relu_1(x)  # (608, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (640, 7, 7)
        return x


class DenseLayer_47(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(640)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(640, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (640, 7, 7)
        x = self.relu_1(x)  # (640, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (672, 7, 7)
        return x


class DenseLayer_48(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(672)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(672, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (672, 7, 7)
        x = self.relu_1(x)  # (672, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (704, 7, 7)
        return x


class DenseLayer_49(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(704)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(704, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (704, 7, 7)
        x = self.relu_1(x)  # (704, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (736, 7, 7)
        return x


class DenseLayer_50(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(736)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(736, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (736, 7, 7)
        x = self.relu_1(x)  # (736, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (768, 7, 7)
        return x


class DenseLayer_51(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(768)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(768, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (768, 7, 7)
        x = self.relu_1(x)  # (768, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (800, 7, 7)
        return x


class DenseLayer_52(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(800)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(800, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (800, 7, 7)
        x = self.relu_1(x)  # (800, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (832, 7, 7)
        return x


class DenseLayer_53(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(832)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(832, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (832, 7, 7)
        x = self.relu_1(x)  # (832, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (864, 7, 7)
        return x


class DenseLayer_54(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(864)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(864, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (864, 7, 7)
        x = self.relu_1(x)  # (864, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (896, 7, 7)
        return x


class DenseLayer_55(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(896)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(896, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (896, 7, 7)
        x = self.relu_1(x)  # (896, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (928, 7, 7)
        return x


class DenseLayer_56(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(928)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(928, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (928, 7, 7)
        x = self.relu_1(x)  # (928, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (960, 7, 7)
        return x


class DenseLayer_57(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(960)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(960, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (960, 7, 7)
        x = self.relu_1(x)  # (960, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (992, 7, 7)
        return x


class DenseLayer_58(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(992)
        self.relu_1 = nn.ReLU()
        self.conv1 = nn.Conv2d(992, 128, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 32, kernel_size=3, padding=1, bias=False)

    def forward(self, inputs):
        x = self.norm1(inputs)  # (992, 7, 7)
        x = self.relu_1(x)  # (992, 7, 7)
        x = self.conv1(x)  # (128, 7, 7)
        x = self.norm2(x)  # (128, 7, 7)
        x = self.relu_2(x)  # (128, 7, 7)
        x = self.conv2(x)  # (32, 7, 7)
        x = torch.cat([inputs, x], dim=1)  # (1024, 7, 7)
        return x


class Densenet121(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.norm0 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.pool0 = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.stage1_denseblock_1 = DenseLayer()
        self.stage1_denseblock_2 = DenseLayer_2()
        self.stage1_denseblock_3 = DenseLayer_3()
        self.stage1_denseblock_4 = DenseLayer_4()
        self.stage1_denseblock_5 = DenseLayer_5()
        self.stage1_denseblock_6 = DenseLayer_6()
        self.stage1 = DenseStage()
        self.stage2_denseblock_1 = DenseLayer_7()
        self.stage2_denseblock_2 = DenseLayer_8()
        self.stage2_denseblock_3 = DenseLayer_9()
        self.stage2_denseblock_4 = DenseLayer_10()
        self.stage2_denseblock_5 = DenseLayer_11()
        self.stage2_denseblock_6 = DenseLayer_12()
        self.stage2_denseblock_7 = DenseLayer_13()
        self.stage2_denseblock_8 = DenseLayer_14()
        self.stage2_denseblock_9 = DenseLayer_15()
        self.stage2_denseblock_10 = DenseLayer_16()
        self.stage2_denseblock_11 = DenseLayer_17()
        self.stage2_denseblock_12 = DenseLayer_18()
        self.stage2 = DenseStage_2()
        self.stage3_denseblock_1 = DenseLayer_19()
        self.stage3_denseblock_2 = DenseLayer_20()
        self.stage3_denseblock_3 = DenseLayer_21()
        self.stage3_denseblock_4 = DenseLayer_22()
        self.stage3_denseblock_5 = DenseLayer_23()
        self.stage3_denseblock_6 = DenseLayer_24()
        self.stage3_denseblock_7 = DenseLayer_25()
        self.stage3_denseblock_8 = DenseLayer_26()
        self.stage3_denseblock_9 = DenseLayer_27()
        self.stage3_denseblock_10 = DenseLayer_28()
        self.stage3_denseblock_11 = DenseLayer_29()
        self.stage3_denseblock_12 = DenseLayer_30()
        self.stage3_denseblock_13 = DenseLayer_31()
        self.stage3_denseblock_14 = DenseLayer_32()
        self.stage3_denseblock_15 = DenseLayer_33()
        self.stage3_denseblock_16 = DenseLayer_34()
        self.stage3_denseblock_17 = DenseLayer_35()
        self.stage3_denseblock_18 = DenseLayer_36()
        self.stage3_denseblock_19 = DenseLayer_37()
        self.stage3_denseblock_20 = DenseLayer_38()
        self.stage3_denseblock_21 = DenseLayer_39()
        self.stage3_denseblock_22 = DenseLayer_40()
        self.stage3_denseblock_23 = DenseLayer_41()
        self.stage3_denseblock_24 = DenseLayer_42()
        self.stage3 = DenseStage_3()
        self.denseblock4_1 = DenseLayer_43()
        self.denseblock4_2 = DenseLayer_44()
        self.denseblock4_3 = DenseLayer_45()
        self.denseblock4_4 = DenseLayer_46()
        self.denseblock4_5 = DenseLayer_47()
        self.denseblock4_6 = DenseLayer_48()
        self.denseblock4_7 = DenseLayer_49()
        self.denseblock4_8 = DenseLayer_50()
        self.denseblock4_9 = DenseLayer_51()
        self.denseblock4_10 = DenseLayer_52()
        self.denseblock4_11 = DenseLayer_53()
        self.denseblock4_12 = DenseLayer_54()
        self.denseblock4_13 = DenseLayer_55()
        self.denseblock4_14 = DenseLayer_56()
        self.denseblock4_15 = DenseLayer_57()
        self.denseblock4_16 = DenseLayer_58()
        self.norm5 = nn.BatchNorm2d(1024)
        self.relu_2 = nn.ReLU()
        self.global_avg_pool2d_1 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.classifier = nn.Linear(1024, 1000)

    def forward(self, x):
        x = self.conv0(x)  # (64, 112, 112)
        x = self.norm0(x)  # (64, 112, 112)
        x = self.relu_1(x)  # (64, 112, 112)
        x = self.pool0(x)  # (64, 56, 56)
        x = self.stage1_denseblock_1(x)  # (96, 56, 56)
        x = self.stage1_denseblock_2(x)  # (128, 56, 56)
        x = self.stage1_denseblock_3(x)  # (160, 56, 56)
        x = self.stage1_denseblock_4(x)  # (192, 56, 56)
        x = self.stage1_denseblock_5(x)  # (224, 56, 56)
        x = self.stage1_denseblock_6(x)  # (256, 56, 56)
        x = self.stage1(x)  # (128, 28, 28)
        x = self.stage2_denseblock_1(x)  # (160, 28, 28)
        x = self.stage2_denseblock_2(x)  # (192, 28, 28)
        x = self.stage2_denseblock_3(x)  # (224, 28, 28)
        x = self.stage2_denseblock_4(x)  # (256, 28, 28)
        x = self.stage2_denseblock_5(x)  # (288, 28, 28)
        x = self.stage2_denseblock_6(x)  # (320, 28, 28)
        x = self.stage2_denseblock_7(x)  # (352, 28, 28)
        x = self.stage2_denseblock_8(x)  # (384, 28, 28)
        x = self.stage2_denseblock_9(x)  # (416, 28, 28)
        x = self.stage2_denseblock_10(x)  # (448, 28, 28)
        x = self.stage2_denseblock_11(x)  # (480, 28, 28)
        x = self.stage2_denseblock_12(x)  # (512, 28, 28)
        x = self.stage2(x)  # (256, 14, 14)
        x = self.stage3_denseblock_1(x)  # (288, 14, 14)
        x = self.stage3_denseblock_2(x)  # (320, 14, 14)
        x = self.stage3_denseblock_3(x)  # (352, 14, 14)
        x = self.stage3_denseblock_4(x)  # (384, 14, 14)
        x = self.stage3_denseblock_5(x)  # (416, 14, 14)
        x = self.stage3_denseblock_6(x)  # (448, 14, 14)
        x = self.stage3_denseblock_7(x)  # (480, 14, 14)
        x = self.stage3_denseblock_8(x)  # (512, 14, 14)
        x = self.stage3_denseblock_9(x)  # (544, 14, 14)
        x = self.stage3_denseblock_10(x)  # (576, 14, 14)
        x = self.stage3_denseblock_11(x)  # (608, 14, 14)
        x = self.stage3_denseblock_12(x)  # (640, 14, 14)
        x = self.stage3_denseblock_13(x)  # (672, 14, 14)
        x = self.stage3_denseblock_14(x)  # (704, 14, 14)
        x = self.stage3_denseblock_15(x)  # (736, 14, 14)
        x = self.stage3_denseblock_16(x)  # (768, 14, 14)
        x = self.stage3_denseblock_17(x)  # (800, 14, 14)
        x = self.stage3_denseblock_18(x)  # (832, 14, 14)
        x = self.stage3_denseblock_19(x)  # (864, 14, 14)
        x = self.stage3_denseblock_20(x)  # (896, 14, 14)
        x = self.stage3_denseblock_21(x)  # (928, 14, 14)
        x = self.stage3_denseblock_22(x)  # (960, 14, 14)
        x = self.stage3_denseblock_23(x)  # (992, 14, 14)
        x = self.stage3_denseblock_24(x)  # (1024, 14, 14)
        x = self.stage3(x)  # (512, 7, 7)
        x = self.denseblock4_1(x)  # (544, 7, 7)
        x = self.denseblock4_2(x)  # (576, 7, 7)
        x = self.denseblock4_3(x)  # (608, 7, 7)
        x = self.denseblock4_4(x)  # (640, 7, 7)
        x = self.denseblock4_5(x)  # (672, 7, 7)
        x = self.denseblock4_6(x)  # (704, 7, 7)
        x = self.denseblock4_7(x)  # (736, 7, 7)
        x = self.denseblock4_8(x)  # (768, 7, 7)
        x = self.denseblock4_9(x)  # (800, 7, 7)
        x = self.denseblock4_10(x)  # (832, 7, 7)
        x = self.denseblock4_11(x)  # (864, 7, 7)
        x = self.denseblock4_12(x)  # (896, 7, 7)
        x = self.denseblock4_13(x)  # (928, 7, 7)
        x = self.denseblock4_14(x)  # (960, 7, 7)
        x = self.denseblock4_15(x)  # (992, 7, 7)
        x = self.denseblock4_16(x)  # (1024, 7, 7)
        x = self.norm5(x)  # (1024, 7, 7)
        x = self.relu_2(x)  # (1024, 7, 7)
        x = self.global_avg_pool2d_1(x)  # (1024,)
        x = self.classifier(x)  # (1000,)
        return x


def build_model():
    return Densenet121()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
