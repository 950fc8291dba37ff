"""One input text as the detectors see it, and the candidate mentions they return."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from precwatch.core.normalise import ASCII_SEPARATORS, Normalised, compact
from precwatch.core.text.kept import KeptRuns, ascii_at, compact_runs
from precwatch.core.text.names import NameEntry, name_index

if TYPE_CHECKING:
    from precwatch.core.kb.knowledge import KnowledgeBase

NAME, CAS, CUE = 1, 2, 4
"""Kinds of evidence the fast path's gate (`gate.TextGate.scan`) saw in a text: a name key or misspelling
trigger, the digits of a listed CAS RN, a CAS cue or product-code shape."""
ALL = NAME | CAS | CUE
"""Every kind: the detectors look for everything (the reference engine, and `precwatch explain`)."""
_FEW, _SHORT = 8, 2000
"""`TextContext.scan` maps up to `_FEW` positions of an ASCII text up to `_SHORT` characters long without
building its runs (each position costs a few scans of the text's start)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible mention, in normalised-text coordinates, before disambiguation and overlap resolution."""

    substance: str
    start: int
    end: int
    method: str
    confidence: float
    evidence: str
    detector: str
    abbreviation: str | None = None


@dataclass(frozen=True, slots=True)
class NameHit:
    """A name key found in the text (text coordinates); no entries for a benign look-alike."""

    start: int
    end: int
    entries: tuple[NameEntry, ...]


@dataclass
class TextContext:
    """One input text, normalised, with lazily computed views shared by the detectors."""

    norm: Normalised
    kb: KnowledgeBase
    trace: list[str] | None = field(default=None)
    kinds: int = ALL
    """What the gate saw (see `ALL`); a detector may skip work the gate rules out, never when tracing."""

    @property
    def text(self) -> str:
        return self.norm.text

    @cached_property
    def compact(self) -> str:
        return compact(self.norm.text)

    @cached_property
    def kept(self) -> KeptRuns:
        """Where the characters of `compact` lie in the text (`KeptRuns.at`), and how many of them come
        before a text position (`KeptRuns.count`)."""
        return compact_runs(self.norm.text)

    @cached_property
    def scan(self) -> tuple[list[NameHit], list[int]]:
        raw, stems = name_index(self.kb).scan(self.compact)
        if not raw and not stems:
            return [], []
        at = self._mapper(2 * len(raw) + len(stems))
        hits = [NameHit(at(s), at(e - 1) + 1, b) for s, e, b in raw]
        return hits, [at(s) for s in stems]

    def _mapper(self, positions: int) -> Callable[[int], int]:
        """`kept.at`, or for a short ASCII text and a few positions the same answers without building the
        runs (`ascii_at`): a text the gate let through for a misspelling trigger or two is mapped in a few
        byte scans."""
        text = self.norm.text
        if positions > _FEW or len(text) > _SHORT or "kept" in self.__dict__ or not text.isascii():
            return self.kept.at
        raw = text.encode("ascii")
        return lambda k: ascii_at(raw, k, ASCII_SEPARATORS)

    def note(self, message: str) -> None:
        if self.trace is not None:
            self.trace.append(message)
