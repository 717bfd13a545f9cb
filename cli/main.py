"""The `layerplan` command. Only click is imported at module level; rich and yaml load on demand."""

from __future__ import annotations

import os
import sys

import click

from cli.output import EXIT_OK, EXIT_UNREADABLE


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("layerplan")
    except Exception:  # running from a checkout without installing
        return "0.1.0"


class LayerplanGroup(click.Group):
    """Turns every unexpected failure into one line and exit status 2 (traceback only with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as exc:  # an internal error: never a traceback unless asked for
            if ctx.params.get("debug") or os.environ.get("LAYERPLAN_DEBUG"):
                raise
            click.echo(
                f"layerplan: internal error: {type(exc).__name__}: {exc}. This is a bug; please report it "
                "with the spec that caused it (run with --debug for the traceback).",
                err=True,
            )
            sys.exit(EXIT_UNREADABLE)


def _print_version(ctx: click.Context, param, value: bool) -> None:
    # Computed only when asked for: reading package metadata costs every other run ~10 ms.
    if value and not ctx.resilient_parsing:
        click.echo(f"layerplan, version {_version()}")
        ctx.exit()


def _quiet_broken_pipe() -> None:
    # The reader went away (`| head`): stop quietly, and keep Python from complaining at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
    sys.exit(EXIT_OK)


@click.group(cls=LayerplanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", "-V", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Plan neural-network layer shapes and parameter counts exactly as PyTorch and Keras compute them."""


from cli.commands.plan import plan  # noqa: E402  (commands register after the group exists)

cli.add_command(plan)

from cli.commands.completion import completion  # noqa: E402
from cli.commands.layers import layers  # noqa: E402

cli.add_command(layers)
cli.add_command(completion)

from cli.commands.check import check  # noqa: E402
from cli.commands.schema import schema  # noqa: E402

cli.add_command(check)
cli.add_command(schema)

from cli.commands.diff import diff  # noqa: E402
from cli.commands.explain import explain  # noqa: E402
from cli.commands.solve import solve  # noqa: E402

cli.add_command(explain)
cli.add_command(solve)
cli.add_command(diff)


def main() -> None:
    try:
        cli(prog_name="layerplan")
    except BrokenPipeError:
        _quiet_broken_pipe()


if __name__ == "__main__":
    main()
