"""Countries named in an article, as ISO 3166-1 alpha-2 codes.

The names come from the `countrynames` package (country names, demonyms and subdivisions in many
languages, compiled from Wikidata and registries) checked against `pycountry`'s ISO 3166-1 table; this
module only decides which of those names are safe to *scan* running text for, and adds the short forms
newspapers write ("U.S.", "EE.UU.").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import ahocorasick
import pycountry
from countrynames.data import DATA

SHORT_FORMS: dict[str, str] = {
    "US": "US", "U.S.": "US", "U.S": "US", "USA": "US", "U.S.A.": "US", "EE.UU.": "US", "EEUU": "US",
    "EE. UU.": "US", "EUA": "US", "UK": "GB", "U.K.": "GB", "PRC": "CN", "P.R.C.": "CN",
}  # fmt: skip
"""Abbreviations matched case-sensitively as whole words (the registry lists few of them)."""

NOT_IN_PROSE: frozenset[str] = frozenset(
    {"Sina", "Kina", "Cine", "Chad", "Jordan", "Georgia", "Mexic", "Kitty"}
)
"""Registry aliases that are ordinary words or first names in English or Spanish prose."""

SUBDIVISION_COUNTRIES: tuple[str, ...] = ("US", "MX", "CN", "CA", "IN")
"""Countries whose ISO 3166-2 subdivisions (states, provinces) are also looked for: the producers, transit
and destination countries of precursor news ("Sinaloa", "Michoacán", "New Mexico", "Hubei")."""

_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ž' .-]+$")


def _country(code: str) -> str | None:
    alpha2 = code.split("-")[0]
    return alpha2 if pycountry.countries.get(alpha_2=alpha2) is not None else None


def scannable(name: str) -> bool:
    """Whether a registry alias is safe to look for in prose: Title-case Latin names of at least four
    letters and up to five words (no ALL-CAPS registry spellings, no commas or brackets), or Chinese
    names of at least two characters."""
    if name in NOT_IN_PROSE:
        return False
    if _CJK.match(name):
        return len(name) >= 2
    if not _LATIN.match(name) or len(name) < 4 or len(name.split()) > 5:
        return False
    return name[0].isupper() and not name.isupper()


@cache
def _automaton() -> ahocorasick.Automaton:
    by_name: dict[str, set[str]] = {}
    for code, names in DATA.items():
        alpha2 = _country(code)
        if alpha2 is None:
            continue
        for raw in names:
            name = unicodedata.normalize("NFC", raw.strip())
            if scannable(name):
                by_name.setdefault(name, set()).add(code if "-" in code else alpha2)
    for country in pycountry.countries:
        for official in (country.name, getattr(country, "common_name", None)):
            if official and scannable(official):
                by_name.setdefault(official, set()).add(country.alpha_2)
    for alpha2 in SUBDIVISION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=alpha2) or ():  # type: ignore[no-untyped-call]
            if scannable(sub.name):
                by_name.setdefault(sub.name, set()).add(sub.code)
    for short, alpha2 in SHORT_FORMS.items():
        by_name.setdefault(short, set()).add(alpha2)
    auto = ahocorasick.Automaton()
    for name, codes in by_name.items():
        if len(codes) == 1:
            auto.add_word(name, (name, next(iter(codes))))
    auto.make_automaton()
    return auto


def _boundary(text: str, start: int, end: int, name: str) -> bool:
    if _CJK.match(name):
        return True
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not (after.isalnum() and not name.endswith("."))


def find_places(text: str) -> list[tuple[str, int, int]]:
    """(code, start, end) for every country or subdivision named in `text`, longest name first at each
    place ("New Mexico" is the US state, not Mexico), in text order. Codes are ISO 3166-1 alpha-2 for
    countries and ISO 3166-2 ("CN-BJ" for Beijing) for the subdivisions the registry names."""
    text = unicodedata.normalize("NFC", text)
    hits: list[tuple[int, int, str, str]] = []
    for end_index, (name, code) in _automaton().iter(text):
        start, end = end_index - len(name) + 1, end_index + 1
        if _boundary(text, start, end, name):
            hits.append((start, end, name, code))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[str, int, int]] = []
    last_end = -1
    for start, end, _name, code in hits:
        if start >= last_end:
            out.append((code, start, end))
            last_end = end
    return out


def find_countries(text: str) -> list[tuple[str, int, int]]:
    """(ISO alpha-2, start, end) for every country named in `text`, directly or by one of its subdivisions."""
    return [(code.split("-")[0], s, e) for code, s, e in find_places(text)]


def subdivisions_in(text: str) -> list[str]:
    """Distinct ISO 3166-2 subdivision codes named in `text` (Beijing -> CN-BJ), in order of first mention."""
    return list(dict.fromkeys(code for code, _s, _e in find_places(text) if "-" in code))


def countries_in(text: str) -> list[str]:
    """Distinct ISO alpha-2 codes named in `text`, most mentioned first (ties: first mentioned)."""
    counts: dict[str, int] = {}
    for code, _s, _e in find_countries(text):
        counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])
