"""The JSON Schema as ECMA-262 validators read it.

JSON Schema patterns are ECMA-262 regexes, and validators such as check-jsonschema (what most
pre-commit set-ups use) compile them in unicode mode, which refuses needless escapes like `\\_` that
Python's re (and so the `jsonschema` package in test_check_schema.py) accepts. Here every pattern is
compiled with regress, the ECMA-262 engine check-jsonschema itself uses, and check-jsonschema is run
on the examples the way a pre-commit hook or CI would run it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib.metadata import requires, version
from pathlib import Path

import pytest
import regress
from hypothesis import given
from hypothesis import strategies as st

from check_helpers import CASES, ROOT
from layerplan.planner.kinds import normalise_type
from layerplan.planner.schema import SCHEMA_FILE, _type_pattern, _words_pattern

SCHEMA_PATH = ROOT / "planner" / SCHEMA_FILE
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
# check-jsonschema's default variant is already "default" (ECMA-262 in unicode mode, via regress;
# the others are "nonunicode", which accepts `\_`, and "python"): it is named so that a change of
# default cannot quietly weaken these runs.
ECMA = ["--regex-variant", "default", "--color", "never"]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("**/*") if p.suffix in (".yaml", ".yml", ".json"))
# examples/ holds YAML only; the good check cases add a JSON spec
GOOD_SPECS = EXAMPLES + sorted((CASES / "good").glob("*.json"))


def ecma(pattern: str) -> regress.Regex:
    """The pattern compiled as check-jsonschema compiles it (flag u: unicode mode)."""
    return regress.Regex(pattern, flags="u")


def schema_patterns(schema) -> list[str]:
    """Every regex in a schema: `pattern` values and `patternProperties` keys, in document order."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.append(node["pattern"])
            found.extend(node.get("patternProperties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return list(dict.fromkeys(found))


PATTERNS = schema_patterns(SCHEMA)


def check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    assert CHECK_JSONSCHEMA.exists(), "check-jsonschema is a test dependency: pip install -e '.[test]'"
    return subprocess.run([str(CHECK_JSONSCHEMA), *ECMA, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


# --------------------------------------------------------------------------- the patterns, compiled


def test_regress_refuses_what_python_accepts():
    """The check below is not vacuous: `\\_` compiles in Python but not in ECMA-262 unicode mode."""
    re.compile(r"^[uU][sS][eE]\_[bB][iI][aA][sS]$")
    with pytest.raises(regress.RegressError):
        ecma(r"^[uU][sS][eE]\_[bB][iI][aA][sS]$")


def test_every_pattern_of_the_schema_compiles_as_an_ecma_unicode_regex():
    assert len(PATTERNS) > 50 and any("_" in p for p in PATTERNS)
    refused = []
    for pattern in PATTERNS:
        try:
            ecma(pattern)
        except regress.RegressError as error:
            refused.append(f"{pattern[:80]}: {error}")
    assert not refused, "\n".join(refused)


def _samples() -> list[str]:
    """Names and spellings a spec may hold, and near misses: the strings the patterns are asked about."""
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            names.update(v for v in node.get("enum", []) if isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    samples = set(names)
    for name in names:
        samples.update({name.upper(), name.swapcase(), f"_{name}-", name.replace("_", "-"), name.replace("_", ""),
                        name[:-1], f"{name}x", f"x-{name}"})
    samples.update({"1x28x28", " 3 , 32 ,32", "2×2", "1x", "x", ""})
    return sorted(samples)


def test_python_and_ecma_agree_on_every_pattern_of_the_schema():
    """The `jsonschema` suite (Python's re) and ECMA-262 validators accept the same names and values.

    (Samples are ASCII without a newline: Python's `$` also matches before a final newline, and its
    `\\d` any Unicode digit, where ECMA-262's do not.)"""
    samples = _samples()
    disagree = []
    for pattern in PATTERNS:
        python, ecma_regex = re.compile(pattern), ecma(pattern)
        disagree += [(pattern[:60], text) for text in samples
                     if bool(python.search(text)) != bool(ecma_regex.find(text))]
    assert not disagree, disagree[:10]


ASCII_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)


@st.composite
def word_and_candidate(draw):
    """A word and a string to test against its pattern: the word in other letter case, or anything."""
    word = draw(ASCII_TEXT.filter(bool))
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    recased = "".join(c.swapcase() if flip else c for c, flip in zip(word, flips))
    return word, draw(st.one_of(st.just(recased), ASCII_TEXT))


@given(word_and_candidate())
def test_a_words_pattern_matches_its_word_in_any_case_in_both_dialects(pair):
    """Punctuation of every kind (`_`, `-`, `.`, `$`, `]`, ...) stays a literal, valid in ECMA-262."""
    word, candidate = pair
    pattern = _words_pattern([word])
    expected = candidate.lower() == word.lower()
    assert bool(re.search(pattern, candidate)) == expected
    assert bool(ecma(pattern).find(candidate)) == expected


@given(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
       st.text("aAbBzZ09_-", max_size=10))
def test_a_type_pattern_means_what_normalise_type_means_in_both_dialects(token, candidate):
    """A type name matches when the engine normalises it to the token (any case, `_`/`-` anywhere)."""
    pattern = _type_pattern([token])
    for text in (candidate, token.upper(), f"-{token}_"):
        expected = normalise_type(text) == token
        assert bool(re.search(pattern, text)) == expected, text
        assert bool(ecma(pattern).find(text)) == expected, text


# --------------------------------------------------------------------------- check-jsonschema, run


def _pinned(name: str) -> str:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = [r for r in config["project"]["optional-dependencies"]["test"] if r.startswith(f"{name}==")]
    assert pins, f"{name} must be pinned exactly in the test extra"
    return pins[0].split("==")[1]


def test_the_tools_are_the_pinned_versions_and_regress_is_check_jsonschemas_engine():
    assert version("check-jsonschema") == _pinned("check-jsonschema")
    assert version("regress") == _pinned("regress")
    assert any(re.match(r"regress\b", requirement) for requirement in requires("check-jsonschema"))


@pytest.mark.process
def test_check_jsonschema_accepts_the_schema_under_its_metaschema():
    """--check-metaschema validates the schema itself (draft-07), including `format: regex` of its patterns."""
    result = check_jsonschema("--check-metaschema", str(SCHEMA_PATH.relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.process
def test_check_jsonschema_refuses_an_escaped_underscore(tmp_path):
    """The runs here use ECMA-262 in unicode mode: a schema with the old `\\_` escapes is refused."""
    schema = tmp_path / "old.schema.json"
    schema.write_text(json.dumps({"$schema": SCHEMA["$schema"], "patternProperties": {r"^[uU]se\_bias$": {}}}))
    result = check_jsonschema("--check-metaschema", str(schema))
    assert result.returncode == 1 and "is not a 'regex'" in result.stdout, result.stdout + result.stderr


@pytest.mark.process
def test_check_jsonschema_validates_every_example():
    assert EXAMPLES and any(p.suffix == ".json" for p in GOOD_SPECS)
    result = check_jsonschema("--schemafile", str(SCHEMA_PATH.relative_to(ROOT)),
                              *(str(p.relative_to(ROOT)) for p in GOOD_SPECS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.process
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_check_jsonschema_rejects_a_typo_in_an_option_name(tmp_path, suffix):
    spec = {"input": [3, 32, 32], "layers": [{"conv2d": {"filters": 8, "kernal_size": 3}}]}
    path = tmp_path / f"typo{suffix}"
    path.write_text(json.dumps(spec))  # JSON is YAML too
    result = check_jsonschema("--schemafile", str(SCHEMA_PATH), "--verbose", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'kernal_size' does not match any of the regexes" in result.stdout
