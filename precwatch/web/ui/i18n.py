"""The page languages (English, Spanish, Chinese): Babel message catalogues and locale formatting.

Catalogues live in `precwatch/web/locales/<lang>/LC_MESSAGES/messages.po` with their compiled `.mo` next to
them (rebuilt by `make locales`; a test fails when a `.mo` is stale or a catalogue misses a string). The
language comes from `?lang=` (remembered in a cookie), then the cookie, then `Accept-Language`, then English.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from fastapi import Request

LANGUAGES = {"en": "English", "es": "Español", "zh": "中文"}
"""The languages offered by the switcher, each named in itself."""
DEFAULT = "en"
LANG_COOKIE = "precwatch_lang"
LOCALES_DIR = files("precwatch.web") / "locales"


def choose(request: Request) -> str:
    """The language of this request's page."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in LANGUAGES:
        return str(asked)
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (English is the source language: the identity)."""
    if lang == DEFAULT:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [lang], domain="messages")


@cache
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse({"zh": "zh_Hans_CN", "es": "es_MX"}.get(lang, "en_US"))
    except UnknownLocaleError:  # pragma: no cover - babel ships these
        return Locale.parse("en_US")


def formatters(lang: str) -> dict[str, Any]:
    """Template filters that format numbers and dates for `lang`."""
    loc = _locale(lang)

    def number(value: float | int | None) -> str:
        return "" if value is None else format_decimal(value, locale=loc)

    def day(value: str | date | datetime | None) -> str:
        if value is None or value == "":
            return ""
        parsed: date | datetime
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value) if len(value) <= 10 else datetime.fromisoformat(value)
            except ValueError:
                return value
        else:
            parsed = value
        if isinstance(parsed, datetime):
            return format_datetime(parsed, "medium", locale=loc)
        return format_date(parsed, "medium", locale=loc)

    return {"number": number, "day": day}
