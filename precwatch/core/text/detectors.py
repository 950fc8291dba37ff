"""Candidate mentions of knowledge-base substances in free text.

Each detector is a small function whose docstring is the explanation shown to the analyst. Detectors work
on normalised text (see `names.normalise`) and return `Candidate`s in normalised coordinates; `identify`
decides between them and maps them back to the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from precwatch.core.kb.identifiers import find_cas, find_partial_cas
from precwatch.core.normalise import compact, is_cjk, name_key
from precwatch.core.text.analogue_key import other_analogue
from precwatch.core.text.context import CAS, Candidate, NameHit, TextContext
from precwatch.core.text.kept import compact_runs
from precwatch.core.text.lexicon import AMBIGUOUS_ABBREVIATIONS, CHEMICAL_CONTEXT, CJK_NAME_PREFIXES
from precwatch.core.text.names import NameIndex, name_index
from precwatch.core.text.spans import Coverage, SortedSpans, first_containing

__all__ = [
    "Candidate",
    "TextContext",
    "cas_numbers",
    "dictionary_names",
    "misspelled_names",
    "name_index",
    "partial_cas",
]  # fmt: skip

_WORD = re.compile(r"[a-z0-9]")
_TOKEN = re.compile(r"\S+")


def cas_numbers(ctx: TextContext) -> Iterator[Candidate]:
    """CAS Registry Number of a listed substance, check digit verified; separators, spacing, full-width
    digits and letters written for digits (O for 0, l or I for 1) are repaired first."""
    if ctx.trace is None and not ctx.kinds & CAS:
        return  # no listed CAS RN's digits anywhere in the text (the gate's reading): nothing to report
    for c in find_cas(ctx.text):
        s = ctx.kb.by_cas.get(c.cas)
        if s is None:
            ctx.note(f"CAS {c.cas} (valid check digit) is not a knowledge-base substance")
            continue
        confidence = {"standard": 0.98, "repaired": 0.94, "digits": 0.85}[c.form]
        how = {"standard": "written in full", "repaired": c.repairs, "digits": "written without separators"}
        if c.cue and c.form != "standard":
            confidence = min(0.98, confidence + 0.03)
        yield Candidate(
            s.id, c.start, c.end, "cas", confidence,
            f"CAS RN {c.cas} ({how[c.form] or 'reformatted'}; check digit valid) is {s.preferred_name}",
            "cas_numbers",
        )  # fmt: skip


def partial_cas(ctx: TextContext) -> Iterator[Candidate]:
    """Truncated CAS number right after a "CAS" cue ("CAS79099 powder"), or used as a product code
    ("item 79099-07 in stock") in a listing (two or more trade cues: stock, kg, purity, shipping...), accepted
    only when exactly one listed substance has a CAS RN starting with those blocks; lower confidence than a
    full number, lowest without a CAS cue. Dates (2024-05) are never read as CAS blocks."""
    if "cas" not in ctx.text:
        yield from _product_codes(ctx)
        return
    for c in find_partial_cas(ctx.text):
        found = ctx.kb.cas_blocks(c.cas)
        if len(found) != 1:
            if found:
                ctx.note(f"partial CAS {c.cas} is ambiguous: {', '.join(s.id for s in found)}")
            continue
        s = found[0]
        confidence = 0.7 if "-" in c.cas else 0.6
        yield Candidate(
            s.id, c.start, c.end, "cas", confidence,
            f"partial CAS '{c.cas}' after a CAS cue matches only {s.cas} ({s.preferred_name})", "partial_cas",
        )  # fmt: skip


def dictionary_names(ctx: TextContext) -> Iterator[Candidate]:
    """Name, synonym, abbreviation or seller slang of a listed substance (English, Chinese, Spanish), found
    as whole words after normalisation, ignoring spacing, hyphens and brackets; a name glued to a longer
    name ("1-methyl-4-piperidone" does not name 4-piperidone) is not counted."""
    hits, _ = ctx.scan
    text = ctx.text
    shields = [(h.start, h.end) for h in hits if not h.entries and standalone(text, h.start, h.end)]
    named = [h for h in hits if h.entries]
    # the first shield holding each hit (hits, hence shields, come in the order of their ends)
    holders = first_containing(shields, [(h.start, h.end) for h in named]) if shields else [None] * len(named)
    for h, holder in zip(named, holders, strict=True):
        if holder is not None:
            shield = shields[holder]
            ctx.note(f"'{text[h.start : h.end]}' is inside the uncontrolled '{text[shield[0] : shield[1]]}'")
            continue
        if not standalone(text, h.start, h.end):
            ctx.note(f"'{text[h.start : h.end]}' is part of a longer word or name: skipped")
            continue
        for e in h.entries:
            key = name_key(e.name)
            ambiguous = key if key in AMBIGUOUS_ABBREVIATIONS else None
            if e.abbreviation:
                confidence, label = 0.85, "abbreviation"
            elif e.kind == "slang":
                confidence, label = 0.9, "seller name"
            else:
                confidence, label = 0.95, f"{_KIND_LABEL.get(e.kind, 'name')}"
            yield Candidate(
                e.substance, h.start, h.end, "name", confidence,
                f"{label} '{e.name}' of {ctx.kb.by_id[e.substance].preferred_name}", "dictionary_names",
                ambiguous,
            )  # fmt: skip


_GLUE = CJK_NAME_PREFIXES | frozenset(")]")
_KIND_LABEL = {"preferred": "name", "en": "English name", "zh": "Chinese name", "es": "Spanish name"}


_PREFIX_WORD = re.compile(
    r"(?:^|[\s(])(?:[a-z]-|\d+-)?(?:pyrrolidino|piperidino|morpholino|pyrrolidinyl|piperidinyl|desethyl|"
    r"desmethyl|didesethyl|desnitro|fluoro|chloro|bromo|iodo|methoxy|ethoxy|hydroxy|nitro)\s$"
)
"""A substituent word written apart from the name it modifies ("N-pyrrolidino metonitazene" is another
substance than metonitazene; "4-fluoro fentanyl" is not fentanyl)."""


def standalone(text: str, start: int, end: int) -> bool:
    """Whether the name at [start, end) of normalised text is a whole word: not glued to letters, digits or
    a substituent word before it, nor continued by letters, digits or a locant after it (every test must
    hold; the cheapest come first)."""
    first, last = text[start], text[end - 1]
    if end < len(text) and not is_cjk(last) and _WORD.match(text[end]):
        return False
    if end + 1 < len(text) and text[end] == "-" and text[end + 1].isdigit() and not is_cjk(last):
        return False  # a locant continues the name: "piperidine-4-carboxylic acid" is not piperidine
    if start == 0:
        return True
    if not is_cjk(first):
        before = text[start - 1]
        if _WORD.match(before):
            return False
        if (
            before in "-)]"
            and start > 1
            and (_WORD.match(text[start - 2]) or text[start - 2] in CJK_NAME_PREFIXES)
        ):
            return False
    elif text[start - 1] in CJK_NAME_PREFIXES:
        return False
    return not _PREFIX_WORD.search(text, max(0, start - 24), start)


def misspelled_names(ctx: TextContext) -> Iterator[Candidate]:
    """Misspelled name: a chemical-looking word (or two or three) within one edit of a listed name (two for
    names of 12+ letters, three for 20+), with the same locant digits, and closer to it than to any common
    uncontrolled chemical such as piperidine or benzoyl chloride."""
    hits, stems = ctx.scan
    if not stems:
        return
    text = ctx.text
    covered, tokens, token_at = _around_triggers(text, hits)
    index = name_index(ctx.kb)
    seen: set[tuple[int, int]] = set()
    for pos in stems:
        if covered.covers(pos):
            continue
        i = token_at.index_at(pos)
        if i is None:
            continue
        found = _closest_window(text, tokens, i, seen, ctx.kept.count, index, ctx.note)
        if found is None:
            continue
        dist, start, end, k = found
        entry = index.fuzzy_entries[k]
        covered.add(start, end)
        yield Candidate(
            entry.substance, start, end, "fuzzy", max(0.5, 0.82 - 0.1 * (dist - 1)),
            f"'{text[start:end]}' is {dist} edit{'s' if dist > 1 else ''} from '{entry.name}' "
            f"({ctx.kb.by_id[entry.substance].preferred_name})",
            "misspelled_names",
        )  # fmt: skip


def misspelling_found(ctx: TextContext, memo: dict[tuple[str, int], bool]) -> bool:
    """Whether `misspelled_names` yields anything for the text: it does exactly when some trigger outside
    the whole-word hits has a window that is near a listed name (windows already tried for an earlier
    trigger were all far, or that trigger would have yielded). A trigger's answer depends only on the
    tokens around it, so it is kept in `memo` under their text (short neighbourhoods only)."""
    hits, stems = ctx.scan
    if not stems:
        return False
    text = ctx.text
    covered, tokens, token_at = _around_triggers(text, hits)
    index = name_index(ctx.kb)
    for pos in stems:
        i = token_at.index_at(pos)
        if covered.covers(pos) or i is None:
            continue
        first, last = max(i - 2, 0), min(i + 2, len(tokens) - 1)
        lo, hi = tokens[first][0], tokens[last][1]
        if hi - lo > _MEMO_SPAN:
            near = _closest_window(text, tokens, i, set(), ctx.kept.count, index, None) is not None
        else:
            key = (text[lo:hi], i - first)
            near_or_none = memo.get(key)
            if near_or_none is None:
                if len(memo) > 100_000:
                    memo.clear()
                around = [(s - lo, e - lo) for s, e in tokens[first : last + 1]]
                count = compact_runs(key[0]).count
                near_or_none = memo[key] = (
                    _closest_window(key[0], around, key[1], set(), count, index, None) is not None
                )
            near = near_or_none
        if near:
            return True
    return False


_MEMO_SPAN = 200
"""The longest neighbourhood of a trigger whose answer `misspelling_found` keeps."""


def _around_triggers(text: str, hits: list[NameHit]) -> tuple[Coverage, list[tuple[int, int]], SortedSpans]:
    """What the misspelling search needs besides the triggers: the characters the whole-word hits cover (a
    trigger there is skipped), the text's tokens, and the look-up of the token holding a position."""
    covered = Coverage(len(text), [(h.start, h.end) for h in hits if standalone(text, h.start, h.end)])
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    return covered, tokens, SortedSpans(tokens)


def _closest_window(
    text: str,
    tokens: list[tuple[int, int]],
    i: int,
    seen: set[tuple[int, int]],
    count: Callable[[int], int],
    index: NameIndex,
    note: Callable[[str], None] | None,
) -> tuple[int, int, int, int] | None:
    """The window of one to three tokens around token `i` nearest to a listed name, as (distance, start,
    end, fuzzy entry), None when none is near; windows in `seen` are skipped (and the ones tried added).
    `count(p)` is the number of characters `compact` keeps before `p`; `note` receives the refusals."""
    best: tuple[int, int, int, int] | None = None  # distance, -length, start, end / choice index
    best_choice = -1
    for lo, hi in ((i, i), (i - 1, i), (i, i + 1), (i - 1, i + 1), (i - 2, i), (i, i + 2)):
        if lo < 0 or hi >= len(tokens):
            continue
        start, end = tokens[lo][0], tokens[hi][1]
        while end > start and text[end - 1] in ".,;:!?)'\"":
            end -= 1
        while start < end and text[start] in "('\"":
            start += 1
        if (start, end) in seen:
            continue
        seen.add((start, end))
        if count(end) - count(start) > index.fuzzy_reach:
            continue  # longer than any listed name plus the edits allowed: nothing is near it
        query = compact(text[start:end])
        if len(query) < 7 or (not query.isascii() and any(is_cjk(c) for c in query)) or query in index.keys:
            continue
        verdict = index.closest(query)
        if verdict is None:
            continue
        if isinstance(verdict, str):
            if note is not None:
                note(f"'{text[start:end]}' {verdict}: not reported")
            continue
        dist, k = verdict
        refused = other_analogue(query, index.fuzzy_entries[k].name)
        if refused:
            if note is not None:
                note(f"'{text[start:end]}' {refused}: not reported as a misspelling")
            continue
        cand = (int(dist), -(end - start), start, end)
        if best is None or cand < best:
            best, best_choice = cand, k
    if best is None:
        return None
    return best[0], best[2], best[3], best_choice


_PRODUCT_CODE = re.compile(r"(?<![\d+\-./])(\d{4,7})-(\d{2})(?![\d\-./])")


def _product_codes(ctx: TextContext) -> Iterator[Candidate]:
    text = ctx.text
    codes = list(_PRODUCT_CODE.finditer(text))
    if not codes or len({m.group(0) for m in CHEMICAL_CONTEXT.finditer(text)}) < 2:
        return
    for m in codes:
        first, second = m.group(1), m.group(2)
        if len(first) == 4 and first[:2] in ("19", "20") and int(second) <= 12:
            continue  # a year and month
        found = ctx.kb.cas_blocks(m.group(0))
        if len(found) != 1:
            continue
        s = found[0]
        yield Candidate(
            s.id, m.start(), m.end(), "cas", 0.6,
            f"'{m.group(0)}' used as a product code in a listing: the first two blocks of only {s.cas} "
            f"({s.preferred_name}); no CAS cue", "partial_cas",
        )  # fmt: skip
