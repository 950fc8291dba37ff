"""Appending to and reading the hash-chained audit log inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from precwatch.core.sharing.audit_chain import canonical_json, entry_hash
from precwatch.core.sharing.tlp import Viewer
from precwatch.store import queries
from precwatch.store.models import AuditEntry


def append(
    conn: Connection,
    actor: Viewer | None,
    action: str,
    resource: str,
    resource_id: str | None,
    request_id: str | None,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Append one entry in the current transaction and return its seq.

    The chain head row is read `FOR UPDATE` (PostgreSQL: concurrent appenders queue on that row lock; SQLite
    transactions already hold the write lock from `BEGIN IMMEDIATE`), so two transactions never link to the
    same predecessor.
    """
    head = conn.execute(queries.AUDIT_HEAD_FOR_UPDATE).one()
    content: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "actor_user_id": actor.user_id if actor else None,
        "actor_org_id": actor.org_id if actor else None,
        "action": action,
        "resource": resource,
        "resource_id": resource_id,
        "request_id": request_id,
        "detail": dict(detail or {}),
    }
    seq = int(head.seq) + 1
    digest = entry_hash(str(head.hash), content)
    row = {
        **content,
        "detail": canonical_json(content["detail"]),
        "seq": seq,
        "prev_hash": head.hash,
        "hash": digest,
    }
    conn.execute(queries.AUDIT_INSERT, row)
    conn.execute(queries.AUDIT_MOVE_HEAD, {"new_seq": seq, "new_hash": digest})
    return seq


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
