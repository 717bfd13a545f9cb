"""MobileNetV2 inverted residuals: depthwise convs (groups = channels), ReLU6, a residual on a flag."""
import torch.nn as nn

# layerplan: input 3x32x32


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        hidden = inp * expand_ratio
        self.use_res_connect = stride == 1 and inp == oup
        self.conv = nn.Sequential(
            nn.Conv2d(inp, hidden, 1, 1, 0, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU6(inplace=True),
            nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU6(inplace=True),
            nn.Conv2d(hidden, oup, 1, 1, 0, bias=False),
            nn.BatchNorm2d(oup),
        )

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class TinyMobileNet(nn.Module):
    def __init__(self, n_class=10):
        super().__init__()
        settings = [(16, 1, 1), (24, 2, 2), (24, 1, 2)]
        layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6(inplace=True)]
        channels = 16
        for c, s, t in settings:
            layers.append(InvertedResidual(channels, c, s, t))
            channels = c
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(channels, n_class)

    def forward(self, x):
        x = self.features(x)
        x = x.mean([2, 3]) if False else nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x)
