"""The rich Console of the table format: colour from --color, NO_COLOR and FORCE_COLOR; on a pipe or a
file, the table at its natural width."""

from __future__ import annotations

import os
import sys

#: The width of a Console that does not write to a terminal. rich needs a width and narrows a table
#: that is wider (cutting shapes and counts short with '…'); this one is far wider than the table of
#: any real spec, so on a pipe or a file a table keeps its natural width, whatever COLUMNS says.
PIPE_WIDTH = 100_000


def use_color(color: str = "auto", stream=None) -> bool:
    """--color always/never wins; with auto, NO_COLOR (non-empty) turns colour off, FORCE_COLOR (non-empty)
    turns it on, else colour when the stream is a terminal (https://no-color.org)."""
    if color == "always":
        return True
    if color == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream if stream is not None else sys.stdout
    return _is_terminal(stream)


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def pipe_safe_console(**options):
    """A rich Console (with rich's own `options`) that raises BrokenPipeError when its reader goes away,
    instead of exiting with rich's status 1, which would read as "spec invalid": the command decides
    (cli.output.reader_may_leave stops quietly with the status the run earned)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console(**options)


def make_console(color: str = "auto", stream=None):
    """A rich Console writing to `stream` (stdout when None), coloured as `use_color` decides. On a
    terminal rich takes the terminal's width and wraps; elsewhere lines are never wrapped or cut
    (`PIPE_WIDTH`, soft wrap). A reader that goes away raises BrokenPipeError for the command to handle."""
    stream = stream if stream is not None else sys.stdout
    colored = use_color(color, stream)
    terminal = _is_terminal(stream)
    return pipe_safe_console(
        file=stream,
        force_terminal=colored,
        no_color=not colored,
        color_system="auto" if colored else None,
        width=None if terminal else PIPE_WIDTH,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=not terminal,
    )
