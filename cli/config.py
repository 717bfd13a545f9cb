"""`[tool.layerplan]` in the nearest pyproject.toml: project defaults for `layerplan check`.

The search starts in the current directory and walks up to the filesystem root, stopping at the
first pyproject.toml that has a `[tool.layerplan]` table, or at a repository root (a directory with
.git or .hg), like black and ruff. Command-line options always win over the file.

    [tool.layerplan]
    framework = "torch"          # plan every spec with this framework's rules
    strict = true                # warnings fail too
    format = "text"              # text | github | sarif | junit | json | jsonl
    paths = ["models/specs"]     # what `layerplan check` checks when no path is given
    include = ["specs/**/*.yaml"]  # directory files to check without sniffing (default: spec-looking *.yaml/*.yml/*.json)
    exclude = ["specs/legacy/*"] # files and directories to skip while walking directories
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: key -> (check, description of accepted values). Keys may be written with - or _.
_STRINGS = "a list of strings"


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


KEYS: dict[str, tuple[Any, str]] = {
    "framework": (lambda v: v in ("torch", "keras"), '"torch" or "keras"'),
    "strict": (lambda v: isinstance(v, bool), "true or false"),
    "format": (lambda v: isinstance(v, str), "a format name"),
    "paths": (_is_strings, _STRINGS),
    "include": (_is_strings, _STRINGS),
    "exclude": (_is_strings, _STRINGS),
}


class ConfigError(Exception):
    """pyproject.toml is unreadable or its [tool.layerplan] table is wrong."""


@dataclass
class Config:
    """Defaults read from a pyproject.toml (empty when there is none)."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None  # the pyproject.toml they came from

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def resolve_paths(self, key: str) -> list[str]:
        """Path-like values are relative to the directory of the pyproject.toml that set them."""
        values = self.values.get(key) or []
        if self.path is None:
            return list(values)
        base = self.path.parent
        return [os.path.relpath(base / v) if not os.path.isabs(v) else v for v in values]


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml with a [tool.layerplan] table, searching upward from `start`."""
    directory = (start or Path.cwd()).resolve()
    for candidate in (directory, *directory.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and "[tool.layerplan" in _read(path):
            return path
        if (candidate / ".git").exists() or (candidate / ".hg").exists():
            return None
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read [tool.layerplan] from `path`, or from the nearest pyproject.toml that has it."""
    import tomllib

    if path is None:
        path = find_pyproject(start)
        if path is None:
            return Config()
    try:
        document = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = document.get("tool", {}).get("layerplan", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.layerplan] must be a table")
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in KEYS:
            from layerplan.planner.suggest import did_you_mean

            raise ConfigError(f"{path}: [tool.layerplan] has no setting {raw_key!r}{did_you_mean(key, KEYS)} "
                              f"(it takes {', '.join(KEYS)})")
        check, accepted = KEYS[key]
        if not check(value):
            raise ConfigError(f"{path}: [tool.layerplan] {raw_key} must be {accepted}, got {value!r}")
        values[key] = value
    return Config(values, path)
