"""A small MNIST classifier as an nn.Sequential, with its training loop."""
import torch
import torch.nn as nn

# layerplan: input 1x28x28

HIDDEN = 32
NUM_CLASSES = 10

model = nn.Sequential(
    nn.Conv2d(1, HIDDEN, kernel_size=3, padding=1),
    nn.BatchNorm2d(HIDDEN),
    nn.ReLU(inplace=True),
    nn.MaxPool2d(2),
    nn.Conv2d(HIDDEN, HIDDEN * 2, 3, stride=2),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d((1, 1)),
    nn.Flatten(),
    nn.Dropout(0.25),
    nn.Linear(HIDDEN * 2, NUM_CLASSES),
)

optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()


def train(loader, epochs=2):
    for epoch in range(epochs):
        for images, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    train([])
