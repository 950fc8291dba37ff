"""The notifications repository: notification rows, their shares and history, and the visibility rule in SQL.

Functions take the caller's `Connection` and neither authorise nor audit (that is
`precwatch.hub.notifications`). The visibility rule (`visible_clause`) is in every read, list and count:
the incidents' TLP rule, plus every organisation of the importing country for a non-red notification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    RowMapping,
    String,
    and_,
    bindparam,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)

from precwatch.core.sharing.notifications import OPEN_STATES, Parties
from precwatch.core.sharing.tlp import RecordAcl, Viewer
from precwatch.store.tables import (
    notification_history,
    notification_org_shares,
    notification_user_shares,
    notifications,
)


@dataclass(frozen=True, slots=True)
class NotificationFilter:
    """Filters for listing notifications; every given one must hold. None means "any".

    - `state`: one state (`submitted`, `acknowledged`, `cleared`, `objected`, `withdrawn`).
    - `overdue`: True only notifications still waiting past their deadline; False only the others.
    - `country`: ISO alpha-2; the exporting or the importing country.
    - `substance`: a KB id (the caller resolves names and CAS RNs).
    - `importing_country` / `exporting_country`: one side only.
    - `owner_org_id`: created by this organisation.
    """

    state: str | None = None
    overdue: bool | None = None
    country: str | None = None
    substance: str | None = None
    importing_country: str | None = None
    exporting_country: str | None = None
    owner_org_id: int | None = None


def _bars(values: Iterable[str]) -> str:
    return "|" + "|".join(sorted(set(values))) + "|"


def derived_columns(body: Mapping[str, Any]) -> dict[str, Any]:
    """The columns computed from a validated notification body."""
    return {
        "exporting_country": body["exporter"]["country"],
        "importing_country": body["importer"]["country"],
        "tlp": body["tlp"],
        "body": dict(body),
        "substance_ids": _bars(s["substance"] for s in body["substances"]),
        "dispatch_on": date.fromisoformat(body["dispatch_on"]),
    }


def parties_of(row: Mapping[Any, Any]) -> Parties:
    """The access-control facts of a notification row."""
    body = row["body"]
    acl = RecordAcl(
        owner_org_id=int(row["owner_org_id"]),
        owner_user_id=int(row["owner_user_id"]),
        tlp=row["tlp"],
        shared_with_orgs=frozenset(body.get("shared_with_orgs") or ()),
        shared_with_users=frozenset(body.get("shared_with_users") or ()),
    )
    return Parties(acl=acl, importing_country=str(row["importing_country"]))


def to_notification(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The notification as stored: every body field plus identity, state, deadline and version."""
    out: dict[str, Any] = {
        "id": row["id"],
        "owner_org_id": int(row["owner_org_id"]),
        "owner_user_id": int(row["owner_user_id"]),
        "version": int(row["version"]),
        "state": row["state"],
        "state_reason": row["state_reason"],
        "exporting_country": row["exporting_country"],
        "importing_country": row["importing_country"],
    }
    out.update(row["body"])
    out["deadline_at"] = row["deadline_at"].isoformat()
    out["created_at"] = row["created_at"].isoformat()
    out["updated_at"] = row["updated_at"].isoformat()
    return out


def viewer_params(viewer: Viewer, viewer_country: str) -> dict[str, Any]:
    """The values of the viewer parameters of `visible_clause`."""
    return {
        "viewer_org_id": viewer.org_id,
        "viewer_user_id": viewer.user_id,
        "viewer_country": viewer_country,
    }


def visible_clause() -> ColumnElement[bool]:
    """`core.sharing.notifications.sees` in SQL: clear/green everyone; amber and amber+strict the owner org,
    the orgs shared with and the importing country's orgs; red the creator and the users shared with."""
    t = notifications.c
    org_id, user_id = bindparam("viewer_org_id", type_=Integer), bindparam("viewer_user_id", type_=Integer)
    country = bindparam("viewer_country", type_=String)
    org_share = exists(
        select(notification_org_shares.c.notification_id).where(
            notification_org_shares.c.notification_id == t.id, notification_org_shares.c.org_id == org_id
        )
    )
    user_share = exists(
        select(notification_user_shares.c.notification_id).where(
            notification_user_shares.c.notification_id == t.id, notification_user_shares.c.user_id == user_id
        )
    )
    return or_(
        t.tlp.in_(("clear", "green")),
        and_(
            t.tlp.in_(("amber", "amber+strict")),
            or_(t.owner_org_id == org_id, t.importing_country == country, org_share),
        ),
        and_(t.tlp == "red", or_(t.owner_user_id == user_id, user_share)),
    )


def visible_row(
    conn: Connection, viewer: Viewer, viewer_country: str, notification_id: str
) -> RowMapping | None:
    """The notification's row if it exists and the viewer may see it, else None."""
    query = select(notifications).where(notifications.c.id == bindparam("nid"), visible_clause())
    params = {"nid": notification_id, **viewer_params(viewer, viewer_country)}
    return conn.execute(query, params).mappings().first()


def insert_notification(
    conn: Connection, row: Mapping[str, Any], *, org_shares: Iterable[int], user_shares: Iterable[int]
) -> None:
    """Insert a new notification row and whom it is shared with."""
    conn.execute(insert(notifications), dict(row))
    nid = str(row["id"])
    org_rows = [{"notification_id": nid, "org_id": o} for o in org_shares]
    if org_rows:
        conn.execute(insert(notification_org_shares), org_rows)
    user_rows = [{"notification_id": nid, "user_id": u} for u in user_shares]
    if user_rows:
        conn.execute(insert(notification_user_shares), user_rows)


def move_state(
    conn: Connection,
    notification_id: str,
    *,
    expected_version: int,
    from_state: str,
    values: Mapping[str, Any],
) -> RowMapping | None:
    """Set `values` (state, reason, updated_at) and bump the version if the notification is still at
    `expected_version` and in `from_state`; the new row, or None when someone moved it first. The check is
    in the `UPDATE ... WHERE`, so of two concurrent answers exactly one wins."""
    result = conn.execute(
        update(notifications)
        .where(
            notifications.c.id == notification_id,
            notifications.c.version == expected_version,
            notifications.c.state == from_state,
        )
        .values(version=notifications.c.version + 1, **values)
        .returning(*notifications.c)
    )
    return result.mappings().first()


def current_version(conn: Connection, notification_id: str) -> int:
    """The stored version of a notification (it must exist)."""
    return int(
        conn.execute(
            select(notifications.c.version).where(notifications.c.id == notification_id)
        ).scalar_one()
    )


def add_history(conn: Connection, entry: Mapping[str, Any]) -> None:
    """Append one state change (`notification_id`, `version`, `action`, `from_state`, `to_state`, `reason`,
    `actor_user_id`, `actor_org_id`, `at`)."""
    conn.execute(insert(notification_history), dict(entry))


def history(conn: Connection, notification_id: str) -> list[dict[str, Any]]:
    """Every state change of the notification, oldest first."""
    h = notification_history.c
    query = (
        select(h.version, h.action, h.from_state, h.to_state, h.reason, h.actor_user_id, h.actor_org_id, h.at)
        .where(h.notification_id == notification_id)
        .order_by(h.id)
    )
    return [{**r, "at": r["at"].isoformat()} for r in conn.execute(query).mappings()]


def _filters(f: NotificationFilter, now: datetime) -> tuple[list[ColumnElement[bool]], dict[str, Any]]:
    t = notifications.c
    where: list[ColumnElement[bool]] = []
    values: dict[str, Any] = {}
    if f.state:
        where.append(t.state == bindparam("f_state"))
        values["f_state"] = f.state
    if f.overdue is not None:
        late = and_(
            t.state.in_(sorted(OPEN_STATES)), t.deadline_at < bindparam("f_now", type_=t.deadline_at.type)
        )
        where.append(late if f.overdue else ~late)
        values["f_now"] = now
    if f.country:
        where.append(
            or_(t.exporting_country == bindparam("f_country"), t.importing_country == bindparam("f_country"))
        )
        values["f_country"] = f.country.upper()
    if f.importing_country:
        where.append(t.importing_country == bindparam("f_importing"))
        values["f_importing"] = f.importing_country.upper()
    if f.exporting_country:
        where.append(t.exporting_country == bindparam("f_exporting"))
        values["f_exporting"] = f.exporting_country.upper()
    if f.substance:
        where.append(t.substance_ids.like(bindparam("f_substance")))
        values["f_substance"] = f"%|{f.substance}|%"
    if f.owner_org_id is not None:
        where.append(t.owner_org_id == bindparam("f_owner"))
        values["f_owner"] = f.owner_org_id
    return where, values


def list_visible(
    conn: Connection,
    viewer: Viewer,
    viewer_country: str,
    filters: NotificationFilter,
    *,
    now: datetime,
    limit: int,
    offset: int,
) -> tuple[list[RowMapping], int]:
    """One page of the notifications the viewer may see that match `filters` (earliest deadline first) and
    the total matching count, by the same SQL conditions."""
    where, values = _filters(filters, now)
    where.insert(0, visible_clause())
    params = {**values, **viewer_params(viewer, viewer_country)}
    total = conn.execute(select(func.count()).select_from(notifications).where(*where), params).scalar_one()
    page = (
        select(notifications)
        .where(*where)
        .order_by(notifications.c.deadline_at, notifications.c.id)
        .limit(bindparam("page_limit", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
    )
    rows = list(conn.execute(page, {**params, "page_limit": limit, "page_offset": offset}).mappings())
    return rows, int(total)
