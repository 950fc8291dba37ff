"""The alerts repository: watch rules, alerts (one row per recipient) and their read state.

Functions take the caller's `Connection`; visibility of the records alerts point at is checked by the hub
(`precwatch.hub.alerts`), which filters what these return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from precwatch.core.sharing.alerts import WatchRule
from precwatch.core.sharing.tlp import Viewer
from precwatch.store.tables import alerts, users, watch_rules


@dataclass(frozen=True, slots=True)
class StoredRule:
    """A watch rule with its owner (as a viewer) and optional webhook."""

    rule: WatchRule
    owner: Viewer
    webhook_url: str | None
    webhook_secret: str | None
    created_at: datetime


def insert_rule(
    conn: Connection,
    user_id: int,
    *,
    kind: str,
    value: str,
    key: str,
    webhook_url: str | None,
    webhook_secret: str | None,
    created_at: datetime,
) -> int:
    """Store a watch rule; its id."""
    row = {
        "user_id": user_id,
        "kind": kind,
        "value": value,
        "key": key,
        "webhook_url": webhook_url,
        "webhook_secret": webhook_secret,
        "created_at": created_at,
    }
    return int(conn.execute(insert(watch_rules).returning(watch_rules.c.id), row).scalar_one())


def _rules_query() -> Select[Any]:
    u = users.c
    return (
        select(watch_rules, u.org_id, u.role, u.email)
        .join(users, users.c.id == watch_rules.c.user_id)
        .order_by(watch_rules.c.id)
    )


def _stored(row: Mapping[Any, Any]) -> StoredRule:
    rule = WatchRule(int(row["id"]), int(row["user_id"]), row["kind"], row["value"], row["key"])
    owner = Viewer(int(row["user_id"]), int(row["org_id"]), row["role"], row["email"])
    return StoredRule(rule, owner, row["webhook_url"], row["webhook_secret"], row["created_at"])


def rules_of(conn: Connection, user_id: int) -> list[StoredRule]:
    """The user's watch rules, oldest first."""
    return [
        _stored(r) for r in conn.execute(_rules_query().where(watch_rules.c.user_id == user_id)).mappings()
    ]


@lru_cache(maxsize=64)
def _candidate_rules_query(kinds: tuple[str, ...]) -> Select[Any]:
    """`candidate_rules`' statement for exact keys of these kinds (parameters `keys_<n>`, expanding),
    built once per combination of kinds."""
    w = watch_rules.c
    wanted = [
        and_(w.kind == kind, w.key.in_(bindparam(f"keys_{n}", expanding=True)))
        for n, kind in enumerate(kinds)
    ]
    wanted += [w.kind == "text", and_(w.kind == "party", w.key.startswith("name:"))]
    return _rules_query().where(or_(*wanted))


def candidate_rules(conn: Connection, exact: Mapping[str, set[str]]) -> list[StoredRule]:
    """The watch rules a record could match, with their owners, oldest first: rules of a kind in `exact`
    whose key is among that kind's keys, every party-name rule and every text rule (the caller matches)."""
    kinds = tuple(kind for kind, keys in exact.items() if keys)
    params = {f"keys_{n}": sorted(exact[kind]) for n, kind in enumerate(kinds)}
    return [_stored(r) for r in conn.execute(_candidate_rules_query(kinds), params).mappings()]


def delete_rule(conn: Connection, user_id: int, rule_id: int) -> bool:
    """Delete the user's rule; False when the user has no such rule."""
    result = conn.execute(
        delete(watch_rules).where(watch_rules.c.id == rule_id, watch_rules.c.user_id == user_id)
    )
    return bool(result.rowcount)


ALERT_INSERT = {
    name: insert_fn(alerts)
    .on_conflict_do_nothing(index_elements=[alerts.c.user_id, alerts.c.dedupe])
    .returning(alerts.c.id)
    for name, insert_fn in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
"""Insert an alert unless the user has one with the same `dedupe` (built once per dialect)."""

ALERT_ROWS_PER_STATEMENT = 5
"""`insert_alerts` sends at most this many rows per statement: 5 rows of 10 columns are 50 parameters,
the most psycopg caches the parsed form of (beyond that it parses the statement text again every time)."""

ALERTS_INSERT = {
    name: statement.execution_options(insertmanyvalues_page_size=ALERT_ROWS_PER_STATEMENT)
    for name, statement in ALERT_INSERT.items()
}
"""`ALERT_INSERT` for many rows (`insert_alerts`), `ALERT_ROWS_PER_STATEMENT` to a statement."""


def insert_alert(conn: Connection, row: Mapping[Any, Any]) -> int | None:
    """Store one alert (keys: user_id, kind, rule_id, record_kind, record_id, message, detail, dedupe,
    created_at); its id, or None when the user already has the alert with this `dedupe`.

    One statement, `INSERT ... ON CONFLICT (user_id, dedupe) DO NOTHING RETURNING id` (PostgreSQL and
    SQLite >= 3.35): no look-up first and no savepoint, and a concurrent writer raising the same alert at
    the same moment is absorbed by the unique constraint, not an error. A write that correlates with many
    records raises many alerts, so this is on the write path's hot loop."""
    statement = ALERT_INSERT[conn.dialect.name]
    found = conn.execute(statement, {**row, "read_at": None}).scalar_one_or_none()
    return None if found is None else int(found)


def insert_alerts(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> int:
    """Store several alerts (keys as for `insert_alert`) in a few statements; how many were new (an alert whose
    user already has its `dedupe` is skipped, as `insert_alert` skips it). Rows are inserted in the order
    given, so their ids follow that order as one `insert_alert` per row would give them.

    `INSERT ... VALUES (...), (...) ON CONFLICT (user_id, dedupe) DO NOTHING RETURNING id`, with
    `ALERT_ROWS_PER_STATEMENT` rows per statement (SQLAlchemy's "insert many values" batching): a write that
    correlates with many records raises one alert per user of each matching record's owner, and a round
    trip per alert was most of that write's cost."""
    if not rows:
        return 0
    statement = ALERTS_INSERT[conn.dialect.name]
    return len(conn.execute(statement, [{**row, "read_at": None} for row in rows]).all())


def alerts_of(conn: Connection, user_id: int, *, unread: bool | None = None) -> list[Mapping[Any, Any]]:
    """The user's alerts, newest first (`unread`: only unread, only read, or all)."""
    a = alerts.c
    query = select(alerts).where(a.user_id == user_id).order_by(a.id.desc())
    if unread is True:
        query = query.where(a.read_at.is_(None))
    elif unread is False:
        query = query.where(a.read_at.is_not(None))
    return list(conn.execute(query).mappings())


def alert_of(conn: Connection, user_id: int, alert_id: int) -> Mapping[Any, Any] | None:
    """The user's alert by id, or None."""
    a = alerts.c
    return conn.execute(select(alerts).where(a.id == alert_id, a.user_id == user_id)).mappings().first()


def mark_read(conn: Connection, alert_id: int, *, at: datetime) -> None:
    """Mark the alert read (a read alert keeps its first read time)."""
    a = alerts.c
    conn.execute(update(alerts).where(a.id == alert_id, a.read_at.is_(None)).values(read_at=at))
