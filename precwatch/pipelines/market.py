"""Marketplace monitoring jobs: ingest a snapshot into the store; resolve vendors over the store; list
vendors and offers; compare snapshots; gather the report's figures.

Ingest reads every item of a snapshot (`precwatch.io.snapshots`), keeps the vendor's own contacts (platform
boilerplate set apart: `precwatch.core.market.boilerplate`), reads the offer (`precwatch.core.market.offers`)
and stores the listing with its offer, so that later jobs never re-read pages. Resolution runs over every
stored listing (`precwatch.core.market.vendors`) with the analyst's judgements, each time from scratch: ids
are stable because they derive from each vendor's anchor listing.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.market.boilerplate import (
    common_contacts,
    is_shop_host,
    shop_host,
    site_domain,
    vendor_contacts,
)
from precwatch.core.market.diff import SnapshotDiff, SnapshotView, diff_snapshots, masked_parents
from precwatch.core.market.offers import Listing, read_offer
from precwatch.core.market.vendors import ListingNode, Resolution, resolve
from precwatch.core.market.watch import ContactWatch
from precwatch.core.parties.contacts import Contact, contacts_from_field, extract_contacts, url_host
from precwatch.core.text.identify import NameResolver
from precwatch.io.snapshots import SnapshotItem, read_snapshot
from precwatch.store.market import MarketStore, SnapshotInfo, snapshot_id


@dataclass
class IngestSummary:
    """What an ingest did: `read == stored + rejected`; `salvaged` items were stored with a note."""

    snapshot: str
    read: int = 0
    stored: int = 0
    rejected: int = 0
    salvaged: int = 0
    with_matches: int = 0
    boilerplate_contacts: int = 0
    site_contacts: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.snapshot}: read {self.read} items: {self.stored} stored ({self.salvaged} salvaged, "
            f"{self.with_matches} with substance matches), {self.rejected} rejected; "
            f"{self.boilerplate_contacts} platform contacts set apart from listings, {self.site_contacts} site "
            "contacts (footers, shared by many sellers)"
        )


def listing_of(
    item: SnapshotItem, *, platform: str, snapshot: str, captured_at: str, region: str | None = None
) -> tuple[Listing, list[tuple[Contact, str]]]:
    """The listing an item describes, with the vendor's own contacts, and the platform contacts dropped."""
    found: list[Contact] = []
    shops: list[Contact] = []
    domains = frozenset(d for h in item.platform_hosts if (d := site_domain(h)))
    for fld, value in item.seller_fields:
        for c in contacts_from_field(fld, value, region=region):
            (shops if is_shop_host(c, domains, item.platform_hosts) else found).append(c)
    found.extend(extract_contacts(item.text, region=region))
    own, dropped = vendor_contacts(found, domains, item.text)
    page_host = url_host(item.url) if item.url else None
    if page_host and shop_host(page_host):  # a product page served from the seller's shop sub-domain
        shops.append(Contact("url", page_host, item.url or ""))
    own.extend(c for c in shops if c not in own)
    listing_id = item.listing_id
    if listing_id.startswith("file:"):  # a file name identifies a page only within its snapshot
        listing_id = f"file:{captured_at}/{listing_id[5:]}"
    listing = Listing(
        listing_id=listing_id, platform=platform, snapshot=snapshot,
        captured_at=item.captured_at[:10] if item.captured_at else captured_at,
        title=item.title, description=item.description, seller_names=item.seller_names,
        contacts=tuple(own), price=item.price, url=item.url,
    )  # fmt: skip
    return listing, dropped


def ingest(
    store: MarketStore,
    path: str,
    *,
    platform: str,
    captured_at: str,
    kb: KnowledgeBase,
    resolver: NameResolver | None = None,
    region: str | None = None,
) -> IngestSummary:
    """Read a snapshot and store it (replacing an earlier ingest of the same platform and date)."""
    snap = read_snapshot(path)
    sid = snapshot_id(platform, captured_at)
    summary = IngestSummary(sid)
    built = []
    for item in snap.items:
        listing, dropped = listing_of(
            item, platform=platform, snapshot=sid, captured_at=captured_at, region=region
        )
        built.append((item, listing, dropped))
    shared = {c.key for item in snap.items for c in extract_contacts(item.boilerplate, region=region)}
    if snap.kind != "export":
        shared |= common_contacts([(x.seller_names, [c.key for c in x.contacts]) for _, x, _ in built])
    summary.site_contacts = len(shared)
    rows: dict[str, dict[str, Any]] = {}
    for item, listing, dropped in built:
        if shared:
            dropped = dropped + [(c, "site-footer-or-common") for c in listing.contacts if c.key in shared]
            listing = Listing(
                **{**_fields(listing), "contacts": tuple(c for c in listing.contacts if c.key not in shared)}
            )
        offer = read_offer(listing, kb, resolver=resolver, currency=item.currency)
        summary.boilerplate_contacts += len(dropped)
        summary.salvaged += item.salvaged
        summary.with_matches += bool(offer.matches)
        row = {
            "listing_key": listing.key, "listing_id": listing.listing_id, "platform": platform,
            "captured_at": listing.captured_at, "title": listing.title, "url": listing.url,
            "seller_names": list(listing.seller_names), "contacts": [c.to_dict() for c in listing.contacts],
            "platform_contacts": [{**c.to_dict(), "rule": why} for c, why in dropped],
            "price": offer.price.to_dict() if offer.price else None, "purity": offer.purity,
            "min_order": offer.min_order, "destinations": list(offer.destinations),
            "matches": [m.to_dict() for m in offer.matches], "signals": [s.to_dict() for s in offer.signals],
            "source": item.source, "line": item.line, "notes": list(item.notes),
        }  # fmt: skip
        if listing.key in rows:  # the same listing saved twice in one snapshot: one row, both sources noted
            earlier = rows[listing.key]
            row["notes"] = [*earlier["notes"], *item.notes, f"also saved as {earlier['source']}"]
        rows[listing.key] = row
    summary.rejects = [
        {"file": r.file, "line": r.line, "reason": r.reason, "raw": r.raw} for r in snap.rejects
    ]
    summary.read, summary.rejected = snap.read, len(snap.rejects)
    summary.stored = summary.read - summary.rejected
    info = SnapshotInfo(sid, platform, captured_at, str(path), summary.read, summary.stored, summary.rejected)
    store.replace_snapshot(info, list(rows.values()), summary.rejects)
    return summary


def _fields(listing: Listing) -> dict[str, Any]:
    return {f.name: getattr(listing, f.name) for f in dataclasses.fields(listing)}


def _contacts(row: Mapping[str, Any]) -> list[Contact]:
    return [Contact(c["kind"], c["value"]) for c in row.get("contacts", ())]


@dataclass(frozen=True, slots=True)
class Market:
    """Every stored listing row (oldest first) and the vendors resolved over them."""

    rows: tuple[dict[str, Any], ...]
    resolution: Resolution


def resolve_store(store: MarketStore) -> Market:
    """Resolve vendors over every stored listing, with the analyst's judgements."""
    rows = tuple(store.listings())
    names: dict[str, dict[str, None]] = defaultdict(dict)
    keys: dict[str, dict[str, None]] = defaultdict(dict)
    first: dict[str, str] = {}
    for r in rows:
        k = r["listing_key"]
        names[k].update(dict.fromkeys(r.get("seller_names", ())))
        keys[k].update(dict.fromkeys(c.key for c in _contacts(r)))
        first.setdefault(k, r["captured_at"])
    nodes = [ListingNode(k, tuple(names[k]), tuple(keys[k]), first[k]) for k in first]
    return Market(rows, resolve(nodes, store.judgements()))


def vendor_records(market: Market, watch: ContactWatch | None = None) -> list[dict[str, Any]]:
    """One record per vendor, as the `market vendors` contract gives it."""
    by_vendor: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in market.rows:
        by_vendor[market.resolution.vendor_of[r["listing_key"]]].append(r)
    out = []
    for v in market.resolution.vendors:
        rows = by_vendor[v.vendor_id]
        names = list(dict.fromkeys(n for r in rows for n in r.get("seller_names", ())))
        contacts = list(dict.fromkeys(c for r in rows for c in _contacts(r)))
        dates = sorted(r["captured_at"] for r in rows)
        rec: dict[str, Any] = {
            "vendor_id": v.vendor_id, "names": names,
            "platforms": sorted({r["platform"] for r in rows}),
            "contacts": [c.to_dict() for c in contacts],
            "listings": [r_key.split("|", 1)[1] for r_key in v.listings],
            "listing_keys": list(v.listings),
            "first_seen": dates[0], "last_seen": dates[-1],
            "evidence": [link.to_dict() for link in v.links],
            "watchlist_hits": [h.to_dict() for h in watch.hits(names, contacts)] if watch else [],
        }  # fmt: skip
        out.append(rec)
    return out


def offer_records(market: Market) -> list[dict[str, Any]]:
    """One record per listing per snapshot, as the `market offers` contract gives it."""
    return [
        {
            "listing_id": r["listing_id"],
            "snapshot": r["snapshot"],
            "platform": r["platform"],
            "captured_at": r["captured_at"],
            "vendor_id": market.resolution.vendor_of[r["listing_key"]],
            "title": r["title"],
            "seller_names": r.get("seller_names", []),
            "price": r.get("price"),
            "purity": r.get("purity"),
            "min_order": r.get("min_order"),
            "destinations": r.get("destinations", []),
            "matches": r.get("matches", []),
            "signals": r.get("signals", []),
        }
        for r in market.rows
    ]


def snapshot_view(market: Market, snapshot: str, captured_at: str) -> SnapshotView:
    offers = {
        r["listing_key"]: (
            market.resolution.vendor_of[r["listing_key"]],
            frozenset((m["substance"], m["relation"]) for m in r.get("matches", ())),
        )
        for r in market.rows
        if r["snapshot"] == snapshot
    }
    return SnapshotView(snapshot, captured_at, offers)


def find_snapshot(store: MarketStore, name: str) -> SnapshotInfo:
    """A snapshot by id (`platform@date`) or by capture date (when one platform was captured that day).

    Raises:
        LookupError: no such snapshot, or the date is ambiguous.
    """
    snaps = store.snapshots()
    exact = [s for s in snaps if s.id == name]
    if exact:
        return exact[0]
    dated = [s for s in snaps if s.captured_at == name]
    if len(dated) == 1:
        return dated[0]
    known = ", ".join(s.id for s in snaps) or "none ingested"
    if dated:
        raise LookupError(f"{name}: several snapshots that day ({', '.join(s.id for s in dated)}): name one")
    raise LookupError(f"{name}: no such snapshot (known: {known})")


def diff(store: MarketStore, a: str, b: str, kb: KnowledgeBase, market: Market | None = None) -> SnapshotDiff:
    """Compare two snapshots (ids or dates); dates spanning several platforms compare every platform."""
    market = market or resolve_store(store)
    views = []
    for name in (a, b):
        snaps = [s for s in store.snapshots() if s.id == name or s.captured_at == name]
        if not snaps:
            find_snapshot(store, name)  # raises with the known ids
        merged: dict[str, tuple[str, frozenset[tuple[str, str]]]] = {}
        for s in snaps:
            merged.update(snapshot_view(market, s.id, s.captured_at).offers)
        views.append(SnapshotView(name, snaps[0].captured_at, merged))
    return diff_snapshots(views[0], views[1], masked_parents(kb))


def timeline(market: Market, kb: KnowledgeBase) -> dict[str, Any]:
    """Listings offering each substance per capture date, and the scheduling dates of those substances."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    dates = sorted({r["captured_at"] for r in market.rows})
    for r in market.rows:
        for substance in {m["substance"] for m in r.get("matches", ())}:
            counts[substance][r["captured_at"]] += 1
    series = []
    for substance, by_date in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        s = kb.by_id.get(substance)
        controls = [
            {"jurisdiction": c.jurisdiction, "status": c.status, "effective": c.effective}
            for c in (s.controls if s else ())
            if c.effective and len(c.effective) == 10
        ]
        series.append(
            {"substance": substance, "name": s.preferred_name if s else substance,
             "counts": [by_date.get(d, 0) for d in dates], "controls": controls}
        )  # fmt: skip
    return {"dates": dates, "series": series}


def summary_counts(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Listings per signal code over the rows given."""
    return dict(Counter(s["signal"] for r in rows for s in r.get("signals", ())))


def vendor_ids(records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Listing key -> vendor id, from vendor records."""
    return {k: v["vendor_id"] for v in records for k in v["listing_keys"]}
