"""The text engine's span look-ups as they were before they were made linear (pairwise scans), kept only
as a test oracle: `oracle_identify_text` must give exactly what `reference_identify_text` gives, trace
included. Quadratic in the number of candidates: use it on texts of a few hundred kilobytes at most."""

from __future__ import annotations

import re
from collections.abc import Iterator

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.match import Match
from precwatch.core.normalise import Normalised, compact, is_cjk, name_key, normalise
from precwatch.core.text import identify
from precwatch.core.text.analogue_key import other_analogue
from precwatch.core.text.context import ALL, Candidate, TextContext
from precwatch.core.text.detectors import _KIND_LABEL, standalone
from precwatch.core.text.identify import NameResolver
from precwatch.core.text.lexicon import AMBIGUOUS_ABBREVIATIONS
from precwatch.core.text.names import name_index

_TOKEN = re.compile(r"\S+")


def oracle_identify_text(
    text: str, kb: KnowledgeBase, trace: list[str] | None = None, resolver: NameResolver | None = None
) -> list[Match]:
    """`reference_identify_text` with the pairwise span look-ups."""
    norm = normalise(text)
    ctx = TextContext(norm, kb, trace, ALL)
    candidates: list[Candidate] = []
    for detector in (_OLD_LOOKUPS.get(d.__name__, d) for d in identify.TEXT_DETECTORS):
        found = list(detector(ctx))
        if trace is not None:
            for c in found:
                trace.append(
                    f"{detector.__name__}: candidate {c.substance} at {c.start}-{c.end}: {c.evidence}"
                )
        candidates.extend(found)
    matches: list[Match] = []
    if candidates:
        chosen = resolve_overlaps(identify._disambiguate(ctx, candidates))
        matches = [identify._to_match(ctx, c) for c in sorted(chosen, key=lambda c: (c.start, c.end))]
    if resolver is not None:
        matches = identify._systematic_names(text, kb, matches, resolver, trace)
    return class_phrases(norm, matches, trace)


def class_phrases(norm: Normalised, matches: list[Match], trace: list[str] | None) -> list[Match]:
    found = [
        (m.start(), m.end(), identify.CLASS_PHRASES[m.group(0)])
        for m in identify._CLASS_PHRASE_RE.finditer(norm.text)
    ]
    if not found:
        return matches
    out = list(matches)
    for start, end, rule_id in found:
        ostart, oend = norm.span(start, end)
        inside = [m for m in out if ostart <= m.start and m.end <= oend]
        out = [m for m in out if m not in inside]
        out.append(identify._class_match(norm, rule_id, ostart, oend))
        if trace is not None:
            trace.append(f"class named in words: '{norm.original[ostart:oend]}' -> {rule_id}")
    return sorted(out, key=lambda m: (m.start, m.end))


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    order = sorted(
        candidates, key=lambda c: (identify._PRIORITY[c.method], -(c.end - c.start), -c.confidence)
    )
    chosen: list[Candidate] = []
    for c in order:
        if all(c.end <= o.start or c.start >= o.end or (c.start, c.end) == (o.start, o.end) for o in chosen):
            if any((o.start, o.end) == (c.start, c.end) and o.substance == c.substance for o in chosen):
                continue
            chosen.append(c)
    return chosen


def dictionary_names(ctx: TextContext) -> Iterator[Candidate]:
    """Name, synonym, abbreviation or seller slang of a listed substance (English, Chinese, Spanish), found
    as whole words after normalisation, ignoring spacing, hyphens and brackets; a name glued to a longer
    name ("1-methyl-4-piperidone" does not name 4-piperidone) is not counted."""
    hits, _ = ctx.scan
    text = ctx.text
    shields = [(h.start, h.end) for h in hits if not h.entries and standalone(text, h.start, h.end)]
    for h in hits:
        if not h.entries:
            continue
        shield = next(
            (s for s in shields if s[0] <= h.start and h.end <= s[1] and s != (h.start, h.end)), None
        )
        if shield:
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


def misspelled_names(ctx: TextContext) -> Iterator[Candidate]:
    """Misspelled name: a chemical-looking word (or two or three) within one edit of a listed name (two for
    names of 12+ letters, three for 20+), with the same locant digits, and closer to it than to any common
    uncontrolled chemical such as piperidine or benzoyl chloride."""
    hits, stems = ctx.scan
    if not stems:
        return
    text = ctx.text
    covered = [(h.start, h.end) for h in hits if standalone(text, h.start, h.end)]
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    index = name_index(ctx.kb)
    seen: set[tuple[int, int]] = set()
    for pos in stems:
        if any(s <= pos < e for s, e in covered):
            continue
        i = next((k for k, (s, e) in enumerate(tokens) if s <= pos < e), None)
        if i is None:
            continue
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
            query = compact(text[start:end])
            if (
                len(query) < 7
                or (not query.isascii() and any(is_cjk(c) for c in query))
                or query in index.keys
            ):
                continue
            verdict = index.closest(query)
            if verdict is None:
                continue
            if isinstance(verdict, str):
                ctx.note(f"'{text[start:end]}' {verdict}: not reported")
                continue
            dist, k = verdict
            refused = other_analogue(query, index.fuzzy_entries[k].name)
            if refused:
                ctx.note(f"'{text[start:end]}' {refused}: not reported as a misspelling")
                continue
            cand = (int(dist), -(end - start), start, end)
            if best is None or cand < best:
                best, best_choice = cand, k
        if best is None:
            continue
        dist, _, start, end = best
        entry = index.fuzzy_entries[best_choice]
        covered.append((start, end))
        yield Candidate(
            entry.substance, start, end, "fuzzy", max(0.5, 0.82 - 0.1 * (dist - 1)),
            f"'{text[start:end]}' is {dist} edit{'s' if dist > 1 else ''} from '{entry.name}' "
            f"({ctx.kb.by_id[entry.substance].preferred_name})",
            "misspelled_names",
        )  # fmt: skip


_OLD_LOOKUPS = {"dictionary_names": dictionary_names, "misspelled_names": misspelled_names}
"""The detectors whose span look-ups this oracle keeps in their pairwise form; the others run as they are."""
