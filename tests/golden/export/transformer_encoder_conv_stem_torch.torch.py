"""transformer-encoder-conv-stem-torch: written by layerplan export from examples/transformer_encoder_conv_stem_torch.yaml (torch, 67,978 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = (3, 64, 64)


class TransformerEncoderConvStemTorch(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem1 = nn.Sequential(
            nn.Conv2d(3, 32, kernel_size=3, stride=2, padding=1), nn.GELU()
        )
        self.stem2 = nn.Conv2d(32, 64, kernel_size=4, stride=4)
        self.grid = nn.Flatten(2)
        self.norm1 = nn.LayerNorm(64, eps=1e-06)
        self.attention = nn.MultiheadAttention(64, 4, dropout=0.1, batch_first=True)
        self.norm2 = nn.LayerNorm(64, eps=1e-06)
        self.ffn1 = nn.Sequential(nn.Linear(64, 128), nn.GELU())
        self.ffn2 = nn.Linear(128, 64)
        self.norm3 = nn.LayerNorm(64)
        self.pool = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.classes = nn.Linear(64, 10)

    def forward(self, x):
        x = self.stem1(x)  # (32, 32, 32)
        x = self.stem2(x)  # (64, 8, 8)
        x = self.grid(x)  # (64, 64)
        tokens = x.transpose(1, 2)  # (64, 64)
        x = self.norm1(tokens)  # (64, 64)
        x, _ = self.attention(x, x, x, need_weights=False)  # (64, 64)
        residual1 = x + tokens  # (64, 64)
        x = self.norm2(residual1)  # (64, 64)
        x = self.ffn1(x)  # (64, 128)
        x = self.ffn2(x)  # (64, 64)
        x = x + residual1  # (64, 64)
        x = self.norm3(x)  # (64, 64)
        x = x.transpose(1, 2)  # (64, 64)
        x = self.pool(x)  # (64,)
        x = self.classes(x)  # (10,)
        return x


def build_model():
    return TransformerEncoderConvStemTorch()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.zeros(1, *INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    print(y.shape)
