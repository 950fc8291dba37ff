"""What a risk rule sees: the record, the policy, the knowledge base, and what was found in the text once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from precwatch.core.knowledge import KnowledgeBase
from precwatch.core.phrases import PhraseHit
from precwatch.core.policy import Policy
from precwatch.core.records import Declaration, Listing
from precwatch.core.types import Match, Substance

if TYPE_CHECKING:
    from precwatch.core.watchlist import Watchlist, WatchlistHit

_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU_MEMBERS = frozenset(_EU.split())
"""EU member states (EU precursor regulations 273/2004 and 111/2005 apply in each)."""

_JURISDICTION_OF = {"US": "US", "CN": "CN", "MX": "MX", "CA": "CA"}


def jurisdiction_of(country: str | None) -> str | None:
    """The knowledge-base jurisdiction whose law applies in `country` (None when the KB has none)."""
    if not country:
        return None
    if country in EU_MEMBERS:
        return "EU"
    return _JURISDICTION_OF.get(country)


@dataclass(slots=True)
class RiskContext:
    """One record being screened. `matches` are the identification matches above the policy's
    confidence floor; `phrases` the policy word-list hits in `folded` (the record's folded text)."""

    record: Declaration | Listing
    text: str
    folded: str
    matches: list[Match]
    phrases: list[PhraseHit]
    policy: Policy
    kb: KnowledgeBase
    hs_concern: frozenset[str] = frozenset()
    watchlist: Watchlist | None = None
    watch_cache: dict[tuple[str, str | None], list[WatchlistHit]] = field(default_factory=dict)

    def phrases_of(self, list_name: str) -> list[PhraseHit]:
        return [h for h in self.phrases if h.list_name == list_name]

    def substance(self, m: Match) -> Substance | None:
        """The knowledge-base entry a match resolves to (None for a class-only match)."""
        return self.kb.by_id.get(m.substance)

    def is_controlled(self, status: str) -> bool:
        """A status counts as a control unless the policy lists it as not one (unknown, not controlled...)."""
        return status.lower() not in self.policy.not_controlled
