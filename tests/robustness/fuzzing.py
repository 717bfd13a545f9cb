"""Hypothesis strategies and the one property every run of layerplan must have.

The property (`assert_well_behaved`): the exit status is 0, 1 or 2; a status of 1 or 2 comes with
a message on standard error; no Python traceback and no "internal error" ever reaches the user.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.y*ml")) + sorted((ROOT / "examples").glob("*.json"))

# ------------------------------------------------------------------------------------------ values

#: integers a spec might hold by mistake or by malice
WEIRD_INTS = [0, -1, -3, 1, 2, 3, 7, 2**31, 2**63 - 1, 2**63, 2**64 + 1, 10**40, -(10**40), 10**99]
WEIRD_FLOATS = [0.0, -0.0, 0.5, 1.5, 2.0, -2.5, 1e-300, 1e300, float("inf"), float("-inf"), float("nan")]
WEIRD_TEXT = ["", " ", "same", "valid", "causal", "full", "relu", "torch", "keras", "-1", "3x3", "1x28x28",
              "null", "~", "yes", "no", "on", "0x1F", "1_000", "1:30", "é", "\u202e", "a" * 300, "{", "[", "&a",
              "*a", "!!python/object:os.system", "${HOME}", "$(id)", "`id`", "'; rm -rf /", "%s%n", "\\x00"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(WEIRD_INTS),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(WEIRD_FLOATS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WEIRD_TEXT),
    st.text(max_size=20),
)


def json_values(max_leaves: int = 30) -> st.SearchStrategy:
    """Any JSON-representable value: scalars, lists, and mappings with string keys."""
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=6),
            st.dictionaries(st.one_of(st.sampled_from(SPEC_WORDS), st.text(max_size=12)), children, max_size=6),
        ),
        max_leaves=max_leaves,
    )


#: keys and words of the spec language, so random documents often reach deep into the engine
SPEC_WORDS = [
    "name", "framework", "input", "inputs", "batch", "layers", "expect", "output", "outputs", "blocks",
    "block", "repeat", "type", "filters", "kernel_size", "kernel", "stride", "strides", "padding", "dilation",
    "groups", "bias", "use_bias", "activation", "units", "pool_size", "ceil_mode", "output_padding",
    "scale_factor", "size", "target_shape", "rate", "p", "keepdims", "output_size", "depth_multiplier",
    "cropping", "axis", "dim", "max_params", "conv2d", "conv1d", "conv3d", "conv_transpose2d", "max_pool2d",
    "avg_pool1d", "dense", "flatten", "reshape", "dropout", "upsample", "upsample2d", "zero_padding2d",
    "cropping2d", "batch_norm", "global_avg_pool2d", "adaptive_avg_pool2d", "depthwise_conv2d",
    "separable_conv2d", "relu", "add", "concatenate", "Conv2D", "Dense", "x-note",
]


def spec_like(max_layers: int = 8) -> st.SearchStrategy:
    """Documents shaped like specs (so they pass the top level and reach layers and options)."""
    option_values = st.one_of(scalars, st.lists(scalars, max_size=4), st.lists(st.lists(scalars, max_size=3),
                                                                               max_size=3))
    options = st.dictionaries(st.sampled_from(SPEC_WORDS), option_values, max_size=5)
    layer = st.one_of(
        st.sampled_from(SPEC_WORDS),
        st.builds(lambda t, o: {t: o}, st.sampled_from(SPEC_WORDS), st.one_of(options, scalars)),
        st.builds(lambda t, o: {"type": t, **o}, st.one_of(st.sampled_from(SPEC_WORDS), scalars), options),
        json_values(8),
    )
    shape = st.one_of(st.lists(st.integers(min_value=-2, max_value=40), max_size=5),
                      st.lists(st.sampled_from(WEIRD_INTS), max_size=4), scalars)
    return st.fixed_dictionaries(
        {"input": shape, "layers": st.one_of(st.lists(layer, max_size=max_layers), scalars)},
        optional={"framework": st.one_of(st.sampled_from(["torch", "keras", "TORCH", "jax"]), scalars),
                  "batch": scalars, "name": scalars, "expect": json_values(6), "blocks": json_values(10),
                  "outputs": json_values(4), "inputs": json_values(6)},
    )


# ----------------------------------------------------------------------------------- YAML as text

YAML_PIECES = [
    "input", "layers", "conv2d", "filters", "kernel_size", "flatten", "dense", ":", ": ", "- ", "\n", "\n  ",
    "\n    ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "!!int ", "!!float ", "!!bool ",
    "!!str ", "!!null ", "!!binary ", "!!set ", "!!omap ", "!!python/object/apply:os.system ", "!!python/name:os.",
    "!local ", "! ", "? ", "|", ">", "---", "...", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "#", "'", '"', "\\",
    "0x_", "0o7", "0b1", "1:30", ".inf", "-.inf", ".nan", "1e999", "9" * 120, "~", "null", "yes", "\t", "\r\n",
    "\ufeff", "\x85", "\u2028", "3", "-1", "28", "same", "\u00e9",
]

yaml_texts = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)


# ------------------------------------------------------------------------------------- mutations

MUTATIONS = ("replace", "delete", "rename", "duplicate", "wrap", "unwrap", "swap")


def load_examples() -> list[tuple[str, Any]]:
    from layerplan.planner import load_text

    return [(path.name, load_text(path.read_text(encoding="utf-8"), path.name).data) for path in EXAMPLES]


def _containers(value: Any, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, (dict, list)):
                yield from _containers(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, (dict, list)):
                yield from _containers(child, path + (index,))


@st.composite
def mutated(draw, document: Any, max_mutations: int = 4) -> Any:
    """`document` after a few random edits: values swapped for other types or out-of-range numbers,
    keys renamed or deleted, list items deleted, duplicated, nested or unwrapped."""
    data = copy.deepcopy(document)
    for _ in range(draw(st.integers(min_value=1, max_value=max_mutations))):
        places = list(_containers(data))
        _, container = draw(st.sampled_from(places))
        if not container:
            continue
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        key = draw(st.sampled_from(keys))
        operation = draw(st.sampled_from(MUTATIONS))
        value = container[key]
        if operation == "replace":
            container[key] = draw(st.one_of(scalars, json_values(6), st.just([value]), st.just({"x": value})))
        elif operation == "delete":
            del container[key]
        elif operation == "rename" and isinstance(container, dict):
            new = draw(st.one_of(st.sampled_from(SPEC_WORDS), st.text(max_size=8)))
            container[new] = container.pop(key)
        elif operation == "duplicate" and isinstance(container, list):
            for _ in range(draw(st.integers(min_value=1, max_value=50))):
                container.insert(key, copy.deepcopy(value))
        elif operation == "wrap":
            container[key] = [value]
        elif operation == "unwrap" and isinstance(value, (list, dict)) and value:
            container[key] = next(iter(value.values())) if isinstance(value, dict) else value[0]
        elif operation == "swap" and isinstance(value, int) and not isinstance(value, bool):
            container[key] = draw(st.sampled_from([str(value), float(value), value != 0, None, -value, 0,
                                                   value * 10**30, [value, value]]))
    return data


# ------------------------------------------------------------------------- command-line layer tokens

TOKEN_TYPES = ["conv2d", "conv1d", "conv3d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "dense", "flatten",
               "reshape", "dropout", "upsample", "upsample2d", "zero_padding2d", "cropping2d", "batch_norm",
               "global_avg_pool2d", "adaptive_avg_pool2d", "depthwise_conv2d", "separable_conv2d", "relu",
               "activation", "Conv2D", "Dense", "add", "concatenate", "nope", "", ":"]
TOKEN_ARGS = ["32", "3", "0", "-1", "2.5", "1e400", "nan", "same", "valid", "x", "3x3", "3x", "x3", "[3,5]",
              "(3,5)", "[[1,2],[0,1]]", "[", "]", "(", "k=3", "s=2", "p=same", "p=1", "d=2", "g=4", "=",
              "k=", "=3", "units=10", "filters=10000000000000000000000000000000000000000", "9" * 5000,
              "true", "null", "é", ",", ",,", "a=b=c", "name=x", "inputs=[a,b]", "expect=[1]"]

layer_tokens = st.one_of(
    st.builds(lambda t, args: t + (":" + ",".join(args) if args is not None else ""),
              st.sampled_from(TOKEN_TYPES), st.one_of(st.none(), st.lists(st.sampled_from(TOKEN_ARGS), max_size=5))),
    st.text(alphabet=st.sampled_from(list("conv2dpel:,=x[]()0123456789-.k ")), max_size=20),
    st.text(max_size=15).filter(lambda t: "\x00" not in t),
)
shapes_on_command_line = st.one_of(
    st.sampled_from(["1x28x28", "28x28x1", "3,32,32", "8", "1x8", "4x4x4x4", "0x3", "10000000000000000000000x3",
                     "x", "", "-1x3", "1.5x2"]),
    st.text(max_size=10).filter(lambda t: "\x00" not in t),
)


# ------------------------------------------------------------------------------------- the property

TRACEBACK_MARKS = ("Traceback (most recent call last)", "Exception ignored", "layerplan: internal error")


def assert_well_behaved(code: int, stdout: str, stderr: str, *, stderr_on_failure: bool = True,
                        context: str = "") -> None:
    """The contract every run must keep, whatever it was given."""
    where = f"\n--- case: {context}\n--- stdout:\n{stdout[-2000:]}\n--- stderr:\n{stderr[-2000:]}"
    assert code in (0, 1, 2), f"exit status {code}{where}"
    for mark in TRACEBACK_MARKS:
        assert mark not in stderr and mark not in stdout, f"{mark!r} reached the user{where}"
    if code and stderr_on_failure:
        assert stderr.strip(), f"exit status {code} without a message on standard error{where}"


def invoke(args, stdin: str | bytes | None = None, env: dict | None = None):
    """Run the click group in-process; an exception that escapes it fails the property."""
    from click.testing import CliRunner

    from layerplan.main import cli

    result = CliRunner().invoke(cli, list(args), input=stdin, env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"{type(result.exception).__name__} escaped `layerplan {' '.join(map(str, args))}`"
                             f"\n{trace}")
    return result.exit_code, result.stdout, result.stderr


def as_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def as_json(data: Any) -> str:
    return json.dumps(data)


# ----------------------------------------------------------------------------------------- settings

#: examples per property, chosen by LAYERPLAN_FUZZ: `quick` (the default, for the local test loop),
#: `ci` (set by .ci/run: hundreds per property) or `nightly`; LAYERPLAN_FUZZ_EXAMPLES=N overrides them.
PROFILES = {"quick": 25, "ci": 300, "nightly": 5000}


def fuzz_settings(weight: float = 1.0):
    """Hypothesis settings for one property; `weight` scales the example count for slow properties.

    quick and ci are derandomized (the same examples on every run, so a failure is reproducible and
    never flaky) unless the loaded hypothesis profile draws random examples (CI's second pass:
    tests/conftest.py); nightly explores new examples each run and keeps failures in the example database.
    """
    from hypothesis import HealthCheck, settings

    profile = os.environ.get("LAYERPLAN_FUZZ") or "quick"
    if profile not in PROFILES:
        raise ValueError(f"LAYERPLAN_FUZZ must be one of {', '.join(PROFILES)}, got {profile!r}")
    examples = int(os.environ.get("LAYERPLAN_FUZZ_EXAMPLES") or PROFILES[profile])
    return settings(
        max_examples=max(1, int(examples * weight)),
        deadline=None,
        derandomize=profile != "nightly" and settings.default.derandomize,
        database=None if profile != "nightly" else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
