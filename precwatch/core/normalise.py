"""Name and text normalisation that keeps a map back to the original characters.

Vendors disguise names with full-width characters, zero-width spaces, Cyrillic look-alike letters and
odd dashes. `normalise` undoes all of these (NFKC, homoglyph folding, zero-width removal, dash and case
folding) and records, for every output character, the index of the input character it came from, so that
every match can be reported as an exact slice of what the user gave us.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad\u180e\u034f")
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043\u02d7\u30fc"
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic letters that look Latin
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t",
    "Х": "x", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "І": "i", "Ј": "j", "Ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "Ӏ": "l", "ԛ": "q", "ԝ": "w",
    # Greek capitals that look Latin (lower-case alpha and beta stay: chemistry uses them)
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "ο": "o",
    # Latin look-alikes outside ASCII
    "ı": "i", "ɡ": "g", "ℓ": "l",
}  # fmt: skip
for _d in DASHES:
    HOMOGLYPHS[_d] = "-"
for _q in "\u2018\u2019\u201b\u2032\u00b4\uff07":
    HOMOGLYPHS[_q] = "'"

_LATIN_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")
"""Latin letters that may carry accents (folded by `fold_char`)."""
_SPECIAL = re.compile("[" + re.escape("".join(sorted(ZERO_WIDTH)) + "".join(sorted(HOMOGLYPHS))) + "]")

SEPARATORS = " \t\r\n\f\v-_.,()[]{}'\"/:;·•*~+|\u3000、，。（）【】：；"
"""Characters ignored when names are compared: spacing, punctuation and brackets."""
_DELETE_SEPARATORS = str.maketrans("", "", SEPARATORS)
ASCII_SEPARATORS = "".join(c for c in SEPARATORS if c.isascii()).encode("ascii")
"""The ASCII separators, as bytes (the only ones an ASCII text can hold)."""


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text plus the map back to the original.

    `offsets[i]` is the index in the original text of normalised character `i`; `None` means the two
    strings align one to one (pure ASCII input, the fast path).
    """

    original: str
    text: str
    offsets: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to a span of the original text."""
        if self.offsets is None:
            return start, end
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def fold_char(ch: str) -> str:
    """Normalise one character: zero-width removed, homoglyphs and dashes folded, NFKC, accents removed from
    Latin letters, lower case."""
    if ch in ZERO_WIDTH:
        return ""
    mapped = HOMOGLYPHS.get(ch)
    if mapped is not None:
        return mapped
    if ch.isascii():
        return ch.lower()
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) == 1 and not folded.isascii():
        base = unicodedata.normalize("NFD", folded)
        if base[0].isascii() and base[0].isalpha() and all(unicodedata.combining(c) for c in base[1:]):
            folded = base[0]  # a Latin letter with accents: é -> e, ñ -> n (French, Spanish, German names)
    return "".join(HOMOGLYPHS.get(c, c) for c in folded).lower()


def normalise(text: str) -> Normalised:
    """Fold `text` for matching, keeping the offset map (see `Normalised`).

    Idempotent: `normalise(normalise(t).text).text == normalise(t).text`.
    """
    if text.isascii():
        return Normalised(text, text.lower())
    if (
        unicodedata.is_normalized("NFKC", text)
        and not _SPECIAL.search(text)
        and not _LATIN_ACCENTED.search(text)
    ):
        low = text.lower()  # e.g. Chinese text: nothing to fold but case, one character for one
        if len(low) == len(text) and unicodedata.is_normalized("NFKC", low):
            return Normalised(text, low)
    out: list[str] = []
    offsets: list[int] = []
    for m in _PIECES.finditer(text):  # a run of ASCII at once (it only changes case), else one character
        piece, i = m.group(), m.start()
        if piece.isascii():
            out.append(piece.lower())
            offsets.extend(range(i, m.end()))
        else:
            folded = _fold_cached(piece)
            out.append(folded)
            offsets.extend([i] * len(folded))
    return Normalised(text, "".join(out), tuple(offsets))


_PIECES = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
"""An ASCII run (no ASCII character is a homoglyph or zero-width: `fold_char` only lower-cases it), or one
other character."""
_fold_cached = lru_cache(maxsize=1 << 16)(fold_char)


def compact(normalised_text: str) -> str:
    """Remove separators from already normalised text (see `SEPARATORS`)."""
    if normalised_text.isascii():
        return normalised_text.encode("ascii").translate(None, ASCII_SEPARATORS).decode("ascii")
    return normalised_text.translate(_DELETE_SEPARATORS)


def name_key(name: str) -> str:
    """The comparison key of a name: normalised, with spacing, punctuation and brackets removed.

    `name_key("1-Boc-4-Piperidone") == name_key("1 boc 4 piperidone") == "1boc4piperidone"`.
    """
    return compact(normalise(name).text)


def compact_positions(normalised_text: str) -> list[int]:
    """For each character of `compact(text)`, its index in `text`."""
    seps = _SEPARATOR_SET
    return [i for i, c in enumerate(normalised_text) if c not in seps]


_SEPARATOR_SET = frozenset(SEPARATORS)


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs (names written in Chinese have no spaces between words)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
