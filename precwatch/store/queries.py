"""The store's hot statements, built once with bind parameters and reused on every call.

SQLAlchemy caches compiled SQL, but finding a statement in that cache means walking the whole statement to
compute its cache key, and building the statement (with the visibility subqueries) costs as much again: on
the hub's read path that was over a tenth of the server's CPU. A statement object built once memoises its
key, so each call here only binds values. The SQL is the same as the ad-hoc form (`incident_rows.visible_to`,
`incident_rows.filter_clauses`), with the values as parameters.

List statements depend on which filters are given (their *shape*); one pair is kept per shape seen.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.incidents import IncidentError, normalise_search
from precwatch.core.sharing.tlp import Viewer
from precwatch.store.incident_rows import MAX_QUERY_WORDS, OUTPUT_COLUMNS, resolve_substance
from precwatch.store.models import IncidentFilter
from precwatch.store.tables import (
    audit_head,
    audit_log,
    incident_org_shares,
    incident_user_shares,
    incidents,
    orgs,
    tokens,
    users,
)

Shape = tuple[Hashable, ...]


def viewer_params(viewer: Viewer) -> dict[str, Any]:
    """The values of the viewer parameters used by `visible_clause` and the filters."""
    return {"viewer_org_id": viewer.org_id, "viewer_user_id": viewer.user_id}


def visible_clause() -> ColumnElement[bool]:
    """`incident_rows.visible_to` with the viewer as parameters (`viewer_org_id`, `viewer_user_id`)."""
    t = incidents.c
    org_id, user_id = bindparam("viewer_org_id", type_=Integer), bindparam("viewer_user_id", type_=Integer)
    org_share = exists(
        select(incident_org_shares.c.incident_id).where(
            incident_org_shares.c.incident_id == t.id, incident_org_shares.c.org_id == org_id
        )
    )
    user_share = exists(
        select(incident_user_shares.c.incident_id).where(
            incident_user_shares.c.incident_id == t.id, incident_user_shares.c.user_id == user_id
        )
    )
    return or_(
        t.tlp.in_(("clear", "green")),
        and_(t.tlp.in_(("amber", "amber+strict")), or_(t.owner_org_id == org_id, org_share)),
        and_(t.tlp == "red", or_(t.owner_user_id == user_id, user_share)),
    )


VISIBLE_ROW = select(*OUTPUT_COLUMNS).where(incidents.c.id == bindparam("incident_id"), visible_clause())
"""One incident by `incident_id` if the viewer may see it."""

AUTHENTICATE = (
    select(users.c.id, users.c.org_id, users.c.role, users.c.email, tokens.c.expires_at, tokens.c.revoked_at)
    .join(users, users.c.id == tokens.c.user_id)
    .where(tokens.c.token_hash == bindparam("token_hash"))
)
"""The user and validity of the token whose hash is `token_hash`."""

ORG_BY_ID = select(orgs).where(orgs.c.id == bindparam("org_id"))

AUDIT_HEAD_FOR_UPDATE = (
    select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
)
AUDIT_INSERT = insert(audit_log)
AUDIT_MOVE_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)

INCIDENT_INSERT = insert(incidents)


def _as_seen(owner_col: Any, public_col: Any, name: str) -> ColumnElement[bool]:
    """Pattern `name` on the owner's text for the owner organisation, on the redacted text for the others."""
    t, org_id = incidents.c, bindparam("viewer_org_id", type_=Integer)
    return or_(
        and_(t.owner_org_id == org_id, owner_col.like(bindparam(name))),
        and_(t.owner_org_id != org_id, public_col.like(bindparam(name))),
    )


def filter_values(f: IncidentFilter, kb: KnowledgeBase) -> tuple[Shape, dict[str, Any]]:
    """Which filters `f` uses (the shape of its SQL) and their parameter values; the same conditions and
    patterns as `incident_rows.filter_clauses`."""
    shape: list[Hashable] = []
    values: dict[str, Any] = {}
    if f.substance:
        sid = resolve_substance(f.substance, kb)
        shape.append("substance" if sid else "no-substance")
        if sid:
            values["substance_pat"] = f"%|{sid}|%"
    if f.country:
        shape.append("country")
        values["country_pat"] = f"%|{f.country.strip().upper()}|%"
    if f.type:
        shape.append("type")
        values["type"] = f.type
    if f.occurred_from:
        shape.append("from")
        values["occurred_from"] = f.occurred_from
    if f.occurred_to:
        shape.append("to")
        values["occurred_to"] = f.occurred_to
    if f.party and normalise_search(f.party).strip():
        shape.append("party")
        values["party_pat"] = f"%{normalise_search(f.party).strip()}%"
    if f.q:
        words = normalise_search(f.q).split()
        if len(words) > MAX_QUERY_WORDS:
            raise IncidentError("q", f"at most {MAX_QUERY_WORDS} words, got {len(words)}")
        shape.append(("q", len(words)))
        values.update({f"q{i}_pat": f"%{word}%" for i, word in enumerate(words)})
    if f.retracted is not None:
        shape.append(("retracted", f.retracted))
    if f.owner_org_id is not None:
        shape.append("owner")
        values["owner_org_id"] = f.owner_org_id
    return tuple(shape), values


def _clauses(shape: Shape) -> list[ColumnElement[bool]]:
    t = incidents.c
    out: list[ColumnElement[bool]] = []
    for part in shape:
        if part == "substance":
            out.append(t.substance_ids.like(bindparam("substance_pat")))
        elif part == "no-substance":
            out.append(false())
        elif part == "country":
            out.append(t.countries.like(bindparam("country_pat")))
        elif part == "type":
            out.append(t.type == bindparam("type"))
        elif part == "from":
            out.append(t.occurred_on >= bindparam("occurred_from"))
        elif part == "to":
            out.append(t.occurred_on <= bindparam("occurred_to"))
        elif part == "party":
            out.append(_as_seen(t.party_names_owner, t.party_names_public, "party_pat"))
        elif part == "owner":
            out.append(t.owner_org_id == bindparam("owner_org_id"))
        elif isinstance(part, tuple) and part[0] == "q":
            out.extend(_as_seen(t.search_owner, t.search_public, f"q{i}_pat") for i in range(part[1]))
        elif isinstance(part, tuple) and part[0] == "retracted":
            out.append(t.retracted_at.is_not(None) if part[1] else t.retracted_at.is_(None))
        else:  # pragma: no cover - every shape part comes from filter_values
            raise AssertionError(f"unknown filter shape {part!r}")
    return out or [true()]


@lru_cache(maxsize=512)
def list_statements(shape: Shape) -> tuple[Select[Any], Select[Any]]:
    """(count, page) for filters of this shape; parameters: the viewer's, the filters', `page_limit`,
    `page_offset`. Newest occurrence first."""
    where = [visible_clause(), *_clauses(shape)]
    count = select(func.count()).select_from(incidents).where(*where)
    page = (
        select(*OUTPUT_COLUMNS)
        .where(*where)
        .order_by(incidents.c.occurred_on.desc(), incidents.c.created_at.desc(), incidents.c.id)
        .limit(bindparam("page_limit", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
    )
    return count, page
