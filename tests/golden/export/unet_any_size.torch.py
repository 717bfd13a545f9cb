"""unet_any_size: written by layerplan export from examples/unet_any_size.yaml (torch, 31,037,698 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 256, 256)


class DoubleConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (64, 256, 256)
        x = self.bn1(x)  # (64, 256, 256)
        x = self.relu_1(x)  # (64, 256, 256)
        x = self.conv2(x)  # (64, 256, 256)
        x = self.bn2(x)  # (64, 256, 256)
        x = self.relu_2(x)  # (64, 256, 256)
        return x


class Down(nn.Module):
    def __init__(self):
        super().__init__()
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)

    def forward(self, x):
        x = self.max_pool2d_1(x)  # (64, 128, 128)
        return x


class DoubleConv_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(64, 128, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (128, 128, 128)
        x = self.bn1(x)  # (128, 128, 128)
        x = self.relu_1(x)  # (128, 128, 128)
        x = self.conv2(x)  # (128, 128, 128)
        x = self.bn2(x)  # (128, 128, 128)
        x = self.relu_2(x)  # (128, 128, 128)
        return x


class Down_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)

    def forward(self, x):
        x = self.max_pool2d_1(x)  # (128, 64, 64)
        return x


class DoubleConv_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(128, 256, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(256)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (256, 64, 64)
        x = self.bn1(x)  # (256, 64, 64)
        x = self.relu_1(x)  # (256, 64, 64)
        x = self.conv2(x)  # (256, 64, 64)
        x = self.bn2(x)  # (256, 64, 64)
        x = self.relu_2(x)  # (256, 64, 64)
        return x


class Down_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)

    def forward(self, x):
        x = self.max_pool2d_1(x)  # (256, 32, 32)
        return x


class DoubleConv_4(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(256, 512, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(512)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (512, 32, 32)
        x = self.bn1(x)  # (512, 32, 32)
        x = self.relu_1(x)  # (512, 32, 32)
        x = self.conv2(x)  # (512, 32, 32)
        x = self.bn2(x)  # (512, 32, 32)
        x = self.relu_2(x)  # (512, 32, 32)
        return x


class Down_4(nn.Module):
    def __init__(self):
        super().__init__()
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)

    def forward(self, x):
        x = self.max_pool2d_1(x)  # (512, 16, 16)
        return x


class DoubleConv_5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(512, 1024, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(1024)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(1024, 1024, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(1024)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (1024, 16, 16)
        x = self.bn1(x)  # (1024, 16, 16)
        x = self.relu_1(x)  # (1024, 16, 16)
        x = self.conv2(x)  # (1024, 16, 16)
        x = self.bn2(x)  # (1024, 16, 16)
        x = self.relu_2(x)  # (1024, 16, 16)
        return x


class DoubleConv_6(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1024, 512, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(512)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (512, 32, 32)
        x = self.bn1(x)  # (512, 32, 32)
        x = self.relu_1(x)  # (512, 32, 32)
        x = self.conv2(x)  # (512, 32, 32)
        x = self.bn2(x)  # (512, 32, 32)
        x = self.relu_2(x)  # (512, 32, 32)
        return x


class DoubleConv_7(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(512, 256, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(256)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (256, 64, 64)
        x = self.bn1(x)  # (256, 64, 64)
        x = self.relu_1(x)  # (256, 64, 64)
        x = self.conv2(x)  # (256, 64, 64)
        x = self.bn2(x)  # (256, 64, 64)
        x = self.relu_2(x)  # (256, 64, 64)
        return x


class DoubleConv_8(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(256, 128, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (128, 128, 128)
        x = self.bn1(x)  # (128, 128, 128)
        x = self.relu_1(x)  # (128, 128, 128)
        x = self.conv2(x)  # (128, 128, 128)
        x = self.bn2(x)  # (128, 128, 128)
        x = self.relu_2(x)  # (128, 128, 128)
        return x


class DoubleConv_9(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(128, 64, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.relu_2 = nn.ReLU()

    def forward(self, x):
        x = self.conv1(x)  # (64, 256, 256)
        x = self.bn1(x)  # (64, 256, 256)
        x = self.relu_1(x)  # (64, 256, 256)
        x = self.conv2(x)  # (64, 256, 256)
        x = self.bn2(x)  # (64, 256, 256)
        x = self.relu_2(x)  # (64, 256, 256)
        return x


class UnetAnySize(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = DoubleConv()
        self.down_1 = Down()
        self.down_1_conv = DoubleConv_2()
        self.down_2 = Down_2()
        self.down_2_conv = DoubleConv_3()
        self.down_3 = Down_3()
        self.down_3_conv = DoubleConv_4()
        self.down_4 = Down_4()
        self.down_4_conv = DoubleConv_5()
        self.up1_up = nn.ConvTranspose2d(1024, 512, kernel_size=2, stride=2)
        self.up1_conv = DoubleConv_6()
        self.up2_up = nn.ConvTranspose2d(512, 256, kernel_size=2, stride=2)
        self.up2_conv = DoubleConv_7()
        self.up3_up = nn.ConvTranspose2d(256, 128, kernel_size=2, stride=2)
        self.up3_conv = DoubleConv_8()
        self.up4_up = nn.ConvTranspose2d(128, 64, kernel_size=2, stride=2)
        self.up4_conv = DoubleConv_9()
        self.outc = nn.Conv2d(64, 2, kernel_size=1)

    def forward(self, x):
        inc_relu_2 = self.inc(x)  # (64, 256, 256)
        x = self.down_1(inc_relu_2)  # (64, 128, 128)
        down_1_conv_relu_2 = self.down_1_conv(x)  # (128, 128, 128)
        x = self.down_2(down_1_conv_relu_2)  # (128, 64, 64)
        down_2_conv_relu_2 = self.down_2_conv(x)  # (256, 64, 64)
        x = self.down_3(down_2_conv_relu_2)  # (256, 32, 32)
        down_3_conv_relu_2 = self.down_3_conv(x)  # (512, 32, 32)
        x = self.down_4(down_3_conv_relu_2)  # (512, 16, 16)
        x = self.down_4_conv(x)  # (1024, 16, 16)
        # up1
        x = self.up1_up(x)  # (512, 32, 32)
        x = nn.functional.pad(x, (0, 0, 0, 0))  # (512, 32, 32)
        x = torch.cat([down_3_conv_relu_2, x], dim=1)  # (1024, 32, 32)
        x = self.up1_conv(x)  # (512, 32, 32)
        # up2
        x = self.up2_up(x)  # (256, 64, 64)
        x = nn.functional.pad(x, (0, 0, 0, 0))  # (256, 64, 64)
        x = torch.cat([down_2_conv_relu_2, x], dim=1)  # (512, 64, 64)
        x = self.up2_conv(x)  # (256, 64, 64)
        # up3
        x = self.up3_up(x)  # (128, 128, 128)
        x = nn.functional.pad(x, (0, 0, 0, 0))  # (128, 128, 128)
        x = torch.cat([down_1_conv_relu_2, x], dim=1)  # (256, 128, 128)
        x = self.up3_conv(x)  # (128, 128, 128)
        # up4
        x = self.up4_up(x)  # (64, 256, 256)
        x = nn.functional.pad(x, (0, 0, 0, 0))  # (64, 256, 256)
        x = torch.cat([inc_relu_2, x], dim=1)  # (128, 256, 256)
        x = self.up4_conv(x)  # (64, 256, 256)
        x = self.outc(x)  # (2, 256, 256)
        return x


def build_model():
    return UnetAnySize()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
