"""From a parsed document to a Spec: the top-level keys checked, each layer entry split into
its type, options, name and expect, each with the JSON pointer of where it was written."""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any, Callable

from .blocks import expand_layers
from .diagnostics import Diagnostic
from .options import describe, is_int
from .spec_text import escape_pointer_token
from .suggest import did_you_mean

FRAMEWORKS = ("torch", "keras")
TOP_LEVEL_KEYS = ("name", "description", "framework", "input", "batch", "layers", "expect",
                  "inputs", "outputs", "blocks", "$schema", "input_shape")
#: Keras' name for the input shape: `input_shape:` at the top level is `input:`, and on the first
#: layer (as Keras' `input_shape=` argument) it gives the input of a spec that has none
INPUT_ALIAS = "input_shape"
#: keys of a layer entry that are not options of the layer
LAYER_META_KEYS = ("type", "name", "names", "expect", "inputs", "input_shape", "shares", "if", "trainable")
_LAYER_META_SET = frozenset(LAYER_META_KEYS)
#: the name of the single input when the spec uses `input:`
DEFAULT_INPUT_NAME = "input"


#: where a layer's options are written, for LayerEntry.options_pointer: nowhere (an entry that is not
#: a layer), at the entry itself (`- relu`, `- {type: conv2d, filters: 8}`), or under its type key
#: (`- {conv2d: {filters: 8}}`)
OPTIONS_NOWHERE, OPTIONS_AT_ENTRY, OPTIONS_UNDER_TYPE = "nowhere", "entry", "type"


class LayerEntry:
    """One entry of `layers`, not yet interpreted.

    index: 1-based; pointer: "/layers/0" (built from `list_pointer` "/layers" and `position` 0);
    options_pointer: where the option keys live (see OPTIONS_AT_ENTRY); positional: `- max_pool2d: 2`,
    a bare value for the first positional option.
    Graphs (see planner/blocks.py), where the layer reads from and which block use it came from:
    inputs: raw names from `inputs:` (None: the previous layer); scope: the planner.blocks.Scope that
    resolves names inside a block body; opens: block-instance scopes whose first layer this is,
    outermost first; aliases: (block use name, pointer) pairs naming this output; names: the names of a
    layer's several outputs (`names: [mean, logvar]`), read as NAME:K is; uses: pointers of the
    block uses that expanded into this layer, innermost first; block_path: full names of those block
    uses, outermost first; block_names: the name of the block each of them uses (same order).

    >>> entry = LayerEntry(3, "/layers", 2, "conv2d", {"filters": 8}, OPTIONS_UNDER_TYPE)
    >>> entry.pointer, entry.options_pointer, entry.option_pointer("filters")
    ('/layers/2', '/layers/2/conv2d', '/layers/2/conv2d/filters')
    """

    # A plain class, not a dataclass: building dataclasses costs start-up time, and a large stack
    # makes one entry per layer. For the same reason `pointer` and `options_pointer` are built when
    # read (only a diagnostic reads them): formatting two strings per layer was a fifth of build_spec.
    __slots__ = ("index", "_list_pointer", "_position", "type_name", "options", "_options_at", "name", "expect",
                 "has_expect", "expect_pointer", "positional", "inputs", "inputs_pointer", "scope", "opens",
                 "aliases", "uses", "block_path", "block_names", "shares", "shares_pointer", "names",
                 "names_pointer", "trainable", "trainable_pointer")
    #: the public fields, in order, for repr and ==
    FIELDS = ("index", "pointer", "type_name", "options", "options_pointer", "name", "expect", "has_expect",
              "expect_pointer", "positional", "inputs", "inputs_pointer", "scope", "opens", "aliases", "uses",
              "block_path", "block_names", "shares", "shares_pointer", "names", "names_pointer", "trainable",
              "trainable_pointer")

    def __init__(self, index: int, list_pointer: str, position: int, type_name: str | None,
                 options: dict[str, Any] | None = None, options_at: str = OPTIONS_NOWHERE, name: str | None = None,
                 expect: Any = None, has_expect: bool = False, expect_pointer: str = "", positional: Any = None,
                 inputs: list[str] | None = None, inputs_pointer: str = "", scope: Any = None, opens: tuple = (),
                 aliases: tuple[tuple[str, str], ...] = (), uses: tuple[str, ...] = (),
                 block_path: tuple[str, ...] = (), block_names: tuple[str, ...] = (), shares: str | None = None,
                 shares_pointer: str = "", names: list[str] | None = None, names_pointer: str = "",
                 trainable: bool = True, trainable_pointer: str = "") -> None:
        self.index = index
        self._list_pointer = list_pointer
        self._position = position
        self.type_name = type_name
        self.options = {} if options is None else options
        self._options_at = options_at
        self.name = name
        self.expect = expect
        self.has_expect = has_expect
        self.expect_pointer = expect_pointer
        self.positional = positional
        self.inputs = inputs
        self.inputs_pointer = inputs_pointer
        self.scope = scope
        self.opens = opens
        self.aliases = aliases
        self.uses = uses
        self.block_path = block_path
        self.block_names = block_names
        self.shares = shares
        self.shares_pointer = shares_pointer
        self.names = names
        self.names_pointer = names_pointer
        self.trainable = trainable  # `trainable: false`: a frozen layer, its weights counted as non-trainable
        self.trainable_pointer = trainable_pointer

    @property
    def pointer(self) -> str:
        """The JSON pointer of the entry, e.g. "/layers/0"."""
        return f"{self._list_pointer}/{self._position}"

    @property
    def options_pointer(self) -> str:
        """The JSON pointer of the mapping that holds the entry's options ("" when there is none)."""
        if self._options_at == OPTIONS_UNDER_TYPE:
            return f"{self._list_pointer}/{self._position}/{escape_pointer_token(self.type_name)}"
        return self.pointer if self._options_at == OPTIONS_AT_ENTRY else ""

    def __repr__(self) -> str:
        return f"LayerEntry({', '.join(f'{name}={getattr(self, name)!r}' for name in self.FIELDS)})"

    __hash__ = None  # mutable

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.FIELDS)

    def option_pointer(self, key: str) -> str:
        """The JSON pointer of one option key as written."""
        return f"{self.options_pointer}/{escape_pointer_token(key)}"


@dataclass(slots=True)
class Spec:
    """A spec split into its parts. Graphs: `inputs` holds every input by name (`input:` gives one
    named "input"), `outputs` the names given in `outputs:`."""

    framework: str = "torch"
    input: tuple[int, ...] | None = None
    layers: list[LayerEntry] = field(default_factory=list)
    name: str | None = None
    batch: int = 1
    expect: dict | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    inputs: dict[str, tuple[int, ...] | None] = field(default_factory=dict)
    outputs: list[str] | None = None
    outputs_pointer: str = "/outputs"
    #: where the single input's shape was written
    input_pointer: str = "/input"
    #: a block use gave none of its layers (an error), so what the spec outputs is not known
    layers_missing: bool = False
    #: the full names of body layers that `if:` left out -> what a reader of them reads instead, and the
    #: index of each layer that reads such a target instead of the layer before it (planner/blocks.py)
    skipped: dict[str, tuple] = field(default_factory=dict)
    redirects: dict[int, tuple] = field(default_factory=dict)

    def input_pointers(self) -> dict[str, str]:
        """Each input's name -> the JSON pointer of its shape.

        >>> Spec(inputs={"image": (3, 8, 8)}).input_pointers(), Spec(inputs={"input": (8,)}).input_pointers()
        ({'image': '/inputs/image'}, {'input': '/input'})
        """
        if set(self.inputs) == {DEFAULT_INPUT_NAME}:
            return {DEFAULT_INPUT_NAME: self.input_pointer}
        return {name: f"/inputs/{escape_pointer_token(name)}" for name in self.inputs}

    def error(self, name: str, message: str, pointer: str | None, layer: int | None = None,
              uses: tuple[str, ...] = ()) -> None:
        """Record an error; `uses`: the pointers of the block uses it is inside, innermost first."""
        diagnostic = Diagnostic.make(name, message, layer=layer, pointer=pointer)
        if uses:
            diagnostic = diagnostic.replace(used_at=tuple((p, None, None) for p in uses))
        self.diagnostics.append(diagnostic)


def parse_shape(value: Any) -> tuple[int, ...] | None:
    """A shape from a list of positive integers or a string like '28x28x1' / '28,28,1', also written
    as a Python tuple or list: '(28, 28, 1)', '[28,28,1]' (what Keras' input_shape= looks like).

    >>> parse_shape("1x28x28"), parse_shape([3, 32, 32]), parse_shape([0, 3])
    ((1, 28, 28), (3, 32, 32), None)
    >>> parse_shape("(128, 128, 3)"), parse_shape("[128,128,3]"), parse_shape("(784,)"), parse_shape("(1, 2]")
    ((128, 128, 3), (128, 128, 3), (784,), None)
    """
    if isinstance(value, str):
        text = value.strip()
        if text[:1] + text[-1:] in ("()", "[]"):
            text = text[1:-1]
        parts = text.replace("x", ",").replace("X", ",").replace("×", ",").split(",")
        try:
            value = [int(p) for p in parts if p.strip()]
        except ValueError:
            return None
    if not isinstance(value, (list, tuple)) or not value:
        return None
    if not all(is_int(v) and v >= 1 for v in value):
        return None
    return tuple(value)


def split_batch_axis(text: str) -> tuple[str, str | None]:
    """A shape as text without a leading batch axis written `None` or `-1` (copied from a placeholder,
    a Keras `input_shape`, or a reshape), and that batch word (None when there is none).

    >>> split_batch_axis("(None, 28, 28, 1)"), split_batch_axis("-1x3x32x32"), split_batch_axis("1x28x28")
    (('28, 28, 1', 'None'), ('3x32x32', '-1'), ('1x28x28', None))
    """
    inner = text.strip()
    if inner[:1] + inner[-1:] in ("()", "[]"):
        inner = inner[1:-1].strip()
    match = re.match(r"(None|-1)\s*[,xX×]\s*(?=\S)", inner)
    if match is None:
        return text, None
    return inner[match.end():], match.group(1)


def document_kind(data: Any) -> str:
    """What a document that is not a spec holds, by its type only: such a file may be anything (a
    symlink to a secrets file), so a message never quotes what it says.

    >>> document_kind(None), document_kind("AWS_SECRET=x"), document_kind(["a"]), document_kind(3)
    ('an empty document', 'a string', 'a list', 'a number')
    """
    if data is None:
        return "an empty document"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, (int, float)):
        return "a number"
    if isinstance(data, str):
        return "a string"
    if isinstance(data, list):
        return "a list"
    return f"a {type(data).__name__} value"


def build_spec(data: Any, framework: str | None = None, input_shape_of=None) -> Spec:
    """Check the top level of a spec document and split its layer entries. `input_shape_of(spec,
    entries, reader)`: the sample shape `reader` gets when planned after `entries` (planner/plan.py's
    probe_input), for blocks that read `in.channels` or `in.shape[K]`; without it they are an error.

    >>> spec = build_spec({"input": [1, 28, 28], "layers": ["flatten", {"dense": {"units": 10}}]})
    >>> spec.framework, spec.input, [e.type_name for e in spec.layers]
    ('torch', (1, 28, 28), ['flatten', 'dense'])
    """
    spec = Spec()
    if not isinstance(data, dict):
        spec.error("not-a-mapping", f"a spec is a mapping with input and layers, got {document_kind(data)}", "")
        return spec
    for key in data:
        if key not in TOP_LEVEL_KEYS and not (isinstance(key, str) and key.startswith("x-")):
            spec.error("unknown-key", f"unknown top-level key {key!r}{did_you_mean(key, TOP_LEVEL_KEYS)}",
                       f"/{escape_pointer_token(key)}")
    _read_framework(spec, data, framework)
    if "name" in data and data["name"] is not None:
        spec.name = str(data["name"])
    if "batch" in data:
        if is_int(data["batch"]) and data["batch"] >= 1:
            spec.batch = data["batch"]
        else:
            spec.error("bad-value", f"batch must be a positive integer, got {describe(data['batch'])}", "/batch")
    _read_input(spec, data)
    if "expect" in data:
        if isinstance(data["expect"], dict):
            spec.expect = data["expect"]
        else:
            spec.error("bad-expect", f"expect must be a mapping such as {{output: [10]}}, got "
                       f"{describe(data['expect'])}", "/expect")
    layers = data.get("layers")
    if layers is None:
        spec.error("bad-layers", "the spec needs a list of layers", "")
    elif not isinstance(layers, list):
        spec.error("bad-layers", f"layers must be a list, got {describe(layers)}", "/layers")
    else:
        spec.layers = expand_layers(spec, layers, data.get("blocks"), _read_layer, read_input_names, input_shape_of)
    if "outputs" in data:
        _read_outputs(spec, data["outputs"])
    return spec


def _read_input(spec: Spec, data: dict) -> None:
    """The input: `input:`, its Keras alias `input_shape:`, named `inputs:`, or, when the spec gives
    none of them, the first layer's `input_shape` (checked against the others when they are given).

    >>> spec = build_spec({"input_shape": [28, 28, 1], "layers": ["flatten"]})
    >>> spec.input, spec.input_pointer
    ((28, 28, 1), '/input_shape')
    >>> spec = build_spec({"layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "input_shape": [28, 28, 1]}}]})
    >>> spec.input, spec.input_pointer, spec.layers[0].options
    ((28, 28, 1), '/layers/0/conv2d/input_shape', {'filters': 8, 'kernel_size': 3})
    >>> [d.message for d in build_spec({"input": [1, 8, 8], "input_shape": [8, 8, 1], "layers": []}).diagnostics]
    ['input_shape is the Keras name of input: give the shape once, as input: [1, 8, 8] or input_shape: [8, 8, 1]']
    """
    key = "input" if "input" in data else INPUT_ALIAS if INPUT_ALIAS in data else None
    if "input" in data and INPUT_ALIAS in data:
        spec.error("conflicting-options", f"{INPUT_ALIAS} is the Keras name of input: give the shape once, as "
                   f"input: {_written(data['input'])} or {INPUT_ALIAS}: {_written(data[INPUT_ALIAS])}",
                   f"/{INPUT_ALIAS}")
    layers = data.get("layers")
    first = _first_layer_input_shape(layers[0]) if isinstance(layers, list) and layers else None
    if "inputs" in data:
        _read_inputs(spec, data, key)
        if first is not None:
            spec.error("conflicting-options", f"with inputs:, each input's shape is given there; remove "
                       f"{INPUT_ALIAS} from the first layer", first[1], 1)
        return
    if key is None and first is None:
        spec.error("missing-input", "the spec needs an input shape, e.g. input: [1, 28, 28] "
                   "(torch: channels first) or [28, 28, 1] (keras: channels last)", "")
        return
    value, spec.input_pointer = (data[key], f"/{key}") if key is not None else first
    spec.input = parse_shape(value)
    if spec.input is None:
        what = key or f"{INPUT_ALIAS} (of the first layer)"
        spec.error("bad-shape", f"{what} must be a list of positive integers (one sample, no batch axis), "
                   f"got {describe(value)}", spec.input_pointer, None if key else 1)
    elif key is not None and first is not None and parse_shape(first[0]) != spec.input:
        spec.error("conflicting-options", f"{INPUT_ALIAS} {_written(first[0])} of the first layer disagrees with "
                   f"{key}: {list(spec.input)}; give the shape once (remove one of them)", first[1], 1)
    spec.inputs = {DEFAULT_INPUT_NAME: spec.input}


def _written(value: Any) -> str:
    """A shape as a spec writes it ([1, 8, 8]), or the value as given when it is not one."""
    shape = parse_shape(value)
    return str(list(shape)) if shape is not None else describe(value)


def _first_layer_input_shape(item: Any) -> tuple[Any, str] | None:
    """(value, pointer) of `input_shape` written on the first layer entry, beside its type or among its
    options, or None.

    >>> _first_layer_input_shape({"dense": {"units": 4, "input_shape": [8]}})
    ([8], '/layers/0/dense/input_shape')
    >>> _first_layer_input_shape({"type": "dense", "units": 4, "input_shape": [8]})
    ([8], '/layers/0/input_shape')
    """
    found = _input_shapes(item, "/layers/0")
    return found[0] if found else None


def _input_shapes(item: Any, pointer: str) -> list[tuple[Any, str]]:
    """Every `input_shape` written in one layer entry: (value, pointer), beside the type first."""
    if not isinstance(item, dict) or "block" in item:  # a block use's keys are checked with it
        return []
    found = [(item[INPUT_ALIAS], f"{pointer}/{INPUT_ALIAS}")] if INPUT_ALIAS in item else []
    if "type" not in item:  # short form: the options are the body of the type key
        for key, body in item.items():
            if key not in _LAYER_META_SET and key != INPUT_ALIAS and isinstance(body, dict) and INPUT_ALIAS in body:
                found.append((body[INPUT_ALIAS], f"{pointer}/{escape_pointer_token(key)}/{INPUT_ALIAS}"))
    return found


def _without_input_shape(item: dict) -> dict:
    """A layer entry without `input_shape`, beside its type or among its options (a copy)."""
    item = {k: v for k, v in item.items() if k != INPUT_ALIAS}
    if "type" not in item:
        for key, body in item.items():
            if key not in _LAYER_META_SET and isinstance(body, dict) and INPUT_ALIAS in body:
                item[key] = {k: v for k, v in body.items() if k != INPUT_ALIAS}
    return item


def map_input(data: dict, change: Callable[[Any], Any]) -> dict:
    """A copy of a spec's data with `change` applied to its single input shape wherever it is written:
    `input:`, `input_shape:` and the first layer's `input_shape` (what `-i`, the solver and the port
    to the other framework change).

    >>> map_input({"input_shape": [8, 8, 1], "layers": []}, lambda shape: [16, 16, 1])
    {'input_shape': [16, 16, 1], 'layers': []}
    >>> map_input({"layers": [{"dense": {"units": 2, "input_shape": [8]}}]}, lambda shape: [4])
    {'layers': [{'dense': {'units': 2, 'input_shape': [4]}}]}
    """
    data = dict(data)
    for key in ("input", INPUT_ALIAS):
        if key in data:
            data[key] = change(data[key])
    layers = data.get("layers")
    if isinstance(layers, list) and layers and _input_shapes(layers[0], "/layers/0"):
        first = dict(layers[0])
        if INPUT_ALIAS in first:
            first[INPUT_ALIAS] = change(first[INPUT_ALIAS])
        elif "type" not in first:
            for key, body in first.items():
                if isinstance(body, dict) and INPUT_ALIAS in body:
                    first[key] = {**body, INPUT_ALIAS: change(body[INPUT_ALIAS])}
        data["layers"] = [first, *layers[1:]]
    return data


def with_input(data: dict, shape: Any) -> dict:
    """A copy of a spec's data whose input is `shape`, written where the spec writes its input (`input:`
    when it writes none). Named `inputs:` of one shape (a siamese pair, a model file's `forward(self, a, b)`)
    all take `shape`; otherwise those left open do.

    >>> with_input({"input_shape": [8, 8, 1]}, [4, 4, 1]), with_input({}, [3])
    ({'input_shape': [4, 4, 1]}, {'input': [3]})
    >>> with_input({"inputs": {"a": [2], "b": [2]}}, [3]), with_input({"inputs": {"a": None, "b": [2]}}, [3])
    ({'inputs': {'a': [3], 'b': [3]}}, {'inputs': {'a': [3], 'b': [2]}})
    """
    named = data.get("inputs")
    if isinstance(named, dict) and named:
        shapes = [None if v is None else list(v) if isinstance(v, (list, tuple)) else v for v in named.values()]
        if all(v == shapes[0] for v in shapes):
            return {**data, "inputs": {k: shape for k in named}}
        if None in shapes:
            return {**data, "inputs": {k: shape if v is None else v for k, v in named.items()}}
    layers = data.get("layers")
    first = layers[0] if isinstance(layers, list) and layers else None
    if "input" in data or INPUT_ALIAS in data or _first_layer_input_shape(first) is not None:
        return map_input(data, lambda _: shape)
    return {**data, "input": shape}


def _read_inputs(spec: Spec, data: dict, single_key: str | None = None) -> None:
    """`inputs: {image: [3, 256, 256], mask: [1, 256, 256]}` in place of `input:`."""
    if single_key is not None:
        spec.error("conflicting-options", f"give either {single_key}: (one input) or inputs: (named inputs), "
                   "not both", "/inputs")
    value = data["inputs"]
    if not isinstance(value, dict) or not value:
        spec.error("bad-shape", "inputs must map each input's name to its shape, e.g. "
                   f"inputs: {{image: [3, 256, 256], mask: [1, 256, 256]}}; got {describe(value)}", "/inputs")
        return
    for key, shape_value in value.items():
        pointer = f"/inputs/{escape_pointer_token(key)}"
        if not isinstance(key, str) or not key:
            spec.error("bad-value", f"an input name must be a non-empty string, got {describe(key)}", pointer)
            continue
        shape = parse_shape(shape_value)
        if shape is None:
            spec.error("bad-shape", f"input {key!r} must be a list of positive integers (one sample, no batch "
                       f"axis), got {describe(shape_value)}", pointer)
        spec.inputs[key] = shape
    if len(spec.inputs) == 1:
        spec.input = next(iter(spec.inputs.values()))


def _read_outputs(spec: Spec, value: Any) -> None:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        spec.error("bad-inputs", f"outputs must be a layer name or a list of layer names, got {describe(value)}",
                   "/outputs")
        return
    spec.outputs = list(names)


def _read_framework(spec: Spec, data: dict, override: str | None) -> None:
    value = override if override is not None else data.get("framework", "torch")
    if isinstance(value, str) and value.lower() in FRAMEWORKS:
        spec.framework = value.lower()
    else:
        spec.error("unknown-framework", f"framework must be torch or keras, got {describe(value)}"
                   f"{did_you_mean(str(value).lower(), FRAMEWORKS)}", "/framework")


def _read_layer(spec: Spec, item: Any, list_pointer: str, position: int, index: int) -> LayerEntry:
    """Entry `position` of the list at `list_pointer` (`layers` or a block body) as the `index`-th
    layer; errors go to spec.diagnostics.

    >>> entry = _read_layer(Spec(), {"conv2d": {"filters": 8, "name": "c"}}, "/layers", 2, 3)
    >>> entry.index, entry.pointer, entry.type_name, entry.options, entry.name, entry.options_pointer
    (3, '/layers/2', 'conv2d', {'filters': 8}, 'c', '/layers/2/conv2d')
    """
    # Large stacks call this once per layer: the common forms (a bare name, a one-key mapping
    # without layer keys in its body) take the shortest path, with positional arguments.
    if isinstance(item, str):
        return LayerEntry(index, list_pointer, position, item, None, OPTIONS_AT_ENTRY)
    found = _input_shapes(item, f"{list_pointer}/{position}")
    if found:
        # Keras reads input_shape on the first layer (build_spec takes it as the input); elsewhere it
        # is a mistake that the spec's input: corrects
        if (list_pointer, position) != ("/layers", 0):
            for value, pointer in found:
                spec.error("unknown-option", f"{INPUT_ALIAS} {_written(value)}: Keras reads "
                           f"{INPUT_ALIAS} only on the first layer; remove it (a layer reads the output of the one "
                           "before), and give the spec's input shape once, as input: at the top level",
                           pointer, index)
        item = _without_input_shape(item)
    if not isinstance(item, dict) or not item:
        spec.error("bad-layers", f"layer {index} must be a type name or a mapping, got {describe(item)}",
                   f"{list_pointer}/{position}", index)
        return LayerEntry(index, list_pointer, position, None)
    if "type" in item:
        type_name = item["type"]
        if not isinstance(type_name, str):
            spec.error("bad-layers", f"type must be a layer type name, got {describe(type_name)}",
                       f"{list_pointer}/{position}/type", index)
            type_name = None
        entry = LayerEntry(index, list_pointer, position, type_name,
                           {k: v for k, v in item.items() if k not in LAYER_META_KEYS}, OPTIONS_AT_ENTRY)
    else:
        type_keys = [*item] if len(item) == 1 else [k for k in item if k not in _LAYER_META_SET]
        if len(type_keys) != 1 or type_keys[0] in _LAYER_META_SET:
            spec.error(
                "bad-layers",
                f"layer {index}: a short-form layer is a one-key mapping like {{conv2d: {{filters: 32}}}}; "
                f"got keys {', '.join(map(str, item))} (use type: for the long form)",
                f"{list_pointer}/{position}",
                index,
            )
            return LayerEntry(index, list_pointer, position, None)
        type_name = type_keys[0]
        body = item[type_name]
        if isinstance(body, dict):
            entry = LayerEntry(index, list_pointer, position, str(type_name), dict(body), OPTIONS_UNDER_TYPE)
            if any(key in body for key in ENTRY_KEYS):
                item = _lift_layer_keys(entry, item)
        else:
            entry = LayerEntry(index, list_pointer, position, str(type_name), None, OPTIONS_UNDER_TYPE,
                               positional=body)
    if len(item) > 1:  # a one-key mapping holds no name, expect or inputs
        _read_layer_keys(spec, entry, item)
    return entry


#: the keys of a layer entry that are not options
ENTRY_KEYS = ("name", "names", "expect", "inputs", "shares", "if", "trainable")


def split_layer_item(item: Any) -> tuple[str, dict, dict] | None:
    """(type, options as written, {name, names, expect, inputs, shares, if, trainable} as written) of a raw layer entry in any of
    spec-v1's spellings; a positional value (`- max_pool2d: 2`) is the option "". None for what is not a
    layer entry (a block use, a malformed entry). For passes that rewrite a spec's layers (port, solve).

    >>> split_layer_item({"conv2d": {"filters": 8, "kernel_size": 3, "name": "c"}})
    ('conv2d', {'filters': 8, 'kernel_size': 3}, {'name': 'c'})
    >>> split_layer_item({"max_pool2d": 2, "expect": [4, 4, 4]}), split_layer_item("relu")
    (('max_pool2d', {'': 2}, {'expect': [4, 4, 4]}), ('relu', {}, {}))
    """
    if isinstance(item, str):
        return item, {}, {}
    if not isinstance(item, dict) or not item or "block" in item:
        return None
    meta = {k: v for k, v in item.items() if k in ENTRY_KEYS}
    if "type" in item:
        if not isinstance(item["type"], str):
            return None
        return item["type"], {k: v for k, v in item.items() if k not in ("type", *ENTRY_KEYS)}, meta
    keys = [k for k in item if k not in ENTRY_KEYS]
    if len(keys) != 1 or not isinstance(keys[0], str):
        return None
    body = item[keys[0]]
    if isinstance(body, dict):
        options = {k: v for k, v in body.items() if k not in ENTRY_KEYS}
        return keys[0], options, {**{k: v for k, v in body.items() if k in ENTRY_KEYS}, **meta}
    return keys[0], ({} if body is None else {"": body}), meta


def _lift_layer_keys(entry: LayerEntry, item: dict) -> dict:
    """`{conv2d: {filters: 8, name: c}}`: name, names, expect, inputs, shares and trainable written in the body move out of
    the options, as if written beside the type (where the entry itself does not give them)."""
    options = entry.options
    if "expect" in options and "expect" not in item:
        entry.expect_pointer = f"{entry.options_pointer}/expect"
    if "inputs" in options and "inputs" not in item:
        entry.inputs_pointer = f"{entry.options_pointer}/inputs"
    if "shares" in options and "shares" not in item:
        entry.shares_pointer = f"{entry.options_pointer}/shares"
    if "names" in options and "names" not in item:
        entry.names_pointer = f"{entry.options_pointer}/names"
    if "trainable" in options and "trainable" not in item:
        entry.trainable_pointer = f"{entry.options_pointer}/trainable"
    for meta in ENTRY_KEYS:
        if meta in options and meta not in item:
            item = {**item, meta: options.pop(meta)}
    return item


def _read_layer_keys(spec: Spec, entry: LayerEntry, item: dict) -> None:
    """The name, names, expect, inputs, shares and trainable of a layer entry."""
    index = entry.index
    if "name" in item:
        if isinstance(item["name"], str) and item["name"]:
            entry.name = item["name"]
        else:
            spec.error("bad-value", f"a layer name must be a non-empty string, got {describe(item['name'])}",
                       f"{entry.pointer}/name", index)
    if "names" in item:
        entry.names_pointer = entry.names_pointer or f"{entry.pointer}/names"
        names = item["names"]
        if isinstance(names, list) and names and all(isinstance(n, str) and n for n in names) \
                and len(set(names)) == len(names):
            entry.names = list(names)
        else:
            spec.error("bad-value", f"names gives each output of a layer with several (split, chunk) a name: a list "
                       f"of different non-empty names, one per output, got {describe(names)}", entry.names_pointer,
                       index)
    if "expect" in item:
        entry.expect = item["expect"]
        entry.has_expect = True
        entry.expect_pointer = entry.expect_pointer or f"{entry.pointer}/expect"
    if "inputs" in item:
        entry.inputs_pointer = entry.inputs_pointer or f"{entry.pointer}/inputs"
        entry.inputs = read_input_names(spec, item["inputs"], entry.inputs_pointer, index)
    if "shares" in item:
        entry.shares_pointer = entry.shares_pointer or f"{entry.pointer}/shares"
        if isinstance(item["shares"], str) and item["shares"]:
            entry.shares = item["shares"]
        else:
            spec.error("bad-value", f"shares names the earlier layer whose weights this layer uses again, got "
                       f"{describe(item['shares'])}", entry.shares_pointer, index)
    if "trainable" in item:
        entry.trainable_pointer = entry.trainable_pointer or f"{entry.pointer}/trainable"
        if isinstance(item["trainable"], bool):
            entry.trainable = item["trainable"]
        else:
            spec.error("bad-value", f"trainable is true or false (false: a frozen layer, its weights counted as "
                       f"non-trainable), got {describe(item['trainable'])}", entry.trainable_pointer, index)


def read_input_names(spec: Spec, value: Any, pointer: str, index: int | None) -> list[str] | None:
    """`inputs:` as a list of names: one name or a list of names (None after an error)."""
    names = [value] if isinstance(value, str) else value
    if isinstance(names, list) and names and all(isinstance(n, str) and n for n in names):
        return list(names)
    spec.error("bad-inputs", f"inputs must be a name or a list of names of earlier layers or spec inputs, got "
               f"{describe(value)}", pointer, index)
    return None
