"""A spec written back as YAML text, with the comments of the text it came from where they survive.

Each top-level key, block body and layer entry is one anchor: a comment on its own line belongs to the
next anchor, a comment at the end of a line to the anchor that line belongs to; comments after the
last anchor end the file. Values are written in YAML's flow style, one layer a line.

>>> text = "input: [1, 8, 8]  # one grey image\\nlayers:\\n  # the only layer\\n  - flatten\\n"
>>> from layerplan.planner.spec_text import load_text
>>> print(spec_yaml({"input": [8, 8, 1], "layers": ["flatten"]}, load_text(text), text), end="")
input: [8, 8, 1]  # one grey image
layers:
  # the only layer
  - flatten
"""

from __future__ import annotations

from typing import Any

import yaml

from .spec_text import escape_pointer_token
from .yaml12 import core_tag


class _SpecDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with text written so that it reads back as the same text: a string with a
    character that is not printable (a line break of any kind, a control, NUL) double-quoted, where YAML
    writes it as an escape, so the value stays on its line; text that YAML 1.2 (how specs are read)
    would read as a number, a boolean or null single-quoted: `'1e3'`, `'0o10'` (PyYAML itself quotes
    only what YAML 1.1 would read so, as `'yes'`)."""


def _represent_text(dumper, text: str):
    style = '"' if not text.isprintable() else "'" if core_tag(text) != "str" else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_SpecDumper.add_representer(str, _represent_text)


def flow(value: Any) -> str:
    """One value in YAML flow style, on one line.

    >>> flow({"filters": 8, "padding": "same", "kernel_size": [3, 3]}), flow("yes"), flow(None)
    ('{filters: 8, padding: same, kernel_size: [3, 3]}', "'yes'", 'null')
    >>> print(flow({"name": "a" + chr(0x2028) + "b" + chr(0x85) + "c" + chr(13) + "d"}))
    {name: "a\\Lb\\Nc\\rd"}
    """
    text = yaml.dump(value, Dumper=_SpecDumper, default_flow_style=True, sort_keys=False, width=1 << 30,
                     allow_unicode=True)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")].strip()
    elif text.endswith("..."):
        text = text[:-3].strip()
    return text


def comment_of(line: str) -> str | None:
    """The comment a YAML line ends with (a # at the start or after a blank, outside quotes), or None.

    >>> comment_of("  - conv2d: {filters: 8}  # stem"), comment_of("name: 'a # b'"), comment_of("# all")
    ('# stem', None, '# all')
    """
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i:].rstrip()
    return None


def _entry(item: Any) -> str:
    if isinstance(item, dict) and len(item) == 1:
        (key, body), = item.items()
        if isinstance(key, str) and key != "block":
            return f"{flow(key)}: {flow(body)}"
    return flow(item)


def _block_layers(body: Any) -> list | None:
    """The layers of a block as written: a list, or the `layers:` of a block with arguments."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and isinstance(body.get("layers"), list) and set(body) <= {"args", "layers"}:
        return body["layers"]
    return None


def spec_yaml(data: dict, document=None, text: str | None = None,
              extra: dict[str, list[str]] | None = None) -> str:
    """`data` as YAML; `document` and `text` (the source, as load_text read it) give the comments, and
    `extra` comment lines to put before an anchor (a JSON pointer such as "/layers/2")."""
    lines: list[tuple[str, str, str]] = []  # (pointer, indentation, text)
    for key, value in data.items():
        pointer = "/" + escape_pointer_token(key)
        if key == "layers" and isinstance(value, list):
            lines.append((pointer, "", f"{flow(key)}:"))
            lines += [(f"{pointer}/{i}", "  ", f"- {_entry(item)}") for i, item in enumerate(value)]
        elif key == "blocks" and isinstance(value, dict) and all(_block_layers(v) is not None for v in value.values()):
            lines.append((pointer, "", f"{flow(key)}:"))
            for name, body in value.items():
                block = f"{pointer}/{escape_pointer_token(name)}"
                lines.append((block, "  ", f"{flow(name)}:"))
                if isinstance(body, list):
                    lines += [(f"{block}/{i}", "    ", f"- {_entry(item)}") for i, item in enumerate(body)]
                    continue
                # a block with arguments: {args: ..., layers: [...]}, its layers one a line
                for part, part_value in body.items():
                    if part == "layers":
                        lines.append((f"{block}/layers", "    ", "layers:"))
                        lines += [(f"{block}/layers/{i}", "      ", f"- {_entry(item)}")
                                  for i, item in enumerate(part_value)]
                    else:
                        lines.append((f"{block}/{escape_pointer_token(part)}", "    ", f"{flow(part)}: {flow(part_value)}"))
        else:
            lines.append((pointer, "", f"{flow(key)}: {flow(value)}"))
    before, after, footer = _comments(document, text, [p for p, _, _ in lines])
    out = []
    for pointer, indent, body in lines:
        out += [f"{indent}{c}" for c in before.get(pointer, [])]
        out += [f"{indent}# {line}" for line in (extra or {}).get(pointer, [])]
        trailing = after.get(pointer)
        out.append(f"{indent}{body}" + (f"  {' '.join(trailing)}" if trailing else ""))
    return "\n".join(out + footer) + "\n"


def _comments(document, text: str | None, pointers: list[str]):
    """Comments of the source text by anchor: (before, after, footer)."""
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    if document is None or not text:
        return before, after, []
    starts = []
    for pointer in pointers:
        depth = pointer.count("/")
        position = document.locate(pointer, key=depth == 1 or pointer.startswith("/blocks/") and depth == 2)
        if position is not None and document.locate(pointer) is not None and _exists(document.data, pointer):
            starts.append((position[0], pointer))
    starts.sort()
    for number, line in enumerate(text.splitlines(), start=1):
        comment = comment_of(line)
        if comment is None or line.strip() == comment:
            continue
        owner = None
        for start, pointer in starts:
            if start <= number:
                owner = pointer
        if owner is not None:
            after.setdefault(owner, []).append(comment)
    # full-line comments go before the first anchor that starts after them
    pending = []
    for number, line in enumerate(text.splitlines(), start=1):
        comment = comment_of(line)
        if comment is None or line.strip() != comment:
            continue
        nxt = next((p for n, p in starts if n > number), None)
        if nxt is None:
            pending.append(comment)
        else:
            before.setdefault(nxt, []).append(comment)
    return before, after, pending


def _exists(data: Any, pointer: str) -> bool:
    node = data
    for token in pointer.strip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return False
    return True
