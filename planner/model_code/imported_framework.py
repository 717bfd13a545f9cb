"""The framework of a model file whose own imports do not name one: the framework the files of its tree that it
imports use (`from .unet_parts import *`, where unet_parts.py imports torch). Those files are parsed, never
run, within the budget of imported_files.Files; the first framework found among them, breadth first, is the
file's, unless another file of the tree names the other framework (then none is told)."""

from __future__ import annotations

import ast
from pathlib import Path

from .imported_files import Files, ModuleFile, module_file
from .source import Unreadable


def framework_of_imported_files(path: Path, text: str, tree: ast.Module) -> str | None:
    """torch or keras, from the files of the tree the model file imports; None when they name none or both.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "parts.py").write_text("import torch.nn as nn\\n")
    >>> text = "from .parts import *\\n"
    >>> framework_of_imported_files(folder / "net.py", text, ast.parse(text))
    'torch'
    """
    main = module_file(path, text, tree, path.name)
    files = Files(main)
    found: set[str] = set()
    waiting, seen = [main], {id(main)}
    while waiting:
        module = waiting.pop(0)
        for imported in _imported_files(files, module):
            if id(imported) in seen:
                continue
            seen.add(id(imported))
            framework = imported.imports.framework()
            if framework is not None:
                found.add(framework)
            else:
                waiting.append(imported)
    return found.pop() if len(found) == 1 else None


def _imported_files(files: Files, module: ModuleFile) -> list[ModuleFile]:
    """The files of the tree a module's top-level imports name (those that cannot be read are left out: the
    reader names them where the model uses what they hold)."""
    imported = []
    for node in module.tree.body:
        if isinstance(node, ast.ImportFrom):
            names = [(node.module, node.level)]
        elif isinstance(node, ast.Import):
            names = [(alias.name, 0) for alias in node.names]
        else:
            continue
        for name, level in names:
            target = files.resolve(module, name, level)
            if target is None:
                continue
            try:
                imported.append(files.load(target, node))
            except Unreadable:
                continue
    return imported
