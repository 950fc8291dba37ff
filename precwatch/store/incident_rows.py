"""Incident rows: derived columns for filtering, the dict callers get back, and visibility as SQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from precwatch.core.incidents import (
    EDITABLE_FIELDS,
    IncidentError,
    normalise_search,
    party_names_text,
    route_countries,
    search_text,
    substance_ids,
)
from precwatch.core.knowledge import KnowledgeBase
from precwatch.core.sharing import RecordAcl, Viewer
from precwatch.store.models import IncidentFilter
from precwatch.store.tables import incident_org_shares, incident_user_shares, incidents

AUDITED_READ_TLPS = frozenset({"amber", "amber+strict", "red"})
"""Reads of records at these levels are written to the audit log."""


OUTPUT_COLUMNS = tuple(
    c for c in incidents.c if not c.name.startswith(("search_", "party_names_")) and c.name != "substance_ids"
)
"""The columns `to_incident` and `acl_of` need (the derived search columns stay in the database)."""


MAX_QUERY_WORDS = 20
"""Full-text queries are limited to this many words (each is one LIKE condition)."""


def _bars(values: list[str]) -> str:
    return "|" + "|".join(values) + "|"


def derived_columns(body: Mapping[str, Any]) -> dict[str, Any]:
    """The columns computed from an incident body (filters and per-audience search text)."""
    return {
        "type": body["type"],
        "occurred_on": date.fromisoformat(body["occurred_on"]),
        "reported_on": date.fromisoformat(body["reported_on"]),
        "country": body["country"],
        "tlp": body["tlp"],
        "quantity": body["quantity"],
        "unit": body["unit"],
        "body": dict(body),
        "substance_ids": _bars(substance_ids(body["substances"])),
        "countries": _bars(route_countries(body)),
        "party_names_owner": party_names_text(body, owner=True),
        "party_names_public": party_names_text(body, owner=False),
        "search_owner": search_text(body, owner=True),
        "search_public": search_text(body, owner=False),
    }


def acl_of(row: Mapping[Any, Any]) -> RecordAcl:
    """The access-control facts of an incident row."""
    body = row["body"]
    return RecordAcl(
        owner_org_id=int(row["owner_org_id"]),
        owner_user_id=int(row["owner_user_id"]),
        tlp=row["tlp"],
        shared_with_orgs=frozenset(body.get("shared_with_orgs") or ()),
        shared_with_users=frozenset(body.get("shared_with_users") or ()),
    )


def to_incident(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The incident as stored (not yet redacted): every editable field plus identity, version and retraction."""
    body = row["body"]
    out: dict[str, Any] = {
        "id": row["id"],
        "owner_org_id": int(row["owner_org_id"]),
        "owner_user_id": int(row["owner_user_id"]),
        "version": int(row["version"]),
    }
    out.update({k: body.get(k) for k in EDITABLE_FIELDS})
    out["substances"] = body.get("substances") or []
    out["created_at"] = row["created_at"].isoformat()
    out["updated_at"] = row["updated_at"].isoformat()
    out["retracted"] = row["retracted_at"] is not None
    out["retracted_at"] = row["retracted_at"].isoformat() if row["retracted_at"] else None
    out["retraction_reason"] = row["retraction_reason"]
    return out


def editable_body(incident: Mapping[str, Any]) -> dict[str, Any]:
    """The client-settable fields of a stored incident (the base an update is merged onto)."""
    return {k: incident.get(k) for k in EDITABLE_FIELDS}


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """SQL form of `core.sharing.can_view`: the incidents `viewer` may see."""
    t = incidents.c
    org_share = exists(
        select(incident_org_shares.c.incident_id).where(
            incident_org_shares.c.incident_id == t.id, incident_org_shares.c.org_id == viewer.org_id
        )
    )
    user_share = exists(
        select(incident_user_shares.c.incident_id).where(
            incident_user_shares.c.incident_id == t.id, incident_user_shares.c.user_id == viewer.user_id
        )
    )
    return or_(
        t.tlp.in_(("clear", "green")),
        and_(t.tlp.in_(("amber", "amber+strict")), or_(t.owner_org_id == viewer.org_id, org_share)),
        and_(t.tlp == "red", or_(t.owner_user_id == viewer.user_id, user_share)),
    )


def _as_seen(viewer: Viewer, owner_col: Any, public_col: Any, needle: str) -> ColumnElement[bool]:
    """`needle` occurs in the owner's text for the owner organisation, in the redacted text for everyone else."""
    t = incidents.c
    return or_(
        and_(t.owner_org_id == viewer.org_id, owner_col.like(f"%{needle}%")),
        and_(t.owner_org_id != viewer.org_id, public_col.like(f"%{needle}%")),
    )


def filter_clauses(viewer: Viewer, f: IncidentFilter, kb: KnowledgeBase) -> list[ColumnElement[bool]]:
    """SQL conditions for `f` (all must hold), computed on the text each viewer may see."""
    t = incidents.c
    out: list[ColumnElement[bool]] = []
    if f.substance:
        sid = resolve_substance(f.substance, kb)
        out.append(t.substance_ids.like(f"%|{sid}|%") if sid else false())
    if f.country:
        out.append(t.countries.like(f"%|{f.country.strip().upper()}|%"))
    if f.type:
        out.append(t.type == f.type)
    if f.occurred_from:
        out.append(t.occurred_on >= f.occurred_from)
    if f.occurred_to:
        out.append(t.occurred_on <= f.occurred_to)
    if f.party and normalise_search(f.party).strip():
        out.append(
            _as_seen(viewer, t.party_names_owner, t.party_names_public, normalise_search(f.party).strip())
        )
    if f.q:
        words = normalise_search(f.q).split()
        if len(words) > MAX_QUERY_WORDS:
            raise IncidentError("q", f"at most {MAX_QUERY_WORDS} words, got {len(words)}")
        for word in words:
            out.append(_as_seen(viewer, t.search_owner, t.search_public, word))
    if f.retracted is not None:
        out.append(t.retracted_at.is_not(None) if f.retracted else t.retracted_at.is_(None))
    if f.owner_org_id is not None:
        out.append(t.owner_org_id == f.owner_org_id)
    return out or [true()]


def resolve_substance(query: str, kb: KnowledgeBase) -> str | None:
    """The KB id for a substance filter given as an id, CAS RN, InChIKey or name (None: unknown)."""
    found = kb.lookup(query.strip())
    return found.id if found else None
