"""Run the docstring examples of every engine module."""

import doctest
import importlib
import pkgutil

import pytest

import planner


def _modules():
    yield "planner"
    for info in pkgutil.walk_packages(planner.__path__, "planner."):
        yield info.name


@pytest.mark.parametrize("name", sorted(set(_modules())))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
