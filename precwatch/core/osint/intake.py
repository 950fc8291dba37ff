"""From raw article text (already out of HTML or e-mail) to an `Article`: header block, page date,
boilerplate, headline, dateline, copyright year.
"""

from __future__ import annotations

import re
from datetime import date

from precwatch.core.osint.articles import Article, DateSource
from precwatch.core.osint.boilerplate import clean_lines, copyright_years
from precwatch.core.osint.dates import find_dates, parse_date_line, resolve

HEADER_KEYS: dict[str, str] = {
    "title": "title", "headline": "title", "título": "title", "titulo": "title", "标题": "title",
    "date": "published", "published": "published", "fecha": "published", "日期": "published", "发布时间": "published",
    "source": "outlet", "outlet": "outlet", "fuente": "outlet", "来源": "outlet",
    "url": "url", "link": "url",
}  # fmt: skip
"""`Key: value` lines that may head a text file saved by a fetcher or copied from an alert e-mail."""

_HEADER_LINE = re.compile(r"^\s*([^\s:：]{2,12})\s*[:：]\s*(.+?)\s*$")
_DATELINE = re.compile(
    r"^\s*[A-ZÁÉÍÓÚ][A-Za-zÁÉÍÓÚáéíóúñ .'/-]{1,40},\s+(?P<date>[^()\n]{3,30}?)\s*[\(/-]\s*"
    r"(?:Reuters|AP|AFP|Bloomberg|EFE|Xinhua|Notimex|dpa)\b"
)
PAGE_DATE_LINES = 3
"""A line of nothing but a date among the first lines is the page's date bar, not necessarily publication."""


def _header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    fields: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _HEADER_LINE.match(line)
        key = HEADER_KEYS.get(m.group(1).lower()) if m else None
        if m is None or key is None:
            return (fields, lines[i:]) if fields else ({}, lines)
        fields[key] = m.group(2)
    return fields, []


def dateline_date(text: str) -> date | None:
    """The date of a wire dateline opening the text ("BEIJING, Jan 30, 2024 (Reuters) -"), when it
    carries a year."""
    m = _DATELINE.match(text)
    if m is None:
        return None
    found = find_dates(m.group("date"))
    return resolve(found[0], None) if found and found[0].kind == "full" else None


def _title(lines: list[str]) -> str:
    if len(lines) < 2:
        return ""
    first = lines[0]
    return first if len(first) <= 160 and not first.endswith((".", "。", ":", "：")) else ""


def build_article(
    article_id: str,
    raw_text: str,
    *,
    title: str = "",
    language: str = "en",
    published: date | None = None,
    published_source: DateSource = "none",
    outlet: str = "",
    url: str = "",
) -> Article:
    """Clean `raw_text` and assemble the article.

    Publication date, first found wins: the caller's (manifest, page metadata, e-mail header), a
    `Date:` line in a header block, a wire dateline with a year. A bare date line at the top of the text
    is the page's date bar ("Monday, November 18, 2024" on a theme that shows today's date): it becomes
    `captured`, an upper bound, never the publication date.
    """
    lines = [ln.strip() for ln in raw_text.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    fields, lines = _header(lines)
    removed: list[tuple[str, str]] = []
    captured = None
    for i, line in enumerate(lines[:PAGE_DATE_LINES]):
        when = parse_date_line(line)
        if when is not None:
            captured = when
            removed.append(("page-date", line))
            del lines[i]
            break
    cleaned = clean_lines("\n".join(lines))
    removed.extend(cleaned.removed)
    body = cleaned.text.split("\n") if cleaned.text else []
    if not published and fields.get("published"):
        published = parse_date_line(fields["published"])
        published_source = "header" if published else "none"
    if not published and body:
        published = dateline_date(body[0])
        published_source = "dateline" if published else "none"
    if not title:
        title = fields.get("title") or _title(body)
    if body and body[0] == title:
        body = body[1:]
    return Article(
        id=article_id,
        text="\n".join(body),
        title=title,
        language=language,
        published=published,
        published_source=published_source if published else "none",
        captured=captured,
        year_hints=copyright_years(tuple(removed)),
        outlet=outlet or fields.get("outlet", ""),
        url=url or fields.get("url", ""),
        removed=tuple(removed),
    )
