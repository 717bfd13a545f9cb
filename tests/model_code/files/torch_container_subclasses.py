"""Blocks that are torch containers themselves (nn.Sequential, nn.ModuleDict and nn.ModuleList subclasses), and
a subclass of a torch layer class."""

import torch
from torch import Tensor, nn


class ConvUnit(nn.Sequential):
    """A convolution, a norm and an activation: the list is handed to nn.Sequential."""

    def __init__(self, channels_in, channels_out, kernel=3, stride=1, norm=nn.BatchNorm2d, act=nn.ReLU):
        pad = (kernel - 1) // 2
        parts = [nn.Conv2d(channels_in, channels_out, kernel, stride, pad, bias=norm is None)]
        if norm is not None:
            parts.append(norm(channels_out))
        if act is not None:
            parts.append(act(inplace=True))
        super().__init__(*parts)
        self.channels_out = channels_out


class PointUnit(ConvUnit):
    def __init__(self, channels_in, channels_out):
        super().__init__(channels_in, channels_out, kernel=1, act=None)


class Shrink(nn.Sequential):
    """Modules assigned as attributes after nn.Sequential's own __init__: applied in that order."""

    def __init__(self, channels_in, channels_out):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels_in)
        self.act = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(channels_in, channels_out, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)
        self.note = "not a module"


class Grow(nn.Module):
    def __init__(self, channels_in, growth):
        super().__init__()
        self.conv = nn.Conv2d(channels_in, growth, kernel_size=3, padding=1)

    def forward(self, features: Tensor) -> Tensor:
        raise NotImplementedError  # replaced by the definition below, as Python does

    def forward(self, features):  # noqa: F811
        if isinstance(features, Tensor):
            features = [features]
        return self.conv(torch.cat(features, 1))


class GrowBlock(nn.ModuleDict):
    """Layers added by name with add_module; forward walks them with items()."""

    def __init__(self, count, channels_in, growth):
        super().__init__()
        for index in range(count):
            self.add_module("grow%d" % (index + 1), Grow(channels_in + index * growth, growth))

    def forward(self, x):
        features = [x]
        for _, layer in self.items():
            features.append(layer(features))
        return torch.cat(features, 1)


class Stages(nn.ModuleList):
    """A list of stages grown with append; the model loops over it."""

    def __init__(self, channels, count):
        super().__init__()
        for _ in range(count):
            self.append(ConvUnit(channels, channels))


class PlainConv(nn.Conv2d):
    """A framework layer class with other defaults: it is the layer its __init__ makes."""

    def __init__(self, channels_in, channels_out):
        super().__init__(in_channels=channels_in, out_channels=channels_out, kernel_size=3, padding=1, bias=False)

    @staticmethod
    def stride_for(step):
        return step, step


class Net(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = ConvUnit(3, 16, stride=2)
        self.mix = PointUnit(self.stem.channels_out, 8)
        self.block = GrowBlock(3, 8, 4)
        self.shrink = Shrink(20, 12)
        self.stages = Stages(12, 2)
        self.widen = PlainConv(12, 12)
        self.head = nn.Linear(12, classes if isinstance(self.widen, PlainConv) else 2 * classes)

    def forward(self, x):
        x = self.block(self.mix(self.stem(x)))
        x = self.shrink(x)
        for index in range(len(self.stages)):
            x = self.stages[index](x)
        x = self.widen(x)
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.head(x)
