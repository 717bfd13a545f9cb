"""A siamese network: one tower applied to both images (its weights are shared), then a head on the pair."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EMBED = 32


class SiameseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5)
        self.conv2 = nn.Conv2d(16, 32, 5)
        self.fc = nn.Linear(32 * 4 * 4, EMBED)
        self.head = nn.Linear(2 * EMBED, 1)

    def embed(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.view(x.size(0), -1))

    def forward(self, left, right):
        a = self.embed(left)
        b = self.embed(right)
        return torch.sigmoid(self.head(torch.cat([a, b], dim=1)))


def contrastive_loss(a, b, label, margin=1.0):
    distance = F.pairwise_distance(a, b)
    return torch.mean(label * distance ** 2 + (1 - label) * torch.clamp(margin - distance, min=0) ** 2)


# layerplan: input 1x28x28
if __name__ == "__main__":
    net = SiameseNet()
    print(net(torch.zeros(2, 1, 28, 28), torch.zeros(2, 1, 28, 28)).shape)
