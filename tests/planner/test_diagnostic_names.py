"""Every diagnostic the engine raises is raised by a name the catalog defines, proven by reading the code.

A name that is not in `CATALOG` would end a plan in an internal error (a KeyError in `Diagnostic.make`)
only when that rare path runs, so the names are checked where they are written: every call that raises
or records a diagnostic (`Diagnostic.make`, `LayerError`, `Outcome.warn`, and each helper that passes
its own `name` parameter on to one of them, found by following the parameters) must name it with a
string the catalog holds. The only other names allowed are those re-raised from a caught `LayerError`
(`exc.name`), from a Diagnostic already made (`diagnostic.name`) or from the (name, message, option) triples that `warn` and `LayerError` filled.
"""

import ast
from functools import cache
from pathlib import Path

import pytest

from layerplan.planner import CATALOG

ENGINE = Path(__file__).resolve().parents[2] / "planner"

#: callables that take a diagnostic name as their first argument
RAISERS = {"make", "LayerError", "warn"}

#: the containers whose triples hold names already checked where they were recorded
CHECKED_TRIPLES = {"warnings", "check_options"}


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def _name_argument(call: ast.Call) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    return next((keyword.value for keyword in call.keywords if keyword.arg == "name"), None)


def _positional_parameters(function: ast.FunctionDef) -> list[str]:
    names = [parameter.arg for parameter in function.args.posonlyargs + function.args.args]
    return names[1:] if names and names[0] in ("self", "cls") else names


class _Site:
    def __init__(self, path: str, call: ast.Call, function: ast.FunctionDef | None, loops: list[ast.For]):
        self.path, self.call, self.function, self.loops = path, call, function, loops

    def where(self, node: ast.AST) -> str:
        return f"{self.path}:{node.lineno}"


def _sites(root: Path) -> list[_Site]:
    """Every call in the package at root, with the function and the for-loops around it."""
    sites = []
    for path in sorted(root.rglob("*.py")):
        shown = str(path.relative_to(root.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node, function, loops):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    visit(child, child, [])
                elif isinstance(child, ast.For):
                    visit(child, function, loops + [child])
                else:
                    if isinstance(child, ast.Call):
                        sites.append(_Site(shown, child, function, loops))
                    visit(child, function, loops)

        visit(tree, None, [])
    return sites


def _re_raised(site: _Site, argument: ast.expr) -> bool:
    """`exc.name` of a caught LayerError, `diagnostic.name` of a Diagnostic already made (through the catalog),
    or a name unpacked from a list of checked triples."""
    if isinstance(argument, ast.Attribute) and argument.attr == "name" and isinstance(argument.value, ast.Name):
        return argument.value.id in ("exc", "error", "diagnostic")
    if not isinstance(argument, ast.Name):
        return False
    for loop in site.loops:
        source = loop.iter.func if isinstance(loop.iter, ast.Call) else loop.iter
        unpacked = isinstance(loop.target, ast.Tuple) and isinstance(loop.target.elts[0], ast.Name) \
            and loop.target.elts[0].id == argument.id
        if unpacked and isinstance(source, ast.Attribute) and source.attr in CHECKED_TRIPLES:
            return True
    return False


@cache
def diagnostic_names(root: Path = ENGINE) -> tuple[list[tuple[str, str]], list[str], set[str]]:
    """(every (site, literal name) raised, the sites whose name cannot be traced, the raisers found)."""
    raisers = set(RAISERS)
    sites = _sites(root)
    while True:
        literals, untraced, grown = [], [], False
        for site in sites:
            if _callee(site.call) not in raisers:
                continue
            argument = _name_argument(site.call)
            pending = [] if argument is None else [argument]
            while pending:
                node = pending.pop()
                if isinstance(node, ast.IfExp):
                    pending += [node.body, node.orelse]
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    literals.append((site.where(node), node.value))
                elif _re_raised(site, node):
                    continue
                elif isinstance(node, ast.Name) and site.function is not None \
                        and node.id in _positional_parameters(site.function):
                    if _positional_parameters(site.function).index(node.id) != 0:
                        untraced.append(f"{site.where(node)}: the name is not the first parameter of "
                                        f"{site.function.name}()")
                    elif site.function.name not in raisers:
                        raisers.add(site.function.name)
                        grown = True
                else:
                    untraced.append(f"{site.where(node)}: {ast.unparse(node)}")
        if not grown:
            return literals, untraced, raisers


def test_every_raised_name_is_in_the_catalog():
    literals, _, _ = diagnostic_names()
    unknown = [f"{where}: {name!r}" for where, name in literals if name not in CATALOG]
    assert not unknown, "diagnostic names the catalog does not define:\n" + "\n".join(unknown)


def test_every_raised_name_can_be_traced_to_a_literal():
    _, untraced, _ = diagnostic_names()
    assert not untraced, "diagnostic names this test cannot check:\n" + "\n".join(untraced)


def test_the_scan_finds_the_helpers_and_most_names():
    """The scan is not vacuous: it follows the helpers that pass a name on, and sees most catalog names."""
    literals, _, raisers = diagnostic_names()
    assert {"error", "report", "problem", "note", "_fail", "_error"} <= raisers
    assert len(literals) > 150
    seen = {name for _, name in literals}
    assert len(seen & set(CATALOG)) > 0.8 * len(CATALOG)


@pytest.mark.parametrize("source, unknown", [
    ('from x import LayerError\nraise LayerError("no-such-name", "m")', ["no-such-name"]),
    ('def f(o):\n    o.warn("dropout-without-effect", "m")', ["dropout-without-effect"]),
    ('def report(name, m):\n    make(name, m)\nreport("missing-thing", "m")', ["missing-thing"]),
    ('raise LayerError("wrong-rank" if x else "bad-axes", "m")', ["bad-axes"]),
    ('raise LayerError("wrong-rank", "m")', []),
])
def test_the_scan_catches_an_unknown_name(tmp_path, source, unknown):
    (tmp_path / "planner").mkdir()
    (tmp_path / "planner" / "module.py").write_text(source)
    literals, _, _ = diagnostic_names(tmp_path / "planner")
    assert [name for _, name in literals if name not in CATALOG] == unknown
