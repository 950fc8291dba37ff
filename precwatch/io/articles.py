"""Read news articles from files: .txt, .html/.htm and .eml, plus an optional `sources.csv` manifest.

- HTML: main text by trafilatura (comments excluded), publication date by htmldate (from the page's
  metadata and markup only: `extensive_search=False`, so no guess from random dates in the text).
- E-mail (news alerts, forwarded stories): the stdlib `email` parser; Subject is the headline, the Date
  header the publication date, the plain-text part the body (else the HTML part through trafilatura).
- Text: read as UTF-8; the core's boilerplate rules do the rest.
- `sources.csv` in the folder, written by a fetcher, may give per file: file, published (YYYY-MM-DD),
  outlet, url, title, language. It is the most reliable publication date and overrides the others.
Language is detected with lingua, restricted to `LANGUAGES`. Nothing here uses the network.
"""

from __future__ import annotations

import csv
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path

from precwatch.core.osint.articles import Article, DateSource
from precwatch.core.osint.intake import build_article

EXTENSIONS = (".txt", ".html", ".htm", ".eml")
"""File types read as articles; other files in a folder are reported as skipped."""
MANIFEST = "sources.csv"
"""Optional per-folder manifest of publication dates, outlets and URLs."""
LANGUAGES = ("en", "es", "zh", "fr", "de", "pt")
"""Languages the detector chooses among (ISO 639-1): the precursor news of North America, China and
Europe. Restricting lingua keeps it fast and small (all 75 languages take seconds and > 1 GB)."""


class ArticleError(ValueError):
    """A file that cannot be read as an article; the message names the file and, where known, the field."""


@dataclass(frozen=True)
class Reject:
    """A file that was not read, and why."""

    file: str
    reason: str


@cache
def _detector() -> object:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language among `LANGUAGES` ("en" when the detector cannot tell)."""
    sample = text[:2000]
    if not sample.strip():
        return "en"
    found = _detector().detect_language_of(sample)  # type: ignore[attr-defined]
    return str(found.iso_code_639_1.name).lower() if found is not None else "en"


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """The folder's `sources.csv` rows by file name (empty when there is none).

    Raises:
        ArticleError: a row without a file name or with a publication date that is not YYYY-MM-DD.
    """
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    rows: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            name = (row.get("file") or "").strip()
            if not name:
                raise ArticleError(f"{path}: line {line_no}: field 'file' is empty")
            published = (row.get("published") or "").strip()
            if published:
                try:
                    date.fromisoformat(published)
                except ValueError:
                    raise ArticleError(
                        f"{path}: line {line_no}: field 'published' {published!r} is not a YYYY-MM-DD date"
                    ) from None
            rows[name] = {k: (v or "").strip() for k, v in row.items() if k}
    return rows


def _html_text(html: str, source: str) -> tuple[str, str, date | None]:
    import trafilatura
    from htmldate import find_date

    doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True, favor_precision=True)
    fields = doc if isinstance(doc, dict) else (doc.as_dict() if doc is not None else {})
    text, title = str(fields.get("text") or ""), str(fields.get("title") or "")
    if not text.strip():
        raise ArticleError(f"{source}: no article text found in the page")
    found = find_date(html, extensive_search=False, original_date=True)
    published = date.fromisoformat(found) if found else None
    return text, title, published


def _email_parts(raw: bytes, source: str) -> tuple[str, str, date | None, str]:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(msg, EmailMessage):
        raise ArticleError(f"{source}: not an e-mail message")
    title = str(msg.get("Subject", "") or "")
    published = None
    if msg.get("Date"):
        try:
            published = parsedate_to_datetime(str(msg["Date"])).date()
        except (TypeError, ValueError):
            raise ArticleError(f"{source}: header 'Date' {msg['Date']!r} is not an e-mail date") from None
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise ArticleError(f"{source}: the message has no text or HTML body")
    body = part.get_content()
    if part.get_content_subtype() == "html":
        body, _title, _date = _html_text(body, source)
    return body, title, published, str(msg.get("From", "") or "")


def read_article(path: Path, *, manifest: dict[str, str] | None = None) -> Article:
    """One article from a file.

    Raises:
        ArticleError: unreadable file, undecodable text, a page without article text, a bad header.
    """
    source = str(path)
    meta = manifest or {}
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{source}: {exc.strerror}") from None
    suffix = path.suffix.lower()
    title, published, outlet = "", None, ""
    where: DateSource = "none"
    if suffix == ".eml":
        text, title, published, outlet = _email_parts(raw, source)
        where = "email"
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArticleError(f"{source}: byte {exc.start} is not UTF-8") from None
        if suffix in (".html", ".htm"):
            text, title, published = _html_text(text, source)
            where = "html"
    if meta.get("published"):
        published, where = date.fromisoformat(meta["published"]), "manifest"
    if not text.strip():
        raise ArticleError(f"{source}: the file holds no text")
    return build_article(
        path.name,
        text,
        title=meta.get("title") or title,
        language=meta.get("language") or detect_language(text),
        published=published,
        published_source=where if published else "none",
        outlet=meta.get("outlet") or outlet,
        url=meta.get("url", ""),
    )


def read_folder(folder: Path) -> Iterator[Article | Reject]:
    """Every article file in `folder` (sorted by name, not recursive), as an Article or a Reject.

    Raises:
        ArticleError: the folder does not exist or its manifest is malformed.
    """
    if not folder.is_dir():
        raise ArticleError(f"{folder}: not a folder")
    manifest = read_manifest(folder)
    for path in sorted(folder.iterdir()):
        if path.name == MANIFEST or path.name.startswith("."):
            continue
        if path.suffix.lower() not in EXTENSIONS:
            yield Reject(path.name, f"{path}: not an article file (expected {', '.join(EXTENSIONS)})")
            continue
        try:
            yield read_article(path, manifest=manifest.get(path.name))
        except ArticleError as exc:
            yield Reject(path.name, str(exc))
