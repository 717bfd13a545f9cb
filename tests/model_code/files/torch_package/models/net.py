"""A classifier built from the package's blocks, imported by the package's absolute name and relatively."""

from torch import nn

from torch_package.ops.blocks import ConvNormAct
from ..ops import RandomSkip

# layerplan: input 3x32x32


class Residual(nn.Module):
    def __init__(self, channels, rate):
        super().__init__()
        self.body = nn.Sequential(ConvNormAct(channels, channels), ConvNormAct(channels, channels, activation=None))
        self.skip = RandomSkip(rate)

    def forward(self, x):
        return x + self.skip(self.body(x))


class Net(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = ConvNormAct(3, 16, stride=2)
        self.block = Residual(self.stem.out_channels, 0.2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(16, classes)

    def forward(self, x):
        x = self.block(self.stem(x))
        return self.head(self.pool(x).flatten(1))
