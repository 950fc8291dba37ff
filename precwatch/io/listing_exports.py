"""JSON Lines exports of listings: one object a line; broken lines salvaged from their complete pairs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from precwatch.io.records import Reject
from precwatch.io.snapshot_items import NUMBER_PAIR, PAIR, SnapshotItem, as_text, decode, host_of, org_names

EXPORT_SELLER_KEYS = ("seller", "seller_name", "vendor", "supplier", "company", "shop", "store")
EXPORT_CONTACT_KEYS = (
    "phone",
    "telephone",
    "mobile",
    "email",
    "whatsapp",
    "telegram",
    "wechat",
    "wickr",
    "signal",
    "website",
)


def read_export(path: Path, name: str) -> Iterator[SnapshotItem | Reject]:
    """The lines of a JSON Lines export as items or rejects (blank lines are skipped, not counted)."""
    data = decode(path.read_bytes())
    for n, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        notes: list[str] = []
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            obj = {k: json.loads(f'"{v}"') for k, v in PAIR.findall(raw)}
            obj |= {k: v for k, v in NUMBER_PAIR.findall(raw) if k not in obj}
            if not obj.get("id"):
                yield Reject(name, n, None, f"not JSON ({exc}) and no id could be salvaged", raw[:200])
                continue
            notes.append(f"broken JSON ({exc}): salvaged fields {', '.join(sorted(obj))}")
        if not isinstance(obj, dict):
            yield Reject(name, n, None, "not a JSON object", raw[:200])
            continue
        lid = obj.get("id")
        if lid in (None, "") or isinstance(lid, dict | list):
            yield Reject(name, n, "id", "missing or not a string/number", raw[:200])
            continue
        yield _export_item(obj, str(lid), name, n, notes)


def _export_item(obj: dict[str, Any], lid: str, name: str, line: int, notes: list[str]) -> SnapshotItem:
    seller = next((obj[k] for k in EXPORT_SELLER_KEYS if obj.get(k)), None)
    names: list[str] = []
    fields: list[tuple[str, str]] = []
    if isinstance(seller, dict):
        names = org_names(seller) or ([str(seller["company"])] if seller.get("company") else [])
        for k, v in seller.items():
            if k not in ("name", "legalName", "alternateName", "company") and isinstance(v, str | int):
                fields.append((k, str(v)))
    elif isinstance(seller, str) and seller.strip():
        names = [" ".join(seller.split())]
    for k in EXPORT_CONTACT_KEYS:  # contact fields written at the top level of a line
        for x in obj[k] if isinstance(obj.get(k), list) else [obj.get(k)]:
            if isinstance(x, str | int) and str(x).strip():
                fields.append((k, str(x)))
    contacts = obj.get("contacts")
    if isinstance(contacts, str):
        fields.append(("text", contacts))
    elif isinstance(contacts, dict):
        for k, v in contacts.items():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, str | int):
                    fields.append((k, str(x)))
    elif isinstance(contacts, list):
        for c in contacts:
            if isinstance(c, dict):
                kind = str(c.get("kind") or c.get("type") or "text")
                val = c.get("value")
                if isinstance(val, str | int):
                    fields.append((kind, str(val)))
            elif isinstance(c, str | int):
                fields.append(("text", str(c)))
    price = obj.get("price")
    currency = None
    if isinstance(price, dict):
        currency = as_text(price.get("currency")) or None
        price = price.get("amount", price.get("value"))
    title = as_text(obj.get("title"))
    description = obj.get("description") if isinstance(obj.get("description"), str) else ""
    return SnapshotItem(
        listing_id=lid, source=name, line=line, url=as_text(obj.get("url")) or None, title=title,
        description=description or "", seller_names=tuple(names), seller_fields=tuple(fields),
        price=None if price in (None, "") else str(price), currency=currency,
        captured_at=as_text(obj.get("captured_at")) or None, text=f"{title}\n{description or ''}",
        platform_hosts=tuple(h for h in [host_of(as_text(obj.get("url")))] if h), notes=tuple(notes),
    )  # fmt: skip
