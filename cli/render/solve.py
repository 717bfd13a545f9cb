"""Rendering of solver results (planner.solve) for people."""

from __future__ import annotations

from layerplan.planner.solve import KIND_WORDS

from layerplan.render.escape import terminal


def _console():
    from layerplan.render.console import pipe_safe_console

    return pipe_safe_console(highlight=False)


def render_layer_solution(solution, limit: int = 15, console=None) -> None:
    from rich.table import Table
    from rich.text import Text

    console = console or _console()
    fw = solution.framework
    r = solution.ranges
    title = (f"{fw} {KIND_WORDS[solution.kind]}: {solution.input} -> {solution.target} "
             f"(kernel <= {r.max_kernel}, stride <= {r.max_stride}, dilation <= {r.max_dilation})")
    if not solution.possible:
        console.print(Text(f"impossible: no {title} with every input cell read", style="bold red"))
        larger = solution.larger_output()
        if larger:
            console.print(Text(f"  {larger}", style="yellow"))
        for label, combo in (("nearest below", solution.below), ("nearest above", solution.above)):
            if combo is not None:
                console.print(Text(f"  {label}: {combo.output} with {combo.text(fw)}"))
        console.print(Text("  (widen the search with --max-kernel / --max-stride / --max-dilation)", style="dim"))
        return
    # the title is a line of its own, not the table's: a table title wraps at the table's width
    console.print(Text(title, style="bold"))
    table = Table(header_style="bold")
    table.add_column("#", justify="right")
    table.add_column(f"{fw} arguments")
    table.add_column("pad before/after", justify="right")
    shown = solution.combos if limit == 0 else solution.combos[:limit]
    for number, combo in enumerate(shown, start=1):
        table.add_row(str(number), Text(combo.text(fw)), f"{combo.pad_before}/{combo.pad_after}")
    console.print(table)
    if len(shown) < len(solution.combos):
        console.print(Text(f"... and {len(solution.combos) - len(shown)} more (--limit 0 shows all)", style="dim"))


def render_input_solution(file: str, solution, console=None) -> None:
    from rich.text import Text

    console = console or _console()
    what = "every spatial axis" if solution.axis == "all" else f"axis {solution.axis}"
    console.print(Text(terminal(f"{file}: input sizes {solution.lo}..{solution.hi} on {what} that plan with no error, "
                                "no dropped input and every expect met"), style="bold"))
    if not solution.valid:
        console.print(Text("  none", style="bold red"))
        first = solution.problems.get(solution.near) or next(iter(solution.problems.values()), None)
        if first:
            console.print(Text(terminal(f"  at {solution.near}: {first}")))
        return
    console.print(Text("  valid: " + ", ".join(str(v) for v in solution.valid)))
    console.print(Text("  nearest to " + str(solution.near) + ": " + ", ".join(str(v) for v in solution.nearest),
                       style="green"))
    if solution.rule is not None:
        modulus, residue = solution.rule
        rule = f"a multiple of {modulus}" if residue == 0 else f"{residue} more than a multiple of {modulus}"
        console.print(Text(f"  rule in this range: the size must be {rule}"))
    if solution.near not in solution.valid and solution.near in solution.problems:
        console.print(Text(terminal(f"  {solution.near} fails: {solution.problems[solution.near]}"), style="dim"))


def render_spec_fixes(file: str, problem, fixes, cause=None, console=None) -> None:
    """solve expect for people: the problem's diagnostic line, the changes found, and whether the
    input size is the cause (planner.solve.InputCause)."""
    from rich.text import Text

    from layerplan.render.common import diagnostic_line
    from layerplan.render.table import styled_line

    console = console or _console()
    if problem is None:
        console.print(Text(terminal(f"{file}: plans cleanly; nothing to fix"), style="green"))
        return
    console.print(styled_line(diagnostic_line(problem, file), problem.severity.value))
    if fixes:
        console.print(Text("  one-layer changes that make it plan cleanly:"))
        for fix in fixes:
            console.print(Text(terminal(f"  {fix.text()}")))
    elif cause is None:
        console.print(Text("  no one-layer change (padding, output_padding, ceil_mode, kernel size, stride, "
                           "upsampling factor, an added upsampling or pooling) fixes it", style="bold red"))
    if cause is not None:
        console.print(Text(terminal(f"  {cause.text(file)}"), style="yellow"))
