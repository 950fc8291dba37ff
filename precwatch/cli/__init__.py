"""The `precwatch` command line: thin commands over the library (each builds one object and calls it).

One module per command group (`kb`, `identify`, `explain`, `screen`, `hub`, `market`, `osint`); the
plumbing they share (error console, --kb, OPSIN, rejects file, progress, exit codes) is in `common`.
A command's module is imported when the command runs (or help lists it), so `precwatch identify` does not
load the hub's database layer or the market's transliteration tables.
"""

from __future__ import annotations

import importlib

import click

from precwatch import __version__

_COMMANDS = {
    "kb": ("precwatch.cli.kb", "kb"),
    "identify": ("precwatch.cli.identify", "identify"),
    "explain": ("precwatch.cli.explain", "explain"),
    "depict": ("precwatch.cli.explain", "depict"),
    "screen": ("precwatch.cli.screen", "screen"),
    "serve": ("precwatch.cli.hub", "serve"),
    "hub": ("precwatch.cli.hub", "hub"),
    "market": ("precwatch.cli.market", "market"),
    "osint": ("precwatch.cli.osint", "osint"),
}
"""Each command: the module that defines it and its name there."""


class _Commands(click.Group):
    """The top-level group, its commands imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = _COMMANDS.get(cmd_name)
        if where is None:
            return None
        command: click.Command = getattr(importlib.import_module(where[0]), where[1])
        if cmd_name == "hub" and isinstance(command, click.Group):
            _hub_subcommands(command)
        return command


def _hub_subcommands(hub: click.Group) -> None:
    """The `hub` commands defined in modules of their own."""
    from precwatch.cli.hub_jobs import hub_deliver_webhooks, hub_rescreen
    from precwatch.cli.hub_notifications import export, notification

    for command in (notification, export, hub_rescreen, hub_deliver_webhooks):
        hub.add_command(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="precwatch")
def main() -> None:
    """precwatch: find and stop fentanyl-precursor trafficking.

    Look chemicals up in a sourced knowledge base and identify them in listings, declarations and
    chats, however they are disguised.
    """


if __name__ == "__main__":
    main()
