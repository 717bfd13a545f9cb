"""Names from a spec or a path written into exported code stay data: the code parses, defines exactly
the names export means to define, calls nothing but the framework, and computes what the plan says,
whatever the names hold (planner/code_text.py, planner/export_check.py).

A table per finding, then a property over hostile names in every position (tests/export/hostile_names.py).
Running hostile exports in the frameworks: tests/export/test_hostile_names_run.py.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from layerplan.main import cli
from layerplan.planner import plan_data
from layerplan.planner.code_text import (
    TORCH_MODULE_NAMES,
    keras_name,
    python_identifier,
    python_string,
    visible,
)
from layerplan.planner.export import Identifiers, UnsafeExport, export_report
from layerplan.planner.export_check import check_export
from layerplan.planner.kinds.writing import literal

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "robustness"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzzing import fuzz_settings  # noqa: E402
from hostile_names import HOSTILE, POSITIONS, distinct_names, hostile_names, hostile_spec  # noqa: E402

PAYLOAD = "__import__('os').system('touch pwned')"


def exported(data: dict, file: str = "<spec>"):
    report = plan_data(data, file=file)
    assert report.ok, [d.message for d in report.diagnostics]
    return report, export_report(report)


def stack(name=None, framework="torch", layers=None):
    shape = [1, 8, 8] if framework == "torch" else [8, 8, 1]
    data = {"framework": framework, "input": shape,
            "layers": layers or [{"conv2d": {"filters": 2, "kernel_size": 3}}, "relu"]}
    return {"name": name, **data} if name is not None else data


def calls_of(tree) -> set[str]:
    """The root name of every call: `os` for os.system(...), `__import__` for __import__(...)."""
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            while isinstance(func, (ast.Attribute, ast.Call, ast.Subscript)):
                func = func.func if isinstance(func, ast.Call) else func.value
            roots.add(func.id if isinstance(func, ast.Name) else type(func).__name__)
    return roots


# ------------------------------------------------------------------- finding 1: the docstring header


@pytest.mark.parametrize("name", ['x"""; import os; os.system("touch pwned"); """', "net\\N", "a\\", 'ends "',
                                  "two\nlines", "x'''; import os; '''", "\\x00\\u2028", "a\x00b"])
@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_the_spec_name_is_data_in_the_docstring(name, framework):
    _, out = exported(stack(name, framework))
    tree = ast.parse(out.text)
    assert ast.get_docstring(tree, clean=False).startswith(f"{name}: written by layerplan export from <spec> (")
    assert "os" not in calls_of(tree) and len(out.text.split("\n")) == len(out.text.splitlines()) + 1


@pytest.mark.parametrize("stem", ['x""";__import__("os").system("touch pwned");"""', "a\\N", "b'''c"])
def test_the_spec_file_name_is_data_in_the_docstring(tmp_path, monkeypatch, stem):
    monkeypatch.chdir(tmp_path)
    Path(f"{stem}.yaml").write_text("input: [1, 8, 8]\nlayers: [relu]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", f"{stem}.yaml"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    tree = ast.parse(result.stdout)
    assert ast.get_docstring(tree, clean=False).startswith(f"model: written by layerplan export from {stem}.yaml (")
    assert calls_of(tree) <= {"Model", "nn", "torch", "print", "sum", "super", "self", "build_model", "model", "p"}


# ------------------------------------------------- finding 2: a block use's name, and literal()


def _block_use(use: str, framework: str) -> dict:
    """A block use written layer by layer in both frameworks: an inner layer of it is read outside."""
    data = stack(framework=framework, layers=[
        {"block": "b", "name": use}, {"add": {}, "inputs": [f"{use}.c", use]}])
    data["blocks"] = {"b": [{"conv2d": {"filters": 1, "kernel_size": 1}, "name": "c"}, "relu"]}
    return data


@pytest.mark.parametrize("use", [f"u\n    {PAYLOAD}", f"u\r    {PAYLOAD}", f"u\u2028{PAYLOAD}", f"u\x85{PAYLOAD}",
                                 f"u\x0c\n{PAYLOAD}", "u\x00"])
@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_a_block_use_name_stays_in_its_comment(use, framework):
    _, out = exported(_block_use(use, framework))
    tree = ast.parse(out.text)
    assert "__import__" not in calls_of(tree)
    comments = [t.string for t in tokenize.generate_tokens(io.StringIO(out.text).readline) if t.type == tokenize.COMMENT]
    assert f"# {visible(use)}" in comments


@pytest.mark.parametrize("text", ["plain", 'a"b', "a'b", "a'\"b", "\\", "\\N", "a\nb", "a\rb", "\x00", "\u2028",
                                  "\u2029", "\x85", "\x1b", "\ud800", "\U000e0001", "\u202e", "é𝐱"])
def test_literal_reads_back_as_the_string_on_one_line(text):
    written = literal(text)
    assert ast.literal_eval(written) == text
    assert written.isprintable() and written == python_string(text)


# ------------------------------------------------------- finding 5: names NFKC would merge


@pytest.mark.parametrize(("conv", "relu"), [("𝐱", "r"), ("x", "𝐱"), ("ｓｅｌｆ", "self"), ("ℌ", "H"), ("ﬁ", "fi"),
                                            ("é", "e")])
def test_look_alike_names_stay_two_variables(conv, relu):
    data = stack(layers=[{"conv2d": {"filters": 2, "kernel_size": 3, "padding": "same"}, "name": conv},
                         {"relu": {}, "name": relu, "inputs": conv}, {"add": {}, "inputs": [conv, relu]}])
    report, out = exported(data)
    tree = ast.parse(out.text)
    (add,) = [node for node in ast.walk(tree) if isinstance(node, ast.BinOp)]
    left, right = (unicodedata.normalize("NFKC", side.id) for side in (add.left, add.right))
    assert left != right  # not 2 * relu(conv)
    variables = {layer.variable for layer in out.layers}
    assert len({unicodedata.normalize("NFKC", v) for v in variables}) == len(variables)


def test_identifiers_are_ascii_and_distinct_for_distinct_names():
    names = Identifiers()
    given = [names(n) for n in ["x", "𝐱", "x_", "ｘ", "½", "1_2", "²", "__init__", "_init__", "self", "ｓｅｌｆ"]]
    assert len(set(given)) == len(given) and all(g.isascii() and g.isidentifier() for g in given)


# ---------------------------------------------------- finding 14: exported code runs as written


@pytest.mark.parametrize("name", ["none", "true", "false", "None", "½", "²", "１", "class", "match", "_", "__init__",
                                  "forward", "training", "parameters", "state_dict", "to", "type", "层"])
@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_any_name_gives_valid_names(name, framework):
    layers = [{"conv2d": {"filters": 2, "kernel_size": 3}, "name": name},
              {"relu": {}, "name": name + "2"}, {"add": {}, "inputs": [name, name + "2"]}] \
        if framework == "keras" else None
    _, out = exported({**stack(name, framework, layers), "blocks": {name: ["relu"]}})
    compile(out.text, "<exported>", "exec")
    tree = ast.parse(out.text)
    defined = [n.name for n in ast.walk(tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef))]
    assert all(d.isascii() and d not in ("None", "True", "False") for d in defined)
    attributes = [t.attr for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
                  if isinstance(t, ast.Attribute)]
    assert not set(attributes) & TORCH_MODULE_NAMES


@pytest.mark.parametrize(("inputs", "call"), [
    (["left-eye", "right-eye"], 'model(left_eye=x["left-eye"], right_eye=x["right-eye"])'),
    (["𝐚", "a"], 'model(a=x["𝐚"], a_2=x["a"])'),
    (["left", "right"], "model(**x)"),
])
def test_a_torch_model_with_several_inputs_is_called_by_its_argument_names(inputs, call):
    data = {"inputs": {name: [2, 4] for name in inputs}, "layers": [{"add": {}, "inputs": inputs}]}
    _, out = exported(data)
    tree = ast.parse(out.text)
    forward = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "forward")
    arguments = [a.arg for a in forward.args.args[1:]]
    assert f"        y = {call}" in out.text.splitlines()
    assert call == "model(**x)" and arguments == inputs or call.startswith(f"model({arguments[0]}=")


# ------------------------------------------------------------------ the last check of an export


@pytest.mark.parametrize("code", [
    'import torch\nimport os\n', 'import torch\n__import__("os")\n', "import torch\nx = eval('1')\n",
    "import torch\nx = torch.__class__\n", "import torch\nx = lambda: 1\n", "import torch\nfor x in []:\n    pass\n",
    "import torch\ndef f():\n    import os\n", 'import torch\nx = """\n', "import torch\nx = open\n",
    "import torch\nx = torch.zeros(1)\ndel x\n", "import torch\nx = torch.zeros(1)\nglobals()\n",
])
def test_the_last_check_refuses_what_the_writers_never_write(code):
    with pytest.raises(UnsafeExport):
        check_export(code, "torch")


@pytest.mark.parametrize("golden", sorted((Path(__file__).resolve().parents[1] / "golden" / "export").glob("*.py")),
                         ids=lambda path: path.name)
def test_the_last_check_passes_what_the_writers_write(golden):
    check_export(golden.read_text(encoding="utf-8"), golden.name.split(".")[-2])


# ----------------------------------------------------------------- every position, hostile names


TOP_LEVEL = {"torch": {"torch", "nn", "INPUT_SHAPE", "build_model", "model", "x", "y"},
             "keras": {"keras", "layers", "INPUT_SHAPE", "build_model"}}
ALLOWED_ROOTS = {"torch", "nn", "keras", "layers", "self", "super", "print", "sum", "build_model", "model", "p"}


def assert_exports_safely(names: dict[str, str], file: str, framework: str) -> bool:
    """Checks the export of hostile_spec; False when the spec itself has errors (names that clash)."""
    report = plan_data(hostile_spec(names, framework), file=file)
    if not report.ok:
        return False
    out = export_report(report)
    text = out.text
    tree = ast.parse(text)
    # one line per "\n": no other line break in the text (verify finds layers by line)
    assert len(text.split("\n")) == len(text.splitlines()) + 1
    # the names it defines: the framework's, the classes, and the variables of its functions
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    top = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) and n in tree.body for t in n.targets}
    top |= {a.asname or a.name for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    top |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    main = [n for n in tree.body if isinstance(n, ast.If)]
    top |= {t.id for n in main for s in ast.walk(n) if isinstance(s, ast.Assign) for t in s.targets}
    assert top == TOP_LEVEL[framework] and len(set(classes)) == len(classes)
    identifiers = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]
    identifiers += [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)]
    identifiers += [n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)] + classes
    assert all(i.isascii() and i.isidentifier() for i in identifiers)
    # each layer's value has a variable of its own in its function
    for scope in {layer.scope for layer in out.layers}:
        mine = [layer.variable for layer in out.layers if layer.scope == scope and layer.variable != "x"]
        assert len(set(mine)) == len(mine), mine
    attributes = [layer.attribute for layer in out.layers if layer.attribute and not layer.shares]
    assert len(set(attributes)) == len(attributes) and not {a.rpartition(".")[2] for a in attributes} & TORCH_MODULE_NAMES
    # calls only the framework, the model's own classes and variables, and print/sum/super
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    assert calls_of(tree) <= ALLOWED_ROOTS | set(classes) | bound, calls_of(tree)
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) and n not in tree.body]
    # the names it writes as data read back as they are
    count = "parameters not planned" if report.total_params is None else f"{report.total_params:,} parameters"
    assert ast.get_docstring(tree, clean=False) == (f"{names['spec']}: written by layerplan export from {file} "
                                                    f"({framework}, {count}).")
    shapes = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "INPUT_SHAPE")
    assert list(ast.literal_eval(shapes)) == [names["input_a"], names["input_b"]]
    comments = [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT]
    assert f"# {visible(names['use_3'])}" in comments
    if framework == "keras":
        given = {kw.value.value for n in ast.walk(tree) if isinstance(n, ast.Call) for kw in n.keywords
                 if kw.arg == "name"}
        assert {keras_name(names[key]) for key in ("spec", "input_a", "input_b", "joined", "last")} <= given
    else:
        call = next(n for n in ast.walk(main[0]) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "model")
        forward = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "forward"][-1]
        arguments = [a.arg for a in forward.args.args[1:]]
        keywords = [kw.arg for kw in call.keywords]
        assert keywords == arguments or keywords == [None] and arguments == [names["input_a"], names["input_b"]]
    check_export(text, framework)
    return True


@pytest.mark.parametrize("framework", ["torch", "keras"])
@fuzz_settings(weight=6)  # 150 examples per framework in the quick loop, 1,800 in CI
@given(names=st.lists(hostile_names, min_size=len(POSITIONS), max_size=len(POSITIONS), unique=True).filter(distinct_names),
       file=hostile_names)
def test_hostile_names_in_every_position_export_safely(framework, names, file):
    assume(assert_exports_safely(dict(zip(POSITIONS, names)), file + ".yaml", framework))


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("start", range(0, len(HOSTILE), len(POSITIONS)))
def test_each_hostile_name_in_every_position(framework, start):
    """Every name of HOSTILE, in turn, in each position (rotated so each meets each position)."""
    exported_count = 0
    for shift in range(len(POSITIONS)):
        chosen = [HOSTILE[(start + k + shift) % len(HOSTILE)] for k in range(len(POSITIONS))]
        if distinct_names(chosen):
            exported_count += assert_exports_safely(dict(zip(POSITIONS, chosen)), chosen[0] + ".yaml", framework)
    assert exported_count >= len(POSITIONS) // 2


@pytest.mark.parametrize("name", HOSTILE)
def test_python_identifier_is_never_a_name_the_code_uses(name):
    text = python_identifier(name)
    assert text.isascii() and text.isidentifier() and not text.startswith("__")
    assert text not in TORCH_MODULE_NAMES | {"x", "self", "torch", "nn", "keras", "layers", "None", "True", "_"}
