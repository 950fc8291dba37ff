"""Screening: an explainable additive risk score for one declaration or listing.

score = the sum of the evidence reasons' weights, plus the qualifiers' weights when there is any
evidence, clamped to 0-100. `level` follows the policy's thresholds. The reasons list every rule that
fired, evidence first, with its weight and what it saw, so an officer can act on it and defend it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.parties.watchlist import Watchlist, WatchlistHit
from precwatch.core.screening.context import RiskContext
from precwatch.core.screening.notification_rules import (
    NotificationBook,
    NotificationIndex,
    notification_rules_for,
)
from precwatch.core.screening.policy import Policy
from precwatch.core.screening.records import Declaration, Listing
from precwatch.core.screening.rules import rules_for
from precwatch.core.screening.verdict import Reason, Verdict
from precwatch.core.text.identify import NameResolver, identify_text
from precwatch.core.text.phrases import PhraseScanner, fold


def _hs_concern(policy: Policy, kb: KnowledgeBase) -> frozenset[str]:
    """The policy's HS codes of concern plus the 6-digit code of every non-drug KB substance."""
    codes = set(policy.hs_of_concern)
    for s in kb.substances:
        digits = "".join(ch for ch in s.hs_code or "" if ch.isdigit())
        if s.role != "drug" and len(digits) >= 6:
            codes.add(digits[:6])
    return frozenset(codes)


class Screener:
    """Screens records against one knowledge base, policy and (optional) watchlist. Build once per
    process: the constructor compiles the word lists; `screen` is then cheap and thread-compatible."""

    def __init__(
        self,
        kb: KnowledgeBase,
        policy: Policy,
        watchlist: Watchlist | None = None,
        resolver: NameResolver | None = None,
        *,
        notifications: NotificationBook | None = None,
    ) -> None:
        self.kb = kb
        self.notifications = NotificationIndex(notifications) if notifications is not None else None
        """The hub's pre-export notifications (`--hub`): declarations are checked against them."""
        self.resolver = resolver
        """Converts systematic names in the text to structures (OPSIN); set per process, may be None."""
        self.policy = policy
        self.watchlist = watchlist
        lists: dict[str, tuple[str, ...]] = {
            "vague": policy.vague_descriptions,
            "seller": policy.seller_phrases,
            "messenger": policy.encrypted_messengers,
            "crypto": policy.crypto_words,
            "surveillance": policy.surveillance_goods,
        }
        for code, words in policy.goods_chapters.items():
            lists[f"goods:{code}"] = words
        self.scanner = PhraseScanner(lists)
        self.party_scanner = PhraseScanner(
            {"business": policy.unrelated_business_words, "residential": policy.residential_address_words}
        )
        self._profile_cache: dict[tuple[str, str], str | None] = {}
        self.hs_concern = _hs_concern(policy, kb)
        self._watch_cache: dict[tuple[str, str | None], list[WatchlistHit]] = {}

    def context(self, record: Declaration | Listing) -> RiskContext:
        """Identify the record's text and find the policy's phrases in it, once for every rule."""
        if isinstance(record, Declaration):
            text = record.description
        else:
            text = f"{record.title}\n{record.description}\n{' '.join(record.contacts)}"
        floor = self.policy.confidence_floor
        found = identify_text(text, self.kb, resolver=self.resolver) if text else []
        matches = [m for m in found if m.confidence >= floor]
        folded = fold(text)
        return RiskContext(
            record, text, folded, matches, self.scanner.scan(folded), self.policy, self.kb,
            self.hs_concern, self.watchlist, self._watch_cache, self.party_scanner, self._profile_cache,
            self.notifications,
        )  # fmt: skip

    def screen(self, record: Declaration | Listing) -> Verdict:
        """The verdict for one record: score, level, reasons (evidence first) and the matches."""
        ctx = self.context(record)
        evidence: list[Reason] = []
        qualifiers: list[Reason] = []
        notices: list[Reason] = []
        for rule in (*rules_for(record), *notification_rules_for(record, self.notifications)):
            (notices if rule.notice else qualifiers if rule.qualifier else evidence).extend(rule.fn(ctx))
        reasons = (evidence + qualifiers if evidence else []) + notices
        score = max(0, min(100, sum(r.weight for r in reasons)))
        level = self.policy.level(score)
        kept = record if level != "none" else None
        return Verdict(record.id, score, level, tuple(reasons), tuple(ctx.matches), record.line, kept)


def screen_batch(records: Iterable[Declaration | Listing], screener: Screener) -> Iterator[Verdict]:
    """Screen records in order (the unit every engine runs, locally or on Spark executors)."""
    for record in records:
        yield screener.screen(record)
