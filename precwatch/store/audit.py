"""The audit repository: appending to and reading the hash-chained audit log in the caller's transaction.

The hash chain itself (canonical JSON, entry hashes, verification) is `precwatch.core.sharing.audit_chain`; here
are its rows. The database refuses UPDATE and DELETE on `audit_log` (triggers of migration 0001).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from precwatch.core.sharing.audit_chain import canonical_json, entry_hash
from precwatch.core.sharing.tlp import Viewer
from precwatch.store.models import AuditEntry
from precwatch.store.tables import audit_head, audit_log

HEAD_FOR_UPDATE = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
ENTRY_INSERT = insert(audit_log)
MOVE_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)
INSERT_AND_MOVE_HEAD = insert(audit_log).add_cte(MOVE_HEAD.cte("moved_head"))
"""PostgreSQL: one entry inserted and the head moved in one statement (a data-modifying `WITH`, which
PostgreSQL runs exactly once, to completion, with the INSERT): one round trip fewer per audited request."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What one audit entry says (`append_many`); who and when are added on appending."""

    action: str
    resource: str
    resource_id: str | None = None
    request_id: str | None = None
    detail: Mapping[str, Any] | None = None


def append(
    conn: Connection,
    actor: Viewer | None,
    *,
    action: str,
    resource: str,
    resource_id: str | None = None,
    request_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Append one entry in the current transaction and return its seq.

    The chain head row is read `FOR UPDATE` (PostgreSQL: concurrent appenders queue on that row lock; SQLite
    transactions already hold the write lock from `BEGIN IMMEDIATE`), so two transactions never link to the
    same predecessor.
    """
    entry = Entry(action, resource, resource_id, request_id, detail)
    return append_many(conn, actor, [entry])[0]


def append_many(conn: Connection, actor: Viewer | None, entries: Sequence[Entry]) -> list[int]:
    """Append `entries` in order, in the current transaction, each linked to the one before exactly as
    one `append` per entry would link them; their seqs. The head is read (`FOR UPDATE`) and moved once,
    and the rows go in one executemany: 3 statements whatever the number of entries, not 3 each (2 for
    one entry on PostgreSQL: `INSERT_AND_MOVE_HEAD`)."""
    if not entries:
        return []
    head = conn.execute(HEAD_FOR_UPDATE).one()
    seq, prev = int(head.seq), str(head.hash)
    rows = []
    for e in entries:
        content: dict[str, Any] = {
            "at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "actor_user_id": actor.user_id if actor else None,
            "actor_org_id": actor.org_id if actor else None,
            "action": e.action,
            "resource": e.resource,
            "resource_id": e.resource_id,
            "request_id": e.request_id,
            "detail": dict(e.detail or {}),
        }
        seq += 1
        digest = entry_hash(prev, content)
        rows.append(
            {
                **content,
                "detail": canonical_json(content["detail"]),
                "seq": seq,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    if len(rows) == 1 and conn.dialect.name == "postgresql":
        conn.execute(INSERT_AND_MOVE_HEAD, {**rows[0], "new_seq": seq, "new_hash": prev})
    else:  # SQLite has no data-modifying WITH; several rows go in one executemany
        conn.execute(ENTRY_INSERT, rows if len(rows) > 1 else rows[0])
        conn.execute(MOVE_HEAD, {"new_seq": seq, "new_hash": prev})
    return [int(r["seq"]) for r in rows]


def to_entry(row: Mapping[Any, Any]) -> AuditEntry:
    """An `AuditEntry` from a database row (`detail` parsed back from its canonical JSON)."""
    return AuditEntry(
        seq=int(row["seq"]),
        at=str(row["at"]),
        actor_user_id=row["actor_user_id"],
        actor_org_id=row["actor_org_id"],
        action=str(row["action"]),
        resource=str(row["resource"]),
        resource_id=row["resource_id"],
        request_id=row["request_id"],
        detail=json.loads(row["detail"]),
        prev_hash=str(row["prev_hash"]),
        hash=str(row["hash"]),
    )


def for_verify(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A row as `core.audit_chain.verify` wants it; unparseable detail is kept as text (so it fails the hash)."""
    out = dict(row)
    try:
        out["detail"] = json.loads(row["detail"])
    except ValueError:
        out["detail"] = row["detail"]
    return out


def entries(
    conn: Connection, after_seq: int = 0, limit: int = 1000, *, org_id: int | None = None
) -> list[AuditEntry]:
    """Entries with seq > `after_seq`, oldest first; `org_id` keeps only entries by that org's users."""
    query = select(audit_log).where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq).limit(limit)
    if org_id is not None:
        query = query.where(audit_log.c.actor_org_id == org_id)
    return [to_entry(r) for r in conn.execute(query).mappings()]


def rows_for_verify(conn: Connection) -> list[dict[str, Any]]:
    """Every entry, by seq, as `core.audit_chain.verify` wants it."""
    return [for_verify(r) for r in conn.execute(select(audit_log).order_by(audit_log.c.seq)).mappings()]


def head(conn: Connection) -> tuple[int, str]:
    """The last seq and its hash, as the head row holds them."""
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one()
    return int(row.seq), str(row.hash)


def count(conn: Connection) -> int:
    """How many entries the log holds."""
    return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
