"""layerplan: plan neural-network layer shapes and parameter counts exactly as PyTorch and Keras compute them.

The Python API (docs/python-api.md) loads on first use, so `import layerplan` and the command stay fast:

>>> import layerplan
>>> report = layerplan.plan({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 32, "kernel_size": 3}}]})
>>> report.output, report.total_params
((32, 26, 26), 320)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: the public names: the version, and the Python API (defined in cli/python_api.py)
__all__ = ["__version__", "plan", "explain", "solve_input", "solve_expect", "solve_conv", "solve_pool",
           "solve_conv_transpose", "Report", "LayerRow", "Diagnostic", "Severity", "SpecReadError"]

if TYPE_CHECKING:
    from layerplan.python_api import (Diagnostic, LayerRow, Report, Severity, SpecReadError, explain, plan,
                                      solve_conv, solve_conv_transpose, solve_expect, solve_input, solve_pool)


def __getattr__(name: str):
    if name in __all__:
        from layerplan import python_api

        return getattr(python_api, name)
    raise AttributeError(f"module 'layerplan' has no attribute {name!r}")
