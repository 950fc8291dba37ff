"""Incident use cases: create, get, update, retract, list and count, under TLP.

Conventions:
- Each use case authorises (`core.sharing`), validates (`core.incidents`), identifies substances against
  the knowledge base, persists (`store.incidents`) and audits (`store.audit`). Every write, and every list
  holding an amber, amber+strict or red incident, appends its audit entry in the same transaction as the
  change or read (they commit or fail together); a single read (`get`) reads in one statement and then
  commits its audit entry before it answers (no entry, no answer). `viewer` says who; `request_id` ties the entry to the request.
- A record the viewer may not see is reported exactly like a missing one (`None` from `get_incident`,
  `NotFound` from writes) and never appears in lists or counts (the visibility rule is in the SQL, and
  re-checked here by the policy).
- Incidents are JSON-ready dicts: the editable fields (`core.incidents.EDITABLE_FIELDS`) plus `id`,
  `owner_org_id`, `owner_user_id`, `version`, `substances` (identified KB ids with evidence),
  `created_at`, `updated_at`, `retracted`, `retracted_at`, `retraction_reason`. Partners get owner-only
  nominal fields as `"[redacted]"`.
- Datetimes in and out are timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NoReturn

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.audit_chain import canonical_json
from precwatch.core.sharing.incidents import (
    EDITABLE_FIELDS,
    IncidentError,
    identify_substances,
    validate_incident,
)
from precwatch.core.sharing.tlp import Viewer, can_edit, can_view, redact
from precwatch.hub import alerts as watch
from precwatch.hub import correlation
from precwatch.hub.context import HubContext
from precwatch.hub.errors import Forbidden, IdempotencyConflict, NotFound, Retracted, VersionConflict
from precwatch.store import accounts, audit
from precwatch.store import incidents as rows
from precwatch.store.models import IncidentFilter

MAX_PAGE = 500
"""The largest `limit` a list accepts."""

AUDITED_READ_TLPS = frozenset({"amber", "amber+strict", "red"})
"""Reads of records at these levels are written to the audit log."""


def _now() -> datetime:
    return datetime.now(UTC)


def _correlate_and_alert(
    ctx: HubContext,
    conn: Connection,
    row: Mapping[Any, Any],
    author: Viewer,
    *,
    created: bool,
    new_id: bool = False,
) -> None:
    """Index the written incident's correlation keys (owner notices) and raise watch-rule alerts, in the
    transaction of the write (see `precwatch.hub.correlation` and `precwatch.hub.alerts`). `new_id`: the
    row was inserted in this transaction under a new id, so no keys are stored for it yet (a published
    draft is `created` for alerts but was indexed as a draft)."""
    record, acl = rows.to_incident(row), rows.acl_of(row)
    correlation.index_record(
        conn, "incident", record, acl, author=author, warninglist=ctx.warninglist, new_id=new_id
    )
    watch.on_record_changed(conn, "incident", record, acl, author=author, created=created)


def _seen(row: Mapping[Any, Any], viewer: Viewer) -> dict[str, Any]:
    """The row as an incident, redacted for `viewer`."""
    return redact(rows.to_incident(row), viewer, rows.acl_of(row))


def editable_body(incident: Mapping[str, Any]) -> dict[str, Any]:
    """The client-settable fields of a stored incident (the base an update is merged onto)."""
    return {k: incident.get(k) for k in EDITABLE_FIELDS}


def resolve_substance(query: str, kb: KnowledgeBase) -> str | None:
    """The KB id for a substance filter given as an id, CAS RN, InChIKey or name (None: unknown)."""
    found = kb.lookup(query.strip())
    return found.id if found else None


def create(
    ctx: HubContext,
    viewer: Viewer,
    data: Mapping[str, Any],
    *,
    idempotency_key: str | None = None,
    request_id: str | None = None,
    draft: bool = False,
) -> dict[str, Any]:
    """Record an incident owned by the viewer's organisation (version 1) and return it. A `draft` is seen
    by the owner organisation only until an analyst publishes it (`precwatch.hub.drafts.publish`).

    Raises `Forbidden` for viewers, `IncidentError` for bad data. With an idempotency key, a repeat of
    the same request returns the incident first created (no second record); the
    same key with a different body raises `IdempotencyConflict`.
    """
    if not viewer.can_write:
        raise Forbidden("viewers cannot create incidents")
    body = validate_incident(data)
    state = rows.DRAFT if draft else rows.PUBLISHED
    fingerprint = hashlib.sha256(
        canonical_json({**body, "state": state} if draft else body).encode()
    ).hexdigest()
    try:
        with ctx.begin() as conn:
            # A repeat is looked up in the transaction that would write the incident (one transaction, not
            # two, for the common first request); a concurrent twin is caught by the unique key below.
            if idempotency_key is not None:
                replay = _replay(conn, viewer, idempotency_key, fingerprint, request_id)
                if replay is not None:
                    return replay
            now = _now()
            body["reported_on"] = body["reported_on"] or now.date().isoformat()
            body["substances"] = identify_substances(body["substances_text"], ctx.kb)
            incident_id = uuid.uuid4().hex
            row = {
                "id": incident_id,
                "owner_org_id": viewer.org_id,
                "owner_user_id": viewer.user_id,
                "version": 1,
                "idempotency_key": idempotency_key,
                "idempotency_hash": fingerprint if idempotency_key else None,
                "created_at": now,
                "updated_at": now,
                "retracted_at": None,
                "retraction_reason": None,
                "state": state,
                **rows.derived_columns(body),
            }
            _check_shares(conn, body)
            rows.insert_incident(
                conn, row, org_shares=body["shared_with_orgs"], user_shares=body["shared_with_users"]
            )
            _correlate_and_alert(ctx, conn, row, viewer, created=True, new_id=True)
            detail = {"version": 1, "tlp": body["tlp"], "idempotency_key": idempotency_key, "state": state}
            audit.append(
                conn,
                viewer,
                action="incident.create",
                resource="incident",
                resource_id=incident_id,
                request_id=request_id,
                detail=detail,
            )
    except IntegrityError:
        if idempotency_key is None:
            raise
        replay = _idempotent_replay(ctx, viewer, idempotency_key, fingerprint, request_id)
        if replay is None:
            raise
        return replay
    return _seen(row, viewer)


def _idempotent_replay(
    ctx: HubContext, viewer: Viewer, key: str, fingerprint: str, request_id: str | None
) -> dict[str, Any] | None:
    with ctx.begin() as conn:
        return _replay(conn, viewer, key, fingerprint, request_id)


def _replay(
    conn: Connection, viewer: Viewer, key: str, fingerprint: str, request_id: str | None
) -> dict[str, Any] | None:
    """The incident first created with this idempotency key by the viewer's organisation (the replay
    audited), None when the key is new; `IdempotencyConflict` when it was used for another request."""
    row = rows.by_idempotency_key(conn, viewer.org_id, key)
    if row is None:
        return None
    if row["idempotency_hash"] != fingerprint or not can_view(viewer, rows.acl_of(row)):
        raise IdempotencyConflict(f"idempotency key {key!r} was already used for a different request")
    audit.append(
        conn,
        viewer,
        action="incident.create-replay",
        resource="incident",
        resource_id=row["id"],
        request_id=request_id,
        detail={"idempotency_key": key, "tlp": row["tlp"]},
    )
    return _seen(row, viewer)


def _visible_row(conn: Connection, viewer: Viewer, incident_id: str) -> Mapping[Any, Any] | None:
    row = rows.visible_row(conn, viewer, incident_id)
    if row is None or not can_view(viewer, rows.acl_of(row)):  # the SQL rule, re-checked by the policy
        return None
    return row


def get(
    ctx: HubContext, viewer: Viewer, incident_id: str, *, request_id: str | None = None
) -> dict[str, Any] | None:
    """The incident as `viewer` may see it (owner-only fields redacted for partners), or None when it does
    not exist or is not visible to the viewer. Reads of amber, amber+strict and red records are audited.

    The row is read in one statement (no transaction: on PostgreSQL that saves the BEGIN and COMMIT round
    trips of the most common request); an audited read then appends its entry in a transaction of its own
    before anything is returned, so a read whose audit entry fails is not answered. The entry names the
    version that was read and returned."""
    with ctx.single_read() as conn:
        row = _visible_row(conn, viewer, incident_id)
    if row is None:
        return None
    if row["tlp"] in AUDITED_READ_TLPS:
        detail = {"tlp": row["tlp"], "version": row["version"]}
        with ctx.begin() as conn:
            ctx.audit_read(
                conn, viewer, "incident.read", resource_id=incident_id, request_id=request_id, detail=detail
            )
    return _seen(row, viewer)


def get_many(
    ctx: HubContext, viewer: Viewer, incident_ids: Sequence[str], *, request_id: str | None = None
) -> list[dict[str, Any] | None]:
    """`get` for several ids at once: for each id (in the order given) the incident as `viewer` may see it,
    or None when it does not exist or is not visible.

    The rows are read in one statement, and the audit entries of the audited reads (one `incident.read`
    per record, with the version read, in the order asked, exactly the entries one `get` per id appends;
    an id asked twice is read and audited once) are committed together in one transaction before anything
    is returned: no entries, no answer."""
    wanted = list(dict.fromkeys(incident_ids))
    with ctx.single_read() as conn:
        found = rows.visible_rows(conn, viewer, wanted)
    seen = {i: r for i, r in found.items() if can_view(viewer, rows.acl_of(r))}  # the SQL rule, re-checked
    reads = [
        (i, {"tlp": seen[i]["tlp"], "version": seen[i]["version"]})
        for i in wanted
        if i in seen and seen[i]["tlp"] in AUDITED_READ_TLPS
    ]
    if reads:
        with ctx.begin() as conn:
            ctx.audit_reads(conn, viewer, "incident.read", reads, request_id=request_id)
    return [_seen(seen[i], viewer) if i in seen else None for i in incident_ids]


def update(
    ctx: HubContext,
    viewer: Viewer,
    incident_id: str,
    *,
    changes: Mapping[str, Any],
    expected_version: int | None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Change an incident if it is still at `expected_version` (None: whatever version it is at now, as
    `If-Match: *`); returns it at the next version.

    `changes` holds the fields to change (the others keep their values; give them all to replace). Raises
    `NotFound` (missing or invisible), `Forbidden` (not a writer of the owner organisation),
    `Retracted`, `VersionConflict` (someone else changed it first: nothing is written), `IncidentError`.
    The check is a conditional `UPDATE ... WHERE version = :expected`, so of two concurrent updates at the
    same version exactly one wins.
    """
    with ctx.begin() as conn:
        row = _visible_row(conn, viewer, incident_id)
        if row is None:
            raise NotFound(f"no incident {incident_id}")
        expected = int(row["version"]) if expected_version is None else expected_version
        _check_writable(viewer, row, expected)
        current = rows.to_incident(row)
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise IncidentError(sorted(unknown)[0], "cannot be changed")
        body = validate_incident({**editable_body(current), **changes})
        body["reported_on"] = body["reported_on"] or current["reported_on"]
        if body["substances_text"] == current["substances_text"]:
            body["substances"] = current["substances"]
        else:
            body["substances"] = identify_substances(body["substances_text"], ctx.kb)
        _check_shares(conn, body)
        changed = sorted(k for k in EDITABLE_FIELDS if body.get(k) != current.get(k))
        values = {"updated_at": _now(), **rows.derived_columns(body)}
        updated = rows.update_at_version(conn, incident_id, expected_version=expected, values=values)
        if updated is None:
            _raise_lost_race(conn, incident_id, expected)
        rows.write_shares(
            conn, incident_id, orgs=body["shared_with_orgs"], users=body["shared_with_users"], replace=True
        )
        _correlate_and_alert(ctx, conn, updated, viewer, created=False)
        audit.append(
            conn,
            viewer,
            action="incident.update",
            resource="incident",
            resource_id=incident_id,
            request_id=request_id,
            detail={"version": expected + 1, "changed": changed, "tlp": body["tlp"]},
        )
        return _seen(updated, viewer)


def retract(
    ctx: HubContext,
    viewer: Viewer,
    incident_id: str,
    *,
    reason: str,
    expected_version: int | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Retract an incident with a reason (the record stays readable, marked retracted, for everyone it was
    shared with). Raises `NotFound`, `Forbidden`, `Retracted` (already), `VersionConflict`, `ValueError`."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a retraction needs a reason")
    with ctx.begin() as conn:
        row = _visible_row(conn, viewer, incident_id)
        if row is None:
            raise NotFound(f"no incident {incident_id}")
        expected = int(row["version"]) if expected_version is None else expected_version
        _check_writable(viewer, row, expected)
        now = _now()
        values = {"updated_at": now, "retracted_at": now, "retraction_reason": reason}
        retracted = rows.update_at_version(conn, incident_id, expected_version=expected, values=values)
        if retracted is None:
            _raise_lost_race(conn, incident_id, expected)
        correlation.unindex_record(conn, "incident", incident_id)
        audit.append(
            conn,
            viewer,
            action="incident.retract",
            resource="incident",
            resource_id=incident_id,
            request_id=request_id,
            detail={"version": expected + 1, "reason": reason, "tlp": row["tlp"]},
        )
        return _seen(retracted, viewer)


def _check_writable(viewer: Viewer, row: Mapping[Any, Any], expected_version: int) -> None:
    if not can_edit(viewer, rows.acl_of(row)):
        raise Forbidden("only analysts and admins of the owner organisation may change this incident")
    if row["retracted_at"] is not None:
        raise Retracted(f"incident {row['id']} is retracted")
    if int(row["version"]) != expected_version:
        raise VersionConflict(str(row["id"]), expected_version, int(row["version"]))


def _raise_lost_race(conn: Connection, incident_id: str, expected_version: int) -> NoReturn:
    version, retracted_at = rows.version_state(conn, incident_id)
    if retracted_at is not None:
        raise Retracted(f"incident {incident_id} is retracted")
    raise VersionConflict(incident_id, expected_version, version)


def _check_shares(conn: Connection, body: Mapping[str, Any]) -> None:
    for key, existing in (
        ("shared_with_orgs", accounts.existing_org_ids),
        ("shared_with_users", accounts.existing_user_ids),
    ):
        wanted = set(body[key])
        if wanted:
            missing = sorted(wanted - existing(conn, wanted))
            if missing:
                raise IncidentError(key, f"unknown ids {missing}")


def _substance_id(filters: IncidentFilter, kb: KnowledgeBase) -> str | None:
    return resolve_substance(filters.substance, kb) if filters.substance else None


def list_page(
    ctx: HubContext,
    viewer: Viewer,
    filters: IncidentFilter | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    request_id: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the incidents `viewer` may see that match `filters`, newest occurrence first, and the
    total matching count. Visibility and every filter run in SQL, on the text as the viewer may see it.
    A page holding amber, amber+strict or red records is audited (one entry listing their ids)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    filters = filters or IncidentFilter()
    substance_id = _substance_id(filters, ctx.kb)
    with ctx.begin() as conn:
        page, total = rows.list_visible(
            conn, viewer, filters, substance_id=substance_id, limit=limit, offset=offset
        )
        seen = [r for r in page if can_view(viewer, rows.acl_of(r))]
        audited = [r["id"] for r in seen if r["tlp"] in AUDITED_READ_TLPS]
        if audited:
            ctx.audit_read(
                conn,
                viewer,
                "incident.list",
                resource_id=None,
                request_id=request_id,
                detail={"ids": audited},
            )
    return [_seen(r, viewer) for r in seen], total


def count(ctx: HubContext, viewer: Viewer, filters: IncidentFilter | None = None) -> int:
    """How many incidents `viewer` may see match `filters` (the same SQL as `list_page`)."""
    filters = filters or IncidentFilter()
    substance_id = _substance_id(filters, ctx.kb)
    with ctx.begin() as conn:
        return rows.count_visible(conn, viewer, filters, substance_id=substance_id)
