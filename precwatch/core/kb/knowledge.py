"""The knowledge base: an immutable, versioned set of substances with indexes by id, CAS, InChIKey, name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

from rapidfuzz import fuzz, process

from precwatch.core.kb.identifiers import is_valid_cas
from precwatch.core.kb.substance import JURISDICTIONS, ROLES, Control, Names, Substance
from precwatch.core.normalise import name_key

T = TypeVar("T")


class KnowledgeBaseError(ValueError):
    """The knowledge-base data is malformed (names the entry and field)."""


class KnowledgeBase:
    """Substances plus lookup indexes. Build once, share freely: nothing in it changes."""

    def __init__(
        self,
        version: str,
        substances: Iterable[Substance],
        *,
        released: str | None = None,
        changelog: tuple[Mapping[str, Any], ...] = (),
    ) -> None:
        self.version = version
        self.released = released
        """The date this version was released (from its changelog entry), if recorded."""
        self.changelog = changelog
        """The dated changelog entries up to this version (version, date, summary, changes), oldest first."""
        self.substances: tuple[Substance, ...] = tuple(substances)
        self._derived: dict[str, object] = {}
        self.by_id: dict[str, Substance] = {}
        self.by_cas: dict[str, Substance] = {}
        self.by_inchikey: dict[str, Substance] = {}
        self.by_name: dict[str, list[Substance]] = {}
        for s in self.substances:
            if s.id in self.by_id:
                raise KnowledgeBaseError(f"duplicate substance id {s.id!r}")
            self.by_id[s.id] = s
            if s.cas:
                self.by_cas[s.cas] = s
            if s.inchikey:
                self.by_inchikey[s.inchikey] = s
            for _, n in (("preferred", s.preferred_name), *s.names.all()):
                bucket = self.by_name.setdefault(name_key(n), [])
                if s not in bucket:
                    bucket.append(s)

    def __len__(self) -> int:
        return len(self.substances)

    def parent(self, s: Substance) -> Substance:
        """The listed substance a salt row belongs to (the substance itself otherwise)."""
        return self.by_id[s.parent] if s.parent else s

    def lookup(self, query: str) -> Substance | None:
        """Find one substance by id, CAS RN, InChIKey or exact name (any language, any spacing)."""
        q = query.strip()
        found = (
            self.by_id.get(q) or self.by_id.get(q.lower()) or self.by_cas.get(q) or self.by_inchikey.get(q)
        )
        if found:
            return found
        named = self.by_name.get(name_key(q))
        return named[0] if named else None

    def search(self, text: str, limit: int = 10) -> list[tuple[Substance, float, str]]:
        """Substances whose names contain or resemble `text`, best first, as (substance, score, why)."""
        q = name_key(text)
        if not q:
            return []
        found: dict[str, tuple[Substance, float, str]] = {}

        def add(s: Substance, score: float, why: str) -> None:
            if s.id not in found or found[s.id][1] < score:
                found[s.id] = (s, score, why)

        exact = self.lookup(text)
        if exact:
            add(exact, 100.0, "exact id, CAS, InChIKey or name")
        for key, subs in self.by_name.items():
            if q in key:
                for s in subs:
                    add(s, 60.0 + 39.0 * len(q) / len(key), f"name contains {text!r}")
        for key, score, _ in process.extract(
            q, list(self.by_name), scorer=fuzz.ratio, limit=limit, score_cutoff=70
        ):
            for s in self.by_name[key]:
                add(s, float(score) * 0.95, f"name resembles {text!r}")
        return sorted(found.values(), key=lambda t: -t[1])[:limit]

    def cas_blocks(self, blocks: str) -> list[Substance]:
        """Substances whose CAS RN starts with these whole blocks ("79099" or "79099-07")."""
        return [s for c, s in self.by_cas.items() if c == blocks or c.startswith(blocks + "-")]

    def derived(self, kind: str, build: Callable[[KnowledgeBase], T]) -> T:
        """A structure computed from this KB (an automaton, an index), built on first use and then shared.

        The layers above the KB own their indexes (`name_index(kb)` in `core.text.detectors`,
        `structure_index(kb)` in `core.structure.index` ...) and keep them here under `kind`, so the KB
        needs no knowledge of them. A KB never changes, so what is derived from it never goes stale.
        """
        try:
            return cast(T, self._derived[kind])
        except KeyError:
            value = self._derived[kind] = build(self)
            return value

    def problems(self) -> list[str]:
        """Data checks that need no chemistry toolkit: CAS check digits, parents, roles, sourced statuses."""
        out: list[str] = []
        for s in self.substances:
            where = f"{s.id}"
            if s.cas and not is_valid_cas(s.cas):
                out.append(f"{where}: CAS {s.cas} fails its check digit")
            if s.parent and s.parent not in self.by_id:
                out.append(f"{where}: parent {s.parent!r} is not in the knowledge base")
            if s.role not in ROLES:
                out.append(f"{where}: role {s.role!r} is not one of {', '.join(ROLES)}")
            if not s.smiles:
                out.append(f"{where}: no SMILES")
            for j in JURISDICTIONS:
                c = s.control(j)
                if c.is_known and not (c.source or "").strip():
                    out.append(f"{where}: {j} status {c.status!r} has no source")
            if not s.names.all():
                out.append(f"{where}: no names")
        return out

    @classmethod
    def from_data(cls, data: Mapping[str, Any], origin: str = "knowledge base") -> KnowledgeBase:
        """Build from the parsed bundled YAML (or any mapping of the same shape)."""
        try:
            version = str(data["version"])
            rows = data["substances"]
        except (KeyError, TypeError) as exc:
            raise KnowledgeBaseError(f"{origin}: missing top-level field {exc}") from exc
        changelog = tuple(e for e in (data.get("changelog") or ()) if isinstance(e, Mapping))
        released = data.get("released")
        return cls(
            version,
            (_substance(r, f"{origin}: substance #{i + 1}") for i, r in enumerate(rows)),
            released=str(released) if released else None,
            changelog=changelog,
        )


def _substance(row: Mapping[str, Any], where: str) -> Substance:
    try:
        names = row.get("names") or {}
        controls = tuple(
            Control(
                j,
                str(c.get("status") or "unknown"),
                str(c.get("detail") or ""),
                c.get("source"),
                str(c["effective"]) if c.get("effective") else None,
            )
            for j, c in (row.get("controls") or {}).items()
        )
        return Substance(
            id=str(row["id"]),
            preferred_name=str(row.get("name") or row["preferred_name"]),
            role=str(row["role"]),
            names=Names(
                en=tuple(names.get("en") or ()),
                zh=tuple(names.get("zh") or ()),
                es=tuple(names.get("es") or ()),
                abbreviations=tuple(names.get("abbreviations") or ()),
                slang=tuple(names.get("slang") or ()),
            ),
            controls=controls,
            cas=row.get("cas") or None,
            smiles=row.get("smiles") or None,
            inchikey=row.get("inchikey") or None,
            formula=row.get("formula") or None,
            hs_code=str(row["hs_code"]) if row.get("hs_code") else None,
            hs_note=str(row.get("hs_note") or ""),
            parent=row.get("parent") or None,
            role_detail=str(row.get("role_detail") or ""),
            sources=tuple(row.get("sources") or ()),
            confidence=str(row.get("confidence") or "medium"),
            notes=str(row.get("notes") or ""),
            name_sources=tuple((str(n), str(src)) for n, src in (row.get("name_sources") or {}).items()),
        )
    except KeyError as exc:
        raise KnowledgeBaseError(f"{where}: missing field {exc}") from exc
