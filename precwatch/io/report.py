"""The screening report: one self-contained HTML page an analyst can open offline or attach to a case.

`ReportCollector` is fed every verdict (and reject) while a screening run streams, keeping only
aggregates and the `max_flagged` highest-scoring flagged records, so its memory is bounded whatever the
input size. `render()` gives the page: its provenance (knowledge base, policy and watchlist versions, input hash), counts
by level, a log-scale score histogram with the level thresholds drawn, the top reasons, the rejects, every
flagged record (up to `max_flagged`, paged, sorted and filtered in the browser) with its reasons ordered by
weight, evidence before qualifiers, its matched substances linked to their knowledge-base statuses, and a
link to the listing's URL.

The records are hostile input (a listing may carry markup or script): every value goes through Jinja2
autoescaping, links are made only from http(s) URLs, the page loads nothing (no font, stylesheet or image
from anywhere), and its Content-Security-Policy allows only the one inlined script, by its hash.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import heapq
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

from precwatch.core.screening.records import Declaration, Kind, Listing, ScreenRecord
from precwatch.core.screening.rules import DECLARATION_RULES, LISTING_RULES
from precwatch.core.screening.verdict import LEVELS, Verdict
from precwatch.io.records import Reject
from precwatch.io.rendering import environment, render

LEVEL_COLOURS = {"high": "#b91c1c", "medium": "#ea580c", "low": "#ca8a04", "none": "#64748b"}
HISTOGRAM_BINS = 11
"""Scores 0-9, 10-19, ... 90-99 and 100 or more."""
MAX_REJECTS_SHOWN = 20
MAX_FLAGGED = 100_000
"""The report lists every flagged record up to this many (the highest scores beyond it)."""
QUALIFIER_CODES = frozenset(c for r in (*DECLARATION_RULES, *LISTING_RULES) if r.qualifier for c in r.codes)
"""Reason codes that only add to evidence (shown after the evidence)."""
DEFAULT_THRESHOLDS = (("high", 70), ("medium", 40), ("low", 15))
TABLE_SCRIPT = "partials/report_table.js"


@dataclass(frozen=True, slots=True)
class Provenance:
    """What a run screened with and what it read: versions of the knowledge base and policy, the watchlist
    files with their SHA-256, and the SHA-256 of the input (None for standard input)."""

    kb_version: str
    policy_version: str = ""
    watchlists: tuple[tuple[str, str], ...] = ()
    input_sha256: str | None = None


def file_sha256(path: str) -> str | None:
    """The SHA-256 of a file, or None for standard input ('-')."""
    if path == "-":
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_CLIP = 300


def _clip(text: str, limit: int = _CLIP) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class ReasonStats:
    """How often a reason code fired, the points it added in all, and one example of what it saw."""

    code: str
    count: int = 0
    weight: int = 0
    example: str = ""


@dataclass(frozen=True, slots=True)
class FlaggedRecord:
    """What the report shows of one flagged record (texts clipped to keep the page small)."""

    id: str
    line: int
    score: int
    level: str
    reasons: tuple[tuple[str, int, str], ...]
    substances: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    """(substance, CAS RN or "", relation, the texts that matched it)."""
    facts: tuple[tuple[str, str], ...] = field(default=())
    """(label, value) pairs describing the record: parties, goods, seller..."""


def record_facts(record: ScreenRecord | None) -> tuple[tuple[str, str], ...]:
    """The few facts about a record that help an analyst read its reasons."""
    if isinstance(record, Declaration):
        s, c = record.shipper, record.consignee
        goods = " ".join(
            x
            for x in (
                f"HS {record.hs_code}" if record.hs_code else "",
                f"{record.quantity:g} {record.unit or ''}".strip() if record.quantity is not None else "",
                f"USD {record.value_usd:,.2f}" if record.value_usd is not None else "",
                record.transport_mode or "",
            )
            if x
        )
        route = " → ".join(p for p in (record.port_of_loading, record.port_of_discharge) if p)
        facts = [
            ("shipper", f"{s.name} ({s.country})" if s.country else s.name),
            ("consignee", f"{c.name} ({c.country})" if c.country else c.name),
            ("goods", goods),
            ("route", route),
            ("description", record.description),
        ]
    elif isinstance(record, Listing):
        facts = [
            ("title", record.title),
            ("seller", record.seller),
            ("contacts", "; ".join(record.contacts)),
            ("price", record.price or ""),
            ("url", record.url or ""),
            ("description", record.description),
        ]
    else:
        return ()
    return tuple((k, _clip(v)) for k, v in facts if v)


class ReportCollector:
    """Aggregates a screening run for the HTML report, in bounded memory."""

    def __init__(
        self,
        kind: Kind,
        kb_version: str,
        source_name: str,
        max_flagged: int = MAX_FLAGGED,
        *,
        provenance: Provenance | None = None,
        thresholds: tuple[tuple[str, int], ...] = DEFAULT_THRESHOLDS,
    ) -> None:
        self.kind, self.kb_version, self.source_name = kind, kb_version, source_name
        self.max_flagged = max_flagged
        self.provenance = provenance or Provenance(kb_version)
        self.thresholds = tuple((name, t) for name, t in thresholds if t > 0)
        self.substances: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {}
        self.by_level: Counter[str] = Counter()
        self.reasons: dict[str, ReasonStats] = {}
        self.histogram = [0] * HISTOGRAM_BINS
        self.rejects: list[Reject] = []
        self.rejected = 0
        self.rejected_by_field: Counter[str] = Counter()
        self._flagged: list[tuple[int, int, FlaggedRecord]] = []
        self._seq = itertools.count()

    @property
    def scored(self) -> int:
        return sum(self.by_level.values())

    @property
    def read(self) -> int:
        return self.scored + self.rejected

    def add(self, verdict: Verdict, record: ScreenRecord | None = None) -> None:
        """Count one verdict; keep it for the flagged table if it is among the highest scores."""
        self.by_level[verdict.level] += 1
        self.histogram[min(max(verdict.score, 0) // 10, HISTOGRAM_BINS - 1)] += 1
        for r in verdict.reasons:
            stats = self.reasons.get(r.code)
            if stats is None:
                stats = self.reasons[r.code] = ReasonStats(r.code, example=_clip(r.detail))
            stats.count += 1
            stats.weight += r.weight
        if verdict.level == "none" or self.max_flagged <= 0:
            return
        key = (verdict.score, -next(self._seq))  # ties: the earlier record stays
        if len(self._flagged) >= self.max_flagged and key <= self._flagged[0][:2]:
            return
        for m in verdict.matches:
            if m.substance not in self.substances:
                self.substances[m.substance] = (m.name, m.cas or "", tuple(sorted(m.controls.items())))
        ordered = sorted(verdict.reasons, key=lambda r: (r.code in QUALIFIER_CODES, -r.weight))
        entry = FlaggedRecord(
            _clip(verdict.id, 120),
            verdict.line,
            verdict.score,
            verdict.level,
            tuple((r.code, r.weight, _clip(r.detail)) for r in ordered),
            _substances(verdict),
            record_facts(record),
        )
        if len(self._flagged) >= self.max_flagged:
            heapq.heapreplace(self._flagged, (*key, entry))
        else:
            heapq.heappush(self._flagged, (*key, entry))

    def add_reject(self, reject: Reject) -> None:
        """Count one reject; the first `MAX_REJECTS_SHOWN` are shown in full."""
        self.rejected += 1
        self.rejected_by_field[reject.field or "(whole record)"] += 1
        if len(self.rejects) < MAX_REJECTS_SHOWN:
            self.rejects.append(reject)

    def flagged(self) -> list[FlaggedRecord]:
        """The flagged records kept, highest score first, then in input order."""
        return [e for _, _, e in sorted(self._flagged, key=lambda t: (-t[0], -t[1]))]

    def flagged_total(self) -> int:
        return sum(n for level, n in self.by_level.items() if level != "none")

    def render(self, generated_at: _dt.datetime | None = None) -> str:
        """The report as one self-contained HTML page."""
        when = (generated_at or _dt.datetime.now(_dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
        levels = list(LEVELS) + sorted(k for k in self.by_level if k not in LEVELS)
        top = sorted(
            self.reasons.values(), key=lambda s: (s.code in QUALIFIER_CODES, -s.weight, -s.count, s.code)
        )[:20]
        flagged = self.flagged()
        script = environment().loader.get_source(environment(), TABLE_SCRIPT)[0]  # type: ignore[union-attr]
        script_hash = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        return render(
            "screen_report.html",
            r=self,
            p=self.provenance,
            when=when,
            script=script,
            script_hash=f"sha256-{script_hash}",
            qualifiers=QUALIFIER_CODES,
            substances=sorted(self.substances.items(), key=lambda kv: kv[1][0].lower()),
            levels=[(lv, self.by_level[lv], LEVEL_COLOURS.get(lv, "#64748b")) for lv in levels],
            level_bars=_bars([self.by_level[lv] for lv in levels]),
            histogram=_log_bars(self.histogram),
            thresholds=[
                (name, 5 + 44 * t / 10, LEVEL_COLOURS.get(name, "#64748b")) for name, t in self.thresholds
            ],
            bin_labels=[f"{10 * i}-{10 * i + 9}" for i in range(HISTOGRAM_BINS - 1)] + ["100+"],
            top_reasons=top,
            flagged=flagged,
            with_facts=any(f.facts for f in flagged),
            rejected_fields=self.rejected_by_field.most_common(10),
        )


def _substances(verdict: Verdict) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """Each matched substance once, with every distinct text that named it."""
    seen: dict[tuple[str, str, str], dict[str, None]] = {}
    for m in verdict.matches:
        seen.setdefault((m.substance, m.cas or "", m.relation), {})[_clip(m.text, 80)] = None
    return tuple((*key, tuple(texts)) for key, texts in seen.items())


def _log_bars(counts: list[int], length: int = 300) -> list[tuple[int, int]]:
    """(count, bar length) on a log scale (log10(1 + n)), so a bin of 3 records stays visible next to one of
    300,000."""
    peak = math.log10(1 + max(counts, default=0)) or 1.0
    return [(n, round(length * math.log10(1 + n) / peak)) for n in counts]


def _bars(counts: list[int], length: int = 300) -> list[tuple[int, int]]:
    """(count, bar length in pixels) for each count, the largest bar `length` long."""
    peak = max(counts, default=0) or 1
    return [(n, round(length * n / peak)) for n in counts]
