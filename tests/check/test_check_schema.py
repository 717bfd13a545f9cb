"""The JSON Schema of spec files: generated from the layer table, shipped fresh, accepts what the engine
accepts, rejects what is obviously broken, and every example points editors at it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from check_helpers import CASES, ROOT, run
from layerplan.planner import load_text, plan_data
from layerplan.planner.kinds import KINDS
from layerplan.planner.plan import SPEC_EXPECT_KEYS
from layerplan.planner.schema import PARSER_SCHEMAS, SCHEMA_FILE, schema_text, shipped_schema_path, spec_schema
from layerplan.planner.spec import LAYER_META_KEYS, TOP_LEVEL_KEYS

SCHEMA = spec_schema()
VALIDATOR = Draft7Validator(SCHEMA)
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("**/*") if p.suffix in (".yaml", ".yml", ".json"))
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def errors_of(data) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(data)]


def test_schema_is_a_valid_draft7_schema():
    Draft7Validator.check_schema(SCHEMA)


def test_shipped_schema_is_up_to_date():
    shipped = Path(str(shipped_schema_path()))
    assert shipped == ROOT / "planner" / SCHEMA_FILE
    assert shipped.read_text(encoding="utf-8") == schema_text(), (
        "planner/spec.schema.json is stale: run `layerplan schema --output planner/spec.schema.json`")


def test_schema_command_prints_the_generated_schema_and_the_shipped_path():
    code, out, _ = run(["schema"])
    assert code == 0 and json.loads(out) == json.loads(schema_text())
    code, out, _ = run(["schema", "--path"])
    assert Path(out.strip()) == ROOT / "planner" / SCHEMA_FILE


def test_pyproject_ships_the_schema_as_package_data():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert SCHEMA_FILE in config["tool"]["setuptools"]["package-data"]["layerplan.planner"]


def test_schema_covers_every_key_the_engine_reads():
    assert set(SCHEMA["properties"]) == set(TOP_LEVEL_KEYS)
    assert set(SCHEMA["properties"]["expect"]["properties"]) == set(SPEC_EXPECT_KEYS)
    entry = SCHEMA["definitions"]["entry0"]["properties"]
    assert set(LAYER_META_KEYS) <= set(entry)


def test_every_parser_of_the_layer_table_has_a_schema():
    missing = {(kind.name, option.name) for kind in KINDS.values() for option in kind.options
               if option.parse not in PARSER_SCHEMAS and not hasattr(option.parse, "choices")}
    assert not missing


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_starts_with_the_schema_line_and_validates(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".json":
        match = SCHEMA_LINE.match(text.splitlines()[0])
        assert match, f"{path.name} must start with '# yaml-language-server: $schema=../planner/{SCHEMA_FILE}'"
        assert (path.parent / match[1]).resolve() == ROOT / "planner" / SCHEMA_FILE
    assert errors_of(load_text(text, path.name).data) == []


CASE_FILES = sorted(p for p in CASES.glob("*/*") if p.suffix in (".yaml", ".json") and "other" not in p.parts)
SCHEMA_REJECTS = {"typo_option.yaml", "unknown_key.yaml", "layers_mapping.yaml", "syntax_error.yaml"}


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_case_files_accepted_or_rejected(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yaml":
        match = SCHEMA_LINE.match(text.splitlines()[0])
        assert match and (path.parent / match[1]).resolve() == ROOT / "planner" / SCHEMA_FILE
    if path.name == "syntax_error.yaml":
        return
    errors = errors_of(load_text(text, path.name).data)
    assert bool(errors) == (path.name in SCHEMA_REJECTS), errors


LAYER = {"conv2d": {"filters": 8, "kernel_size": 3}}


@pytest.mark.parametrize(("spec", "valid"), [
    ({"input": [1, 8, 8], "layers": [LAYER]}, True),
    ({"input": "1x8x8", "layers": ["flatten"]}, True),
    ({"input": [1, 8, 8], "layers": [LAYER], "x-owner": "team"}, True),
    ({"input": [1, 8, 8], "layers": [{"CONV_2D": {"Filters": 8, "KERNEL": 3}}]}, True),
    ({"input": [1, 8, 8], "layers": [{"type": "conv2d", "filters": 8, "kernel_size": [3, 3], "name": "c"}]}, True),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "name": "c", "expect": [8, None, None]}}]}, True),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3}, "expect": "8x6x6"}]}, True),
    ({"input": [1, 8, 8], "layers": [{"max_pool2d": 2}, {"MaxPooling2D": {"pool_size": 2}}, "Flatten", {"Dense": 10}]}, True),
    ({"input": [8, 8, 1], "framework": "KERAS", "layers": [{"upsample": {"size": 2}}, {"BatchNormalization": None}]}, True),
    ({"input": [1, 8, 8], "layers": [LAYER], "expect": {"output": "input", "max_params": 10, "max_macs": 5,
                                                        "max_activation_bytes": 1}}, True),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": "SAME"}}]}, True),
    ({"input": [1, 8, 8], "layers": [{"activation": "ReLU"}, {"type": "Activation", "activation": "gelu"}]}, True),
    # Keras' input_shape: at the top level, or on the first layer (beside its type or among its options)
    ({"input_shape": [8, 8, 1], "framework": "keras", "layers": [LAYER]}, True),
    ({"framework": "keras", "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "input_shape": [8, 8, 1]}}]}, True),
    ({"layers": [{"conv2d": {"filters": 8, "kernel_size": 3}, "input_shape": "1x8x8", "name": "c"}, "flatten"]}, True),
    ({"layers": [{"type": "conv2d", "filters": 8, "kernel_size": 3, "input_shape": [1, 8, 8]}]}, True),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "input_shape": [1, 8, 8]}}]}, True),
    # obviously broken
    ({"input": [1, 8, 8], "input_shape": [1, 8, 8], "layers": [LAYER]}, False),
    ({"input": [1, 8, 8], "layers": [LAYER, {"conv2d": {"filters": 8, "kernel_size": 3, "input_shape": [8, 6, 6]}}]},
     False),
    ({"input": [1, 8, 8], "layers": [LAYER, {"block": "b"}], "blocks": {"b": [{"dense": {"units": 2, "input_shape": [3]}}]}},
     False),
    ({"layers": [LAYER, {"conv2d": {"filters": 8, "kernel_size": 3, "input_shape": [1, 8, 8]}}]}, False),
    ({"input": [1, 8, 8], "layers": [LAYER], "lyers": []}, False),
    ({"input": [1, 8, 8], "layers": {"conv2d": {}}}, False),
    ({"layers": [LAYER]}, False),
    ({"input": [1, 8, 8]}, False),
    ({"input": [0, 8], "layers": []}, False),
    ({"input": [1, 8, 8], "layers": ["conv9d"]}, False),
    ({"input": [1, 8, 8], "layers": [{"type": "conv9d"}]}, False),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 8, "kernel_sise": 3}}]}, False),
    ({"input": [1, 8, 8], "layers": [{"type": "conv2d", "filters": 8, "kernel_sise": 3}]}, False),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": "eight", "kernel_size": 3}}]}, False),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 8, "kernel_size": [3, 3, 3]}}]}, False),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": "full"}}]}, False),
    ({"input": [1, 8, 8], "layers": [{"conv2d": {"type": "conv2d"}}]}, False),
    ({"input": [1, 8, 8], "layers": [LAYER], "expect": {"max_flops": 3}}, False),
    ({"input": [1, 8, 8], "layers": [LAYER], "expect": {"max_params": -1}}, False),
    ({"input": [1, 8, 8], "layers": [LAYER], "framework": "jax"}, False),
    ({"input": [1, 8, 8], "layers": [{"dropout": {"rate": 1.5}}]}, False),
])
def test_schema_table(spec, valid):
    assert (errors_of(spec) == []) == valid, errors_of(spec)
    if valid:  # the schema never accepts what the engine rejects structurally in these rows, and vice versa
        assert not [d for d in plan_data(spec).diagnostics if d.code.startswith("LP1")]
    else:
        assert not plan_data(spec).ok


# --------------------------------------------------------------------------- schema vs engine, generated


def _spellings(name: str) -> list[str]:
    kind = KINDS[name]
    names = [name, name.upper(), name.replace("_", "")]
    names += [c for c in (kind.spelling("torch"), kind.spelling("keras")) if c.isidentifier()]
    return names


VALUES = st.one_of(
    st.integers(-2, 6), st.lists(st.integers(0, 5), min_size=1, max_size=3),
    st.sampled_from(["same", "valid", "SAME", "causal", "relu", "bilinear", "x", None, True, False, 0.5, 2.0]),
    st.lists(st.lists(st.integers(0, 3), min_size=2, max_size=2), min_size=1, max_size=3),
)


@st.composite
def layer_entries(draw):
    name = draw(st.sampled_from(sorted(KINDS)))
    kind = KINDS[name]
    spelling = draw(st.sampled_from(_spellings(name)))
    keys = [k for o in kind.options for k in (o.name, *o.aliases)] + ["bogus"]
    chosen = draw(st.lists(st.sampled_from(keys), max_size=3, unique=True)) if keys else []
    options = {key: draw(VALUES) for key in chosen}
    form = draw(st.sampled_from(["long", "short", "bare"]))
    if form == "bare" or (form == "short" and not options and draw(st.booleans())):
        return spelling if not options else {spelling: options}
    if form == "long":
        return {"type": spelling, **options}
    return {spelling: options or None}


@st.composite
def specs(draw):
    framework = draw(st.sampled_from(["torch", "keras"]))
    rank = draw(st.integers(2, 4))
    shape = [draw(st.integers(1, 9)) for _ in range(rank)]
    return {"framework": framework, "input": shape, "layers": draw(st.lists(layer_entries(), min_size=1, max_size=3))}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_schema_accepts_every_spec_the_engine_reads_without_a_structural_error(spec):
    """Structural and value errors (LP1xx) are the schema's business; shapes (LP2xx) are not.

    Wherever the engine checked every layer's options (every type resolved) and found no LP1xx
    problem, the schema must accept the spec; where the schema accepts it, the engine found no
    unknown key, type or option."""
    report = plan_data(spec)
    structural = [d for d in report.diagnostics if d.code.startswith("LP1")]
    schema_errors = errors_of(spec)
    # a type without a dimension after an error has no known kind, so its options went unchecked
    every_type_resolved = all(row.type in KINDS for row in report.layers)
    if not structural and every_type_resolved:
        assert schema_errors == [], (spec, schema_errors)
    if not schema_errors:
        assert not [d for d in structural if d.name in ("unknown-key", "unknown-layer-type", "unknown-option")], spec
