"""The building blocks of the layer table: Kind, the call a kind receives, and what it returns.

A kind's `plan` function is pure: from (input shape, options, framework) it returns an
`Outcome` (output shape, params, the geometry it applied, warnings) or raises `LayerError`.
A `Kind` holds everything layerplan knows about one layer type: its options, how it plans, counts,
maps its receptive field, explains itself, what the solver may change, and how each framework
spells it. No module outside planner/kinds asks a layer's family what to do.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from ..options import Option

Shape = tuple[int, ...]



def deferred(module: str, name: str, *factory_arguments: Any) -> Callable:
    """A kind's hook whose code lives in a kinds module that only some commands need (explain's texts
    in explaining.py, export's writers in writing.py, the port's rules in porting.py and
    porting_sequence.py): the module is imported on the hook's first call, so planning never loads it.
    With `factory_arguments`, the hook is what `module.name(*factory_arguments)` returns.

    >>> write = deferred("writing", "none_in", "torch")
    >>> write.__name__
    'none_in'
    """
    resolved: Callable | None = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal resolved
        if resolved is None:
            found = getattr(importlib.import_module(f".{module}", __package__), name)
            resolved = found(*factory_arguments) if factory_arguments else found
        return resolved(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call

def split(shape: Shape, framework: str) -> tuple[int, Shape]:
    """(channels, spatial sizes) of a sample in the framework's layout.

    >>> split((1, 28, 28), "torch"), split((28, 28, 1), "keras")
    ((1, (28, 28)), (1, (28, 28)))
    """
    if framework == "torch":
        return shape[0], tuple(shape[1:])
    return shape[-1], tuple(shape[:-1])


class LayerError(Exception):
    """The framework would reject this layer. `name` is a diagnostic name from the catalog."""

    def __init__(self, name: str, message: str, option: str | None = None):
        super().__init__(message)
        self.name = name
        self.message = message
        self.option = option


@dataclass(slots=True)
class LayerCall:
    """What a kind's plan function receives.

    `given`: canonical names of the options the spec set explicitly; `shapes`: merge layers get
    every input's shape (shape is the first); `input_names`: the names those inputs come from.
    """

    shape: Shape
    options: dict[str, Any]
    framework: str
    dims: int
    given: frozenset = frozenset()
    kind_family: str = ""
    shapes: tuple[Shape, ...] = ()
    input_names: tuple[str, ...] = ()

    @property
    def channels_first(self) -> bool:
        return self.framework == "torch"

    def split(self) -> tuple[int, Shape]:
        """(channels, spatial sizes) in the framework's layout."""
        return split(self.shape, self.framework)

    def join(self, channels: int, spatial: Shape) -> Shape:
        return (channels, *spatial) if self.channels_first else (*spatial, channels)


@dataclass(slots=True)
class AxisGeometry:
    """How one spatial axis was processed, for the table and `explain`."""

    kernel: int | None = None
    stride: int | None = None
    dilation: int | None = None
    pad_before: int = 0
    pad_after: int = 0


@dataclass(slots=True)
class Outcome:
    """What a kind's plan function returns. `warnings`: (diagnostic name, message, option) triples.

    A kind with several outputs (see planner/kinds/split.py) sets `outputs`, one shape per output in
    the framework's order, and leaves `output` None.
    """

    output: Shape | None
    params: int = 0
    non_trainable: int = 0
    geometry: list[AxisGeometry] = field(default_factory=list)
    warnings: list[tuple[str, str, str | None]] = field(default_factory=list)
    outputs: tuple[Shape, ...] | None = None

    @property
    def trainable(self) -> int:
        return self.params - self.non_trainable

    def warn(self, name: str, message: str, option: str | None = None) -> None:
        self.warnings.append((name, message, option))


@dataclass(frozen=True, slots=True)
class FunctionSpelling:
    """How a library's layer *function* writes a kind (tf-slim's `conv2d(inputs, num_outputs, kernel_size,
    stride=1, padding='SAME', ...)`): the keyword each canonical option takes there, its positional parameters
    after the input tensor, and the function's own defaults of the options where they differ from the kind's
    (how model code reads a call of it)."""

    arguments: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    positional: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Spelling:
    """How one framework writes a kind: the class (or, where the framework has no single class, the
    natural equivalent the spec contract names), the keyword each canonical option takes there, and the
    constructor's positional parameters in the framework's own spelling (how model code reads them).
    `write(row, spelling)`: the planned layer as code in that framework, for `export`
    (planner/kinds/writing.py). `returns(options)`: for a layer whose call returns several tensors
    (torch's `out, (h, c) = lstm(x)`), the structure of what the call returns, as nested tuples of
    output numbers (`(0, (1, 2))`), and the options that make the spec layer give those outputs; None
    when the call returns one tensor (how model code reads the result). `wrappers`: the framework's
    wrapper classes that are an option of this kind (keras `Bidirectional(LSTM(...))`), each a function
    (options, the wrapper's keyword arguments) -> the wrapped layer's options, raising ValueError with
    the reason for a wrapper argument the kind cannot plan (how model code reads the wrapper). `functions`:
    a library's layer functions that make this kind, by their canonical dotted name (tf-slim's
    `tf_slim.convolution2d`), each a FunctionSpelling."""

    cls: str
    arguments: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    positional: tuple[str, ...] = ()
    write: Callable[[Any, "Spelling"], Any] | None = field(default=None, compare=False, hash=False)
    returns: Callable[[dict], tuple[Any, dict] | None] | None = field(default=None, compare=False, hash=False)
    wrappers: dict[str, Callable[[dict, dict], dict]] = field(default_factory=dict, compare=False, hash=False)
    functions: dict[str, FunctionSpelling] = field(default_factory=dict, compare=False, hash=False)


def spellings(torch: str, keras: str, torch_arguments: dict[str, str] | None = None,
              keras_arguments: dict[str, str] | None = None, *, torch_positional: tuple[str, ...] = (),
              keras_positional: tuple[str, ...] = (), write: tuple[Callable, Callable] | None = None,
              returns: tuple[Callable | None, Callable | None] | None = None,
              keras_wrappers: dict[str, Callable[[dict, dict], dict]] | None = None,
              keras_functions: dict[str, FunctionSpelling] | None = None) -> dict[str, Spelling]:
    """The two frameworks' spellings of a kind; an option missing from an argument map keeps its name.
    `write`: the (torch, keras) writers of the kind's code (planner/kinds/writing.py); `returns`: the
    (torch, keras) structures of a call that returns several tensors (Spelling.returns); `keras_wrappers`:
    keras wrapper classes that are an option of the kind (Spelling.wrappers); `keras_functions`: library layer
    functions in keras' layout that make the kind (Spelling.functions: tf-slim's, TensorFlow 1).

    >>> spellings("Linear", "Dense", {"units": "out_features"})["torch"].arguments["units"]
    'out_features'
    >>> spellings("Linear", "Dense", torch_positional=("in_features", "out_features"))["torch"].positional
    ('in_features', 'out_features')
    """
    torch_write, keras_write = write or (None, None)
    torch_returns, keras_returns = returns or (None, None)
    return {"torch": Spelling(torch, dict(torch_arguments or {}), tuple(torch_positional), torch_write,
                              torch_returns),
            "keras": Spelling(keras, dict(keras_arguments or {}), tuple(keras_positional), keras_write,
                              keras_returns, dict(keras_wrappers or {}), dict(keras_functions or {}))}


@dataclass(frozen=True, slots=True)
class SolveView:
    """What the solver may change in a kind: `solver` is the per-axis search it runs ("conv", "pool" or
    "conv_transpose"), `kernel` the option holding the window size; `out_channels(call)` the output
    channels (the solver keeps them)."""

    solver: str
    kernel: str
    out_channels: Callable[[LayerCall], int]
    filters_free: bool = False  # whether a wrong channel count is fixed by changing `filters`


#: A check of a kind's options that needs no input shape: (options, framework, dims) -> None; it raises
#: LayerError for what the framework rejects and leaves alone the options that did not parse (None).
OptionRule = Callable[[dict[str, Any], str, int], None]


def only_in(framework: str, cls: str, advice: str) -> OptionRule:
    """The rule of a kind that only `framework` has as a layer: planning it for the other framework is an
    error that says what to write there instead.

    >>> only_in("keras", "Rescaling", "multiply in forward()")({}, "torch", 0)
    Traceback (most recent call last):
    ...
    layerplan.planner.kinds.base.LayerError: torch has no Rescaling layer (keras only); multiply in forward()
    """
    def rule(options: dict[str, Any], target: str, dims: int) -> None:
        if target != framework:
            raise LayerError("layer-not-in-framework", f"{target} has no {cls} layer ({framework} only); {advice}")

    return rule


def no_count(row, framework: str) -> int:
    """The count of a kind that does no such operation (MACs of a layer without weights)."""
    return 0


def no_field(row, framework: str) -> None:
    """The field map of a kind that mixes or removes the spatial axes: there is none."""
    return None


@dataclass(frozen=True, slots=True)
class Kind:
    """One entry of the layer table.

    name: canonical type, e.g. "conv2d"; family: e.g. "conv"; dims: spatial axes (0 for layers that
    act on any shape); input_rank: required sample rank (None: any rank >= 1); positional: option
    order for command-line layer tokens; formulas: framework -> shape formula text; arity: how many
    inputs it takes (min, max; None: no maximum); min_rank: the smallest sample rank it accepts (0: a
    per-sample scalar, as `.view(-1, 1).squeeze(1)` leaves).

    What the engine asks of a kind beyond planning, each a function of (planned row, framework):
    - macs: multiply-accumulates per sample (None, or no hook: unknown, said so — never a silent 0);
      macs_text(row, framework, macs): the same count as the explanation's lines;
    - other_ops: bias adds, normalisation, pooling reads, activations per sample;
    - receptive_field: the receptive-field index map of each spatial axis (planner/kinds/axis_maps.py); `no_field`
      for a layer that mixes or removes the spatial axes (flatten, reshape);
    - explain(row, framework, explanation): fills the explanation's formula, padding and params lines;
    - parameter_free: whether its params are 0 whatever the input (known even after an error);
    - solve: what the solver may change (None: the solver does not change this kind);
    - scale: framework -> the option that multiplies each spatial size by an integer (upsampling), which
      the solver may change, or set on a layer of this kind that it adds (None: no such option);
    - port(row, source, target): the option changes of a port to the other framework (None: kept);
      differences(torch_row, keras_row): why their params differ, and notes on other differences;
    - spellings: framework -> Spelling;
    - sequence: how its output's layout relates to a sequence, for the port (planner/port.py): "makes" for
      a layer whose output is (steps, features) in both frameworks (embedding, recurrent, attention),
      "follows" for one whose output keeps its input's layout (element-wise and last-axis layers), ""
      for the rest (their output is in the framework's channel layout);
    - option_rules: the checks of its options that need no input shape (OptionRule), which its plan
      function runs too, so the plan reports them on a layer whose input is unknown (check_options);
    - other_ranks(framework, rank): whether the framework also runs the layer on a sample of a rank other
      than input_rank (its plan function then warns where the framework warns).
    - keywords: a framework's own keyword whose meaning depends on its value -> (value -> the option it
      sets): torch.split's `split_size_or_sections: 2` is split_size, `[2, 3]` is sizes.
    """

    name: str
    family: str
    dims: int
    options: tuple[Option, ...]
    plan: Callable[[LayerCall], Outcome]
    doc: str
    input_rank: int | None = None
    positional: tuple[str, ...] = ()
    formulas: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    arity: tuple[int, int | None] = (1, 1)
    min_rank: int = 1
    macs: Callable[[Any, str], int | None] | None = None
    macs_text: Callable[[Any, str, int], list[str]] | None = None
    other_ops: Callable[[Any, str], int | None] | None = None
    receptive_field: Callable[[Any, str], list | None] | None = None
    explain: Callable[[Any, str, Any], None] | None = None
    parameter_free: bool = False
    solve: SolveView | None = None
    scale: dict[str, str] | None = field(default=None, compare=False, hash=False)
    port: Callable[[Any, str, str], tuple[dict, str | None]] | None = None
    differences: Callable[[Any, Any], tuple[str, list[str]]] | None = None
    spellings: dict[str, Spelling] = field(default_factory=dict, compare=False, hash=False)
    sequence: str = ""
    option_rules: tuple[OptionRule, ...] = field(default=(), compare=False, hash=False)
    other_ranks: Callable[[str, int], bool] | None = field(default=None, compare=False, hash=False)
    keywords: dict[str, Callable[[Any], str]] = field(default_factory=dict, compare=False, hash=False)

    def check_options(self, options: dict[str, Any], framework: str) -> list[tuple[str, str, str | None]]:
        """The errors its options give whatever the input shape, as (diagnostic name, message, option).

        >>> from layerplan.planner.kinds import KINDS
        >>> KINDS["conv2d"].check_options({"filters": 6, "groups": 4, "kernel_size": (3, 3), "stride": (1, 1),
        ...                                "dilation": (1, 1), "padding": (1, 1)}, "keras")[0][0]
        'groups-mismatch'
        """
        errors = []
        for rule in self.option_rules:
            try:
                rule(options, framework, self.dims)
            except LayerError as exc:
                errors.append((exc.name, exc.message, exc.option))
        return errors

    def option_for(self, key: Any, value: Any) -> Option | None:
        """The option a key sets as written (its name or an alias, any case; a framework keyword by
        its value), or None for a key the kind does not take.

        >>> from layerplan.planner.kinds import KINDS
        >>> [KINDS["split"].option_for(key, value).name for key, value in
        ...  [("Dim", 1), ("split_size_or_sections", 2), ("num_or_size_splits", 2), ("num_or_size_splits", [1, 3])]]
        ['axis', 'split_size', 'sections', 'sizes']
        """
        if not isinstance(key, str):
            return None
        word = key.lower()
        if word in self.keywords:
            return self.option(self.keywords[word](value))
        return next((option for option in self.options if word == option.name or word in option.aliases), None)

    def option(self, name: str) -> Option | None:
        for option in self.options:
            if option.name == name:
                return option
        return None

    def spelling(self, framework: str) -> str:
        """The framework's class for this kind ("" when it has none)."""
        spelling = self.spellings.get(framework)
        return "" if spelling is None else spelling.cls
