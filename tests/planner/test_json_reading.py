"""Reading JSON: the fast path (one plain json.loads plus bulk checks) against the checked reader.

planner.source reads JSON with `_load_plain_json` and falls back to `_load_checked_json` (hooks on
every object and integer, the reference for every diagnostic) whenever it cannot prove the text
clean. Whatever path a text takes, `load_text` must give what the checked reader gives: the same data
(compared by repr, so 1, 1.0 and True stay apart) or the same diagnostic, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import source
from planner.diagnostics import SpecReadError

ROOT = Path(__file__).resolve().parents[2]


def outcome(read, text: str) -> tuple:
    try:
        data = read(text)
    except SpecReadError as exc:
        return "refused", exc.diagnostic.to_dict()
    return "read", repr(data)


def through_load_text(text: str):
    return source.load_text(text, "spec.json").data


def through_checked_reader(text: str):
    return source._load_checked_json(text, "spec.json")


def takes_fast_path(text: str) -> bool:
    """Does the fast path decide (read, or refuse over a limit) without the checked reader?"""
    try:
        return source._load_plain_json(text, "spec.json") is not source._UNPROVEN
    except SpecReadError:
        return True


def assert_same_as_checked(text: str) -> tuple:
    expected = outcome(through_checked_reader, text)
    assert outcome(through_load_text, text) == expected
    return expected


DIGITS_100 = "1" + "0" * 99
DIGITS_101 = "1" + "0" * 100

# (id, text, takes the fast path, what the checked reader says: "read" or the diagnostic's name)
CASES = [
    ("spec", '{"input": [1, 28, 28], "layers": ["flatten", {"dense": {"units": 10}}]}', True, "read"),
    ("empty-object", "{}", True, "read"),
    ("empty-list", "[]", True, "read"),
    ("scalar", "3", True, "read"),
    ("string-scalar-with-colon", '"a:b"', True, "read"),
    ("null", "null", True, "read"),
    ("colon-in-value", '{"name": "resnet: stage 1", "input": [1]}', True, "read"),
    ("colon-in-key", '{"x-note:1": 1, "input": [1]}', True, "read"),
    ("colons-in-list", '["a:b", ["::", {"k": ":"}]]', True, "read"),
    # as many colons as keys: no duplicate, whatever the strings hold
    ("escaped-colon", '{"name": "a\\u003ab"}', True, "read"),
    # colons in strings, one written as an escape: the decoded strings cannot tell, so the checked reader
    ("escaped-colon-and-colon", '{"name": "a\\u003ab", "note": "x:y"}', False, "read"),
    ("escaped-colon-upper-and-colon", '{"name": "a\\u003Ab", "note": "x:y"}', False, "read"),
    # a decoded colon that was not written as ":" would make up for the key lost to the duplicate
    ("escaped-colon-hides-duplicate", '{"a": 1, "a": 2, "b": "\\u003a"}', False, "duplicate-key"),
    ("escaped-colon-key-hides-duplicate", '{"a": 1, "a": 2, "\\u003a": 3}', False, "duplicate-key"),
    ("duplicate-key", '{"input": [1], "input": [2]}', False, "duplicate-key"),
    ("duplicate-key-same-value", '{"a": 1, "a": 1}', False, "duplicate-key"),
    ("duplicate-key-nested", '{"layers": [{"conv2d": {"filters": 1, "filters": 2}}]}', False, "duplicate-key"),
    ("duplicate-key-beside-colon-string", '{"a": "x:y", "b": 1, "b": 2}', False, "duplicate-key"),
    ("duplicate-key-with-colon", '{"a:b": 1, "a:b": 2}', False, "duplicate-key"),
    ("duplicate-escaped-key", '{"\\u0061": 1, "a": 2}', False, "duplicate-key"),
    ("int-100-digits", f'{{"batch": {DIGITS_100}}}', True, "read"),
    ("int-101-digits", f'{{"batch": {DIGITS_101}}}', False, "too-large"),
    ("negative-int-101-digits", f'[-{DIGITS_101}]', False, "too-large"),
    ("int-over-python-limit", "[" + "9" * 5000 + "]", False, "too-large"),
    ("long-digit-run-in-string", '{"name": "' + "7" * 150 + '"}', False, "read"),
    ("long-fraction", "[0." + "1" * 150 + "]", False, "read"),
    ("long-exponent-float", "[1" + "0" * 120 + ".5]", False, "read"),
    ("huge-float", "[1e400, -1e400]", True, "read"),
    ("negative-zero", "[-0, -0.0]", True, "read"),
    ("nan", '{"batch": NaN}', False, "syntax-error"),
    ("infinity", "[Infinity]", False, "syntax-error"),
    ("minus-infinity", "[-Infinity]", False, "syntax-error"),
    ("trailing-comma", '{"input": [1],}', False, "syntax-error"),
    ("unclosed", '{"input": [1', False, "syntax-error"),
    ("empty-text", "", False, "syntax-error"),
    ("extra-data", "{} {}", False, "syntax-error"),
    ("byte-order-mark", '\ufeff{"input": [1]}', False, "syntax-error"),
    ("control-character", '{"name": "a\tb"}', False, "syntax-error"),
    ("syntax-error-closing-a-duplicate", '{"a": 1, "a": 2, }', False, "syntax-error"),
    ("duplicate-before-syntax-error", '[{"a": 1, "a": 2}, ]', False, "duplicate-key"),
    ("syntax-error-before-long-int", '{"a": , "b": ' + DIGITS_101 + "}", False, "syntax-error"),
    ("lone-surrogate-escape", '["\\ud800"]', True, "read"),
    ("lone-surrogate-character", '["\ud800"]', True, "read"),
    ("non-ascii", '{"name": "réseau: ٣٤٥", "input": [1]}', True, "read"),
    ("depth-100", "[" * 99 + "1" + "]" * 99, True, "read"),
    ("depth-101", "[" * 100 + "1" + "]" * 100, True, "too-large"),
    ("depth-101-empty", "[" * 101 + "]" * 101, True, "too-large"),
    ("depth-101-with-duplicate", '{"a": 1, "a": ' + "[" * 100 + "]" * 100 + "}", False, "duplicate-key"),
    ("depth-101-with-long-int", "[" * 100 + DIGITS_101 + "]" * 100, False, "too-large"),
    ("depth-10000", "[" * 10_000 + "]" * 10_000, False, "too-large"),
]


@pytest.mark.parametrize("text, fast, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_fast_path_agrees_with_the_checked_reader(text, fast, expected):
    assert takes_fast_path(text) is fast
    status, detail = assert_same_as_checked(text)
    assert (status if status == "read" else detail["name"]) == expected


def test_duplicate_key_diagnostic_is_unchanged():
    text = '{\n  "input": [1, 8, 8],\n  "layers": ["relu"],\n  "input": [1]\n}\n'
    with pytest.raises(SpecReadError) as caught:
        source.load_text(text, "net.json")
    assert caught.value.diagnostic.to_dict() == {
        **caught.value.diagnostic.to_dict(), "name": "duplicate-key", "line": 4, "column": 3,
        "message": "key 'input' appears twice in one mapping"}


@pytest.mark.parametrize("max_depth, max_values, text, fast, expected_words", [
    (3, 5, "[[1], 2, 3]", True, None),  # 5 values, 3 levels: both within the limits
    (3, 5, "[1, 2, 3, 4, 5]", True, "more than 5 values"),
    (3, 5, "[[[1]]]", True, "nested more than 3 levels"),
    # Over both limits: the message names the limit the checked walk meets first (it takes the last
    # value of a list first).
    (3, 5, "[[[[1]]], 1, 2, 3, 4, 5]", True, "more than 5 values"),
    (3, 5, "[1, 2, 3, 4, 5, [[[1]]]]", True, "nested more than 3 levels"),
    (3, 5, '{"a": {"b": {"c": 1}}, "d": 1, "e": 2, "f": 3, "g": 4}', True, "more than 5 values"),
    (3, 5, '{"d": 1, "e": 2, "f": 3, "g": 4, "a": {"b": {"c": 1}}}', True, "nested more than 3 levels"),
    (3, 5, '{"d": 1, "d": 2, "a": {"b": {"c": 1}}}', False, "duplicate-key"),
])
def test_value_and_depth_limits(max_depth, max_values, text, fast, expected_words):
    with mock.patch.object(source, "MAX_DEPTH", max_depth), mock.patch.object(source, "MAX_VALUES", max_values):
        assert takes_fast_path(text) is fast
        status, detail = assert_same_as_checked(text)
    if expected_words is None:
        assert status == "read"
    elif expected_words == "duplicate-key":
        assert detail["name"] == "duplicate-key"
    else:
        assert detail["name"] == "too-large" and expected_words in detail["message"]


def reference_limit_walk(data, max_depth: int, max_values: int) -> str | None:
    """The walk _check_depth was written as (a stack of (value, depth) pairs): which limit it meets first."""
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
def test_limit_messages_follow_the_original_walk(data, max_depth, max_values):
    expected = reference_limit_walk(data, max_depth, max_values)
    with mock.patch.object(source, "MAX_DEPTH", max_depth), mock.patch.object(source, "MAX_VALUES", max_values):
        try:
            source._check_depth(data, "spec.json")
            found = None
        except SpecReadError as exc:
            found = "values" if "values" in exc.diagnostic.message else "depth"
    assert found == expected


def test_measure_counts_every_value_level_by_level():
    assert source._measure(None) == (1, 1, 0)
    assert source._measure([]) == (1, 1, 0)
    assert source._measure([[], {}]) == (2, 3, 0)
    assert source._measure({"a": {"b": {"c": [1, 2]}}}) == (5, 6, 3)


def test_example_specs_as_json_take_the_fast_path():
    examples = sorted((ROOT / "examples").glob("*.y*ml"))
    assert examples
    for path in examples:
        data = source.load_text(path.read_text(encoding="utf-8"), path.name).data
        for text in (json.dumps(data), json.dumps(data, indent=2, ensure_ascii=False)):
            assert takes_fast_path(text), path.name
            assert source.load_text(text, "spec.json").data == data


# ------------------------------------------------------------------ random JSON text, fast vs checked

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
def test_fast_and_checked_readers_agree_on_random_json(text, suffix, max_depth, max_values):
    with mock.patch.object(source, "MAX_DEPTH", max_depth), mock.patch.object(source, "MAX_VALUES", max_values):
        assert_same_as_checked(text + suffix)
