"""The article: one news item as read from a file, after boilerplate removal.

Readers (`precwatch.io.articles`) build these from .txt, .html and .eml files; everything downstream in
`precwatch.core.osint` works on them and never touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

DateSource = Literal["manifest", "html", "email", "header", "byline", "dateline", "none"]
"""Where `Article.published` came from: a sidecar manifest written by the fetcher, the page's metadata
(htmldate), the e-mail's Date header, a `Date:` line heading a text file, a byline ("Published: Jan 29,
2024", "By Jane Doe | January 29, 2024"), the text's dateline ("BEIJING, Jan 30, 2024 (Reuters) -"), or
nowhere."""


@dataclass(frozen=True)
class Article:
    """One article.

    `id` is the file name (unique in its folder). `text` is the cleaned body (boilerplate removed), `title`
    its headline when one could be told apart. `published` is the publication date and `published_source`
    says how we know it. `captured` is a date the page showed that is *not* trustworthy as publication
    date (a theme's "today" bar: the day the page was saved), kept as an upper bound. `year_hints` are
    years the page vouches for (a copyright line "©2023"). `removed` lists (rule, line) pairs that the
    boilerplate rules dropped, so an analyst can see why a line is missing.
    """

    id: str
    text: str
    title: str = ""
    language: str = "en"
    published: date | None = None
    published_source: DateSource = "none"
    captured: date | None = None
    year_hints: tuple[int, ...] = ()
    outlet: str = ""
    url: str = ""
    removed: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, object]:
        """The `precwatch osint ingest` line for this article (JSON-ready)."""
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "published": self.published.isoformat() if self.published else None,
            "published_source": self.published_source,
            "captured": self.captured.isoformat() if self.captured else None,
            "outlet": self.outlet,
            "url": self.url,
            "text": self.text,
            "removed": [{"rule": r, "line": line} for r, line in self.removed],
        }
