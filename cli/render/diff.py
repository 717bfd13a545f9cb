"""Rendering of `diff` data (planner.port) for people."""

from __future__ import annotations

from layerplan.render.common import shape_text as _shape


def render_diff(payload: dict, *, show_all: bool = False, console=None) -> None:
    from layerplan.render.console import pipe_safe_console
    from rich.table import Table
    from rich.text import Text

    console = console or pipe_safe_console(highlight=False)
    source = payload["source_framework"]
    console.print(Text(f"{payload['file']}: written for {source}; input torch {_shape(payload['input']['torch'])}, "
                       f"keras {_shape(payload['input']['keras'])}", style="bold"))
    rows = [row for row in payload["layers"] if show_all or row["differences"]]
    if rows:
        table = Table(header_style="bold", show_lines=True)
        table.add_column("#", justify="right")
        table.add_column("name")
        table.add_column("torch output", justify="right")
        table.add_column("keras output", justify="right")
        table.add_column("params t/k", justify="right")
        table.add_column("differences")
        for row in rows:
            t, k = row["torch"], row["keras"]
            params = f"{_n(t['params'])} / {_n(k['params'])}"
            notes = list(row["differences"])
            if row["ported"]:
                notes.insert(0, row["ported"])
            table.add_row(str(row["index"]), Text(row["name"]), _output(t), _output(k),
                          params, Text("\n".join(notes) or "same", style="" if row["differences"] else "dim"))
        console.print(table)
    totals = payload["total_params"]
    console.print(Text(f"total params: torch {_n(totals['torch'])}, keras {_n(totals['keras'])}; output torch "
                       f"{_shape(payload['output']['torch'])}, keras {_shape(payload['output']['keras'])}"))
    for note in payload["spec_notes"]:
        console.print(Text(note, style="yellow"))
    console.print(Text("same in both frameworks" if payload["same"] else "the frameworks differ",
                       style="green" if payload["same"] else "bold yellow"))


def _output(side: dict) -> str:
    """The output cell: each output of a split or chunk, comma-separated as the plan table shows them."""
    if "outputs" in side:
        return ", ".join(_shape(shape) for shape in side["outputs"])
    return _shape(side["output"])


def _n(value) -> str:
    return "?" if value is None else f"{value:,}"
