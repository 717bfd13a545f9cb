"""resnet18: written by layerplan export from examples/resnet18.yaml (torch, 11,689,512 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 224, 224)


class Resnet18(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu_1 = nn.ReLU()
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1_1_conv1 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.layer1_1_bn1 = nn.BatchNorm2d(64)
        self.layer1_1_relu_1 = nn.ReLU()
        self.layer1_1_conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.layer1_1_bn2 = nn.BatchNorm2d(64)
        self.layer1_1_relu_2 = nn.ReLU()
        self.layer1_2_conv1 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.layer1_2_bn1 = nn.BatchNorm2d(64)
        self.layer1_2_relu_1 = nn.ReLU()
        self.layer1_2_conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=False)
        self.layer1_2_bn2 = nn.BatchNorm2d(64)
        self.layer1_2_relu_2 = nn.ReLU()
        self.layer2_0_conv1 = nn.Conv2d(
            64, 128, kernel_size=3, stride=2, padding=1, bias=False
        )
        self.layer2_0_bn1 = nn.BatchNorm2d(128)
        self.layer2_0_relu_1 = nn.ReLU()
        self.layer2_0_conv2 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.layer2_0_bn2 = nn.BatchNorm2d(128)
        self.layer2_0_downsample = nn.Conv2d(
            64, 128, kernel_size=1, stride=2, bias=False
        )
        self.layer2_0_downsample_bn = nn.BatchNorm2d(128)
        self.layer2_0_relu_2 = nn.ReLU()
        self.layer2_1_conv1 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.layer2_1_bn1 = nn.BatchNorm2d(128)
        self.layer2_1_relu_1 = nn.ReLU()
        self.layer2_1_conv2 = nn.Conv2d(128, 128, kernel_size=3, padding=1, bias=False)
        self.layer2_1_bn2 = nn.BatchNorm2d(128)
        self.layer2_1_relu_2 = nn.ReLU()
        self.layer3_0_conv1 = nn.Conv2d(
            128, 256, kernel_size=3, stride=2, padding=1, bias=False
        )
        self.layer3_0_bn1 = nn.BatchNorm2d(256)
        self.layer3_0_relu_1 = nn.ReLU()
        self.layer3_0_conv2 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.layer3_0_bn2 = nn.BatchNorm2d(256)
        self.layer3_0_downsample = nn.Conv2d(
            128, 256, kernel_size=1, stride=2, bias=False
        )
        self.layer3_0_downsample_bn = nn.BatchNorm2d(256)
        self.layer3_0_relu_2 = nn.ReLU()
        self.layer3_1_conv1 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.layer3_1_bn1 = nn.BatchNorm2d(256)
        self.layer3_1_relu_1 = nn.ReLU()
        self.layer3_1_conv2 = nn.Conv2d(256, 256, kernel_size=3, padding=1, bias=False)
        self.layer3_1_bn2 = nn.BatchNorm2d(256)
        self.layer3_1_relu_2 = nn.ReLU()
        self.layer4_0_conv1 = nn.Conv2d(
            256, 512, kernel_size=3, stride=2, padding=1, bias=False
        )
        self.layer4_0_bn1 = nn.BatchNorm2d(512)
        self.layer4_0_relu_1 = nn.ReLU()
        self.layer4_0_conv2 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.layer4_0_bn2 = nn.BatchNorm2d(512)
        self.layer4_0_downsample = nn.Conv2d(
            256, 512, kernel_size=1, stride=2, bias=False
        )
        self.layer4_0_downsample_bn = nn.BatchNorm2d(512)
        self.layer4_0_relu_2 = nn.ReLU()
        self.layer4_1_conv1 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.layer4_1_bn1 = nn.BatchNorm2d(512)
        self.layer4_1_relu_1 = nn.ReLU()
        self.layer4_1_conv2 = nn.Conv2d(512, 512, kernel_size=3, padding=1, bias=False)
        self.layer4_1_bn2 = nn.BatchNorm2d(512)
        self.layer4_1_relu_2 = nn.ReLU()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten_1 = nn.Flatten()
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        x = self.conv1(x)  # (64, 112, 112)
        x = self.bn1(x)  # (64, 112, 112)
        x = self.relu_1(x)  # (64, 112, 112)
        maxpool = self.maxpool(x)  # (64, 56, 56)
        # layer1.1
        x = self.layer1_1_conv1(maxpool)  # (64, 56, 56)
        x = self.layer1_1_bn1(x)  # (64, 56, 56)
        x = self.layer1_1_relu_1(x)  # (64, 56, 56)
        x = self.layer1_1_conv2(x)  # (64, 56, 56)
        x = self.layer1_1_bn2(x)  # (64, 56, 56)
        x = x + maxpool  # (64, 56, 56)
        layer1_1_relu_2 = self.layer1_1_relu_2(x)  # (64, 56, 56)
        # layer1.2
        x = self.layer1_2_conv1(layer1_1_relu_2)  # (64, 56, 56)
        x = self.layer1_2_bn1(x)  # (64, 56, 56)
        x = self.layer1_2_relu_1(x)  # (64, 56, 56)
        x = self.layer1_2_conv2(x)  # (64, 56, 56)
        x = self.layer1_2_bn2(x)  # (64, 56, 56)
        x = x + layer1_1_relu_2  # (64, 56, 56)
        layer1_2_relu_2 = self.layer1_2_relu_2(x)  # (64, 56, 56)
        # layer2.0
        x = self.layer2_0_conv1(layer1_2_relu_2)  # (128, 28, 28)
        x = self.layer2_0_bn1(x)  # (128, 28, 28)
        x = self.layer2_0_relu_1(x)  # (128, 28, 28)
        x = self.layer2_0_conv2(x)  # (128, 28, 28)
        layer2_0_bn2 = self.layer2_0_bn2(x)  # (128, 28, 28)
        x = self.layer2_0_downsample(layer1_2_relu_2)  # (128, 28, 28)
        x = self.layer2_0_downsample_bn(x)  # (128, 28, 28)
        x = layer2_0_bn2 + x  # (128, 28, 28)
        layer2_0_relu_2 = self.layer2_0_relu_2(x)  # (128, 28, 28)
        # layer2.1
        x = self.layer2_1_conv1(layer2_0_relu_2)  # (128, 28, 28)
        x = self.layer2_1_bn1(x)  # (128, 28, 28)
        x = self.layer2_1_relu_1(x)  # (128, 28, 28)
        x = self.layer2_1_conv2(x)  # (128, 28, 28)
        x = self.layer2_1_bn2(x)  # (128, 28, 28)
        x = x + layer2_0_relu_2  # (128, 28, 28)
        layer2_1_relu_2 = self.layer2_1_relu_2(x)  # (128, 28, 28)
        # layer3.0
        x = self.layer3_0_conv1(layer2_1_relu_2)  # (256, 14, 14)
        x = self.layer3_0_bn1(x)  # (256, 14, 14)
        x = self.layer3_0_relu_1(x)  # (256, 14, 14)
        x = self.layer3_0_conv2(x)  # (256, 14, 14)
        layer3_0_bn2 = self.layer3_0_bn2(x)  # (256, 14, 14)
        x = self.layer3_0_downsample(layer2_1_relu_2)  # (256, 14, 14)
        x = self.layer3_0_downsample_bn(x)  # (256, 14, 14)
        x = layer3_0_bn2 + x  # (256, 14, 14)
        layer3_0_relu_2 = self.layer3_0_relu_2(x)  # (256, 14, 14)
        # layer3.1
        x = self.layer3_1_conv1(layer3_0_relu_2)  # (256, 14, 14)
        x = self.layer3_1_bn1(x)  # (256, 14, 14)
        x = self.layer3_1_relu_1(x)  # (256, 14, 14)
        x = self.layer3_1_conv2(x)  # (256, 14, 14)
        x = self.layer3_1_bn2(x)  # (256, 14, 14)
        x = x + layer3_0_relu_2  # (256, 14, 14)
        layer3_1_relu_2 = self.layer3_1_relu_2(x)  # (256, 14, 14)
        # layer4.0
        x = self.layer4_0_conv1(layer3_1_relu_2)  # (512, 7, 7)
        x = self.layer4_0_bn1(x)  # (512, 7, 7)
        x = self.layer4_0_relu_1(x)  # (512, 7, 7)
        x = self.layer4_0_conv2(x)  # (512, 7, 7)
        layer4_0_bn2 = self.layer4_0_bn2(x)  # (512, 7, 7)
        x = self.layer4_0_downsample(layer3_1_relu_2)  # (512, 7, 7)
        x = self.layer4_0_downsample_bn(x)  # (512, 7, 7)
        x = layer4_0_bn2 + x  # (512, 7, 7)
        layer4_0_relu_2 = self.layer4_0_relu_2(x)  # (512, 7, 7)
        # layer4.1
        x = self.layer4_1_conv1(layer4_0_relu_2)  # (512, 7, 7)
        x = self.layer4_1_bn1(x)  # (512, 7, 7)
        x = self.layer4_1_relu_1(x)  # (512, 7, 7)
        x = self.layer4_1_conv2(x)  # (512, 7, 7)
        x = self.layer4_1_bn2(x)  # (512, 7, 7)
        x = x + layer4_0_relu_2  # (512, 7, 7)
        x = self.layer4_1_relu_2(x)  # (512, 7, 7)
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
