"""Layer stacks written as command-line arguments, one argument per layer.

A layer argument is ``TYPE[:ARGS]``: ARGS are comma-separated, positional in the framework's
constructor order (`positional_options`: conv filters, kernel_size, stride, padding, ...; pool
pool_size, stride; upsample scale_factor; dense units; reshape target_shape) and ``key=value``
for any option or alias. ``k s p d g`` are short keys for kernel_size, stride, padding, dilation
and groups (a type's own option of that name wins: ``dropout:p=0.2`` is the rate).

Values: integers, numbers, ``true``/``false``, ``null``, words, per-axis lists as ``3x5``,
``[3,5]`` or ``(3,5)``, nested pairs as ``[[1,2],[0,1]]``. A type with a single main option
gathers several positional values into a list: ``reshape:7,7,16`` is ``reshape:7x7x16``.

The result is ordinary spec-v1 data, planned by the same engine with the same diagnostics;
`TokenStack.name_token` rewrites a diagnostic so that it names the argument that caused it.

>>> parse_tokens(["conv2d:32,3,p=same", "max_pool2d:2", "flatten", "dense:10"]).layers
[{'conv2d': {'filters': 32, 'kernel_size': 3, 'padding': 'same'}}, {'max_pool2d': {'pool_size': 2}}, 'flatten', {'dense': {'units': 10}}]
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from .api import plan_document
from .diagnostics import Diagnostic
from .kinds import Kind, is_known_type
from .layer_docs import find_kind
from .layout import layout_message
from .model_code.layers import DECLARED_INPUT
from .plan import batch_axis_hint
from .spec import with_input
from .report import Report
from .spec_text import Document

#: short keys accepted in layer arguments, when the type has no option of that name itself
SHORT_KEYS = {"k": "kernel_size", "s": "stride", "p": "padding", "d": "dilation", "g": "groups"}

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INT = re.compile(r"[+-]?\d+\Z")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][+-]?\d+)\Z")
_BY = re.compile(r"[+-]?\d+(?:[xX×][+-]?\d+)+\Z")
_WORDS = {"true": True, "false": False, "null": None, "none": None}
_OPEN, _CLOSE = "[(", "])"


class LayerToken:
    """One layer argument: its text and, per option key written into the layer, the piece that set it."""

    __slots__ = ("text", "type_name", "pieces")

    def __init__(self, text: str, type_name: str, pieces: dict[str, str] | None = None) -> None:
        self.text = text
        self.type_name = type_name
        self.pieces = {} if pieces is None else pieces

    def __repr__(self) -> str:
        return f"LayerToken(text={self.text!r}, type_name={self.type_name!r}, pieces={self.pieces!r})"

    __hash__ = None  # mutable

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.text, self.type_name, self.pieces) == (other.text, other.type_name, other.pieces)


class TokenStack:
    """Layer arguments read into spec-v1 layer entries.

    `first_layer` is the 1-based index the first argument gets in the planned stack (after
    the layers of a spec file they are appended to). `diagnostics` are problems of the
    arguments themselves; problems the engine finds later are named with `name_token`.
    """

    __slots__ = ("tokens", "layers", "diagnostics", "first_layer")

    def __init__(self, tokens: list[LayerToken], layers: list[Any], diagnostics: list[Diagnostic],
                 first_layer: int = 1) -> None:
        self.tokens = tokens
        self.layers = layers
        self.diagnostics = diagnostics
        self.first_layer = first_layer

    def __repr__(self) -> str:
        return (f"TokenStack(tokens={self.tokens!r}, layers={self.layers!r}, diagnostics={self.diagnostics!r}, "
                f"first_layer={self.first_layer!r})")

    __hash__ = None  # mutable

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.tokens, self.layers, self.diagnostics, self.first_layer) == (
            other.tokens, other.layers, other.diagnostics, other.first_layer)

    def token_for(self, layer: int | None) -> LayerToken | None:
        """The argument that wrote the 1-based `layer`, or None for a layer that came from elsewhere."""
        if layer is None or not self.first_layer <= layer < self.first_layer + len(self.tokens):
            return None
        return self.tokens[layer - self.first_layer]

    def name_token(self, diagnostic: Diagnostic) -> Diagnostic:
        """The diagnostic with the offending argument (and the piece of it) named in its message.

        Positions (line, column) are dropped: an argument has none.

        >>> stack = parse_tokens(["conv2d:32,3,s=2,p=same"])
        >>> d = Diagnostic.make("same-with-stride", "no", layer=1, pointer="/layers/0/conv2d/padding")
        >>> stack.name_token(d).message
        '`conv2d:32,3,s=2,p=same` at `p=same`: no'
        """
        token = self.token_for(diagnostic.layer)
        if token is None:
            return diagnostic
        where = f"`{token.text}`"
        prefix = f"/layers/{diagnostic.layer - 1}/"
        pointer = diagnostic.pointer or ""
        if pointer.startswith(prefix):
            parts = pointer[len(prefix):].split("/")
            piece = token.pieces.get(parts[-1]) if len(parts) >= 2 else None
            if piece is not None and piece != token.text:
                where += f" at `{piece}`"
        return diagnostic.replace(message=f"{where}: {diagnostic.message}", line=None, column=None)


def looks_like_layer(argument: str) -> bool:
    """Does a command-line argument name a known layer type (``conv2d:32,3``, ``flatten``, ``Conv2D``)?

    >>> looks_like_layer("conv2d:32,3"), looks_like_layer("Flatten"), looks_like_layer("spec.yaml")
    (True, True, False)
    """
    name = argument.split(":", 1)[0]
    return bool(name) and _KEY.match(name) is not None and is_known_type(name)


#: kinds whose one positional value stays the scale factor, as layerplan documents it and keras'
#: UpSampling reads it, though torch's Upsample takes `size` first
_FACTOR_FIRST = frozenset({"upsample1d", "upsample2d", "upsample3d"})
_OTHER_FRAMEWORK = {"torch": "keras", "keras": "torch"}


def positional_options(kind: Kind, framework: str = "torch") -> tuple[str, ...]:
    """The options that positional values set, in the framework's constructor order, from the kinds
    table: the framework's positional parameters, without those the input gives (torch's
    `in_channels`, `in_features`, `input_size`, `num_features`), up to the first one that is not an
    option of the kind. A kind the framework has no constructor for takes the other framework's order;
    one neither has, or whose order starts with no option, takes the kind's main options.

    >>> from layerplan.planner.layer_docs import find_kind
    >>> positional_options(find_kind("conv2d"), "torch")
    ('filters', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias')
    >>> positional_options(find_kind("multi_head_attention"), "torch")[:2]
    ('embed_dim', 'num_heads')
    >>> positional_options(find_kind("multi_head_attention"), "keras")[:3]
    ('num_heads', 'key_dim', 'value_dim')
    >>> positional_options(find_kind("upsample2d"), "torch")
    ('scale_factor', 'mode', 'align_corners')
    >>> positional_options(find_kind("resizing"), "torch"), positional_options(find_kind("reshape"), "torch")
    (('height', 'width', 'interpolation', 'crop_to_aspect_ratio'), ('target_shape',))
    """
    for name in (framework, _OTHER_FRAMEWORK.get(framework)):
        spelling = kind.spellings.get(name) if name else None
        if spelling is None or not spelling.positional:
            continue
        by_keyword = {alias: o.name for o in kind.options for alias in (*o.aliases, o.name)}
        by_keyword.update({spelling.arguments.get(o.name, o.name): o.name for o in kind.options})
        order = [by_keyword.get(parameter) for parameter in spelling.positional]
        if kind.name in _FACTOR_FIRST and kind.positional[0] in order:
            order = order[order.index(kind.positional[0]):]
        while order and order[0] is None and spelling.positional[len(spelling.positional) - len(order)] in \
                DECLARED_INPUT:  # what the input gives (torch's in_channels) comes first
            order.pop(0)
        return tuple(order[:order.index(None)] if None in order else order) or kind.positional
    return kind.positional


def parse_tokens(tokens: Sequence[str], first_layer: int = 1, framework: str = "torch") -> TokenStack:
    """Read layer arguments, keeping what each one wrote and any problem in it.

    >>> parse_tokens(["conv_transpose2d:16,k=4,s=2,p=1", "reshape:7,7,16", "dropout:p=0.2"]).layers
    [{'conv_transpose2d': {'filters': 16, 'kernel_size': 4, 'stride': 2, 'padding': 1}}, {'reshape': {'target_shape': [7, 7, 16]}}, {'dropout': {'p': 0.2}}]
    >>> stack = parse_tokens(["conv2d:32,3,3,3,1,1,true,9"])
    >>> stack.layers[0]["conv2d"]["bias"], stack.diagnostics[0].code
    (True, 'LP105')
    """
    stack = TokenStack([], [], [], first_layer)
    for position, text in enumerate(tokens):
        token, layer, problems = _parse_token(text, first_layer + position, framework)
        stack.tokens.append(token)
        stack.layers.append(layer)
        stack.diagnostics.extend(problems)
    stack.diagnostics = [stack.name_token(d) for d in stack.diagnostics]
    return stack


def _parse_token(text: str, index: int, framework: str) -> tuple[LayerToken, Any, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    pointer = f"/layers/{index - 1}"

    def problem(name: str, message: str, where: str = pointer) -> None:
        problems.append(Diagnostic.make(name, message, layer=index, pointer=where))

    type_name, has_args, rest = text.partition(":")
    type_name = type_name.strip()
    token = LayerToken(text, type_name)
    if not type_name:
        problem("bad-layers", "a layer argument is TYPE[:ARGS], e.g. conv2d:32,3 (the type is missing)")
        return token, "?", problems
    if not has_args:
        return token, type_name, problems
    kind = find_kind(type_name)
    options: dict[str, Any] = {}
    option_pointer = f"{pointer}/{type_name}"
    positional: list[tuple[str, Any]] = []
    try:
        pieces = _split(rest)
    except ValueError as exc:
        problem("bad-layers", f"cannot read the arguments: {exc}")
        return token, {type_name: {}}, problems
    for piece in pieces:
        if not piece.strip():
            problem("bad-layers", "an empty argument (two commas in a row, or a trailing comma)")
            continue
        key, has_value, value_text = piece.partition("=")
        if not has_value:
            if options:
                problem("bad-layers", f"positional value {piece!r} after key=value arguments; "
                        "write positional values first")
                continue
            try:
                positional.append((piece, parse_value(piece)))
            except ValueError as exc:
                problem("bad-option-value", f"{piece!r}: {exc}")
            continue
        key = key.strip()
        if not _KEY.match(key):
            problem("bad-layers", f"{piece!r}: an option is key=value with a name such as stride or s")
            continue
        key = _expand_key(key, kind)
        try:
            value = parse_value(value_text)
        except ValueError as exc:
            problem("bad-option-value", f"{piece!r}: {exc}", f"{option_pointer}/{key}")
            continue
        if key in options:
            problem("conflicting-options", f"{piece!r} sets {key} a second time (first: {token.pieces[key]!r})",
                    f"{option_pointer}/{key}")
            continue
        options[key] = value
        token.pieces[key] = piece
    if positional:
        names = positional_options(kind, framework) if kind is not None else ()
        if kind is None:
            pass  # the engine reports the unknown type; its values cannot be named
        elif not names:
            problem("bad-layers", f"{kind.name} takes no positional values (got {', '.join(p for p, _ in positional)}); "
                    f"write key=value" + (f" ({', '.join(o.name for o in kind.options)})" if kind.options else ""))
        elif len(names) == 1 and len(positional) > 1:
            positional = [(",".join(p for p, _ in positional), [v for _, v in positional])]
        elif len(positional) > len(names):
            extra = positional[len(names):]
            problem("bad-layers", f"{kind.name} takes at most {len(names)} positional values ({', '.join(names)}); "
                    f"got {len(positional)}: write {', '.join(p for p, _ in extra)} as key=value")
            positional = positional[: len(names)]
        named: dict[str, Any] = {}
        for name, (piece, value) in zip(names, positional):
            if _given(kind, name, options):
                problem("conflicting-options", f"{name} is given twice: positional {piece!r} and "
                        f"{token.pieces[_given(kind, name, options)]!r}", f"{option_pointer}/{name}")
                continue
            named[name] = value
            token.pieces[name] = piece
        options = {**named, **options}
    return token, {type_name: options}, problems


def _accepts(kind: Kind, key: str) -> bool:
    key = key.lower()
    return key in kind.keywords or any(key == option.name or key in option.aliases for option in kind.options)


def _expand_key(key: str, kind: Kind | None) -> str:
    short = SHORT_KEYS.get(key.lower())
    if short is None or (kind is not None and _accepts(kind, key)):
        return key
    return short


def _given(kind: Kind, name: str, options: dict[str, Any]) -> str | None:
    """The key in `options` that sets option `name` (itself or an alias), if any."""
    option = kind.option(name)
    spellings = {name} | set(option.aliases if option else ())
    return next((key for key in options if key.lower() in spellings), None)


def _split(text: str) -> list[str]:
    """Split at commas outside brackets."""
    pieces, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                raise ValueError(f"{char!r} closes a bracket that was never opened")
        elif char == "," and depth == 0:
            pieces.append(text[start:position])
            start = position + 1
    if depth:
        raise ValueError("a bracket is never closed")
    pieces.append(text[start:])
    return pieces


def parse_value(text: str) -> Any:
    """One value of a layer argument, as the matching YAML would give it.

    >>> [parse_value(t) for t in ("3", "-1", "0.5", "true", "null", "same", "3x5", "[1,2]", "((1,2),(0,1))")]
    [3, -1, 0.5, True, None, 'same', [3, 5], [1, 2], [[1, 2], [0, 1]]]
    """
    text = text.strip()
    if not text:
        raise ValueError("the value is missing")
    if text[0] in _OPEN:
        if text[-1] not in _CLOSE:
            raise ValueError(f"{text!r} opens a list that is not closed at its end")
        inner = text[1:-1].strip()
        return [parse_value(piece) for piece in _split(inner)] if inner else []
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _BY.match(text):
        return [int(part) for part in re.split("[xX×]", text)]
    word = _WORDS.get(text.lower(), text)
    return word


def split_arguments(arguments: Sequence[str], *, prefer_layers: bool = False, exists=None) -> tuple[list[str], list[str]]:
    """Split a command line's arguments into spec files and layer arguments.

    ``-``, anything with a ``/`` or a .yaml/.yml/.json suffix is a spec, and so is model code
    (``model.py`` or ``model.py::NAME``); an argument that names
    a known layer type (``conv2d:32,3``, ``flatten``) is a layer; then an existing file is a
    spec. Whatever is left is a layer when it has a ``:``, follows a layer, or when
    `prefer_layers` (an input shape was given), so a misspelt type is reported as an unknown
    layer type rather than as a missing file.

    >>> split_arguments(["net.yaml", "conv2d:32,3", "convv2d:8,3", "flatten"], exists=lambda p: False)
    (['net.yaml'], ['conv2d:32,3', 'convv2d:8,3', 'flatten'])
    >>> split_arguments(["model.py::Net", "dense:10"], exists=lambda p: False)
    (['model.py::Net'], ['dense:10'])
    """
    import os

    from .model_code import is_model_path

    exists = exists or os.path.isfile
    specs: list[str] = []
    layers: list[str] = []
    for argument in arguments:
        if argument == "-" or "/" in argument or argument.lower().endswith((".yaml", ".yml", ".json")) \
                or is_model_path(argument):
            specs.append(argument)
        elif looks_like_layer(argument):
            layers.append(argument)
        elif exists(argument):
            specs.append(argument)
        elif ":" in argument or layers or prefer_layers:
            layers.append(argument)
        else:
            specs.append(argument)
    return specs, layers


def plan_tokens(
    tokens: Sequence[str],
    input_shape: Any = None,
    framework: str | None = None,
    base: Document | None = None,
    file: str = "<args>",
) -> Report:
    """Plan layer arguments, appended to the layers of `base` (a parsed spec) when given.

    `input_shape` (a list or text such as ``1x28x28``) replaces the spec's input. Diagnostics
    on layers that came from arguments name the argument instead of a line.

    >>> report = plan_tokens(["conv2d:32,3,p=same", "max_pool2d:2"], "1x28x28")
    >>> report.output, report.total_params, report.file
    ((32, 14, 14), 320, '<args>')
    >>> plan_tokens(["conv2d:8,3,s=2,p=same"], "1x28x28").diagnostics[0].message[:40]
    '`conv2d:8,3,s=2,p=same` at `p=same`: tor'
    """
    data: Any = {}
    if base is not None:
        data = dict(base.data) if isinstance(base.data, dict) else base.data
        file = base.filename
    existing = data.get("layers") if isinstance(data, dict) else None
    first = len(existing) + 1 if isinstance(existing, list) else 1
    written = data.get("framework") if isinstance(data, dict) else None
    stack = parse_tokens(tokens, first, framework or (written if written in ("torch", "keras") else "torch"))
    if isinstance(data, dict):
        if input_shape is not None:
            data = with_input(data, input_shape)
        if tokens and (existing is None or isinstance(existing, list)):
            data["layers"] = (existing or []) + stack.layers
    document = base.replace(data=data) if base is not None else Document(data, file)
    report = plan_document(document, framework)
    engine = []
    unreadable = {d.layer for d in stack.diagnostics if d.name == "bad-layers"}
    for diagnostic in report.diagnostics:
        if diagnostic.name == "missing-option" and diagnostic.layer in unreadable:
            continue  # the options are missing because the argument could not be read: said once
        if input_shape is not None and diagnostic.name == "wrong-rank" and report.input is not None:
            # the batch-axis fix is spelled as the option: -i
            diagnostic = diagnostic.replace(message=diagnostic.message.replace(
                batch_axis_hint(report.input), batch_axis_hint(report.input, from_arguments=True)))
        if stack.token_for(diagnostic.layer) is not None:
            diagnostic = stack.name_token(diagnostic)
        elif input_shape is not None and diagnostic.pointer == report.input_pointer:
            diagnostic = diagnostic.replace(line=None, column=None)
            if diagnostic.name == "layout-mismatch":  # the fixes are spelled as options: -f, -i
                diagnostic = diagnostic.replace(
                    message=layout_message(report.input, report.framework, from_arguments=True))
        engine.append(diagnostic)
    report.diagnostics = _merge(engine, stack.diagnostics)
    return report


def _merge(engine: list[Diagnostic], own: list[Diagnostic]) -> list[Diagnostic]:
    """The arguments' own problems placed before the engine's diagnostics on the same or a later layer."""
    pending = list(own)
    merged: list[Diagnostic] = []
    for diagnostic in engine:
        while pending and diagnostic.layer is not None and pending[0].layer <= diagnostic.layer:
            merged.append(pending.pop(0))
        merged.append(diagnostic)
    return merged + pending
