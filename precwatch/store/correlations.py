"""The correlation-keys repository: each record's normalised keys, and who else holds a key.

Functions take the caller's `Connection` and neither authorise nor decide what to show: that is the hub's
job (`precwatch.hub.correlation`). A record is named by its kind (`incident`, and any kind registered with
the hub's record sources) and id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, tuple_

from precwatch.core.sharing.correlation import RecordKey
from precwatch.store.tables import correlation_keys

t = correlation_keys.c

# The statements of the write path, built once (as `store.incidents` does for reads): building one per call
# and computing its cache key cost more CPU than running it. `keys` is an expanding parameter.
DELETE_KEYS = delete(correlation_keys).where(
    t.record_kind == bindparam("record_kind"), t.record_id == bindparam("record_id")
)
INSERT_KEYS = insert(correlation_keys)
KEY_COUNTS = select(t.key, func.count()).where(t.key.in_(bindparam("keys", expanding=True))).group_by(t.key)
HOLDERS = (
    select(t.record_kind, t.record_id, t.key, t.public)
    .where(t.key.in_(bindparam("keys", expanding=True)))
    .order_by(t.record_kind, t.record_id, t.key)
)
HOLDERS_EXCEPT = (
    select(t.record_kind, t.record_id, t.key, t.public)
    .where(
        t.key.in_(bindparam("keys", expanding=True)),
        ~and_(t.record_kind == bindparam("except_kind"), t.record_id == bindparam("except_id")),
    )
    .order_by(t.record_kind, t.record_id, t.key)
)


@dataclass(frozen=True, slots=True)
class KeyHolder:
    """A stored record holding a key: its kind and id, the key, and whether the key is public there."""

    record_kind: str
    record_id: str
    key: str
    public: bool


def replace_keys(
    conn: Connection, record_kind: str, record_id: str, keys: Iterable[RecordKey], *, new: bool = False
) -> None:
    """Store `keys` as the record's keys (its previous keys are dropped; `new`: the record was created in
    this transaction, under a new id, so it has none and the DELETE is skipped)."""
    if not new:
        conn.execute(DELETE_KEYS, {"record_kind": record_kind, "record_id": record_id})
    rows = [
        {"record_kind": record_kind, "record_id": record_id, "key": k.key, "public": k.public} for k in keys
    ]
    if rows:
        conn.execute(INSERT_KEYS, rows)


def keys_of(conn: Connection, record_kind: str, record_id: str) -> list[KeyHolder]:
    """The record's stored keys."""
    query = select(t.record_kind, t.record_id, t.key, t.public).where(
        t.record_kind == record_kind, t.record_id == record_id
    )
    return [KeyHolder(r.record_kind, r.record_id, r.key, bool(r.public)) for r in conn.execute(query)]


def key_counts(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    """How many stored records hold each of `keys` (keys held by none are left out)."""
    if not keys:
        return {}
    return {str(k): int(n) for k, n in conn.execute(KEY_COUNTS, {"keys": list(keys)})}


def holders(
    conn: Connection, keys: Sequence[str], *, exclude: tuple[str, str] | None = None
) -> list[KeyHolder]:
    """Every stored record holding one of `keys`, except the record `exclude` (kind, id)."""
    if not keys:
        return []
    if exclude is None:
        result = conn.execute(HOLDERS, {"keys": list(keys)})
    else:
        params = {"keys": list(keys), "except_kind": exclude[0], "except_id": exclude[1]}
        result = conn.execute(HOLDERS_EXCEPT, params)
    return [KeyHolder(r.record_kind, r.record_id, r.key, bool(r.public)) for r in result]


def has_keys(conn: Connection, records: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of the (kind, id) records have keys stored."""
    wanted = list(records)
    if not wanted:
        return set()
    query = (
        select(t.record_kind, t.record_id).where(tuple_(t.record_kind, t.record_id).in_(wanted)).distinct()
    )
    return {(str(k), str(i)) for k, i in conn.execute(query)}
