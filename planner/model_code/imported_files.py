"""Model code split over several files of one tree: the modules an import names that lie beside the
model file (`from .unet_parts import *`, `from ._utils import f`, `from ..ops.misc import Block`,
`from models.resnet import ResNet18`) are read with the same rules, statically: parsed, never imported.

Which imports are read: a relative import, anywhere inside the file's top-level package; an absolute
import of a module in the file's own package (or below it), or of a module beside the file (a script
next to its `models/` folder). Any other import is a library: its names stay opaque (`Qualified`).
Reading is bounded: at most MAX_FILES files and MAX_CHARACTERS characters in all, each file within the
model-file limits; a module imported while it is being read (a cycle) gives the names it has so far,
as Python does.

>>> package_of(Path("/nowhere/net.py"))
(PosixPath('/nowhere'), 'net')
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .source import Imports, Unreadable
from .values import Scope

#: The most files, and characters in all, one model may pull in through its imports (besides itself).
MAX_FILES = 48
MAX_CHARACTERS = 4 * 1024 * 1024
#: Packages whose names the reader's own tables give their meaning (`keras.src.layers.Conv2D` is keras'
#: Conv2D; tf-slim's layers are refused by name, selected.py): a file inside one reads only the modules of
#: its own package as source, the rest of the framework stays the framework (`from keras.src import
#: layers` in keras/src/applications/vgg16.py).
FRAMEWORK_PACKAGES = frozenset({"torch", "keras", "tensorflow", "tf_keras", "tf_slim"})
#: Each file within the model file's own limits (planner/model_code/reader.py).
MAX_FILE_CHARACTERS = 1024 * 1024
MAX_FILE_TOKENS = 100_000
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(eq=False)
class ModuleFile:
    """One file of the tree: its syntax, imports and module-level names (filled as its body is read)."""

    path: Path | None
    label: str                      # how messages name it (relative to the model file's folder)
    dotted: str                     # its module name inside its top-level package ('' for the model file)
    root: Path | None               # the folder its top-level package lives in
    tree: ast.Module
    imports: Imports
    scope: Scope = field(default_factory=Scope)
    classes: dict = field(default_factory=dict)
    is_package: bool = False        # an __init__.py
    state: str = "new"              # new, reading, read


@dataclass
class LazyName:
    """`from .module import name`: the name, read from that module when the code first uses it."""

    module: ModuleFile
    name: str
    node: ast.AST


def package_of(path: Path) -> tuple[Path, str]:
    """(the folder the file's top-level package lives in, the file's dotted module name): the folders
    holding an `__init__.py` above it are its packages."""
    parts = [] if path.name == "__init__.py" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def module_file(path: Path | None, text: str, tree: ast.Module, label: str) -> ModuleFile:
    """The ModuleFile of a parsed file (the model file itself: path None when it has no file on disk)."""
    if path is None:
        return ModuleFile(None, label, "", None, tree, Imports.of(tree))
    root, dotted = package_of(path)
    return ModuleFile(path, label, dotted, root, tree, Imports.of(tree), is_package=path.name == "__init__.py")


class Files:
    """The files of the tree read for one model, by path (each read once), within the budget."""

    def __init__(self, main: ModuleFile):
        self.main = main
        self.by_path: dict[Path, ModuleFile] = {}
        self.characters = 0
        if main.path is not None:
            self.by_path[main.path.resolve()] = main

    def resolve(self, importer: ModuleFile, module: str | None, level: int) -> Path | None:
        """The file an import names when it is in the tree (None: a library, or not found)."""
        if importer.path is None or importer.root is None:
            return None
        if level:
            package = importer.dotted.split(".") if importer.dotted else []
            if not importer.is_package:
                package = package[:-1]
            if level - 1 > len(package):
                return None
            base = package[:len(package) - (level - 1)]
            parts = base + (module.split(".") if module else [])
            return _module_path(importer.root, parts)
        if not module:
            return None
        parts = module.split(".")
        own = importer.dotted.split(".")[:-1] if not importer.is_package else importer.dotted.split(".")
        # the own package itself too: `from pkg.models import blocks` in pkg/models/net.py names a
        # module beside the file (or a name of the package's __init__.py), as `from . import blocks` does;
        # any module of the same top-level package when that package is not a framework the reader models
        if own and own != [""] and (parts[:len(own)] == own or parts[0] == own[0] not in FRAMEWORK_PACKAGES):
            found = _module_path(importer.root, parts)
            if found is not None:
                return found
        main = self.main.path
        if main is not None:
            return _module_path(main.parent, parts)
        return None

    def submodule(self, package: ModuleFile, name: str) -> Path | None:
        """`from . import name` where name is a module of the package."""
        if package.path is None or not package.is_package:
            return None
        return _module_path(package.path.parent, [name])

    def load(self, path: Path, node: ast.AST) -> ModuleFile:
        """The ModuleFile of `path` (parsed now the first time; its body is read by the caller)."""
        key = path.resolve()
        if key in self.by_path:
            return self.by_path[key]
        label = _label(path, self.main.path)
        if len(self.by_path) >= MAX_FILES:
            raise Unreadable(node, f"reading {label} would read more than {MAX_FILES} files of the tree; give the "
                                   "model in fewer files, or write it as a spec")
        try:
            size = path.stat().st_size
            if size > MAX_FILE_CHARACTERS * 4 or self.characters + size > MAX_CHARACTERS * 4:
                raise Unreadable(node, f"{label} is too large to read with the model")
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise Unreadable(node, f"{label} cannot be read: {exc.strerror or exc}") from None
        self.characters += len(text)
        if len(text) > MAX_FILE_CHARACTERS or self.characters > MAX_CHARACTERS:
            raise Unreadable(node, f"{label} is too large to read with the model (the files of a model hold at most "
                                   f"{MAX_CHARACTERS:,} characters)")
        for count, _ in enumerate(_TOKEN.finditer(text), 1):
            if count > MAX_FILE_TOKENS:
                raise Unreadable(node, f"{label} holds more than {MAX_FILE_TOKENS:,} tokens, the limit for a file")
        try:
            tree = ast.parse(text, str(path))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            raise Unreadable(node, f"{label} is not valid Python the reader can parse") from None
        loaded = module_file(path, text, tree, label)
        for inner in ast.walk(tree):
            inner._layerplan_module = loaded  # what file a node is from (messages name it)
        self.by_path[key] = loaded
        return loaded


def home(node: Any, main: ModuleFile) -> ModuleFile:
    """The file a syntax node is from."""
    return getattr(node, "_layerplan_module", None) or main


def public_names(module: ModuleFile) -> list[str]:
    """What `from module import *` binds: its `__all__` when it is a list of strings, else the names not
    starting with an underscore."""
    listed = module.scope.names.get("__all__")
    if isinstance(listed, (list, tuple)) and all(isinstance(n, str) for n in listed):
        return [n for n in listed if n in module.scope.names]
    return [n for n in module.scope.names if not n.startswith("_")]


def public_imports(module: ModuleFile) -> dict[str, str]:
    """The library names `from module import *` binds besides its own (`nn` of its `import torch.nn as nn`):
    those its `__all__` lists when it has one, else those not starting with an underscore; name -> dotted name."""
    listed = module.scope.names.get("__all__")
    if isinstance(listed, (list, tuple)) and all(isinstance(n, str) for n in listed):
        return {n: module.imports.names[n] for n in listed if n in module.imports.names}
    return {n: dotted for n, dotted in module.imports.names.items() if not n.startswith("_")}


def _module_path(root: Path, parts: list[str]) -> Path | None:
    if not parts or any(not p.isidentifier() for p in parts):
        return None
    base = root.joinpath(*parts)
    for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _label(path: Path, main: Path | None) -> str:
    if main is not None:
        try:
            return str(path.resolve().relative_to(main.resolve().parent))
        except ValueError:
            pass
        parts = path.parts
        return "/".join(parts[-3:])
    return path.name
