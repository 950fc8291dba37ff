"""A knowledge-base substance: its names, identifiers, role and sourced control status per jurisdiction.

All are frozen, slotted dataclasses: cheap to create, safe to share between threads and processes.
"""

from __future__ import annotations

from dataclasses import dataclass

JURISDICTIONS: tuple[str, ...] = ("UN", "US", "CN", "MX", "EU", "CA")
"""Jurisdictions whose control status the knowledge base records, in display order."""

ROLES: tuple[str, ...] = (
    "precursor",
    "pre-precursor",
    "masked-precursor",
    "reagent",
    "salt",
    "drug",
    "adulterant",
)


@dataclass(frozen=True, slots=True)
class Control:
    """The control status of one substance in one jurisdiction, with where that fact comes from.

    `status` is a short label ("Table I", "List I", "Category II", "unknown", "not controlled", ...);
    `detail` the fuller wording from the source table; `source` the citation (None only when unknown);
    `effective` an ISO date or year when the control took effect, if known.
    """

    jurisdiction: str
    status: str
    detail: str = ""
    source: str | None = None
    effective: str | None = None

    @property
    def is_known(self) -> bool:
        return self.status != "unknown"


@dataclass(frozen=True, slots=True)
class Names:
    """Every name a substance goes by, grouped by language and kind."""

    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    es: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    slang: tuple[str, ...] = ()

    def all(self) -> tuple[tuple[str, str], ...]:
        """All names as (kind, name) pairs, kind in en|zh|es|abbreviation|slang."""
        out: list[tuple[str, str]] = []
        for kind, names in (
            ("en", self.en),
            ("zh", self.zh),
            ("es", self.es),
            ("abbreviation", self.abbreviations),
            ("slang", self.slang),
        ):
            out.extend((kind, n) for n in names)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Substance:
    """One knowledge-base entry: a controlled chemical, one of its registered salts, or a drug."""

    id: str
    preferred_name: str
    role: str
    names: Names
    controls: tuple[Control, ...]
    cas: str | None = None
    smiles: str | None = None
    inchikey: str | None = None
    formula: str | None = None
    hs_code: str | None = None
    hs_note: str = ""
    parent: str | None = None
    role_detail: str = ""
    sources: tuple[str, ...] = ()
    confidence: str = "medium"
    notes: str = ""
    name_sources: tuple[tuple[str, str], ...] = ()
    """(name, where it comes from) for names that need it: trade and slang names (with their source, which
    exempts them from the systematic-name check), and Chinese and Spanish names (source or confidence)."""

    def name_source(self, name: str) -> str | None:
        """Where this name comes from, when the knowledge base records it."""
        return next((src for n, src in self.name_sources if n == name), None)

    def control(self, jurisdiction: str) -> Control:
        for c in self.controls:
            if c.jurisdiction == jurisdiction:
                return c
        return Control(jurisdiction, "unknown")

    def control_summary(self) -> dict[str, str]:
        """Short status per jurisdiction, as printed in identification output."""
        return {j: self.control(j).status for j in JURISDICTIONS}
