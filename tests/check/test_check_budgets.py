"""Spec-level budgets (`expect: {max_params, max_macs, max_activation_bytes}`) and per-layer expect:
a budget passes at its exact value, fails one below it, and the failure points at the budget's line."""

from __future__ import annotations

import pytest

from layerplan.planner import plan_text

# conv2d, 8 filters, 3x3, on 1x28x28 (torch) -> 8x26x26, then flatten
OUT = 8 * 26 * 26
MEASURED = {
    "max_params": 3 * 3 * 1 * 8 + 8,
    "max_macs": 26 * 26 * (3 * 3 * 1) * 8,
    # peak activation memory: the largest input + output pair of one layer, float32, batch 1
    "max_activation_bytes": max(28 * 28 + OUT, OUT + OUT) * 4,
}


def spec(key: str, value) -> str:
    return ("input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3}\n  - flatten\n"
            f"expect:\n  output: [{OUT}]\n  {key}: {value}\n")


@pytest.mark.parametrize("key", sorted(MEASURED))
def test_budget_passes_at_its_value_and_fails_below(key):
    assert plan_text(spec(key, MEASURED[key])).ok
    report = plan_text(spec(key, MEASURED[key] - 1))
    (failure,) = report.errors
    assert (failure.code, failure.line, failure.column) == ("LP401", 7, 3)
    assert f"{MEASURED[key]:,}" in failure.message and key in failure.message


@pytest.mark.parametrize("key", sorted(MEASURED))
def test_budget_scales_with_batch(key):
    text = "batch: 4\n" + spec(key, MEASURED[key])
    assert plan_text(text).ok == (key != "max_activation_bytes")


@pytest.mark.parametrize("value", ["-1", "1.5", "lots", "true", "null"])
@pytest.mark.parametrize("key", sorted(MEASURED))
def test_malformed_budget(key, value):
    (error,) = plan_text(spec(key, value)).errors
    assert (error.code, error.line) == ("LP402", 7)


@pytest.mark.parametrize(("expect", "ok"), [
    ("[8, 26, 26]", True), ("[8, null, null]", True), ("[null, 26, 26]", True), ("8x26x26", True),
    ("8x?x?", True), ("[8, 28, 28]", False), ("[8, 26]", False), ("[16, null, null]", False),
])
def test_layer_expect_with_null_for_any_axis(expect, ok):
    text = f"input: [1, 28, 28]\nlayers:\n  - conv2d: {{filters: 8, kernel_size: 3}}\n    expect: {expect}\n"
    report = plan_text(text)
    assert report.ok == ok
    if not ok:
        (error,) = report.errors
        assert (error.code, error.line, error.column) == ("LP401", 4, 5)


def test_layer_expect_in_block_style_points_at_the_expect_key():
    text = "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3}\n    expect:\n      - 8\n      - 28\n      - 28\n"
    (error,) = plan_text(text).errors
    assert (error.line, error.column) == (4, 5)
