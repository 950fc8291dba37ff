"""Incident rows: derived columns for filtering and the dict callers get back (the SQL of visibility and
filters is in `precwatch.store.queries`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.incidents import (
    EDITABLE_FIELDS,
    party_names_text,
    route_countries,
    search_text,
    substance_ids,
)
from precwatch.core.sharing.tlp import RecordAcl
from precwatch.store.tables import incidents

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


def resolve_substance(query: str, kb: KnowledgeBase) -> str | None:
    """The KB id for a substance filter given as an id, CAS RN, InChIKey or name (None: unknown)."""
    found = kb.lookup(query.strip())
    return found.id if found else None
