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
BYLINE_LINES = 6
"""How many lines at the top of a text are searched for a byline date."""

_BYLINE_CUE = re.compile(
    r"^\s*(?:(?:first )?published|posted|publicado|fecha de publicaci[óo]n|发布时间|发布日期|发布于|发表于)\s*(?:on|el)?\s*[:：]?\s*"
    r"|^\s*(?:by|por)\s+[^|·•\n]{2,60}?\s*[|·•,–—-]\s*",
    re.IGNORECASE,
)
_UPDATED_CUE = re.compile(
    r"^\s*(?:updated|last updated|actualizado|更新时间|更新于)\s*(?:on|el)?\s*[:：]?\s*", re.I
)


def _full_date(text: str) -> date | None:
    found = [m for m in find_dates(text) if m.kind == "full"]
    return resolve(found[0], None) if found else None


def byline_date(line: str, *, position: int) -> tuple[date, bool] | None:
    """The publication date a byline line gives, and whether the line is only that ("Published: Jan 29,
    2024 10:15 ET", "By Jane Doe | January 29, 2024", "Publicado el 29 de enero de 2024", "发布时间：2024年1月29日",
    or a bare date line below the headline). A bare date line at the very top (`position` 0) is not one: it
    is the page's date bar (`page_date_bar`)."""
    if len(line) > 120:
        return None
    m = _BYLINE_CUE.match(line)
    if m is not None:
        when = _full_date(line[m.end() :])
        return (when, True) if when else None
    if position > 0 and (when := parse_date_line(line)) is not None:
        return when, True
    return None


def page_date_bar(line: str, *, position: int) -> date | None:
    """A line of nothing but a date at the very top of a text, above the headline ("Monday, November 18,
    2024"): the date bar of a site theme that shows today's date, i.e. the day the page was saved. Kept as
    `captured`, an upper bound, never as the publication date."""
    return parse_date_line(line) if position == 0 else None


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
    `Date:` line in a header block, a byline date (`byline_date`; an "Updated" date only when there is no
    other), a wire dateline with a year. A bare date line at the very top is the page's date bar
    (`page_date_bar`): it becomes `captured`, never the publication date.
    """
    lines = [ln.strip() for ln in raw_text.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    fields, lines = _header(lines)
    removed: list[tuple[str, str]] = []
    captured = byline = updated = None
    keep: list[str] = []
    for i, line in enumerate(lines):
        if i < BYLINE_LINES:
            if captured is None and (bar := page_date_bar(line, position=i)) is not None:
                captured = bar
                removed.append(("page-date", line))
                continue
            if byline is None and (found := byline_date(line, position=i)) is not None:
                byline = found[0]
                removed.append(("byline-date", line))
                continue
            m = _UPDATED_CUE.match(line)
            if m is not None and len(line) <= 120 and (when := _full_date(line[m.end() :])) is not None:
                updated = updated or when
                removed.append(("updated-date", line))
                continue
        keep.append(line)
    lines = keep
    cleaned = clean_lines("\n".join(lines))
    removed.extend(cleaned.removed)
    body = cleaned.text.split("\n") if cleaned.text else []
    if not published and fields.get("published"):
        published = _full_date(fields["published"])
        published_source = "header" if published else "none"
    if not published and (byline or updated):
        published, published_source = byline or updated, "byline"
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
