"""OSINT intake as a batch job: a folder of articles -> articles -> facts -> events (clusters) -> timeline.

result = run_osint(Path("examples/osint"), kb)
result.events      # one Event per real-world event, date-ordered
result.rejects     # files that could not be read, with the reason
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.osint.articles import Article
from precwatch.core.osint.cluster import Link
from precwatch.core.osint.facts import ArticleFacts, extract
from precwatch.core.osint.timeline import Event, build_timeline
from precwatch.io.articles import Reject, read_folder


@dataclass(frozen=True)
class Ingested:
    """The articles read from a folder and the files rejected; every file is in one or the other."""

    articles: list[Article]
    rejects: list[Reject]


@dataclass(frozen=True)
class OsintResult:
    """Events with the facts and links behind them."""

    events: list[Event]
    facts: list[ArticleFacts]
    links: list[Link]
    rejects: list[Reject]


def ingest(folder: Path, *, progress: Callable[[int], None] | None = None) -> Ingested:
    """Read every article file in `folder` (see `precwatch.io.articles.read_folder`)."""
    articles: list[Article] = []
    rejects: list[Reject] = []
    for item in read_folder(folder):
        (articles if isinstance(item, Article) else rejects).append(item)  # type: ignore[arg-type]
        if progress is not None:
            progress(1)
    return Ingested(articles, rejects)


def analyse(articles: list[Article], kb: KnowledgeBase) -> tuple[list[Event], list[ArticleFacts], list[Link]]:
    """Facts per article, then events across them."""
    facts = [extract(a, kb) for a in articles]
    events, links = build_timeline(facts)
    return events, facts, links


def run_osint(folder: Path, kb: KnowledgeBase) -> OsintResult:
    """Ingest a folder and cluster its articles into events."""
    ingested = ingest(folder)
    events, facts, links = analyse(ingested.articles, kb)
    return OsintResult(events, facts, links, ingested.rejects)
