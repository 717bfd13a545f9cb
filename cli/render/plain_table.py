"""The table format written as plain text, without importing rich, where rich would print plain text.

`layerplan plan` on a pipe, a file or CI logs prints without colour (`--color never`, NO_COLOR, or
auto on a stream that is not a terminal without FORCE_COLOR), on a Console whose width is COLUMNS or
1000 and which soft-wraps: rich then prints every line as it is (no wrapping, no cropping, the title
whole and not centred) and no styles. What it prints is the title, the table (`LayerTable`: rich's Table
whenever it could lay the table out differently), the params line and one line per diagnostic. Here that
text is made directly, so importing rich (a quarter of the start-up) is skipped.

`plain_width` says whether a stream gets plain text at all; `plain_report` makes one report's text, or
None when rich could print anything differently: the table would go to rich's Table (wider than the
console, no columns, a character that is not printable), or the title, the params line or a diagnostic
holds a character that is not printable (rich expands tabs, splits lines at newlines, strips control
codes). Then that report is printed by rich as before (`cli.render.table.print_tables`).
tests/cli/test_plain_table.py prints reports both ways and checks the bytes are the same.
"""

from __future__ import annotations

import builtins
import sys


def plain_width(color: str, stream) -> int | None:
    """The width of the Console `make_console(color, stream)` would make when that Console prints plain
    text with soft wrap on a UTF-8 stream (no colour, not a terminal), else None: rich must print."""
    from cli.render.console import _columns_from_environment, use_color

    if use_color(color, stream):
        return None
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):  # make_console counts these as not a terminal too
        pass
    # rich draws an ASCII box unless the encoding is UTF (Console.encoding), has a legacy renderer on
    # Windows and shows output in the notebook under Jupyter (when get_ipython exists).
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf") or sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return None
    return _columns_from_environment()


def plain_report(report, width: int, columns=None, unfold: bool = False) -> str | None:
    """What `render_table(report, console, columns, unfold)` prints on the plain Console `width` wide
    (see `plain_width`), or None when rich could print it differently."""
    from cli.render.table import diagnostic_pieces, params_line, plain_layer_table

    table = plain_layer_table(report, columns, unfold).plain_text(width)
    if table is None:
        return None
    lines = []
    params = params_line(report)
    if params is not None:
        lines.append(params)
    for diagnostic in report.diagnostics:
        lines.append("".join(text for text, _ in diagnostic_pieces(diagnostic, report)))
    # the table's characters were checked by plain_text; these lines are printed as rich Texts
    if not all(line.isprintable() for line in lines):
        return None
    return table + "".join(line + "\n" for line in lines)
