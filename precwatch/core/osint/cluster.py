"""Event clustering: articles from several outlets and languages that report one event become one cluster.

1. Blocking: candidate pairs are articles that share an entity key (a person, a precursor, a quantity,
   an agency...) and a date window, or the same event date, or whose texts LSH finds similar (see
   `candidate_pairs`). Blocks of more than `BLOCK_CAP` articles ("country:US", fentanyl) make no pairs,
   so the work grows with the number of articles, not with its square.
2. Scoring: `similarity.pair_score` on each candidate pair.
3. Linking: pairs at or above `LINK_THRESHOLD`, strongest first, join their clusters unless the clusters'
   known event dates would then span more than `MAX_SPAN_DAYS` (two events, not one), or the average
   score over all pairs across the two clusters falls below `AVERAGE_LINK` (one strong pair must not
   chain two different events together). Near-duplicates (`dedupe.DUPLICATE_JACCARD`) join first, unless their facts differ (`_copies`: a template, not a copy).
4. Each cluster gets its date, type and facts (`precwatch.core.osint.timeline.summarise`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from precwatch.core.osint.dedupe import near_duplicates, signature, similar_pairs
from precwatch.core.osint.facts import ArticleFacts
from precwatch.core.osint.similarity import (
    PairScore,
    date_factor,
    idf_table,
    pair_score,
    quantity_factor,
    tfidf,
)

BLOCK_CAP = 50
"""A key held by more articles than this makes no candidate pairs (it still counts in the score)."""
LINK_THRESHOLD = 0.18
"""Pair score at or above which two articles are taken to report one event."""
MAX_SPAN_DAYS = 4
"""Largest spread of known event dates inside one cluster."""
AVERAGE_LINK = 0.14
"""Lowest average pair score across two clusters that may merge."""
MAX_AVERAGE_PAIRS = 2_500
"""Above this many cross pairs the average-link check is skipped (clusters that big are already settled)."""


@dataclass(frozen=True)
class Link:
    """Why two articles were put together: their indexes, the score and its parts, or a duplicate."""

    a: int
    b: int
    score: PairScore | None
    duplicate: float | None = None


DATE_WINDOW_DAYS = 14
"""Dated articles are blocked in overlapping windows of this many days, started every half window: two
articles at most `MAX_SPAN_DAYS` apart always share a window."""


def _windows(day: date) -> tuple[int, int]:
    half = DATE_WINDOW_DAYS // 2
    b = day.toordinal() // half
    return b - 1, b


MIN_SHARED_BLOCKS = 2
"""A pair is scored when it shares at least this many blocks, or one block of at most `RARE_BLOCK`
articles (a name or a quantity only those articles mention)."""
RARE_BLOCK = 3


def candidate_pairs(facts: Sequence[ArticleFacts], *, cap: int = BLOCK_CAP) -> set[tuple[int, int]]:
    """Pairs (i < j) worth scoring. Blocks are an entity key within a date window for dated articles, the
    event date itself, and an entity key alone for undated articles (which meet any article holding
    it). A block holding more than `cap` articles ("country:US", fentanyl) is too common to say anything
    and makes no pairs; a pair must share `MIN_SHARED_BLOCKS` blocks or one rare block."""
    dated: dict[tuple[str, int], list[int]] = defaultdict(list)
    every: dict[str, list[int]] = defaultdict(list)
    undated: list[int] = []
    for i, f in enumerate(facts):
        day = f.event_date.date
        for key in f.keys:
            every[key].append(i)
            if day is not None and not key.startswith("date:"):
                for w in _windows(day):
                    dated[(key, w)].append(i)
        if day is None:
            undated.append(i)
    shared: Counter[tuple[int, int]] = Counter()
    rare: set[tuple[int, int]] = set()
    by_key: dict[str, list[list[int]]] = defaultdict(list)
    for (key, _window), members in dated.items():
        by_key[key].append(members)
    for key, members in every.items():
        if key.startswith("date:"):
            by_key[key].append(members)
    for blocks in by_key.values():
        pairs: set[tuple[int, int]] = set()  # one key counts once, whatever the windows it shares
        for members in blocks:
            if 1 < len(members) <= cap:
                unique = sorted(set(members))
                for x, i in enumerate(unique):
                    for j in unique[x + 1 :]:
                        pairs.add((i, j))
                        if len(unique) <= RARE_BLOCK:
                            rare.add((i, j))
        shared.update(pairs)
    undated_set = set(undated)
    for i in undated:
        for key in facts[i].keys:
            members = every[key]
            if 1 < len(members) <= cap:
                for j in members:
                    if j != i:
                        pair = (min(i, j), max(i, j))
                        shared[pair] += 2 if j in undated_set else 1
                        if len(members) <= RARE_BLOCK:
                            rare.add(pair)
    return {pair for pair, n in shared.items() if n >= MIN_SHARED_BLOCKS} | rare


def _copies(a: ArticleFacts, b: ArticleFacts) -> bool:
    """Near-identical texts are copies of one story unless their facts differ: dates that clash, masses
    that disagree, or no entity in common (a press-release template filled in twice)."""
    if date_factor(a, b) == 0 or quantity_factor(a, b) < 1:
        return False
    return bool(a.keys & b.keys) or not (a.keys or b.keys)


class _Groups:
    def __init__(self, facts: Sequence[ArticleFacts]) -> None:
        self.parent = list(range(len(facts)))
        self.span: list[tuple[date, date] | None] = [
            (f.event_date.date, f.event_date.date) if f.event_date.date else None for f in facts
        ]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        si, sj = self.span[ri], self.span[rj]
        merged = si or sj
        if si and sj:
            merged = (min(si[0], sj[0]), max(si[1], sj[1]))
            if (merged[1] - merged[0]).days > MAX_SPAN_DAYS:
                return False
        self.parent[rj] = ri
        self.span[ri] = merged
        return True


def cluster_indexes(
    facts: Sequence[ArticleFacts], *, threshold: float = LINK_THRESHOLD
) -> tuple[list[list[int]], list[Link]]:
    """Clusters as lists of article indexes (each in input order, clusters by first member), and the links
    that made them."""
    token_idf = idf_table([set(f.tokens) for f in facts])
    key_idf = idf_table([f.keys for f in facts])
    vectors = [tfidf(f.tokens, token_idf) for f in facts]
    signatures = [signature(f.tokens) for f in facts]
    groups = _Groups(facts)
    links: list[Link] = []
    for i, j, jaccard in near_duplicates(signatures):
        if _copies(facts[i], facts[j]) and groups.union(i, j):
            links.append(Link(i, j, None, jaccard))
    scored = []
    known: dict[tuple[int, int], float] = {}
    for i, j in candidate_pairs(facts) | similar_pairs(signatures):
        s = pair_score(facts[i], facts[j], vectors[i], vectors[j], key_idf)
        known[(i, j)] = s.score
        if s.score >= threshold:
            scored.append((s.score, i, j, s))

    def score(x: int, y: int) -> float:
        pair = (x, y) if x < y else (y, x)
        if pair not in known:
            known[pair] = pair_score(facts[x], facts[y], vectors[x], vectors[y], key_idf).score
        return known[pair]

    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(len(facts)):
        members_of[groups.find(i)].append(i)

    def average(ri: int, rj: int) -> float:
        left, right = members_of[ri], members_of[rj]
        if len(left) * len(right) > MAX_AVERAGE_PAIRS:
            return 1.0
        total = sum(score(x, y) for x in left for y in right)
        return total / (len(left) * len(right))

    for _score, i, j, s in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
        ri, rj = groups.find(i), groups.find(j)
        if ri == rj or average(ri, rj) < AVERAGE_LINK:
            continue
        if groups.union(i, j):
            root = groups.find(i)
            other = rj if root == ri else ri
            members_of[root] = members_of[ri] + members_of[rj]
            members_of.pop(other, None)
            links.append(Link(i, j, s))
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(facts)):
        members[groups.find(i)].append(i)
    return sorted(members.values(), key=lambda m: m[0]), links
