"""The `precwatch` command line: thin commands over the library (each builds one object and calls it).

One module per command group (`kb`, `identify`, `explain`, `screen`, `hub`, `market`, `osint`); the
plumbing they share (error console, --kb, OPSIN, rejects file, progress, exit codes) is in `common`.
"""

from __future__ import annotations

import click

from precwatch import __version__
from precwatch.cli.explain import depict, explain
from precwatch.cli.hub import hub, serve
from precwatch.cli.hub_jobs import hub_deliver_webhooks, hub_rescreen
from precwatch.cli.hub_notifications import export, notification
from precwatch.cli.identify import identify
from precwatch.cli.kb import kb
from precwatch.cli.market import market
from precwatch.cli.osint import osint
from precwatch.cli.screen import screen


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="precwatch")
def main() -> None:
    """precwatch: find and stop fentanyl-precursor trafficking.

    Look chemicals up in a sourced knowledge base and identify them in listings, declarations and
    chats, however they are disguised.
    """


hub.add_command(notification)
hub.add_command(export)
for _command in (kb, identify, explain, depict, screen, serve, hub, market, osint):
    main.add_command(_command)
for _job in (hub_rescreen, hub_deliver_webhooks):  # defined in cli/hub_jobs.py on the hub group
    hub.add_command(_job)

if __name__ == "__main__":
    main()
