"""Pre-export notification request and response bodies of the hub API.

A notification is what an exporting country's authority sends before a shipment of a scheduled precursor
leaves: who exports, imports and receives it, which substances (resolved against the knowledge base) and how
much, where and when it enters, by what transport. The importing country acknowledges, clears or objects
before the deadline. The enumerations come from `precwatch.core`, so the API and the domain cannot drift.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from precwatch.core.sharing.notification_body import MAX_RESPONSE_DAYS, Transport
from precwatch.core.sharing.notifications import Action, State
from precwatch.core.sharing.tlp import Tlp
from precwatch.web.params import Country
from precwatch.web.schemas.incidents import Medium, Short, Unit


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NotifiedParty(_Strict):
    """The exporter, importer or consignee: a company (or person) with its country."""

    name: Short
    country: Country
    address: Annotated[str, StringConstraints(max_length=1_000)] | None = None


class NotifiedSubstanceIn(_Strict):
    """One substance to be shipped: a KB id, CAS RN or name (unknown substances are refused), and how much."""

    substance: Short
    quantity: float = Field(gt=0, le=1e12)
    unit: Unit


class PointOfEntry(_Strict):
    """Where the goods are expected to enter the importing country (country defaults to the importer's)."""

    country: Country | None = None
    port: Short


class NotificationIn(_Strict):
    """A pre-export notification as the exporting authority writes it."""

    reference: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="The exporter's own reference (e.g. a PEN Online number)."
    )
    exporter: NotifiedParty
    importer: NotifiedParty
    consignee: NotifiedParty | None = None
    substances: list[NotifiedSubstanceIn] = Field(min_length=1, max_length=50)
    point_of_entry: PointOfEntry
    dispatch_on: date = Field(description="Expected date of dispatch.")
    transport: Transport
    response_days: int | None = Field(
        None,
        ge=1,
        le=MAX_RESPONSE_DAYS,
        description="Days the importing country has to answer (default: the hub's).",
    )
    notes: Medium | None = None
    tlp: Tlp = "amber"
    shared_with_orgs: list[int] = Field(default_factory=list, max_length=200)
    shared_with_users: list[int] = Field(default_factory=list, max_length=200)


class NotifiedSubstanceOut(BaseModel):
    substance: str = Field(description="Knowledge-base id.")
    name: str
    cas: str | None
    given: str = Field(description="The substance as the exporter wrote it.")
    quantity: float
    unit: str


class PointOfEntryOut(BaseModel):
    country: str
    port: str


class NotificationOut(BaseModel):
    """A notification as the caller may see it; `version` is its ETag."""

    id: str
    owner_org_id: int
    owner_user_id: int
    version: int
    state: State
    state_reason: str | None = Field(description="The objection's or withdrawal's reason, if any.")
    overdue: bool = Field(description="Still waiting for the importing country after the deadline.")
    deadline_at: datetime
    exporting_country: str
    importing_country: str
    reference: str | None
    exporter: NotifiedParty
    importer: NotifiedParty
    consignee: NotifiedParty | None
    substances: list[NotifiedSubstanceOut]
    point_of_entry: PointOfEntryOut
    dispatch_on: date
    transport: str
    response_days: int
    notes: str | None
    tlp: Tlp
    shared_with_orgs: list[int]
    shared_with_users: list[int]
    created_at: datetime
    updated_at: datetime


class NotificationPage(BaseModel):
    """One page of notifications: `total` counts every match the caller may see."""

    items: list[NotificationOut]
    total: int
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null on the last one.")


class TransitionIn(_Strict):
    """Why (required to object and to withdraw)."""

    reason: Annotated[str, StringConstraints(max_length=2_000)] | None = None


class HistoryEntryOut(BaseModel):
    version: int
    action: Action | Annotated[str, Field(pattern="^create$")]
    from_state: State | None
    to_state: State
    reason: str | None
    actor_user_id: int
    actor_org_id: int
    at: datetime


class HistoryOut(BaseModel):
    """Every state change of a notification, oldest first (its creation included)."""

    items: list[HistoryEntryOut]
