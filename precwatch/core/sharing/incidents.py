"""Incidents as precursor units exchange them: validation, substance identification and search text.

An incident is a plain JSON-ready dict. `validate_incident(data)` checks a create or update body and
returns it normalised (every editable field present); errors name the field, e.g. `parties[1].emails[0]`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal, get_args

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.tlp import NOMINAL_FIELDS, REDACTED, TLP_LEVELS, redacted_party
from precwatch.core.text.identify import identify_text

IncidentType = Literal[
    "seizure", "stopped-shipment", "suspicious-order", "diversion-attempt", "illicit-lab", "online-offer"
]
INCIDENT_TYPES: tuple[IncidentType, ...] = get_args(IncidentType)
PARTY_KINDS = ("company", "person")
PARTY_ROLES = (
    "consignor", "consignee", "notify-party", "broker", "forwarder", "carrier", "manufacturer",
    "supplier", "buyer", "seller", "vendor", "payer", "payee", "operator", "other",
)  # fmt: skip
UNITS = ("mg", "g", "kg", "t", "mL", "L", "gal", "units", "drums", "packages")
"""Units of quantity; `units`/`drums`/`packages` count items when the mass or volume is unknown."""

EDITABLE_FIELDS = (
    "type", "occurred_on", "reported_on", "country", "place", "substances_text", "quantity", "unit",
    "concealment", "declared_cover", "route", "parties", "narrative", "tlp", "shared_with_orgs",
    "shared_with_users", "owner_only",
)  # fmt: skip
"""The fields a client sets; the store adds id, owner, version, substances, timestamps and retraction."""

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_TEXT = 20_000


class IncidentError(ValueError):
    """Invalid incident data; `field` is the path of the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _text(
    data: Mapping[str, Any], key: str, where: str, *, required: bool = False, limit: int = 500
) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise IncidentError(where + key, "is required")
        return None
    if not isinstance(value, str):
        raise IncidentError(where + key, f"must be text, got {type(value).__name__}")
    value = value.strip()
    if "\x00" in value:
        raise IncidentError(where + key, "contains a NUL character")
    if len(value) > limit:
        raise IncidentError(where + key, f"is longer than {limit} characters")
    return value or None


def _date(data: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise IncidentError(key, "is required")
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise IncidentError(key, f"must be a date YYYY-MM-DD, got {value!r}") from None


def _country(value: Any, where: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _COUNTRY.match(value.strip().upper()):
        raise IncidentError(where, f"must be an ISO 3166 alpha-2 country code, got {value!r}")
    return value.strip().upper()


def _choice(value: Any, choices: Iterable[str], where: str) -> str:
    options = tuple(choices)
    if value not in options:
        raise IncidentError(where, f"must be one of {', '.join(options)}; got {value!r}")
    return str(value)


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise IncidentError(where + key, "must be a list")
    return list(value)


def _ids(data: Mapping[str, Any], key: str) -> list[int]:
    out: list[int] = []
    for i, v in enumerate(_list(data, key, "")):
        if isinstance(v, bool) or not isinstance(v, int):
            raise IncidentError(f"{key}[{i}]", f"must be an integer id, got {v!r}")
        out.append(v)
    return sorted(set(out))


def _place(value: Any, where: str) -> dict[str, str | None]:
    if not isinstance(value, Mapping):
        raise IncidentError(where, "must be an object with country and port")
    unknown = set(value) - {"country", "port"}
    if unknown:
        raise IncidentError(where, f"unknown fields {sorted(unknown)}")
    return {
        "country": _country(value.get("country"), where + ".country"),
        "port": _text(value, "port", where + "."),
    }


def _route(value: Any) -> dict[str, Any]:
    if value is None:
        return {"origin": None, "transit": [], "destination": None}
    if not isinstance(value, Mapping):
        raise IncidentError("route", "must be an object with origin, transit and destination")
    unknown = set(value) - {"origin", "transit", "destination"}
    if unknown:
        raise IncidentError("route", f"unknown fields {sorted(unknown)}")
    origin, destination = value.get("origin"), value.get("destination")
    return {
        "origin": None if origin is None else _place(origin, "route.origin"),
        "transit": [
            _place(t, f"route.transit[{i}]") for i, t in enumerate(_list(value, "transit", "route."))
        ],
        "destination": None if destination is None else _place(destination, "route.destination"),
    }


def _party(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise IncidentError(where, "must be an object")
    allowed = {"kind", "role", "name", "addresses", "phones", "emails", "owner_only"}
    unknown = set(value) - allowed
    if unknown:
        raise IncidentError(where, f"unknown fields {sorted(unknown)}")
    party: dict[str, Any] = {
        "kind": _choice(value.get("kind"), PARTY_KINDS, where + ".kind"),
        "role": _choice(value.get("role", "other"), PARTY_ROLES, where + ".role"),
        "name": _text(value, "name", where + ".", required=True),
    }
    for key in ("addresses", "phones", "emails"):
        items = []
        for i, item in enumerate(_list(value, key, where + ".")):
            if not isinstance(item, str) or not item.strip() or "\x00" in item or len(item) > 500:
                raise IncidentError(
                    f"{where}.{key}[{i}]", "must be non-empty text (at most 500 characters, no NUL)"
                )
            if key == "emails" and not _EMAIL.match(item.strip()):
                raise IncidentError(f"{where}.{key}[{i}]", f"is not an e-mail address: {item!r}")
            items.append(item.strip())
        party[key] = items
    party["owner_only"] = _nominal(value, where + ".")
    return party


def _nominal(data: Mapping[str, Any], where: str) -> list[str]:
    fields = _list(data, "owner_only", where)
    for i, f in enumerate(fields):
        _choice(f, NOMINAL_FIELDS, f"{where}owner_only[{i}]")
    return sorted(set(fields))


def validate_incident(data: Mapping[str, Any]) -> dict[str, Any]:
    """A normalised copy of an incident body, or `IncidentError` naming the first bad field.

    Dates are ISO strings, countries upper-case, id lists sorted, absent fields None or empty. `tlp`
    defaults to `amber`. Red records are shared with users, amber ones with organisations; clear and
    green ones with everybody, so they name nobody.
    """
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise IncidentError(sorted(unknown)[0], f"unknown field (allowed: {', '.join(EDITABLE_FIELDS)})")
    out: dict[str, Any] = {
        "type": _choice(data.get("type"), INCIDENT_TYPES, "type"),
        "occurred_on": _date(data, "occurred_on", required=True),
        "reported_on": _date(data, "reported_on", required=False),
        "country": _country(data.get("country"), "country"),
        "place": _text(data, "place", ""),
        "substances_text": _text(data, "substances_text", "", limit=5_000),
        "quantity": data.get("quantity"),
        "unit": data.get("unit"),
        "concealment": _text(data, "concealment", "", limit=2_000),
        "declared_cover": _text(data, "declared_cover", "", limit=2_000),
        "route": _route(data.get("route")),
        "parties": [_party(p, f"parties[{i}]") for i, p in enumerate(_list(data, "parties", ""))],
        "narrative": _text(data, "narrative", "", limit=_MAX_TEXT),
        "tlp": _choice(data.get("tlp", "amber"), TLP_LEVELS, "tlp"),
        "shared_with_orgs": _ids(data, "shared_with_orgs"),
        "shared_with_users": _ids(data, "shared_with_users"),
        "owner_only": _nominal(data, ""),
    }
    if out["reported_on"] is not None and out["reported_on"] < out["occurred_on"]:
        raise IncidentError("reported_on", "is before occurred_on")
    _check_quantity(out)
    if out["tlp"] == "red" and out["shared_with_orgs"]:
        raise IncidentError("shared_with_orgs", "red records are shared with named users, not organisations")
    if out["tlp"] != "red" and out["shared_with_users"]:
        raise IncidentError("shared_with_users", "only red records are shared with named users")
    if out["tlp"] in ("clear", "green") and out["shared_with_orgs"]:
        raise IncidentError("shared_with_orgs", f"{out['tlp']} records are visible to every organisation")
    return out


def _check_quantity(out: dict[str, Any]) -> None:
    quantity, unit = out["quantity"], out["unit"]
    if quantity is None:
        if unit is not None:
            raise IncidentError("unit", "is given without a quantity")
        return
    try:
        value = (
            float(quantity) if isinstance(quantity, int | float) and not isinstance(quantity, bool) else None
        )
    except OverflowError:
        value = None
    if value is None or not math.isfinite(value) or value < 0:
        raise IncidentError("quantity", f"must be a finite non-negative number, got {quantity!r}")
    if unit is None:
        raise IncidentError("unit", "is required with a quantity")
    _choice(unit, UNITS, "unit")
    out["quantity"] = value


def identify_substances(text: str | None, kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The knowledge-base substances the core engine finds in `text`, each with its evidence.

    One entry per mention: `substance` (KB id), `name`, `cas`, `relation`, `class_id`, `method`, `text`,
    `start`, `end`, `confidence`, `evidence`.
    """
    if not text:
        return []
    keys = (
        "substance",
        "name",
        "cas",
        "relation",
        "class_id",
        "method",
        "text",
        "start",
        "end",
        "confidence",
    )
    out = []
    for m in identify_text(text, kb):
        d = m.to_dict()
        entry = {k: d[k] for k in keys}
        entry["evidence"] = m.evidence
        out.append(entry)
    return out


def substance_ids(substances: Iterable[Mapping[str, Any]]) -> list[str]:
    """The distinct KB ids of identified substances, sorted."""
    return sorted({str(s["substance"]) for s in substances})


def route_countries(incident: Mapping[str, Any]) -> list[str]:
    """The incident's country and every route country, distinct and sorted."""
    route = incident.get("route") or {}
    places = [route.get("origin"), *(route.get("transit") or ()), route.get("destination")]
    found = {p["country"] for p in places if p and p.get("country")}
    if incident.get("country"):
        found.add(incident["country"])
    return sorted(found)


def normalise_search(text: str) -> str:
    """Lower-case, accents stripped, every non-alphanumeric run one space, padded with one space each side.

    Both stored search text and queries go through this, so a SQL `LIKE '%word%'` needs no escaping
    (the result has no `%` or `_`).
    """
    folded = unicodedata.normalize("NFKD", text).casefold()  # compatibility forms first: "𝐀" -> "A" -> "a"
    decomposed = unicodedata.normalize("NFKD", folded)
    kept = decomposed.translate(_SEARCH_CHARS)
    return " " + " ".join(kept.split()) + " "


class _SearchChars(dict[int, str]):
    """`str.translate` table of `normalise_search`, filled as characters are met: a combining mark is
    dropped, a letter or digit kept, anything else becomes a space. One C-level look-up per character
    instead of two Unicode-database calls and a generator step in Python (the write path normalises every
    incident's text twice, for the owner and for partners). At most `LIMIT` characters are remembered;
    rarer ones are worked out each time, so memory stays bounded whatever the input."""

    LIMIT = 65_536

    def __missing__(self, code: int) -> str:
        c = chr(code)
        out = "" if unicodedata.combining(c) else c if c.isalnum() else " "
        if len(self) < self.LIMIT:
            self[code] = out
        return out


_SEARCH_CHARS = _SearchChars()


def visible_parties(incident: Mapping[str, Any], *, owner: bool) -> list[dict[str, Any]]:
    """The parties as the owner (`owner=True`) or as a partner (owner-only fields redacted) sees them."""
    parties = [dict(p) for p in incident.get("parties") or ()]
    if owner:
        return parties
    hidden = frozenset(str(f) for f in incident.get("owner_only") or ())
    return [redacted_party(p, hidden) for p in parties]


def party_names_text(incident: Mapping[str, Any], *, owner: bool) -> str:
    """Normalised party names (as owner or partner sees them), for the `party` filter; a redacted name is
    left out (`party=redacted` must not find every record with a hidden name)."""
    names = [
        p["name"] for p in visible_parties(incident, owner=owner) if p.get("name") not in (None, "", REDACTED)
    ]
    return normalise_search(" | ".join(names)) if names else " "


def search_text(incident: Mapping[str, Any], *, owner: bool) -> str:
    """Normalised full text of the incident as the owner or a partner sees it (redacted values left out)."""
    parts: list[str] = [
        incident.get("type") or "",
        incident.get("country") or "",
        incident.get("place") or "",
    ]
    parts += [
        incident.get(k) or "" for k in ("substances_text", "concealment", "declared_cover", "narrative")
    ]
    for s in incident.get("substances") or ():
        parts += [str(s.get("substance") or ""), str(s.get("name") or ""), str(s.get("cas") or "")]
    route = incident.get("route") or {}
    for p in [route.get("origin"), *(route.get("transit") or ()), route.get("destination")]:
        if p:
            parts += [p.get("country") or "", p.get("port") or ""]
    for party in visible_parties(incident, owner=owner):
        values = [party.get("name"), party.get("role"), *party.get("addresses", []), *party.get("phones", [])]
        values += party.get("emails", [])
        parts += [v for v in values if v and v != REDACTED]
    return normalise_search(" ".join(parts))
