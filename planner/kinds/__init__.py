"""The table of layer kinds: every layer type layerplan knows, found by name or alias.

>>> resolve_type("Conv2D", input_rank=3).name
'conv2d'
>>> resolve_type("Upsample", input_rank=4).name
'upsample3d'
"""

from __future__ import annotations

from .base import Kind, LayerCall, LayerError, Outcome
from .conv import conv_kinds
from .core import core_kinds
from .learned import learned_kinds
from .custom import custom_kinds
from .indexing import indexing_kinds
from .matching import matching_kinds
from .merge import merge_kinds
from .norm import norm_kinds
from .pool import pool_kinds
from .resample import resample_kinds
from .sequence import sequence_kinds
from .shape_ops import shape_op_kinds
from .split import split_kinds
from .time_distributed import time_distributed_kinds

__all__ = ["KINDS", "Kind", "LayerCall", "LayerError", "Outcome", "resolve_type", "normalise_type", "type_names"]

#: canonical type name -> Kind, in documentation order.
KINDS: dict[str, Kind] = {kind.name: kind for kind in conv_kinds() + pool_kinds() + resample_kinds() + core_kinds()
                           + learned_kinds() + norm_kinds() + sequence_kinds() + shape_op_kinds() + split_kinds()
                           + merge_kinds() + matching_kinds() + indexing_kinds() + custom_kinds()
                           + time_distributed_kinds()}

# Alias spellings per family; "{d}" is the number of spatial axes. Matched after lower-casing
# and removing underscores, so Conv2D, Conv2d and conv_2d all match "conv{d}d".
_FAMILY_ALIASES: dict[str, tuple[str, ...]] = {
    "conv": ("conv{d}d", "convolution{d}d"),
    "conv_transpose": ("convtranspose{d}d", "conv{d}dtranspose", "convolution{d}dtranspose", "deconv{d}d"),
    "depthwise_conv": ("depthwiseconv{d}d", "depthwiseconvolution{d}d"),
    "separable_conv": ("separableconv{d}d", "separableconvolution{d}d"),
    "max_pool": ("maxpool{d}d", "maxpooling{d}d"),
    "avg_pool": ("avgpool{d}d", "averagepooling{d}d", "averagepool{d}d"),
    "global_avg_pool": ("globalavgpool{d}d", "globalaveragepooling{d}d", "globalaveragepool{d}d"),
    "global_max_pool": ("globalmaxpool{d}d", "globalmaxpooling{d}d"),
    "adaptive_avg_pool": ("adaptiveavgpool{d}d", "adaptiveaveragepooling{d}d", "adaptiveaveragepool{d}d"),
    "adaptive_max_pool": ("adaptivemaxpool{d}d", "adaptivemaxpooling{d}d"),
    "upsample": ("upsample{d}d", "upsampling{d}d"),
    "zero_padding": ("zeropadding{d}d", "zeropad{d}d"),
    "cropping": ("cropping{d}d",),
    "batch_norm": ("batchnorm{d}d", "batchnormalization{d}d"),
    "instance_norm": ("instancenorm{d}d", "instancenormalization{d}d"),
    "reflection_padding": ("reflectionpad{d}d", "reflectionpadding{d}d"),
    "replication_padding": ("replicationpad{d}d", "replicationpadding{d}d"),
    "spatial_dropout": ("spatialdropout{d}d",),
}
_EXTRA_ALIASES = {"cat": "concatenate", "concat": "concatenate", "sub": "subtract", "mul": "multiply",
                  "linear": "dense", "fullyconnected": "dense", "view": "reshape", "hardsilu": "hard_swish",
                  "dropout1d": "spatial_dropout1d", "dropout2d": "spatial_dropout2d", "dropout3d": "spatial_dropout3d",
                  "groupnormalization": "group_norm", "layernormalization": "layer_norm", "simplernn": "rnn",
                  "multiheadattn": "multi_head_attention", "depthtospace": "pixel_shuffle",
                  "spacetodepth": "pixel_unshuffle",
                  "expanddims": "unsqueeze", "swapaxes": "transpose"}


def normalise_type(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _build_alias_table() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}  # normalised alias -> canonical kind name
    dimensionless: dict[str, str] = {}  # normalised alias -> family (dims from the input rank)
    for kind in KINDS.values():
        exact[normalise_type(kind.name)] = kind.name
        for template in _FAMILY_ALIASES.get(kind.family, ()):
            exact[template.format(d=kind.dims)] = kind.name
            dimensionless[template.replace("{d}d", "")] = kind.family
        if kind.dims and kind.family != kind.name:
            dimensionless[normalise_type(kind.family)] = kind.family
    for alias, target in _EXTRA_ALIASES.items():
        exact[alias] = target
    return exact, dimensionless


_EXACT, _DIMENSIONLESS = _build_alias_table()


def type_names() -> list[str]:
    """Every spelling accepted as a type (canonical names first), for suggestions and completion."""
    return list(KINDS) + sorted(set(_EXACT) | set(_DIMENSIONLESS))


def is_known_type(name: str) -> bool:
    token = normalise_type(name)
    return token in _EXACT or token in _DIMENSIONLESS


def resolve_type(name: str, input_rank: int | None) -> Kind | None:
    """The Kind for a type name; a type without a dimension suffix takes it from the input rank.

    Returns None when the name is unknown, or when the dimension depends on an unknown rank.
    Raises LayerError(wrong-rank) when the rank fits no dimension of the family.
    """
    token = normalise_type(name)
    if token in _EXACT:
        return KINDS[_EXACT[token]]
    family = _DIMENSIONLESS.get(token)
    if family is None or input_rank is None:
        return None
    if family == "batch_norm":
        dims = {1: 1, 2: 1, 3: 2, 4: 3}.get(input_rank)
    else:
        dims = input_rank - 1 if 2 <= input_rank <= 4 else None
    if dims is None:
        raise LayerError("wrong-rank", f"{name} takes inputs with 1 to 3 spatial axes; got rank {input_rank}")
    return KINDS[f"{family}{dims}d"]
