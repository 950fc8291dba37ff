"""A cheap necessary condition for a text to name any knowledge-base substance (the engine's fast path).

Most records a marketplace or a courier screens (listings of cables, garments, machine parts) name no
controlled chemical. `TextGate.may_match` answers "could any detector find anything here?" with two
automaton scans and two substring tests, and `identify_text` skips the full engine when the answer is no.
The gate never changes an answer, only how fast it comes: each test below is implied by a detector
firing, so a text that fails all of them gives no match in the full engine either (a test compares the two
on the development sets and on a large generated corpus).

- A name, abbreviation, seller name, misspelling trigger or class phrase needs one of the name automaton's
  keys in the separator-free text (`compact`), exactly as `dictionary_names` and `misspelled_names` scan it;
  a name that only `dictionary_names` uses must moreover stand as a whole word (its own test, `standalone`),
  and a misspelling trigger must lie outside every whole-word benign look-alike ("propionic acid").
- A full CAS RN needs its digits, in order, in the text once separators and spacing are removed and the
  letters vendors type for digits (o for 0; i, l and | for 1) are read as digits: the CAS reader accepts
  nothing else between the digits of a number.
- A name built on the fentanyl stem (`analogues.fentanyl_stem_names`) needs "fentan" or 芬太尼 in the text.
- A partial CAS RN needs a "cas" cue followed by digits (`find_partial_cas`); without "cas" in the text, a
  product code needs the first two blocks of a listed CAS RN, a dash between them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from precwatch.core.kb.identifiers import find_partial_cas
from precwatch.core.normalise import SEPARATORS, Normalised, compact, normalise
from precwatch.core.text.context import CAS, CUE, NAME, TextContext
from precwatch.core.text.detectors import misspelling_found, standalone
from precwatch.core.text.kept import KeptRuns, ascii_at, deleted_runs
from precwatch.core.text.lexicon import CLASS_PHRASES
from precwatch.core.text.literals import JOIN, Literals, joined_starts
from precwatch.core.text.names import name_index
from precwatch.core.text.spans import Coverage

if TYPE_CHECKING:
    from precwatch.core.kb.knowledge import KnowledgeBase


_CAS_SEPARATORS = "-_./\\~=·: \t"
"""Characters the CAS reader allows between the digits of one number (its separators and spacing)."""
_CAS_LETTERS = {"o": "0", "i": "1", "l": "1"}
"""Letters read as digits inside a number (after case folding), as the CAS reader reads them ("|" too, below)."""
_DELETED = "".join(sorted(set(SEPARATORS) | set(_CAS_SEPARATORS)))
_FOLD_KEY = str.maketrans(_CAS_LETTERS)
_ASCII_FOLD = bytes.maketrans(b"oil|", b"0111")
_ASCII_DELETE = "".join(c for c in _DELETED if c.isascii() and c != "|").encode("ascii")
_ASCII_DELETE_BAR = _ASCII_DELETE + b"|"
_CODE = 8
"""The first two blocks of a listed CAS RN, as digits: necessary for a product code ("79099-07")."""
MISSPELLING_ONLY = 128
"""Only a misspelling can be found (see `TextGate.scan`); not a kind the detectors see."""
_WHOLE, _STEM, _SHIELD = 16, 32, 64
"""A name key that counts only as a whole word (a dictionary match); a misspelling trigger, which counts
outside benign look-alikes; a benign look-alike (it shields the triggers inside it)."""
_FOLD_DELETED = deleted_runs(_DELETED)
"""Splits a text into runs of characters `folded` keeps and deletes (with "|" deleted)."""
_PRODUCT_CODE_SHAPE = re.compile(r"\d{4}-\d{2}")
"""Necessary for a product code (4-7 digits, a dash, 2 digits)."""


def folded(normalised_text: str, *, bar: str) -> str:
    """The text with every separator (of names and of CAS numbers) removed and the letters typed for digits
    (o, i, l) read as digits; `bar` is what "|" becomes: "" (a separator in names) or "1" (a digit in CAS).

    A name key found by the name scan is, folded the same way, a substring of this; so are the digits of
    every CAS RN the CAS reader finds. (The ASCII characters are translated in UTF-8, where no byte of a
    longer character is ASCII, after the few non-ASCII separators are removed.)"""
    if normalised_text.isascii():
        raw = normalised_text.encode("ascii")
        if bar:
            return raw.translate(_ASCII_FOLD, _ASCII_DELETE).decode("ascii")
        return raw.translate(_ASCII_FOLD, _ASCII_DELETE_BAR).decode("ascii")
    raw = _WIDE_DELETED.sub("", normalised_text).encode("utf-8")
    return raw.translate(_ASCII_FOLD, _ASCII_DELETE if bar else _ASCII_DELETE_BAR).decode("utf-8")


_WIDE_DELETED = re.compile("[" + re.escape("".join(c for c in _DELETED if not c.isascii())) + "]+")
"""The non-ASCII separators `folded` removes."""


class TextGate:
    """One automaton over folded text holding every name key, benign look-alike, misspelling trigger,
    class-phrase anchor and listed CAS RN (as digits); built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        index = name_index(kb)
        flags: dict[str, int] = {}
        originals: dict[str, set[str]] = {}

        def add(word: str, kind: int) -> None:
            if any(c in _DELETED for c in word):
                raise ValueError(f"name key {word!r} holds a separator")  # cannot happen: keys are compact
            key = word.translate(_FOLD_KEY)
            flags[key] = flags.get(key, 0) | kind
            originals.setdefault(key, set()).add(word)

        phrases = [compact(normalise(p).text) for p in CLASS_PHRASES]
        for key in index.keys:  # a name counts only as a whole word, unless a class phrase holds it
            add(key, NAME if any(key in p for p in phrases) else _WHOLE)
        for key in index.benign_keys:
            add(key, _SHIELD)
        for stem in index.stems:
            add(stem, _STEM)
        names = [*index.keys, *index.stems]
        for key in phrases:  # found in the text, not the compact text: anchor the ones without a key
            if not any(k in key for k in names):
                add(key, NAME)
        for cas in kb.by_cas:
            add(cas.replace("-", ""), CAS)
            add(cas.rsplit("-", 1)[0].replace("-", ""), _CODE)
        self.literals = Literals(list(flags))
        self.values = [(kind, len(word), frozenset(originals[word])) for word, kind in flags.items()]
        """Per word of `literals`: its kinds, its length and the name keys that fold to it."""
        self.near_names: dict[tuple[str, int], bool] = {}
        """`misspelling_found`'s answers by the text around a trigger."""

    def scan(self, normalised_text: str) -> int:
        """The kinds of evidence (`NAME | CAS | CUE`) a text may hold; 0 when no text detector, class phrase
        or CAS reading can fire on it. `MISSPELLING_ONLY` joins `NAME` when only the misspelling search can
        find a name (a trigger outside the benign look-alikes, no name key standing as a word, no class
        phrase): `misspelling_possible` then settles it."""
        kinds = 0
        text = folded(normalised_text, bar="")
        hits: list[_FoldedHit] = []
        values = self.values
        for end, word in self.literals.find(text):
            kind, length, keys = values[word]
            kinds |= kind
            if kind & (_WHOLE | _STEM | _SHIELD):
                hits.append((end - 1, length, kind, keys))
        return self._finish(normalised_text, kinds, hits)

    def scan_many(self, texts: Sequence[str]) -> list[int]:
        """`scan` of each text as `identify_text` gate-scans it (an ASCII text in lower case, any other one
        normalised): the same answers, with the texts joined, folded and run through the automaton in one
        go, so that a text holding no key costs no Python work of its own."""
        out = [0] * len(texts)
        plain: list[int] = []
        others: list[int] = []
        normalised: list[str] = []
        for i, text in enumerate(texts):
            if text.isascii():
                if _SEP in text:
                    out[i] = self.scan(text.lower())
                else:
                    plain.append(i)
            else:
                norm = normalise(text).text
                if _SEP in norm:
                    out[i] = self.scan(norm)
                else:
                    others.append(i)
                    normalised.append(norm)
        if plain:  # str.lower of ASCII text joined is each text's .lower(), joined
            self._scan_joined(_SEP.join([texts[i] for i in plain]).lower(), plain, out)
        if others:
            self._scan_joined(_SEP.join(normalised), others, out)
        return out

    def _scan_joined(self, joined: str, where: list[int], out: list[int]) -> None:
        """`scan` of the texts joined by `_SEP` into `joined` (none holds it), written to `out` at the
        indexes `where`."""
        texts = joined.split(_SEP)
        found: dict[int, tuple[int, list[_FoldedHit]]] = {}
        folded_all = folded(joined, bar="")
        starts = joined_starts(folded_all.split(_SEP))
        values = self.values
        for end, word in self.literals.find(folded_all):
            kind, length, keys = values[word]
            end -= 1
            k = bisect_right(starts, end) - 1
            kinds, hits = found.get(k) or (0, [])
            if kind & (_WHOLE | _STEM | _SHIELD):
                hits.append((end - starts[k], length, kind, keys))
            found[k] = (kinds | kind, hits)
        bars: dict[int, int] = {}
        if "|" in joined:  # the digits read again with "|" as 1, for the texts holding one (see `_finish`)
            folded_bar = folded(joined, bar="1")
            bar_starts = joined_starts(folded_bar.split(_SEP))
            for end, word in self.literals.find(folded_bar):
                kind = values[word][0]
                if kind & (CAS | _CODE):
                    k = bisect_right(bar_starts, end) - 1
                    bars[k] = bars.get(k, 0) | kind & (CAS | _CODE)
                    found.setdefault(k, (0, []))
        text_starts = joined_starts(texts)
        for needle in _FINISHING:  # what `_finish` reads in a text with no key at all
            at = joined.find(needle)
            while at >= 0:
                k = bisect_right(text_starts, at) - 1
                found.setdefault(k, (0, []))
                at = joined.find(needle, text_starts[k + 1]) if k + 1 < len(texts) else -1
        for k, (kinds, hits) in found.items():
            out[where[k]] = self._finish(texts[k], kinds, hits, bars.get(k, 0))

    def _finish(
        self, normalised_text: str, kinds: int, hits: list[_FoldedHit], bars: int | None = None
    ) -> int:
        """`scan` once the folded text's automaton hits are known: `kinds`, the `hits` of name keys, and
        (if known) the `CAS | _CODE` kinds of the text folded with "|" read as 1."""
        if "|" in normalised_text:  # a separator in names but a digit in CAS numbers: read digits again
            if bars is None:
                bars = 0
                for _end, word in self.literals.find(folded(normalised_text, bar="1")):
                    bars |= self.values[word][0] & (CAS | _CODE)
            kinds = kinds & ~CAS | bars
        if "fentan" in normalised_text or "芬太尼" in normalised_text:
            kinds |= NAME  # necessary for `analogues.fentanyl_stem_names`
        if kinds & (_WHOLE | _STEM) and not kinds & NAME:
            possible = _names_possible(normalised_text, hits)
            if possible:
                kinds |= NAME if possible == _WHOLE else NAME | MISSPELLING_ONLY
        if "cas" in normalised_text:  # then only a partial number right after a "CAS" cue is read
            if next(find_partial_cas(normalised_text), None) is not None:
                kinds |= CUE
        elif kinds & _CODE and "-" in normalised_text and _PRODUCT_CODE_SHAPE.search(normalised_text):
            kinds |= CUE
        return kinds & (NAME | CAS | CUE | MISSPELLING_ONLY)


_SEP = JOIN
"""Joins the texts of `scan_many` (NUL): no key holds it, and folding keeps it."""
_FINISHING = ("fentan", "芬太尼", "cas")
"""Substrings `_finish` tests: a text holding one is finished even with no key in it."""


_FoldedHit = tuple[int, int, int, frozenset[str]]
"""(end, length) in folded text, the word's kinds, and the name keys that fold to it."""


def _names_possible(text: str, hits: list[_FoldedHit]) -> int:
    """Whether `dictionary_names` or `misspelled_names` may report anything: `_WHOLE` for a name key standing
    as a whole word, `_STEM` for only a misspelling trigger outside every benign look-alike that stands as a
    whole word (the misspelling search skips a trigger inside one), 0 for neither.

    Folded positions map to the text in order, so a trigger outside every look-alike's span in the folded
    text is outside it in the text too: that is settled before any position is mapped."""
    kinds = 0
    for hit in hits:
        kinds |= hit[2]
    if not kinds & _WHOLE:
        if not kinds & _STEM:
            return 0
        reach = max(end for end, _, _, _ in hits) + 1
        folded_shields = Coverage(
            reach, [(end - n + 1, end + 1) for end, n, kind, _ in hits if kind & _SHIELD]
        )
        for end, length, kind, _ in hits:
            if kind & _STEM and not folded_shields.covers(end - length + 1):
                return _STEM
    if text.isascii() and len(text) <= _SHORT:
        raw = text.encode("ascii")

        def at(k: int) -> int:
            return ascii_at(raw, k, _ASCII_DELETE_BAR)
    else:
        at = KeptRuns(text, _FOLD_DELETED).at
    spans = [(at(end - length + 1), at(end) + 1, kind, keys) for end, length, kind, keys in hits]
    if any(kind & _WHOLE and standalone(text, s, e) for s, e, kind, _ in spans):
        return _WHOLE
    stems = [s for s, _, kind, _ in spans if kind & _STEM]
    if not stems:
        return 0
    shields = [
        (s, e)
        for s, e, kind, keys in spans
        if kind & _SHIELD and compact(text[s:e]) in keys and standalone(text, s, e)
    ]
    covered = Coverage(len(text), shields)
    return _STEM if any(not covered.covers(p) for p in stems) else 0


_SHORT = 2000
"""Texts up to this length map positions by `ascii_at` (linear per position), longer ones by runs."""


def misspelling_possible(norm: Normalised, kb: KnowledgeBase) -> bool:
    """Whether `misspelled_names` finds a candidate in the text (`misspelling_found`: the detector's own
    search, stopped at the first candidate, with the answers around each trigger remembered). For a text
    the gate marked `MISSPELLING_ONLY`, no other detector can fire, so a no here means no match at all; the
    common case is an ordinary chemical whose name holds a trigger ("sodium chloride", "calcium propionate",
    "anhydrous") and no listed name within an edit or two of any of its words."""
    return misspelling_found(TextContext(norm, kb, None, NAME), text_gate(kb).near_names)


def text_gate(kb: KnowledgeBase) -> TextGate:
    """The KB's text gate (built on first use, then shared)."""
    return kb.derived("text-gate", TextGate)
