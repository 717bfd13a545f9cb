"""Specs are read as YAML 1.2 (core schema), as an editor using the JSON Schema reads them; a plain value
that YAML 1.1 reads otherwise is refused with both readings, its line and what to write."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from layerplan.planner import plan_text
from layerplan.planner.diagnostics import SpecReadError
from layerplan.planner.spec_text import load_text


def _value(text: str):
    return load_text(f"value: {text}\n", "s.yaml").data["value"]


# plain scalar -> its YAML 1.2 meaning (and YAML 1.1 agrees, or reads it as text)
@pytest.mark.parametrize(("text", "meaning"), [
    ("12", 12), ("-3", -3), ("+5", 5), ("0", 0), ("007", 7), ("0o10", 8), ("0o777", 511), ("0x10", 16),
    ("0xFF", 255), ("09", 9),
    ("1.5", 1.5), ("1.", 1.0), (".5", 0.5), ("-2.5", -2.5), ("1e3", 1000.0), ("1e-5", 1e-5), ("1.5E+3", 1500.0),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    ("y", "y"), ("n", "n"), ("0x_", "0x_"), ("-0o7", "-0o7"), ("2001-12-14", "2001-12-14"), ("=", "="),
    ("'010'", "010"), ('"yes"', "yes"), ("'1:00'", "1:00"), ("!!str 010", "010"), ("!!int 0x10", 16),
    ("!!float 1", 1.0), ("[1, 0o10, 0x10]", [1, 8, 16]),
])
def test_plain_scalars_mean_what_yaml_1_2_says(text, meaning):
    assert _value(text) == meaning
    assert type(_value(text)) is type(meaning)


def test_nan():
    assert math.isnan(_value(".nan")) and math.isnan(_value(".NaN")) and math.isnan(_value(".NAN"))


# plain scalar -> (YAML 1.1 reading, YAML 1.2 reading, advice) as the message says them
@pytest.mark.parametrize(("text", "message"), [
    ("010", "'010' is 8 in YAML 1.1 (octal) but 10 in YAML 1.2, which layerplan reads: write 10, or 0o10 for 8"),
    ("-010", "'-010' is -8 in YAML 1.1 (octal) but -10 in YAML 1.2, which layerplan reads: write -10"),
    ("1:00", "'1:00' is 60 in YAML 1.1 (base 60) but text in YAML 1.2, which layerplan reads: write 60 for the "
             "number, or quote it for the text"),
    ("1:30.5", "'1:30.5' is 90.5 in YAML 1.1 (base 60) but text in YAML 1.2"),
    ("0b101", "'0b101' is 5 in YAML 1.1 (binary) but text in YAML 1.2"),
    ("1_000", "'1_000' is 1000 in YAML 1.1 (its _ ignored) but text in YAML 1.2"),
    ("1_000.5", "'1_000.5' is 1000.5 in YAML 1.1 (its _ ignored) but text in YAML 1.2"),
    ("+0x1b", "'+0x1b' is 27 in YAML 1.1 but text in YAML 1.2"),
    ("yes", "'yes' is true in YAML 1.1 but text in YAML 1.2, which layerplan reads: write true, or quote it for the "
            "text"),
    ("No", "'No' is false in YAML 1.1 but text in YAML 1.2"),
    ("on", "'on' is true in YAML 1.1 but text in YAML 1.2"),
    ("OFF", "'OFF' is false in YAML 1.1 but text in YAML 1.2"),
    ("!!int 010", "'010' is 8 in YAML 1.1 (octal) but 10 in YAML 1.2"),
    ("!!bool yes", "'yes' is true in YAML 1.1 but text in YAML 1.2"),
])
def test_values_yaml_1_1_reads_otherwise_are_refused_with_both_readings(text, message):
    with pytest.raises(SpecReadError) as raised:
        load_text(f"input: [1, 8, 8]\nlayers:\n  - relu: {{name: n, x: {text}}}\n", "s.yaml")
    diagnostic = raised.value.diagnostic
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("LP002", 3, 24)
    assert diagnostic.message.startswith(message)


def test_the_reported_example():
    report = plan_text("input: [1, 010, 0x10]\nlayers: [flatten]\n", "s.yaml")
    assert report.read_error and report.diagnostics[0].code == "LP002" and report.diagnostics[0].line == 1
    assert plan_text("input: [1, 10, 0x10]\nlayers: [flatten]\n", "s.yaml").output == (160,)
    padding = plan_text("input: [1, 8, 8]\nlayers:\n  - zero_padding2d: {padding: 1:00}\n", "s.yaml")
    assert padding.read_error and "'1:00' is 60 in YAML 1.1" in padding.diagnostics[0].message


def test_keys_are_names_whichever_yaml_reads_them():
    # a workflow file's `on:` is true in YAML 1.1; in a spec it is an unknown key, not a read error
    report = plan_text("on: push\ninput: [1, 8, 8]\nlayers: [relu]\n", "s.yaml")
    assert [d.code for d in report.diagnostics] == ["LP101"] and "'on'" in report.diagnostics[0].message


@given(st.integers(min_value=0, max_value=10**30))
def test_integers_as_yaml_1_2_writes_them(number):
    assert _value(str(number)) == number
    assert _value(hex(number)) == number
    assert _value("0o" + format(number, "o")) == number


def test_pure_python_parser_reads_alike(monkeypatch):
    import yaml

    from layerplan.planner import spec_text

    text = "a: [1, 0o10, 0x10, 1e3, true, ~, y]\nb: 010\n"
    with_libyaml = load_text(text.split("b:")[0], "s.yaml").data
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    monkeypatch.setattr(spec_text, "_LOADER", None)
    assert load_text(text.split("b:")[0], "s.yaml").data == with_libyaml == {"a": [1, 8, 16, 1000.0, True, None, "y"]}
    with pytest.raises(SpecReadError) as raised:
        load_text(text, "s.yaml")
    assert raised.value.diagnostic.line == 2 and "'010' is 8 in YAML 1.1" in raised.value.diagnostic.message


_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Z"), whitelist_characters=" ")


@given(st.one_of(st.text(_PRINTABLE, max_size=12), st.sampled_from(["1e3", "0o10", ".5", "-.inf", "TRUE", "~", "010", "1:00",
                                                        "yes", "0x1F", "+12", "1_000"])))
def test_text_written_by_layerplan_reads_back_as_the_same_text(text):
    from layerplan.planner.spec_writer import flow

    assert load_text("value: " + flow(text) + "\n", "s.yaml").data["value"] == text


@pytest.mark.parametrize("text", ["input: !!int\n", "input: !!float _\n", "a: !!int -_\n", "input: [!!int +]\n"])
def test_an_explicit_number_tag_on_text_that_is_no_number_is_a_read_error(text):
    """PyYAML's own int and float constructors raise IndexError on '', '_' and '+': never a traceback."""
    from layerplan.planner.api import plan_text

    report = plan_text(text)
    assert not report.ok and report.diagnostics
