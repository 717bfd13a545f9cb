"""A transformer encoder block: self-attention (x, w = attn(x, x, x)), residuals, LayerNorm, a feed-forward."""
import torch.nn as nn
import torch.nn.functional as F

D_MODEL = 64
HEADS = 4


class TransformerBlock(nn.Module):
    def __init__(self, d_model=D_MODEL, heads=HEADS, ff=4 * D_MODEL, dropout=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff1 = nn.Linear(d_model, ff)
        self.ff2 = nn.Linear(ff, d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        attended, weights = self.attn(x, x, x)
        x = self.norm1(x + self.drop(attended))
        h = self.ff2(F.gelu(self.ff1(x)))
        return self.norm2(x + self.drop(h))


# layerplan: input 16x64
