"""A script's command-line options (`argparse`), read as running the script without arguments gives
them: each `add_argument(..., default=...)` is an attribute of the namespace `parse_args()` returns.

The rules are argparse's: the attribute is `dest=`, else the first long option (`--img-size` ->
`img_size`), else the first short one; a string default goes through `type=` (the builtins int, float,
str and bool only: another converter would have to run); `store_true` defaults to False and
`store_false` to True; no default is None. An option the script needs on its command line (a required
option or positional argument), a default the reader cannot convert, or an option the reader could not
read has no value: it fails where the model uses it, with the fix (`--set opt.NAME=VALUE`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from .source import Unreadable
from .values import Qualified

#: The interpreter (planner/model_code/evaluate.py); not imported here, so the modules import one way only.
Interpreter = Any

#: argparse's type converters the reader applies to a string default (they are pure)
_CONVERTERS = {"builtins.int": int, "builtins.float": float, "builtins.str": str, "builtins.bool": bool}
#: actions and the default they give when the script has none
_ACTION_DEFAULTS = {"store_true": False, "store_false": True}
#: actions that make no attribute
_NO_ATTRIBUTE = ("help", "version")


@dataclass
class Missing:
    """An option without a value the reader can know: why, said where the model uses it."""

    reason: str


@dataclass
class Namespace:
    """What `parser.parse_args()` returns (or the object `--set args.NAME=VALUE` makes): attributes."""

    values: dict[str, Any]
    node: ast.AST | None = None
    given: bool = False  # made by --set only (no parser behind it)

    def attribute(self, name: str, node: ast.Attribute) -> Any:
        """The value of `namespace.name`, or an error at `node` that says why it has none and the fix."""
        owner = ast.unparse(node.value)
        fix = f"give it with --set {owner}.{name}=VALUE"
        if name not in self.values:
            where = "no option of the script's parser that the reader read" if not self.given \
                else "no value given"
            raise Unreadable(node, f"{owner}.{name} has {where}; {fix}")
        value = self.values[name]
        if isinstance(value, Missing):
            raise Unreadable(node, f"{owner}.{name} has no value without running the script ({value.reason}); {fix}")
        return value


@dataclass
class ArgumentParser:
    """An `argparse.ArgumentParser()` (or one of its groups, which write to the same namespace)."""

    options: dict[str, Any] = field(default_factory=dict)


def make_parser(it: Interpreter, args: list, kwargs: dict, node: ast.Call) -> ArgumentParser:
    """`argparse.ArgumentParser(...)`: its description, prog and formatting change no option."""
    return ArgumentParser()


def parser_method(it: Interpreter, parser: ArgumentParser, name: str, args: list, kwargs: dict,
                  node: ast.Call) -> Any:
    """`parser.add_argument(...)`, `set_defaults(...)`, its groups, `parse_args()` / `parse_known_args()`."""
    if name == "add_argument":
        _add_argument(parser, args, kwargs)
        return None
    if name == "set_defaults":
        parser.options.update(kwargs)
        return None
    if name in ("add_argument_group", "add_mutually_exclusive_group"):
        return parser
    if name in ("parse_args", "parse_known_args"):
        target = f"{it.hint}." if it.hint else "NAME."
        it.note("defaults-taken", ("argparse",), node,
                f"the script's command-line options are taken at their defaults, as running it without arguments "
                f"gives them (the code is never run); give another value with --set {target}OPTION=VALUE")
        namespace = Namespace(dict(parser.options), node)
        return namespace if name == "parse_args" else (namespace, [])
    raise Unreadable(node, f"ArgumentParser.{name}() is not read; give the values the model needs with "
                           "--set NAME=VALUE")


def _add_argument(parser: ArgumentParser, args: list, kwargs: dict) -> None:
    flags = [a for a in args if isinstance(a, str)]
    if not flags:
        return
    action = kwargs.get("action", "store")
    if action in _NO_ATTRIBUTE:
        return
    positional = not flags[0].startswith("-")
    dest = kwargs.get("dest") or _dest(flags)
    if not isinstance(dest, str):
        return
    if "default" in kwargs and isinstance(kwargs["default"], Qualified) and kwargs["default"].name == "argparse.SUPPRESS":
        return
    if kwargs.get("required") or positional and kwargs.get("nargs") not in ("?", "*"):
        parser.options[dest] = Missing(f"the script needs {flags[0]} on its command line")
        return
    if not isinstance(action, str):
        parser.options[dest] = Missing(f"the option {flags[0]} is stored by an action of the script's own")
        return
    default = kwargs.get("default", _ACTION_DEFAULTS.get(action, [] if positional and kwargs.get("nargs") == "*"
                                                          else None))
    parser.options[dest] = _converted(default, kwargs.get("type"), flags[0])


def _dest(flags: list[str]) -> str:
    """argparse's attribute name of an option: the first long option, else the first short one, else the
    positional name; dashes become underscores.

    >>> _dest(["-s", "--img-size"]), _dest(["-n"]), _dest(["data_root"])
    ('img_size', 'n', 'data_root')
    """
    long = [f for f in flags if f.startswith("--")]
    chosen = long[0] if long else flags[0]
    return chosen.lstrip("-").replace("-", "_")


def _converted(default: Any, converter: Any, flag: str) -> Any:
    """A string default goes through `type=` as argparse does; other defaults are kept as they are.

    >>> _converted("64", Qualified("builtins.int"), "--size"), _converted(0.5, Qualified("builtins.int"), "--rate")
    (64, 0.5)
    """
    if not isinstance(default, str) or converter is None:
        return default
    function = _CONVERTERS.get(converter.name) if isinstance(converter, Qualified) else None
    if function is None:
        return Missing(f"its default {default!r} is converted by a function of the script, which the reader does "
                       "not run")
    try:
        return function(default)
    except ValueError:
        return Missing(f"its default {default!r} is not a valid {converter.name.rpartition('.')[2]}")
