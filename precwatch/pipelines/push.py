"""Pushes to the sharing hub: marketplace offers as `online-offer` incidents, OSINT seizure events as draft
incidents for an analyst to approve.

Each record becomes one incident body (the hub's incident contract) sent with an `Idempotency-Key`
derived from what it is (listing id + snapshot; event id), so pushing the same data again records nothing
twice. `PushSummary` counts what was created, what the hub already had, and what was skipped and why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

from precwatch.core.osint.timeline import Event
from precwatch.io.hub_client import HubClient, HubRefused

PHONE_KINDS = ("phone", "whatsapp", "signal")
"""Vendor contact kinds whose values are phone numbers (E.164) in an incident's party."""


@dataclass
class PushSummary:
    """What a push did: `pushed` incident ids (new, or the one the hub already held for that key: a
    re-push never records twice) and `skipped` records (record, reason)."""

    pushed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def read(self) -> int:
        """Every record considered (pushed + skipped)."""
        return len(self.pushed) + len(self.skipped)


def idempotency_key(kind: str, *parts: str) -> str:
    """A stable key for one pushed record: `kind` plus a hash of what identifies it."""
    return f"precwatch-{kind}-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def _substances_text(pairs: Iterable[tuple[str, str | None]]) -> str | None:
    named = dict.fromkeys(f"{name} (CAS {cas})" if cas else name for name, cas in pairs)
    return "; ".join(named) or None


def vendor_country(vendor: Mapping[str, Any] | None) -> str | None:
    """The country of a vendor's phone numbers (+86 -> CN) when they all agree, else None: where the
    vendor trades from, as far as its listings say."""
    regions = set()
    for c in (vendor or {}).get("contacts") or []:
        if c["kind"] in PHONE_KINDS:
            try:
                regions.add(phonenumbers.region_code_for_number(phonenumbers.parse(c["value"], None)))
            except phonenumbers.NumberParseException:
                continue
    regions.discard(None)
    return regions.pop() if len(regions) == 1 else None


def offer_incident(
    offer: Mapping[str, Any], vendor: Mapping[str, Any] | None, *, country: str, tlp: str = "amber"
) -> dict[str, Any]:
    """An `online-offer` incident for one offer record (`precwatch market offers`): occurred on the
    capture date, the substances identified in the listing, the vendor as a party with its phones and
    e-mails, and a narrative with the listing, price, order terms and seller signals. `country` is where
    the offer was made from (`vendor_country`, or the analyst's choice)."""
    names = list(offer.get("seller_names") or []) or list((vendor or {}).get("names") or [])
    contacts = list((vendor or {}).get("contacts") or [])
    party = {
        "kind": "company",
        "role": "vendor",
        "name": names[0] if names else str(offer["vendor_id"]),
        "phones": sorted({c["value"] for c in contacts if c["kind"] in PHONE_KINDS}),
        "emails": sorted({c["value"] for c in contacts if c["kind"] == "email"}),
    }
    matches = offer.get("matches") or []
    price = offer.get("price") or {}
    lines = [
        f"Listing {offer['listing_id']} on {offer['platform']}, captured {offer['captured_at']}: {offer['title']}",
        f"Vendor {offer['vendor_id']}" + (f" (also: {', '.join(names[1:])})" if len(names) > 1 else ""),
        *(f"Price: {price['text']}" for _ in [0] if price.get("text")),
        *(f"Minimum order: {offer['min_order']}" for _ in [0] if offer.get("min_order")),
        *(f"Purity: {offer['purity']}" for _ in [0] if offer.get("purity")),
        *(f"Ships to: {', '.join(offer['destinations'])}" for _ in [0] if offer.get("destinations")),
        *(f"Substance: {m['name']} ({m['relation']}, '{m['text']}')" for m in _distinct(matches)),
        *(f"Signal: {s['signal']} ('{s['text']}')" for s in offer.get("signals") or []),
        *(
            f"Other contact: {c['kind']} {c['value']}"
            for c in contacts
            if c["kind"] not in (*PHONE_KINDS, "email")
        ),
    ]
    return {
        "type": "online-offer",
        "occurred_on": offer["captured_at"],
        "country": country,
        "place": f"{offer['platform']}: {offer['listing_id']}"[:500],
        "substances_text": _substances_text((m["name"], m.get("cas")) for m in matches),
        "parties": [party],
        "narrative": "\n".join(lines),
        "tlp": tlp,
    }


def _distinct(matches: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen: dict[tuple[str, str], Mapping[str, Any]] = {}
    for m in matches:
        seen.setdefault((str(m.get("substance") or m.get("class_id")), str(m["relation"])), m)
    return list(seen.values())


def event_incident(event: Event, *, tlp: str = "clear") -> dict[str, Any]:
    """A `seizure` incident for one OSINT event: occurred on the event date, in the first country the
    articles name, the chemicals they name, and a narrative with the sources and facts (an analyst checks
    it before publishing: the hub records it as a draft). OSINT is public: TLP:CLEAR by default."""
    assert event.date is not None and event.countries
    lines = [
        event.title,
        f"Event date {event.date.isoformat()} ({event.date_source})",
        f"Sources: {', '.join(event.articles)}",
        *(f"Outlets: {', '.join(event.outlets)}" for _ in [0] if event.outlets),
        f"Countries: {', '.join(event.countries)}",
        *(f"Organisations: {', '.join(event.organisations)}" for _ in [0] if event.organisations),
        *(f"People: {', '.join(event.people)}" for _ in [0] if event.people),
        *(f"Quantities: {', '.join(event.quantities)}" for _ in [0] if event.quantities),
    ]
    return {
        "type": "seizure",
        "occurred_on": event.date.isoformat(),
        "country": event.countries[0],
        "substances_text": _substances_text(zip(event.chemical_names, event.chemicals, strict=True)),
        "narrative": "\n".join(lines),
        "tlp": tlp,
    }


def _send(
    client: HubClient, summary: PushSummary, name: str, body: Mapping[str, Any], *, key: str, draft: bool
) -> None:
    try:
        created = client.create_incident(body, idempotency_key=key, draft=draft)
    except HubRefused as refused:
        if refused.status == 422 and "idempotency key" in str(refused.detail):
            summary.skipped.append((name, "pushed before with other content (left unchanged on the hub)"))
            return
        raise
    summary.pushed.append(str(created["id"]))


def push_offers(
    client: HubClient,
    offers: Sequence[Mapping[str, Any]],
    vendors: Sequence[Mapping[str, Any]],
    *,
    country: str | None = None,
    tlp: str = "amber",
) -> PushSummary:
    """Push every offer that names a controlled substance (a listing without a match is no incident);
    the key is the listing id plus its snapshot. The incident's country is `country` when given, else the
    vendor's (`vendor_country`); an offer with neither is skipped, with the reason."""
    by_id = {v["vendor_id"]: v for v in vendors}
    summary = PushSummary()
    for offer in offers:
        name = f"{offer['snapshot']} {offer['listing_id']}"
        if not offer.get("matches"):
            summary.skipped.append((name, "no substance identified"))
            continue
        vendor = by_id.get(offer["vendor_id"])
        where = country or vendor_country(vendor)
        if where is None:
            summary.skipped.append((name, "no country: the vendor's phones name none (give --country)"))
            continue
        body = offer_incident(offer, vendor, country=where, tlp=tlp)
        key = idempotency_key("offer", str(offer["listing_id"]), str(offer["snapshot"]))
        _send(client, summary, name, body, key=key, draft=False)
    return summary


def push_seizures(client: HubClient, events: Sequence[Event], *, tlp: str = "clear") -> PushSummary:
    """Push every seizure event as a draft incident; events of other types are not incidents, and an
    event without a date or a country cannot be one (skipped, with the reason)."""
    summary = PushSummary()
    for event in events:
        if event.event_type != "seizure":
            summary.skipped.append((event.id, f"not a seizure ({event.event_type})"))
        elif event.date is None or not event.countries:
            summary.skipped.append((event.id, "no event date" if event.date is None else "no country named"))
        else:
            body = event_incident(event, tlp=tlp)
            _send(client, summary, event.id, body, key=idempotency_key("osint", event.id), draft=True)
    return summary
