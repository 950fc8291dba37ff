"""Pre-export notification use cases: create, get, list, act (acknowledge, clear, object, withdraw), history.

Conventions (as for incidents):
- Each use case authorises (`core.sharing.notifications`), validates (`core.sharing.notification_body`),
  persists (`store.notifications`) and audits (`store.audit`) in one transaction. Every state change is
  written twice in that transaction: a row of `notification_history` and an audit-chain entry.
- A notification the viewer may not see is reported exactly like a missing one (`None` from `get`,
  `NotFound` from actions) and never appears in lists or counts.
- Notifications are JSON-ready dicts: the body fields plus `id`, `owner_org_id`, `owner_user_id`,
  `version`, `state`, `state_reason`, `exporting_country`, `importing_country`, `deadline_at`,
  `overdue`, `created_at`, `updated_at`.
- `now` is passed in by the `Hub` (its clock), so deadlines are testable.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from precwatch.core.sharing.notification_body import NotificationError, validate_notification
from precwatch.core.sharing.notifications import (
    apply,
    deadline_of,
    is_overdue,
    may_act,
    sees,
)
from precwatch.core.sharing.tlp import Viewer
from precwatch.hub.context import HubContext
from precwatch.hub.errors import Forbidden, NotFound, VersionConflict
from precwatch.store import accounts, audit
from precwatch.store import notifications as rows
from precwatch.store.notifications import NotificationFilter

MAX_PAGE = 500
AUDITED_READ_TLPS = frozenset({"amber", "amber+strict", "red"})


def _country_of(conn: Connection, viewer: Viewer) -> str:
    org = accounts.org_by_id(conn, viewer.org_id)
    return org.country if org else ""


def _seen(row: Mapping[Any, Any], now: datetime) -> dict[str, Any]:
    out = rows.to_notification(row)
    out["overdue"] = is_overdue(row["state"], row["deadline_at"], now)
    return out


def _visible(
    conn: Connection, viewer: Viewer, country: str, notification_id: str
) -> Mapping[Any, Any] | None:
    row = rows.visible_row(conn, viewer, country, notification_id)
    if row is None or not sees(viewer, country, rows.parties_of(row)):  # the SQL rule, re-checked
        return None
    return row


def create(
    ctx: HubContext,
    viewer: Viewer,
    data: Mapping[str, Any],
    *,
    now: datetime,
    response_days: int,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Record a notification from the viewer's organisation (the exporting authority), state `submitted`.

    The exporter must be in the viewer's organisation's country. Raises `Forbidden` for viewers and for an
    exporter abroad, `NotificationError` for bad data (an unknown substance included).
    """
    if not viewer.can_write:
        raise Forbidden("viewers cannot create notifications")
    body = validate_notification(data, ctx.kb, default_response_days=response_days)
    nid = uuid.uuid4().hex
    deadline = deadline_of(now, body["response_days"])
    with ctx.begin() as conn:
        country = _country_of(conn, viewer)
        if body["exporter"]["country"] != country:
            raise Forbidden(
                f"the exporter is in {body['exporter']['country']}; only an authority of that country "
                f"(your organisation is in {country}) notifies its exports"
            )
        for key, existing in (
            ("shared_with_orgs", accounts.existing_org_ids),
            ("shared_with_users", accounts.existing_user_ids),
        ):
            missing = sorted(set(body[key]) - existing(conn, set(body[key])))
            if missing:
                raise NotificationError(key, f"unknown ids {missing}")
        row = {
            "id": nid,
            "owner_org_id": viewer.org_id,
            "owner_user_id": viewer.user_id,
            "state": "submitted",
            "state_reason": None,
            "version": 1,
            "deadline_at": deadline,
            "created_at": now,
            "updated_at": now,
            **rows.derived_columns(body),
        }
        rows.insert_notification(
            conn, row, org_shares=body["shared_with_orgs"], user_shares=body["shared_with_users"]
        )
        _record(
            conn,
            viewer,
            nid,
            action="create",
            before=None,
            after="submitted",
            reason=None,
            version=1,
            now=now,
        )
        audit.append(
            conn,
            viewer,
            action="notification.create",
            resource="notification",
            resource_id=nid,
            request_id=request_id,
            detail={"version": 1, "tlp": body["tlp"], "importing_country": body["importer"]["country"]},
        )
    return _seen(row, now)


def _record(
    conn: Connection,
    viewer: Viewer,
    nid: str,
    *,
    action: str,
    before: str | None,
    after: str,
    reason: str | None,
    version: int,
    now: datetime,
) -> None:
    rows.add_history(
        conn,
        {
            "notification_id": nid,
            "version": version,
            "action": action,
            "from_state": before,
            "to_state": after,
            "reason": reason,
            "actor_user_id": viewer.user_id,
            "actor_org_id": viewer.org_id,
            "at": now,
        },
    )


def get(
    ctx: HubContext, viewer: Viewer, notification_id: str, *, now: datetime, request_id: str | None = None
) -> dict[str, Any] | None:
    """The notification, or None when it does not exist or the viewer may not see it. Reads of amber,
    amber+strict and red notifications are audited."""
    with ctx.begin() as conn:
        row = _visible(conn, viewer, _country_of(conn, viewer), notification_id)
        if row is None:
            return None
        if row["tlp"] in AUDITED_READ_TLPS:
            audit.append(
                conn,
                viewer,
                action="notification.read",
                resource="notification",
                resource_id=notification_id,
                request_id=request_id,
                detail={"tlp": row["tlp"], "version": row["version"]},
            )
        return _seen(row, now)


def act(
    ctx: HubContext,
    viewer: Viewer,
    notification_id: str,
    *,
    action: str,
    reason: str | None,
    expected_version: int | None,
    now: datetime,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Take `action` (acknowledge, clear, object, withdraw) on a notification at `expected_version` (None:
    whatever version is current) and return it at the next version.

    Raises `NotFound` (missing or invisible), `Forbidden` (wrong side or role), `VersionConflict`,
    `IllegalTransition` (the state does not allow it) and `ValueError` (a required reason missing).
    """
    with ctx.begin() as conn:
        country = _country_of(conn, viewer)
        row = _visible(conn, viewer, country, notification_id)
        if row is None:
            raise NotFound(f"no notification {notification_id}")
        why_not = may_act(viewer, country, rows.parties_of(row), action)
        if why_not is not None:
            raise Forbidden(why_not)
        version = int(row["version"])
        if expected_version is not None and expected_version != version:
            raise VersionConflict(notification_id, expected_version, version)
        state, cleaned = apply(action, row["state"], reason)
        values = {"state": state, "state_reason": cleaned, "updated_at": now}
        moved = rows.move_state(
            conn, notification_id, expected_version=version, from_state=row["state"], values=values
        )
        if moved is None:
            raise VersionConflict(notification_id, version, rows.current_version(conn, notification_id))
        _record(
            conn, viewer, notification_id, action=action, before=row["state"], after=state, reason=cleaned,
            version=version + 1, now=now,
        )  # fmt: skip
        audit.append(
            conn,
            viewer,
            action=f"notification.{action}",
            resource="notification",
            resource_id=notification_id,
            request_id=request_id,
            detail={
                "version": version + 1,
                "from": row["state"],
                "to": state,
                "reason": cleaned,
                "tlp": row["tlp"],
            },
        )
        return _seen(moved, now)


def history(ctx: HubContext, viewer: Viewer, notification_id: str) -> list[dict[str, Any]] | None:
    """Every state change of a notification the viewer may see, oldest first (None: missing or invisible)."""
    with ctx.begin() as conn:
        if _visible(conn, viewer, _country_of(conn, viewer), notification_id) is None:
            return None
        return rows.history(conn, notification_id)


def list_page(
    ctx: HubContext,
    viewer: Viewer,
    filters: NotificationFilter | None = None,
    *,
    now: datetime,
    limit: int = 50,
    offset: int = 0,
    request_id: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the notifications the viewer may see that match `filters` (earliest deadline first) and
    the total count. `filters.substance` may be a KB id, CAS RN or name. Pages with amber or red
    notifications are audited."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    filters = filters or NotificationFilter()
    if filters.substance:
        found = ctx.kb.lookup(filters.substance.strip())
        if found is None:
            return [], 0
        filters = replace(filters, substance=found.id)
    with ctx.begin() as conn:
        country = _country_of(conn, viewer)
        page, total = rows.list_visible(conn, viewer, country, filters, now=now, limit=limit, offset=offset)
        seen = [r for r in page if sees(viewer, country, rows.parties_of(r))]
        audited = [r["id"] for r in seen if r["tlp"] in AUDITED_READ_TLPS]
        if audited:
            audit.append(
                conn,
                viewer,
                action="notification.list",
                resource="notification",
                resource_id=None,
                request_id=request_id,
                detail={"ids": audited},
            )
    return [_seen(r, now) for r in seen], total
