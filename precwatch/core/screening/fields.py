"""Validate one raw row (canonical field name -> value) into a Declaration or Listing.

Readers rename columns first (`--map`); this module only checks and converts values, and says which
field is wrong when one is. It runs on every row, so each check is a cheap test before any slow path.

No record goes unscreened because of a side field: a value that cannot be read (a country "Mexico City",
a quantity "12 kg", an HS code "29.33") is kept raw as a `FieldIssue` on the record, which the screener
reports as a `data-quality` reason of weight 0, and the field is left out of the rules that need it. Only
a record with neither an id nor any text raises FieldError (the reader rejects it); a record with text but
no id is screened under the id ``line-N``. "n/a", "na", "none", "null", "-" and "unknown" are empty.

Values may be text (CSV), JSON scalars (JSONL) or Arrow scalars (Parquet: ints, floats, Decimals,
dates). Rules:
  - ``id`` is required and non-empty (an integral number is read as its digits);
  - ``quantity`` and ``value_usd``: "1200", "1,200.50", "$1,200", numbers; else a locale form read with
    babel (German/Spanish/French: "1.200,50", "1,5" -> 1.5; a comma between groups of three digits is
    read as thousands first, so "1,500" is 1500); negative, non-finite or not a number is an issue;
  - countries: an ISO 3166-1 code (alpha-2, alpha-3, numeric) in any case, or a country name in many
    languages ("Hong Kong", "USA", "México", "中国"); empty is None;
  - ``transport_mode``: one of sea, air, express, post, road (any case); empty is None;
  - ``hs_code``: 4 to 10 digits with optional dots ("2933.39", "293339", "2933.39.99"); an HS code given
    as a number gets back the leading zero a spreadsheet dropped (901 -> 0901);
  - ``date``: ISO yyyy-mm-dd (a time after it is dropped); empty is None;
  - ``contacts``: split on ";", "|" or ", " (a JSON list is taken as is).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TypeVar

from precwatch.core.countries import COUNTRIES, country_code
from precwatch.core.kb.identifiers import normalise_hs
from precwatch.core.screening.records import (
    TRANSPORT_MODES,
    Declaration,
    FieldIssue,
    Kind,
    Listing,
    Party,
    ScreenRecord,
)

_MODES = frozenset(TRANSPORT_MODES)
EMPTY_VALUES = frozenset({"n/a", "na", "n.a.", "none", "null", "nil", "-", "--", "unknown", "tbd", "?"})
"""Values that say "nothing here": read as empty, never as an error."""
_LOCALES = ("de", "es", "fr")
"""Locales whose number forms (decimal comma, dot or space as thousands) are tried after the plain form."""
_T = TypeVar("_T")
_CACHE_SIZE = 65536
_hs_seen: dict[str, str | None] = {}
_dates_seen: dict[str, str] = {}
"""Memos of recent HS codes and dates (a file repeats a few thousand of each); cleared when full."""


class FieldError(ValueError):
    """One field of one row is unusable: `field` names it, `reason` says why in plain words."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _kind_of(value: object) -> str:
    return {"dict": "an object", "list": "a list", "bool": "true/false"}.get(
        type(value).__name__, type(value).__name__
    )


def _text(value: object, field: str) -> str:
    """Free text: strings as they are, numbers as written, nothing else."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _number_text(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise FieldError(field, f"expected text, got {_kind_of(value)}")


def _number_text(value: float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _optional(value: object, field: str) -> str | None:
    """Optional text: stripped, None when empty."""
    text = (value if type(value) is str else _text(value, field)).strip()
    return text or None


def _id(value: object) -> str:
    text = (value if type(value) is str else _text(value, "id")).strip()
    if not text:
        raise FieldError("id", "missing id")
    return text


def parse_number(value: object, field: str) -> float | None:
    """A non-negative amount: "1,200.50", "$1200", 1200 -> 1200.5 / 1200.0; empty -> None."""
    if type(value) is str:
        text = value.strip()
        if not text or text.lower() in EMPTY_VALUES:
            return None
        try:
            number = float(text)
        except ValueError:
            number = _lenient_number(text, field)
        else:
            if "_" in text:
                raise FieldError(field, f"not a number: {text!r}")
    elif value is None:
        return None
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        try:
            number = float(value)
        except (OverflowError, ValueError):
            raise FieldError(field, f"not a usable number: {value!r:.40}") from None
    else:
        raise FieldError(field, f"expected a number, got {_kind_of(value)}")
    if not math.isfinite(number):
        raise FieldError(field, f"not a finite number: {value!r}")
    if number < 0:
        raise FieldError(field, f"negative amount: {value!r}")
    return number + 0.0


def _lenient_number(text: str, field: str) -> float:
    """Numbers as people type them: a leading '$' or 'USD', commas between groups of three digits."""
    body = text.removeprefix("$").removeprefix("USD").removeprefix("US$").strip()
    if "," in body:
        whole, dot, fraction = body.partition(".")
        groups = whole.lstrip("+-").split(",")
        if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            body = whole.replace(",", "") + dot + fraction
    if "_" in body:
        raise FieldError(field, f"not a number: {text!r}")
    try:
        return float(body)
    except ValueError:
        return _locale_number(body, text, field)


def _locale_number(body: str, text: str, field: str) -> float:
    """A number in a locale form ("1.200,50", "1 200,5", "1,5"), read with babel."""
    from babel.numbers import NumberFormatError, parse_decimal

    for locale in _LOCALES:
        try:
            return float(parse_decimal(body, locale=locale, strict=True))
        except (NumberFormatError, ValueError):
            continue
    raise FieldError(field, f"not a number: {text!r}")


def parse_country(value: object, field: str) -> str | None:
    """An ISO alpha-2 code ("cn" -> "CN") or a common name ("Hong Kong" -> "HK"); empty -> None."""
    text = value if type(value) is str else _text(value, field)
    code = text.strip().upper()
    if len(code) == 2 and code in COUNTRIES:
        return code
    if not code or code.lower() in EMPTY_VALUES:
        return None
    found = country_code(text)
    if found is None:
        what = "country code" if len(code) <= 3 else "country"
        raise FieldError(field, f"unknown {what} {text.strip()!r}")
    return found


def parse_transport_mode(value: object) -> str | None:
    """One of sea, air, express, post, road (any case); empty -> None."""
    text = value if type(value) is str else _text(value, "transport_mode")
    mode = text.strip().lower()
    if mode in _MODES:
        return mode
    if not mode or mode in EMPTY_VALUES:
        return None
    raise FieldError(
        "transport_mode", f"unknown transport mode {text.strip()!r}: expected {', '.join(TRANSPORT_MODES)}"
    )


def parse_hs(value: object) -> str | None:
    """An HS code normalised ("293339" -> "2933.39"); empty -> None."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = _hs_from_number(value)
    else:
        text = value if type(value) is str else _text(value, "hs_code")
    code = _hs_seen.get(text, "")
    if code == "":
        if not text.strip() or text.strip().lower() in EMPTY_VALUES:
            return None
        code = normalise_hs(text)
        if len(_hs_seen) >= _CACHE_SIZE:
            _hs_seen.clear()
        _hs_seen[text] = code
    if code is None:
        raise FieldError(
            "hs_code", f"malformed HS code {text.strip()!r}: expected 4 to 10 digits, e.g. 2933.39"
        )
    return code


def _hs_from_number(value: float | Decimal) -> str:
    """An HS code a spreadsheet stored as a number, its zeros put back: 901 -> "0901", 2933.1 -> "2933.10"."""
    try:
        usable = math.isfinite(value) and value >= 0
    except (OverflowError, ValueError):
        usable = False
    if not usable:
        raise FieldError("hs_code", f"malformed HS code {value!r:.40}")
    whole, _, fraction = str(value).partition(".")
    if "e" in fraction.lower() or "e" in whole.lower():
        raise FieldError("hs_code", f"malformed HS code {value!r}")
    fraction = fraction.rstrip("0") if isinstance(value, float) and value.is_integer() else fraction
    whole = "0" * (len(whole) % 2) + whole
    return whole + ("." + fraction + "0" * (len(fraction) % 2) if fraction else "")


def parse_date(value: object, field: str = "date") -> str | None:
    """An ISO date "yyyy-mm-dd" (a following time is dropped); empty -> None."""
    if isinstance(value, _dt.date):
        return value.isoformat()[:10]
    text = value if type(value) is str else _text(value, field)
    known = _dates_seen.get(text)
    if known is not None:
        return known
    text = text.strip()
    if not text or text.lower() in EMPTY_VALUES:
        return None
    day = text[:10]
    if len(text) > 10 and text[10] not in "T ":
        day = ""
    digits = day[:4] + day[5:7] + day[8:]
    if len(day) == 10 and day[4] == "-" and day[7] == "-" and digits.isascii() and digits.isdigit():
        try:
            iso = _dt.date(int(day[:4]), int(day[5:7]), int(day[8:])).isoformat()
        except ValueError:
            pass
        else:
            if len(_dates_seen) >= _CACHE_SIZE:
                _dates_seen.clear()
            _dates_seen[value if type(value) is str else text] = iso
            return iso
    raise FieldError(field, f"not an ISO date (yyyy-mm-dd): {text!r}")


def parse_contacts(value: object) -> tuple[str, ...]:
    """Contacts split on ';', '|' or ', ' ("Wickr: chemx; Telegram @chemx" -> two contacts)."""
    if isinstance(value, (list, tuple)):
        return tuple(c for c in (_text(v, "contacts").strip() for v in value) if c)
    text = value if type(value) is str else _text(value, "contacts")
    parts = text.replace("|", ";").replace(", ", ";").split(";")
    return tuple(p for p in (p.strip() for p in parts) if p)


class _Issues:
    """Reads side fields, keeping each one that cannot be read as a FieldIssue instead of failing."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found: list[FieldIssue] = []

    def keep(self, field: str, value: object, exc: FieldError) -> None:
        shown = value if isinstance(value, str) else repr(value)
        self.found.append(FieldIssue(field, shown[:200], exc.reason))

    def text(self, value: object, field: str) -> str:
        try:
            return _text(value, field).strip()
        except FieldError as exc:
            self.keep(field, value, exc)
            return ""

    def optional(self, value: object, field: str) -> str | None:
        try:
            return _optional(value, field)
        except FieldError as exc:
            self.keep(field, value, exc)
            return None

    def number(self, value: object, field: str) -> float | None:
        try:
            return parse_number(value, field)
        except FieldError as exc:
            self.keep(field, value, exc)
            return None

    def country(self, value: object, field: str) -> str | None:
        try:
            return parse_country(value, field)
        except FieldError as exc:
            self.keep(field, value, exc)
            return None

    def call(self, fn: Callable[[object], _T], value: object, field: str, empty: _T) -> _T:
        try:
            return fn(value)
        except FieldError as exc:
            self.keep(field, value, exc)
            return empty


def _main_text(value: object, field: str, issues: _Issues) -> str:
    """The identifying text: strings as they are; another JSON value as its JSON text (an issue)."""
    if type(value) is str:
        return value
    try:
        return _text(value, field)
    except FieldError as exc:
        issues.keep(field, value, exc)
        return json.dumps(value, ensure_ascii=False, default=str)


def _record_id(value: object, line: int, has_text: bool, issues: _Issues) -> str:
    """The id; a record with text but no id gets ``line-N``; one with neither raises FieldError."""
    try:
        return _id(value)
    except FieldError as exc:
        if not has_text:
            raise FieldError("id", "no id and no text: nothing to screen") from None
        issues.keep("id", value if value is not None else "", exc)
        return f"line-{line}"


def declaration_from_row(row: Mapping[str, object], line: int) -> Declaration:
    """A Declaration; unreadable side fields become its `issues`. FieldError only with no id and no text."""
    get = row.get
    issues = _Issues()
    description = _main_text(get("description"), "description", issues)
    rid = _record_id(get("id"), line, bool(description.strip()), issues)
    text, number, country = issues.text, issues.number, issues.country
    return Declaration(  # positional: keywords cost a third of the construction time
        rid,
        line,
        issues.call(parse_date, get("date"), "date", None),
        Party(
            text(get("shipper_name"), "shipper_name"),
            text(get("shipper_address"), "shipper_address"),
            country(get("shipper_country"), "shipper_country"),
        ),
        Party(
            text(get("consignee_name"), "consignee_name"),
            text(get("consignee_address"), "consignee_address"),
            country(get("consignee_country"), "consignee_country"),
        ),
        issues.call(parse_hs, get("hs_code"), "hs_code", None),
        description,
        number(get("quantity"), "quantity"),
        issues.optional(get("unit"), "unit"),
        number(get("value_usd"), "value_usd"),
        issues.call(parse_transport_mode, get("transport_mode"), "transport_mode", None),
        issues.optional(get("port_of_loading"), "port_of_loading"),
        issues.optional(get("port_of_discharge"), "port_of_discharge"),
        tuple(issues.found),
    )


def listing_from_row(row: Mapping[str, object], line: int) -> Listing:
    """A Listing; unreadable side fields become its `issues`. FieldError only with no id and no text."""
    get = row.get
    issues = _Issues()
    title = _main_text(get("title"), "title", issues).strip()
    description = _main_text(get("description"), "description", issues)
    rid = _record_id(get("id"), line, bool(title or description.strip()), issues)
    return Listing(
        id=rid,
        line=line,
        title=title,
        description=description,
        seller=issues.text(get("seller"), "seller"),
        contacts=issues.call(parse_contacts, get("contacts"), "contacts", ()),
        price=issues.optional(get("price"), "price"),
        url=issues.optional(get("url"), "url"),
        captured_at=issues.optional(get("captured_at"), "captured_at"),
        issues=tuple(issues.found),
    )


def record_from_row(kind: Kind, row: Mapping[str, object], line: int) -> ScreenRecord:
    """A Declaration or a Listing, as `kind` says."""
    if kind == "declarations":
        return declaration_from_row(row, line)
    if kind == "listings":
        return listing_from_row(row, line)
    raise ValueError(f"unknown kind {kind!r}: expected declarations or listings")
