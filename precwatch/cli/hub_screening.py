"""`precwatch screen --hub URL --token T`: the options and the one fetch of the hub's notifications per run.

Kept apart from `cli/screen.py` so the screen command only gains three parameters and one argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from precwatch.cli.common import err, fail
from precwatch.core.screening.notification_rules import DEFAULT_WINDOW_DAYS, NotificationBook, book_from_api

F = TypeVar("F", bound=Callable[..., Any])


def hub_screen_options(func: F) -> F:
    """`--hub`, `--token` (or $PRECWATCH_HUB_TOKEN) and `--notification-window`."""
    func = click.option(
        "--notification-window",
        type=click.IntRange(0, 366),
        default=DEFAULT_WINDOW_DAYS,
        show_default=True,
        metavar="DAYS",
        help="With --hub: a notification covers declarations dated this many days around its dispatch date.",
    )(func)
    func = click.option(
        "--token",
        "hub_token",
        envvar="PRECWATCH_HUB_TOKEN",
        metavar="TOKEN",
        help="With --hub: your API token (default: $PRECWATCH_HUB_TOKEN).",
    )(func)
    func = click.option(
        "--hub",
        "hub_url",
        metavar="URL",
        help="Check declarations against the pre-export notifications you may see on this hub "
        "(rules no-pre-export-notification and notification-objected).",
    )(func)
    return func


def notification_book(hub_url: str | None, token: str | None, window_days: int) -> NotificationBook | None:
    """The notifications visible to `token` on the hub at `hub_url`, fetched once (None without --hub).
    Exits with status 2 and a clear message when the hub is unreachable or refuses the token."""
    if not hub_url:
        return None
    if not token:
        fail("--hub needs --token (or $PRECWATCH_HUB_TOKEN)")
    from precwatch.io.hub_client import HubClient, HubRefused, HubUnavailable

    try:
        with HubClient(hub_url, token) as client:
            items = client.notifications()
    except (HubUnavailable, HubRefused) as exc:
        fail(exc)
    err.print(f"{len(items)} pre-export notification(s) from {hub_url}")
    return book_from_api(items, window_days=window_days, source=hub_url)
