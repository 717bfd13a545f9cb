"""Reading JSON specs: what a spec reads as, and what each problem is reported as (the diagnostic's
name, message and position). Data is compared by repr, so 1, 1.0 and True stay apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerplan.planner import spec_text as source
from layerplan.planner.diagnostics import SpecReadError

ROOT = Path(__file__).resolve().parents[2]


def outcome(text: str) -> tuple:
    """("read", repr of the data) or ("refused", the diagnostic as a dict)."""
    try:
        data = source.load_text(text, "spec.json").data
    except SpecReadError as exc:
        return "refused", exc.diagnostic.to_dict()
    return "read", repr(data)


DIGITS_100 = "1" + "0" * 99
DIGITS_101 = "1" + "0" * 100

# (id, text, "read" or the name of the diagnostic that refuses it)
CASES = [
    ("spec", '{"input": [1, 28, 28], "layers": ["flatten", {"dense": {"units": 10}}]}', "read"),
    ("empty-object", "{}", "read"),
    ("empty-list", "[]", "read"),
    ("scalar", "3", "read"),
    ("string-scalar-with-colon", '"a:b"', "read"),
    ("null", "null", "read"),
    ("colon-in-value", '{"name": "resnet: stage 1", "input": [1]}', "read"),
    ("colon-in-key", '{"x-note:1": 1, "input": [1]}', "read"),
    ("colons-in-list", '["a:b", ["::", {"k": ":"}]]', "read"),
    # colons in keys and strings, written or as the escape \u003a
    ("escaped-colon", '{"name": "a\\u003ab"}', "read"),
    ("escaped-colon-and-colon", '{"name": "a\\u003ab", "note": "x:y"}', "read"),
    ("escaped-colon-upper-and-colon", '{"name": "a\\u003Ab", "note": "x:y"}', "read"),
    ("escaped-colon-hides-duplicate", '{"a": 1, "a": 2, "b": "\\u003a"}', "duplicate-key"),
    ("escaped-colon-key-hides-duplicate", '{"a": 1, "a": 2, "\\u003a": 3}', "duplicate-key"),
    ("duplicate-key", '{"input": [1], "input": [2]}', "duplicate-key"),
    ("duplicate-key-same-value", '{"a": 1, "a": 1}', "duplicate-key"),
    ("duplicate-key-nested", '{"layers": [{"conv2d": {"filters": 1, "filters": 2}}]}', "duplicate-key"),
    ("duplicate-key-beside-colon-string", '{"a": "x:y", "b": 1, "b": 2}', "duplicate-key"),
    ("duplicate-key-with-colon", '{"a:b": 1, "a:b": 2}', "duplicate-key"),
    ("duplicate-escaped-key", '{"\\u0061": 1, "a": 2}', "duplicate-key"),
    ("int-100-digits", f'{{"batch": {DIGITS_100}}}', "read"),
    ("int-101-digits", f'{{"batch": {DIGITS_101}}}', "too-large"),
    ("negative-int-101-digits", f'[-{DIGITS_101}]', "too-large"),
    ("int-over-python-limit", "[" + "9" * 5000 + "]", "too-large"),
    ("long-digit-run-in-string", '{"name": "' + "7" * 150 + '"}', "read"),
    ("long-fraction", "[0." + "1" * 150 + "]", "read"),
    ("long-exponent-float", "[1" + "0" * 120 + ".5]", "read"),
    ("huge-float", "[1e400, -1e400]", "read"),
    ("negative-zero", "[-0, -0.0]", "read"),
    ("nan", '{"batch": NaN}', "syntax-error"),
    ("infinity", "[Infinity]", "syntax-error"),
    ("minus-infinity", "[-Infinity]", "syntax-error"),
    ("trailing-comma", '{"input": [1],}', "syntax-error"),
    ("unclosed", '{"input": [1', "syntax-error"),
    ("empty-text", "", "syntax-error"),
    ("extra-data", "{} {}", "syntax-error"),
    ("byte-order-mark", '\ufeff{"input": [1]}', "syntax-error"),
    ("control-character", '{"name": "a\tb"}', "syntax-error"),
    ("syntax-error-closing-a-duplicate", '{"a": 1, "a": 2, }', "syntax-error"),
    ("duplicate-before-syntax-error", '[{"a": 1, "a": 2}, ]', "duplicate-key"),
    ("syntax-error-before-long-int", '{"a": , "b": ' + DIGITS_101 + "}", "syntax-error"),
    ("lone-surrogate-escape", '["\\ud800"]', "read"),
    ("lone-surrogate-character", '["\ud800"]', "read"),
    ("non-ascii", '{"name": "réseau: ٣٤٥", "input": [1]}', "read"),
    ("depth-100", "[" * 99 + "1" + "]" * 99, "read"),
    ("depth-101", "[" * 100 + "1" + "]" * 100, "too-large"),
    ("depth-101-empty", "[" * 101 + "]" * 101, "too-large"),
    ("depth-101-with-duplicate", '{"a": 1, "a": ' + "[" * 100 + "]" * 100 + "}", "duplicate-key"),
    ("depth-101-with-long-int", "[" * 100 + DIGITS_101 + "]" * 100, "too-large"),
    ("depth-10000", "[" * 10_000 + "]" * 10_000, "too-large"),
]


@pytest.mark.parametrize("text, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_what_a_json_text_reads_as(text, expected):
    status, detail = outcome(text)
    if expected == "read":
        assert (status, detail) == ("read", repr(json.loads(text)))
    else:
        assert status == "refused" and detail["name"] == expected


def test_duplicate_key_diagnostic_is_unchanged():
    text = '{\n  "input": [1, 8, 8],\n  "layers": ["relu"],\n  "input": [1]\n}\n'
    with pytest.raises(SpecReadError) as caught:
        source.load_text(text, "net.json")
    assert caught.value.diagnostic.to_dict() == {
        **caught.value.diagnostic.to_dict(), "name": "duplicate-key", "line": 4, "column": 3,
        "message": "key 'input' appears twice in one mapping"}


@pytest.mark.parametrize("text, name, line, column", [
    ('{"layers": [\n  {"conv2d": {"filters": 1,\n              "filters": 2}}]}', "duplicate-key", 3, 15),
    ('{\n  "batch": ' + DIGITS_101 + "\n}", "too-large", 2, 12),
    ('{\n  "input": [1, 2,]\n}', "syntax-error", 2, 18),
    ('{"input": [1]}\n{}', "syntax-error", 2, 1),
])
def test_where_a_json_problem_is_reported(text, name, line, column):
    status, detail = outcome(text)
    assert status == "refused" and (detail["name"], detail["line"], detail["column"]) == (name, line, column)


@pytest.mark.parametrize("max_depth, max_values, text, expected_words", [
    (3, 5, "[[1], 2, 3]", None),  # 5 values, 3 levels: both within the limits
    (3, 5, "[1, 2, 3, 4, 5]", "more than 5 values"),
    (3, 5, "[[[1]]]", "nested more than 3 levels"),
    # Over both limits: the message names the limit a depth-first walk meets first (it takes the last
    # value of a list first).
    (3, 5, "[[[[1]]], 1, 2, 3, 4, 5]", "more than 5 values"),
    (3, 5, "[1, 2, 3, 4, 5, [[[1]]]]", "nested more than 3 levels"),
    (3, 5, '{"a": {"b": {"c": 1}}, "d": 1, "e": 2, "f": 3, "g": 4}', "more than 5 values"),
    (3, 5, '{"d": 1, "e": 2, "f": 3, "g": 4, "a": {"b": {"c": 1}}}', "nested more than 3 levels"),
    (3, 5, '{"d": 1, "d": 2, "a": {"b": {"c": 1}}}', "duplicate-key"),
])
def test_value_and_depth_limits(max_depth, max_values, text, expected_words):
    with mock.patch.object(source, "MAX_DEPTH", max_depth), mock.patch.object(source, "MAX_VALUES", max_values):
        status, detail = outcome(text)
    if expected_words is None:
        assert status == "read"
    elif expected_words == "duplicate-key":
        assert detail["name"] == "duplicate-key"
    else:
        assert detail["name"] == "too-large" and expected_words in detail["message"]


def limit_met_first(data, max_depth: int, max_values: int) -> str | None:
    """Which limit a depth-first walk that takes the last value of a list or mapping first meets first."""
    stack = [(data, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > max_values:
            return "values"
        if depth > max_depth:
            return "depth"
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


NESTED = st.recursive(st.integers(0, 3), lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.sampled_from("abcd"), children, max_size=4)), max_leaves=30)


@given(data=NESTED, max_depth=st.integers(1, 6), max_values=st.integers(1, 30))
def test_limit_messages_name_the_limit_met_first(data, max_depth, max_values):
    with mock.patch.object(source, "MAX_DEPTH", max_depth), mock.patch.object(source, "MAX_VALUES", max_values):
        status, detail = outcome(json.dumps(data))
    found = None if status == "read" else "values" if "values" in detail["message"] else "depth"
    assert found == limit_met_first(data, max_depth, max_values)


def test_example_specs_as_json_read_as_the_same_data():
    examples = sorted((ROOT / "examples").glob("*.y*ml"))
    assert examples
    for path in examples:
        data = source.load_text(path.read_text(encoding="utf-8"), path.name).data
        for text in (json.dumps(data), json.dumps(data, indent=2, ensure_ascii=False)):
            assert source.load_text(text, "spec.json").data == data


# ------------------------------------------------------------------ random JSON text

#: key bodies as written in the text: repeats (duplicate keys), colons, escapes that decode to a colon
KEYS = st.sampled_from(["a", "b", "a:b", ":", "x\\u003ay", "\\u003a", "\\u0061", "k/~", "1", "é:"])
INTS = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.integers(95, 105).map(lambda digits: "9" * digits),
    st.integers(95, 105).map(lambda digits: "-1" + "0" * (digits - 1)),
)
STRINGS = st.sampled_from(['"x"', '"a:b"', '"::"', '"\\u003a"', '"' + "7" * 120 + '"', '""', '"é:٣"'])
OTHER = st.sampled_from(["1.5", "1e400", "-0.0", "0." + "1" * 120, "true", "false", "null", "NaN", "-Infinity"])
SPACE = st.sampled_from(["", " ", "\n  "])


def _mapping(pairs_and_space) -> str:
    pairs, space = pairs_and_space
    return "{" + ",".join(f'{space}"{key}"{space}:{value}' for key, value in pairs) + space + "}"


JSON_TEXTS = st.recursive(
    st.one_of(INTS, STRINGS, OTHER),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.tuples(st.lists(st.tuples(KEYS, children), max_size=4), SPACE).map(_mapping),
    ),
    max_leaves=25,
)
BROKEN = st.sampled_from(["", ",", "]", "}", " {}", ":"])


@given(text=JSON_TEXTS, suffix=st.one_of(st.just(""), BROKEN), max_depth=st.sampled_from([2, 4, 100]),
       max_values=st.sampled_from([6, 20, 1_000_000]))
def test_random_json_reads_as_json_does_or_is_refused_with_a_diagnostic(text, suffix, max_depth, max_values):
    with mock.patch.object(source, "MAX_DEPTH", max_depth), mock.patch.object(source, "MAX_VALUES", max_values):
        status, detail = outcome(text + suffix)
    if status == "read":
        assert detail == repr(json.loads(text + suffix))
    else:
        assert detail["name"] in ("syntax-error", "duplicate-key", "too-large")
