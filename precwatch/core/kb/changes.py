"""What changed between two knowledge-base versions: the list re-screening runs on.

`diff(old, new)` compares two knowledge bases substance by substance (by id) and reports substances added
and removed, names added and removed, control statuses changed (per jurisdiction, with the new source and
effective date) and identifiers changed (CAS RN, structure, role). A substance whose status changed, or
that gained a name, may now match records that were screened clean: those are the ones to re-screen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import JURISDICTIONS, Substance


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One jurisdiction's status of one substance, before and after."""

    substance: str
    jurisdiction: str
    old: str
    new: str
    old_effective: str | None
    new_effective: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class NameChange:
    """Names one substance gained and lost (any language, abbreviations and slang included)."""

    substance: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """An identifying field (CAS RN, InChIKey, role, parent) that changed."""

    substance: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class KbDiff:
    """Every substance-level change from `old_version` to `new_version`."""

    old_version: str
    new_version: str
    added: tuple[tuple[str, str, str], ...]
    """(id, name, role) of each substance only in the new version."""
    removed: tuple[tuple[str, str, str], ...]
    names: tuple[NameChange, ...]
    statuses: tuple[StatusChange, ...]
    fields: tuple[FieldChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.names or self.statuses or self.fields)

    def rescreen_ids(self) -> tuple[str, ...]:
        """Substances whose matches or verdicts can differ under the new version."""
        ids = [a[0] for a in self.added] + [r[0] for r in self.removed]
        ids += [n.substance for n in self.names] + [s.substance for s in self.statuses]
        ids += [f.substance for f in self.fields]
        return tuple(dict.fromkeys(ids))

    def to_dict(self) -> dict[str, object]:
        """The JSON contract of `precwatch kb diff --format json`."""
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": [{"id": i, "name": n, "role": r} for i, n, r in self.added],
            "removed": [{"id": i, "name": n, "role": r} for i, n, r in self.removed],
            "names": [asdict(n) | {"added": list(n.added), "removed": list(n.removed)} for n in self.names],
            "statuses": [asdict(s) for s in self.statuses],
            "fields": [asdict(f) for f in self.fields],
            "rescreen": list(self.rescreen_ids()),
        }


def _names(s: Substance) -> set[str]:
    return {n for _, n in s.names.all()} | {s.preferred_name}


def diff(old: KnowledgeBase, new: KnowledgeBase) -> KbDiff:
    """Compare two knowledge bases entry by entry (matched by id), in the new version's order."""
    added = tuple((s.id, s.preferred_name, s.role) for s in new.substances if s.id not in old.by_id)
    removed = tuple((s.id, s.preferred_name, s.role) for s in old.substances if s.id not in new.by_id)
    names: list[NameChange] = []
    statuses: list[StatusChange] = []
    fields: list[FieldChange] = []
    for s in new.substances:
        before = old.by_id.get(s.id)
        if before is None:
            continue
        gained = sorted(_names(s) - _names(before))
        lost = sorted(_names(before) - _names(s))
        if gained or lost:
            names.append(NameChange(s.id, tuple(gained), tuple(lost)))
        for j in JURISDICTIONS:
            a, b = before.control(j), s.control(j)
            if (a.status, a.effective) != (b.status, b.effective):
                statuses.append(StatusChange(s.id, j, a.status, b.status, a.effective, b.effective, b.source))
        for field in ("cas", "inchikey", "role", "parent"):
            x, y = getattr(before, field), getattr(s, field)
            if x != y:
                fields.append(FieldChange(s.id, field, x, y))
    return KbDiff(old.version, new.version, added, removed, tuple(names), tuple(statuses), tuple(fields))


def version_key(version: str) -> tuple[int, ...]:
    """Sortable form of a version such as '2026.12.1' (non-numeric parts sort first)."""
    return tuple(int(p) for p in re.findall(r"\d+", version))


def changelog_between(old: KnowledgeBase, new: KnowledgeBase) -> list[Mapping[str, Any]]:
    """The new version's changelog entries after the old version, oldest first."""
    start = version_key(old.version)
    return [e for e in new.changelog if version_key(str(e.get("version", ""))) > start]
