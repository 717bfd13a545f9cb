"""A factory in the style of a model zoo: its sizes come from the members of enum classes (a width preset
and a pretrained-weights record that stays unused by default), its backbone's stages are picked by name
from the modules it registers, and its forward returns a dict of outputs."""

from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum
from typing import Optional

import torch
from torch import nn
from torch.nn import functional as F

# layerplan: input 3x20x20

_COMMON = {"categories": ["background", "cat", "dog"], "recipe": "none"}


@dataclass
class Record:
    url: str
    meta: dict


class Preset(Enum):
    SMALL = (8, 16)
    LARGE = (16, 32)


class SegmenterWeights(Enum):
    DEMO_V1 = Record(url="https://example.invalid/segmenter.pth", meta={**_COMMON, "num_params": 0})

    @classmethod
    def verify(cls, obj):
        if obj is not None and not isinstance(obj, cls):
            raise TypeError(f"expected {cls.__name__}")
        return obj

    @property
    def meta(self):
        return self.value.meta


class Backbone(nn.Module):
    def __init__(self, widths):
        super().__init__()
        first, second = widths
        self.stem = nn.Sequential(nn.Conv2d(3, first, 3, padding=1), nn.ReLU())
        self.stage1 = nn.Sequential(nn.Conv2d(first, second, 3, stride=2, padding=1), nn.ReLU())
        self.stage2 = nn.Conv2d(second, second, 3, padding=1)

    def forward(self, x):
        return self.stage2(self.stage1(self.stem(x)))


class Stages(nn.ModuleDict):
    """The backbone's children up to the last one asked for, returning the named ones."""

    def __init__(self, model, wanted):
        if not set(wanted).issubset([name for name, _ in model.named_children()]):
            raise ValueError("a wanted stage is not in the model")
        remaining = dict(wanted)
        stages = OrderedDict()
        for name, module in model.named_children():
            stages[name] = module
            if name in remaining:
                del remaining[name]
            if not remaining:
                break
        super().__init__(stages)
        self.wanted = wanted

    def forward(self, x):
        found = OrderedDict()
        for name, module in self.items():
            x = module(x)
            if name in self.wanted:
                found[self.wanted[name]] = x
        return found


class Segmenter(nn.Module):
    def __init__(self, backbone, channels, classes):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Conv2d(channels, classes, 1)

    def forward(self, x):
        size = x.shape[-2:]
        features = self.backbone(x)
        out = F.interpolate(self.head(features["out"]), size=size, mode="bilinear", align_corners=False)
        result = OrderedDict()
        result["out"] = out
        return result


def segmenter(*, weights: Optional[SegmenterWeights] = None, preset: Preset = Preset.SMALL,
              classes: Optional[int] = None):
    weights = SegmenterWeights.verify(weights)
    if weights is not None:
        classes = len(weights.meta["categories"])
    elif classes is None:
        classes = 4 if preset.name == "SMALL" else 6
    backbone = Stages(Backbone(preset.value), {"stage1": "out"})
    model = Segmenter(backbone, preset.value[1], classes)
    if weights is not None:
        model.load_state_dict(torch.hub.load_state_dict_from_url(weights.value.url))
    return model
