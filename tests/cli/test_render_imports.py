"""The modules of cli/render import one another one way only: no module reaches, directly or through
others, back to itself. Imports inside functions count too (a cycle there is a cycle all the same)."""

import ast
from pathlib import Path

RENDER = Path(__file__).resolve().parents[2] / "cli" / "render"
PACKAGE = "layerplan.render"  # cli/render, as installed


def render_imports() -> dict[str, set[str]]:
    """module name -> the layerplan.render modules it imports, anywhere in its source."""
    graph = {}
    for path in sorted(RENDER.glob("*.py")):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
                imported.update(f"{PACKAGE}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE + "."):
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names if alias.name.startswith(PACKAGE + "."))
        graph[f"{PACKAGE}.{path.stem}"] = imported
    return graph


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path of imports from `start` back to `start`, or None."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        module, path = stack.pop()
        for target in graph.get(module, ()):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_the_graph_is_read():
    graph = render_imports()
    assert "layerplan.render.columns" in graph["layerplan.render.table"]
    assert "layerplan.render.metric_columns" in graph["layerplan.render.columns"]


def test_no_import_cycles_in_cli_render():
    graph = render_imports()
    cycles = [cycle for cycle in (cycle_through(graph, module) for module in graph) if cycle]
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)
