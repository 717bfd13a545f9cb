import torch.nn as nn


def conv_bn(in_ch, out_ch, stride):
    return [nn.Conv2d(in_ch, out_ch, 3, stride, 1, bias=False), nn.BatchNorm2d(out_ch), nn.ReLU6(inplace=True)]


def build_model(width=16, depth=3):
    layers = []
    channels = 3
    for i in range(depth):
        layers += conv_bn(channels, width * 2 ** i, 2)
        channels = width * 2 ** i
    layers.append(nn.AdaptiveAvgPool2d(1))
    layers.append(nn.Flatten())
    layers.append(nn.Linear(channels, 5))
    return nn.Sequential(*layers)
