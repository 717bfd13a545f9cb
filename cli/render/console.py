"""The rich Console for human formats: colour from --color, NO_COLOR and FORCE_COLOR; plain text on a pipe."""

from __future__ import annotations

import os
import sys

COLOR_CHOICES = ("auto", "always", "never")


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
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


def _columns_from_environment() -> int:
    """COLUMNS as a width for a pipe (1000 when unset or not a sensible number: COLUMNS=abc must not fail)."""
    try:
        width = int(os.environ.get("COLUMNS") or 0)
    except ValueError:
        return 1000
    return width if 0 < width <= 100_000 else 1000


def make_console(color: str = "auto", stream=None):
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich exits with status 1 here, which would read as "spec invalid"; let the command
            # decide (it stops quietly with the status the plan earned).
            self.quiet = True
            raise BrokenPipeError

    stream = stream if stream is not None else sys.stdout
    colored = use_color(color, stream)
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    # On a pipe a table keeps its natural width (rich would wrap it at 80 columns) and has no styles.
    return _Console(
        file=stream,
        force_terminal=colored,
        no_color=not colored,
        color_system="auto" if colored else None,
        width=None if terminal else _columns_from_environment(),
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=not terminal,
    )
