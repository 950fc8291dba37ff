"""The knowledge base's names compiled for text search: one Aho-Corasick automaton over separator-free keys
of every name, synonym, abbreviation and seller name (with spelling variants), the benign look-alikes that
shield their span, the word pieces that trigger the misspelling search, and the fuzzy matcher's lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import OSA

from precwatch.core.normalise import is_cjk, name_key
from precwatch.core.text.lexicon import BENIGN_NAMES, FUZZY_STEMS

if TYPE_CHECKING:
    from precwatch.core.kb.knowledge import KnowledgeBase

_DIGITS = re.compile(r"\D")
_VARIANTS = (
    ("α", "alpha"), ("β", "beta"), ("alpha-", "α-"), ("beta-", "β-"), ("tert-butyl", "t-butyl"),
    ("alpha-", "a-"), ("beta-", "b-"),
    ("piperidinone", "piperidone"), ("piperidone", "piperidinone"), ("phenethyl", "phenylethyl"),
)  # fmt: skip

MAX_EDITS = 3
"""The most edits a misspelling may have (names of 20+ letters; fewer for shorter names, see `closest`)."""


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name of one substance as compiled into the automaton."""

    substance: str
    name: str
    kind: str
    abbreviation: bool


class NameIndex:
    """Every name of every substance in one Aho-Corasick automaton over separator-free keys, plus the
    word pieces that trigger the misspelling search and the lists the fuzzy matcher compares against."""

    def __init__(self, kb: KnowledgeBase) -> None:
        entries: dict[str, list[NameEntry]] = {}
        for s in kb.substances:
            for kind, name in (("preferred", s.preferred_name), *s.names.all()):
                for variant in _variants(name):
                    key = name_key(variant)
                    if len(key) < 3:
                        continue
                    abbreviation = kind == "abbreviation" or (len(key) <= 4 and not is_cjk(key[0]))
                    bucket = entries.setdefault(key, [])
                    if not any(e.substance == s.id for e in bucket):
                        bucket.append(NameEntry(s.id, name, kind, abbreviation))
        self.automaton = ahocorasick.Automaton()
        for key, bucket in entries.items():
            self.automaton.add_word(key, (key, tuple(bucket)))
        self.benign_keys = [name_key(n) for n in BENIGN_NAMES]
        for key in self.benign_keys:
            if key not in entries:
                self.automaton.add_word(key, (key, ()))
        for stem in FUZZY_STEMS:
            if stem not in entries and stem not in self.benign_keys:
                self.automaton.add_word(stem, (stem, ()))
        self.automaton.make_automaton()
        self.keys = entries
        fuzzy = [
            (k, b[0])
            for k, b in entries.items()
            if len(k) >= 7 and not any(is_cjk(c) for c in k) and not b[0].abbreviation
        ]
        self.fuzzy_keys = [k for k, _ in fuzzy]
        self.fuzzy_entries = [e for _, e in fuzzy]
        self.fuzzy_reach = max(map(len, self.fuzzy_keys), default=0) + MAX_EDITS
        """No query longer than this is within `MAX_EDITS` edits of a fuzzy key (`closest` finds nothing)."""
        self.benign = frozenset(self.benign_keys)
        self._closest_cache: dict[str, tuple[int, int] | str | None] = {}
        self.stems = frozenset(FUZZY_STEMS)

    def closest(self, query: str) -> tuple[int, int] | str | None:
        """The listed name within reach of a misspelled `query` as (distance, index into fuzzy_keys);
        a reason string when a near name was refused; None when nothing is near. Memoised."""
        cache = self._closest_cache
        if query in cache:
            return cache[query]
        if len(cache) > 100_000:
            cache.clear()
        limit = MAX_EDITS if len(query) >= 20 else 2 if len(query) >= 12 else 1
        verdict: tuple[int, int] | str | None = None
        found = process.extractOne(query, self.fuzzy_keys, scorer=OSA.distance, score_cutoff=limit)
        if found is not None:
            choice, dist, k = found
            benign = process.extractOne(query, self.benign_keys, scorer=OSA.distance, score_cutoff=dist)
            differs = _morphemes_of(query) - _morphemes_of(choice)
            if _DIGITS.sub("", choice) != _DIGITS.sub("", query):
                verdict = f"is close to '{choice}' but its locants differ"
            elif differs:
                verdict = (
                    f"is close to '{choice}' but names another substituent ({', '.join(sorted(differs))})"
                )
            elif benign is not None:
                verdict = f"is as close to the uncontrolled '{benign[0]}'"
            else:
                verdict = (int(dist), int(k))
        cache[query] = verdict
        return verdict

    def scan(self, compact_text: str) -> tuple[list[tuple[int, int, tuple[NameEntry, ...]]], list[int]]:
        """All key hits (compact coordinates, end exclusive) and the positions of fuzzy-trigger stems.

        Benign look-alike names come back as hits with no entries: they shield their span."""
        hits: list[tuple[int, int, tuple[NameEntry, ...]]] = []
        stems: list[int] = []
        for end, (key, bucket) in self.automaton.iter(compact_text):
            start = end - len(key) + 1
            if bucket or key in self.benign:
                hits.append((start, end + 1, bucket))
            if key in self.stems:
                stems.append(start)
        return hits, stems


_MORPHEMES = ("benzoyl", "benzyl", "acetyl", "butyryl", "propionyl", "valeryl", "isobutyr", "methoxy", "ethoxy",
              "hydroxy", "fluoro", "chloro", "bromo", "iodo", "nitro", "oxo", "thio", "furanyl", "phenyl")  # fmt: skip


def _morphemes_of(key: str) -> frozenset[str]:
    """Substituent word pieces in a compact name: a misspelling never changes one into another."""
    found = {m for m in _MORPHEMES if m in key}
    if "benzoyl" in found:
        found.discard("benzyl")
    return frozenset(found)


def _variants(name: str) -> Iterator[str]:
    yield name
    low = name.lower()
    for a, b in _VARIANTS:
        if a in low:
            yield low.replace(a, b)
    typed = _ONE_LOCANT.sub("l", low)
    if typed != low:
        yield typed  # a letter l typed for the locant 1 ("l-boc-4-piperidone", "l-苯乙基-4-哌啶酮")


_ONE_LOCANT = re.compile(r"(?<![0-9a-z])1(?=-)|(?<=-)1(?![0-9])")


def name_index(kb: KnowledgeBase) -> NameIndex:
    """The KB's compiled multi-pattern name automaton (built on first use, then shared)."""
    return kb.derived("name-index", NameIndex)
