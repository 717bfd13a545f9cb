"""`layerplan completion SHELL`: print the shell completion script (click's), to eval or save."""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the completion script for SHELL. Completes commands, options, formats, layer types
    and their option keys, columns and spec files.

    \b
      bash:  eval "$(layerplan completion bash)"     (in ~/.bashrc)
      zsh:   eval "$(layerplan completion zsh)"      (in ~/.zshrc)
      fish:  layerplan completion fish > ~/.config/fish/completions/layerplan.fish
    """
    from click.shell_completion import get_completion_class

    from layerplan.main import cli
    from layerplan.output import reader_may_leave

    completer = get_completion_class(shell)(cli, {}, "layerplan", "_LAYERPLAN_COMPLETE")
    with reader_may_leave():
        click.echo(completer.source())
