"""Shared validators of the API's inputs: bounded integers, strict ids, ISO countries, real dates, clean text.

Every router uses these types, so one rule holds everywhere: a value the database cannot hold or compare
(an integer past 64 bits, a NUL character, a lone surrogate, a non-finite number, year 9999) is refused with
422 at the edge instead of failing as 500 inside the database.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

MAX_ID = 2**31 - 1
"""Largest organisation or user id (the database's INTEGER)."""
MAX_OFFSET = 1_000_000_000
"""Largest `offset` of a list (far past any real page; bounded so it stays a 64-bit integer)."""
MAX_SEQUENCE = 2**31 - 1
"""Largest audit sequence number (`after=`), the database's INTEGER."""
MIN_YEAR, MAX_YEAR = 1900, 2100
"""Dates outside these years are typing mistakes (no incident happened in 9999)."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean_text(value: str) -> str:
    """`value` unless it holds a NUL character or a lone surrogate (neither can be stored)."""
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text is not valid Unicode (a lone surrogate)") from None
    return value


def iso_date(value: Any) -> date:
    """A calendar date written YYYY-MM-DD between `MIN_YEAR` and `MAX_YEAR` (no integers, no datetimes)."""
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("not a calendar date (YYYY-MM-DD)") from None
    else:
        raise ValueError("a date must be a string YYYY-MM-DD")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return parsed


COUNTRY_CODES = tuple(sorted(c.alpha_2 for c in pycountry.countries))
"""Every ISO 3166-1 alpha-2 code (pycountry's table), as the OpenAPI document lists them."""
_COUNTRY_SET = frozenset(COUNTRY_CODES)


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code that exists, upper-case as the standard writes it (`MX`, not `mx`)."""
    if value not in _COUNTRY_SET:
        raise ValueError(f"not an ISO 3166-1 alpha-2 country code (upper-case): {value[:10]!r}")
    return value


def whole_number(value: Any) -> Any:
    """A JSON integer (`3`, or `3.0`, which JSON Schema counts as one); never `true`, `"3"` or `3.5`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"
IsoDate = Annotated[
    date,
    BeforeValidator(iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
"""A date as YYYY-MM-DD (years 1900-2100)."""
Country = Annotated[
    str,
    AfterValidator(country_code),
    WithJsonSchema({"type": "string", "enum": list(COUNTRY_CODES), "description": "ISO 3166-1 alpha-2"}),
]
"""An ISO 3166-1 alpha-2 country code, upper-case."""
Id = Annotated[
    int,
    BeforeValidator(whole_number),
    Field(ge=1, le=MAX_ID),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
]
"""An organisation or user id: a JSON integer (not `true`, not `"1"`)."""
NoNul = r"^[^\x00]*$"
"""The pattern of text without NUL characters (in the OpenAPI document too)."""
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Sequence = Annotated[int, Field(ge=0, le=MAX_SEQUENCE)]
Quantity = Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)]
"""A finite, non-negative amount."""
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[!-~]+$")]
"""An idempotency key: 1-200 visible ASCII characters (a UUID is typical)."""
RecordId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
"""A record id in a path or a batch: letters, digits and `_ . : -` (incident ids are 32 hex digits)."""
