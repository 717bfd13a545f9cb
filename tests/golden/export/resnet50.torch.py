"""resnet50: written by layerplan export from examples/resnet50.yaml (torch, 25,557,032 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 224, 224)


class Project(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(64, 64, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(64, 256, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(256)
        self.downsample = nn.Conv2d(64, 256, kernel_size=1, bias=False)
        self.downsample_bn = nn.BatchNorm2d(256)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (64, 56, 56)
        x = self.bn1(x)  # (64, 56, 56)
        x = self.relu_1(x)  # (64, 56, 56)
        x = self.conv2(x)  # (64, 56, 56)
        x = self.bn2(x)  # (64, 56, 56)
        x = self.relu_2(x)  # (64, 56, 56)
        x = self.conv3(x)  # (256, 56, 56)
        bn3 = self.bn3(x)  # (256, 56, 56)
        x = self.downsample(inputs)  # (256, 56, 56)
        x = self.downsample_bn(x)  # (256, 56, 56)
        x = bn3 + x  # (256, 56, 56)
        x = self.relu_3(x)  # (256, 56, 56)
        return x


class Identity(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(256, 64, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(64, 256, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(256)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (64, 56, 56)
        x = self.bn1(x)  # (64, 56, 56)
        x = self.relu_1(x)  # (64, 56, 56)
        x = self.conv2(x)  # (64, 56, 56)
        x = self.bn2(x)  # (64, 56, 56)
        x = self.relu_2(x)  # (64, 56, 56)
        x = self.conv3(x)  # (256, 56, 56)
        x = self.bn3(x)  # (256, 56, 56)
        x = x + inputs  # (256, 56, 56)
        x = self.relu_3(x)  # (256, 56, 56)
        return x


class Project_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(256, 128, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 128, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(128, 512, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(512)
        self.downsample = nn.Conv2d(256, 512, kernel_size=1, stride=2, bias=False)
        self.downsample_bn = nn.BatchNorm2d(512)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (128, 56, 56)
        x = self.bn1(x)  # (128, 56, 56)
        x = self.relu_1(x)  # (128, 56, 56)
        x = self.conv2(x)  # (128, 28, 28)
        x = self.bn2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv3(x)  # (512, 28, 28)
        bn3 = self.bn3(x)  # (512, 28, 28)
        x = self.downsample(inputs)  # (512, 28, 28)
        x = self.downsample_bn(x)  # (512, 28, 28)
        x = bn3 + x  # (512, 28, 28)
        x = self.relu_3(x)  # (512, 28, 28)
        return x


class Identity_2(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(512, 128, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(128)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(128)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(128, 512, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(512)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (128, 28, 28)
        x = self.bn1(x)  # (128, 28, 28)
        x = self.relu_1(x)  # (128, 28, 28)
        x = self.conv2(x)  # (128, 28, 28)
        x = self.bn2(x)  # (128, 28, 28)
        x = self.relu_2(x)  # (128, 28, 28)
        x = self.conv3(x)  # (512, 28, 28)
        x = self.bn3(x)  # (512, 28, 28)
        x = x + inputs  # (512, 28, 28)
        x = self.relu_3(x)  # (512, 28, 28)
        return x


class Project_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(512, 256, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(256, 256, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(256)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(256, 1024, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(1024)
        self.downsample = nn.Conv2d(512, 1024, kernel_size=1, stride=2, bias=False)
        self.downsample_bn = nn.BatchNorm2d(1024)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (256, 28, 28)
        x = self.bn1(x)  # (256, 28, 28)
        x = self.relu_1(x)  # (256, 28, 28)
        x = self.conv2(x)  # (256, 14, 14)
        x = self.bn2(x)  # (256, 14, 14)
        x = self.relu_2(x)  # (256, 14, 14)
        x = self.conv3(x)  # (1024, 14, 14)
        bn3 = self.bn3(x)  # (1024, 14, 14)
        x = self.downsample(inputs)  # (1024, 14, 14)
        x = self.downsample_bn(x)  # (1024, 14, 14)
        x = bn3 + x  # (1024, 14, 14)
        x = self.relu_3(x)  # (1024, 14, 14)
        return x


class Identity_3(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1024, 256, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(256)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(256)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(256, 1024, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(1024)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (256, 14, 14)
        x = self.bn1(x)  # (256, 14, 14)
        x = self.relu_1(x)  # (256, 14, 14)
        x = self.conv2(x)  # (256, 14, 14)
        x = self.bn2(x)  # (256, 14, 14)
        x = self.relu_2(x)  # (256, 14, 14)
        x = self.conv3(x)  # (1024, 14, 14)
        x = self.bn3(x)  # (1024, 14, 14)
        x = x + inputs  # (1024, 14, 14)
        x = self.relu_3(x)  # (1024, 14, 14)
        return x


class Project_4(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1024, 512, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(512, 512, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(512)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(512, 2048, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(2048)
        self.downsample = nn.Conv2d(1024, 2048, kernel_size=1, stride=2, bias=False)
        self.downsample_bn = nn.BatchNorm2d(2048)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (512, 14, 14)
        x = self.bn1(x)  # (512, 14, 14)
        x = self.relu_1(x)  # (512, 14, 14)
        x = self.conv2(x)  # (512, 7, 7)
        x = self.bn2(x)  # (512, 7, 7)
        x = self.relu_2(x)  # (512, 7, 7)
        x = self.conv3(x)  # (2048, 7, 7)
        bn3 = self.bn3(x)  # (2048, 7, 7)
        x = self.downsample(inputs)  # (2048, 7, 7)
        x = self.downsample_bn(x)  # (2048, 7, 7)
        x = bn3 + x  # (2048, 7, 7)
        x = self.relu_3(x)  # (2048, 7, 7)
        return x


class Identity_4(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2048, 512, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(512)
        self.relu_1 = nn.ReLU()
        self.conv2 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(512)
        self.relu_2 = nn.ReLU()
        self.conv3 = nn.Conv2d(512, 2048, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(2048)
        self.relu_3 = nn.ReLU()

    def forward(self, inputs):
        x = self.conv1(inputs)  # (512, 7, 7)
        x = self.bn1(x)  # (512, 7, 7)
        x = self.relu_1(x)  # (512, 7, 7)
        x = self.conv2(x)  # (512, 7, 7)
        x = self.bn2(x)  # (512, 7, 7)
        x = self.relu_2(x)  # (512, 7, 7)
        x = self.conv3(x)  # (2048, 7, 7)
        x = self.bn3(x)  # (2048, 7, 7)
        x = x + inputs  # (2048, 7, 7)
        x = self.relu_3(x)  # (2048, 7, 7)
        return x


class Resnet50(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1_0 = Project()
        self.layer1_1 = Identity()
        self.layer1_2 = Identity()
        self.layer2_0 = Project_2()
        self.layer2_1 = Identity_2()
        self.layer2_2 = Identity_2()
        self.layer2_3 = Identity_2()
        self.layer3_0 = Project_3()
        self.layer3_1 = Identity_3()
        self.layer3_2 = Identity_3()
        self.layer3_3 = Identity_3()
        self.layer3_4 = Identity_3()
        self.layer3_5 = Identity_3()
        self.layer4_0 = Project_4()
        self.layer4_1 = Identity_4()
        self.layer4_2 = Identity_4()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten_1 = nn.Flatten()
        self.fc = nn.Linear(2048, 1000)

    def forward(self, x):
        x = self.conv1(x)  # (64, 112, 112)
        x = self.bn1(x)  # (64, 112, 112)
        x = self.relu_1(x)  # (64, 112, 112)
        x = self.maxpool(x)  # (64, 56, 56)
        x = self.layer1_0(x)  # (256, 56, 56)
        x = self.layer1_1(x)  # (256, 56, 56)
        x = self.layer1_2(x)  # (256, 56, 56)
        x = self.layer2_0(x)  # (512, 28, 28)
        x = self.layer2_1(x)  # (512, 28, 28)
        x = self.layer2_2(x)  # (512, 28, 28)
        x = self.layer2_3(x)  # (512, 28, 28)
        x = self.layer3_0(x)  # (1024, 14, 14)
        x = self.layer3_1(x)  # (1024, 14, 14)
        x = self.layer3_2(x)  # (1024, 14, 14)
        x = self.layer3_3(x)  # (1024, 14, 14)
        x = self.layer3_4(x)  # (1024, 14, 14)
        x = self.layer3_5(x)  # (1024, 14, 14)
        x = self.layer4_0(x)  # (2048, 7, 7)
        x = self.layer4_1(x)  # (2048, 7, 7)
        x = self.layer4_2(x)  # (2048, 7, 7)
        x = self.avgpool(x)  # (2048, 1, 1)
        x = self.flatten_1(x)  # (2048,)
        x = self.fc(x)  # (1000,)
        return x


def build_model():
    return Resnet50()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
