"""Offers: what one listing sells, at what purity, price and minimum order, to where, and how.

`read_offer(listing, kb)` identifies the substances with the core identification engine (every relation:
listed, salt, masked, class, analog), and reads the trade terms that B2B listings write in a few stock ways
("Purity: 99%min", "US $10-50 / Kilogram", "MOQ: 1 kg", "Ship to: Mexico, USA") plus the seller signals
(`precwatch.core.market.signals`). What the text does not say stays None: nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from precwatch.core.countries import country_code
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.market.signals import Signal, find_signals
from precwatch.core.match import Match
from precwatch.core.parties.contacts import Contact
from precwatch.core.text.identify import NameResolver, identify_text


@dataclass(frozen=True, slots=True)
class Listing:
    """One listing as captured in one snapshot: the unit offers are read from and vendors resolved over.

    `key` (`platform|listing_id`) identifies the listing across snapshots; `seller_names` are the names it
    was sold under; `contacts` are the vendor's own contacts (platform boilerplate already removed).
    """

    listing_id: str
    platform: str
    snapshot: str
    captured_at: str
    title: str = ""
    description: str = ""
    seller_names: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    price: str | None = None
    url: str | None = None

    @property
    def key(self) -> str:
        return f"{self.platform}|{self.listing_id}"

    @property
    def text(self) -> str:
        """Title and description: what identification and signals read."""
        return f"{self.title}\n{self.description}".strip()


@dataclass(frozen=True, slots=True)
class Price:
    """A price as written: amount (or range), currency (ISO 4217 when recognised) and unit."""

    text: str
    currency: str | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "currency": self.currency,
            "min": self.low,
            "max": self.high,
            "unit": self.unit,
        }


@dataclass(frozen=True, slots=True)
class Offer:
    """What a listing offers: substances identified, trade terms, signals."""

    matches: tuple[Match, ...] = ()
    purity: float | None = None
    price: Price | None = None
    min_order: str | None = None
    destinations: tuple[str, ...] = ()
    signals: tuple[Signal, ...] = field(default=())

    @property
    def substances(self) -> frozenset[str]:
        return frozenset(m.substance for m in self.matches)


_NUM = r"\d[\d,]*(?:\.\d+)?"
_CURRENCY = {
    "us$": "USD", "us $": "USD", "usd": "USD", "$": "USD", "eur": "EUR", "€": "EUR", "cny": "CNY", "rmb": "CNY",
    "¥": "CNY", "inr": "INR", "₹": "INR", "rs": "INR", "rs.": "INR", "gbp": "GBP", "£": "GBP",
}  # fmt: skip
_UNIT = r"(?:kilograms?|kgs?|grams?|g|tons?|tonnes?|mt|metric tons?|pieces?|pcs|bags?|drums?|liters?|litres?|l|ml|bottles?)"
PRICE = re.compile(
    rf"(?P<cur>us\s?\$|usd|eur|€|cny|rmb|¥|inr|₹|rs\.?|gbp|£|\$)\s*(?P<low>{_NUM})"
    rf"(?:\s*(?:-|~|–|to)\s*(?:us\s?\$|\$|usd)?\s*(?P<high>{_NUM}))?"
    rf"(?:\s*(?:/|per)\s*(?P<unit>{_UNIT})\b)?",
    re.I,
)
PURITY = re.compile(
    r"(?:purity|assay|content|纯度|含量|pureza)\s*[:：]?\s*(?:≥|>=|>|min\.?|minimum|not less than)?\s*(?P<a>\d{2,3}(?:\.\d+)?)\s*%"
    r"|(?P<b>\d{2,3}(?:\.\d+)?)\s*%\s*(?:min\b|minimum|purity|pure|assay)",
    re.I,
)
MIN_ORDER = re.compile(
    rf"(?:moq|min(?:imum)?\.?\s*order(?:\s*quantity)?|起订量|最小起订量?)\s*[:：]?\s*(?P<q>{_NUM}\s*{_UNIT})\b",
    re.I,
)
_SHIP_TO = re.compile(
    r"(?:ship(?:ping|s)?|deliver(?:y|s)?|export(?:s|ing)?|send(?:s|ing)?|door[- ]to[- ]door)\s*(?:to|in|into|for)\s*[:：]?\s*"
    r"(?P<places>[^.;\n]{2,120})",
    re.I,
)
_PLACE_SPLIT = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b|、|，)\s*", re.I)


def read_price(text: str, structured: str | None = None, currency: str | None = None) -> Price | None:
    """The first price written in `text` (or the structured price, with its currency, when given)."""
    if structured:
        amounts: list[str] = re.findall(_NUM, structured)
        if amounts:
            first = float(amounts[0].replace(",", ""))
            second = float(amounts[1].replace(",", "")) if len(amounts) > 1 else None
            cur = (currency or "").upper() or _currency_in(structured)
            return Price(structured if not currency else f"{currency} {structured}", cur, first, second)
    m = PRICE.search(unicodedata.normalize("NFKC", text))
    if not m:
        return None
    cur = _CURRENCY.get(re.sub(r"\s+", " ", m.group("cur").lower()))
    high: str | None = m.group("high")
    unit: str | None = m.group("unit")
    return Price(
        m.group(0).strip(),
        cur,
        float(m.group("low").replace(",", "")),
        float(high.replace(",", "")) if high else None,
        unit.lower() if unit else None,
    )


def _currency_in(text: str) -> str | None:
    m = re.search(r"us\s?\$|usd|eur|€|cny|rmb|¥|inr|₹|gbp|£|\$", text, re.I)
    return _CURRENCY.get(re.sub(r"\s+", " ", m.group(0).lower())) if m else None


def read_purity(text: str) -> float | None:
    """The highest purity (percent) stated for the goods, if any."""
    found = [float(m.group("a") or m.group("b")) for m in PURITY.finditer(text)]
    found = [p for p in found if p <= 100]
    return max(found) if found else None


def read_min_order(text: str) -> str | None:
    """The minimum order as written ("1 kg"), if any."""
    m = MIN_ORDER.search(text)
    return " ".join(m.group("q").split()) if m else None


def read_destinations(text: str) -> tuple[str, ...]:
    """Countries (ISO alpha-2) the seller says it ships to, in the order written."""
    out: list[str] = []
    for m in _SHIP_TO.finditer(text):
        for part in _PLACE_SPLIT.split(m.group("places")):
            words = part.strip(" :()\"'").split()
            for n in range(min(4, len(words)), 0, -1):  # "United States", "Mexico City" -> the country
                code = country_code(" ".join(words[:n]))
                if code and len(" ".join(words[:n])) > 2:
                    out.append(code)
                    break
    return tuple(dict.fromkeys(out))


def read_offer(
    listing: Listing,
    kb: KnowledgeBase,
    *,
    resolver: NameResolver | None = None,
    currency: str | None = None,
) -> Offer:
    """Read the offer in a listing: substances (core identification, every relation; the same mention
    repeated is kept once, at its first place), purity, price, minimum order, destinations and seller
    signals."""
    text = listing.text
    matches: dict[tuple[str, str, str, str], Match] = {}
    for m in identify_text(text, kb, resolver=resolver):
        matches.setdefault((m.substance, m.relation, m.method, m.text.casefold()), m)
    return Offer(
        matches=tuple(matches.values()),
        purity=read_purity(text),
        price=read_price(text, listing.price, currency),
        min_order=read_min_order(text),
        destinations=read_destinations(text),
        signals=tuple(find_signals(text, listing.contacts)),
    )
