"""A JSON Schema for spec files, generated from the layer table so it cannot drift from the engine.

Everything comes from code: the top-level keys from `planner.spec.TOP_LEVEL_KEYS`, the per-layer
keys from `LAYER_META_KEYS`, the spec-level budgets from `planner.plan.SPEC_EXPECT_KEYS`, the
layer types, their aliases and options from `planner.kinds.KINDS`, and each option's accepted values
from its parser (`PARSER_SCHEMAS`). A key added to one of those tables is accepted by the schema at
once (values unchecked until a value schema is added here); the copy shipped beside this module,
`spec.schema.json`, is regenerated with `layerplan schema --output planner/spec.schema.json`.

The schema is a first line of defence for editors (completion, hover docs, red squiggles): it accepts
every spec the engine reads without a structural error, and rejects what is obviously broken (unknown
keys, types and options, values of the wrong JSON type). Shapes are the engine's job.

>>> schema = spec_schema()
>>> schema["properties"]["layers"]["type"], "Conv2D" in schema["definitions"]["typeName"]["anyOf"][0]["enum"]
('array', True)
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from . import options as opt
from .blocks import USE_KEYS
from .kinds import KINDS, Kind, normalise_type, resolve_type, type_names
from .kinds.custom import computed_for, output_shape
from .kinds.time_distributed import wrapped_layer
from .plan import SPEC_EXPECT_KEYS
from .spec import FRAMEWORKS, LAYER_META_KEYS, TOP_LEVEL_KEYS

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
#: file name of the shipped copy, inside the planner package
SCHEMA_FILE = "spec.schema.json"
#: top-level keys a spec must have: one key of each tuple (those the engine knows); the input may also
#: be the first layer's `input_shape` (see `_required`)
REQUIRED_TOP_LEVEL = (("input", "input_shape", "inputs"), ("layers",))

_SEP = "[_-]*"  # normalise_type drops underscores and hyphens anywhere in a type name
# JSON Schema patterns are ECMA-262 regexes, which validators compile in unicode mode: there a
# backslash may only precede a syntax character, "/", or a letter with a meaning (\d, \n, ...),
# so an escaped "_" or "-" makes the whole schema invalid. Only syntax characters are escaped here;
# they are also exactly the characters Python's re treats as special outside a character class.
_REGEX_SYNTAX = frozenset("^$\\.*+?()[]{}|")


def _literal(char: str) -> str:
    """`char` as a regex atom matching itself, valid in ECMA-262 unicode mode and in Python's re."""
    return "\\" + char if char in _REGEX_SYNTAX else char


def _ci(word: str) -> str:
    """A regex fragment matching `word` in any letter case (JSON Schema regexes have no (?i) flag)."""
    out = []
    for char in word:
        if char.isalpha() and char.lower() != char.upper():
            out.append(f"[{char.lower()}{char.upper()}]")
        else:
            out.append(_literal(char))
    return "".join(out)


def _words_pattern(words) -> str:
    """Match any of `words`, case-insensitively.

    >>> _words_pattern(["use_bias", "bias"])
    '^(?:[bB][iI][aA][sS]|[uU][sS][eE]_[bB][iI][aA][sS])$'
    """
    return "^(?:" + "|".join(_ci(w) for w in sorted(set(words))) + ")$"


def _type_pattern(tokens) -> str:
    """Match any normalised type token, case-insensitively, with underscores/hyphens anywhere."""
    alternatives = [_SEP.join(_ci(c) for c in token) for token in sorted(set(tokens))]
    return f"^{_SEP}(?:" + "|".join(alternatives) + f"){_SEP}$"


# --------------------------------------------------------------------------- option values

_INT = {"type": "integer"}


def _int(minimum: int | None = None) -> dict:
    return {"type": "integer"} if minimum is None else {"type": "integer", "minimum": minimum}


def _per_axis(item: dict, dims: int) -> dict:
    """One value for every axis, or a list with one per spatial axis (`dims` 0: any count 1-3)."""
    lengths = {"minItems": dims, "maxItems": dims} if dims else {"minItems": 1, "maxItems": 3}
    return {"anyOf": [item, {"type": "array", "items": item, **lengths}]}


def _number(minimum: float | None = None, maximum: float | None = None, exclusive: bool = False) -> dict:
    schema: dict = {"type": "number"}
    if minimum is not None:
        schema["exclusiveMinimum" if exclusive else "minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _padding_pairs(dims: int) -> dict:
    amount = _int(0)
    entry = {"anyOf": [amount, {"type": "array", "items": amount, "minItems": 2, "maxItems": 2}]}
    return {"anyOf": [amount, {"type": "array", "items": entry, "minItems": 1, "maxItems": max(dims, 2) if dims else 3}]}


#: parser -> (dims -> JSON Schema of the values it accepts). Every parser used in the layer table
#: needs an entry (a test checks it); `choice(...)` parsers are read from their `choices`.
PARSER_SCHEMAS = {
    output_shape: lambda dims: {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {
        "anyOf": [_int(1), {"type": "string"}]}}]},
    computed_for: lambda dims: {"type": "array", "minItems": 1, "items": {"type": "array", "items": _int(1)}},
    wrapped_layer: lambda dims: {"anyOf": [{"type": "string", "minLength": 1}, {"type": "object", "minProperties": 1}]},
    opt.positive_int: lambda dims: _int(1),
    opt.section_count: lambda dims: _int(1),
    opt.non_negative_int: lambda dims: _int(0),
    opt.any_int: lambda dims: _INT,
    opt.optional_int: lambda dims: {"anyOf": [{"type": "null"}, _INT]},
    opt.int_list: lambda dims: {"anyOf": [_INT, {"type": "array", "minItems": 1, "items": _INT}]},
    opt.positive_int_list: lambda dims: {"anyOf": [_int(1), {"type": "array", "minItems": 1, "items": _int(1)}]},
    opt.positive_ints: lambda dims: _per_axis(_int(1), dims),
    opt.non_negative_ints: lambda dims: _per_axis(_int(0), dims),
    opt.optional_non_negative_ints: lambda dims: {"anyOf": [{"type": "null"}, _per_axis(_int(0), dims)]},
    opt.conv_padding: lambda dims: {"anyOf": [
        {"type": "string", "anyOf": [{"enum": list(opt.PADDING_WORDS)}, {"pattern": _words_pattern(opt.PADDING_WORDS)}]},
        _per_axis(_int(0), dims)]},
    opt.boolean: lambda dims: {"type": "boolean"},
    opt.number: lambda dims: _number(),
    opt.probability: lambda dims: _number(0, 1),
    opt.positive_scales: lambda dims: _per_axis(_number(0, exclusive=True), dims),
    opt.text: lambda dims: {"type": "string"},
    opt.target_shape: lambda dims: {"anyOf": [
        _INT, {"type": "array", "items": {"anyOf": [_int(1), {"const": -1}]}}]},
    opt.output_size: lambda dims: _per_axis({"anyOf": [_int(1), {"type": "null"}]}, dims),
    opt.padding_pairs: _padding_pairs,
    opt.positive_shape: lambda dims: {"anyOf": [_int(1), {"type": "array", "items": _int(1), "minItems": 1}]},
    opt.axis_list: lambda dims: {"anyOf": [_INT, {"type": "array", "items": _INT, "minItems": 1}]},
    opt.axes_or_none: lambda dims: {"anyOf": [{"type": "null"}, _INT, {"type": "array", "items": _INT}]},
    opt.numbers_or_none: lambda dims: {"anyOf": [{"type": "null"}, _number(),
                                                 {"type": "array", "items": _number(), "minItems": 1}]},
    opt.numbers: lambda dims: {"anyOf": [_number(), {"type": "array", "items": _number(), "minItems": 1}]},
    opt.activation_name: lambda dims: {"anyOf": [
        {"type": "null"},
        {"type": "string", "anyOf": [{"enum": list(opt.ACTIVATIONS)}, {"pattern": _words_pattern(opt.ACTIVATIONS)}]}]},
}


def option_value_schema(option: opt.Option, dims: int) -> dict:
    """The JSON Schema of one option's values, with its documentation.

    >>> from layerplan.planner.kinds import KINDS
    >>> option_value_schema(KINDS["conv2d"].option("filters"), 2)["minimum"]
    1
    """
    choices = getattr(option.parse, "choices", None)
    if choices is not None:
        words = list(dict.fromkeys(choices))
        schema = {"type": "string", "anyOf": [{"enum": words}, {"pattern": _words_pattern(words)}]}
    elif option.parse in PARSER_SCHEMAS:
        schema = dict(PARSER_SCHEMAS[option.parse](dims))
    else:  # a parser without a schema entry: accept anything rather than reject valid specs
        schema = {}
    frameworks = "" if option.frameworks == opt.BOTH else f" ({', '.join(sorted(option.frameworks))} only)"
    aliases = f" Aliases: {', '.join(option.aliases)}." if option.aliases else ""
    schema["description"] = f"{option.doc}{frameworks}: {option.type_doc}.{aliases}"
    default = option.default
    if default is not None and default is not opt.REQUIRED and not isinstance(default, dict):
        schema["default"] = default
    return schema


# --------------------------------------------------------------------------- shapes and meta keys

#: an argument name of a block (layerplan.planner.blocks checks the same)
ARG_NAME = "^[A-Za-z_][A-Za-z0-9_]*$"
_SHAPE_DIMS = r"\s*\d+\s*(?:[xX,×]\s*\d+\s*)*"
#: a shape as text: 1x28x28, 28,28,1, or a Python tuple or list such as (28, 28, 1) or [784]
_SHAPE_TEXT = rf"^\s*(?:{_SHAPE_DIMS}|\({_SHAPE_DIMS},?\s*\)|\[{_SHAPE_DIMS},?\s*\])\s*$"
INPUT_SHAPE = {
    "description": "one sample, no batch axis: torch channels first (C, H, W), keras channels last (H, W, C)",
    "anyOf": [
        {"type": "array", "minItems": 1, "items": _int(1)},
        {"type": "string", "pattern": _SHAPE_TEXT},
    ],
}
_ONE_SHAPE = {"type": "array", "items": {"anyOf": [_INT, {"type": "null"}]}}  # [] a per-sample scalar
EXPECTED_SHAPE = {
    "description": "the shape this layer must output; null (or ? in a string) for any size on an axis",
    "anyOf": [_ONE_SHAPE, {"type": "string"}],
}
#: a layer's expect: its shape, or one shape per output for a layer with several (split, chunk)
LAYER_EXPECT = {
    "description": "the shape this layer must output (a list of shapes, one per output, for a layer with several); "
                   "null (or ? in a string) for any size on an axis",
    "anyOf": [_ONE_SHAPE, {"type": "string"},
              {"type": "array", "minItems": 1, "items": {"anyOf": [_ONE_SHAPE, {"type": "string"}]}}],
}
_BUDGET = {"type": "integer", "minimum": 0}
#: spec-level expect key -> value schema (keys come from layerplan.planner.plan.SPEC_EXPECT_KEYS)
SPEC_EXPECT_SCHEMAS = {
    "output": {"description": "the final output shape, or 'input' for the input shape",
               "anyOf": [EXPECTED_SHAPE, {"const": "input"}]},
    "max_params": {**_BUDGET, "description": "fail when the total parameter count exceeds this"},
    "max_macs": {**_BUDGET, "description": "fail when the multiply-accumulates for one sample exceed this"},
    "max_activation_bytes": {**_BUDGET, "description": "fail when the activation memory exceeds this many bytes"},
}
#: top-level key -> value schema; keys come from layerplan.planner.spec.TOP_LEVEL_KEYS (unlisted ones: any value)
TOP_LEVEL_SCHEMAS = {
    "name": {"description": "the model's name (shown in output)", "type": ["string", "number", "null"]},
    "description": {"description": "free text"},
    "$schema": {"description": "the JSON Schema of layerplan specs, for editors (JSON specs)", "type": "string"},
    "framework": {"description": "torch (default) or keras: selects the layout, padding rules and param counting",
                  "type": "string", "anyOf": [{"enum": list(FRAMEWORKS)}, {"pattern": _words_pattern(FRAMEWORKS)}]},
    "input": INPUT_SHAPE,
    "input_shape": {**INPUT_SHAPE, "description": "the Keras name of input (give one of them): " +
                    INPUT_SHAPE["description"]},
    "batch": {"description": "batch size, for memory estimates only", **_int(1)},
    "layers": {"description": "the layer stack, in order", "type": "array", "items": [{"$ref": "#/definitions/layer"}],
               "additionalItems": {"$ref": "#/definitions/laterLayer"}},
    "inputs": {"description": "several named inputs: name -> shape (instead of input)", "type": "object",
               "additionalProperties": INPUT_SHAPE},
    "outputs": {"description": "the layer name(s) whose outputs are the model's outputs",
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "blocks": {"description": "reusable blocks: name -> layers, used as `- block: name`; a block with arguments "
               "is {args: {name: default}, layers: [...]}", "type": "object",
               "additionalProperties": {"anyOf": [
                   {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/laterLayer"}},
                   {"type": "object", "required": ["layers"], "additionalProperties": False, "properties": {
                       "args": {"description": "the block's arguments: name -> default (null: each use must give "
                                "it)", "type": "object", "propertyNames": {"pattern": ARG_NAME, "not": {
                                    "const": "input"}}},
                       "layers": {"description": "the block's layers; an option value may be an argument's name or "
                                  "an integer expression of arguments such as 'width * 4' (checked when planned)",
                                  "type": "array", "minItems": 1, "items": {"type": ["string", "object"]}}}},
               ]}},
}
_NAMES = {"description": "the layer name(s) this layer reads (default: the layer before it); NAME:K reads output "
                         "K of a layer with several outputs",
          "anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}
#: per-layer key -> value schema; keys come from layerplan.planner.spec.LAYER_META_KEYS (unlisted ones: any value)
LAYER_META_SCHEMAS = {
    "type": {"$ref": "#/definitions/typeName"},
    "name": {"description": "the layer's name (shown in output)", "type": "string", "minLength": 1},
    "names": {"description": "the names of the outputs of a layer with several (split, chunk, return_state), one per "
                       "output: a later layer reads the name as NAME:K", "type": "array", "minItems": 1,
              "uniqueItems": True, "items": {"type": "string", "minLength": 1}},
    "expect": LAYER_EXPECT,
    "inputs": _NAMES,
    "shares": {"description": "the name of an earlier layer this layer calls again (a shared layer): the same kind "
               "and options, its weights counted once, at that layer", "type": "string", "minLength": 1},
    "trainable": {"description": "false: a frozen layer, its weights counted as non-trainable (torch "
                  "requires_grad_(False), keras trainable=False)", "type": "boolean", "default": True},
    "input_shape": {**INPUT_SHAPE, "description": "the input shape, on the first layer only (as Keras' input_shape=), "
                    "when the spec gives no input:"},
    "if": {"description": "in a block body: keep the layer only when this condition of the block's args, index, "
           "in.channels and in.shape[K] holds (left out, its readers read its input)",
           "anyOf": [{"type": "string"}, {"type": "boolean"}, {"type": "integer"}]},
}
#: `input_shape` written on a layer entry, beside its type or among its options
_HAS_INPUT_SHAPE = {"type": "object", "anyOf": [{"required": ["input_shape"]},
                                                 {"not": {"additionalProperties": {"not": {
                                                     "type": "object", "required": ["input_shape"]}}}}]}
#: key of a block use (`- block: name`) -> value schema; keys come from layerplan.planner.blocks.USE_KEYS
BLOCK_USE_SCHEMAS = {
    "block": {"description": "the name of a block defined under blocks:", "type": "string"},
    "repeat": {"description": "chain this many copies (in a block body, may be an expression of its args)",
               "anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}]},
    "args": {"description": "values of the block's arguments: name -> value (a string may be an integer expression "
             "of the enclosing block's args and of index)", "type": "object",
             "propertyNames": {"pattern": ARG_NAME}},
    "index": {"description": "a name for the copy number (from start, 1 by default), for expressions in args", "type": "string",
              "pattern": ARG_NAME},
    "name": {"description": "names the copy (its layers are prefixed with it)", "type": "string", "minLength": 1},
    "start": {"description": "the number of the first copy of repeat: (default 1; 0 as nn.Sequential numbers)",
              "type": "integer", "minimum": 0},
    "segment": {"description": "false: the copies add no name of their own (NAME.K becomes K under the enclosing "
                "copy, stage2.0)", "type": "boolean"},
    "if": {"description": "in a block body: use the block only when this condition of the enclosing block's args "
           "holds", "anyOf": [{"type": "string"}, {"type": "boolean"}, {"type": "integer"}]},
    "inputs": _NAMES,
}


# --------------------------------------------------------------------------- layer types


def _kind_for_token(token: str) -> Kind:
    """The kind a type spelling names; a spelling without dimension gets its family's 2-D kind."""
    return resolve_type(token, None) or resolve_type(token, 3)


class _Builder:
    """Collects definitions; identical value schemas are stored once and referenced."""

    def __init__(self):
        self.defs: dict[str, Any] = {}
        self._by_text: dict[str, str] = {}

    def ref(self, schema: dict, hint: str) -> dict:
        text = json.dumps(schema, sort_keys=True)
        name = self._by_text.get(text)
        if name is None:
            name = hint
            number = 2
            while name in self.defs:
                name, number = f"{hint}_{number}", number + 1
            self.defs[name] = schema
            self._by_text[text] = name
        return {"$ref": f"#/definitions/{name}"}

    def options_object(self, kind: Kind, dims: int) -> dict:
        """The keys a layer entry of this kind may carry (options, their aliases, and the layer keys)."""
        properties: dict[str, Any] = {}
        patterns: dict[str, Any] = {}
        for option in kind.options:
            value = self.ref(option_value_schema(option, dims), option.name)
            for key in (option.name, *option.aliases):
                properties[key] = value
            # option keys are matched case-insensitively (Filters, Kernel_Size)
            patterns[_words_pattern((option.name, *option.aliases))] = value
        for keyword, meaning in kind.keywords.items():
            # a framework keyword read by its value: a number or a list, each meaning one option
            meant = [kind.option(meaning(example)) for example in (1, [1])]
            value = {"description": f"the framework's own keyword: " + ", ".join(
                         f"{'a number' if example == 1 else 'a list'} is {option.name}"
                         for example, option in zip((1, [1]), meant)),
                     "anyOf": [self.ref(option_value_schema(option, dims), option.name) for option in meant]}
            properties[keyword] = value
            patterns[_words_pattern((keyword,))] = value
        for key in LAYER_META_KEYS:
            properties[key] = LAYER_META_SCHEMAS.get(key, {})
        return {"type": "object", "properties": properties, "patternProperties": patterns,
                "additionalProperties": False}


def _groups(builder: _Builder) -> list[dict]:
    """Type spellings grouped by the options they take: [{tokens, kind, dims, names, options}]."""
    groups: dict[str, dict] = {}
    for spelling in type_names():
        token = normalise_type(spelling)
        kind = _kind_for_token(token)
        dims = kind.dims if resolve_type(token, None) is not None else 0
        options = builder.options_object(kind, dims)
        key = json.dumps(options, sort_keys=True) + str(kind.positional[:1])
        group = groups.setdefault(key, {"tokens": set(), "kind": kind, "dims": dims, "names": [], "options": options})
        group["tokens"].add(token)
        if spelling in KINDS:
            group["names"].append(spelling)
    return list(groups.values())


def _completion_names() -> list[str]:
    """Canonical names, then each framework's class name: what editors offer as completions."""
    names = list(KINDS)
    for kind in KINDS.values():
        for cls in (kind.spelling("torch"), kind.spelling("keras")):
            if cls and cls.isidentifier() and resolve_type(cls, None) is kind and cls not in names:
                names.append(cls)
    return names


def _body_doc(group: dict) -> str:
    kind = group["kind"]
    if not group["dims"] and kind.dims:
        return f"{kind.family}: the dimension is taken from the input rank"
    if len(group["names"]) > 1:
        return "layer types " + ", ".join(group["names"])
    return kind.doc


def spec_schema() -> dict:
    """The JSON Schema (draft-07) of a spec file.

    >>> schema = spec_schema()
    >>> schema["allOf"][-1], schema["additionalProperties"]
    ({'required': ['layers']}, False)
    """
    builder = _Builder()
    groups = _groups(builder)
    defs = builder.defs
    short_properties: dict[str, Any] = {}
    short_patterns: dict[str, Any] = {}
    long_rules = []
    all_tokens: list[str] = []
    for index, group in enumerate(groups):
        kind, dims = group["kind"], group["dims"]
        defs[f"entry{index}"] = group["options"]
        # short form body: null, a mapping of options (no `type` inside), or the first positional option
        variants: list[dict] = [{"type": "null"},
                                {"allOf": [{"$ref": f"#/definitions/entry{index}"}, {"not": {"required": ["type"]}}]}]
        if kind.positional:
            variants.append(builder.ref(option_value_schema(kind.option(kind.positional[0]), dims),
                                        kind.positional[0]))
        defs[f"body{index}"] = {"description": _body_doc(group), "anyOf": variants}
        pattern = _type_pattern(group["tokens"])
        all_tokens.extend(group["tokens"])
        short_patterns[pattern] = {"$ref": f"#/definitions/body{index}"}
        for name in group["names"]:
            short_properties[name] = {"description": KINDS[name].doc,
                                      "allOf": [{"$ref": f"#/definitions/body{index}"}]}
        long_rules.append({"if": {"properties": {"type": {"pattern": pattern}}},
                           "then": {"$ref": f"#/definitions/entry{index}"}})
    for name in _completion_names():
        if name not in short_properties:
            short_properties[name] = next(v for p, v in short_patterns.items() if re.match(p, name))
    defs["typeName"] = {
        "description": "a layer type: a canonical snake_case name or a torch/keras class name (any case)",
        "type": "string",
        "anyOf": [{"enum": _completion_names()}, {"pattern": _type_pattern(all_tokens)}],
    }
    for key in LAYER_META_KEYS:
        if key != "type":
            short_properties[key] = LAYER_META_SCHEMAS.get(key, {})
    defs["layer"] = {
        "description": "a layer: a bare type name, a one-key mapping {type: options}, or a mapping with type:",
        "if": {"type": "string"},
        "then": {"$ref": "#/definitions/typeName"},
        "else": {
            "type": "object",
            "minProperties": 1,
            "if": {"required": ["type"]},
            "then": {"properties": {"type": {"$ref": "#/definitions/typeName"}}, "allOf": long_rules},
            "else": {
                "if": {"required": ["block"]},
                "then": {"properties": {key: BLOCK_USE_SCHEMAS.get(key, {}) for key in USE_KEYS},
                         "additionalProperties": False},
                "else": {"properties": short_properties, "patternProperties": short_patterns,
                         "additionalProperties": False},
            },
        },
    }
    defs["laterLayer"] = {"description": "a layer after the first: input_shape is read on the first layer only",
                          "allOf": [{"$ref": "#/definitions/layer"}, {"not": _HAS_INPUT_SHAPE}]}
    expect_properties = {key: SPEC_EXPECT_SCHEMAS.get(key, {}) for key in SPEC_EXPECT_KEYS}
    properties = {key: TOP_LEVEL_SCHEMAS.get(key, {}) for key in TOP_LEVEL_KEYS}
    if "expect" in properties:
        properties["expect"] = {"description": "spec-level assertions: the output shape and budgets",
                                "type": "object", "properties": expect_properties, "additionalProperties": False}
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "layerplan spec",
        "description": "A layer stack for layerplan to plan (spec v1). Generated by `layerplan schema`.",
        "type": "object",
        "allOf": [{"not": {"required": ["input", "input_shape"]}}, *_required()],
        "properties": properties,
        "patternProperties": {"^x-": {"description": "extension keys are ignored"}},
        "additionalProperties": False,
        "definitions": defs,
    }


def _required() -> list[dict]:
    """One rule per tuple of REQUIRED_TOP_LEVEL; an input may also be the first layer's input_shape.

    >>> _required()[0]["anyOf"][-1]["properties"]["layers"]["items"][0] == _HAS_INPUT_SHAPE
    True
    """
    rules = []
    for alternatives in REQUIRED_TOP_LEVEL:
        keys = [key for key in alternatives if key in TOP_LEVEL_KEYS]
        ways = [{"required": [key]} for key in keys]
        if "input" in keys:
            ways.append({"required": ["layers"], "properties": {"layers": {"items": [_HAS_INPUT_SHAPE]}}})
        if len(ways) == 1:
            rules.append(ways[0])
        elif ways:
            rules.append({"anyOf": ways})
    return rules


def schema_text() -> str:
    """The schema as the text of the shipped file (stable key order, trailing newline)."""
    return json.dumps(spec_schema(), indent=1, ensure_ascii=False) + "\n"


def shipped_schema_path():
    """Where the copy shipped in the package lives (a Traversable; str() gives a path when installed as files)."""
    return resources.files(__package__).joinpath(SCHEMA_FILE)
