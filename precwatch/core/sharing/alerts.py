"""Watch rules: what a user subscribes to, and whether a record (as that user may see it) matches.

A user watches a substance, a country, a party or free text. Each new or changed record the user may see is
matched against the user's rules on the record *as the user sees it* (owner-only values redacted), so an
alert never says more than the record itself would. Each rule kind is a function whose docstring is the
explanation shown with the alert.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from precwatch.core.countries import country_code
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.parties.companies import normalise_name
from precwatch.core.parties.contacts import normalise_email, normalise_phone
from precwatch.core.sharing.incidents import normalise_search, route_countries, search_text
from precwatch.core.sharing.tlp import REDACTED

WatchKind = Literal["substance", "country", "party", "text"]
WATCH_KINDS: tuple[WatchKind, ...] = get_args(WatchKind)

AlertKind = Literal["watch", "owner-notice", "rescreen"]
ALERT_KINDS: tuple[AlertKind, ...] = get_args(AlertKind)
"""`watch`: a record matched a watch rule; `owner-notice`: a partner's record you cannot see matched yours;
`rescreen`: a record would have matched under a new knowledge-base version."""

MAX_VALUE = 300


class WatchRuleError(ValueError):
    """A watch rule that cannot be used; `field` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class WatchRule:
    """A subscription: `kind` and `value` as the user gave them, `key` the normalised form matched on."""

    id: int
    user_id: int
    kind: WatchKind
    value: str
    key: str


def normalise_rule(kind: str, value: str, *, kb: KnowledgeBase) -> str:
    """The key a rule of `kind` matches on: a KB id for a substance (given by id, CAS RN or name), an ISO
    alpha-2 code for a country (code or name), `tel:`/`email:`/`name:` for a party, normalised words for
    text. Raises `WatchRuleError` when the value cannot be used."""
    if kind not in WATCH_KINDS:
        raise WatchRuleError("kind", f"must be one of {', '.join(WATCH_KINDS)}; got {kind!r}")
    value = value.strip()
    if not value or len(value) > MAX_VALUE or "\x00" in value:
        raise WatchRuleError("value", f"must be 1 to {MAX_VALUE} characters of text")
    if kind == "substance":
        found = kb.lookup(value)
        if found is None:
            raise WatchRuleError(
                "value", f"no knowledge-base substance {value!r} (give an id, CAS RN or name)"
            )
        return found.id
    if kind == "country":
        code = country_code(value)
        if code is None:
            raise WatchRuleError("value", f"not a country: {value!r}")
        return code
    if kind == "party":
        return _party_key(value)
    words = normalise_search(value).split()
    if not words:
        raise WatchRuleError("value", "has no words to search for")
    return " ".join(words)


def _party_key(value: str) -> str:
    if "@" in value and (email := normalise_email(value)):
        return f"email:{email}"
    digits = sum(c.isdigit() for c in value)
    if digits >= 7 and digits >= len(value.replace(" ", "")) // 2 and (phone := normalise_phone(value)):
        return f"tel:{phone}"
    words = normalise_name(value).words
    if not words:
        raise WatchRuleError("value", f"no name, phone or e-mail in {value!r}")
    return "name:" + " ".join(words)


def substance_rule(rule: WatchRule, record: Mapping[str, Any]) -> bool:
    """The record names the watched knowledge-base substance (however it was written: name, CAS RN, a
    salt, a masked form or a class member)."""
    return any(s.get("substance") == rule.key for s in record.get("substances") or ())


def country_rule(rule: WatchRule, record: Mapping[str, Any]) -> bool:
    """The record happened in the watched country or has it on its route (origin, transit, destination)."""
    return rule.key in route_countries(record)


def party_rule(rule: WatchRule, record: Mapping[str, Any]) -> bool:
    """A party of the record has the watched phone (as E.164) or e-mail, or a name containing every
    watched word (legal forms stripped, as the watchlist compares names). Redacted values never match."""
    kind, _, key = rule.key.partition(":")
    region = record.get("country")
    for party in record.get("parties") or ():
        if kind == "tel":
            phones = [p for p in party.get("phones") or () if p != REDACTED]
            if any((normalise_phone(p, region) or normalise_phone(p)) == key for p in phones):
                return True
        elif kind == "email":
            if any(normalise_email(e) == key for e in party.get("emails") or () if e != REDACTED):
                return True
        elif (
            kind == "name"
            and party.get("name")
            and party["name"] != REDACTED
            and set(key.split()) <= set(normalise_name(str(party["name"])).words)
        ):
            return True
    return False


def text_rule(rule: WatchRule, record: Mapping[str, Any]) -> bool:
    """Every watched word occurs in the record's text as you may see it (case and accents ignored)."""
    text = search_text(record, owner=True)  # the record is already redacted for the subscriber
    return all(f" {w} " in text for w in rule.key.split())


MATCHERS: dict[str, Callable[[WatchRule, Mapping[str, Any]], bool]] = {
    "substance": substance_rule,
    "country": country_rule,
    "party": party_rule,
    "text": text_rule,
}
"""The matcher of each rule kind (its docstring is the explanation shown with an alert)."""


def exact_keys(record: Mapping[str, Any]) -> dict[str, set[str]]:
    """The rule keys the record can match exactly, by kind: its substances, its route countries, and its
    parties' phones (E.164, read with and without the record's country) and e-mails as `tel:`/`email:` keys.

    A rule of these kinds whose key is not here cannot match the record, so the hub loads only those rules
    (plus every party-name and text rule, which match on words). Computed on the full record: redaction only
    removes values, so the record as any subscriber sees it matches a subset of these keys.
    """
    region = record.get("country")
    party_keys: set[str] = set()
    for party in record.get("parties") or ():
        for phone in party.get("phones") or ():
            if phone != REDACTED:
                party_keys.update(
                    f"tel:{p}" for p in (normalise_phone(phone, region), normalise_phone(phone)) if p
                )
        for email in party.get("emails") or ():
            if email != REDACTED and (key := normalise_email(email)):
                party_keys.add(f"email:{key}")
    return {
        "substance": {str(s["substance"]) for s in record.get("substances") or () if s.get("substance")},
        "country": set(route_countries(record)),
        "party": party_keys,
    }


def matches(rule: WatchRule, record_as_seen: Mapping[str, Any]) -> bool:
    """True when `record_as_seen` (already redacted for the rule's user) matches the rule."""
    return MATCHERS[rule.kind](rule, record_as_seen)


def watch_message(rule: WatchRule, record_label: str, *, created: bool) -> str:
    """The alert text for a record matching a rule."""
    what = "New" if created else "Updated"
    return f"{what} {record_label} matches your watch rule {rule.kind} {rule.value!r}."


def rescreen_message(substance_name: str, record_label: str, *, version: str) -> str:
    """The alert text for a stored record that would have matched under a new knowledge-base version."""
    return f"Your visible {record_label} would have matched {substance_name} under KB v{version}."
