"""weight_norm and spectral_norm: options of conv, transposed conv and dense layers that reparametrise the
weight, and so change the parameter count as each framework counts it.

- torch weight_norm (torch.nn.utils.parametrizations.weight_norm, dim=0): the weight becomes a direction v
  (the weight's size) and a magnitude g with one value per slice along the weight's first axis: + out
  channels (conv), + in channels (transposed conv, whose weight is (C_in, C_out/groups, k...)), + units (dense).
  keras 3 has no WeightNormalization layer.
- spectral_norm: torch keeps the power-iteration vectors u and v as buffers, which are not parameters, so
  the count is unchanged; keras SpectralNormalization keeps vector_u, a non-trainable weight as long as the
  kernel's last axis: + filters (conv), + in channels (transposed conv, kernel (k..., C_out, C_in)), + units.
"""

from __future__ import annotations

from .base import Outcome
from ..options import TORCH, Option, boolean

WEIGHT_NORM = Option("weight_norm", boolean, "boolean",
                     "torch: weight_norm reparametrisation (adds weight_g: one param per output slice)", False,
                     frameworks=TORCH)
SPECTRAL_NORM = Option("spectral_norm", boolean, "boolean",
                       "spectral_norm (torch: u, v buffers, no params; keras SpectralNormalization: a non-trainable "
                       "vector_u)", False)


def add_weight_wrappers(outcome: Outcome, options: dict, framework: str, first_axis: int, last_axis: int) -> None:
    """Add what weight_norm / spectral_norm count: `first_axis` and `last_axis` are the sizes of the torch
    weight's first axis and the keras kernel's last axis.

    >>> outcome = Outcome(output=(25, 10), params=175)
    >>> add_weight_wrappers(outcome, {"weight_norm": True, "spectral_norm": False}, "torch", 25, 25)
    >>> outcome.params
    200
    """
    if options.get("weight_norm") and framework == "torch":
        outcome.params += first_axis
    if options.get("spectral_norm") and framework == "keras":
        outcome.params += last_axis
        outcome.non_trainable += last_axis
