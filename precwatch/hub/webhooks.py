"""The webhook worker's use case: post due alerts, retry with backoff, dead-letter after the last attempt.

Before each post the alert's record is checked again: a record the rule's owner may no longer see is never
posted (the delivery is dead-lettered with that reason). A destination that is not a public address (and not in
the operator's allowed networks) is dead-lettered at once too: retrying would not make it public.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

if TYPE_CHECKING:
    import httpx

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub.alerts import visible_records
from precwatch.hub.context import HubContext
from precwatch.store import accounts
from precwatch.store import webhooks as outbox
from precwatch.store.tables import alerts

MAX_ATTEMPTS = 6
"""Attempts before a delivery is dead-lettered (with the default backoff: about 16 minutes in all)."""


def deliver_due(
    ctx: HubContext,
    client: httpx.Client,
    *,
    now: datetime | None = None,
    limit: int = 100,
    max_attempts: int = MAX_ATTEMPTS,
    allowed_networks: tuple[str, ...] = (),
) -> dict[str, int]:
    """One pass over the due deliveries; counts of `delivered`, `retry` and `dead` this pass.

    `allowed_networks` (CIDR) are non-public networks the operator lets webhooks reach (an intranet SIEM).
    """
    # httpx (through precwatch.io.webhooks) loads click when it is installed: imported on use only, so the
    # hub's import stays framework-free.
    from precwatch.io.webhooks import WebhookError, WebhookRefused, backoff, parse_networks, post

    allowed = parse_networks(allowed_networks)
    now = now or datetime.now(UTC)
    done: Counter[str] = Counter()
    with ctx.begin() as conn:
        batch = outbox.due(conn, now=now, limit=limit)
    for item in batch:
        with ctx.begin() as conn:
            alert = conn.execute(select(alerts).where(alerts.c.id == item["alert_id"])).mappings().one()
            user = accounts.user_by_id(conn, int(alert["user_id"]))
            viewer = Viewer(user.id, user.org_id, user.role, user.email) if user else None
            ref = (str(alert["record_kind"]), str(alert["record_id"]))
            if viewer is None or not visible_records(conn, viewer, {ref}):
                outbox.failed(
                    conn, item["id"], error="record no longer visible to the rule's owner", retry_at=None
                )
                done["dead"] += 1
                continue
        try:
            post(
                client,
                item["url"],
                str(item["payload"]).encode(),
                secret=item["secret"],
                timestamp=int(now.timestamp()),
                delivery_id=int(item["id"]),
                allowed=allowed,
            )
        except WebhookError as exc:
            attempts = int(item["attempts"]) + 1
            last = attempts >= max_attempts or isinstance(exc, WebhookRefused)
            retry_at = None if last else now + backoff(attempts)
            with ctx.begin() as conn:
                outbox.failed(conn, item["id"], error=str(exc), retry_at=retry_at)
            done["retry" if retry_at else "dead"] += 1
            continue
        with ctx.begin() as conn:
            outbox.delivered(conn, item["id"], at=now)
        done["delivered"] += 1
    return {k: done[k] for k in ("delivered", "retry", "dead")}


def delivery_counts(ctx: HubContext) -> dict[str, int]:
    """How many deliveries are pending, delivered and dead in all."""
    with ctx.begin() as conn:
        return outbox.status_counts(conn)
