"""The last check of an export before anyone sees it: the text parses, and holds only what the writers
write.

Names from a spec reach the exported code only through planner/code_text.py. This check does not
trust that: it reads the text back with `ast` and refuses it (UnsafeExport) unless

- it parses;
- it imports exactly the framework's modules (`import torch`, `from torch import nn`; `import keras`,
  `from keras import layers`), and its top level is a docstring, those imports, assignments,
  classes, functions and the `if __name__ == "__main__":` block;
- every syntax node is of a kind the writers produce (calls, attributes, arithmetic, comprehensions...;
  no lambda, no global, no loop, no deletion);
- every name it reads is one it defines (an import, a class, a function, an argument, an assigned
  variable) or one of the few builtins the writers call (ALLOWED_BUILTINS): nothing such as
  `__import__`, `eval`, `exec`, `open` or `getattr`;
- no attribute is a dunder (`__class__`, `__globals__`...), but `super().__init__`.

>>> check_export('import torch\\nx = torch.zeros(1)\\n', "torch")
>>> try:
...     check_export('import torch\\n__import__("os").system("true")\\n', "torch")
... except UnsafeExport as exc:
...     print(exc)
the exported code reads `__import__`, which it does not define
"""

from __future__ import annotations

import ast

__all__ = ["ALLOWED_BUILTINS", "UnsafeExport", "check_export"]

#: the builtins exported code calls, and the one global it reads
ALLOWED_BUILTINS = frozenset({"print", "sum", "super", "__name__"})

IMPORTS = {"torch": {"import torch", "from torch import nn"}, "keras": {"import keras", "from keras import layers"}}

_TOP_LEVEL = (ast.Expr, ast.Import, ast.ImportFrom, ast.Assign, ast.ClassDef, ast.FunctionDef, ast.If)

#: every kind of syntax node the writers produce
_NODES = (
    ast.Module, ast.Expr, ast.Import, ast.ImportFrom, ast.alias, ast.Assign, ast.ClassDef, ast.FunctionDef,
    ast.arguments, ast.arg, ast.Return, ast.If, ast.With, ast.withitem, ast.Call, ast.keyword, ast.Attribute,
    ast.Name, ast.Load, ast.Store, ast.Constant, ast.Tuple, ast.List, ast.Dict, ast.Subscript, ast.Slice,
    ast.Starred, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.UnaryOp, ast.USub, ast.Compare, ast.Eq,
    ast.In, ast.IfExp, ast.DictComp, ast.ListComp, ast.GeneratorExp, ast.comprehension, ast.JoinedStr,
    ast.FormattedValue,
)


class UnsafeExport(Exception):
    """The exported text is not what the writers write: it is never shown or run."""


def _defined(tree: ast.Module) -> set[str]:
    """Every name the module binds, in any scope."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name)
    return names


def check_export(text: str, framework: str) -> None:
    """Raise UnsafeExport, saying why, unless `text` is what an export in `framework` may hold."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        raise UnsafeExport(f"the exported code does not parse ({exc})") from None
    for statement in tree.body:
        if not isinstance(statement, _TOP_LEVEL):
            raise UnsafeExport(f"the exported code has a {type(statement).__name__} statement at its top level")
        if isinstance(statement, (ast.Import, ast.ImportFrom)) and ast.unparse(statement) not in IMPORTS[framework]:
            raise UnsafeExport(f"the exported code has `{ast.unparse(statement)}`")
    defined = _defined(tree)
    for node in ast.walk(tree):
        if not isinstance(node, _NODES):
            raise UnsafeExport(f"the exported code holds a {type(node).__name__}, which export never writes")
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node not in tree.body:
            raise UnsafeExport(f"the exported code has `{ast.unparse(node)}` inside a definition")
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in defined | ALLOWED_BUILTINS:
            raise UnsafeExport(f"the exported code reads `{node.id}`, which it does not define")
        if isinstance(node, ast.Attribute) and node.attr.startswith("__") and node.attr != "__init__":
            raise UnsafeExport(f"the exported code reads the attribute `{node.attr}`")
