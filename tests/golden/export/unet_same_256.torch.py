"""unet-same-256: written by layerplan export from examples/unet_same_256.yaml (torch, 7,846,657 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 256, 256)


class UnetSame256(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv2d_1 = nn.Sequential(
            nn.Conv2d(3, 32, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.enc1 = nn.Sequential(
            nn.Conv2d(32, 32, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_1 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_3 = nn.Sequential(
            nn.Conv2d(32, 64, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.enc2 = nn.Sequential(
            nn.Conv2d(64, 64, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_2 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_5 = nn.Sequential(
            nn.Conv2d(64, 128, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.enc3 = nn.Sequential(
            nn.Conv2d(128, 128, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_3 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_7 = nn.Sequential(
            nn.Conv2d(128, 256, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.enc4 = nn.Sequential(
            nn.Conv2d(256, 256, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.max_pool2d_4 = nn.MaxPool2d(kernel_size=2)
        self.conv2d_9 = nn.Sequential(
            nn.Conv2d(256, 512, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.bottom = nn.Sequential(
            nn.Conv2d(512, 512, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.up4 = nn.Upsample(scale_factor=2)
        self.conv2d_11 = nn.Sequential(
            nn.Conv2d(768, 256, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.conv2d_12 = nn.Sequential(
            nn.Conv2d(256, 256, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.up3 = nn.Upsample(scale_factor=2)
        self.conv2d_13 = nn.Sequential(
            nn.Conv2d(384, 128, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.conv2d_14 = nn.Sequential(
            nn.Conv2d(128, 128, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.up2 = nn.Upsample(scale_factor=2)
        self.conv2d_15 = nn.Sequential(
            nn.Conv2d(192, 64, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.conv2d_16 = nn.Sequential(
            nn.Conv2d(64, 64, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.up1 = nn.Upsample(scale_factor=2)
        self.conv2d_17 = nn.Sequential(
            nn.Conv2d(96, 32, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.conv2d_18 = nn.Sequential(
            nn.Conv2d(32, 32, kernel_size=3, padding="same"), nn.ReLU()
        )
        self.mask = nn.Sequential(nn.Conv2d(32, 1, kernel_size=1), nn.Sigmoid())

    def forward(self, x):
        x = self.conv2d_1(x)  # (32, 256, 256)
        enc1 = self.enc1(x)  # (32, 256, 256)
        x = self.max_pool2d_1(enc1)  # (32, 128, 128)
        x = self.conv2d_3(x)  # (64, 128, 128)
        enc2 = self.enc2(x)  # (64, 128, 128)
        x = self.max_pool2d_2(enc2)  # (64, 64, 64)
        x = self.conv2d_5(x)  # (128, 64, 64)
        enc3 = self.enc3(x)  # (128, 64, 64)
        x = self.max_pool2d_3(enc3)  # (128, 32, 32)
        x = self.conv2d_7(x)  # (256, 32, 32)
        enc4 = self.enc4(x)  # (256, 32, 32)
        x = self.max_pool2d_4(enc4)  # (256, 16, 16)
        x = self.conv2d_9(x)  # (512, 16, 16)
        x = self.bottom(x)  # (512, 16, 16)
        x = self.up4(x)  # (512, 32, 32)
        x = torch.cat([x, enc4], dim=1)  # (768, 32, 32)
        x = self.conv2d_11(x)  # (256, 32, 32)
        x = self.conv2d_12(x)  # (256, 32, 32)
        x = self.up3(x)  # (256, 64, 64)
        x = torch.cat([x, enc3], dim=1)  # (384, 64, 64)
        x = self.conv2d_13(x)  # (128, 64, 64)
        x = self.conv2d_14(x)  # (128, 64, 64)
        x = self.up2(x)  # (128, 128, 128)
        x = torch.cat([x, enc2], dim=1)  # (192, 128, 128)
        x = self.conv2d_15(x)  # (64, 128, 128)
        x = self.conv2d_16(x)  # (64, 128, 128)
        x = self.up1(x)  # (64, 256, 256)
        x = torch.cat([x, enc1], dim=1)  # (96, 256, 256)
        x = self.conv2d_17(x)  # (32, 256, 256)
        x = self.conv2d_18(x)  # (32, 256, 256)
        x = self.mask(x)  # (1, 256, 256)
        return x


def build_model():
    return UnetSame256()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
