"""A text classifier that keeps a pretrained embedding and its first convolution fixed."""
import torch
from torch import nn
import torch.nn.functional as F

# layerplan: input 20

VOCABULARY, WIDTH = 500, 16


class FrozenTextNet(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.embedding = nn.Embedding(VOCABULARY, WIDTH)
        self.embedding.weight.requires_grad = False  # one tensor: all of the embedding's weights
        self.conv = nn.Conv1d(WIDTH, 12, 3)
        self.conv.requires_grad_(False)
        self.norm = nn.BatchNorm1d(12)
        self.proj = nn.Linear(12, 8, bias=False)
        self.proj.weight.requires_grad_(False)
        self.head = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, classes))
        for p in self.head[0].parameters():
            p.requires_grad = False
        self.norm.requires_grad_(False)
        self.norm.requires_grad_(True)  # trainable again

    def forward(self, tokens):
        x = self.embedding(tokens).transpose(1, 2)
        x = F.relu(self.norm(self.conv(x)))
        x = x.mean(dim=2)
        return self.head(self.proj(x))
