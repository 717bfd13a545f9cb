"""resnet18: written by layerplan export from examples/resnet18.yaml (torch, 11,689,512 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 224, 224)


class Basic(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.relu_2 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (64, 56, 56)
        x = self.bn1(x)  # (64, 56, 56)
        x = self.relu_1(x)  # (64, 56, 56)
        x = self.conv2(x)  # (64, 56, 56)
        x = self.bn2(x)  # (64, 56, 56)
        x = x + inputs  # (64, 56, 56)
        x = self.relu_2(x)  # (64, 56, 56)
        return x


class Basic_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(64, 128, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(128)
        self.downsample_0 = nn.Conv2d(64, 128, kernel_size=1, stride=2, bias=False)
        self.downsample_1 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (128, 28, 28)
        x = self.bn1(x)  # (128, 28, 28)
        x = self.relu_1(x)  # (128, 28, 28)
        x = self.conv2(x)  # (128, 28, 28)
        bn2 = self.bn2(x)  # (128, 28, 28)
        x = self.downsample_0(inputs)  # (128, 28, 28)
        x = self.downsample_1(x)  # (128, 28, 28)
        x = bn2 + x  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        return x


class Basic_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (128, 28, 28)
        x = self.bn1(x)  # (128, 28, 28)
        x = self.relu_1(x)  # (128, 28, 28)
        x = self.conv2(x)  # (128, 28, 28)
        x = self.bn2(x)  # (128, 28, 28)
        x = x + inputs  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        return x


class Basic_4(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(128, 256, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(256)
        self.downsample_0 = nn.Conv2d(128, 256, kernel_size=1, stride=2, bias=False)
        self.downsample_1 = nn.BatchNorm2d(256)
        self.relu_2 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (256, 14, 14)
        x = self.bn1(x)  # (256, 14, 14)
        x = self.relu_1(x)  # (256, 14, 14)
        x = self.conv2(x)  # (256, 14, 14)
        bn2 = self.bn2(x)  # (256, 14, 14)
        x = self.downsample_0(inputs)  # (256, 14, 14)
        x = self.downsample_1(x)  # (256, 14, 14)
        x = bn2 + x  # (256, 14, 14)
        x = self.relu_2(x)  # (256, 14, 14)
        return x


class Basic_5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(256)
        self.relu_2 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (256, 14, 14)
        x = self.bn1(x)  # (256, 14, 14)
        x = self.relu_1(x)  # (256, 14, 14)
        x = self.conv2(x)  # (256, 14, 14)
        x = self.bn2(x)  # (256, 14, 14)
        x = x + inputs  # (256, 14, 14)
        x = self.relu_2(x)  # (256, 14, 14)
        return x


class Basic_6(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(256, 512, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(512)
        self.downsample_0 = nn.Conv2d(256, 512, kernel_size=1, stride=2, bias=False)
        self.downsample_1 = nn.BatchNorm2d(512)
        self.relu_2 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (512, 7, 7)
        x = self.bn1(x)  # (512, 7, 7)
        x = self.relu_1(x)  # (512, 7, 7)
        x = self.conv2(x)  # (512, 7, 7)
        bn2 = self.bn2(x)  # (512, 7, 7)
        x = self.downsample_0(inputs)  # (512, 7, 7)
        x = self.downsample_1(x)  # (512, 7, 7)
        x = bn2 + x  # (512, 7, 7)
        x = self.relu_2(x)  # (512, 7, 7)
        return x


class Basic_7(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(512)
        self.relu_2 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (512, 7, 7)
        x = self.bn1(x)  # (512, 7, 7)
        x = self.relu_1(x)  # (512, 7, 7)
        x = self.conv2(x)  # (512, 7, 7)
        x = self.bn2(x)  # (512, 7, 7)
        x = x + inputs  # (512, 7, 7)
        x = self.relu_2(x)  # (512, 7, 7)
        return x


class Resnet18(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1_0 = Basic()
        self.layer1_1 = Basic()
        self.layer2_0 = Basic_2()
        self.layer2_1 = Basic_3()
        self.layer3_0 = Basic_4()
        self.layer3_1 = Basic_5()
        self.layer4_0 = Basic_6()
        self.layer4_1 = Basic_7()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten_1 = nn.Flatten()
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        x = self.conv1(x)  # (64, 112, 112)
        x = self.bn1(x)  # (64, 112, 112)
        x = self.relu_1(x)  # (64, 112, 112)
        x = self.maxpool(x)  # (64, 56, 56)
        x = self.layer1_0(x)  # (64, 56, 56)
        x = self.layer1_1(x)  # (64, 56, 56)
        x = self.layer2_0(x)  # (128, 28, 28)
        x = self.layer2_1(x)  # (128, 28, 28)
        x = self.layer3_0(x)  # (256, 14, 14)
        x = self.layer3_1(x)  # (256, 14, 14)
        x = self.layer4_0(x)  # (512, 7, 7)
        x = self.layer4_1(x)  # (512, 7, 7)
        x = self.avgpool(x)  # (512, 1, 1)
        x = self.flatten_1(x)  # (512,)
        x = self.fc(x)  # (1000,)
        return x


def build_model():
    return Resnet18()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
