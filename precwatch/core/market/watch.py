"""Vendors against watchlists, by name and by contact.

A sanctioned supplier that re-lists under a new name keeps its phone, e-mail, web site or wallet. So a
vendor is matched two ways: each of its names through the watchlist's name matcher
(`precwatch.core.parties.watchlist`), and each of its contacts, by identity of the normalised contact, against the
contacts the list gives for its entries (OFAC SDN remarks carry "Phone Number", "Email Address",
"Website", "Digital Currency Address"; `contacts_in_remarks` reads them with the same normalisers as
listings). A hit says `via` which: `name`, or the contact kind that matched (`phone`, `email`, `url`,
`btc`, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from precwatch.core.parties.contacts import Contact, normalise_email, normalise_phone, url_host
from precwatch.core.parties.entries import WatchlistEntry
from precwatch.core.parties.wallets import find_wallets
from precwatch.core.parties.watchlist import Watchlist

_REMARK = re.compile(
    r"^(?:alt\.\s*)?(?P<kind>phone(?:\s*number)?|tel(?:ephone)?|fax|e-?mail(?:\s*address)?|website|"
    r"digital currency address\s*-\s*\w+)\s*(?:no\.?)?\s*(?P<value>.+)$",
    re.I,
)


def contacts_in_remarks(remarks: str) -> list[Contact]:
    """The phones, e-mails, web sites and wallets written in an OFAC SDN Remarks field.

    ("Phone Number 8615815351839; Email Address x@qq.com; Website www.a.com; Digital Currency Address -
    XBT 1JPf...") Phone numbers without `+` are read as international; wallets are kept only when their
    checksum verifies, whatever currency the remark names.
    """
    out: list[Contact] = []
    for part in remarks.split(";"):
        m = _REMARK.match(part.strip().rstrip("."))
        if not m:
            continue
        kind, value = m.group("kind").lower(), m.group("value").strip()
        if kind.startswith(("phone", "tel", "fax")):
            for piece in re.split(r"\s*/\s*|,\s*", value):
                if phone := normalise_phone(piece):
                    out.append(Contact("phone", phone, piece))
        elif kind.startswith(("email", "e-mail")):
            if email := normalise_email(value):
                out.append(Contact("email", email, value))
        elif kind == "website":
            if host := url_host(value if "://" in value else "http://" + value):
                out.append(Contact("url", host, value))
        else:
            out.extend(Contact(k, a, raw) for k, a, raw in find_wallets(value))
    return out


@dataclass(frozen=True, slots=True)
class VendorHit:
    """A watchlist entry a vendor matched, and how."""

    list: str
    entry: str
    name: str
    via: str
    value: str
    score: float
    explanation: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"list": self.list, "entry": self.entry, "name": self.name, "via": self.via, "value": self.value,
                "score": self.score, "explanation": self.explanation}  # fmt: skip


def _via(kind: str) -> str:
    return "phone" if kind in ("phone", "whatsapp", "signal", "wechat", "telegram") else kind


class ContactWatch:
    """A watchlist's names (matcher) and contacts (index by contact key)."""

    def __init__(self, watchlist: Watchlist, contacts: Mapping[str, Sequence[Contact]]) -> None:
        self.watchlist = watchlist
        by_id = {e.id: e for e in watchlist.entries}
        self._index: dict[str, list[tuple[WatchlistEntry, Contact]]] = {}
        for entry_id, found in contacts.items():
            entry = by_id.get(entry_id)
            if entry is None:
                continue
            for c in found:
                self._index.setdefault(c.key, []).append((entry, c))

    def __len__(self) -> int:
        return len(self._index)

    def hits(
        self, names: Iterable[str], contacts: Iterable[Contact], *, threshold: float = 0.88
    ) -> list[VendorHit]:
        """Every entry matched by one of the names or contacts, contact hits first, each entry once per via."""
        out: dict[tuple[str, str], VendorHit] = {}
        for c in contacts:
            for entry, listed in self._index.get(c.key, ()):
                via = _via(c.kind) if c.value.startswith("+") else c.kind
                out.setdefault(
                    (entry.id, via),
                    VendorHit(entry.source, entry.id, entry.name, via, c.value, 1.0,
                              f"{c.kind} {c.value} is listed for the entry as '{listed.raw}'"),
                )  # fmt: skip
        for name in names:
            for hit in self.watchlist.match(name, threshold=threshold):
                key = (hit.entry.id, "name")
                if key not in out or out[key].score < hit.score:
                    out[key] = VendorHit(
                        hit.entry.source,
                        hit.entry.id,
                        hit.entry.name,
                        "name",
                        name,
                        hit.score,
                        hit.explanation,
                    )
        return sorted(out.values(), key=lambda h: (h.via == "name", -h.score, h.entry))
