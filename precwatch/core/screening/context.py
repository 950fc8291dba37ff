"""What a risk rule sees: the record, the policy, the knowledge base, and what was found in the text once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import Substance
from precwatch.core.match import Match
from precwatch.core.parties.companies import normalise_name
from precwatch.core.parties.company_terms import GENERIC
from precwatch.core.screening.policy import Policy
from precwatch.core.screening.records import Declaration, Listing
from precwatch.core.text.phrases import PhraseHit, PhraseScanner, fold

if TYPE_CHECKING:
    from precwatch.core.parties.watchlist import Watchlist, WatchlistHit
    from precwatch.core.screening.notification_rules import NotificationIndex

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
    party_scanner: PhraseScanner | None = None
    profile_cache: dict[tuple[str, str], str | None] = field(default_factory=dict)
    notifications: NotificationIndex | None = None
    """The hub's pre-export notifications, when screening runs against a hub."""

    def phrases_of(self, list_name: str) -> list[PhraseHit]:
        return [h for h in self.phrases if h.list_name == list_name]

    def substance(self, m: Match) -> Substance | None:
        """The knowledge-base entry a match resolves to (None for a class-only match)."""
        return self.kb.by_id.get(m.substance)

    def consignee_profile(self) -> str | None:
        """Why the consignee looks like no user of chemicals (a private person, a home address, a
        business of another trade), or None. Memoised by name and address."""
        rec = self.record
        if not isinstance(rec, Declaration) or self.party_scanner is None:
            return None
        key = (rec.consignee.name, rec.consignee.address)
        if key in self.profile_cache:
            return self.profile_cache[key]
        if len(self.profile_cache) > 50_000:
            self.profile_cache.clear()
        why: list[str] = []
        hits = self.party_scanner.scan(fold(f"{rec.consignee.name} | {rec.consignee.address}"))
        trade = sorted({h.phrase for h in hits if h.list_name == "business"})
        home = sorted({h.phrase for h in hits if h.list_name == "residential"})
        if trade:
            why.append("a business of another trade (" + ", ".join(trade) + ")")
        name = normalise_name(rec.consignee.name)
        if not name.legal_forms and not trade and 2 <= len(name.words) <= 4 and not set(name.words) & GENERIC:
            why.append("a private person's name, no company form")
        if home:
            why.append("a home address (" + ", ".join(home) + ")")
        found = "; ".join(why) or None
        self.profile_cache[key] = found
        return found

    def is_controlled(self, status: str) -> bool:
        """A status counts as a control unless the policy lists it as not one (unknown, not controlled...)."""
        return status.lower() not in self.policy.not_controlled
