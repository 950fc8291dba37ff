"""Event clustering: articles from several outlets and languages that report one event become one cluster.

1. Blocking: candidate pairs are articles that share an entity key held by at most `BLOCK_CAP` articles
   (a person, a precursor, a quantity, an event date...), or whose texts LSH finds similar. Keys that
   nearly every article holds ("country:US", fentanyl) never make pairs, so the work grows with the
   number of articles, not with its square.
2. Scoring: `similarity.pair_score` on each candidate pair.
3. Linking: pairs at or above `LINK_THRESHOLD`, strongest first, join their clusters unless the clusters'
   known event dates would then span more than `MAX_SPAN_DAYS` (two events, not one). Near-duplicates
   (`dedupe.DUPLICATE_JACCARD`) always join.
4. Each cluster gets its date, type and facts (`precwatch.core.osint.timeline.summarise`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from precwatch.core.osint.dedupe import near_duplicates, signature, similar_pairs
from precwatch.core.osint.facts import ArticleFacts
from precwatch.core.osint.similarity import PairScore, idf_table, pair_score, tfidf

BLOCK_CAP = 50
"""A key held by more articles than this makes no candidate pairs (it still counts in the score)."""
LINK_THRESHOLD = 0.28
"""Pair score at or above which two articles are taken to report one event."""
MAX_SPAN_DAYS = 4
"""Largest spread of known event dates inside one cluster."""


@dataclass(frozen=True)
class Link:
    """Why two articles were put together: their indexes, the score and its parts, or a duplicate."""

    a: int
    b: int
    score: PairScore | None
    duplicate: float | None = None


def candidate_pairs(facts: Sequence[ArticleFacts], *, cap: int = BLOCK_CAP) -> set[tuple[int, int]]:
    """Pairs (i < j) sharing a key held by at most `cap` articles."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        for key in f.keys:
            index[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        if 1 < len(members) <= cap:
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    pairs.add((i, j))
    return pairs


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

    def union(self, i: int, j: int, *, force: bool = False) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        si, sj = self.span[ri], self.span[rj]
        merged = si or sj
        if si and sj:
            merged = (min(si[0], sj[0]), max(si[1], sj[1]))
            if (merged[1] - merged[0]).days > MAX_SPAN_DAYS and not force:
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
        if groups.union(i, j, force=True):
            links.append(Link(i, j, None, jaccard))
    scored = []
    for i, j in candidate_pairs(facts) | similar_pairs(signatures):
        s = pair_score(facts[i], facts[j], vectors[i], vectors[j], key_idf)
        if s.score >= threshold:
            scored.append((s.score, i, j, s))
    for _score, i, j, s in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
        if groups.union(i, j):
            links.append(Link(i, j, s))
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(facts)):
        members[groups.find(i)].append(i)
    return sorted(members.values(), key=lambda m: m[0]), links
