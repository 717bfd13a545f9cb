"""Values a user gives the reader from outside the file: the arguments of the selected class or
function (`PATH.py::NAME(ARGS)`) and the values of names (`--set NAME=VALUE`, the command-line form of a
`# layerplan: NAME = VALUE` comment). Both are Python literals, read with `ast.literal_eval`, never run.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: NAME or a dotted NAME.ATTRIBUTE... of `--set`
_SETTING_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\Z")
#: the longest selector or setting text read (a literal list of a few thousand numbers)
MAX_GIVEN_CHARACTERS = 100_000


@dataclass(frozen=True)
class Selection:
    """`NAME` or `NAME(ARGS)` after `::`: the model to plan and, when called, its literal arguments."""

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    called: bool = False  # written with parentheses (even empty ones)

    @property
    def written(self) -> str:
        """The selector as a user writes it.

        >>> parse_selection("Net(3, width=8)").written
        'Net(3, width=8)'
        """
        if not self.called:
            return self.name
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"


def parse_selection(text: str) -> Selection:
    """The model NAME of `PATH.py::NAME` and, for `NAME(ARGS)`, its arguments, which must be literals.

    >>> parse_selection("VGG('VGG19')")
    Selection(name='VGG', args=('VGG19',), kwargs={}, called=True)
    >>> parse_selection("UNet(n_channels=3, n_classes=2)").kwargs
    {'n_channels': 3, 'n_classes': 2}
    >>> parse_selection("Net(size)")
    Traceback (most recent call last):
    ValueError: the arguments of Net(...) must be Python literals (numbers, strings, True, False, None, and tuples, lists and dicts of them): `size` is not one
    """
    text = text.strip()
    if "(" not in text:
        return Selection(text)
    if len(text) > MAX_GIVEN_CHARACTERS:
        raise ValueError(f"the arguments after :: are over the limit of {MAX_GIVEN_CHARACTERS:,} characters")
    try:
        call = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ValueError(f"`{text}` is not NAME(ARGS) with Python literals as its arguments") from None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        raise ValueError(f"`{text}` is not NAME(ARGS): give the name of a class or function of the file, then its "
                         "arguments in parentheses")
    name = call.func.id
    args = tuple(_literal(argument, name) for argument in call.args)
    kwargs = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ValueError(f"the arguments of {name}(...) are written out one by one (no **)")
        kwargs[keyword.arg] = _literal(keyword.value, name)
    return Selection(name, args, kwargs, called=True)


def _literal(node: ast.AST, name: str) -> Any:
    if isinstance(node, ast.Starred):
        raise ValueError(f"the arguments of {name}(...) are written out one by one (no *)")
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(f"the arguments of {name}(...) must be Python literals (numbers, strings, True, False, "
                         f"None, and tuples, lists and dicts of them): `{ast.unparse(node)}` is not one") from None


def parse_setting(text: str) -> tuple[str, Any]:
    """One `--set NAME=VALUE`: a name (dotted names set an attribute: `opt.img_size`) and a literal value.

    >>> parse_setting("opt.img_size=64"), parse_setting("layers = [64, 128]")
    (('opt.img_size', 64), ('layers', [64, 128]))
    >>> parse_setting("width=big")
    Traceback (most recent call last):
    ValueError: the value of width must be a Python literal (a number, a string in quotes, True, False, None, or a tuple, list or dict of them): `big` is not one
    """
    name, equals, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not equals or not _SETTING_NAME.match(name):
        raise ValueError(f"`{text}` is not NAME=VALUE (NAME a Python name, or a dotted one such as opt.img_size)")
    if len(value) > MAX_GIVEN_CHARACTERS:
        raise ValueError(f"the value of {name} is over the limit of {MAX_GIVEN_CHARACTERS:,} characters")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(f"the value of {name} must be a Python literal (a number, a string in quotes, True, False, "
                         f"None, or a tuple, list or dict of them): `{value}` is not one") from None


def parse_settings(texts: Iterable[str]) -> dict[str, Any]:
    """Every `--set NAME=VALUE` of a command line, the last one of a name winning.

    >>> parse_settings(["hidden=64", "opt.channels=3", "hidden=32"])
    {'hidden': 32, 'opt.channels': 3}
    """
    return dict(parse_setting(text) for text in texts)


def split_settings(settings: Mapping[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(plain names, dotted names) of given settings: a plain name replaces the code's value of that name, a
    dotted one an attribute of whatever the name holds. Each name must be a Python name (dotted or not)
    and each value what a literal makes (else ValueError).

    >>> split_settings({"hidden": 64, "opt.img_size": 32})
    ({'hidden': 64}, {'opt.img_size': 32})
    >>> split_settings({"f": print})
    Traceback (most recent call last):
    ValueError: the value given for f must be plain data (numbers, strings, True, False, None, and tuples, lists and dicts of them)
    """
    plain, dotted = {}, {}
    for name, value in (settings or {}).items():
        if not isinstance(name, str) or not _SETTING_NAME.match(name):
            raise ValueError(f"{name!r} is not a Python name or a dotted one such as opt.img_size")
        if not _plain_data(value):
            raise ValueError(f"the value given for {name} must be plain data (numbers, strings, True, False, None, "
                             "and tuples, lists and dicts of them)")
        (dotted if "." in name else plain)[name] = value
    return plain, dotted


def _plain_data(value: Any) -> bool:
    """Whether a value is what a Python literal makes (checked without recursion: it may nest deeply)."""
    stack, seen = [value], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > MAX_GIVEN_CHARACTERS:
            return False
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif not (item is None or isinstance(item, (bool, int, float, str))):
            return False
    return True
