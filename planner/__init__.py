"""layerplan's engine: plan neural-network layer stacks exactly as PyTorch and Keras compute them.

Pure Python: no click, no rich, no printing. Data flows one way:
spec text -> Document (values + positions) -> Spec -> plan -> Report.

>>> from layerplan.planner import plan_data
>>> plan_data({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]}).output
(32, 28, 28)
"""

from .diagnostics import CATALOG, Diagnostic, Severity, SpecReadError
from .api import plan_data, plan_document, plan_text, unreadable_report
from .plan import plan_spec
from .report import LayerRow, Report
from .spec_text import Document, load_text
from .spec import build_spec, parse_shape

__all__ = [
    "CATALOG", "Diagnostic", "Document", "LayerRow", "Report", "Severity", "SpecReadError", "build_spec",
    "load_text", "parse_shape", "plan_data", "plan_document", "plan_spec", "plan_text", "unreadable_report",
]
