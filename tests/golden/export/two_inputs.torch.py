"""image-and-metadata: written by layerplan export from examples/two_inputs.yaml (torch, 6,865 parameters)."""

import torch
from torch import nn

INPUT_SHAPE = {"image": (3, 64, 64), "metadata": (10,)}


class ImageAndMetadata(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv2d_1 = nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)
        self.relu_1 = nn.ReLU()
        self.conv2d_2 = nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1)
        self.relu_2 = nn.ReLU()
        self.image_features = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.dense_1 = nn.Linear(10, 16)
        self.metadata_features = nn.ReLU()
        self.dense_2 = nn.Sequential(nn.Linear(48, 32), nn.ReLU())
        self.score = nn.Linear(32, 1)

    def forward(self, image, metadata):
        x = self.conv2d_1(image)  # (16, 32, 32)
        x = self.relu_1(x)  # (16, 32, 32)
        x = self.conv2d_2(x)  # (32, 16, 16)
        x = self.relu_2(x)  # (32, 16, 16)
        image_features = self.image_features(x)  # (32,)
        x = self.dense_1(metadata)  # (16,)
        x = self.metadata_features(x)  # (16,)
        x = torch.cat([image_features, x], dim=1)  # (48,)
        x = self.dense_2(x)  # (32,)
        x = self.score(x)  # (1,)
        return x


def build_model():
    return ImageAndMetadata()


if __name__ == "__main__":
    model = build_model()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = {name: torch.zeros(1, *shape) for name, shape in INPUT_SHAPE.items()}
    with torch.no_grad():
        y = model(**x)
    print(y.shape)
