"""Vendors as FollowTheMoney entities, for Aleph, OpenSanctions tooling or any FtM pipeline.

Each vendor becomes a `Company` (a `Person` when every name it used is a person's, which listings rarely
show; we never guess) with its names (`name` the first seen, the rest `alias`), `phone`, `email` and
`website`, the listing URLs as `sourceUrl`, and one `CryptoWallet` entity per wallet address held by it.
Ids are namespaced by the vendor id (`precwatch-market-<vendor id>`), so re-exports update, not duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

PREFIX = "precwatch-market-"
_WALLET_CHAINS = {"btc": ("BTC", "bitcoin"), "eth": ("ETH", "ethereum"), "tron": ("TRX", "tron")}
_PHONE_KINDS = ("phone", "whatsapp", "signal", "wechat", "telegram")


def vendor_entities(vendor: Mapping[str, Any]) -> Iterator[EntityProxy]:
    """The FtM entities of one vendor record (as `market vendors` gives it)."""
    from followthemoney import model  # imported here: loading it costs ~1 s, and only exports need it

    company = model.make_entity("Company")
    company.id = PREFIX + vendor["vendor_id"]
    names = list(vendor.get("names") or []) or [vendor["vendor_id"]]
    company.add("name", names[0])
    company.add("alias", names[1:])
    for c in vendor.get("contacts", ()):
        kind, value = c["kind"], c["value"]
        if kind in _PHONE_KINDS and value.startswith("+"):
            company.add("phone", value)
        elif kind == "email":
            company.add("email", value)
        elif kind == "url":
            company.add("website", value)
    urls = [lid for lid in vendor.get("listings", ()) if str(lid).startswith(("http://", "https://"))]
    company.add("sourceUrl", urls)
    notes = [
        f"{c['kind']}: {c['value']}"
        for c in vendor.get("contacts", ())
        if c["kind"] in ("telegram", "wechat", "wickr", "signal")
    ]
    company.add("notes", notes)
    company.add("summary", f"Marketplace vendor seen {vendor.get('first_seen')} to {vendor.get('last_seen')} on "
                           f"{', '.join(vendor.get('platforms', ()))}")  # fmt: skip
    yield company
    for c in vendor.get("contacts", ()):
        if c["kind"] in _WALLET_CHAINS:
            symbol, chain = _WALLET_CHAINS[c["kind"]]
            wallet = model.make_entity("CryptoWallet")
            wallet.id = f"{PREFIX}wallet-{c['kind']}-{c['value']}"
            wallet.add("publicKey", c["value"])
            wallet.add("currencySymbol", symbol)
            wallet.add("blockchain", chain)
            wallet.add("holder", company.id)
            yield wallet


def write_ftm(vendors: Iterable[Mapping[str, Any]], sink: IO[str]) -> int:
    """Write every vendor's entities as FtM JSON lines; returns the number of entities written."""
    n = 0
    for vendor in vendors:
        for entity in vendor_entities(vendor):
            sink.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


INCIDENT_PREFIX = "precwatch-incident-"


def incident_party_entities(incident: Mapping[str, Any]) -> Iterator[EntityProxy]:
    """The parties of one (already redacted) hub incident as FtM `Company` / `Person` entities.

    Ids are `precwatch-incident-<incident id>-party-<n>`; `country` is the incident's country, `topics`
    `crime` (a party to a precursor incident), and the role and incident go into `notes`. Redacted values
    (`[redacted]`) are left out: a person whose name is redacted is exported without a name.
    """
    from followthemoney import model  # imported here: loading it costs ~1 s, and only exports need it

    from precwatch.core.sharing.tlp import REDACTED

    for i, party in enumerate(incident.get("parties") or ()):
        entity = model.make_entity("Company" if party["kind"] == "company" else "Person")
        entity.id = f"{INCIDENT_PREFIX}{incident['id']}-party-{i}"
        if party["name"] != REDACTED:
            entity.add("name", party["name"])
        entity.add("phone", [p for p in party.get("phones") or () if p != REDACTED], quiet=True)
        entity.add("email", [e for e in party.get("emails") or () if e != REDACTED], quiet=True)
        entity.add("address", [a for a in party.get("addresses") or () if a != REDACTED])
        entity.add("country", incident["country"].lower())
        entity.add("topics", "crime")
        entity.add("notes", f"{party['role']} in precwatch incident {incident['id']} ({incident['type']}, "
                            f"{incident['occurred_on']}, TLP:{incident['tlp'].upper()})")  # fmt: skip
        yield entity


def incident_parties_jsonl(incidents: Iterable[Mapping[str, Any]]) -> str:
    """Every incident's party entities as FtM JSON lines."""
    lines = [
        json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True)
        for incident in incidents
        for e in incident_party_entities(incident)
    ]
    return "".join(line + "\n" for line in lines)
