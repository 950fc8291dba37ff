"""Events: a cluster of articles summarised (date, type, facts, sources), and the timeline they form."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from precwatch.core.osint.cluster import Link, cluster_indexes
from precwatch.core.osint.dates import resolve, years_with_weekday
from precwatch.core.osint.events import EVENT_TYPES, EventType, lead
from precwatch.core.osint.facts import ArticleFacts


@dataclass(frozen=True)
class Event:
    """One event as reported by one or more articles. `date` is when it happened (not when it was
    published) and `date_source` the rule that fixed it; `articles` are file names. `outlets` are the
    publishers of the articles (when the manifest, page or e-mail says), `cited` the outlets the articles
    quote ("Bloomberg reported ...")."""

    id: str
    articles: tuple[str, ...]
    date: date | None
    date_source: str
    title: str
    event_type: EventType
    chemicals: tuple[str, ...]
    chemical_names: tuple[str, ...]
    countries: tuple[str, ...]
    organisations: tuple[str, ...]
    people: tuple[str, ...]
    quantities: tuple[str, ...]
    outlets: tuple[str, ...]
    cited: tuple[str, ...]
    languages: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The cluster object of the `precwatch osint cluster` contract (plus date_source, chemical names,
        outlets, cited outlets and languages)."""
        return {
            "id": self.id,
            "articles": list(self.articles),
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "event_type": self.event_type,
            "chemicals": list(self.chemicals),
            "countries": list(self.countries),
            "organisations": list(self.organisations),
            "people": list(self.people),
            "quantities": list(self.quantities),
            "date_source": self.date_source,
            "chemical_names": list(self.chemical_names),
            "outlets": list(self.outlets),
            "cited": list(self.cited),
            "languages": list(self.languages),
        }


def _by_support(values: Iterable[Iterable[str]]) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for group in values:
        for v in dict.fromkeys(group):
            counts[v] += 1
            first.setdefault(v, len(first))
    return tuple(sorted(counts, key=lambda v: (-counts[v], first[v])))


def event_date(members: Sequence[ArticleFacts]) -> tuple[date | None, str]:
    """The date of the event a cluster reports, and which rule gave it:

    1. "lead": the date most articles' leads give (ties: the earliest);
    2. "lead+published": a lead the article alone could not place ("on Tuesday" in an undated article),
       resolved against the earliest publication date of the cluster's other articles;
    3. "lead+weekday": a month and day with a weekday ("Friday (October 20)"), the year being the one in
       which that day is that weekday, nearest to the years the cluster vouches for (copyright lines);
    4. "lead+year": a month and day without a weekday ("MEXICO CITY, Dec 4 (Reuters)"), in the latest year
       the cluster vouches for, else the latest year its texts write out (news names the current year or
       past ones);
    5. "published": no article gives the day of the event, so the earliest publication date stands in
       for it (news reports what happened that day or the day before);
    6. "page date": not even a publication date, so the earliest date a page showed (a date bar, maybe
       the day it was saved): the last resort before none;
    7. none: no date is known at all.
    """
    leads = Counter(
        f.event_date.date for f in members if f.event_date.date and f.event_date.source.startswith("lead")
    )
    if leads:
        best = max(leads.values())
        return min(d for d, n in leads.items() if n == best), "lead"
    published = sorted(f.article.published for f in members if f.article.published)
    partials = [f.event_date.mention for f in members if f.event_date.date is None and f.event_date.mention]
    if partials and published:
        resolved = Counter(d for m in partials if (d := resolve(m, published[0])) is not None)
        if resolved:
            return resolved.most_common(1)[0][0], "lead+published"
    hints = sorted({y for f in members for y in f.article.year_hints} | {d.year for d in published})
    for m in partials:
        if m.month and m.day and m.weekday is not None and hints:
            years = years_with_weekday(m.month, m.day, m.weekday, low=hints[0] - 1, high=hints[-1] + 1)
            if years:
                nearest = min(years, key=lambda y: min(abs(y - h) for h in hints))
                return date(nearest, m.month, m.day), "lead+weekday"
    written = [y for f in members for y in f.years]
    latest = hints[-1] if hints else (max(written) if written else None)
    for m in partials:
        if m.month and m.day and latest is not None:
            try:
                return date(latest, m.month, m.day), "lead+year"
            except ValueError:
                continue
    fallbacks = [
        (f.event_date.source != "published", f.event_date.date) for f in members if f.event_date.date
    ]
    if fallbacks:
        page_date_only, when = min(fallbacks)
        return when, "page date" if page_date_only else "published"
    return None, "none"


def _event_type(members: Sequence[ArticleFacts]) -> EventType:
    votes = Counter(f.event_type for f in members if f.event_type != "other")
    if not votes:
        return "other"
    return min(votes, key=lambda t: (-votes[t], EVENT_TYPES.index(t)))


def _title(members: Sequence[ArticleFacts]) -> str:
    titled = [f.article for f in members if f.article.title]
    for article in titled:
        if article.language == "en":
            return article.title
    if titled:
        return titled[0].title
    first = lead(members[0].article.text, sentences=1)
    return first if len(first) <= 140 else first[:137].rsplit(" ", 1)[0] + "..."


def summarise(members: Sequence[ArticleFacts]) -> Event:
    """One cluster's event: date (`event_date`), majority event type, headline, and the facts of all its
    articles, most supported first."""
    ids = tuple(f.article.id for f in members)
    when, source = event_date(members)
    chem = _by_support(f.chemicals for f in members)
    names = {c: n for f in members for c, n in zip(f.chemicals, f.chemical_names, strict=True)}
    return Event(
        id="evt-" + hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()[:10],
        articles=ids,
        date=when,
        date_source=source,
        title=_title(members),
        event_type=_event_type(members),
        chemicals=chem,
        chemical_names=tuple(names[c] for c in chem),
        countries=_by_support(f.countries for f in members),
        organisations=_by_support(f.organisations for f in members),
        people=_by_support(f.people for f in members),
        quantities=_by_support((str(q) for q in f.quantities) for f in members),
        outlets=_by_support([f.article.outlet] if f.article.outlet else [] for f in members),
        cited=_by_support(f.outlets for f in members),
        languages=_by_support([f.article.language] for f in members),
    )


def build_timeline(facts: Sequence[ArticleFacts]) -> tuple[list[Event], list[Link]]:
    """Cluster the articles and summarise each cluster; events in date order (undated last), and the
    links between articles that made the clusters."""
    groups, links = cluster_indexes(facts)
    events = [summarise([facts[i] for i in group]) for group in groups]
    events.sort(key=lambda e: (e.date is None, e.date or date.min, e.articles[0]))
    return events, links
