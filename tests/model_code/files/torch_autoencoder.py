"""A convolutional autoencoder: encoder and decoder attributes, F.interpolate, a sigmoid output."""
import torch
import torch.nn as nn
import torch.nn.functional as F

# layerplan: input 1x28x28


class AutoEncoder(nn.Module):
    def __init__(self, code=8):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, code, 3, stride=2, padding=1), nn.ReLU(),
        )
        self.dec1 = nn.Conv2d(code, 16, 3, padding=1)
        self.dec2 = nn.Conv2d(16, 1, 3, padding=1)

    def forward(self, x):
        z = self.encoder(x)
        x = F.interpolate(z, scale_factor=2, mode="nearest")
        x = F.relu(self.dec1(x))
        x = F.interpolate(x, scale_factor=2)
        return torch.sigmoid(self.dec2(x))
