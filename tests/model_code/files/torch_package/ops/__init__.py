from .blocks import ConvNormAct, RandomSkip

__all__ = ["ConvNormAct", "RandomSkip"]
