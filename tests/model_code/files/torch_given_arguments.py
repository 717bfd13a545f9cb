"""Models whose constructors need arguments that have no default: a sub-pixel super-resolution
network (the upscale factor) and a configurable feature stack (the name of its configuration)."""

import torch
import torch.nn as nn

CONFIGURATIONS = {"small": [8, "M", 16, "M"], "wide": [16, "M", 32, 32, "M"]}


class SuperResolution(nn.Module):
    def __init__(self, upscale_factor, channels=1):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 8, 3, padding=1)
        self.conv3 = nn.Conv2d(8, channels * upscale_factor ** 2, 3, padding=1)
        self.shuffle = nn.PixelShuffle(upscale_factor)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        return self.shuffle(self.conv3(x))


class Features(nn.Module):
    def __init__(self, configuration, classes=10):
        super().__init__()
        layers = []
        channels = 3
        for width in CONFIGURATIONS[configuration]:
            if width == "M":
                layers.append(nn.MaxPool2d(2))
            else:
                layers.append(nn.Conv2d(channels, width, 3, padding=1))
                layers.append(nn.ReLU())
                channels = width
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(channels, classes)

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.classifier(torch.flatten(x, 1))
