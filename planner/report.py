"""The result of planning one spec: rows per layer, totals, diagnostics; `to_dict()` is spec-v1's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.diagnostics import Diagnostic, Severity
from planner.kinds.base import AxisGeometry

Shape = tuple[int, ...]


@dataclass
class LayerRow:
    """One planned layer. `output` / `params` are None when they cannot be computed."""

    index: int
    name: str
    type: str
    input: Shape | None = None
    output: Shape | None = None
    params: int | None = None
    non_trainable: int | None = None
    geometry: list[AxisGeometry] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    severity: Severity | None = None  # worst diagnostic on this layer
    # graphs: the names this layer reads (layers or spec inputs), their shapes, and the block uses
    # (full names, outermost first) it was expanded from
    inputs: list[str] = field(default_factory=list)
    input_shapes: list[Shape | None] = field(default_factory=list)
    block_path: tuple[str, ...] = ()

    @property
    def trainable(self) -> int | None:
        if self.params is None or self.non_trainable is None:
            return None
        return self.params - self.non_trainable

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "name": self.name,
            "type": self.type,
            "input": _list(self.input),
            "output": _list(self.output),
            "params": self.params,
            "trainable_params": self.trainable,
            "non_trainable_params": self.non_trainable,
            "inputs": list(self.inputs),
            "block": self.block_path[-1] if self.block_path else None,
        }


def _list(shape: Shape | None) -> list[int] | None:
    return None if shape is None else list(shape)


@dataclass
class Report:
    """A planned spec.

    >>> from planner import plan_data
    >>> report = plan_data({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 32, "kernel_size": 3}}]})
    >>> report.output, report.total_params, report.ok
    ((32, 26, 26), 320, True)
    """

    file: str
    framework: str
    input: Shape | None
    layers: list[LayerRow] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    name: str | None = None
    batch: int = 1
    read_error: bool = False  # the spec could not be read at all (exit status 2)
    dtype: str = "float32"  # element type for the memory estimates (activation_bytes, param_bytes)
    inputs: dict[str, Shape | None] = field(default_factory=dict)  # every input by name
    output_map: dict[str, Shape | None] | None = None  # set when the spec names its outputs

    @property
    def outputs(self) -> dict[str, Shape | None]:
        """Output name -> shape: the spec's `outputs:`, else the last layer (the input without layers)."""
        if self.output_map is not None:
            return dict(self.output_map)
        if not self.layers:
            return {name: shape for name, shape in self.inputs.items()} if self.inputs else {"input": self.input}
        return {self.layers[-1].name: self.layers[-1].output}

    @property
    def output(self) -> Shape | None:
        """The output shape when there is one output (None when there are several)."""
        outputs = self.outputs
        return next(iter(outputs.values())) if len(outputs) == 1 else None

    def _total(self, attribute: str) -> int | None:
        values = [getattr(row, attribute) for row in self.layers]
        if any(v is None for v in values):
            return None
        return sum(values)

    @property
    def total_params(self) -> int | None:
        return self._total("params")

    @property
    def trainable_params(self) -> int | None:
        return self._total("trainable")

    @property
    def non_trainable_params(self) -> int | None:
        return self._total("non_trainable")

    def metrics(self):
        """MACs, memory and receptive fields per layer and in total (planner.metrics.NetworkMetrics)."""
        from planner.metrics import network_metrics

        return network_metrics(self)

    @property
    def total_macs(self) -> int | None:
        return self.metrics().total_macs

    @property
    def total_flops(self) -> int | None:
        return self.metrics().total_flops

    @property
    def peak_activation_bytes(self) -> int | None:
        return self.metrics().peak_activation_bytes

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        from planner.metrics import layer_dict

        metrics = self.metrics()
        return {
            "file": self.file,
            "name": self.name,
            "framework": self.framework,
            "input": _list(self.input) if len(self.inputs) <= 1 else {k: _list(v) for k, v in self.inputs.items()},
            "output": _list(self.output) if not self.read_error else None,
            "outputs": {k: _list(v) for k, v in self.outputs.items()} if not self.read_error else {},
            "layers": [{**row.to_dict(), **layer_dict(m)} for row, m in zip(self.layers, metrics.layers)],
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.non_trainable_params,
            "total_macs": metrics.total_macs,
            "total_flops": metrics.total_flops,
            "total_other_ops": metrics.total_other_ops,
            "peak_activation_bytes": metrics.peak_activation_bytes,
            "total_activation_bytes": metrics.total_activation_bytes,
            "param_bytes": metrics.param_bytes,
            "batch": self.batch,
            "dtype": self.dtype,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "ok": self.ok,
        }
