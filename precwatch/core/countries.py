"""Countries as declarations write them: ISO 3166-1 codes (alpha-2, alpha-3, numeric) and names.

`COUNTRIES` holds every officially assigned alpha-2 code with its short English name, from pycountry (the
ISO 3166 database). `country_code` reads a code of any of the three ISO forms ("MX", "MEX", "484") or a
name in English, Spanish, Chinese and many other languages (countrynames, the multilingual name table
behind OpenSanctions), plus `EXTRA_NAMES`: forms both miss that customs documents use ("EE.UU.",
"Mainland China", "中国香港"). Exceptionally reserved codes (UK, EU, EL, ...) are not country codes:
`country_code` reads "UK" as a name meaning GB, `is_country("UK")` is False. A city ("Mexico City") is
not a country: `country_code` answers None, never a guess.
"""

from __future__ import annotations

import unicodedata

import countrynames
import pycountry

COUNTRIES: dict[str, str] = {c.alpha_2: c.name for c in pycountry.countries}
"""Every officially assigned ISO 3166-1 alpha-2 code and its short English name."""
_ALPHA3: dict[str, str] = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
_NUMERIC: dict[str, str] = {c.numeric: c.alpha_2 for c in pycountry.countries}

EXTRA_NAMES: dict[str, str] = {
    "u s": "US", "u s a": "US", "the united states": "US", "eeuu": "US", "ee uu": "US", "eua": "US",
    "e u a": "US", "美利坚合众国": "US", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "p r c": "CN", "peoples republic of china": "CN", "mainland china": "CN", "pr china": "CN",
    "china mainland": "CN", "中国大陆": "CN", "香港": "HK", "中国香港": "HK", "macau sar": "MO",
    "chinese taipei": "TW", "lao peoples democratic republic": "LA", "cote divoire": "CI", "u a e": "AE",
    "emirates": "AE", "estados unidos mexicanos": "MX",
}  # fmt: skip
"""Names countrynames does not resolve (or resolves to a subdivision) that declarations use."""


def _key(name: str) -> str:
    """A name folded for lookup: accents, case, punctuation and extra spaces removed, '&' read as 'and'."""
    text = unicodedata.normalize("NFKD", name.replace("&", " and "))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = "".join(c if c.isalnum() else (" " if c in " -,_/()." else "") for c in text)
    return " ".join(text.split())


def is_country(code: str) -> bool:
    """True when `code` is an officially assigned ISO 3166-1 alpha-2 code (any case, no spaces)."""
    return code.upper() in COUNTRIES


def country_code(name_or_code: str) -> str | None:
    """The alpha-2 code for an ISO code (alpha-2, alpha-3 or numeric, any case) or a country name; else None.

    >>> country_code("hk"), country_code("MEX"), country_code("484"), country_code("United States of America")
    ('HK', 'MX', 'MX', 'US')
    """
    text = name_or_code.strip()
    upper = text.upper()
    if (
        len(text) == 2 and text.isascii()
    ):  # two letters are a code: an assigned one, or "UK" (reserved, read as GB)
        return upper if upper in COUNTRIES else ("GB" if upper == "UK" else None)
    if len(text) == 3 and upper in _ALPHA3:
        return _ALPHA3[upper]
    if text.isdigit() and len(text) <= 3:
        return _NUMERIC.get(text.zfill(3))
    key = _key(text)
    if not key:
        return None
    found = EXTRA_NAMES.get(key)
    if found is None:
        found = countrynames.to_code(text) or countrynames.to_code(key)
    return found if found in COUNTRIES else None
