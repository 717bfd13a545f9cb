"""Tensor operations between layers: sizes read from tensors, made tensors, slices and reductions.

Written for layerplan's tests; each class is planned with its own -i (tests/model_code/cases.py).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Sampler(nn.Module):
    """A variational autoencoder: the code is drawn around the mean with noise shaped like it."""

    def __init__(self, width=400, code=16):
        super().__init__()
        self.enc = nn.Linear(784, width)
        self.mu = nn.Linear(width, code)
        self.logvar = nn.Linear(width, code)
        self.dec = nn.Linear(code, 784)

    def encode(self, x):
        h = F.relu(self.enc(x.view(-1, 784)))
        return self.mu(h), self.logvar(h)

    def forward(self, x):
        mu, logvar = self.encode(x)
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        z = mu + eps * std
        z = F.dropout(z, 0.1, training=self.training)
        return torch.sigmoid(self.dec(z)).view(-1, 1, 28, 28)


class LastStep(nn.Module):
    """A two-layer LSTM run from zero states; the head reads its last step."""

    def __init__(self, features=28, hidden=64, layers=2, classes=10):
        super().__init__()
        self.hidden, self.layers = hidden, layers
        self.lstm = nn.LSTM(features, hidden, layers, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        h0 = torch.zeros(self.layers, x.size(0), self.hidden).to(device)
        c0 = torch.zeros(self.layers, x.size(0), self.hidden).to(device)
        out, _ = self.lstm(x, (h0, c0))
        out = out[:, -1, :]
        scale = x.shape[-1] / x.size()[1]
        return self.head(out * scale)


class PadUp(nn.Module):
    """Down, up, padded back to the input's size, joined with it; a gate from the pooled channels."""

    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(3, 8, 3, stride=2)
        self.up = nn.ConvTranspose2d(8, 8, 2, stride=2)
        self.out = nn.Conv2d(11, 4, 1)

    def forward(self, x):
        y = self.up(self.down(x))
        dy = x.size()[2] - y.size()[2]
        dx = x.size(3) - y.size(3)
        y = F.pad(y, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
        y = F.interpolate(y, size=x.shape[2:])
        joined = torch.cat([x, y], dim=1)
        gate = torch.sigmoid(joined.mean(dim=(2, 3), keepdim=True)[:, :4])
        return self.out(joined) * gate
