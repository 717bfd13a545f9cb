"""Plan a spec: walk its layers, resolve each layer's kind, bind its options, plan it, check expectations.

Planning goes on after an error: a layer whose input is unknown gets an unknown output,
but its type and options are still checked, with its kind's rules that need no input shape
(Kind.check_options), so one run reports every problem. Planning never
suggests fixes (that is a pass after it, planner/passes.py, which may call the solver); the
public entry points that read, plan and run the passes are in planner/api.py.
"""

from __future__ import annotations

import copy
from typing import Any

from .diagnostics import Diagnostic, Severity
from .graph import Names
from .layout import layout_diagnostics, refer_first_error
from .kinds import Kind, LayerCall, LayerError, is_known_type, resolve_type, type_names
from .options import REQUIRED, OptionError, ParseContext, describe
from .report import LayerRow, Report
from .shapes import shape_text
from .spec import LayerEntry, Spec, build_spec, parse_shape
from .suggest import did_you_mean

_LAYOUT = {"torch": "channels first", "keras": "channels last"}


def plan_only(data: Any, framework: str | None = None, *, file: str = "<spec>") -> Report:
    """Plan a spec given as plain data (what a YAML/JSON spec parses to), without the passes after
    planning (fix suggestions): what the solver uses to try variants of a spec.

    >>> report = plan_only({"framework": "keras", "input": [28, 28, 1],
    ...                     "layers": [{"conv2d": {"filters": 32, "kernel_size": 3, "padding": "same"}}]})
    >>> report.layers[0].output, report.layers[0].params
    ((28, 28, 32), 320)
    """
    spec = build_spec(data, framework, probe_input)
    report = plan_spec(spec, file=file)
    # spec-v1: a document that is not a mapping, or a list of layers over the limit, was not read as a
    # spec (exit status 2, like LP0xx)
    report.read_error = any(d.name in ("not-a-mapping", "too-large") for d in spec.diagnostics)
    return report


def probe_input(spec: Spec, entries: list[LayerEntry], reader: LayerEntry) -> tuple[int, ...] | None:
    """The sample shape `reader` reads when planned after `entries` (None: unknown), for a block use whose
    expressions read `in.channels` or `in.shape[K]` (planner/blocks.py): the layers expanded so far are
    planned as a spec of their own, and the names they generate are given back to their scopes.

    >>> spec = build_spec({"input": [3, 8, 8], "layers": [{"conv2d": {"filters": 5, "kernel_size": 3}}]})
    >>> probe_input(spec, spec.layers, LayerEntry(2, "/layers", 1, "identity"))
    (5, 6, 6)
    """
    scopes = {id(e.scope): e.scope for e in (*entries, reader) if e.scope is not None}
    counted = {key: dict(scope.counters) for key, scope in scopes.items()}
    probe = Spec(framework=spec.framework, input=spec.input, layers=[*entries, reader], inputs=dict(spec.inputs),
                 skipped=spec.skipped, redirects=spec.redirects)
    try:
        report = plan_spec(probe)
    finally:
        for key, scope in scopes.items():
            scope.counters.clear()
            scope.counters.update(counted[key])
    return report.layers[-1].input if report.layers else None


def plan_spec(spec: Spec, *, file: str = "<spec>") -> Report:
    """Plan an already-built Spec: the layers in the order written, each on the outputs it reads
    (`inputs:`, else the previous layer; see planner/graph.py)."""
    report = Report(file=file, framework=spec.framework, input=spec.input, name=spec.name, batch=spec.batch,
                    inputs=dict(spec.inputs), input_pointer=spec.input_pointer, layers_missing=spec.layers_missing)
    report.diagnostics.extend(spec.diagnostics)
    report.diagnostics.extend(layout_diagnostics(spec.inputs, spec.framework, spec.input_pointers()))
    names = Names(spec)
    previous = names.first_default()
    counters: dict[str, int] = {}
    planned: dict[tuple, _CleanLayer] = {}
    bindings: dict[tuple[str, str], tuple] = {}  # (kind, framework) -> its option tables, built once per spec
    owners: dict[str, tuple[LayerEntry, LayerRow]] = {}  # layer name -> the layer that holds its weights
    framework, taken, add_row = spec.framework, names.taken, report.layers.append
    for entry in spec.layers:
        sources, keys, diagnostics = names.sources_for(entry, previous)
        shape = sources[0][1] if sources else None
        scope_counters = entry.scope.counters if entry.scope is not None else counters
        prefix = entry.scope.prefix if entry.scope is not None else ""
        memo_key = _memo_key(entry, sources, framework)
        clean = planned.get(memo_key) if memo_key is not None else None
        if clean is not None:
            row = clean.row(entry, shape, scope_counters, prefix, taken)
        elif entry.shares is not None:
            row, layer_diagnostics = plan_shared(entry, owners, shape, framework, scope_counters,
                                                 inputs=sources or None, name_prefix=prefix, taken=taken,
                                                 bindings=bindings)
            diagnostics += layer_diagnostics
        else:
            row, layer_diagnostics = plan_layer(entry, shape, framework, scope_counters,
                                                inputs=sources or None, name_prefix=prefix, taken=taken,
                                                bindings=bindings)
            if memo_key is not None and not layer_diagnostics and row.output_shapes is not None:
                planned[memo_key] = _CleanLayer(row)
            diagnostics += layer_diagnostics
        if not entry.trainable:
            diagnostics += _freeze(entry, row, owners)
        if len(sources) == 1:
            row.inputs, row.input_shapes = [sources[0][0]], [shape]
        else:
            row.inputs = [name for name, _ in sources]
            row.input_shapes = [source_shape for _, source_shape in sources]
        row.block_path = entry.block_path
        row.block_names = entry.block_names
        owners.setdefault(row.name, owners[entry.shares] if entry.shares in owners else (entry, row))
        diagnostics += names.define(entry, row, keys)
        if diagnostics:
            if entry.uses:
                diagnostics = [d.replace(used_at=tuple((p, None, None) for p in entry.uses))
                               for d in diagnostics]
            _finish(row, diagnostics)
            report.diagnostics.extend(diagnostics)
        add_row(row)
        previous = row.index
    output_map, output_keys, output_diagnostics = names.outputs(previous if spec.layers else names.first_default())
    report.output_map = output_map
    report.diagnostics.extend(output_diagnostics)
    report.diagnostics.extend(names.unreachable(output_keys))
    if spec.expect is not None:
        report.diagnostics.extend(check_spec_expect(spec.expect, report))
    report.diagnostics = refer_first_error(report.diagnostics, spec.framework)
    return report


def _freeze(entry: LayerEntry, row: LayerRow, owners: dict[str, tuple[LayerEntry, LayerRow]]) -> list[Diagnostic]:
    """`trainable: false`: the layer's weights count as non-trainable, as torch counts them after
    `requires_grad_(False)` and keras after `layer.trainable = False` (keras BatchNormalization's gamma and beta
    too; its moving statistics are non-trainable anyway). A shared layer is frozen where its weights are.

    >>> report = plan_only({"input": [4], "layers": [{"dense": {"units": 2, "trainable": False}}]})
    >>> row = report.layers[0]
    >>> row.params, row.non_trainable, row.trainable
    (10, 10, 0)
    """
    def diagnostic(name: str, message: str) -> list[Diagnostic]:
        return [Diagnostic.make(name, message, layer=entry.index, pointer=entry.trainable_pointer or entry.pointer)]

    if entry.shares is not None:
        owner = owners.get(entry.shares)
        if owner is not None and owner[0].trainable:
            return diagnostic("shared-weights-mismatch", f"layer {row.name!r} shares the weights of {owner[1].name!r},"
                              f" which is trainable: a shared layer is one layer, so freeze it there "
                              f"(trainable: false on {owner[1].name!r}) and remove it here")
        return []
    if row.params is None:
        return []
    if row.params == 0:
        return diagnostic("frozen-without-weights", f"{row.type} {row.name!r} has no weights, so trainable: false "
                          "changes nothing; remove it")
    row.non_trainable, row.frozen = row.params, True
    return []


def _memo_key(entry: LayerEntry, sources: list, framework: str) -> tuple | None:
    """What a layer's plan depends on, as a key, for a layer that reads one input and has no `expect:`.

    A layer's planned result (kind, options, output, params, geometry) is a pure function of its type,
    options as written, input shape and framework. Long stacks repeat the same layer on the same shape,
    so plan_spec plans each such combination once. The options enter by repr, which tells 1, 1.0, True
    and "1" apart (they are equal as dict keys but not as options).
    """
    if entry.type_name is None or entry.has_expect or len(sources) != 1 or entry.shares is not None:
        return None
    return (entry.type_name, repr(entry.options) if entry.options else "",
            "" if entry.positional is None else repr(entry.positional), sources[0][1], framework)


class _CleanLayer:
    """The planned result shared by every layer of one memo key (it planned without any diagnostic)."""

    __slots__ = ("type", "options", "output", "outputs", "params", "non_trainable", "geometry")

    def __init__(self, row: LayerRow) -> None:
        self.type, self.options, self.output, self.outputs = row.type, row.options, row.output, row.outputs
        self.params, self.non_trainable, self.geometry = row.params, row.non_trainable, row.geometry

    def row(self, entry: LayerEntry, shape, counters: dict[str, int], name_prefix: str, taken) -> LayerRow:
        """A row for `entry`, as plan_layer would make it (with its own name), without planning again."""
        if entry.name:
            name = entry.name
            counters[self.type] = counters.get(self.type, 0) + 1
        else:
            name = _generated_name(self.type, counters, name_prefix, taken)
        return LayerRow(entry.index, name, self.type, shape, self.output, self.params, self.non_trainable,
                        self.geometry, self.options, outputs=self.outputs)


def plan_shared(entry: LayerEntry, owners: dict[str, tuple[LayerEntry, LayerRow]], shape, framework: str,
                counters: dict[str, int], **planning: Any) -> tuple[LayerRow, list[Diagnostic]]:
    """Plan a layer that calls an earlier layer again (`shares: NAME`): a shared layer (a siamese tower, a
    weight-tied block, a keras layer called on two tensors) holds its weights once, so both frameworks
    count its parameters once, at the layer that made them. The second call takes the owner's options
    (an entry that writes options must write the same ones), plans on its own input, and has 0
    parameters; an input its weights do not fit (it would need other parameters) is an error, where torch
    and keras raise. `owners` maps each earlier layer's name to the (entry, row) holding its weights.

    >>> report = plan_only({"input": [8], "layers": [{"dense": {"name": "fc", "units": 4}},
    ...                     {"dense": {"name": "fc_2", "shares": "fc", "inputs": "input"}}]})
    >>> [(row.name, row.output, row.params) for row in report.layers], report.ok
    ([('fc', (4,), 36), ('fc_2', (4,), 0)], True)
    >>> report = plan_only({"input": [8], "layers": [{"dense": {"name": "fc", "units": 8}},
    ...                     {"dense": {"name": "fc_2", "shares": "fc", "units": 4}}]})
    >>> [d.message for d in report.diagnostics]
    ["layer 'fc_2' shares the weights of 'fc' (units 8), so it takes the same options: remove its own (units 4)"]
    """
    diagnostics: list[Diagnostic] = []

    def report(name: str, message: str, pointer: str) -> None:
        diagnostics.append(Diagnostic.make(name, message, layer=entry.index, pointer=pointer))

    owner = owners.get(entry.shares)
    if owner is None:
        row, layer_diagnostics = plan_layer(entry, shape, framework, counters, **planning)
        report("unknown-name", f"shares names no earlier layer: {entry.shares!r}{did_you_mean(entry.shares, owners)}",
               entry.shares_pointer)
        return row, diagnostics + layer_diagnostics
    owner_entry, owner_row = owner
    own_options = bool(entry.options) or entry.positional is not None
    planned = entry
    if not own_options and owner_entry.type_name is not None and _same_kind(entry.type_name, owner_row):
        planned = copy.copy(entry)
        planned.options, planned.positional = dict(owner_entry.options), owner_entry.positional
    row, layer_diagnostics = plan_layer(planned, shape, framework, counters, **planning)
    diagnostics += layer_diagnostics
    if row.type != owner_row.type:
        report("shared-weights-mismatch", f"layer {row.name!r} is a {row.type} but shares the weights of "
               f"{owner_row.name!r}, a {owner_row.type}: a second call of a layer is the same layer",
               entry.shares_pointer)
    elif own_options and owner_row.options is not None and row.options is not None \
            and row.options != owner_row.options:
        differ = [k for k in owner_row.options if owner_row.options[k] != row.options.get(k)]
        report("shared-weights-mismatch", f"layer {row.name!r} shares the weights of {owner_row.name!r} ("
               + ", ".join(f"{k} {owner_row.options[k]}" for k in differ) + "), so it takes the same options: "
               "remove its own (" + ", ".join(f"{k} {row.options.get(k)}" for k in differ) + ")",
               entry.shares_pointer)
    elif row.params is not None and owner_row.params is not None and row.params != owner_row.params:
        report("shared-weights-mismatch", f"layer {row.name!r} shares the weights of {owner_row.name!r}, made for "
               f"its input {_shape_list(owner_row)} ({owner_row.params:,} params), but its own input "
               f"{_shape_list(row)} would need {row.params:,}: {framework} raises here", entry.shares_pointer)
    if row.params is not None:
        row.params, row.non_trainable = 0, 0
    row.shares = owner_row.shares or owner_row.name  # a chain of shares goes back to the layer with the weights
    return row, diagnostics


def _same_kind(type_name: str, owner: LayerRow) -> bool:
    """Whether a type spelling names the kind of an already planned layer (`Linear` and `dense`)."""
    try:
        kind = resolve_type(type_name, None if owner.input is None else len(owner.input))
    except LayerError:
        return False
    return kind is not None and kind.name == owner.type


def _shape_list(row: LayerRow) -> str:
    shapes = row.input_shapes if row.input_shapes and len(row.input_shapes) > 1 else [row.input]
    return ", ".join(str(list(s)) if s is not None else "?" for s in shapes)


def _generated_name(kind_name: str, counters: dict[str, int], name_prefix: str, taken) -> str:
    """The next free generated name for a kind (conv2d_1, conv2d_2, ...), counted in `counters`."""
    count = counters.get(kind_name, 0) + 1
    name = f"{name_prefix}{kind_name}_{count}"
    while name in taken:  # a generated name never takes a name written elsewhere
        count += 1
        name = f"{name_prefix}{kind_name}_{count}"
    counters[kind_name] = count
    return name


def plan_layer(entry: LayerEntry, shape, framework: str, counters: dict[str, int], *,
               inputs: list[tuple[str, Any]] | None = None, name_prefix: str = "",
               taken: set[str] | frozenset = frozenset(),
               bindings: dict | None = None) -> tuple[LayerRow, list[Diagnostic]]:
    """Plan one layer entry on an input shape (None when unknown).

    `inputs` lists (name, shape) of every input for layers that read several (merges); a generated
    name gets `name_prefix` and skips the names in `taken`; `bindings` keeps each kind's option tables
    for the next layer of the same kind.
    """
    diagnostics: list[Diagnostic] = []

    def report(name: str, message: str, pointer: str | None, severity: Severity | None = None,
               ) -> None:
        diagnostics.append(Diagnostic.make(name, message, layer=entry.index, pointer=pointer, severity=severity))

    row = LayerRow(entry.index, entry.name or "", entry.type_name or "?", input=shape,
                   names=None if entry.names is None else tuple(entry.names))
    if entry.type_name is None:
        row.name = row.name or f"{name_prefix}layer_{entry.index}"
        return row, diagnostics
    kind: Kind | None = None
    try:
        kind = resolve_type(entry.type_name, None if shape is None else len(shape))
    except LayerError as exc:
        report(exc.name, f"{entry.type_name}: {exc.message}", entry.pointer)
    if kind is None and not diagnostics:
        if not is_known_type(entry.type_name):
            report("unknown-layer-type", f"unknown layer type {entry.type_name!r}"
                   f"{did_you_mean(entry.type_name, type_names())}", entry.options_pointer
                   if entry.options_pointer != entry.pointer else entry.pointer)
    if kind is not None:
        row.type = kind.name
        if row.name:
            counters[kind.name] = counters.get(kind.name, 0) + 1
        else:
            row.name = _generated_name(kind.name, counters, name_prefix, taken)
    else:
        row.name = row.name or f"{name_prefix}layer_{entry.index}"
    if kind is None:
        return _finish(row, diagnostics)
    count = 1 if inputs is None else len(inputs)
    low, high = kind.arity
    if inputs is not None and (count < low or (high is not None and count > high)):
        report("bad-inputs", _arity_message(kind, inputs), entry.inputs_pointer or entry.pointer)
    shapes = (shape,) if inputs is None else tuple([s for _, s in inputs])
    if None in shapes:
        shape = None

    options, given, option_errors = bind_options(kind, entry, framework, bindings)
    diagnostics.extend(option_errors)
    row.options = options
    if shape is not None and kind.input_rank is not None and len(shape) != kind.input_rank \
            and not (kind.other_ranks is not None and kind.other_ranks(framework, len(shape))):
        report("wrong-rank", _wrong_rank_message(kind, shape, framework), entry.pointer)
    elif shape is not None and any(len(s) < kind.min_rank for s in shapes):
        report("wrong-rank", f"{kind.name} needs a sample of rank {kind.min_rank} or more, got a per-sample scalar "
               "(rank 0, no axis but the batch); unsqueeze or reshape it first (reshape: {target_shape: [1]})",
               entry.pointer)
    if diagnostics or shape is None:
        # The plan cannot run, but the rules that need no input shape can: one run reports every problem.
        for name, message, option in kind.check_options(options, framework):
            report(name, message, entry.option_pointer(given[option]) if option in given else entry.pointer)
        if kind.parameter_free and not option_errors:
            row.params, row.non_trainable = 0, 0
        return _finish(row, diagnostics)

    overflow = _size_overflow("input", shapes)
    if overflow:
        report("size-overflow", overflow, entry.pointer)
        return _finish(row, diagnostics)
    call = LayerCall(shape, options, framework, kind.dims, frozenset(given), kind.family, shapes=shapes,
                     input_names=tuple([name for name, _ in inputs or ()]))
    row.call = call  # what the passes after planning ask the solver about (planner/passes.py)
    try:
        outcome = kind.plan(call)
    except LayerError as exc:
        pointer = entry.option_pointer(given[exc.option]) if exc.option in given else entry.pointer
        report(exc.name, exc.message, pointer)
        if kind.parameter_free:
            row.params, row.non_trainable = 0, 0
        return _finish(row, diagnostics)
    except (OverflowError, MemoryError) as exc:
        report("bad-option-value", f"the numbers are too large to plan ({type(exc).__name__})", entry.pointer)
        return _finish(row, diagnostics)
    several = outcome.outputs is not None
    produced = [tuple(s) for s in outcome.outputs] if several else [tuple(outcome.output)]
    overflow = _size_overflow("output", produced, outcome.params)
    if overflow:
        report("size-overflow", overflow, entry.pointer)
        return _finish(row, diagnostics)
    if several:
        row.outputs = tuple(produced)
    else:
        row.output = produced[0]
    row.params = outcome.params
    row.non_trainable = outcome.non_trainable
    row.geometry = outcome.geometry
    for name, message, option in outcome.warnings:
        pointer = entry.option_pointer(given[option]) if option in given else entry.pointer
        report(name, message, pointer)
    if entry.has_expect:
        row.expected = _expected_shape(entry.expect)
        diagnostics.extend(check_layer_expect(entry, row.output) if not several
                           else check_outputs_expect(entry, row.outputs))
    return _finish(row, diagnostics)


INT64_MAX = 2**63 - 1


def _size_overflow(what: str, shapes, params: int | None = None) -> str | None:
    """A message when a tensor's element count or a parameter count exceeds int64, else None.

    torch and TensorFlow hold sizes in int64, so no such tensor exists. The product stops as soon
    as it passes the limit, so a shape of huge numbers costs no more than a small one.

    >>> _size_overflow("output", [(10**10, 10**10)]) is not None, _size_overflow("output", [(3, 4)], 10)
    (True, None)
    """
    for shape in shapes:
        count = 1
        for size in shape or ():
            count *= size
            if count > INT64_MAX:
                return (f"the {what} has more than 2**63 - 1 elements (the int64 limit of torch and TensorFlow "
                        "sizes); check the sizes and options for a typo")
    if params is not None and params > INT64_MAX:
        return "the layer has more than 2**63 - 1 parameters (the int64 limit of torch and TensorFlow)"
    return None


def _finish(row: LayerRow, diagnostics: list[Diagnostic]) -> tuple[LayerRow, list[Diagnostic]]:
    if diagnostics:
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        row.severity = min((d.severity for d in diagnostics), key=order.__getitem__)
    return row, diagnostics


def _arity_message(kind: Kind, inputs: list) -> str:
    low, high = kind.arity
    names = ", ".join(repr(name) for name, _ in inputs) or "none"
    if high == 1:
        return (f"{kind.name} takes one input, got {len(inputs)} ({names}); join branches first with a merge "
                "layer (concatenate, add, ...)")
    wanted = f"exactly {low}" if low == high else f"{low} or more"
    return f"{kind.name} takes {wanted} inputs, got {len(inputs)} ({names}); list them in inputs: [a, b]"


def looks_batched(shape, rank: int | None) -> bool:
    """Is `shape` one sample of `rank` written with a leading batch axis of 1 (`1x3x32x32` for a conv2d)?

    >>> looks_batched((1, 3, 32, 32), 3), looks_batched((3, 32, 32), 3), looks_batched((2, 3, 32, 32), 3)
    (True, False, False)
    """
    return rank is not None and len(shape) == rank + 1 and shape[0] == 1


def batch_axis_hint(shape, *, from_arguments: bool = False) -> str:
    """The fix for a `looks_batched` input, spelled for a spec or for the command line (`-i`).

    >>> batch_axis_hint((1, 3, 32, 32)), batch_axis_hint((1, 3, 32, 32), from_arguments=True)
    ('drop the batch axis: input: [3, 32, 32]', 'drop the batch axis: -i 3x32x32')
    """
    sample = tuple(shape[1:])
    return f"drop the batch axis: -i {shape_text(sample)}" if from_arguments else \
        f"drop the batch axis: input: {list(sample)}"


def _wrong_rank_message(kind: Kind, shape, framework: str) -> str:
    if not kind.dims:  # repeat_vector: one vector of features per sample, in either layout
        return (f"{kind.name} needs a sample of rank {kind.input_rank} (one vector of features, no batch axis), "
                f"got {shape_text(shape)} of rank {len(shape)}; flatten it first")
    axes = {1: "L", 2: "H, W", 3: "D, H, W"}[kind.dims]
    layout = f"(C, {axes})" if framework == "torch" else f"({axes}, C)"
    hint = ""
    if len(shape) == 1:
        hint = "; after flatten or dense, reshape back before a spatial layer"
    elif looks_batched(shape, kind.input_rank):
        hint = f"; {batch_axis_hint(shape)}"
    elif kind.dims and len(shape) - 1 in (1, 2, 3):
        hint = f"; for this input use the {len(shape) - 1}d variant"
    return (f"{kind.name} needs a sample of rank {kind.input_rank} {layout} ({_LAYOUT[framework]}, no batch axis), "
            f"got {shape_text(shape)} of rank {len(shape)}{hint}")


def bind_options(kind: Kind, entry: LayerEntry, framework: str,
                 bindings: dict | None = None) -> tuple[dict, dict[str, str], list[Diagnostic]]:
    """Map the entry's raw options to the kind's canonical options, parsed, with defaults.

    Returns (options, given: canonical name -> key as written, diagnostics).
    """
    diagnostics: list[Diagnostic] = []
    key = (kind.name, framework)
    tables = None if bindings is None else bindings.get(key)
    if tables is None:
        tables = _binding_tables(kind, framework)
        if bindings is not None:
            bindings[key] = tables
    accepted, context, defaults = tables
    raw = entry.options
    if entry.positional is not None:
        if kind.positional:
            raw = dict(raw)
            raw.setdefault(kind.positional[0], entry.positional)
        else:
            diagnostics.append(Diagnostic.make(
                "bad-option-value", f"{kind.name} takes no options, got {describe(entry.positional)}",
                layer=entry.index, pointer=entry.options_pointer))
    values: dict[str, Any] = {}
    given: dict[str, str] = {}
    for key, value in raw.items():
        option = accepted.get(key.lower() if isinstance(key, str) else key)
        if isinstance(key, str) and key.lower() in kind.keywords:
            option = kind.option(kind.keywords[key.lower()](value))
        if option is None:
            diagnostics.append(Diagnostic.make(
                "unknown-option",
                f"{kind.name} has no option {key!r}{did_you_mean(key, accepted)}"
                + (f" (it takes {', '.join(o.name for o in kind.options)})" if kind.options else " (it takes none)"),
                layer=entry.index, pointer=entry.option_pointer(key)))
            continue
        if option.name in given:
            diagnostics.append(Diagnostic.make(
                "conflicting-options", f"{key!r} and {given[option.name]!r} are the same option ({option.name})",
                layer=entry.index, pointer=entry.option_pointer(key)))
            continue
        given[option.name] = key
        if framework not in option.frameworks:
            other = next(iter(option.frameworks))
            diagnostics.append(Diagnostic.make(
                "option-not-in-framework",
                (f"{key} {describe(value)} means {option.name}, a {other} option" if isinstance(key, str)
                 and key.lower() in kind.keywords else f"{option.name} is a {other} option")
                + f"; {framework} {kind.name} has no such argument",
                layer=entry.index, pointer=entry.option_pointer(key)))
            continue
        try:
            values[option.name] = option.parse(value, context)
        except OptionError as exc:
            diagnostics.append(Diagnostic.make(
                "bad-option-value", f"{kind.name} {key}: {exc}", layer=entry.index,
                pointer=entry.option_pointer(key)))
            values[option.name] = None
    for option in kind.options:
        if option.name in values:
            continue
        if option.name in defaults:
            values[option.name] = defaults[option.name]
            continue
        if framework in option.frameworks:  # a required option
            diagnostics.append(Diagnostic.make(
                "missing-option", f"{kind.name} needs {option.name} ({option.doc})",
                layer=entry.index, pointer=entry.options_pointer))
        values[option.name] = None
    return values, given, diagnostics


def _binding_tables(kind: Kind, framework: str) -> tuple[dict, ParseContext, dict[str, Any]]:
    """(option name or alias -> Option, the parse context, option name -> parsed default) of a kind;
    required options have no default entry. Parsed values are immutable, so layers share them."""
    accepted = {}
    for option in kind.options:
        accepted[option.name] = option
        for alias in option.aliases:
            accepted[alias] = option
    context = ParseContext(kind.dims, framework)
    defaults: dict[str, Any] = {}
    for option in kind.options:
        default = option.default_for(framework)
        if default is not REQUIRED:
            defaults[option.name] = None if default is None else option.parse(default, context)
    return accepted, context, defaults


def _expected_shape(value: Any) -> list | None:
    if isinstance(value, str):
        if value.strip() == "()":  # the per-sample scalar, as the table writes it
            return []
        parts = value.replace("x", ",").replace("X", ",").split(",")
        try:
            return [None if p.strip() in ("?", "_", "*", "null") else int(p) for p in parts]
        except ValueError:
            return None
    if isinstance(value, list) and all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return value  # [] is the shape of a per-sample scalar
    return None


def shape_matches(expected: list, actual) -> bool:
    """Does a shape with null for 'any' match an actual shape?

    >>> shape_matches([None, 28, 28], (32, 28, 28)), shape_matches([16], (32,))
    (True, False)
    """
    return len(expected) == len(actual) and all(e is None or e == a for e, a in zip(expected, actual))



def check_layer_expect(entry: LayerEntry, output) -> list[Diagnostic]:
    expected = _expected_shape(entry.expect)
    if expected is None:
        return [Diagnostic.make("bad-expect", f"expect must be a shape such as [32, 28, 28] (null for any axis), got "
                                f"{describe(entry.expect)}", layer=entry.index, pointer=entry.expect_pointer)]
    if shape_matches(expected, output):
        return []
    return [Diagnostic.make("expect-failed", f"expected output {shape_text(expected)}, planned {shape_text(output)}",
                            layer=entry.index, pointer=entry.expect_pointer)]


def check_outputs_expect(entry: LayerEntry, outputs) -> list[Diagnostic]:
    """`expect:` on a layer with several outputs: one shape per output, in order."""
    value = entry.expect
    expected = [_expected_shape(v) for v in value] if isinstance(value, list) and all(
        isinstance(v, (list, str)) for v in value) else None
    if expected is None or None in expected or len(expected) != len(outputs):
        return [Diagnostic.make("bad-expect", f"this layer has {len(outputs)} outputs: expect is a list of "
                                f"{len(outputs)} shapes, one per output (null for any axis), got {describe(value)}",
                                layer=entry.index, pointer=entry.expect_pointer)]
    wrong = [k for k, (e, o) in enumerate(zip(expected, outputs)) if not shape_matches(e, o)]
    return [Diagnostic.make("expect-failed", f"expected output {k} {shape_text(expected[k])}, planned {shape_text(outputs[k])}",
                            layer=entry.index, pointer=entry.expect_pointer) for k in wrong]


SPEC_EXPECT_KEYS = ("output", "max_params", "max_macs", "max_activation_bytes")
#: budget key -> (what is measured, how to read it from a report and its lazily computed metrics)
_BUDGETS = {
    "max_params": ("params", lambda report, metrics: report.total_params),
    "max_macs": ("MACs", lambda report, metrics: metrics().total_macs),
    "max_activation_bytes": ("bytes of peak activation memory",
                             lambda report, metrics: metrics().peak_activation_bytes),
}


def check_spec_expect(expect: dict, report: Report) -> list[Diagnostic]:
    """Spec-level assertions: the final output shape and budgets (params, MACs, peak activation bytes).

    >>> from layerplan.planner import plan_data
    >>> report = plan_data({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}}]})
    >>> [d.message for d in check_spec_expect({"max_params": 50, "max_macs": 10**6}, report)]
    ['80 params exceed the budget max_params 50']
    """
    diagnostics = []
    cache: list = []

    def metrics():
        if not cache:
            cache.append(report.metrics())
        return cache[0]

    for key, value in expect.items():
        pointer = f"/expect/{key}"
        if key == "output":
            expected = parse_shape(report.input) if value == "input" else _expected_shape(value)
            if expected is None:
                diagnostics.append(Diagnostic.make("bad-expect", f"expect.output must be a shape, got {describe(value)}",
                                                   pointer=pointer))
            elif report.output is not None and report.ok and not shape_matches(list(expected), report.output):
                diagnostics.append(Diagnostic.make(
                    "expect-failed", f"expected the output {shape_text(expected)}, planned {shape_text(report.output)}",
                    pointer=pointer))
        elif key in _BUDGETS:
            what, measure = _BUDGETS[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                diagnostics.append(Diagnostic.make("bad-expect", f"expect.{key} must be an integer >= 0, got "
                                                   f"{describe(value)}", pointer=pointer))
                continue
            measured = measure(report, metrics)
            if measured is not None and measured > value:
                diagnostics.append(Diagnostic.make(
                    "expect-failed", f"{measured:,} {what} exceed the budget {key} {value:,}", pointer=pointer))
        else:
            diagnostics.append(Diagnostic.make("bad-expect", f"unknown expect key {key!r}"
                                               f"{did_you_mean(key, SPEC_EXPECT_KEYS)}", pointer=pointer))
    return diagnostics
