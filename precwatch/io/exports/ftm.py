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
