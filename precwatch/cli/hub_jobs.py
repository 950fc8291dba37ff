"""`precwatch hub rescreen` and `precwatch hub deliver-webhooks`: the hub's batch jobs.

Importing this module attaches the commands to the `hub` group (see `precwatch.cli.hub`).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import click

from precwatch.cli.common import progress_bar, progress_option
from precwatch.cli.hub import _hub, _hub_options, _settings, hub

if TYPE_CHECKING:
    from precwatch.core.kb.knowledge import KnowledgeBase


def _kb(ref: str) -> KnowledgeBase:
    """A knowledge base by file, kept version or `current`; a bad one is a usage error naming it."""
    from precwatch.core.kb.knowledge import KnowledgeBaseError
    from precwatch.data import load_kb_version

    try:
        return load_kb_version(ref)
    except KnowledgeBaseError as exc:
        raise click.ClickException(str(exc)) from exc


@hub.command("rescreen")
@_hub_options
@click.option(
    "--old", "old_path", required=True, metavar="OLD", help="The previous KB: a YAML file or a kept version."
)
@click.option(
    "--new",
    "new_path",
    default="current",
    metavar="NEW",
    help="The new KB: file or version (default: bundled).",
)
@click.option("--stop-after", type=click.IntRange(min=1), default=None, help="Stop after about N records.")
@progress_option
def hub_rescreen(
    database_url: str | None,
    secret: str | None,
    old_path: str,
    new_path: str,
    stop_after: int | None,
    progress: bool | None,
) -> None:
    """Identify every stored record again under NEW and OLD; alert those who may see a record on each
    substance only NEW finds ("would have matched X under KB vN"). Resumable: a run that stops (Ctrl-C,
    --stop-after) continues where it stopped; a finished job does nothing when run again. Prints a JSON
    summary."""
    old, new = _kb(old_path), _kb(new_path)
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as the_hub:
        left = the_hub.rescreen_pending(old, new)
        with progress_bar(show=progress) as bar:
            task = bar.add_task(f"re-screening {old.version} -> {new.version}", total=left)
            report = the_hub.rescreen(
                old, new, progress=lambda n: bar.advance(task, n), stop_after=stop_after
            )
    summary = {
        "job": report.job,
        "changed": report.changed,
        "processed": report.processed,
        "total_processed": report.total_processed,
        "new_hits": report.new_hits,
        "alerts": report.alerts,
        "resumed": report.resumed,
    }
    click.echo(json.dumps(summary))


@hub.command("deliver-webhooks")
@_hub_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, help="Deliveries per pass.")
@click.option("--max-attempts", type=click.IntRange(1, 50), default=6, help="Attempts before dead-lettering.")
@click.option("--timeout", type=click.FloatRange(0.1, 120), default=10.0, help="Seconds per post.")
@click.option(
    "--every", type=click.FloatRange(min=1), default=None, help="Keep running: a pass every N seconds."
)
@click.option(
    "--allow-network",
    "allow_networks",
    multiple=True,
    metavar="CIDR",
    help="A non-public network webhooks may reach (repeatable; added to PRECWATCH_HUB_WEBHOOK_ALLOWED_NETWORKS).",
)
def hub_deliver_webhooks(
    database_url: str | None,
    secret: str | None,
    limit: int,
    max_attempts: int,
    timeout: float,
    every: float | None,
    allow_networks: tuple[str, ...],
) -> None:
    """Post due alerts to their rules' webhooks (HMAC-signed), retry failures with exponential backoff and
    dead-letter a delivery after --max-attempts. Only public addresses are posted to, unless a network is
    allowed: a URL on localhost or a private network is dead-lettered at once. One pass by default; prints
    a JSON summary per pass."""
    import httpx

    from precwatch.io.webhooks import parse_networks

    settings = _settings(database_url=database_url, secret=secret)
    allowed = settings.hub.webhook_networks + allow_networks
    try:
        parse_networks(allowed)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow-network") from exc
    with _hub(settings) as the_hub, httpx.Client(timeout=timeout) as client:
        while True:
            done = the_hub.deliver_webhooks(
                client, limit=limit, max_attempts=max_attempts, allowed_networks=allowed
            )
            click.echo(json.dumps({**done, "queue": the_hub.webhook_counts()}))
            if every is None:
                break
            time.sleep(every)
