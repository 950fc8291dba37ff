"""Names built on the fentanyl stem: spelling variants of listed analogues, and unlisted analogues as the class.

`fentanyl_stem_names` is the detector; `StemNameIndex` maps the `analogue_key` of every listed name built on
the stem to its substance.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from precwatch.core.normalise import compact, is_cjk, name_key
from precwatch.core.text.analogue_key import (
    CJK_STEM,
    LATIN_STEM,
    NOT_ANALOGUE_PREFIXES,
    analogue_key,
    has_stem,
    other_analogue,
    stereo_prefix,
)
from precwatch.core.text.context import Candidate, TextContext
from precwatch.core.text.lexicon import SALT_AFTER
from precwatch.core.text.names import NameEntry, name_index

if TYPE_CHECKING:
    from precwatch.core.kb.knowledge import KnowledgeBase

CLASS_ID = "fentanyl-related"
CLASS_CONFIDENCE = 0.7
"""A name on the stem is an indication to verify, not a structure: below a knowledge-base name (0.95)."""
VARIANT_CONFIDENCE = 0.9
"""A listed analogue written with another locant, acyl or stem spelling, or with a stereo descriptor."""


_WORD_ENDINGS = re.compile(r"(?:yl|oyl|oxy|fluoro|chloro|bromo|iodo|nitro|amino|cyano|thio|oxo)$")
"""Endings of substituent and acyl words written apart from the stem (methyl, butyryl, methoxy, fluoro)."""
_GLUED_ENDINGS = re.compile(r"(?:yl|oyl|oxy|oxi|fluoro|chloro|bromo|iodo|nitro|amino|cyano|thio|oxo|nor|il)$")
"""The same glued to the stem, with the Spanish forms (acetil, metoxi) and nor- (norfentanyl)."""
_MORPHEMES = re.compile(
    r"meth|eth|prop|but|pent|hex|hept|oct|acet|acr|benz|phen|fluor|chlor|clor|brom|iod|thi|fur|cycl|cicl|"
    r"oxy|hydr|val|croton|carb|amin|nitr|sulf|pyr|thien|morph|pip|tetr"
)
"""Chemical word pieces: a glued prefix holding one reads as part of a chemical name."""
_CLOSE = {"(": ")", "[": "]", "{": "}"}
_TOKEN_BEFORE = re.compile(r"(\S+)[ \t]+$")
_LOCANTS = re.compile(r"[\d',()\[\]±+/\-\sα-ω]|\b[nmop](?=-)|\b(?:alpha|beta|omega|gamma)")
_CJK_NAME_CHARS = frozenset(
    "基氟氯溴碘甲乙丙丁戊己庚辛酰对邻间羟硝氨胺苯苄去降异环呋喃叔氧代二三四硫噻吩烯巴豆氢羰羧酯顺反式消旋"
)
"""Chinese characters of substituent and acyl names (氟 fluoro, 异丁酰 isobutyryl, 对 para...)."""
_CJK_GLUE = frozenset("-0123456789'()±,αβγ")
_GLUED_END = re.compile(r"[\s;:!?\"“”/|<>#@&]|,(?!\d)")


class StemNameIndex:
    """`analogue_key` of every listed name built on the fentanyl stem -> the substances named so."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.keys: dict[str, tuple[str, str]] = {}
        for s in kb.substances:
            for _kind, name in (("preferred", s.preferred_name), *s.names.all()):
                if has_stem(name.lower()):
                    self.keys.setdefault(analogue_key(name), (s.id, name))


def stem_name_index(kb: KnowledgeBase) -> StemNameIndex:
    """The KB's analogue-key index (built on first use, then shared)."""
    return kb.derived("stem-name-index", StemNameIndex)


def fentanyl_stem_names(ctx: TextContext) -> Iterator[Candidate]:
    """A word built on the fentanyl stem (…fentanyl, …fentanil, …fentanilo, …芬太尼).

    When the word is a listed analogue written another way (locant p-/para-/4-, acyl butyr/butyryl, fentanil for
    fentanyl, a stereo descriptor such as cis- or (±)-), it is reported as that analogue; a stereo descriptor is
    said in the evidence, since the listings name the substance and cover its stereoisomers (the UN and US
    schedules list opioids with their isomers).

    Otherwise it is reported as a member of the fentanyl-related class: the US class (21 CFR 1308.11(h), made
    permanent by the HALT Fentanyl Act) and China's 2019 class listing cover fentanyl-related substances by
    structure, not by name. A name alone is an indication to verify, not a structure: confidence 0.7, below a
    knowledge-base name. An unspecified position ("fluorofentanyl") or another acyl or ring group
    ("thienylfentanyl") is therefore the class, not the nearest listed analogue.

    Not analogue names: a word that only modifies the drug ("non-fentanyl", "anti-fentanyl", "fentanyl-free",
    "fentanyl-related", "fentanyl-laced"), a plural ("fentanyls"), a test strip, a hashtag of a trade word
    ("#buyfentanyl"), and the INN stem -fentanil after a short prefix only when it is glued to it."""
    text = ctx.text
    if "fentan" not in text and CJK_STEM not in text:
        return
    index = stem_name_index(ctx.kb)
    names = name_index(ctx.kb).keys
    for m in LATIN_STEM.finditer(text):
        span = _latin_span(text, m.start(), m.end())
        if span is not None:
            yield from _candidates(ctx, index, names, span[0], span[1], m.start())
    start = text.find(CJK_STEM)
    while start >= 0:
        end = start + len(CJK_STEM)
        if not text.startswith("类", end):  # 芬太尼类: the class phrase, reported as such
            first = start
            while first > 0 and (
                text[first - 1] in _CJK_NAME_CHARS
                or text[first - 1] in _CJK_GLUE
                or (
                    text[first - 1] in "nomp"
                    and text[first] == "-"
                    and not text[first - 2 : first - 1].isalpha()
                )
            ):
                first -= 1
            while first < start and text[first] in "-),":
                first += 1
            yield from _candidates(ctx, index, names, first, end, start)
        start = text.find(CJK_STEM, end)


def _latin_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the name ending with the stem at [start, end), or None when the stem does not end it."""
    if end < len(text):
        after = text[end]
        if after.isalnum() and not is_cjk(after):
            return None  # "fentanyls", "fentanylcarbamate": not a name ending in the stem
        if after == "-" and not SALT_AFTER.match(text, end):
            return None  # "fentanyl-free", "fentanyl-related", "fentanyl-laced", "fentanyl-d5"
    first = start
    while first > 0 and not _GLUED_END.match(text, first - 1):
        first -= 1
    while first < start and (
        text[first] in "'\"-." or (text[first] in _CLOSE and _CLOSE[text[first]] not in text[first:start])
    ):
        first += 1  # a quote, or a bracket opened before the name and not closed in it ("(3-methylfentanyl)")
    for _ in range(3 if first == start else 0):  # words before the bare stem: "β'-phenyl fentanyl"
        before = _TOKEN_BEFORE.search(text, max(0, first - 40), first)
        if before is None or not _is_substituent_word(before.group(1)):
            break
        first = before.start(1)
    return first, end


def _is_substituent_word(word: str) -> bool:
    letters = _LOCANTS.sub("", stereo_prefix(word)[1])
    return (
        len(letters) >= 4
        and letters not in NOT_ANALOGUE_PREFIXES
        and _WORD_ENDINGS.search(letters) is not None
    )


def _candidates(
    ctx: TextContext,
    index: StemNameIndex,
    names: Mapping[str, list[NameEntry]],
    first: int,
    end: int,
    stem: int,
) -> Iterator[Candidate]:
    """The listed analogue the longest span ending at `end` names, else the class if the name qualifies."""
    text = ctx.text
    hits, _ = ctx.scan
    if any(not h.entries and h.start <= stem < h.end for h in hits):
        return  # inside an uncontrolled name or product ("fentanyl test strips", "HALT Fentanyl Act")
    start = _name_start(text, first, stem)
    written = text[start:end]
    if name_key(written) in names:
        if (
            start > first
        ):  # a listed name glued to a word or number that is not part of it: "bag-acryl fentanyl"
            entry = names[name_key(written)][0]
            yield Candidate(
                entry.substance, start, end, "name", VARIANT_CONFIDENCE,
                f"'{written}' is the name '{entry.name}' of {ctx.kb.by_id[entry.substance].preferred_name}, "
                f"after '{text[first:start].strip()}', which is not part of a chemical name",
                "fentanyl_stem_names",
            )  # fmt: skip
        return  # a listed name as written: `dictionary_names` reports it
    first = start
    found = index.keys.get(analogue_key(written))
    if found is not None:
        substance, listed = found
        stereo, _ = stereo_prefix(written)
        how = f"stereoisomer named ('{stereo}'), reported as the listed substance; " if stereo else ""
        yield Candidate(
            substance, first, end, "name", VARIANT_CONFIDENCE,
            f"{how}'{written}' is a variant spelling of '{listed}' (locant, acyl and stem spellings folded) "
            f"of {ctx.kb.by_id[substance].preferred_name}",
            "fentanyl_stem_names",
        )  # fmt: skip
        return
    query = compact(written)
    near = name_index(ctx.kb).closest(query) if len(query) >= 7 and not any(map(is_cjk, query)) else None
    if isinstance(near, tuple) and not other_analogue(query, name_index(ctx.kb).fuzzy_entries[near[1]].name):
        return  # a misspelling of a listed analogue ("acetyfentanyl"): `misspelled_names` reports it
    prefix = text[first:stem]
    glued = _PIECE_SPLIT.split(prefix)[-1]
    cjk = text.startswith(CJK_STEM, stem)
    inn = text[stem:end].startswith("fentanil")
    if not _qualifies(prefix, cjk=cjk, inn=inn) or (glued and not _qualifies(glued, cjk=cjk, inn=inn)):
        ctx.note(f"'{text[first:end]}' is built on the fentanyl stem but is not an analogue name: skipped")
        return
    yield Candidate(
        CLASS_ID, first, end, "name", CLASS_CONFIDENCE,
        f"'{text[first:end]}' is a name built on the fentanyl stem, not in the knowledge base: a possible "
        "fentanyl-related substance (the class is defined by structure; verify)",
        "fentanyl_stem_names",
    )  # fmt: skip


_PIECE = re.compile(r"[^\s\-]+")
_PIECE_SPLIT = re.compile(r"[\s\-]+|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_DIGIT_LOCANT = re.compile(r"\d'*(?:,\d'*)*")
_LOCANT_PIECE = re.compile(r"[nomp]'*|alpha|beta|gamma|omega|para|ortho|meta|[α-ω]'*|n,n'*")


def _name_start(text: str, first: int, stem: int) -> int:
    """Where the name ending at `stem` starts: after the last piece (between hyphens, spaces, or letters and
    digits) that is not part of a chemical name ("bag-", a phone number, a CAS number's last digits)."""
    bounds = [first, *(m.end() for m in _PIECE_SPLIT.finditer(text, first, stem) if m.end() < stem)]
    pieces = [text[a:b].strip(" \t-") for a, b in itertools.pairwise([*bounds, stem])]
    start = stem if len(bounds) == 1 else bounds[-1]
    for i in range(len(pieces) - 2, -1, -1):
        piece = pieces[i]
        if not _chemical_piece(piece, pieces[i - 1] if i > 0 else ""):
            break
        start = bounds[i]
    return min(start, bounds[-1]) if len(bounds) > 1 else first


def _chemical_piece(piece: str, before: str) -> bool:
    """A locant, stereo descriptor, substituent word or Chinese substituent name."""
    if not piece:
        return True
    if piece.isdigit() or _DIGIT_LOCANT.fullmatch(piece):
        return _DIGIT_LOCANT.fullmatch(piece) is not None and not before.isdigit()
    if _LOCANT_PIECE.fullmatch(piece) or stereo_prefix(piece + "-")[0]:
        return True
    if any(is_cjk(c) for c in piece):
        return all(c in _CJK_NAME_CHARS or not is_cjk(c) for c in piece)
    letters = re.sub(r"[^a-z]", "", piece)
    return (
        len(letters) >= 2
        and letters not in NOT_ANALOGUE_PREFIXES
        and (_GLUED_ENDINGS.search(letters) is not None or _MORPHEMES.search(letters) is not None)
    )


def _qualifies(prefix: str, *, cjk: bool, inn: bool) -> bool:
    """Whether what stands before the stem reads as an acyl, ring or substituent group (or an INN prefix)."""
    if cjk:
        return sum(c in _CJK_NAME_CHARS for c in prefix) >= 2 or (
            any(c in _CJK_NAME_CHARS for c in prefix) and any(c.isdigit() or c in "αβγ" for c in prefix)
        )
    words = [w for w in re.split(r"[\s\-]+", _LOCANTS.sub(" ", stereo_prefix(prefix)[1])) if w]
    letters = "".join(words)
    if len(letters) < 2 or "fentan" in letters or any(w in NOT_ANALOGUE_PREFIXES for w in words):
        return False
    if _GLUED_ENDINGS.search(letters) or _MORPHEMES.search(letters):
        return True
    glued = bool(prefix) and not prefix[-1].isspace() and prefix[-1] != "-"
    return inn and glued and len(letters) <= 6 and letters.isalpha()
