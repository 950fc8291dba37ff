"""Exports to other tools: FollowTheMoney (Aleph, OpenSanctions), STIX, MISP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def distinct_substances(incident: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The incident's identified substances once each, in order of first mention.

    A stored incident keeps one entry per mention (name, abbreviation, CAS RN), each with its evidence; an
    export states which substances the incident is about, so a substance named three ways appears once.
    """
    seen: dict[str, Mapping[str, Any]] = {}
    for s in incident.get("substances") or ():
        seen.setdefault(str(s["substance"]), s)
    return list(seen.values())
