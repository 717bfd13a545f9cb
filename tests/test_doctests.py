"""Run the docstring examples of every module: the engine (layerplan.planner), the package's API and the
front door's modules that carry examples."""

import doctest
import importlib
import pkgutil

import pytest

import layerplan
import layerplan.planner


def _modules():
    yield "layerplan"
    yield "layerplan.python_api"
    yield "layerplan.gitignore"
    yield "layerplan.output"
    yield "layerplan.planner"
    for info in pkgutil.walk_packages(layerplan.planner.__path__, "layerplan.planner."):
        yield info.name


@pytest.mark.parametrize("name", sorted(set(_modules())))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
