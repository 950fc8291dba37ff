"""Incident request and response bodies of the hub API (the OpenAPI document is generated from them).

An incident is what precursor units exchange: what happened (type, dates, country and place), which chemicals
(free text, identified by the knowledge base into substance ids with evidence), how much, how it was hidden
and declared, the route, the parties, a narrative, and who may see it (`tlp`, shares, owner-only fields).

These models type and document the API; the hub's `validate_incident` (core) remains the authority on
the rules that span fields (e.g. red records are shared with users, amber ones with organisations).
The enumerations come from `precwatch.core`, so the API and the domain cannot drift apart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from precwatch.core.sharing.incidents import IncidentType as IncidentTypeLiteral
from precwatch.core.sharing.tlp import NominalField, Tlp
from precwatch.web.params import Country, Id, IsoDate, NoNul, Quantity, RecordId, clean_text

Short = Annotated[str, StringConstraints(max_length=500, pattern=NoNul), AfterValidator(clean_text)]
Medium = Annotated[str, StringConstraints(max_length=5_000, pattern=NoNul), AfterValidator(clean_text)]
Long = Annotated[str, StringConstraints(max_length=20_000, pattern=NoNul), AfterValidator(clean_text)]
# Party kinds, roles and units are spelled out as `Literal`s for the type checker; a test pins them to
# `core.incidents.PARTY_KINDS`, `PARTY_ROLES` and `UNITS`.
PartyKind = Literal["company", "person"]
PartyRole = Literal[
    "consignor", "consignee", "notify-party", "broker", "forwarder", "carrier", "manufacturer",
    "supplier", "buyer", "seller", "vendor", "payer", "payee", "operator", "other",
]  # fmt: skip
Unit = Literal["mg", "g", "kg", "t", "mL", "L", "gal", "units", "drums", "packages"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Place(_Strict):
    """A country, and optionally a port or airport (UN/LOCODE or name)."""

    country: Country
    port: Short | None = None


class Route(_Strict):
    """Where the goods came from, went through and were going to."""

    origin: Place | None = None
    transit: list[Place] = Field(default_factory=list, max_length=50)
    destination: Place | None = None


class Party(_Strict):
    """A company or person involved, with its role and contact details.

    `owner_only` marks this party's nominal fields (`name` of a person, `addresses`, `phones`, `emails`)
    that partners see as `[redacted]`.
    """

    kind: PartyKind
    role: PartyRole = "other"
    name: Short
    addresses: list[Short] = Field(default_factory=list, max_length=20)
    phones: list[Short] = Field(default_factory=list, max_length=20)
    emails: list[Short] = Field(default_factory=list, max_length=20)
    owner_only: list[NominalField] = Field(default_factory=list)


class IncidentIn(_Strict):
    """An incident as a client writes it (POST and PUT: the whole record)."""

    type: IncidentTypeLiteral
    occurred_on: IsoDate
    reported_on: IsoDate | None = Field(None, description="Defaults to the day it is recorded.")
    country: Country = Field(description="Country where it happened (ISO 3166-1 alpha-2).")
    place: Short | None = None
    substances_text: Medium | None = Field(
        None,
        description="The chemicals as written (names, CAS numbers, trade names); the hub identifies them.",
    )
    quantity: Quantity | None = None
    unit: Unit | None = Field(None, description="Required with a quantity.")
    concealment: Medium | None = None
    declared_cover: Medium | None = Field(None, description="What the goods were declared as.")
    route: Route | None = None
    parties: list[Party] = Field(default_factory=list, max_length=200)
    narrative: Long | None = None
    tlp: Tlp = Field("amber", description="clear/green: every organisation; amber, amber+strict: the owner "
                     "organisation and `shared_with_orgs`; red: the creator and `shared_with_users`.")  # fmt: skip
    shared_with_orgs: list[Id] = Field(default_factory=list, max_length=1000)
    shared_with_users: list[Id] = Field(default_factory=list, max_length=1000)
    owner_only: list[NominalField] = Field(
        default_factory=list, description="Nominal fields redacted for partners in every party."
    )


class IncidentPatch(_Strict):
    """A partial change (PATCH): the fields given replace the stored ones; `route` and `parties` are
    replaced whole. Send `null` to clear an optional field."""

    type: IncidentTypeLiteral | None = None
    occurred_on: IsoDate | None = None
    reported_on: IsoDate | None = None
    country: Country | None = None
    place: Short | None = None
    substances_text: Medium | None = None
    quantity: Quantity | None = None
    unit: Unit | None = None
    concealment: Medium | None = None
    declared_cover: Medium | None = None
    route: Route | None = None
    parties: list[Party] | None = Field(None, max_length=200)
    narrative: Long | None = None
    tlp: Tlp | None = None
    shared_with_orgs: list[Id] | None = Field(None, max_length=1000)
    shared_with_users: list[Id] | None = Field(None, max_length=1000)
    owner_only: list[NominalField] | None = None


class IdentifiedSubstance(BaseModel):
    """A knowledge-base substance found in `substances_text`, with where and how it was found."""

    substance: str = Field(description="Knowledge-base id (e.g. `npp`).")
    name: str
    cas: str | None
    relation: str
    class_id: str | None = None
    method: str
    text: str = Field(description="The words in `substances_text` that named it.")
    start: int
    end: int
    confidence: float
    evidence: str | None = None


class PartyOut(BaseModel):
    """A party as the caller may see it (owner-only values of other organisations' records: `[redacted]`)."""

    kind: str
    role: str
    name: str
    addresses: list[str]
    phones: list[str]
    emails: list[str]
    owner_only: list[str]


class Retraction(BaseModel):
    reason: str
    at: datetime


class IncidentOut(BaseModel):
    """An incident as the caller may see it."""

    id: str
    owner_org_id: int
    owner_user_id: int
    version: int = Field(description="Also the ETag; send it back in If-Match to change the record.")
    type: str
    occurred_on: date
    reported_on: date | None
    country: str
    place: str | None
    substances_text: str | None
    substances: list[IdentifiedSubstance]
    quantity: float | None
    unit: str | None
    concealment: str | None
    declared_cover: str | None
    route: Route | None
    parties: list[PartyOut]
    narrative: str | None
    tlp: Tlp
    shared_with_orgs: list[int]
    shared_with_users: list[int]
    owner_only: list[str]
    created_at: datetime
    updated_at: datetime
    retracted: Retraction | None = Field(
        description="Set once the owner retracts the record (with the reason)."
    )
    state: Literal["draft", "published"] = Field(
        "published",
        description="draft: proposed by a feed, seen by the owner organisation only until an analyst "
        "publishes it (POST .../publish); published: shared by its TLP.",
    )


class IncidentPage(BaseModel):
    """One page of a list or search: `total` counts every match the caller may see."""

    items: list[IncidentOut]
    total: int
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null on the last one.")


class RetractIn(_Strict):
    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000, pattern=NoNul),
        AfterValidator(clean_text),
    ]


class BatchGetIn(_Strict):
    ids: list[RecordId] = Field(min_length=1, max_length=100)


class BatchGetOut(BaseModel):
    """The incidents found, in the order asked; `not_found` lists ids that are missing or not visible."""

    items: list[IncidentOut]
    not_found: list[str]


def incident_out(incident: dict[str, Any]) -> dict[str, Any]:
    """The hub's incident dict in the API's shape (`retracted` becomes {reason, at} or null)."""
    out = {k: v for k, v in incident.items() if k not in ("retracted", "retracted_at", "retraction_reason")}
    retracted_at = incident.get("retracted_at")
    out["retracted"] = (
        {"reason": incident.get("retraction_reason") or "", "at": retracted_at} if retracted_at else None
    )
    return out
