"""What a framework said about a stack or a graph, layer by layer: plain dataclasses that the oracle
workers return to the test process (isolation.py), which never imports a framework itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class KerasRow:
    """What keras did with one layer. ``error`` is set on the (last) rejected layer."""

    index: int
    type: str
    output: list[int] | None
    params: int | None
    trainable_params: int | None
    non_trainable_params: int | None
    error: str | None = None


@dataclass
class KerasResult:
    rows: list[KerasRow]
    first_error: int | None  # 1-based layer index, None when keras ran the whole stack

    @property
    def ok(self) -> bool:
        return self.first_error is None


@dataclass
class TorchLayer:
    """What torch says about one layer. `error` is set on the layer torch (or spec-v1) rejects."""
    index: int
    kind: str
    input: list[int]
    output: list[int] | None = None
    params: int | None = None
    trainable: int | None = None
    non_trainable: int | None = None
    error: str | None = None

    def row(self) -> dict:
        return {"index": self.index, "kind": self.kind, "input": self.input, "output": self.output,
                "params": self.params, "trainable": self.trainable,
                "non_trainable": self.non_trainable, "error": self.error}


@dataclass
class TorchRun:
    layers: list[TorchLayer] = field(default_factory=list)
    first_error: int | None = None  # 1-based index of the first rejected layer

    @property
    def output(self) -> list[int] | None:
        if self.first_error is not None or not self.layers:
            return None
        return self.layers[-1].output


@dataclass
class NodeRow:
    index: int
    kind: str
    output: list[int] | None = None
    params: int | None = None
    trainable: int | None = None
    non_trainable: int | None = None
    error: str | None = None


@dataclass
class GraphRun:
    rows: list[NodeRow] = field(default_factory=list)
    first_error: int | None = None  # 1-based index of the first rejected node
    model_outputs: dict[str, list[int]] = field(default_factory=dict)  # the whole model run at once
