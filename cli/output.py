"""Exit statuses and writing reports in the chosen format."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def exit_status(reports, strict: bool = False, failing: frozenset = frozenset()) -> int:
    """0: all planned cleanly; 1: a spec is invalid (or has warnings with --strict, or a warning named in
    `failing`); 2: a spec was unreadable."""
    if any(r.read_error for r in reports):
        return EXIT_UNREADABLE
    if any(not r.ok for r in reports):
        return EXIT_INVALID
    if strict and any(r.warnings for r in reports):
        return EXIT_INVALID
    if any(_fails(r, failing) for r in reports):
        return EXIT_INVALID
    return EXIT_OK


def _fails(report, failing: frozenset) -> bool:
    """Whether a report has a warning that fails the command whatever --strict says (`check`: LP321)."""
    return any(d.name in failing for d in report.warnings)


#: pictures of the network (planner.picture), written by cli/render/svg.py, html.py, mermaid.py, dot.py
PICTURE_FORMATS = ("svg", "html", "mermaid", "dot")
#: every output format of `plan`; table is for people, the rest never go through rich
FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown", "shape", "params", *PICTURE_FORMATS)
#: formats whose output cannot carry problems (whole): those go to standard error as one line each
_PROBLEMS_TO_STDERR = ("csv", "tsv", "shape", "params", "svg", "mermaid", "dot")


def say(line: str) -> None:
    """One line on standard error, escaped as `cli.render.escape.terminal` escapes a line: a path,
    a name or a quoted value in it cannot start another line, move the cursor or read as a command."""
    from layerplan.render.escape import terminal

    click.echo(terminal(line), err=True)


def _write(text: str) -> None:
    if sys.stdout is not None:  # stdout closed (`>&-`): nowhere to write, and nothing to complain about
        sys.stdout.write(text)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_lines(reports, strict: bool = False, failing: frozenset = frozenset()) -> list[str]:
    """One stderr line per readable spec that fails (errors, or warnings with --strict), so a failing
    status always comes with a message on standard error whatever the output format."""
    lines = []
    for report in reports:
        errors, warnings = len(report.errors), len(report.warnings)
        fails = _fails(report, failing)
        if report.read_error or not (errors or (strict and warnings) or fails):
            continue
        counts = [_count(errors, "error")] if errors else []
        if warnings:
            counts.append(_count(warnings, "warning") + (" (--strict)" if strict and not errors and not fails else ""))
        lines.append(f"layerplan: {report.file}: {', '.join(counts)}")
    return lines


def emit(reports, output_format: str, *, columns=None, color: str = "auto", quiet: bool = False,
         strict: bool = False, unfold: bool = False) -> None:
    """Write reports in a format; read errors also go to stderr as one line each.

    `columns`: table columns (`cli.render.columns.Column`, defaults when None) for the tabular formats.
    `quiet`: write nothing to stdout, only the problems (errors and warnings) to stderr.
    `strict`: warnings fail too (for the stderr summary of failing specs).
    `unfold`: every layer of each block use (the table and pictures fold a use into one row or box).
    """
    from layerplan.render.common import diagnostic_line

    for report in reports:
        if report.read_error:
            say(f"layerplan: {diagnostic_line(report.diagnostics[0], report.file)}")
    if quiet or output_format in _PROBLEMS_TO_STDERR:
        from layerplan.render.problems import render_problems

        problems = render_problems([r for r in reports if not r.read_error])
        if problems and sys.stderr is not None:
            sys.stderr.write(problems)
            sys.stderr.flush()
        if quiet:
            return
    try:
        if output_format in ("csv", "tsv", "markdown"):
            from layerplan.render.columns import default_columns

            columns = columns or default_columns()
        if output_format == "json":
            from layerplan.render.json_format import json_pieces

            for piece in json_pieces(reports, single=len(reports) == 1):
                _write(piece)
        elif output_format == "jsonl":
            from layerplan.render.json_format import render_jsonl

            _write(render_jsonl(reports))
        elif output_format in ("csv", "tsv"):
            from layerplan.render.delimited import render_csv, render_tsv

            _write((render_csv if output_format == "csv" else render_tsv)([r for r in reports if not r.read_error], columns))
        elif output_format == "markdown":
            from layerplan.render.markdown import render_markdown

            _write(render_markdown(reports, columns))
        elif output_format in ("shape", "params"):
            from layerplan.render.shape import render_params, render_shape

            _write((render_shape if output_format == "shape" else render_params)(reports))
        elif output_format in PICTURE_FORMATS:
            _write(render_picture([r for r in reports if not r.read_error], output_format, unfold=unfold))
        elif sys.stdout is not None:
            from layerplan.render.table import print_tables

            print_tables(reports, color, columns, unfold=unfold)
        if sys.stdout is not None:
            sys.stdout.flush()
    finally:
        if output_format not in _PROBLEMS_TO_STDERR:  # after the output, where a reader at a terminal sees it
            for line in summary_lines(reports, strict):
                say(line)


def render_picture(reports, output_format: str, *, unfold: bool = False) -> str:
    """The readable reports drawn in one of PICTURE_FORMATS (one panel per report)."""
    from layerplan.planner.picture import picture

    pictures = [picture(report, unfold=unfold) for report in reports]
    if output_format == "svg":
        from layerplan.render.svg import render_svg

        return render_svg(pictures)
    if output_format == "html":
        from layerplan.planner.explain import explain_data
        from layerplan.render.html import render_html

        return render_html(reports, pictures, [explain_data(report) for report in reports])
    if output_format == "mermaid":
        from layerplan.render.mermaid import render_mermaid

        return render_mermaid(pictures)
    from layerplan.render.dot import render_dot

    return render_dot(pictures)


def write_output_file(path: str, text: str, inputs=()) -> None:
    """Write a command's output (`-o FILE`) whole or not at all; when it cannot be, one line and exit status 2.

    Refused when `path` is one of `inputs`, the files the command read (the same file once symlinks are
    resolved, or another hard link to it): the output would destroy its input. A file at `path` is
    replaced, never written in place: the text goes to a new file in the same directory, which then
    takes the name (os.replace), so a failure leaves what was there untouched, and a symlink at `path`
    is itself replaced, not followed. A device or named pipe (`/dev/stdout`, `/dev/null`) is written into.
    """
    import stat

    def fail(reason: str) -> None:
        say(f"layerplan: cannot write {path}: {reason}")
        sys.exit(EXIT_UNREADABLE)

    for source in inputs:
        if source != "-" and _same_file(path, source):
            fail(f"it is the input {source}, which it would overwrite; choose another output file")
    data = text.encode("utf-8")
    try:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:  # nothing there, or a symlink to nothing
            mode = None
        if mode is not None and stat.S_ISDIR(mode):
            fail("it is a directory")
        if mode is not None and not stat.S_ISREG(mode):
            with open(path, "wb") as handle:
                handle.write(data)
        else:
            _replace_file(path, data)
    except OSError as exc:
        fail(exc.strerror or str(exc))


def _same_file(path: str, other: str) -> bool:
    try:
        return os.path.samefile(path, other)
    except (OSError, ValueError):  # one of them does not exist (or cannot be looked at): not the same file
        return False


def _replace_file(path: str, data: bytes) -> None:
    """Write `data` to a new file beside `path`, then give it the name `path` (keeping a replaced file's mode)."""
    import secrets
    import stat

    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with open(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            replaced = os.lstat(path).st_mode
        except FileNotFoundError:
            replaced = None
        if replaced is not None and stat.S_ISREG(replaced):
            os.chmod(temporary, stat.S_IMODE(replaced))
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def silence_stdout() -> None:
    """Point standard output at /dev/null: its reader went away (`| head`) or it cannot be written,
    so nothing still buffered is written (and Python does not complain at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


@contextmanager
def reader_may_leave():
    """Write a command's output inside this block: if the reader goes away (`| head`), the rest of the
    output is dropped quietly and the command goes on to end with the exit status its run earned."""
    try:
        yield
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()


def no_layers_message(command: str, input_shape, framework) -> str:
    """What to type when `-i` comes without layers: the same command with two layers that fit the input.

    >>> no_layers_message("plan", [128, 128, 3], "keras")
    'no layers to plan on the input 128x128x3: write them after it, one argument per layer, e.g. layerplan plan -i 128x128x3 -f keras conv2d:32,3 max_pool2d:2 (layerplan layers lists the types), or give a spec file'
    """
    shape = "x".join(map(str, input_shape))
    rank = len(input_shape) - 1
    example = f"conv{rank}d:32,3 max_pool{rank}d:2" if 1 <= rank <= 3 else "dense:10"
    typed = f"layerplan {command} -i {shape}" + (f" -f {framework}" if framework else "")
    verb = "to plan" if command == "plan" else f"to {command}"
    return (f"no layers {verb} on the input {shape}: write them after it, one argument per layer, e.g. "
            f"{typed} {example} (layerplan layers lists the types), or give a spec file")


def color_option(what: str = "the output"):
    """The --color option of every command that prints colour."""
    return click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                        help=f"Colour {what} (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it).")


def settings_option(function):
    """`--set NAME=VALUE` (repeatable) for a command that reads model files: the values of names the code
    computes when it runs, as `# layerplan: NAME = VALUE` comments give them (a dotted NAME sets an
    attribute: `--set opt.img_size=64`); the command receives them as a dict, `settings`."""
    def parse(ctx, param, values):
        from layerplan.planner.model_code.given import parse_settings

        try:
            return parse_settings(values)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", callback=parse,
                        help="For a model file: the value of a name the code computes when it runs (a Python "
                             "literal; opt.img_size=64 sets an attribute). Repeatable.")(function)


def input_shape_option(ctx, param, value):
    """click callback for -i/--input: a shape such as 1x28x28 or 28,28,1, as a list (None when absent).
    A leading `None` or `-1` (a placeholder's or a reshape's batch axis) is the batch: dropped, with an
    info line on standard error."""
    if value is None:
        return None
    from layerplan.planner import parse_shape
    from layerplan.planner.spec import split_batch_axis

    sample, batch = split_batch_axis(value)
    shape = parse_shape(sample)
    if shape is None:
        raise click.BadParameter(f"{value!r} is not a shape: positive integers joined by x or commas, such as "
                                 "1x28x28 (torch: channels first), 28,28,1 or '(28, 28, 1)' (keras: channels last)")
    if batch is not None:
        text = "x".join(str(size) for size in shape)
        say(f"layerplan: info: -i {value}: the leading {batch} is the batch axis, dropped: one sample is {text}")
    return list(shape)
