"""Text rendering of `explain` data (planner.explain): one block per layer, optional axis sketches."""

from __future__ import annotations

import textwrap

from layerplan.render.common import diagnostic_line, shape_text
from layerplan.render.escape import terminal

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SHOWN_WINDOWS = 3  # first and last windows drawn in a sketch


def sketch_lines(axis: dict) -> list[str]:
    """An ASCII drawing of one axis: the padded input, each window's taps, the cells never read.

    >>> axis = {"axis": "W", "sketch": {"padded": 7, "pad_before": 0, "pad_after": 0, "starts": [0, 2],
    ...         "taps": [0, 1, 2], "unread": [6], "drawable": True}}
    >>> print("\\n".join(sketch_lines(axis)))
    W: 7 input cells, padding 0 before / 0 after ('.' padding, digits: cell index mod 10, 'x': never read)
      cells      0123456
      window 1   ###
      window 2     ###
      unread           x
    """
    sketch = axis.get("sketch")
    if not sketch or not sketch.get("drawable"):
        return []
    before, after, padded = sketch["pad_before"], sketch["pad_after"], sketch["padded"]
    length = padded - before - after
    cells = "." * before + "".join(str(i % 10) for i in range(length)) + "." * after
    lines = [f"{axis['axis']}: {length} input cells, padding {before} before / {after} after "
             "('.' padding, digits: cell index mod 10, 'x': never read)",
             f"  cells      {cells}"]
    starts = sketch["starts"]
    shown = list(enumerate(starts))
    if len(starts) > 2 * SHOWN_WINDOWS:
        shown = shown[:SHOWN_WINDOWS] + [None] + shown[-SHOWN_WINDOWS:]
    for item in shown:
        if item is None:
            lines.append(f"  {'...':<10} ({len(starts) - 2 * SHOWN_WINDOWS} more windows, one every "
                         f"{starts[1] - starts[0]} cells)")
            continue
        number, start = item
        row = [" "] * padded
        span = sketch["taps"][-1] + 1
        for offset in range(span):
            if start + offset < padded:
                row[start + offset] = "-"
        for tap in sketch["taps"]:
            if start + tap < padded:
                row[start + tap] = "#"
        lines.append(f"  {'window ' + str(number + 1):<10} {''.join(row).rstrip()}")
    if sketch["unread"]:
        row = [" "] * padded
        for cell in sketch["unread"]:
            row[before + cell] = "x"
        lines.append(f"  {'unread':<10} {''.join(row).rstrip()}")
    return lines


def _same_numbers(a: dict, b: dict) -> bool:
    keys = ("input", "output", "steps")
    return all(a.get(k) == b.get(k) for k in keys) and (a.get("sketch") or {}).get("starts") == \
        (b.get("sketch") or {}).get("starts") and (a.get("sketch") or {}).get("pad_before") == \
        (b.get("sketch") or {}).get("pad_before")


def brief_line(layer: dict) -> str:
    """One layer in one line: its index, name and type, its shape formula per axis with the numbers
    substituted (an axis with the same numbers as the one before says so), output shape and params.

    >>> layer = {"index": 2, "summary": "pool: max_pool2d, 8x28x28 -> 8x14x14, 0 params", "axes": [
    ...     {"axis": "H", "input": 28, "output": 14, "steps": ["o = floor((i - k) / s) + 1",
    ...      "  = floor((28 - 2) / 2) + 1", "  = floor(26 / 2) + 1", "  = 14"]},
    ...     {"axis": "W", "input": 28, "output": 14, "steps": ["o = floor((i - k) / s) + 1",
    ...      "  = floor((28 - 2) / 2) + 1", "  = floor(26 / 2) + 1", "  = 14"]}]}
    >>> brief_line(layer)
    '2  pool: max_pool2d, 8x28x28 -> 8x14x14, 0 params · H: o = floor((28 - 2) / 2) + 1 = 14; W: the same'
    """
    parts, previous = [], None
    for axis in layer.get("axes", []):
        steps = [step.strip().lstrip("=").strip() for step in axis.get("steps", [])]
        if previous is not None and previous.get("steps") == axis.get("steps"):
            parts.append(f"{axis['axis']}: the same")
        elif len(steps) >= 3:
            parts.append(f"{axis['axis']}: o = {steps[1]} = {steps[-1]}")
        elif steps:
            parts.append(f"{axis['axis']}: {axis['input']} -> {'?' if axis['output'] is None else axis['output']}")
        previous = axis
    return f"{layer['index']}  {layer['summary']}" + (" · " + "; ".join(parts) if parts else "")


def render_explain(payload: dict, *, sketch: bool = False, brief: bool = False, console=None) -> None:
    """Print explain's data (planner.explain) for people on a rich Console (`make_console`: never
    wrapped on a pipe); `brief`: one line per layer (`brief_line`)."""
    from layerplan.render.console import make_console
    from rich.text import Text

    console = console or make_console()

    def line(text: str, style: str = "", indent: int = 0) -> None:
        for part in hanging_lines(terminal(text), console.width, indent):
            console.print(Text(part, style=style), soft_wrap=True)

    line(f"{payload['file']} · {payload['framework']} · input {shape_text(payload['input'])} -> output "
         f"{shape_text(payload['output'])}", "bold")
    # a problem of the input itself (its layout) is read first: it explains the numbers below
    first = [p for p in payload.get("spec_problems", []) if p.get("name") == "layout-mismatch"]
    for problem in first:
        _problem(line, problem, indent=0, file=payload['file'])
    for path in payload.get("path", []):
        line(f"{path['axis']}: " + " -> ".join(str(s) for s in path["sizes"])
             + (f"  ({'; '.join(path['notes'])})" if path.get("notes") else ""), indent=2)
    for layer in payload["layers"]:
        if brief:
            line(brief_line(layer))
            for problem in layer["problems"]:
                _problem(line, problem, indent=2, file=payload['file'])
            continue
        console.print()
        for text, style, indent in layer_lines(layer, sketch, payload['file']):
            line(text, style, indent)
    rest = [p for p in payload.get("spec_problems", []) if p not in first]
    if rest or payload.get("spec_fixes"):
        console.print()
        for problem in rest:
            _problem(line, problem, indent=0, file=payload['file'])
        if payload.get("spec_fixes"):
            line("one-layer changes that make the spec pass (layerplan solve expect SPEC lists them all):", "bold")
            for fix in payload["spec_fixes"]:
                line(fix["text"], indent=2)
    if not brief:  # the brief lines count no MACs
        console.print()
        line(f"MAC convention: {payload['convention']}", "dim")


#: how much deeper than its line a wrapped line's continuation starts, so that it never reads as a
#: heading (`params`) or as the next line
HANGING = 4


def hanging_lines(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` indented by `indent`, wrapped at spaces to `width` (a word longer than the line stays
    whole), each continuation indented `HANGING` more than the line it continues.

    >>> hanging_lines("kernel volume 3x3 = 9 x input channels 1", 24, indent=4)
    ['    kernel volume 3x3 =', '        9 x input', '        channels 1']
    >>> hanging_lines("short", 80, indent=2)
    ['  short']
    """
    first = " " * indent
    return textwrap.wrap(text, width=max(width, indent + HANGING + 1), initial_indent=first,
                         subsequent_indent=first + " " * HANGING, break_long_words=False, break_on_hyphens=False,
                         drop_whitespace=True) or [first]


def _problem(line, problem: dict, indent: int, file: str) -> None:
    for text, style, at in problem_lines(problem, indent, file):
        line(text, style, at)


def problem_lines(problem: dict, indent: int, file: str) -> list[tuple[str, str, int]]:
    """A diagnostic (and its fix) as (text, rich style, indent) lines."""
    lines = [(diagnostic_line(problem, file), STYLE.get(problem["severity"], ""), indent)]
    if problem.get("fix"):
        lines.append((f"fix: {problem['fix']}", "green", indent + 2))
    return lines


def layer_lines(layer: dict, sketch: bool = False, file: str = "") -> list[tuple[str, str, int]]:
    """One layer of `explain` data as (text, rich style, indent) lines: the summary, each axis's
    arithmetic (an axis with the same numbers as the one before is one line), then the channels,
    params, MACs, receptive field and problems. The HTML page shows the same lines."""
    out = [(f"{layer['index']}  {layer['summary']}", "bold", 0)]
    previous = None
    for axis in layer["axes"]:
        head = f"{axis['axis']}: {axis['input']} -> {'?' if axis['output'] is None else axis['output']}"
        if previous is not None and _same_numbers(previous, axis):
            out.append((f"{head} (the same numbers as {previous['axis']})", "", 2))
            continue
        out.append((head, "bold", 2))
        out += [(step, "", 4) for step in axis["steps"]]
        out += [(text, "", 4) for text in axis["padding"]]
        if axis["windows"]:
            out.append((axis["windows"], "", 4))
        if sketch:
            out += [(text, "dim" if text.startswith(axis["axis"]) else "", 4) for text in sketch_lines(axis)]
            if axis.get("sketch") and not axis["sketch"].get("drawable"):
                out.append((f"(axis of {axis['sketch']['padded']} cells: too long to draw)", "dim", 4))
        previous = axis
    for title, key in (("positions and filters", "channels"), ("params", "params"), ("MACs", "macs"),
                       ("receptive field", "receptive_field")):
        if layer[key]:
            out.append((title, "bold", 2))
            out += [(text, "", 4) for text in layer[key]]
    for problem in layer["problems"]:
        out += problem_lines(problem, 2, file)
    return out
