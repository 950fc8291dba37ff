"""What a pre-export notification says, validated: parties, substances from the KB, quantity, route, sharing.

`validate_notification(data, kb)` checks a create body and returns it normalised, or raises
`NotificationError` naming the field (`substances[1].substance`, `importer.country` ...). Substances are given
as a KB id, CAS RN, InChIKey or name and resolved against the knowledge base; a substance the knowledge base
does not know is refused (a notification is about scheduled chemicals, so an unknown one is a typo or a
chemical that needs no notification).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, get_args

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.incidents import (
    UNITS,
    IncidentError,
    _choice,
    _country,
    _date,
    _ids,
    _list,
    _text,
)
from precwatch.core.sharing.tlp import TLP_LEVELS

Transport = Literal["sea", "air", "road", "rail", "post", "courier", "multimodal"]
TRANSPORTS: tuple[Transport, ...] = get_args(Transport)

FIELDS = (
    "reference", "exporter", "importer", "consignee", "substances", "point_of_entry", "dispatch_on",
    "transport", "response_days", "notes", "tlp", "shared_with_orgs", "shared_with_users",
)  # fmt: skip
"""The fields a client sets; the hub adds id, owner, state, version, deadline and timestamps."""
MAX_SUBSTANCES = 50
MAX_RESPONSE_DAYS = 180


class NotificationError(IncidentError):
    """Invalid notification data; `field` is the path of the offending field."""


def _party(value: Any, where: str, *, required: bool) -> dict[str, Any] | None:
    if value is None and not required:
        return None
    if not isinstance(value, Mapping):
        raise NotificationError(where, "must be an object with name, country and address")
    unknown = set(value) - {"name", "country", "address"}
    if unknown:
        raise NotificationError(where, f"unknown fields {sorted(unknown)}")
    return {
        "name": _text(value, "name", where + ".", required=True),
        "country": _country(value.get("country"), where + ".country"),
        "address": _text(value, "address", where + ".", limit=1_000),
    }


def _substance(value: Any, where: str, kb: KnowledgeBase) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise NotificationError(where, "must be an object with substance, quantity and unit")
    unknown = set(value) - {"substance", "quantity", "unit"}
    if unknown:
        raise NotificationError(where, f"unknown fields {sorted(unknown)}")
    given = _text(value, "substance", where + ".", required=True) or ""
    found = kb.lookup(given)
    if found is None:
        raise NotificationError(
            where + ".substance", f"{given!r} is not a knowledge-base substance (give its id, CAS RN or name)"
        )
    quantity = value.get("quantity")
    number = float(quantity) if isinstance(quantity, int | float) and not isinstance(quantity, bool) else None
    if number is None or not math.isfinite(number) or number <= 0 or number > 1e12:
        raise NotificationError(where + ".quantity", f"must be a positive number, got {quantity!r}")
    return {
        "substance": found.id,
        "name": found.preferred_name,
        "cas": found.cas,
        "given": given,
        "quantity": number,
        "unit": _choice(value.get("unit"), UNITS, where + ".unit"),
    }


def _point_of_entry(value: Any, importer_country: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise NotificationError("point_of_entry", "must be an object with port (and country)")
    unknown = set(value) - {"country", "port"}
    if unknown:
        raise NotificationError("point_of_entry", f"unknown fields {sorted(unknown)}")
    country = value.get("country")
    return {
        "country": importer_country if country is None else _country(country, "point_of_entry.country"),
        "port": _text(value, "port", "point_of_entry.", required=True),
    }


def _response_days(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RESPONSE_DAYS:
        raise NotificationError("response_days", f"must be a whole number from 1 to {MAX_RESPONSE_DAYS}")
    return value


def validate_notification(
    data: Mapping[str, Any], kb: KnowledgeBase, *, default_response_days: int
) -> dict[str, Any]:
    """A normalised copy of a notification body, or `NotificationError` naming the first bad field.

    Substances are resolved to KB entries (`substance` the KB id, `name`, `cas`, `given` as written);
    countries upper-case; `tlp` defaults to `amber`; `response_days` to `default_response_days`. The sharing
    rules are the incidents' (red: users; amber: organisations; clear/green: nobody named), and the importing
    country's organisations always see a non-red notification.
    """
    try:
        return _validate(data, kb, default_response_days)
    except NotificationError:
        raise
    except IncidentError as exc:  # the helpers shared with incidents raise the incidents' error
        raise NotificationError(exc.field, exc.message) from None


def _validate(data: Mapping[str, Any], kb: KnowledgeBase, default_response_days: int) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise NotificationError(sorted(unknown)[0], f"unknown field (allowed: {', '.join(FIELDS)})")
    importer = _party(data.get("importer"), "importer", required=True)
    assert importer is not None
    substances = _list(data, "substances", "")
    if not substances:
        raise NotificationError("substances", "at least one substance is required")
    if len(substances) > MAX_SUBSTANCES:
        raise NotificationError("substances", f"at most {MAX_SUBSTANCES} substances")
    out: dict[str, Any] = {
        "reference": _text(data, "reference", "", limit=200),
        "exporter": _party(data.get("exporter"), "exporter", required=True),
        "importer": importer,
        "consignee": _party(data.get("consignee"), "consignee", required=False),
        "substances": [_substance(s, f"substances[{i}]", kb) for i, s in enumerate(substances)],
        "point_of_entry": _point_of_entry(data.get("point_of_entry"), importer["country"]),
        "dispatch_on": _date(data, "dispatch_on", required=True),
        "transport": _choice(data.get("transport"), TRANSPORTS, "transport"),
        "response_days": _response_days(data.get("response_days"), default_response_days),
        "notes": _text(data, "notes", "", limit=5_000),
        "tlp": _choice(data.get("tlp", "amber"), TLP_LEVELS, "tlp"),
        "shared_with_orgs": _ids(data, "shared_with_orgs"),
        "shared_with_users": _ids(data, "shared_with_users"),
    }
    if out["tlp"] == "red" and out["shared_with_orgs"]:
        raise NotificationError(
            "shared_with_orgs", "red records are shared with named users, not organisations"
        )
    if out["tlp"] != "red" and out["shared_with_users"]:
        raise NotificationError("shared_with_users", "only red records are shared with named users")
    if out["tlp"] in ("clear", "green") and out["shared_with_orgs"]:
        raise NotificationError("shared_with_orgs", f"{out['tlp']} records are visible to every organisation")
    return out
