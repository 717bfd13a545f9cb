"""A two-level U-Net with torch.cat skips, a helper that returns nn.Sequential, and a helper method."""
import torch
from torch import nn


def double_conv(in_ch, out_ch):
    return nn.Sequential(
        nn.Conv2d(in_ch, out_ch, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(out_ch, out_ch, 3, padding=1),
        nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    base = 8

    def __init__(self, in_channels=1, classes=2):
        super().__init__()
        b = self.base
        self.down1 = double_conv(in_channels, b)
        self.down2 = double_conv(b, b * 2)
        self.pool = nn.MaxPool2d(2)
        self.middle = double_conv(b * 2, b * 4)
        self.up2 = nn.ConvTranspose2d(b * 4, b * 2, 2, stride=2)
        self.dec2 = double_conv(b * 4, b * 2)
        self.up1 = nn.ConvTranspose2d(b * 2, b, kernel_size=2, stride=2)
        self.dec1 = double_conv(b * 2, b)
        self.head = nn.Conv2d(b, classes, 1)

    def decode(self, x, skip, up, conv):
        x = up(x)
        x = torch.cat([x, skip], dim=1)
        return conv(x)

    def forward(self, x):
        s1 = self.down1(x)
        s2 = self.down2(self.pool(s1))
        x = self.middle(self.pool(s2))
        x = self.decode(x, s2, self.up2, self.dec2)
        x = self.decode(x, s1, self.up1, self.dec1)
        return self.head(x)
