"""Watch rules and alerts: subscribe, match new and changed records, list and mark alerts read.

- A user's rules match each new or changed record the user may see, on the record as the user sees it
  (`core.sharing.alerts`), in the transaction that writes the record: the alert exists when the write
  commits.
- Every alert points at a record. Listing re-checks that the user may still see it, so an alert whose
  record was since withdrawn from the user (re-shared, retracted) disappears from lists and counts.
- A rule may carry a webhook URL: each of its alerts is also queued for a signed post
  (`precwatch.hub.webhooks` delivers them).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection

from precwatch.core.sharing.alerts import WatchRule, exact_keys, matches, normalise_rule, watch_message
from precwatch.core.sharing.tlp import RecordAcl, Viewer, can_view
from precwatch.hub.context import HubContext
from precwatch.hub.errors import Forbidden, NotFound
from precwatch.hub.records import SOURCES, source
from precwatch.store import alerts as rows
from precwatch.store import webhooks as outbox

MAX_RULES_PER_USER = 200
"""A user may hold at most this many watch rules."""


def _now() -> datetime:
    return datetime.now(UTC)


def rule_out(stored: rows.StoredRule) -> dict[str, Any]:
    """A rule as its owner sees it (the webhook secret is shown only once, at creation)."""
    r = stored.rule
    return {
        "id": r.id,
        "kind": r.kind,
        "value": r.value,
        "key": r.key,
        "webhook_url": stored.webhook_url,
        "created_at": stored.created_at.isoformat(),
    }


def _check_webhook(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise ValueError(f"webhook_url must be an http(s) URL, got {url!r}")
    return url


def create_rule(
    ctx: HubContext, viewer: Viewer, *, kind: str, value: str, webhook_url: str | None = None
) -> dict[str, Any]:
    """Subscribe `viewer` to records matching (`kind`, `value`); the rule, with `webhook_secret` (the HMAC
    key of its webhook posts) when a webhook URL is given. Raises `WatchRuleError`, `ValueError`."""
    key = normalise_rule(kind, value, kb=ctx.kb)
    url = _check_webhook(webhook_url)
    secret = secrets.token_urlsafe(32) if url else None
    now = _now()
    with ctx.begin() as conn:
        if len(rows.rules_of(conn, viewer.user_id)) >= MAX_RULES_PER_USER:
            raise Forbidden(f"a user may hold at most {MAX_RULES_PER_USER} watch rules")
        rule_id = rows.insert_rule(
            conn,
            viewer.user_id,
            kind=kind,
            value=value.strip(),
            key=key,
            webhook_url=url,
            webhook_secret=secret,
            created_at=now,
        )
    rule = WatchRule(rule_id, viewer.user_id, kind, value.strip(), key)  # type: ignore[arg-type]
    out = rule_out(rows.StoredRule(rule, viewer, url, secret, now))
    if secret:
        out["webhook_secret"] = secret
    return out


def list_rules(ctx: HubContext, viewer: Viewer) -> list[dict[str, Any]]:
    """The viewer's own watch rules, oldest first."""
    with ctx.begin() as conn:
        return [rule_out(s) for s in rows.rules_of(conn, viewer.user_id)]


def delete_rule(ctx: HubContext, viewer: Viewer, rule_id: int) -> None:
    """Delete one of the viewer's rules (its pending webhook posts too). `NotFound` for another's rule."""
    with ctx.begin() as conn:
        if not rows.delete_rule(conn, viewer.user_id, rule_id):
            raise NotFound(f"no watch rule {rule_id}")
        outbox.drop_pending_of_rule(conn, rule_id)


def alert_out(row: Mapping[Any, Any]) -> dict[str, Any]:
    """An alert as the API shows it to its recipient."""
    return {
        "id": int(row["id"]),
        "kind": row["kind"],
        "message": row["message"],
        "record_kind": row["record_kind"],
        "record_id": row["record_id"],
        "rule_id": row["rule_id"],
        "detail": dict(row["detail"] or {}),
        "created_at": row["created_at"].isoformat(),
        "read": row["read_at"] is not None,
        "read_at": row["read_at"].isoformat() if row["read_at"] else None,
    }


def alert_row(
    recipient: Viewer,
    *,
    kind: str,
    record_kind: str,
    record_id: str,
    message: str,
    dedupe: str,
    detail: Mapping[Any, Any] | None = None,
    rule: rows.StoredRule | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The row of an alert for `recipient` (see `raise_alert`; `raise_alerts` stores several at once)."""
    return {
        "user_id": recipient.user_id,
        "kind": kind,
        "rule_id": rule.rule.id if rule else None,
        "record_kind": record_kind,
        "record_id": record_id,
        "message": message,
        "detail": dict(detail or {}),
        "dedupe": dedupe[:400],
        "created_at": now or _now(),
    }


def raise_alerts(conn: Connection, alerts: list[dict[str, Any]]) -> int:
    """Store alerts built by `alert_row` without a webhook rule (each once per recipient and `dedupe`, in
    one statement); how many were new. Alerts of a rule with a webhook go through `raise_alert`, which
    queues their posts."""
    return rows.insert_alerts(conn, alerts)


def raise_alert(conn: Connection, row: dict[str, Any], rule: rows.StoredRule | None = None) -> int | None:
    """Store an alert built by `alert_row` (once per recipient and `dedupe`) and queue its webhook post when
    `rule`, the watch rule the row was built for, has one; the alert id, or None when the recipient already
    had it."""
    alert_id = rows.insert_alert(conn, row)
    if alert_id is not None and rule is not None and rule.webhook_url and rule.webhook_secret:
        payload = json.dumps(alert_out({**row, "id": alert_id, "read_at": None}), sort_keys=True)
        outbox.enqueue(
            conn,
            alert_id,
            rule_id=rule.rule.id,
            url=rule.webhook_url,
            secret=rule.webhook_secret,
            payload=payload,
            at=row["created_at"],
        )
    return alert_id


def on_record_changed(
    conn: Connection,
    record_kind: str,
    record: Mapping[Any, Any],
    acl: RecordAcl,
    *,
    author: Viewer,
    created: bool,
) -> int:
    """Match a new or changed record against every watch rule of every user who may see it (the author's
    own rules excepted); the number of alerts raised."""
    src = source(record_kind)
    label = f"{src.label} {record['id']}"
    raised = 0
    now = _now()
    for stored in rows.candidate_rules(conn, exact_keys(record)):
        owner = stored.owner
        if owner.user_id == author.user_id or not can_view(owner, acl):
            continue
        seen = src.redact(record, owner, acl)
        if not matches(stored.rule, seen):
            continue
        dedupe = f"watch:{stored.rule.id}:{record_kind}:{record['id']}:{record.get('version', 1)}"
        row = alert_row(
            owner,
            kind="watch",
            record_kind=record_kind,
            record_id=str(record["id"]),
            message=watch_message(stored.rule, label, created=created),
            dedupe=dedupe,
            detail={"rule": {"kind": stored.rule.kind, "value": stored.rule.value}},
            rule=stored,
            now=now,
        )
        raised += raise_alert(conn, row, stored) is not None
    return raised


def visible_records(conn: Connection, viewer: Viewer, refs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of the (kind, id) records exist, are live and may be seen by `viewer`."""
    out: set[tuple[str, str]] = set()
    for kind in {k for k, _ in refs}:
        if kind not in SOURCES:
            continue
        ids = sorted(i for k, i in refs if k == kind)
        for record_id, stored in SOURCES[kind].load(conn, ids).items():
            if can_view(viewer, stored.acl):
                out.add((kind, record_id))
    return out


def _visible_alerts(conn: Connection, viewer: Viewer, unread: bool | None) -> list[Mapping[Any, Any]]:
    found = rows.alerts_of(conn, viewer.user_id, unread=unread)
    seen = visible_records(conn, viewer, {(r["record_kind"], r["record_id"]) for r in found})
    return [r for r in found if (r["record_kind"], r["record_id"]) in seen]


def list_alerts(
    ctx: HubContext, viewer: Viewer, *, unread: bool | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int, int]:
    """One page of the viewer's alerts on records the viewer may still see, newest first; the total and
    the number unread (both counting visible alerts only)."""
    if not 1 <= limit <= 500:
        raise ValueError(f"limit must be between 1 and 500, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    with ctx.begin() as conn:
        every = _visible_alerts(conn, viewer, None)
    chosen = [r for r in every if unread is None or (r["read_at"] is None) == unread]
    unread_count = sum(r["read_at"] is None for r in every)
    return [alert_out(r) for r in chosen[offset : offset + limit]], len(chosen), unread_count


def mark_read(ctx: HubContext, viewer: Viewer, alert_id: int) -> dict[str, Any]:
    """Mark one of the viewer's alerts read; the alert. `NotFound` for another's alert or one whose record
    the viewer may no longer see."""
    with ctx.begin() as conn:
        row = rows.alert_of(conn, viewer.user_id, alert_id)
        if row is None or not visible_records(conn, viewer, {(row["record_kind"], row["record_id"])}):
            raise NotFound(f"no alert {alert_id}")
        rows.mark_read(conn, alert_id, at=_now())
        found = rows.alert_of(conn, viewer.user_id, alert_id)
        assert found is not None
        return alert_out(found)
