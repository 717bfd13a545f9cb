"""The Python API as documented: every `>>>` example of README.md and docs/python-api.md runs as written
(from the repository's top folder), and the page's example test module passes in a project of its own."""

import doctest
import re
from pathlib import Path

import pytest

import layerplan

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["README.md", "docs/python-api.md"]


@pytest.mark.parametrize("page", PAGES)
def test_the_examples_run_as_written(page, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(ROOT / page), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_every_public_name_is_documented():
    page = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    functions = [name for name in layerplan.__all__ if name[0].islower() and not name.startswith("__")]
    assert functions and all(f"layerplan.{name}" in page or f"`{name}`" in page for name in functions)


def _example_test_module() -> str:
    page = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    (module,) = re.findall(r"```python\n(# tests/test_model_specs\.py\n.*?)```", page, re.S)
    return module


def test_the_example_test_module_passes_and_fails_as_it_should(pytester):
    specs = pytester.mkdir("specs")
    (specs / "classifier.yaml").write_text("input: [1, 28, 28]\nlayers: [flatten, {dense: 64}, relu, {dense: 10}]\n")
    (specs / "encoder.yaml").write_text("input: [3, 64, 64]\nlayers: [{conv2d: {filters: 8, kernel_size: 3}}]\n")
    pytester.makepyfile(test_model_specs=_example_test_module())
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)

    (specs / "broken.yaml").write_text("input: [1, 8, 8]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 9}\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*broken.yaml:3: LP203 kernel 9 is larger*"])


def test_a_report_shows_itself_as_the_table():
    from rich.console import Console

    report = layerplan.plan(ROOT / "examples" / "resnet_stem.yaml")
    console = Console(record=True, width=120, color_system=None, file=open("/dev/null", "w"))
    console.print(report)
    text = console.export_text()
    assert "conv1" in text and "64x56x56" in text and "params: 9,536 total" in text
    html = report._repr_html_()
    assert html.startswith("<pre") and "conv1" in html and "64x56x56" in html and "http" not in html
