from collections import OrderedDict

import torch.nn as nn

# layerplan: input 3x32x32

model = nn.Sequential(OrderedDict([
    ("conv1", nn.Conv2d(3, 16, 5)),
    ("relu1", nn.ReLU()),
    ("pool1", nn.MaxPool2d(kernel_size=2, stride=2)),
    ("conv2", nn.Conv2d(16, 32, 5, bias=False)),
    ("bn2", nn.BatchNorm2d(32)),
    ("relu2", nn.ReLU()),
    ("pool2", nn.AvgPool2d(2)),
    ("flatten", nn.Flatten()),
    ("fc", nn.Linear(32 * 5 * 5, 10)),
]))
