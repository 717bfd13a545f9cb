"""Rendering of `diff` data (planner.port) for people: one line per differing layer, then its notes,
wrapped to the terminal (or 80 columns on a pipe) and never cut."""

from __future__ import annotations

from layerplan.render.common import shape_text as _shape
from layerplan.render.escape import terminal


def render_diff(payload: dict, *, show_all: bool = False, console=None) -> None:
    from layerplan.render.console import pipe_safe_console
    from rich.padding import Padding
    from rich.text import Text

    console = console or pipe_safe_console(highlight=False)
    source = payload["source_framework"]
    console.print(Text(terminal(f"{payload['file']}: written for {source}; input torch {_shape(payload['input']['torch'])}, "
                       f"keras {_shape(payload['input']['keras'])}"), style="bold"))
    for row in (row for row in payload["layers"] if show_all or row["differences"]):
        t, k = row["torch"], row["keras"]
        head = Text(f"{row['index']} ", style="bold")
        head.append(terminal(row["name"]), style="bold")
        head.append(terminal(f" ({row['type']}): torch {_output(t)}, keras {_output(k)}; "
                    f"params {_n(t['params'])} / {_n(k['params'])}"))
        console.print(head)
        notes = ([row["ported"]] if row["ported"] else []) + list(row["differences"])
        for note in notes or ["same"]:
            style = "" if row["differences"] else "dim"
            console.print(Padding(Text(terminal(f"- {note}"), style=style), (0, 0, 0, 4), expand=False))
    totals = payload["total_params"]
    console.print(Text(f"total params: torch {_n(totals['torch'])}, keras {_n(totals['keras'])}; output torch "
                       f"{_shape(payload['output']['torch'])}, keras {_shape(payload['output']['keras'])}"))
    for note in payload["spec_notes"]:
        console.print(Text(terminal(note), style="yellow"))
    console.print(Text("same in both frameworks" if payload["same"] else "the frameworks differ",
                       style="green" if payload["same"] else "bold yellow"))


def _output(side: dict) -> str:
    """A side's output; a split or chunk shows each output, comma-separated as the plan table does."""
    if "outputs" in side:
        return ", ".join(_shape(shape) for shape in side["outputs"])
    return _shape(side["output"])


def _n(value) -> str:
    return "?" if value is None else f"{value:,}"
