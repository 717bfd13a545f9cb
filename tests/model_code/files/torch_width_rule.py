"""Layer widths from a quantised exponential rule computed with torch on constants (as a RegNet design
space does): a linear ramp, its position in log space rounded, widths rounded to multiples of 8, and the
stages where the width changes."""

import math

import torch
import torch.nn as nn

# layerplan: input 3x32x32


def stage_widths(depth=9, w_0=24, w_a=18.5, w_m=2.3, quant=8):
    ramp = torch.arange(depth) * w_a + w_0
    steps = torch.round(torch.log(ramp / w_0) / math.log(w_m))
    widths = (torch.round(torch.divide(w_0 * torch.pow(w_m, steps), quant)) * quant).int().tolist()
    starts = [i for i in range(depth) if i == 0 or widths[i] != widths[i - 1]]
    depths = torch.diff(torch.tensor(starts + [depth])).int().tolist()
    return [widths[i] for i in starts], depths


class Ramp(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        widths, depths = stage_widths()
        layers, channels = [], 3
        for width, depth in zip(widths, depths):
            for index in range(depth):
                layers += [nn.Conv2d(channels, width, 3, stride=2 if index == 0 else 1, padding=1), nn.ReLU()]
                channels = width
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(channels, classes)

    def forward(self, x):
        return self.head(torch.flatten(self.pool(self.features(x)), 1))
