"""A small vision transformer whose learned tensors are held by the model itself: a class token joined
to the patch tokens, a position embedding added to them, a per-feature scale; and a PReLU per channel."""

# layerplan: input 3x32x32

import math

import torch
import torch.nn as nn


class PatchStem(nn.Module):
    def __init__(self, channels, width, patch):
        super().__init__()
        self.conv = nn.Conv2d(channels, width, kernel_size=patch, stride=patch)
        self.act = nn.PReLU(width)

    def forward(self, x):
        return self.act(self.conv(x))


class TokenMixer(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.fc = nn.Linear(width, width)
        self.gain = nn.Parameter(torch.ones(width) * 0.1)

    def forward(self, x):
        return x + self.fc(self.norm(x)) * self.gain


class TinyVisionTransformer(nn.Module):
    def __init__(self, image_size=32, patch=8, width=24, classes=10):
        super().__init__()
        self.width = width
        self.stem = PatchStem(3, width, patch)
        tokens = (image_size // patch) ** 2
        self.class_token = nn.Parameter(torch.zeros(1, 1, width))
        self.position = nn.Parameter(torch.empty(1, tokens + 1, width).normal_(std=0.02))
        self.mixers = nn.Sequential(TokenMixer(width), TokenMixer(width))
        self.head = nn.Linear(width, classes)
        if isinstance(self.head, nn.Linear):
            bound = 1 / math.sqrt(width)
            nn.init.uniform_(self.head.weight, -bound, bound)

    def forward(self, x):
        n = x.shape[0]
        x = self.stem(x)
        x = x.reshape(n, self.width, -1).permute(0, 2, 1)
        token = self.class_token.expand(n, -1, -1)
        x = torch.cat([token, x], dim=1)
        x = x + self.position
        x = self.mixers(x)
        return self.head(x[:, 0])
