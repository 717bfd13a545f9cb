"""Reusable blocks: a convolution with its normalisation and activation, and a residual branch
dropped at random while training."""

import torch
from torch import nn


def random_skip(x, rate, training):
    if rate < 0.0 or rate > 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    if not training or rate == 0.0:
        return x
    keep = torch.empty(x.shape[0], 1, 1, 1).bernoulli_(1.0 - rate)
    return x * keep / (1.0 - rate)


class RandomSkip(nn.Module):
    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        return random_skip(x, self.rate, self.training)


class ConvNormAct(nn.Sequential):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, activation=nn.ReLU):
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, kernel_size // 2, bias=False),
                  nn.BatchNorm2d(out_channels)]
        if activation is not None:
            layers.append(activation(inplace=True))
        super().__init__(*layers)
        self.out_channels = out_channels
