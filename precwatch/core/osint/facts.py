"""The facts of one article: chemicals (CAS RN via the identification engine), countries (ISO alpha-2),
organisations, people, quantities, event type and event date; and the keys it is compared on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.osint.articles import Article
from precwatch.core.osint.dates import find_dates
from precwatch.core.osint.entities import organisations_and_people, person_key, places_in
from precwatch.core.osint.events import EventDate, EventType, article_event_date, event_type, lead
from precwatch.core.osint.places import countries_in, subdivisions_in
from precwatch.core.osint.quantities import Quantity, find_quantities
from precwatch.core.text.identify import identify_text

CHEMICAL_RELATIONS = ("listed", "salt", "masked")
"""Identification relations that name a knowledge-base substance (class and analogue hits name none)."""


@dataclass(frozen=True)
class ArticleFacts:
    """What one article says, extracted. `years` are the years the text writes out. `chemicals` are CAS RNs of knowledge-base substances in order of
    first mention (the drug itself included when the KB lists it); `tokens` are the content words (or,
    for Chinese, character bigrams) used for text similarity; `keys` the entity keys used for blocking
    and for similarity across languages."""

    article: Article
    chemicals: tuple[str, ...]
    chemical_names: tuple[str, ...]
    countries: tuple[str, ...]
    organisations: tuple[str, ...]
    people: tuple[str, ...]
    outlets: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    event_type: EventType
    event_date: EventDate
    years: tuple[int, ...] = ()
    tokens: tuple[str, ...] = field(repr=False, default=())
    keys: frozenset[str] = field(repr=False, default=frozenset())


def chemicals_in(text: str, kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """(CAS RNs, substance names) of the knowledge-base substances `text` names, in order of first mention."""
    cas: list[str] = []
    names: list[str] = []
    for m in identify_text(text, kb):
        if m.cas and m.relation in CHEMICAL_RELATIONS and m.cas not in cas:
            cas.append(m.cas)
            names.append(m.name)
    return cas, names


STOPWORDS: frozenset[str] = frozenset(
    {
     "the", "and", "for", "that", "with", "this", "from", "have", "has", "had", "was", "were", "are",
     "been", "will", "would", "said", "says", "its", "their", "they", "them", "his", "her", "not", "but",
     "also", "which", "who", "what", "when", "where", "more", "than", "about", "after", "over", "into",
     "other", "some", "such", "only", "very", "can", "could", "may", "might", "one", "two", "three",
     "new", "year", "years", "last", "first", "told", "according", "there", "these", "those", "while",
     "del", "los", "las", "una", "por", "para", "con", "que", "como", "sus", "fue", "han", "ser", "más",
     "este", "esta", "estos", "también", "entre", "sobre", "desde", "pero", "sin", "hasta", "son", "les",
     "fueron", "dijo", "según",
    }
)  # fmt: skip
"""Function words (English, Spanish) that carry no topic."""

_WORD = re.compile(r"[a-záéíóúñü]{3,}|[\u3400-\u9fff]+")


def tokens(text: str) -> list[str]:
    """Content words for text similarity: lower-case words of three letters or more without stop words,
    accents kept; runs of Chinese characters as overlapping bigrams."""
    out: list[str] = []
    for w in _WORD.findall(unicodedata.normalize("NFC", text.lower())):
        if "\u3400" <= w[0] <= "\u9fff":
            out.extend(w[i : i + 2] for i in range(max(1, len(w) - 1)))
        elif w not in STOPWORDS:
            out.append(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


def entity_keys(
    chemicals: list[str],
    countries: list[str],
    orgs: list[str],
    people: list[str],
    quantities: list[Quantity],
    places: list[str] = (),  # type: ignore[assignment]
) -> frozenset[str]:
    """Language-independent keys: chemicals by CAS, countries and subdivisions by ISO code, gazetteer places
    (ports, cities) by name, organisations by
    canonical name, people by `person_key`, masses rounded to the kilogram and other quantities by value
    and unit."""
    keys = {f"chem:{c}" for c in chemicals} | {f"country:{c}" for c in countries} | {f"org:{o}" for o in orgs}
    keys |= {f"place:{p}" for p in places}
    keys |= {f"person:{person_key(p)}" for p in people}
    for q in quantities:
        keys.add(f"qty:{round(q.kg)}kg" if q.kg is not None else f"qty:{q}")
    return frozenset(keys)


LEAD_SENTENCES = 3
"""The headline and this many first sentences count twice in the text tokens: the lead says what
happened; background paragraphs repeat across stories about different events."""


def date_keys(when: EventDate) -> frozenset[str]:
    """The event date as a key ("date:2024-01-30"), or, when the article alone cannot place it, the
    expression's parts ("date:10-20" for "Friday (October 20)", "date:weekday-1" for "on Tuesday")."""
    if when.date is not None:
        return frozenset({f"date:{when.date.isoformat()}"})
    m = when.mention
    if m is None:
        return frozenset()
    if m.month and m.day:
        return frozenset({f"date:{m.month:02d}-{m.day:02d}"})
    if m.weekday is not None:
        return frozenset({f"date:weekday-{m.weekday}"})
    return frozenset()


def extract(article: Article, kb: KnowledgeBase) -> ArticleFacts:
    """All the facts of one article (headline and body)."""
    full = f"{article.title}\n{article.text}" if article.title else article.text
    cas, names = chemicals_in(full, kb)
    countries = countries_in(full)
    orgs, people, outlets = organisations_and_people(full)
    quantities = find_quantities(full, language=article.language)
    when = article_event_date(article.title, article.text, article.published, article.captured)
    return ArticleFacts(
        article=article,
        chemicals=tuple(cas),
        chemical_names=tuple(names),
        countries=tuple(countries),
        organisations=tuple(orgs),
        people=tuple(people),
        outlets=tuple(outlets),
        quantities=tuple(quantities),
        event_type=event_type(article.title, article.text),
        event_date=when,
        years=tuple(sorted({m.year for m in find_dates(full) if m.year})),
        tokens=tuple(
            tokens(full) + tokens(f"{article.title}\n{lead(article.text, sentences=LEAD_SENTENCES)}")
        ),
        keys=entity_keys(cas, countries, orgs, people, quantities, [*subdivisions_in(full), *places_in(full)])
        | date_keys(when),
    )
