"""How a declared name is scored against a listed one, and how the match is explained.

The word overlap (`precwatch.core.parties.watchlist.name_score`) gives a first score; the rules below then adjust
it for what words alone cannot see. Each rule's docstring is the explanation shown to analysts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from precwatch.core.parties.companies import NormalisedName, normalise_name, token_class
from precwatch.core.parties.entries import WatchlistEntry

RELATED_COUNTRIES = (frozenset({"CN", "HK", "MO"}),)
"""Countries treated as neither agreeing nor disagreeing (a mainland firm often trades through Hong Kong)."""


@dataclass(frozen=True, slots=True)
class ListedName:
    """One listed name or alias of an entry, normalised, with the weight of its distinctive words."""

    entry: int
    text: str
    norm: NormalisedName
    words: tuple[str, ...]
    distinctive: bool
    weight: float = 0.0  # summed weight of its distinctive words, set once the rarities are known
    optional: frozenset[str] = frozenset()  # a listed person's second surname (see `name_score`)


@dataclass(slots=True)
class Comparison:
    """How a declared name meets a listed one: the score so far, the words that met, and notes."""

    score: float
    matched: list[str] = field(default_factory=list)
    typos: list[tuple[str, str]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    respaced: list[tuple[str, str]] = field(default_factory=list)
    query_words: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def score_rules(
    cmp: Comparison, query: NormalisedName, cand: ListedName, entry: WatchlistEntry, country: str | None
) -> None:
    """Adjust a name score for what the words alone cannot see (each rule notes what it did)."""
    for rule in SCORE_RULES:
        rule(cmp, query, cand, entry, country)


def needs_a_distinctive_word(cmp: Comparison, query: NormalisedName, cand: ListedName, *_: object) -> None:
    """A shared business word or place ("Chemical", "Hubei", "Great Lakes") never identifies a firm: some
    shared word must name it, else the score is capped at 0.5. A listed name made only of such words matches
    only the same words ("GREAT LAKES BUSINESS COMPANY" is not "Great Lakes Supply Co.")."""
    shared = [*cmp.matched, *(b for _, b in cmp.typos)]
    if not cand.distinctive:
        if query.key != cand.norm.key:
            cmp.score = min(cmp.score, 0.5)
            cmp.notes.append("the listed name has only generic words")
    elif not any(token_class(w) == "word" for w in shared):
        cmp.score = min(cmp.score, 0.5)
        cmp.notes.append("no distinctive word shared")


def short_names_match_only_exactly(
    cmp: Comparison, query: NormalisedName, cand: ListedName, *_: object
) -> None:
    """A name of three letters or fewer ("BLO", "CDG") matches only a query that is exactly that name."""
    if len("".join(cand.words)) <= 3 and query.key != cand.norm.key:
        cmp.score = min(cmp.score, 0.5)
        cmp.notes.append("short listed name, not an exact match")


def company_is_not_a_person(
    cmp: Comparison, query: NormalisedName, cand: ListedName, entry: WatchlistEntry, *_: object
) -> None:
    """A company name matches a listed person only when it contains all of the person's names (two or more),
    never through one shared common name."""
    if entry.schema != "Person":
        return
    companyish = bool(query.legal_forms) or any(token_class(w) == "generic" for w in query.words)
    if companyish and (cmp.missing or cmp.typos or len(cmp.matched) < 2):
        cmp.score = min(cmp.score, 0.5)
        cmp.notes.append("a company name against a listed person")


def transformations_cost_a_little(
    cmp: Comparison, query: NormalisedName, cand: ListedName, *_: object
) -> None:
    """Each kind of rewriting needed lowers the score a little: different legal form or spacing (0.01 each),
    different word order (0.01), reading Chinese characters as pinyin (0.02: homophones exist)."""
    if query.legal_key != cand.norm.legal_key:
        cmp.score -= 0.01
    if cmp.respaced or query.joined != cand.norm.joined:
        cmp.score -= 0.01
    shared = set(cmp.matched)
    if [w for w in cmp.query_words if w in shared] != [w for w in cand.words if w in shared] and len(
        shared
    ) > 1:
        cmp.score -= 0.01
        cmp.notes.append("word order differs")
    if any(t.han for t in query.tokens) != any(t.han for t in cand.norm.tokens):
        cmp.score -= 0.02


def country_agreement(
    cmp: Comparison, query: NormalisedName, cand: ListedName, entry: WatchlistEntry, country: str | None
) -> None:
    """Same declared and listed country: +0.02; different: -0.10; related (CN/HK/MO) or unknown: neutral."""
    if not country or not entry.country or cmp.score <= 0.5:
        return
    if country == entry.country:
        cmp.score = min(1.0, cmp.score + 0.02)
        cmp.notes.append(f"same country {country} (+0.02)")
    elif any(country in g and entry.country in g for g in RELATED_COUNTRIES):
        cmp.notes.append(f"declared {country}, listed {entry.country}: related, neutral")
    else:
        cmp.score -= 0.10
        cmp.notes.append(f"declared country {country} but listed for {entry.country} (-0.10)")


SCORE_RULES = (
    needs_a_distinctive_word,
    short_names_match_only_exactly,
    company_is_not_a_person,
    transformations_cost_a_little,
    country_agreement,
)
"""Applied in order after the word overlap; their docstrings are the explanations shown to analysts."""


def _compact(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def explain(query_text: str, cand: ListedName, cmp: Comparison) -> str:
    """Plain words: what had to be removed or rewritten for the names to meet, and what differs."""
    q = normalise_name(query_text)
    how: list[str] = []
    forms = [f for f in (*cand.norm.legal_forms, *q.legal_forms) if f]
    if forms and q.legal_key != cand.norm.legal_key:
        how.append("removing legal form " + "/".join(f"'{f}'" for f in dict.fromkeys(forms)))
    joined = [*q.joined, *cand.norm.joined]
    if joined:
        how.append("joining " + ", ".join(f"'{j.lower()}'" for j in dict.fromkeys(joined)))
    q_src = {t.text: t.source for t in q.tokens if not t.han}
    c_src = {t.text: t.source for t in cand.norm.tokens if not t.han}
    same = [
        f"'{q_src[w]}' as '{c_src[w]}'"
        for w in dict.fromkeys(cmp.matched)
        if w in q_src and w in c_src and _compact(q_src[w]) != _compact(c_src[w])
    ]
    if same:
        how.append("reading " + ", ".join(same))
    han = [f"'{h}' as '{p}'" for h, p in q.translated]
    if han:
        how.append("reading Chinese " + ", ".join(han))
    if cmp.respaced:
        how.append("re-spacing " + ", ".join(f"'{a}' as '{b}'" for a, b in cmp.respaced))
    if cmp.typos:
        how.append("allowing a typo in " + ", ".join(f"'{a}'~'{b}'" for a, b in cmp.typos))
    differs: list[str] = []
    if cmp.extra:
        differs.append("only in the declared name: " + ", ".join(f"'{w}'" for w in cmp.extra))
    if cmp.missing:
        differs.append("only in the listed name: " + ", ".join(f"'{w}'" for w in cmp.missing))
    head = "same" if not cmp.extra and not cmp.missing else "close"
    text = f"'{cand.text}' vs '{query_text}': {head}"
    if how:
        text += " after " + " and ".join(how)
    parts = [*differs, *cmp.notes]
    if parts:
        text += "; " + "; ".join(parts)
    return f"{text} ({cmp.score:.2f})"
