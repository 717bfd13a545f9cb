"""Architecture checks: the engine stays pure and light."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"import sys; {code}; print(' '.join(sys.modules))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_planner_imports_no_cli_click_or_rich():
    loaded = _modules_after("import layerplan.planner")
    assert not {"click", "rich", "layerplan.main", "layerplan.output", "layerplan.render"} & loaded


def test_code_imports_the_package_never_the_folders():
    """cli/ installs as `layerplan` and planner/ as `layerplan.planner`: code that imported a folder by
    its own name (`import planner`, `from cli.x import`) would load a second copy of the engine."""
    offenders = []
    for folder in ("planner", "cli", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                    [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno}: {name}" for name in names
                              if name.split(".")[0] in ("planner", "cli")]
    assert offenders == []


def test_planning_json_needs_no_yaml():
    code = ("from layerplan.planner import plan_text; "
            "plan_text('{\"input\": [1, 8, 8], \"layers\": [\"flatten\"]}', 'a.json')")
    assert "yaml" not in _modules_after(code)


# --------------------------------------------------------------------------------------------- flow

def _engine_imports() -> dict[str, set[str]]:
    """Engine module -> the engine modules it imports (at the top or inside a function). The engine
    imports itself relatively (`from .report import Report`), so it works as `layerplan.planner` and as
    the folder `planner` alike; names are given as installed."""
    modules = {}
    for path in sorted((ROOT / "planner").rglob("*.py")):
        parts = ("layerplan", *path.relative_to(ROOT).with_suffix("").parts)
        package = parts[:-1]  # the package a relative import starts from
        name = ".".join(package if parts[-1] == "__init__" else parts)
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ((node.module,) if node.module else ()))
                imported.add(base)
                imported.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("layerplan.planner"):
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names if alias.name.startswith("layerplan.planner"))
        modules[name] = imported
    return {name: {m for m in imported if m in modules and m != name} for name, imported in modules.items()}


def test_the_engine_imports_itself_relatively_and_stands_alone():
    """The engine names no package above it: imported as the folder `planner` (the package not installed
    on the path), it plans, explains, solves, ports and exports without `layerplan`, click or rich."""
    offenders = [f"{path.relative_to(ROOT)}: {node.module}"
                 for path in sorted((ROOT / "planner").rglob("*.py"))
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.ImportFrom) and not node.level
                 and (node.module or "").split(".")[0] == "layerplan"]
    assert offenders == []
    code = ("import sys; sys.path.insert(0, {root!r}); import planner; "
            "from planner.solve import solve_expect; from planner.port import port_spec; "
            "from planner.export import export_report, plan_for_export; from planner.explain import explain_report; "
            "spec = {{'input': [1, 28, 28], 'expect': {{'output': [8, 28, 28]}}, "
            "'layers': [{{'conv2d': {{'filters': 8, 'kernel_size': 3}}}}]}}; "
            "report = planner.plan_data(spec); explain_report(report); solve_expect(spec); port_spec(spec); "
            "export_report(plan_for_export({{**spec, 'expect': {{}}}}, 'keras')); "
            "print(report.output, sorted(m for m in sys.modules if m.split('.')[0] in ('layerplan', 'click', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code.format(root=str(ROOT))], cwd="/", capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["(8,", "26,", "26)", "[]"]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module, or a module importing itself."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_engine_modules_import_each_other_one_way():
    """Data flows read -> spec -> plan -> report -> passes: no two engine modules import each other,
    directly or around a circle, at the top or hidden inside a function. (planner/__init__.py and
    planner/kinds/__init__.py only gather names for users and are left out.)"""
    graph = _engine_imports()
    for package in ("layerplan.planner", "layerplan.planner.kinds"):
        graph.pop(package, None)
        for targets in graph.values():
            targets.discard(package)
    assert _cycles(graph) == []


def test_planning_never_imports_the_solver():
    """The planner plans; fixes and input-size suggestions are passes after it (planner/passes.py):
    nothing planner/plan.py reaches, directly or through other engine modules, is the solver."""
    graph = _engine_imports()
    reached, todo = set(), ["layerplan.planner.plan"]
    while todo:
        module = todo.pop()
        for target in graph.get(module, ()):
            if target not in reached and target not in ("layerplan.planner", "layerplan.planner.kinds"):
                reached.add(target)
                todo.append(target)
    assert not {"layerplan.planner.solve", "layerplan.planner.passes", "layerplan.planner.api"} & reached, sorted(reached)


def test_no_module_outside_the_kinds_switches_on_a_family():
    """What a kind does is asked of its definition (planner/kinds): no `family ==` / `family in`
    comparison, and no test of a family's name, anywhere else in the engine or the CLI."""
    import re

    from layerplan.planner.kinds import KINDS

    families = sorted({kind.family for kind in KINDS.values()}, key=len, reverse=True)
    switch = re.compile(r"family\s*(==|!=|\bin\b|\bnot in\b)|\.startswith\(\"(%s)\"\)|type\s*==\s*\"(%s)\""
                        % ("|".join(families), "|".join(families)))
    offenders = []
    for folder in ("planner", "cli"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.is_relative_to(ROOT / "planner" / "kinds"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if switch.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_a_clean_plan_loads_no_solver():
    loaded = _modules_after("from layerplan.planner import plan_data; "
                            "plan_data({'input': [1, 28, 28], 'layers': [{'conv2d': {'filters': 8, 'kernel_size': 3}}]})")
    assert "layerplan.planner.solve" not in loaded
