"""How alike two articles are as reports of one event: text, shared entities, dates, event types.

Each feature is a function whose docstring is the explanation an analyst sees; `pair_score` combines them.
Weights come from the corpus being clustered (inverse document frequency), so a key every article shares
("country:US", fentanyl) counts for little and a rare one (a person, a quantity, a precursor) for much.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from precwatch.core.osint.dates import DateMention
from precwatch.core.osint.events import EventDate
from precwatch.core.osint.facts import ArticleFacts

Vector = dict[str, float]


def idf_table(documents: Sequence[frozenset[str] | set[str]]) -> dict[str, float]:
    """Inverse document frequency of every term: log((N + 1) / df). A term in every document weighs
    almost nothing (in a folder about fentanyl, "country:US" and fentanyl itself say little)."""
    df: Counter[str] = Counter()
    for doc in documents:
        df.update(doc)
    n = len(documents)
    return {term: math.log((n + 1) / count) for term, count in df.items()}


def tfidf(tokens: Sequence[str], idf: Mapping[str, float]) -> Vector:
    """Unit-length TF-IDF vector (sub-linear term frequency)."""
    counts = Counter(tokens)
    vec = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def text_similarity(a: Vector, b: Vector) -> float:
    """Text: cosine of the two articles' TF-IDF word vectors. High for the same wire story, for a
    machine translation and its original, and for rewrites that keep the quotes."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def entity_similarity(a: frozenset[str], b: frozenset[str], idf: Mapping[str, float]) -> float:
    """Entities: IDF-weighted Dice overlap of the entity keys (chemicals, countries, organisations,
    people, quantities). Works across languages: "fentanilo" and "芬太尼" are both CAS 437-38-7,
    "习近平" and "Xi Jinping" one person."""
    wa = sum(idf.get(k, 0.0) for k in a)
    wb = sum(idf.get(k, 0.0) for k in b)
    if not wa or not wb:
        return 0.0
    return 2 * sum(idf.get(k, 0.0) for k in a & b) / (wa + wb)


DATE_MATCH_DAYS = 1
DATE_CLASH_DAYS = 4


def _month_day_gap(month: int, day: int, other: date) -> int:
    """Days between `other` and the nearest `month`/`day` in its year or the next or previous one."""
    gaps = []
    for year in (other.year - 1, other.year, other.year + 1):
        try:
            gaps.append(abs((date(year, month, day) - other).days))
        except ValueError:
            continue
    return min(gaps) if gaps else 0


def _partial_clash(m: DateMention, other: EventDate) -> bool | None:
    """Whether a date one article could not place contradicts the other article's date: a month and day
    more than `DATE_CLASH_DAYS` from it, or a weekday that is not its weekday (the publication date of an
    article without a lead date may be a day late: one day of slack). None when nothing can be said."""
    if other.date is not None:
        if m.month and m.day:
            return _month_day_gap(m.month, m.day, other.date) > DATE_CLASH_DAYS
        if m.weekday is not None:
            slack = 1 if other.source == "published" else 0
            days = {(other.date - timedelta(days=k)).weekday() for k in range(slack + 1)}
            return m.weekday not in days
        return None
    o = other.mention
    if o is None:
        return None
    if m.month and m.day and o.month and o.day:
        return (
            _month_day_gap(m.month, m.day, date(2001 if m.month <= o.month else 2000, o.month, o.day))
            > DATE_CLASH_DAYS
        )
    if m.weekday is not None and o.weekday is not None:
        return m.weekday != o.weekday
    return None


WEEKDAY_CLASH_FACTOR = 0.3
"""Weekdays are weaker evidence than dates (a two-day meeting, a story filed the next day): a clash
lowers the score instead of ruling the pair out."""


def date_factor(a: ArticleFacts, b: ArticleFacts) -> float:
    """Dates: two articles whose event dates are known and more than `DATE_CLASH_DAYS` apart report
    different events (factor 0); within `DATE_MATCH_DAYS` it is a mild confirmation (1.2). A date an
    article could not place still counts: "October 20" against 3 October is a clash (0), "on Tuesday"
    against a Wednesday lowers the score (`WEEKDAY_CLASH_FACTOR`). Unknown dates say nothing (1)."""
    ea, eb = a.event_date, b.event_date
    if ea.date is not None and eb.date is not None:
        gap = abs((ea.date - eb.date).days)
        if gap > DATE_CLASH_DAYS:
            return 0.0
        return 1.2 if gap <= DATE_MATCH_DAYS else 1.0
    for partial, other in ((ea.mention, eb), (eb.mention, ea)):
        if (
            partial is None
            or (partial is ea.mention and ea.date is not None)
            or (partial is eb.mention and eb.date is not None)
        ):
            continue
        clash = _partial_clash(partial, other)
        if clash:
            return 0.0 if partial.month and partial.day else WEEKDAY_CLASH_FACTOR
    return 1.0


def type_factor(a: ArticleFacts, b: ArticleFacts) -> float:
    """Event types: a seizure and a sanction are different events even with the same actors (factor
    0.6); "other" is compatible with anything."""
    if "other" in (a.event_type, b.event_type) or a.event_type == b.event_type:
        return 1.0
    return 0.6


MASS_TOLERANCE = 0.02
"""Two masses within 2 % of each other are the same amount (rounding, pounds converted to kilograms)."""


def quantity_factor(a: ArticleFacts, b: ArticleFacts) -> float:
    """Quantities: two articles that both state masses, none of which agree (within `MASS_TOLERANCE`),
    report different seizures (factor 0.5); an agreeing mass is strong confirmation (1.2); otherwise 1."""
    ma = [q.kg for q in a.quantities if q.kg]
    mb = [q.kg for q in b.quantities if q.kg]
    if not ma or not mb:
        return 1.0
    if any(abs(x - y) <= MASS_TOLERANCE * max(x, y) for x in ma for y in mb):
        return 1.2
    return 0.5


@dataclass(frozen=True)
class PairScore:
    """The score of one pair and its parts (shown by `precwatch osint cluster --explain`)."""

    score: float
    text: float
    entities: float
    date: float
    type: float
    quantity: float = 1.0


TEXT_WEIGHT = 0.5
ENTITY_WEIGHT = 0.5


def pair_score(
    a: ArticleFacts, b: ArticleFacts, va: Vector, vb: Vector, key_idf: Mapping[str, float]
) -> PairScore:
    """Combined evidence that two articles report one event:
    (TEXT_WEIGHT x text + ENTITY_WEIGHT x entities) x date x type x quantity factors; across languages
    the text similarity is not measurable and the entity similarity counts alone."""
    text = text_similarity(va, vb) if a.article.language == b.article.language else 0.0
    entities = entity_similarity(a.keys, b.keys, key_idf)
    base = (
        TEXT_WEIGHT * text + ENTITY_WEIGHT * entities
        if a.article.language == b.article.language
        else entities
    )
    d, t, q = date_factor(a, b), type_factor(a, b), quantity_factor(a, b)
    return PairScore(min(1.0, base * d * t * q), text, entities, d, t, q)
