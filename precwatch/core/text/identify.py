"""Identify knowledge-base substances in free text.

`identify_text(text, kb)` runs every detector in `TEXT_DETECTORS` (a plain list: add one to extend the
engine), keeps ambiguous abbreviations only in a chemical context, recognises salts named beside a
substance, resolves overlapping candidates (longest, most certain first) and returns `Match`es whose
`text` is exactly `input[start:end]`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from precwatch.core.classes.classify import classify, rule
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import JURISDICTIONS
from precwatch.core.match import Match, Relation
from precwatch.core.normalise import Normalised, name_key, normalise
from precwatch.core.structure.identify import identify_structure
from precwatch.core.structure.read import StructureError, to_mol
from precwatch.core.structure.standardise import standardise
from precwatch.core.text.analogues import fentanyl_stem_names
from precwatch.core.text.context import ALL, NAME, Candidate, TextContext
from precwatch.core.text.detectors import cas_numbers, dictionary_names, misspelled_names, partial_cas
from precwatch.core.text.gate import MISSPELLING_ONLY, misspelling_possible, text_gate
from precwatch.core.text.lexicon import (
    ABBREVIATION_VETOES,
    AMBIGUOUS_ABBREVIATIONS,
    CHEMICAL_CONTEXT,
    CLASS_PHRASES,
    SALT_AFTER,
    SALT_BEFORE,
)
from precwatch.core.text.names import name_index
from precwatch.core.text.spans import SortedSpans
from precwatch.core.text.systematic import find_name_candidates, may_hold_names, repair_digits

Detector = Callable[[TextContext], Iterable[Candidate]]
NameResolver = Callable[[Sequence[str]], list[str | None]]
"""Converts systematic names to SMILES (None when a name cannot be parsed): OPSIN, in `precwatch.io.opsin`."""

SYSTEMATIC_NAME_FACTOR = 0.95
"""A structure read from a systematic name is as certain as the structure, times this (parse risk)."""

TEXT_DETECTORS: list[Detector] = [
    cas_numbers,
    partial_cas,
    dictionary_names,
    misspelled_names,
    fentanyl_stem_names,
]
"""The text detectors, in the order they run. Each docstring is the explanation shown to the user."""

CONTEXT_WINDOW = 200
"""Characters either side of an ambiguous abbreviation searched for context cues."""

_PRIORITY = {"cas": 0, "name": 0, "systematic-name": 1, "structure": 1, "fuzzy": 2}


def identify_text(
    text: str,
    kb: KnowledgeBase,
    trace: list[str] | None = None,
    resolver: NameResolver | None = None,
) -> list[Match]:
    """Every mention of a knowledge-base substance in `text`, in text order.

    Args:
        text: any free text (a listing, a declaration description, a chat message, an article).
        kb: the knowledge base to identify against.
        trace: if given, receives one line per decision taken (used by `precwatch explain`).
        resolver: converts systematic names to structures (OPSIN); without one, systematic names
            are only found when the knowledge base lists them verbatim.
    """
    if trace is not None:
        return reference_identify_text(text, kb, trace, resolver)
    if text.isascii():  # ASCII normalises to its lower case: build the `Normalised` only when needed
        norm, kinds = None, text_gate(kb).scan(text.lower())
    else:
        norm = normalise(text)
        kinds = text_gate(kb).scan(norm.text)
    return _past_the_gate(text, kb, kinds, norm, resolver)


def identify_texts(
    texts: Sequence[str], kb: KnowledgeBase, resolver: NameResolver | None = None
) -> list[list[Match]]:
    """`identify_text` of each text (the same matches), with the gate run over all of them at once
    (`TextGate.scan_many`), and with a resolver the systematic-name pre-check too (`may_hold_names`): the
    way to identify records in bulk."""
    kinds = text_gate(kb).scan_many(texts)
    if resolver is None:
        return [_past_the_gate(t, kb, k, None, None) if k else [] for t, k in zip(texts, kinds, strict=True)]
    named = may_hold_names(texts)  # a text answered False holds no systematic-name candidate
    return [
        _past_the_gate(t, kb, k, None, resolver if n else None) if k or n else []
        for t, k, n in zip(texts, kinds, named, strict=True)
    ]


def _past_the_gate(
    text: str, kb: KnowledgeBase, kinds: int, norm: Normalised | None, resolver: NameResolver | None
) -> list[Match]:
    """`identify_text` once the gate has scanned the text (`kinds`; `norm` if already normalised)."""
    if kinds & MISSPELLING_ONLY:  # the gate's last test: the misspelling search, alone
        norm = normalise(text) if norm is None else norm
        kinds &= ~MISSPELLING_ONLY if misspelling_possible(norm, kb) else ~(MISSPELLING_ONLY | NAME)
    if not kinds:  # the fast path: no detector can fire (see `gate`); only a systematic name may remain
        return [] if resolver is None else _systematic_names(text, kb, [], resolver, None)
    norm = normalise(text) if norm is None else norm
    matches = _identify_names(norm, kb, None, kinds)
    if resolver is not None:
        matches = _systematic_names(text, kb, matches, resolver, None)
    return _class_phrases(norm, matches, None)


def reference_identify_text(
    text: str,
    kb: KnowledgeBase,
    trace: list[str] | None = None,
    resolver: NameResolver | None = None,
    *,
    norm: Normalised | None = None,
) -> list[Match]:
    """`identify_text` without the fast path: every detector runs on every text (the reference the fast
    path is tested against, and the path `precwatch explain` takes so that its trace is complete)."""
    norm = normalise(text) if norm is None else norm
    matches = _identify_names(norm, kb, trace, ALL)
    if resolver is not None:
        matches = _systematic_names(text, kb, matches, resolver, trace)
    return _class_phrases(norm, matches, trace)


@lru_cache(maxsize=1024)
def substance_classes(kb: KnowledgeBase, substance_id: str) -> tuple[str, ...]:
    """The class rules a knowledge-base substance's own structure meets (memoised per substance)."""
    s = kb.parent(kb.by_id[substance_id])
    mol = to_mol(s.smiles) if s.smiles else None
    if mol is None:
        return ()
    return tuple(h.rule.id for h in classify(standardise(mol).parents[0]))


_CLASS_PHRASE_RE = re.compile("|".join(re.escape(p) for p in sorted(CLASS_PHRASES, key=len, reverse=True)))


def _class_phrases(norm: Normalised, matches: list[Match], trace: list[str] | None) -> list[Match]:
    """A legal class named in words ("fentanyl-related substances", 芬太尼类物质) is reported as the class,
    with the class's statuses; the drug name inside the phrase ("fentanyl", 芬太尼) is not a mention of
    the drug itself."""
    found = [(m.start(), m.end(), CLASS_PHRASES[m.group(0)]) for m in _CLASS_PHRASE_RE.finditer(norm.text)]
    if not found:
        return matches
    spans = [(*norm.span(start, end), rule_id) for start, end, rule_id in found]
    classes: list[Match] = []
    for ostart, oend, rule_id in spans:
        # phrases do not overlap, but one original character may begin one and end the one before
        while classes and classes[-1].start >= ostart and classes[-1].end <= oend:
            classes.pop()
        classes.append(_class_match(norm, rule_id, ostart, oend))
        if trace is not None:
            trace.append(f"class named in words: '{norm.original[ostart:oend]}' -> {rule_id}")
    phrases = SortedSpans([(ostart, oend) for ostart, oend, _ in spans])
    kept = [m for m in matches if not _inside_any(phrases, m.start, m.end)]
    return sorted(kept + classes, key=lambda m: (m.start, m.end))


def _inside_any(spans: SortedSpans, start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the phrase spans (sorted; two may share one character)."""
    k = bisect_right(spans.starts, start) - 1
    while k >= 0 and spans.starts[k] <= start:
        if end <= spans.ends[k]:
            return True
        if k == 0 or spans.ends[k - 1] <= start:
            return False  # earlier spans end before this one starts: none reaches `start`
        k -= 1
    return False


def _class_match(
    norm: Normalised, rule_id: str, start: int, end: int, confidence: float = 0.9, evidence: str | None = None
) -> Match:
    r = rule(rule_id)
    controls = {j: "unknown" for j in JURISDICTIONS}
    for c in r.coverage:
        controls[c.jurisdiction] = c.status
    return Match(
        substance=r.id,
        name=r.title,
        cas=None,
        relation="class",
        method="name",
        text=norm.original[start:end],
        start=start,
        end=end,
        confidence=confidence,
        evidence=evidence or f"the class '{r.title}' named in words",
        controls=controls,
        class_id=r.id,
        classes=(r.id,),
    )


def _identify_names(norm: Normalised, kb: KnowledgeBase, trace: list[str] | None, kinds: int) -> list[Match]:
    ctx = TextContext(norm, kb, trace, kinds)
    candidates: list[Candidate] = []
    for detector in TEXT_DETECTORS:
        found = list(detector(ctx))
        if trace is not None:
            for c in found:
                trace.append(
                    f"{detector.__name__}: candidate {c.substance} at {c.start}-{c.end}: {c.evidence}"
                )
        candidates.extend(found)
    if not candidates:
        return []
    candidates = _disambiguate(ctx, candidates)
    chosen = _resolve_overlaps(candidates)
    return [_to_match(ctx, c) for c in sorted(chosen, key=lambda c: (c.start, c.end))]


@lru_cache(maxsize=8192)
def _named(smiles: str, name: str, kb: KnowledgeBase) -> tuple[Match, ...]:
    """The structure matches of a systematic name, spanning it from 0 (memoised: names repeat in bulk input).

    Raises:
        StructureError: the structure cannot be read (not memoised; it is raised again next time).
    """
    return tuple(identify_structure(smiles, kb, fmt="smiles", text=name, start=0, method="systematic-name"))


def _systematic_names(
    text: str, kb: KnowledgeBase, matches: list[Match], resolver: NameResolver, trace: list[str] | None
) -> list[Match]:
    """Systematic and CAS-index names (locants, brackets, -yl/-one/-amine...) are converted to structures
    and identified as structures: a Cbz-protected 4-AP written out in full is a masked 4-AP, not a 4-AP
    named in passing. The structure's verdict (listed, salt, masked or class) replaces name matches inside
    the name's span; a name whose structure is only an analogue of a listed substance (N-methyl-4-piperidone)
    is not reported in text, and a dictionary name inside it is dropped with it."""
    benign = name_index(kb).benign
    todo = [
        c
        for c in find_name_candidates(text)
        if not any(m.start <= c.start and c.end <= m.end and m.method != "fuzzy" for m in matches)
        and name_key(c.name) not in benign  # a known uncontrolled look-alike, named in full
    ]
    if not todo:
        return matches
    out = list(matches)
    names = [c.name for c in todo]
    repaired = [repair_digits(n) for n in names]
    extra = [r for n, r in zip(names, repaired, strict=True) if r != n]
    answers = resolver(names + extra)
    by_name = dict(zip(names + extra, answers, strict=True))
    for c, smiles in ((c, by_name[c.name]) for c in todo):
        if not smiles and repair_digits(c.name) != c.name:
            smiles = by_name[repair_digits(c.name)]
            if smiles and trace is not None:
                trace.append(f"systematic name: {c.name!r} read with letters typed for digits put back")
        if not smiles:
            if trace is not None:
                trace.append(f"systematic name: {c.name!r} could not be parsed to a structure")
            continue
        if trace is not None:
            trace.append(f"systematic name: {c.name!r} -> {smiles}")
        try:
            if trace is None:
                found = [
                    replace(m, start=m.start + c.start, end=m.end + c.start)
                    for m in _named(smiles, c.name, kb)
                ]
            else:
                found = identify_structure(
                    smiles, kb, fmt="smiles", trace=trace, text=text[c.start : c.end], start=c.start,
                    method="systematic-name",
                )  # fmt: skip
        except StructureError as exc:
            if trace is not None:
                trace.append(f"systematic name: structure unreadable: {exc}")
            continue
        analogues = [m for m in found if m.relation == "analog"]
        if analogues and trace is not None:
            trace.append(
                f"systematic name: only an analogue of {analogues[0].name} (no listing, class or unmasking): "
                "not reported in text (identify the structure itself to see the analogue signal)"
            )
        found = [m for m in found if m.relation != "analog"]
        if not found:
            continue
        inside = [m for m in out if c.start <= m.start and m.end <= c.end]
        if inside and trace is not None:
            trace.append(f"systematic name: its structure replaces {len(inside)} name match(es) inside it")
        out = [m for m in out if m not in inside]
        out.extend(replace(m, confidence=m.confidence * SYSTEMATIC_NAME_FACTOR) for m in found)
    return sorted(out, key=lambda m: (m.start, m.end))


def _disambiguate(ctx: TextContext, candidates: list[Candidate]) -> list[Candidate]:
    """Keep an ambiguous abbreviation (NPP, 4-AP, P2P, ...) only when the text around it is about
    chemicals: it needs more chemical-trade cues (or another substance named) than cues of its everyday
    meaning (nuclear plant, aminopyridine, peer-to-peer lending, ...)."""
    sure = any(c.abbreviation is None and c.method in ("cas", "name") for c in candidates)
    kept = []
    text = ctx.text
    for c in candidates:
        if c.abbreviation is None:
            kept.append(c)
            continue
        window = text[max(0, c.start - CONTEXT_WINDOW) : c.end + CONTEXT_WINDOW]
        other = window[: c.start - max(0, c.start - CONTEXT_WINDOW)] + " " + window[c.end - c.start :]
        veto = next((cue for cue in ABBREVIATION_VETOES.get(c.abbreviation, ()) if cue in other), None)
        if veto:
            ctx.note(f"'{text[c.start : c.end]}' read in its everyday sense: the text mentions {veto!r}")
            continue
        negatives = [cue.strip() for cue in AMBIGUOUS_ABBREVIATIONS[c.abbreviation] if cue in other]
        positives = sorted({m.group(0).strip() for m in CHEMICAL_CONTEXT.finditer(other)})
        if not (positives or sure) or len(positives) + (2 if sure else 0) <= len(negatives):
            why = (
                f"context has {', '.join(repr(n) for n in negatives)}" if negatives else "no chemical context"
            )
            ctx.note(f"'{text[c.start : c.end]}' is ambiguous and read in its everyday sense: {why}")
            continue
        why = (
            f"chemical context {', '.join(repr(p) for p in positives[:3])}"
            if positives
            else "another substance named nearby"
        )
        kept.append(
            replace(c, confidence=0.9 if sure else 0.8, evidence=f"{c.evidence}; ambiguous, accepted: {why}")
        )
    return kept


def _resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Exact evidence before misspellings, then the longest span, then the most confident, wins."""
    order = sorted(candidates, key=lambda c: (_PRIORITY[c.method], -(c.end - c.start), -c.confidence))
    chosen: list[Candidate] = []
    # chosen spans are disjoint or equal: one byte per character says whether a chosen span owns it
    owned = bytearray(max((c.end for c in candidates), default=0) + 1)
    spans: set[tuple[int, int]] = set()
    seen: set[tuple[int, int, str]] = set()
    for c in order:
        span = (c.start, c.end)
        if span in spans:  # the same span as a chosen one (which owns all of it, and nothing else does)
            if (c.start, c.end, c.substance) in seen:
                continue
        elif owned.find(1, c.start, c.end) >= 0:  # a chosen span overlaps it (no detector gives empty spans)
            continue
        else:
            owned[c.start : c.end] = b"\x01" * (c.end - c.start)
            spans.add(span)
        seen.add((c.start, c.end, c.substance))
        chosen.append(c)
    return chosen


def _to_match(ctx: TextContext, c: Candidate) -> Match:
    kb = ctx.kb
    if c.substance not in kb.by_id:  # a class member named (`fentanyl_stem_names`)
        ostart, oend = ctx.norm.span(c.start, c.end)
        return _class_match(ctx.norm, c.substance, ostart, oend, c.confidence, c.evidence)
    row = kb.by_id[c.substance]
    parent = kb.parent(row)
    relation: Relation = "salt" if row.parent else "listed"
    start, end, evidence = c.start, c.end, c.evidence
    if c.method != "cas":
        after = SALT_AFTER.match(ctx.text, end)
        before = SALT_BEFORE.search(ctx.text, max(0, start - 24), start)
        if after and after.end() > end:
            relation, end = "salt", after.end()
            evidence += f"; salt named after it: '{ctx.text[c.end : end].strip(' -·.,(')}'"
        elif before:
            relation, start = "salt", before.start()
            evidence += f"; salt named before it: '{before.group(0).strip()}'"
    if row.parent:
        evidence += f"; a registered salt of {parent.preferred_name}"
    ostart, oend = ctx.norm.span(start, end)
    return Match(
        substance=parent.id,
        name=parent.preferred_name,
        cas=parent.cas,
        relation=relation,
        method=c.method,  # type: ignore[arg-type]
        text=ctx.norm.original[ostart:oend],
        start=ostart,
        end=oend,
        confidence=c.confidence,
        evidence=evidence,
        controls=parent.control_summary(),
        form=row.id if row.parent else None,
        form_cas=row.cas if row.parent else None,
        classes=substance_classes(kb, parent.id),
    )
