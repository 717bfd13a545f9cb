"""The result of planning one spec: rows per layer, totals, diagnostics; `to_dict()` is spec-v1's report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from .diagnostics import Diagnostic, Severity
from .kinds.base import AxisGeometry

Shape = tuple[int, ...]


@dataclass(slots=True)
class LayerRow:
    """One planned layer. `output` / `params` are None when they cannot be computed.

    `severity` is the worst diagnostic on this layer. Graphs: `inputs` are the names this layer reads
    (layers or spec inputs), `input_shapes` their shapes, `block_path` the block uses (full names,
    outermost first) it was expanded from, `block_names` the blocks those uses use. `call` is what the
    layer's kind was asked to plan and `expected` the shape its `expect:` asserts: the passes after
    planning give them to the solver. `outputs`: a layer with several outputs (split, chunk) holds each
    output's shape there, and `output` is None; a later layer reads output k as `NAME:k`
    (planner/graph.py), or as the k-th of `names` when the spec names them.
    """

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
    severity: Severity | None = None
    inputs: list[str] = field(default_factory=list)
    input_shapes: list[Shape | None] = field(default_factory=list)
    block_path: tuple[str, ...] = ()
    block_names: tuple[str, ...] = ()
    call: Any = field(default=None, compare=False, repr=False)
    expected: list | None = field(default=None, compare=False, repr=False)
    outputs: tuple[Shape, ...] | None = None
    shares: str | None = None  # a second call of this earlier layer (`shares: NAME`): its weights, 0 params here
    names: tuple[str, ...] | None = None  # the names of its several outputs (`names:`), output k's first
    frozen: bool = False  # `trainable: false` on a layer with weights: they are all non-trainable

    @property
    def output_shapes(self) -> tuple[Shape, ...] | None:
        """Every output's shape (one for most layers), or None when the layer could not be planned.

        >>> LayerRow(1, "s", "split", outputs=((2, 4), (2, 4))).output_shapes, LayerRow(2, "r", "relu").output_shapes
        (((2, 4), (2, 4)), None)
        """
        if self.outputs is not None:
            return self.outputs
        return None if self.output is None else (self.output,)

    def replace(self, **changes) -> "LayerRow":
        """A copy with some fields changed (dataclasses.replace)."""
        return replace(self, **changes)

    @property
    def trainable(self) -> int | None:
        if self.params is None or self.non_trainable is None:
            return None
        return self.params - self.non_trainable

    def to_dict(self) -> dict:
        """The layer as the JSON report writes it; a layer with several outputs adds `outputs` (a list of
        shapes, output 0 first) and has `output` null; a second call of a shared layer adds `shares` (the
        name of the layer whose weights it uses); a layer whose outputs the spec names adds `names`; a frozen
        layer (`trainable: false`) adds `"trainable": false`."""
        data = {
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
        if self.outputs is not None:
            data["outputs"] = [list(shape) for shape in self.outputs]
        if self.shares is not None:
            data["shares"] = self.shares
        if self.names is not None:
            data["names"] = list(self.names)
        if self.frozen:
            data["trainable"] = False
        return data


def _list(shape: Shape | None) -> list[int] | None:
    return None if shape is None else list(shape)


@dataclass(slots=True, eq=True)
class Report:
    """A planned spec.

    `read_error`: the spec could not be read at all (exit status 2); `dtype`: element type for the
    memory estimates (activation_bytes, param_bytes); `inputs`: every input by name; `output_map`: set
    when the spec names its outputs; `input_pointer`: where the single input's shape is written.

    >>> from layerplan.planner import plan_data
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
    read_error: bool = False
    dtype: str = "float32"
    inputs: dict[str, Shape | None] = field(default_factory=dict)
    output_map: dict[str, Shape | None] | None = None
    input_pointer: str = "/input"
    #: layers of the spec could not be read (a block use failed): its output and totals are unknown
    layers_missing: bool = False

    @property
    def outputs(self) -> dict[str, Shape | None]:
        """Output name -> shape: the spec's `outputs:`, else the last layer (the input without layers);
        each shape None when layers are missing (`layers_missing`)."""
        if self.layers_missing:
            return {name: None for name in self._outputs()}
        return self._outputs()

    def _outputs(self) -> dict[str, Shape | None]:
        if self.output_map is not None:
            return dict(self.output_map)
        if not self.layers:
            return {name: shape for name, shape in self.inputs.items()} if self.inputs else {"input": self.input}
        last = self.layers[-1]
        if last.outputs is not None:  # a layer with several outputs: each is an output of the spec
            return {f"{last.name}:{k}": shape for k, shape in enumerate(last.outputs)}
        return {last.name: last.output}

    @property
    def output(self) -> Shape | None:
        """The output shape when there is one output (None when there are several)."""
        outputs = self.outputs
        return next(iter(outputs.values())) if len(outputs) == 1 else None

    def _total(self, attribute: str) -> int | None:
        if self.layers_missing:
            return None
        values = list(map(attrgetter(attribute), self.layers))
        return None if None in values else sum(values)

    @property
    def total_params(self) -> int | None:
        return self._total("params")

    @property
    def trainable_params(self) -> int | None:
        # the sum of params - non_trainable over the layers, None when any layer lacks either
        total, fixed = self.total_params, self.non_trainable_params
        return None if total is None or fixed is None else total - fixed

    @property
    def non_trainable_params(self) -> int | None:
        return self._total("non_trainable")

    def metrics(self):
        """MACs, memory and receptive fields per layer and in total (planner.metrics.NetworkMetrics)."""
        from .metrics import network_metrics

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
        """The spec-v1 report as plain data (what `--format json` writes)."""
        metrics = self.metrics()
        data = self.fields_but_layers(metrics)
        data["layers"] = list(self.layer_dicts(metrics))
        return data

    def layer_dicts(self, metrics) -> Iterator[dict]:
        """The layers of to_dict(), made one at a time (a writer can write each before the next is made,
        so a 100,000-layer report never holds 100,000 dicts). `metrics`: self.metrics().

        >>> from layerplan.planner import plan_data
        >>> report = plan_data({"input": [3, 8, 8], "layers": ["relu", "flatten"]})
        >>> [(layer["name"], layer["output"]) for layer in report.layer_dicts(report.metrics())]
        [('relu_1', [3, 8, 8]), ('flatten_1', [192])]
        """
        from .metrics import layer_dict

        for row, layer_metrics in zip(self.layers, metrics.layers):
            yield {**row.to_dict(), **layer_dict(layer_metrics)}

    def fields_but_layers(self, metrics) -> dict:
        """to_dict() with None in place of the layers, for a writer that writes the layers one at a time
        (from layer_dicts). `metrics`: self.metrics()."""
        fixed = self.non_trainable_params
        return {
            "file": self.file,
            "name": self.name,
            "framework": self.framework,
            "input": _list(self.input) if len(self.inputs) <= 1 else {k: _list(v) for k, v in self.inputs.items()},
            "output": _list(self.output) if not self.read_error else None,
            "outputs": {k: _list(v) for k, v in self.outputs.items()} if not self.read_error else {},
            "layers": None,
            "total_params": (params := self.total_params),
            "trainable_params": None if params is None or fixed is None else params - fixed,
            "non_trainable_params": fixed,
            "total_macs": (macs := metrics.total_macs),
            "total_flops": None if macs is None else 2 * macs,
            "total_other_ops": metrics.total_other_ops,
            "peak_activation_bytes": metrics.peak_activation_bytes,
            "total_activation_bytes": metrics.total_activation_bytes,
            "param_bytes": metrics.param_bytes,
            "batch": self.batch,
            "dtype": self.dtype,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "ok": self.ok,
        }
