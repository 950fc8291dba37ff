"""Every occurrence of many literal strings in a text, in one pass: the gate's scan over a batch of records.

Hyperscan (a vectorised multi-literal matcher, x86 only) does the ASCII texts, which are nearly all of a
marketplace's or a courier's records; Aho-Corasick (pyahocorasick) does the others, and all texts where
Hyperscan is not installed. Both report exactly the same occurrences: every one, overlapping ones included
(a test compares them); only the order of occurrences ending at the same character may differ. A scan needs
scratch memory that one scan at a time may use: each thread has its own (the hub identifies texts in
several threads at once).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, count
from operator import add
from typing import Any

import ahocorasick

hyperscan: Any
try:  # x86-64 only: elsewhere the automaton does every text
    import hyperscan
except ImportError:  # pragma: no cover - exercised on machines without the wheel
    hyperscan = None

Occurrence = tuple[int, int]
"""(end, word): where an occurrence ends (exclusive) and which word it is (an index into `words`)."""


class Literals:
    """A set of words (none empty, none holding NUL: Hyperscan's literals end there) compiled for finding all
    their occurrences at once."""

    def __init__(self, words: Sequence[str], *, use_hyperscan: bool = True) -> None:
        self.words = list(words)
        if any(not w for w in self.words):
            raise ValueError("an empty word cannot be searched for")
        if any("\x00" in w for w in self.words):
            raise ValueError("a word holding NUL cannot be searched for")
        self._automaton = ahocorasick.Automaton()
        for i, word in enumerate(self.words):
            self._automaton.add_word(word, i)
        self._automaton.make_automaton()
        self._database = _database(self.words) if use_hyperscan and hyperscan is not None else None
        self._scratch = threading.local()

    @property
    def vectorised(self) -> bool:
        """Whether ASCII texts are scanned by Hyperscan (else by the automaton)."""
        return self._database is not None

    def find(self, text: str) -> list[Occurrence]:
        """Every occurrence of every word in `text`, in order of their ends."""
        if not text:
            return []
        if self._database is not None and text.isascii():
            found: list[Occurrence] = []
            append = found.append

            def on_match(word: int, _start: int, end: int, _flags: int, _context: object) -> None:
                append((end, word))

            scratch = getattr(self._scratch, "space", None)
            if scratch is None:
                scratch = self._scratch.space = hyperscan.Scratch(self._database)
            self._database.scan(text.encode("ascii"), match_event_handler=on_match, scratch=scratch)
            return found
        return [(end + 1, word) for end, word in self._automaton.iter(text)]

    def find_each(self, texts: Sequence[str]) -> list[list[Occurrence]]:
        """`find` of each text (none holding NUL), with positions in that text: the ASCII texts joined by
        NUL and scanned in one pass, the others likewise (no word holds NUL, so no occurrence spans two
        texts), and a text with no occurrence costs no Python work of its own."""
        out: list[list[Occurrence]] = [[] for _ in texts]
        ascii_texts: list[int] = []
        others: list[int] = []
        for i, text in enumerate(texts):
            (ascii_texts if text.isascii() else others).append(i)
        for where in (ascii_texts, others):
            if not where:
                continue
            pieces = [texts[i] for i in where]
            starts = joined_starts(pieces)
            for end, word in self.find(JOIN.join(pieces)):
                k = bisect_right(starts, end - 1) - 1
                out[where[k]].append((end - starts[k], word))
        return out


JOIN = "\x00"
"""Joins the texts of a batch scanned at once: no word holds it."""


def joined_starts(pieces: Sequence[str]) -> list[int]:
    """Where each piece starts in `JOIN.join(pieces)`."""
    return list(map(add, accumulate(map(len, pieces), initial=0), count()))


def _database(words: list[str]) -> Any:
    """The Hyperscan database of the ASCII words (the others cannot occur in an ASCII text)."""
    ascii_words = [(i, w) for i, w in enumerate(words) if w.isascii()]
    if not ascii_words:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[w.encode("ascii") for _, w in ascii_words],
        ids=[i for i, _ in ascii_words],
        elements=len(ascii_words),
        flags=0,
        literal=True,
    )
    return database
