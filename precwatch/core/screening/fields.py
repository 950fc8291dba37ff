"""Validate one raw row (canonical field name -> value) into a Declaration or Listing.

Readers rename columns first (`--map`); this module only checks and converts values, and says which
field is wrong when one is. It runs on every row, so each check is a cheap test before any slow path.

Values may be text (CSV), JSON scalars (JSONL) or Arrow scalars (Parquet: ints, floats, Decimals,
dates). Rules:
  - ``id`` is required and non-empty (an integral number is read as its digits);
  - ``quantity`` and ``value_usd``: "1200", "1,200.50", "$1,200", numbers; empty is None; negative,
    non-finite or not a number is an error (commas are thousands separators only: "1,5" is refused);
  - countries: an ISO 3166-1 alpha-2 code in any case, or a common country name ("Hong Kong", "USA");
    empty is None;
  - ``transport_mode``: one of sea, air, express, post, road (any case); empty is None;
  - ``hs_code``: 4 to 10 digits with optional dots ("2933.39", "293339", "2933.39.99"); an HS code given
    as a number gets back the leading zero a spreadsheet dropped (901 -> 0901);
  - ``date``: ISO yyyy-mm-dd (a time after it is dropped); empty is None;
  - ``contacts``: split on ";", "|" or ", " (a JSON list is taken as is).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from decimal import Decimal

from precwatch.core.countries import COUNTRIES, country_code
from precwatch.core.kb.identifiers import normalise_hs
from precwatch.core.screening.records import TRANSPORT_MODES, Declaration, Kind, Listing, Party, ScreenRecord

_MODES = frozenset(TRANSPORT_MODES)
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
        if not text:
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
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise FieldError(
                field, f"not a number: {text!r} (use ',' only between thousands, '.' for decimals)"
            )
        body = whole.replace(",", "") + dot + fraction
    if "_" in body:
        raise FieldError(field, f"not a number: {text!r}")
    try:
        return float(body)
    except ValueError:
        raise FieldError(field, f"not a number: {text!r}") from None


def parse_country(value: object, field: str) -> str | None:
    """An ISO alpha-2 code ("cn" -> "CN") or a common name ("Hong Kong" -> "HK"); empty -> None."""
    text = value if type(value) is str else _text(value, field)
    code = text.strip().upper()
    if len(code) == 2 and code in COUNTRIES:
        return code
    if not code:
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
    if not mode:
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
        if not text.strip():
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
    if not text:
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


def declaration_from_row(row: Mapping[str, object], line: int) -> Declaration:
    """A validated Declaration, or FieldError naming the first unusable field."""
    get = row.get
    return Declaration(  # positional: keywords cost a third of the construction time
        _id(get("id")),
        line,
        parse_date(get("date")),
        Party(
            _text(get("shipper_name"), "shipper_name").strip(),
            _text(get("shipper_address"), "shipper_address").strip(),
            parse_country(get("shipper_country"), "shipper_country"),
        ),
        Party(
            _text(get("consignee_name"), "consignee_name").strip(),
            _text(get("consignee_address"), "consignee_address").strip(),
            parse_country(get("consignee_country"), "consignee_country"),
        ),
        parse_hs(get("hs_code")),
        _text(get("description"), "description"),
        parse_number(get("quantity"), "quantity"),
        _optional(get("unit"), "unit"),
        parse_number(get("value_usd"), "value_usd"),
        parse_transport_mode(get("transport_mode")),
        _optional(get("port_of_loading"), "port_of_loading"),
        _optional(get("port_of_discharge"), "port_of_discharge"),
    )


def listing_from_row(row: Mapping[str, object], line: int) -> Listing:
    """A validated Listing, or FieldError naming the first unusable field."""
    get = row.get
    return Listing(
        id=_id(get("id")),
        line=line,
        title=_text(get("title"), "title").strip(),
        description=_text(get("description"), "description"),
        seller=_text(get("seller"), "seller").strip(),
        contacts=parse_contacts(get("contacts")),
        price=_optional(get("price"), "price"),
        url=_optional(get("url"), "url"),
        captured_at=_optional(get("captured_at"), "captured_at"),
    )


def record_from_row(kind: Kind, row: Mapping[str, object], line: int) -> ScreenRecord:
    """A Declaration or a Listing, as `kind` says."""
    if kind == "declarations":
        return declaration_from_row(row, line)
    if kind == "listings":
        return listing_from_row(row, line)
    raise ValueError(f"unknown kind {kind!r}: expected declarations or listings")
