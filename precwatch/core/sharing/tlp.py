"""Who may see a shared record, and what a partner sees of it (TLP 2.0 as the hub applies it).

Visibility (the design's hub contract):
- `clear` and `green`: every organisation on the hub;
- `amber` and `amber+strict`: the owner organisation and the organisations named in `shared_with_orgs`;
- `red`: the named users only (`shared_with_users`) and the user who created the record.

Redaction: the owner marks nominal fields (person names, phones, e-mails, addresses) owner-only, for every
party (`owner_only` on the incident) or for one party (`owner_only` on that party). Users of the owner
organisation see everything; everyone else sees `REDACTED` in place of each such value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Tlp = Literal["clear", "green", "amber", "amber+strict", "red"]
TLP_LEVELS: tuple[Tlp, ...] = get_args(Tlp)
"""From least to most restricted."""

Role = Literal["admin", "analyst", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
WRITER_ROLES: frozenset[Role] = frozenset({"admin", "analyst"})
"""Roles that may create and change records (viewers only read)."""

NominalField = Literal["name", "addresses", "phones", "emails"]
NOMINAL_FIELDS: tuple[NominalField, ...] = get_args(NominalField)
"""Party fields that can be marked owner-only. `name` is redacted for persons only (a company name is not
personal data and is what partners correlate on)."""

REDACTED = "[redacted]"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated caller: a user of one organisation with one role."""

    user_id: int
    org_id: int
    role: Role
    email: str

    @property
    def can_write(self) -> bool:
        """Admins and analysts write; viewers only read."""
        return self.role in WRITER_ROLES


@dataclass(frozen=True, slots=True)
class RecordAcl:
    """What decides who sees a record: its owner, its TLP and whom it is shared with. A `draft` (an
    incident proposed by a feed, not yet approved by an analyst) is seen by its owner organisation only."""

    owner_org_id: int
    owner_user_id: int
    tlp: Tlp
    shared_with_orgs: frozenset[int] = field(default_factory=frozenset)
    shared_with_users: frozenset[int] = field(default_factory=frozenset)
    draft: bool = False


def can_view(viewer: Viewer, acl: RecordAcl) -> bool:
    """True when `viewer` may see the record at all (otherwise it must look exactly like a missing one)."""
    if acl.draft and viewer.org_id != acl.owner_org_id:
        return False
    if acl.tlp in ("clear", "green"):
        return True
    if acl.tlp in ("amber", "amber+strict"):
        return viewer.org_id == acl.owner_org_id or viewer.org_id in acl.shared_with_orgs
    if acl.tlp == "red":
        return viewer.user_id == acl.owner_user_id or viewer.user_id in acl.shared_with_users
    return False  # an unknown level is never visible


def can_edit(viewer: Viewer, acl: RecordAcl) -> bool:
    """True when `viewer` may change or retract the record: a writer of the owner organisation who can see it."""
    return viewer.can_write and viewer.org_id == acl.owner_org_id and can_view(viewer, acl)


def sees_owner_only(viewer: Viewer, acl: RecordAcl) -> bool:
    """Owner-only fields are shown to the users of the owner organisation only."""
    return viewer.org_id == acl.owner_org_id


def redacted_party(party: Mapping[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """A new dict: `party` with the nominal fields in `hidden` (plus the party's own `owner_only`) redacted.

    Each value of a list field becomes `REDACTED` (the number of values stays visible); a person's name
    becomes `REDACTED`; a company's name is kept.
    """
    out = dict(party)
    own = frozenset(str(f) for f in party.get("owner_only") or ())
    for name in sorted(hidden | own):
        if name == "name":
            if out.get("kind") == "person" and out.get("name"):
                out["name"] = REDACTED
        elif name in ("addresses", "phones", "emails") and out.get(name):
            out[name] = [REDACTED for _ in out[name]]
    return out


def redact(incident: Mapping[str, Any], viewer: Viewer, acl: RecordAcl) -> dict[str, Any]:
    """The incident as `viewer` may see it: owner-only nominal fields redacted for partners.

    `incident["owner_only"]` lists field names redacted in every party; a party's own `owner_only` adds
    to it for that party. The owner organisation's users get an unchanged copy.
    """
    out = dict(incident)
    if sees_owner_only(viewer, acl):
        return out
    hidden = frozenset(str(f) for f in incident.get("owner_only") or ())
    out["parties"] = [redacted_party(p, hidden) for p in incident.get("parties") or ()]
    return out
