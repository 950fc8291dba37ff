"""Word lists found in free text in one pass: stop-word descriptions, evasion wording, goods keywords.

One Aho-Corasick automaton holds every phrase of every list in the policy; a hit counts only on word
boundaries (CJK phrases need none). Linear in the text: one automaton pass, then one sort of the hits. Text is lower-cased with runs of spaces, dashes and underscores
folded to one space, so "SAFE   DELIVERY" and "safe-delivery" both meet "safe delivery".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick

from precwatch.core.normalise import is_cjk

_FOLD = re.compile(r"[\s\-_/]+")


def fold(text: str) -> str:
    """Lower-case `text` and fold separators to single spaces (the form phrases are matched in)."""
    return _FOLD.sub(" ", text.lower()).strip()


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """One phrase of one list found in the folded text at [start, end)."""

    list_name: str
    phrase: str
    start: int
    end: int


class PhraseScanner:
    """Finds the phrases of several named lists in a text with one automaton scan."""

    def __init__(self, lists: Mapping[str, Iterable[str]]) -> None:
        owners: dict[str, list[str]] = {}
        for list_name, phrases in lists.items():
            for phrase in phrases:
                owners.setdefault(fold(phrase), []).append(list_name)
        self._automaton = ahocorasick.Automaton()
        for phrase, names in owners.items():
            self._automaton.add_word(phrase, (phrase, tuple(names)))
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()

    def scan(self, folded: str) -> list[PhraseHit]:
        """Every whole-word phrase hit in already-folded text, in text order."""
        if self._empty or not folded:
            return []
        hits: list[PhraseHit] = []
        n = len(folded)
        for end, (phrase, names) in self._automaton.iter(folded):
            start = end - len(phrase) + 1
            if not is_cjk(phrase[0]) and start > 0 and folded[start - 1].isalnum():
                continue
            if not is_cjk(phrase[-1]) and end + 1 < n and folded[end + 1].isalnum():
                continue
            hits.extend(PhraseHit(name, phrase, start, end + 1) for name in names)
        return _maximal(hits) if len(hits) > 1 else hits


def _maximal(hits: list[PhraseHit]) -> list[PhraseHit]:
    """Drop a hit inside a longer hit of the same list ("intermediate" in "pharmaceutical intermediate").

    One sort and one sweep per list (O(h log h) in the number of hits), so a text with a million hits
    costs seconds, not hours: hits by start, longest first; a hit is inside a longer one when a hit seen
    before it reaches at least as far (and is not the same span)."""
    order = sorted(
        range(len(hits)), key=lambda i: (hits[i].list_name, hits[i].start, hits[i].start - hits[i].end)
    )
    dropped: set[int] = set()
    current, reach, reach_start = "", -1, -1
    for i in order:
        h = hits[i]
        if h.list_name != current:
            current, reach, reach_start = h.list_name, -1, -1
        if reach > h.end or (reach == h.end and reach_start < h.start):
            dropped.add(i)
        elif h.end > reach:
            reach, reach_start = h.end, h.start
    return [h for i, h in enumerate(hits) if i not in dropped] if dropped else hits
