"""Plain records the store returns for organisations, users, tokens and audit entries, and list filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from precwatch.core.sharing.incidents import IncidentType
from precwatch.core.sharing.tlp import Role


@dataclass(frozen=True, slots=True)
class Org:
    """An organisation on the hub (a customs service, a drug-control authority, a marketplace)."""

    id: int
    name: str
    country: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class User:
    """A user of one organisation with one role."""

    id: int
    email: str
    org_id: int
    role: Role
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """An API token's public facts; the token itself is shown once at issue and stored only as an HMAC."""

    id: str
    user_id: int
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class TokenOwner:
    """Who holds a token (looked up by its hash) and whether it is still valid."""

    user_id: int
    org_id: int
    role: Role
    email: str
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry of the hash-chained audit log."""

    seq: int
    at: str
    actor_user_id: int | None
    actor_org_id: int | None
    action: str
    resource: str
    resource_id: str | None
    request_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Filters for listing and counting incidents; every given filter must hold (AND). None means "any".

    - `substance`: a knowledge-base id (`npp`), a CAS RN or a name; matches incidents whose identified
      substances include it.
    - `country`: ISO 3166 alpha-2; matches the incident's country or any route country (origin, transit,
      destination).
    - `type`: one incident type.
    - `occurred_from` / `occurred_to`: inclusive bounds on `occurred_on`.
    - `party`: a substring of a party name (normalised: case, accents, punctuation ignored); redacted names
      never match for partners.
    - `q`: full-text search (`precwatch.store.search`); every word must be the prefix of a word of the
      incident's text as the caller may see it (redacted values are not searchable by partners), a run of Han
      or kana characters consecutive characters; at most 20 words.
    - `retracted`: True only retracted, False only live, None both.
    - `owner_org_id`: only incidents owned by this organisation.
    """

    substance: str | None = None
    country: str | None = None
    type: IncidentType | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    party: str | None = None
    q: str | None = None
    retracted: bool | None = None
    owner_org_id: int | None = None
