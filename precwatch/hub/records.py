"""The kinds of shared record that correlation, alerts and re-screening work over: a small registry.

Each kind (`incident` here; pre-export notifications plug in the same way) is a `RecordSource`: how to load
stored records with their access facts, redact one for a viewer, summarise it for a correlation list, read
its correlation keys and page through the text it identifies substances in. The correlation, alert and
re-screening use cases only talk to this registry, so a new kind of record joins them by calling
`register(source)` once, at import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select

from precwatch.core.sharing.correlation import RecordKey, Warninglist, record_keys
from precwatch.core.sharing.tlp import RecordAcl, Viewer, redact
from precwatch.store import incidents as incident_rows
from precwatch.store.tables import incidents as incidents_table


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored record (not redacted) and who may see it."""

    record: dict[str, Any]
    acl: RecordAcl


@dataclass(frozen=True)
class RecordSource:
    """One kind of record, as correlation, alerts and re-screening need it.

    - `load(conn, ids)`: the stored records among `ids` (missing ones left out; a retracted record stays
      readable, and its keys are dropped when it is retracted, so it links nothing);
    - `redact(record, viewer, acl)`: the record as `viewer` may see it;
    - `summary(record)`: the fields a correlation list shows (id, date, country, TLP ...);
    - `keys(record, warninglist)`: its correlation keys;
    - `texts(conn, after_id, limit)`: (id, text) of live records after `after_id` in id order, the text
      substances are identified in (re-screening);
    - `acls(conn, ids)`: only the access facts of the stored records among `ids` (what `load` gives as
      `Stored.acl`, without reading and parsing whole records: owner notices need nothing else).
    """

    kind: str
    label: str
    load: Callable[[Connection, Sequence[str]], dict[str, Stored]]
    redact: Callable[[Mapping[str, Any], Viewer, RecordAcl], dict[str, Any]]
    summary: Callable[[Mapping[str, Any]], dict[str, Any]]
    keys: Callable[[Mapping[str, Any], Warninglist | None], list[RecordKey]]
    texts: Callable[[Connection, str | None, int], list[tuple[str, str]]]
    acls: Callable[[Connection, Sequence[str]], dict[str, RecordAcl]]


SOURCES: dict[str, RecordSource] = {}
"""Every registered kind of record, by kind."""


def register(source: RecordSource) -> None:
    """Add a kind of record (or replace the one of the same kind)."""
    SOURCES[source.kind] = source


def source(kind: str) -> RecordSource:
    """The registered source of `kind` (KeyError for an unknown kind)."""
    return SOURCES[kind]


# -- incidents -----------------------------------------------------------------------------------------


def _load_incidents(conn: Connection, ids: Sequence[str]) -> dict[str, Stored]:
    if not ids:
        return {}
    t = incidents_table.c
    query = select(*incident_rows.OUTPUT_COLUMNS).where(t.id.in_(list(ids)))
    out = {}
    for row in conn.execute(query).mappings():
        out[str(row["id"])] = Stored(incident_rows.to_incident(row), incident_rows.acl_of(row))
    return out


ACL_COLUMNS = (
    incidents_table.c.id,
    incidents_table.c.owner_org_id,
    incidents_table.c.owner_user_id,
    incidents_table.c.tlp,
    incidents_table.c.state,
    incidents_table.c.body["shared_with_orgs"].label("shared_with_orgs"),
    incidents_table.c.body["shared_with_users"].label("shared_with_users"),
)
"""What `incident_rows.acl_of` reads of a row: the share lists come out of the JSON body in SQL."""


ACLS = select(*ACL_COLUMNS).where(incidents_table.c.id.in_(bindparam("ids", expanding=True)))


def _incident_acls(conn: Connection, ids: Sequence[str]) -> dict[str, RecordAcl]:
    if not ids:
        return {}
    out = {}
    for row in conn.execute(ACLS, {"ids": list(ids)}).mappings():
        body = {"shared_with_orgs": row["shared_with_orgs"], "shared_with_users": row["shared_with_users"]}
        out[str(row["id"])] = incident_rows.acl_of({**row, "body": body})
    return out


def _incident_summary(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) for k in ("id", "type", "occurred_on", "country", "tlp", "owner_org_id")}


def _incident_keys(record: Mapping[str, Any], warninglist: Warninglist | None) -> list[RecordKey]:
    return record_keys(record, warninglist=warninglist)


def _incident_texts(conn: Connection, after_id: str | None, limit: int) -> list[tuple[str, str]]:
    t = incidents_table.c
    query = select(t.id, t.body).where(t.retracted_at.is_(None)).order_by(t.id).limit(limit)
    if after_id is not None:
        query = query.where(t.id > after_id)
    return [(str(r.id), str(r.body.get("substances_text") or "")) for r in conn.execute(query)]


INCIDENTS = RecordSource(
    kind="incident",
    label="incident",
    load=_load_incidents,
    redact=redact,
    summary=_incident_summary,
    keys=_incident_keys,
    texts=_incident_texts,
    acls=_incident_acls,
)
register(INCIDENTS)
