"""A training script whose model takes its sizes from the command line (argparse), run as
`python torch_script_options.py --hidden-size 256`; without arguments it uses the defaults."""

import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser(description="train a small image classifier")
parser.add_argument("--epochs", type=int, default=20, help="passes over the data")
parser.add_argument("--img_size", type=int, default="28", help="side of the square images")
parser.add_argument("-c", "--channels", type=int, default=1)
parser.add_argument("--hidden-size", type=int, default=96, help="width of the hidden layer")
parser.add_argument("--batch-norm", action="store_true", help="normalise the hidden layer")
parser.add_argument("--no-dropout", dest="dropout", action="store_false")
model_options = parser.add_argument_group("model")
model_options.add_argument("--classes", default=10, type=int)
model_options.add_argument("--activation", default="relu", choices=["relu", "tanh"])
opt, unknown = parser.parse_known_args()
print(opt)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        features = opt.channels * opt.img_size * opt.img_size
        layers = [nn.Flatten(), nn.Linear(features, opt.hidden_size)]
        if opt.batch_norm:
            layers.append(nn.BatchNorm1d(opt.hidden_size))
        layers.append(nn.ReLU() if opt.activation == "relu" else nn.Tanh())
        if opt.dropout:
            layers.append(nn.Dropout(0.5))
        layers.append(nn.Linear(opt.hidden_size, opt.classes))
        self.model = nn.Sequential(*layers)

    def forward(self, images):
        return self.model(images)


model = Classifier()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(opt.epochs):
    pass
