"""What a marketplace snapshot yields: listing items and rejects, plus the small readers pages and exports share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer

from precwatch.io.records import Reject

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
EXPORT_SUFFIXES = (".jsonl", ".ndjson")
SALVAGE_NOTES = ("truncated HTML", "JSON-LD block", "microdata unreadable", "broken JSON")
"""How the notes of a salvaged item begin."""
PAIR = re.compile(r'"(@?\w+)"\s*:\s*"((?:[^"\\]|\\.)*)"')
NUMBER_PAIR = re.compile(r'"(\w+)"\s*:\s*(-?\d+(?:\.\d+)?)\s*[,}]')


@dataclass(frozen=True, slots=True)
class SnapshotItem:
    """One listing read from a page or an export line, before any analysis.

    `seller_fields` are (field, value) pairs from structured data (`telephone`, `email`, `url`, ...);
    `text` is what free-text contacts are read from (the description and seller block, not the site's
    chrome); `boilerplate` is the footer text set apart (its contacts are the platform's); `platform_hosts` are the page's own
    hosts (its URL, the platform organisation's URL)."""

    listing_id: str
    source: str
    line: int = 0
    url: str | None = None
    title: str = ""
    description: str = ""
    seller_names: tuple[str, ...] = ()
    seller_fields: tuple[tuple[str, str], ...] = ()
    price: str | None = None
    currency: str | None = None
    captured_at: str | None = None
    text: str = ""
    boilerplate: str = ""
    platform_hosts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def salvaged(self) -> bool:
        """True when the item was read from a broken page or line (its notes say how)."""
        return any(n.startswith(SALVAGE_NOTES) for n in self.notes)


@dataclass
class Snapshot:
    """What a snapshot gave: items and rejects (`read == len(items) + len(rejects)`)."""

    path: str
    kind: str
    items: list[SnapshotItem] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.items) + len(self.rejects)

    def add(self, got: SnapshotItem | Reject) -> None:
        if isinstance(got, SnapshotItem):
            self.items.append(got)
        else:
            self.rejects.append(got)


class SnapshotError(Exception):
    """The snapshot path itself cannot be read (not a folder of pages nor an export)."""


def org_names(org: dict[str, Any]) -> list[str]:
    out = []
    for k in ("name", "legalName", "alternateName"):
        v = org.get(k)
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, str) and x.strip():
                out.append(" ".join(x.split()))
    return out


def as_text(v: Any) -> str:
    if isinstance(v, list):
        v = next((x for x in v if isinstance(x, str)), "")
    return " ".join(v.split()) if isinstance(v, str) else ""


def host_of(url: str) -> str:
    m = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:]+)", url.strip(), re.I)
    return m.group(1).lower().removeprefix("www.") if m else ""


def decode(data: bytes) -> str:
    """Page bytes as text: UTF-8 (with or without BOM), else the encoding charset-normalizer detects."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        return str(best) if best is not None else data.decode("latin-1")
