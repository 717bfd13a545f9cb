"""The `layerplan` command. Only click is imported at module level; rich and yaml load on demand."""

from __future__ import annotations

import errno
import gc
import os
import signal
import sys

import click

from layerplan.output import EXIT_OK, EXIT_UNREADABLE, silence_stdout, say

#: exit status after SIGINT (Ctrl-C), as shells report a process ended by it (128 + 2)
EXIT_INTERRUPTED = 130
#: where to report an internal error
BUG_HINT = "This is a bug in layerplan; please report it with the spec and command that caused it"
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EBADF}


def _version() -> str:
    from layerplan import __version__

    return __version__


#: command name -> the module that defines it (as an attribute of the same name). A command's module
#: is imported only when that command runs (or help lists it), so `plan` pays for nothing else.
COMMANDS = {
    "plan": "layerplan.commands.plan",
    "check": "layerplan.commands.check",
    "explain": "layerplan.commands.explain",
    "solve": "layerplan.commands.solve",
    "diff": "layerplan.commands.diff",
    "port": "layerplan.commands.port",
    "export": "layerplan.commands.export",
    "verify": "layerplan.commands.verify",
    "layers": "layerplan.commands.layers",
    "schema": "layerplan.commands.schema",
    "completion": "layerplan.commands.completion",
    "import": "layerplan.commands.import_code:import_command",
}


class LayerplanGroup(click.Group):
    """Loads commands on demand, and turns every unexpected failure into one line and exit status 2
    (traceback only with --debug).

    A closed pipe (`| head`) ends quietly, Ctrl-C ends quietly with status 130, a failed write
    (full disk, unwritable path) is one line with the system's reason and status 2.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        import importlib

        module, _, attribute = module.partition(":")  # "module:function" where the name is a keyword
        return getattr(importlib.import_module(module), attribute or name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["layerplan.arguments"] = list(args)  # what was being done, for an out-of-memory message
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            sys.exit(EXIT_INTERRUPTED)
        except MemoryError:  # not a bug: the input needs more memory than the process can have
            if _debug(ctx.params.get("debug")):
                raise
            gc.collect()  # what the failed work held is garbage now: room to write the message
            _say_or_nothing(out_of_memory_message(ctx.meta.get("layerplan.arguments", [])))
            sys.exit(EXIT_UNREADABLE)
        except Exception as exc:  # never a traceback unless asked for
            if _debug(ctx.params.get("debug")):
                raise
            _report_failure(exc)
            sys.exit(EXIT_UNREADABLE)


def _debug(flag: bool | None = None) -> bool:
    return bool(flag) or os.environ.get("LAYERPLAN_DEBUG", "") not in ("", "0")


def failure_message(exc: BaseException) -> str:
    """One line for an exception that escaped a command: the system's reason for an I/O error,
    else an internal error with a hint to report it."""
    if isinstance(exc, OSError) and exc.strerror:
        if exc.filename is not None:
            return f"layerplan: cannot write {exc.filename}: {exc.strerror}" if exc.errno in _OUTPUT_ERRNOS \
                else f"layerplan: {exc.filename}: {exc.strerror}"
        if exc.errno in _OUTPUT_ERRNOS:
            return f"layerplan: cannot write the output: {exc.strerror}"
        return f"layerplan: {exc.strerror}"
    text = " ".join(str(exc).split())
    if len(text) > 200:
        text = text[:197] + "..."
    detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return f"layerplan: internal error: {detail}. {BUG_HINT} (run with --debug for the traceback)."


def out_of_memory_message(arguments: list[str]) -> str:
    """The line for a command that ran out of memory: what it was doing, and that it is not a bug.

    >>> out_of_memory_message(["plan", "huge.yaml"])
    "layerplan: out of memory while running 'layerplan plan huge.yaml': it needs more memory than this process can have; free some memory or raise the process's memory limit (ulimit -v)"
    """
    command = " ".join(["layerplan", *arguments])
    if len(command) > 200:
        command = command[:197] + "..."
    return (f"layerplan: out of memory while running '{command}': it needs more memory than this process can "
            "have; free some memory or raise the process's memory limit (ulimit -v)")


def _report_failure(exc: BaseException) -> None:
    if isinstance(exc, OSError):
        silence_stdout()  # what is still buffered cannot be written either; do not fail again at exit
    _say_or_nothing(failure_message(exc))


def _say_or_nothing(line: str) -> None:
    try:
        say(line)
    except Exception:  # standard error itself is gone: the exit status is all that is left
        pass


def _print_version(ctx: click.Context, param, value: bool) -> None:
    # Computed only when asked for: reading package metadata costs every other run ~10 ms.
    if value and not ctx.resilient_parsing:
        click.echo(f"layerplan, version {_version()}")
        ctx.exit()


def _quiet_broken_pipe() -> None:
    # The reader went away (`| head`): stop quietly, and keep Python from complaining at exit.
    silence_stdout()
    sys.exit(EXIT_OK)


@click.group(cls=LayerplanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", "-V", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an internal error (for a bug report).")
def cli(debug: bool) -> None:
    """Plan neural-network layer shapes and parameter counts exactly as PyTorch and Keras compute them."""


def _interrupted(signum, frame) -> None:
    # Ctrl-C: end at once and quietly. Nothing is half-written that matters (output goes to stdout, or
    # to a -o file that only takes its name once whole: at worst its hidden temporary file stays), and
    # exiting here, not by a KeyboardInterrupt, leaves no window for a traceback.
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    """The console script: the click group, plus what must hold outside any command (Ctrl-C,
    closed standard streams, output flushed at exit)."""
    # A short-lived process that builds many small objects and almost no cycles (memory is freed by
    # reference counting): without the cyclic collector, which would otherwise rescan every object of
    # a large spec again and again, a 100,000-layer spec plans in about half the time.
    gc.disable()
    try:
        signal.signal(signal.SIGINT, _interrupted)
    except (ValueError, OSError):  # not the main thread
        pass
    if sys.stdout is None:  # started with `>&-`: the output goes nowhere, the exit status still tells
        sys.stdout = open(os.devnull, "w")
    outcome: BaseException | None = None
    try:
        cli(prog_name="layerplan")
    except SystemExit as exc:
        outcome = exc
    except BrokenPipeError:
        _quiet_broken_pipe()
    except KeyboardInterrupt:
        os._exit(EXIT_INTERRUPTED)
    except Exception as exc:  # outside any command (argument parsing, shell completion)
        if _debug("--debug" in sys.argv[1:2]):
            raise
        _report_failure(exc)
        outcome = SystemExit(EXIT_UNREADABLE)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        _report_failure(exc)
        outcome = SystemExit(EXIT_UNREADABLE)
    if outcome is not None:
        raise outcome
