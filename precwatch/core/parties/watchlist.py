"""Screen a party name against a watchlist (OFAC SDN, OpenSanctions ...), explainably and fast.

`Watchlist.match(name, country)` finds entries listed under a variant of the name. Every name and alias of
every party entry is normalised once (`precwatch.core.parties.companies`); a query then goes through:

1. an exact dict on the order-free normalised key;
2. blocking: the query's distinctive words (no business words, no places) are looked up in an inverted index,
   including re-spaced forms (joined neighbours, splits into listed words) and one-typo neighbours
   (deletion index); only the best few candidate names by summed word rarity are scored;
3. scoring (`name_score`): a rarity-weighted token overlap, after re-spacing the query towards the candidate,
   with words a typo apart counted at `typo_credit`; then the `SCORE_RULES` (`precwatch.core.parties.watchlist_rules`) adjust it, each noting why.

The default threshold 0.88 was chosen by measurement (`tools/measure_watchlist.py`: labelled variants of
the 293 ILLICIT-DRUGS-EO14059 names against the whole SDN list, and made-up look-alikes).

Results are memoised per (name, country) in a bounded cache: shipper names repeat a lot.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from precwatch.core.parties.companies import (
    PART_MAP,
    NormalisedName,
    normalise_name,
    split_into,
    token_class,
)
from precwatch.core.parties.company_terms import STOP_WORDS
from precwatch.core.parties.entries import PARTY_SCHEMATA, WatchlistEntry
from precwatch.core.parties.watchlist_rules import Comparison, ListedName, explain, score_rules

CLASS_WEIGHT = {"word": 1.0, "place": 0.25, "generic": 0.12}
"""How much a word counts beside its rarity: business words and places barely identify a firm."""
TYPO_MIN_LENGTH = 5
"""Words shorter than this must match exactly."""
TYPO_COST = 0.75
"""A typo costs this share of one letter's worth of the word (see `typo_credit`)."""
MAX_CANDIDATES = 12
"""Candidate names scored per query, the best by summed rarity of the words they share with it."""
SMALL_POSTING = 32
"""Words on more names than this only add weight to candidates found through rarer words."""
PRUNE_SLOPE, PRUNE_OFFSET = 2.0, 1.3
"""A candidate name is scored when the distinctive words the query shares with it weigh at least
(2 x threshold - 1.3) of its own distinctive weight: 46% at the default 0.88, nothing pruned below 0.65."""


@dataclass(frozen=True, slots=True)
class WatchlistHit:
    """A listed entry whose name or alias matched a declared name, with the score and why."""

    entry: WatchlistEntry
    matched_name: str
    query: str
    score: float
    explanation: str


class Watchlist:
    """An in-memory index of watchlist entries for matching shipper and consignee names."""

    def __init__(self, entries: Iterable[WatchlistEntry], cache_size: int = 65536) -> None:
        self._entries = tuple(entries)
        self._names: list[ListedName] = []
        self._exact: dict[str, list[int]] = {}
        self._postings: dict[str, list[int]] = {}
        df: Counter[str] = Counter()
        for i, entry in enumerate(self._entries):
            if entry.schema not in PARTY_SCHEMATA:
                continue
            seen: set[str] = set()
            for text in dict.fromkeys((entry.name, *entry.aliases)):
                norm = normalise_name(text)
                words = norm.words
                if not words or all(w.isdigit() for w in words):
                    continue  # numeric nicknames ("42") name nobody in a declaration
                rec = len(self._names)
                distinctive = any(token_class(w) == "word" for w in words)
                optional = second_surname(text) if entry.schema == "Person" else frozenset()
                self._names.append(ListedName(i, text, norm, words, distinctive, 0.0, optional))
                self._exact.setdefault(norm.key, []).append(rec)
                for w in set(words):
                    self._postings.setdefault(w, []).append(rec)
                seen.update(words)
            df.update(seen)
        n = sum(1 for e in self._entries if e.schema in PARTY_SCHEMATA) + 1
        self._unknown_idf = math.log(n / 0.5)
        self._idf = {w: math.log(n / (c + 0.5)) for w, c in df.items()}
        self._weights = {w: idf * CLASS_WEIGHT[token_class(w)] for w, idf in self._idf.items()}
        self._deletes: dict[str, set[str]] = {}
        for w in self._postings:
            if len(w) >= 5 and token_class(w) == "word":
                for d in _deletions(w):
                    self._deletes.setdefault(d, set()).add(w)
        for i, named in enumerate(self._names):
            dw = sum(self.weight(w) for w in set(named.words) if token_class(w) == "word")
            self._names[i] = ListedName(
                named.entry, named.text, named.norm, named.words, named.distinctive, dw, named.optional
            )
        self._word_sets = [frozenset(named.words) for named in self._names]
        self._word_prefixes = {w[:i] for w in self._postings for i in range(1, len(w))}
        self._distinctive_vocab = {w for w in self._postings if token_class(w) == "word" and len(w) > 1}
        self._posting_sets = {w: frozenset(p) for w, p in self._postings.items() if len(p) > SMALL_POSTING}
        self._cached = lru_cache(maxsize=cache_size)(self._match)
        self._resolve = lru_cache(maxsize=1 << 17)(self._resolve_word)  # words repeat across names

    def __len__(self) -> int:
        return len(self._entries)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Watchlist, (self._entries,))

    @property
    def entries(self) -> tuple[WatchlistEntry, ...]:
        """Every entry loaded, parties or not, in load order."""
        return self._entries

    def weight(self, word: str) -> float:
        """Rarity of a word on this list (inverse entry frequency) times its class weight."""
        w = self._weights.get(word)
        return w if w is not None else self._unknown_idf * CLASS_WEIGHT[token_class(word)]

    def match(
        self, name: str, country: str | None = None, threshold: float = 0.88, limit: int = 3
    ) -> list[WatchlistHit]:
        """Entries listed under a variant of `name`, best first, with score >= threshold (at most `limit`).

        `country` is the declared ISO alpha-2 country: agreement raises the score slightly, disagreement
        lowers it, an entry without a country is neutral.
        """
        if not name or not name.strip():
            return []
        return list(self._cached(name, country.upper() if country else None, threshold, limit))

    def _match(
        self, name: str, country: str | None, threshold: float, limit: int
    ) -> tuple[WatchlistHit, ...]:
        query = normalise_name(name)
        if not query.words:
            return ()
        best: dict[int, tuple[float, ListedName, Comparison]] = {}
        for rec in self._candidates(query, threshold):
            cand = self._names[rec]
            cmp = name_score(self, query, cand.norm, cand.optional)
            if cmp.score + 0.02 < threshold:  # no rule can lift it to the threshold
                continue
            entry = self._entries[cand.entry]
            score_rules(cmp, query, cand, entry, country)
            if cmp.score >= threshold and (cand.entry not in best or best[cand.entry][0] < cmp.score):
                best[cand.entry] = (cmp.score, cand, cmp)
        ranked = sorted(best.values(), key=lambda b: (-b[0], b[1].text))[:limit]
        return tuple(
            WatchlistHit(self._entries[c.entry], c.text, name, round(s, 3), explain(name, c, cmp))
            for s, c, cmp in ranked
        )

    def _candidates(self, query: NormalisedName, threshold: float) -> list[int]:
        """Exact-key names plus the best few names sharing a distinctive (possibly re-spaced) word.

        A name is scored only if the words found cover enough of its distinctive weight to reach the
        threshold (`PRUNE_SLOPE`): a name sharing one of its three rare words cannot score 0.88.
        """
        found = list(self._exact.get(query.key, ()))
        keys: set[str] = set()
        spaced = query.spaced
        for i in range(len(spaced) - 1):
            if spaced[i] not in self._word_prefixes:
                continue
            for n in (2, 3, 4):
                if i + n <= len(spaced) and (joined := "".join(spaced[i : i + n])) in self._postings:
                    keys.add(joined)
        score: dict[int, float] = {}
        for w in query.words:
            if w in self._postings:
                keys.add(w)
                continue
            parts, near = self._resolve(w)
            if parts:
                self._add_compound(parts, score)
            keys.update(near)
        keys &= self._distinctive_vocab
        for k in sorted(
            keys, key=lambda k: (len(self._postings[k]), k)
        ):  # ties by word: same order in every process
            posting, wk = self._postings[k], self.weight(k)
            if len(posting) <= SMALL_POSTING or not score:
                for rec in posting:
                    score[rec] = score.get(rec, 0.0) + wk
            else:  # a common word only adds to names already found through a rarer one
                members = self._posting_sets[k]
                for rec in list(score):
                    if rec in members:
                        score[rec] += wk
        frac = max(0.0, PRUNE_SLOPE * threshold - PRUNE_OFFSET)
        best = heapq.nlargest(MAX_CANDIDATES, score.items(), key=lambda kv: kv[1])
        found.extend(rec for rec, s in best if s >= frac * self._names[rec].weight)
        return list(dict.fromkeys(found))

    def _resolve_word(self, word: str) -> tuple[tuple[str, ...] | None, frozenset[str]]:
        """For a word not on the list: its split into listed words, and listed words one typo away."""
        if token_class(word) != "word":
            return None, frozenset()
        near = self._near(word) if len(word) >= TYPO_MIN_LENGTH else set()
        return split_into(word, self._postings), frozenset(near)

    def _add_compound(self, parts: tuple[str, ...], score: dict[int, float]) -> None:
        """A glued word split into listed words ("wuhanshuokang") finds only names holding all the parts."""
        distinctive = [p for p in parts if p in self._distinctive_vocab]
        if not distinctive:
            return
        rarest = min(distinctive, key=lambda p: len(self._postings[p]))
        need = set(parts)
        weight = sum(self.weight(p) for p in distinctive)
        for rec in self._postings[rarest]:
            if need <= self._word_sets[rec]:
                score[rec] = score.get(rec, 0.0) + weight

    def _near(self, word: str) -> set[str]:
        """Listed words one edit away (deletion index: insertions, deletions, substitutions, swaps)."""
        out = set(self._deletes.get(word, ()))
        for d in _deletions(word):
            if d in self._postings:
                out.add(d)
            out.update(self._deletes.get(d, ()))
        return {w for w in out if len(w) >= TYPO_MIN_LENGTH}


@lru_cache(maxsize=1 << 16)
def _prefixes(words: tuple[str, ...]) -> frozenset[str]:
    """Proper prefixes of the words: a query word that is one may need joining to its neighbour."""
    return frozenset(w[:i] for w in words for i in range(1, len(w)))


def second_surname(listed: str) -> frozenset[str]:
    """The second of two surnames in a listed person's name written "SURNAME1 SURNAME2, Given names"."""
    if "," not in listed:
        return frozenset()
    surnames = normalise_name(listed.split(",", 1)[0]).words
    return frozenset(surnames[1:]) if len(surnames) == 2 else frozenset()


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def name_score(
    wl: Watchlist, query: NormalisedName, cand: NormalisedName, optional: frozenset[str] = frozenset()
) -> Comparison:
    """Rarity-weighted overlap of the two names' words (2 x shared weight / total weight), in 0..1.

    The query is first re-spaced towards the candidate ("Wu Han" -> "wuhan", "wuhanshuokang" -> "wuhan
    shuokang"); words left over that differ by about one typo count at their similarity. A listed
    person's second surname left out of the declared name counts half ("Miguel Trevino" for "TREVINO
    MORALES, Miguel": Spanish names are often written with the first surname only).
    """
    cset = set(cand.words)
    cmp = Comparison(0.0)
    cmp.query_words = _respace(query, cset, _prefixes(cand.words), cmp.respaced)
    q = list(cmp.query_words)
    c = list(cand.words)
    num = 0.0
    for w in list(q):
        if w in c:
            q.remove(w)
            c.remove(w)
            cmp.matched.append(w)
            num += 2 * wl.weight(w)
    pairs = sorted(
        (typo_credit(a, b), a, b)
        for a in set(q)
        for b in set(c)
        if len(a) >= TYPO_MIN_LENGTH and len(b) >= TYPO_MIN_LENGTH and abs(len(a) - len(b)) <= 2
    )
    for credit, a, b in reversed(pairs):
        if credit > 0 and a in q and b in c:
            q.remove(a)
            c.remove(b)
            cmp.typos.append((a, b))
            num += credit * (wl.weight(a) + wl.weight(b))
    cmp.extra, cmp.missing = q, c
    words = [*cmp.matched, *cmp.matched, *(w for pair in cmp.typos for w in pair), *q, *c]
    den = sum(wl.weight(w) for w in words) - sum(wl.weight(w) / 2 for w in c if w in optional)
    if any(w in optional for w in c):
        cmp.notes.append("second surname left out (counts half)")
    cmp.score = num / den if den else 0.0
    return cmp


def typo_credit(a: str, b: str) -> float:
    """How much two words a typo apart count as shared: 1 - 0.75 x typos/length, where a typo is one letter
    added, dropped, changed or two swapped (one allowed, two from 9 letters); half that when the first
    letters differ (Hongsheng / Tongsheng are two different Chinese names, not a typo); else 0."""
    allowed = 2 if min(len(a), len(b)) >= 9 else 1
    d = OSA.distance(a, b, score_cutoff=allowed)
    if d > allowed:
        return 0.0
    credit = 1 - TYPO_COST * d / max(len(a), len(b))
    return credit if a[0] == b[0] else credit / 2


def _splittable(word: str, vocab: set[str]) -> bool:
    return any(word[:i] in vocab or word[:i] in PART_MAP for i in range(2, len(word) - 1))


def _respace(
    query: NormalisedName, vocab: set[str], prefixes: frozenset[str], log: list[tuple[str, str]]
) -> tuple[str, ...]:
    """The query's words re-spaced towards the candidate's: neighbours joined (stop words included, they
    may be pinyin: "Bang De Ya" -> "bangdeya"), glued words split."""
    if all(w in vocab for w in query.words):
        return query.words
    words = query.spaced
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        joins = (4, 3, 2) if w in prefixes else ()
        for n in joins:
            if i + n <= len(words) and "".join(words[i : i + n]) in vocab:
                log.append((" ".join(words[i : i + n]), "".join(words[i : i + n])))
                out.append("".join(words[i : i + n]))
                i += n
                break
        else:
            parts = None if w in vocab or not _splittable(w, vocab) else split_into(w, vocab)
            if parts:
                log.append((w, " ".join(parts)))
                out.extend(parts)
            elif w not in STOP_WORDS or w in vocab:
                out.append(w)
            i += 1
    return tuple(out) or query.words
