"""A listed party as read from a watchlist (OFAC SDN, OpenSanctions ...): names, country, program, source."""

from __future__ import annotations

from dataclasses import dataclass

PARTY_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity", "Person"})
"""Schemata matched as shippers or consignees; vessels and aircraft are kept but never matched to a party."""


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """One listed party: names, country (ISO alpha-2), program and where it came from."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    program: str = ""
    source: str = ""
    schema: str = "LegalEntity"
