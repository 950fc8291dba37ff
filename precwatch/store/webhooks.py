"""The webhook-deliveries repository: the outbox of alert posts, with attempts, backoff and dead letters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from precwatch.store.tables import webhook_deliveries

d = webhook_deliveries.c


def enqueue(
    conn: Connection, alert_id: int, *, rule_id: int, url: str, secret: str, payload: str, at: datetime
) -> None:
    """Queue a post of `payload` to `url`, due now."""
    row = {
        "alert_id": alert_id,
        "rule_id": rule_id,
        "url": url,
        "secret": secret,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": at,
        "last_error": None,
        "delivered_at": None,
    }
    conn.execute(insert(webhook_deliveries), row)


def due(conn: Connection, *, now: datetime, limit: int) -> list[Mapping[Any, Any]]:
    """Pending deliveries due by `now`, oldest first."""
    query = (
        select(webhook_deliveries)
        .where(d.status == "pending", d.next_attempt_at <= now)
        .order_by(d.next_attempt_at, d.id)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


def delivered(conn: Connection, delivery_id: int, *, at: datetime) -> None:
    """Record a successful post."""
    conn.execute(
        update(webhook_deliveries)
        .where(d.id == delivery_id)
        .values(status="delivered", attempts=d.attempts + 1, delivered_at=at, last_error=None)
    )


def failed(conn: Connection, delivery_id: int, *, error: str, retry_at: datetime | None) -> None:
    """Record a failed attempt: retried at `retry_at`, or dead-lettered when it is None."""
    values: dict[str, Any] = {"attempts": d.attempts + 1, "last_error": error[:2000]}
    if retry_at is None:
        values["status"] = "dead"
    else:
        values["next_attempt_at"] = retry_at
    conn.execute(update(webhook_deliveries).where(d.id == delivery_id).values(**values))


def drop_pending_of_rule(conn: Connection, rule_id: int) -> None:
    """Forget the pending posts of a deleted rule."""
    conn.execute(delete(webhook_deliveries).where(d.rule_id == rule_id, d.status == "pending"))


def status_counts(conn: Connection) -> dict[str, int]:
    """How many deliveries are pending, delivered and dead."""
    query = select(d.status, func.count()).group_by(d.status)
    return {str(s): int(n) for s, n in conn.execute(query)}
