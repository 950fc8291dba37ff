"""What gets screened: shipment declarations and marketplace listings (validated, typed, immutable).

Readers (`precwatch.io.tables`) turn raw rows into these with `precwatch.core.screening.fields`;
every engine then screens the same objects with `precwatch.core.screening.screener.Screener`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["declarations", "listings"]
TRANSPORT_MODES: tuple[str, ...] = ("sea", "air", "express", "post", "road")

DECLARATION_FIELDS: tuple[str, ...] = (
    "id", "date", "shipper_name", "shipper_address", "shipper_country", "consignee_name",
    "consignee_address", "consignee_country", "hs_code", "description", "quantity", "unit", "value_usd",
    "transport_mode", "port_of_loading", "port_of_discharge",
)  # fmt: skip
"""The documented default declaration schema, in column order."""

LISTING_FIELDS: tuple[str, ...] = (
    "id", "title", "description", "seller", "contacts", "price", "url", "captured_at",
)  # fmt: skip
"""The documented default listing schema, in column order."""


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """A side field that could not be read: kept raw, reported as a `data-quality` reason, and left out
    of the rules that need it (the record is screened all the same)."""

    field: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class Party:
    """A shipper or consignee as declared: name, free-text address, ISO 3166-1 alpha-2 country."""

    name: str = ""
    address: str = ""
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Declaration:
    """One shipment declaration (customs entry, manifest line, courier waybill).

    `line` is where the record starts in its input file (1-based; the header is line 1 of a CSV).
    Numbers are None when the field was empty; `hs_code` is normalised ("2933.39", or longer national
    forms) or None when empty.
    """

    id: str
    line: int = 0
    date: str | None = None
    shipper: Party = Party()
    consignee: Party = Party()
    hs_code: str | None = None
    description: str = ""
    quantity: float | None = None
    unit: str | None = None
    value_usd: float | None = None
    transport_mode: str | None = None
    port_of_loading: str | None = None
    port_of_discharge: str | None = None
    issues: tuple[FieldIssue, ...] = ()


@dataclass(frozen=True, slots=True)
class Listing:
    """One marketplace listing as captured: the offer text, the seller and how to reach them."""

    id: str
    line: int = 0
    title: str = ""
    description: str = ""
    seller: str = ""
    contacts: tuple[str, ...] = ()
    price: str | None = None
    url: str | None = None
    captured_at: str | None = None
    issues: tuple[FieldIssue, ...] = ()


ScreenRecord = Declaration | Listing
