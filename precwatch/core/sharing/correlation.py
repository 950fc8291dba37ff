"""Correlation across agencies on normalised keys, kept quiet by a warninglist and a fan-out cap.

A record (an incident, later a pre-export notification) is reduced to keys: its parties' keys
(`precwatch.core.parties.keys`), the knowledge-base substances identified in it and its route. Two records
are correlated when they share a key, unless the key is

- on the warninglist (`Warninglist`): values so common they link everything (solvents, DHL, a marketplace's
  support address, test numbers); or
- held by more than `FAN_OUT_CAP` stored records: a key that links hundreds of records says nothing about
  any two of them (MISP's 150 million correlations came from such values).

Who learns what:
- a correlation is shown to a viewer only when the viewer may see both records AND the key's field in each
  (a phone marked owner-only links the records only for the owner organisation);
- when the author of a new record may not see the matching record, the matching record's OWNER is told
  (`owner_notice_message`): "a partner reported a matching phone number", without the partner's record,
  organisation or values; the owner decides whether to share. The author learns nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from precwatch.core.parties.companies import normalise_name, token_class
from precwatch.core.parties.contacts import extract_contacts, normalise_email, normalise_phone
from precwatch.core.parties.keys import party_keys, rule_for
from precwatch.core.sharing.tlp import RecordAcl, Viewer, can_view, sees_owner_only

FAN_OUT_CAP = 50
"""A key held by more stored records than this links none of them (it is reported as capped)."""

KIND_LABELS = {
    "company": "company name",
    "person": "person's name",
    "tel": "phone number",
    "email": "e-mail address",
    "telegram": "Telegram handle",
    "wechat": "WeChat id",
    "wickr": "Wickr id",
    "signal": "Signal id",
    "btc": "bitcoin wallet",
    "eth": "Ethereum wallet",
    "tron": "TRON wallet",
    "address": "address",
    "substance": "substance",
    "route": "route",
}
"""How each key kind is named to an analyst."""


@dataclass(frozen=True, slots=True, order=True)
class RecordKey:
    """One correlation key of a record. `public` is False when the value comes from a field the owner marked
    owner-only (then only the owner organisation's users are linked through it)."""

    kind: str
    value: str
    public: bool = True

    @property
    def key(self) -> str:
        """`kind:value`, the string stored and compared."""
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True, slots=True)
class WarningEntry:
    """A ubiquitous value: `kind` and either an exact (normalised) `value` or a regular expression `pattern`
    over the normalised value; `reason` and `source` say why it is listed."""

    kind: str
    reason: str
    source: str
    value: str | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Warninglist:
    """Values never correlated on, by kind."""

    entries: tuple[WarningEntry, ...] = ()
    _exact: dict[str, WarningEntry] = field(init=False, repr=False, compare=False)
    _patterns: tuple[tuple[str, re.Pattern[str], WarningEntry], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        exact = {f"{e.kind}:{e.value}": e for e in self.entries if e.value is not None}
        patterns = tuple((e.kind, re.compile(e.pattern), e) for e in self.entries if e.pattern is not None)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_patterns", patterns)

    def _company_branch(self, value: str) -> WarningEntry | None:
        """A listed company's local branch ("DHL Express Mexico"): the listed words plus only places and
        business words."""
        words = set(value.split())
        for entry in self.entries:
            if entry.kind != "company" or entry.value is None:
                continue
            listed = set(entry.value.split())
            if listed <= words and all(token_class(w) != "word" for w in words - listed):
                return entry
        return None

    def match(self, kind: str, value: str) -> WarningEntry | None:
        """The entry that lists this value, or None."""
        found = self._exact.get(f"{kind}:{value}")
        if found is not None:
            return found
        if kind == "company":
            found = self._company_branch(value)
            if found is not None:
                return found
        for k, pattern, entry in self._patterns:
            if k == kind and pattern.fullmatch(value):
                return entry
        return None


def normalise_value(kind: str, raw: str, *, region: str | None = None) -> str | None:
    """A raw value (as a warninglist or a watch rule writes it) normalised as keys of `kind` are; None when
    it does not read as that kind (an invalid phone number)."""
    raw = raw.strip()
    if kind in ("company", "person"):
        return normalise_name(raw).key or None
    if kind == "tel":
        return normalise_phone(raw, region)
    if kind == "email":
        return normalise_email(raw)
    if kind == "address":
        found = party_keys({"addresses": [raw]})
        return found[0].value if found else None
    if kind in ("btc", "eth", "tron"):
        return raw
    return raw.lower() or None


def _hidden(incident: Mapping[str, Any], party: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(f) for f in (*(incident.get("owner_only") or ()), *(party.get("owner_only") or ())))


def substance_keys(incident: Mapping[str, Any]) -> list[RecordKey]:
    """Same substance: both records name the same knowledge-base substance (by CAS RN, name, structure or a
    class rule's parent), however each wrote it."""
    ids = sorted({str(s["substance"]) for s in incident.get("substances") or () if s.get("substance")})
    return [RecordKey("substance", i) for i in ids]


def _place(place: Mapping[str, Any] | None) -> str | None:
    if not place or not place.get("country"):
        return None
    port = " ".join(
        "".join(c if c.isalnum() else " " for c in str(place.get("port") or "").casefold()).split()
    )
    return f"{place['country']} {port}".strip()


def route_keys(incident: Mapping[str, Any]) -> list[RecordKey]:
    """Same route: the same origin and destination, with at least one port named ("CN shanghai > MX
    manzanillo"). Country pairs alone (CN > MX) are the trade lane itself and would link everything."""
    route = incident.get("route") or {}
    origin, destination = route.get("origin"), route.get("destination")
    a, b = _place(origin), _place(destination)
    if a is None or b is None or not ((origin or {}).get("port") or (destination or {}).get("port")):
        return []
    return [RecordKey("route", f"{a} > {b}")]


def narrative_keys(incident: Mapping[str, Any]) -> list[RecordKey]:
    """Same contact written in the narrative: a phone, e-mail, messenger handle or wallet an analyst quoted
    in free text ("the buyer's WeChat is abc123") links like a party's field."""
    region = incident.get("country")
    kinds = {"phone": "tel", "whatsapp": "tel", "email": "email"}
    out = []
    for contact in extract_contacts(str(incident.get("narrative") or ""), region=region):
        if contact.kind == "url":
            continue
        kind = "tel" if contact.value.startswith("+") else kinds.get(contact.kind, contact.kind)
        out.append(RecordKey(kind, contact.value))
    return out


def record_keys(incident: Mapping[str, Any], *, warninglist: Warninglist | None = None) -> list[RecordKey]:
    """Every correlation key of an incident (as its owner stores it), warninglisted values removed, distinct
    and sorted. A key read from both an owner-only and a shared field is public."""
    region = incident.get("country")
    found: dict[str, RecordKey] = {}

    def add(key: RecordKey) -> None:
        if warninglist is not None and warninglist.match(key.kind, key.value):
            return
        old = found.get(key.key)
        found[key.key] = key if old is None or key.public else old

    for party in incident.get("parties") or ():
        hidden = _hidden(incident, party)
        for pk in party_keys(party, region=region):
            secret = pk.field in hidden and not (pk.field == "name" and party.get("kind") == "company")
            add(RecordKey(pk.kind, pk.value, public=not secret))
    for key in (*substance_keys(incident), *route_keys(incident), *narrative_keys(incident)):
        add(key)
    return sorted(found.values())


def capped(counts: Mapping[str, int], *, cap: int = FAN_OUT_CAP) -> frozenset[str]:
    """The keys held by more than `cap` stored records (not correlated on)."""
    return frozenset(k for k, n in counts.items() if n > cap)


def link_visible(
    viewer: Viewer, *, this: RecordAcl, this_public: bool, other: RecordAcl, other_public: bool
) -> bool:
    """A link on one key is shown to `viewer` only when the viewer may see both records and the key's field
    in each (an owner-only field counts for the owner organisation only)."""
    if not (can_view(viewer, this) and can_view(viewer, other)):
        return False
    return (this_public or sees_owner_only(viewer, this)) and (other_public or sees_owner_only(viewer, other))


def needs_owner_notice(author: Viewer, other: RecordAcl) -> bool:
    """The owner of a matching record is told when the author of the new record may not see it (and is of
    another organisation: an organisation's own records link in plain sight)."""
    return author.org_id != other.owner_org_id and not can_view(author, other)


def owner_notice_message(kinds: Iterable[str], record_label: str) -> str:
    """The notice to the owner: which kinds of key matched their record, nothing about the partner's."""
    names = sorted({KIND_LABELS.get(k, k) for k in kinds})
    what = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    article = "an" if what[0] in "aeiou" else "a"
    return (
        f"A partner reported {article} matching {what} to your {record_label}. The partner cannot see your "
        "record and was told nothing; widen its sharing if you want partners to see the link."
    )


def explain(kind: str) -> str:
    """The explanation shown to an analyst for a link on a key of `kind` (the key rule's docstring)."""
    rule: Any
    if kind == "substance":
        rule = substance_keys
    elif kind == "route":
        rule = route_keys
    else:
        try:
            rule = rule_for(kind)
        except KeyError:
            rule = narrative_keys
    return " ".join((rule.__doc__ or "").split())
