"""Diagnostics: severities, the catalog of stable codes, and the Diagnostic record.

Every problem layerplan reports is a `Diagnostic` with a stable code from `CATALOG`.
Codes never change meaning; new ones are only added. The code's number tells its family:

- LP0xx: the spec could not be read (exit status 2); LP009, a warning, is about a .gitignore a walk read
- LP1xx: the spec's structure, layer types and option values (exit status 1); LP119, a warning, is an option
  the framework accepts but that does nothing there
- LP2xx: shapes and parameters the framework rejects (exit status 1)
- LP3xx: legal but suspicious choices (warnings), and what layerplan takes on trust (information)
- LP4xx: assertions (`expect`) and budgets
- LP5xx: the port to the other framework (`layerplan port`, `layerplan diff`)

Retired codes are never reused: LP214 and LP215 (errors until 0.1) became the warnings LP310 and
LP311 when the differential suites showed that TensorFlow runs those layers on some machines.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum



class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One row of the catalog."""

    code: str
    name: str
    severity: Severity
    summary: str


def _catalog(*rows: tuple[str, str, Severity, str]) -> dict[str, CodeInfo]:
    return {name: CodeInfo(code, name, severity, summary) for code, name, severity, summary in rows}


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

#: name -> CodeInfo. Diagnostics are raised by name; the code is looked up here.
CATALOG: dict[str, CodeInfo] = _catalog(
    # --- the spec could not be read (exit 2)
    ("LP001", "unreadable-file", E, "the file could not be opened or decoded"),
    ("LP002", "syntax-error", E, "the text is not valid YAML or JSON (a model file: not valid Python)"),
    ("LP003", "not-a-mapping", E, "the document is not a mapping of spec keys"),
    ("LP004", "too-large", E, "the file, its nesting, its alias expansion or its number of layers exceeds a safety limit"),
    ("LP005", "duplicate-key", E, "a mapping repeats a key"),
    ("LP006", "unsupported-tag", E, "a YAML tag other than the plain standard ones"),
    ("LP007", "unsupported-code", E, "model code the reader cannot follow without running it"),
    ("LP008", "no-model", E, "a model file holds no model the reader can find, or several and none was named"),
    ("LP009", "bad-gitignore", W, "a .gitignore pattern or file that ignores less than it seems to (a walk checks what it would ignore)"),
    # --- spec structure and values (exit 1)
    ("LP101", "unknown-key", E, "a top-level key that spec v1 does not define"),
    ("LP102", "missing-input", E, "the spec has no input shape"),
    ("LP103", "bad-shape", E, "a shape is not a list of positive integers"),
    ("LP104", "unknown-framework", E, "framework is neither torch nor keras"),
    ("LP105", "bad-layers", E, "layers is not a list of layer entries"),
    ("LP106", "unknown-layer-type", E, "the layer type is not known"),
    ("LP107", "unknown-option", E, "the layer does not take this option"),
    ("LP108", "bad-option-value", E, "an option's value has the wrong type or range"),
    ("LP109", "missing-option", E, "a required option is missing"),
    ("LP110", "option-not-in-framework", E, "the option exists only in the other framework"),
    ("LP111", "conflicting-options", E, "two options that exclude each other"),
    ("LP112", "bad-value", E, "a top-level value has the wrong type"),
    ("LP113", "unknown-name", E, "inputs or outputs names no layer or spec input"),
    ("LP114", "duplicate-name", E, "a name is used by two layers, inputs or block uses"),
    ("LP115", "bad-inputs", E, "inputs/outputs malformed, or the wrong number of inputs for the layer"),
    ("LP116", "defined-later", E, "a layer reads a layer written after it (a forward reference or a cycle)"),
    ("LP117", "bad-block", E, "a block definition or block use is malformed, unknown or recursive"),
    ("LP118", "layer-not-in-framework", E, "the layer exists only in the other framework"),
    ("LP119", "option-without-effect", W, "the framework accepts the option's value but it does nothing in this layer"),
    # --- shapes the framework rejects (exit 1)
    ("LP201", "wrong-rank", E, "the layer needs an input of another rank"),
    ("LP202", "non-positive-output", E, "the computed output size is zero or negative"),
    ("LP203", "kernel-too-large", E, "the kernel is larger than the padded input"),
    ("LP204", "same-with-stride", E, "torch padding='same' with a stride other than 1"),
    ("LP205", "pool-padding-too-large", E, "torch pooling padding exceeds half the kernel"),
    ("LP206", "output-padding-too-large", E, "output_padding not below stride (or dilation)"),
    ("LP207", "groups-mismatch", E, "channels or filters not divisible by groups"),
    ("LP208", "reshape-mismatch", E, "reshape does not preserve the element count"),
    ("LP209", "transpose-same-crash", E, "keras Conv*DTranspose 'same' + output_padding + even kernel crashes on TensorFlow"),
    ("LP210", "stride-with-dilation", E, "keras rejects strides > 1 together with dilation > 1"),
    ("LP211", "bad-padding", E, "this padding value is not accepted by the framework for this layer"),
    ("LP212", "bad-axis", E, "an axis option is out of range"),
    ("LP213", "merge-mismatch", E, "the branches joined by a merge layer have incompatible shapes"),
    ("LP214", "index-out-of-range", E, "select's index is outside the axis it indexes"),
    ("LP218", "split-mismatch", E, "split sizes do not add up to the axis, or equal parts do not divide it"),
    ("LP221", "declared-input-mismatch", E, "model code declares an input size (in_channels...) the layer does not get"),
    ("LP222", "shared-weights-mismatch", E, "a layer that shares another layer's weights gets an input they do not fit"),
    ("LP220", "size-overflow", E, "a tensor or parameter count exceeds 2**63 - 1, the frameworks' int64 limit"),
    # --- warnings: legal but rarely intended
    ("LP301", "dropped-input", W, "input rows/columns that no window reads"),
    ("LP302", "stride-exceeds-kernel", W, "stride larger than the kernel skips input"),
    ("LP303", "even-kernel-same", W, "'same' with an even kernel pads asymmetrically"),
    ("LP304", "ceil-window-in-padding", W, "torch ceil_mode adds a window that starts past the input"),
    ("LP305", "dense-on-unflattened", W, "Dense/Linear on a rank > 1 input acts on the last axis only"),
    ("LP306", "upsample-floored", W, "a non-integer upsample scale is floored"),
    ("LP307", "merge-broadcast", W, "an element-wise merge broadcasts one branch against another"),
    ("LP308", "unreachable", W, "a layer or input that no output depends on"),
    ("LP309", "dilation-holes", W, "stride and dilation share a factor, so some input cells are never read"),
    # --- warnings: keras accepts the layer, but whether TensorFlow runs it depends on the machine's CPU kernels
    ("LP310", "transpose-dilation", W, "keras Conv*DTranspose with dilation > 1: some TensorFlow CPU kernels reject it"),
    ("LP311", "unequal-strides", W, "keras depthwise/separable conv with unequal strides: some TensorFlow CPU kernels reject it"),
    ("LP312", "adaptive-max-pool-crash", W, "keras AdaptiveMaxPooling to 1 on the last spatial axis: some TensorFlow CPU kernels crash"),
    # --- warnings: a shape operation that does nothing
    ("LP318", "squeeze-no-op", W, "torch squeeze of an axis whose size is not 1 leaves the tensor unchanged"),
    ("LP328", "spatial-dropout-rank", W, "torch Dropout2d / Dropout3d on a sample of another rank: torch runs it with a warning, dropping other groups than whole channels"),
    ("LP319", "fewer-chunks", W, "torch.chunk returns fewer chunks than asked when ceil(n/chunks)-sized parts cover the axis sooner"),
    ("LP329", "frozen-without-weights", W, "trainable: false on a layer that has no weights: nothing is frozen"),
    # --- model code: what the reader skipped or assumed
    ("LP320", "code-skipped", I, "model code the reader skips because it cannot change the model (a loss, an optimizer, training, data, printing, plotting, weight initialisation, logging, an assert)"),
    ("LP321", "reader-stopped", W, "the last network statement of a model file cannot be read: the model found stops before it"),
    ("LP322", "setting-assumed", I, "a branch on the framework's configuration takes the value of a fresh CPU install"),
    ("LP326", "defaults-taken", I, "a script's command-line options (argparse) are taken at their defaults, as running it without arguments gives them"),
    # --- information: what layerplan takes on trust
    ("LP330", "shape-on-trust", I, "a custom layer's output shape is taken as stated, not computed"),
    # --- warnings: the input itself
    ("LP313", "layout-mismatch", W, "the input looks written in the other framework's layout (channels first/last)"),
    # --- assertions
    ("LP401", "expect-failed", E, "a shape asserted with expect differs from the planned one"),
    ("LP402", "bad-expect", E, "an expect entry is malformed"),
    # --- the port to the other framework
    ("LP501", "port-inexact", W, "the ported layer's output shape differs in the other framework"),
    ("LP502", "port-note", I, "the ported layer has the same shape but other values, weights or params"),
)


#: warnings that fail `check` as errors do (exit status 1 without --strict): the model checked may be only the
#: part of the file's model that the reader could follow
FAILS_CHECK = frozenset({"reader-stopped"})

#: diagnostics whose cause is the geometry of one layer, so that the solver may propose a change of it
#: (planner/solve.py computes the change; planner/passes.py asks for it)
FIXABLE = frozenset({"dropped-input", "same-with-stride", "kernel-too-large", "non-positive-output",
                     "output-padding-too-large", "pool-padding-too-large", "transpose-same-crash", "expect-failed"})


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a spec (immutable: `replace` gives a changed copy).

    `used_at`: inside a block, the block uses that expanded into the layer, innermost first, as
    (pointer, line, column). `fix`: a concrete change found by the solver ("padding=1 gives 14").

    >>> d = Diagnostic.make("kernel-too-large", "kernel 5 > padded input 3", layer=2)
    >>> d.code, d.severity.value, d.layer
    ('LP203', 'error', 2)
    >>> d.replace(line=4).line, d.line
    (4, None)
    """

    severity: Severity
    code: str
    name: str
    message: str
    layer: int | None = None
    pointer: str | None = None
    line: int | None = None
    column: int | None = None
    used_at: tuple = ()
    fix: str | None = None

    def replace(self, **changes) -> "Diagnostic":
        """A copy with some fields changed (dataclasses.replace)."""
        return replace(self, **changes)

    @classmethod
    def make(
        cls,
        name: str,
        message: str,
        *,
        layer: int | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
        severity: Severity | None = None,
        fix: str | None = None,
    ) -> "Diagnostic":
        info = CATALOG[name]
        return cls(severity or info.severity, info.code, name, message, layer, pointer, line, column, fix=fix)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict:
        result = {
            "severity": self.severity.value,
            "code": self.code,
            "name": self.name,
            "layer": self.layer,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "message": self.message,
        }
        if self.used_at:  # only inside a block, so reports of plain stacks keep spec-v1's keys
            result["used_at"] = [{"pointer": p, "line": line, "column": column} for p, line, column in self.used_at]
        if self.fix is not None:  # only when the solver found one
            result["fix"] = self.fix
        return result


class SpecReadError(Exception):
    """The spec could not be read at all (exit status 2). Carries one Diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
