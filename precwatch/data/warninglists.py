"""The bundled warninglist of ubiquitous values (`warninglists.yaml`), loaded into the core's `Warninglist`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from precwatch.core.sharing.correlation import WarningEntry, Warninglist, normalise_value
from precwatch.data import read_source

BUNDLED_WARNINGLIST = "warninglists.yaml"


class WarninglistError(ValueError):
    """The warninglist file is malformed; the message names the file and entry."""


def _entry(item: Any, where: str) -> WarningEntry:
    if not isinstance(item, dict):
        raise WarninglistError(f"{where}: must be a mapping")
    missing = [k for k in ("kind", "reason", "source") if not item.get(k)]
    if missing:
        raise WarninglistError(f"{where}: missing {', '.join(missing)}")
    if ("value" in item) == ("pattern" in item):
        raise WarninglistError(f"{where}: give exactly one of value and pattern")
    kind = str(item["kind"])
    value = None
    if "value" in item:
        value = normalise_value(kind, str(item["value"]))
        if value is None:
            raise WarninglistError(f"{where}: {item['value']!r} does not read as a {kind}")
    pattern = str(item["pattern"]) if "pattern" in item else None
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise WarninglistError(f"{where}: bad pattern: {exc}") from exc
    return WarningEntry(kind, str(item["reason"]), str(item["source"]), value=value, pattern=pattern)


@lru_cache(maxsize=4)
def load_warninglist(path: str | None = None) -> Warninglist:
    """The bundled warninglist, or one read from a YAML file of the same shape.

    Raises:
        WarninglistError: the file is unreadable or an entry is malformed.
    """
    text, origin = read_source(path, BUNDLED_WARNINGLIST, what="warninglist", error=WarninglistError)
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise WarninglistError(f"{origin}: expected a mapping with a list of entries")
    entries = tuple(_entry(item, f"{origin}: entries[{i}]") for i, item in enumerate(data["entries"]))
    return Warninglist(entries)
