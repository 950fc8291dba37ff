"""Normalised party keys: the values two records are correlated on, whatever way each was written.

MISP correlates identical strings, so "+86 155 0000 1234" and "15500001234" never meet. Here every party
value becomes a key `kind:value` that is equal exactly when the values are the same thing:

- a company name, legal forms stripped and words canonical as the watchlist matches them
  (`precwatch.core.parties.companies.normalise_name`): "HUBEI AMARVEL BIOTECH CO., LTD." and
  "Hubei Amarvel Bio-tech Company Limited" are both `company:amarvel biotech hubei`;
- a person's name the same way (word order free);
- a phone as E.164 (`tel:+8615500001234`), read in the record's country when written nationally;
- an e-mail, lower-cased and de-obfuscated;
- messenger handles (Telegram, WeChat, Wickr, Signal) and crypto wallets (checksums verified) found in the
  addresses or free text, as `precwatch.core.parties.contacts` reads them;
- a postal address, case, accents, punctuation and word order folded.

Each rule is a function in `KEY_RULES` whose docstring is the explanation shown to the analyst.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from precwatch.core.parties.companies import normalise_name
from precwatch.core.parties.contacts import extract_contacts, normalise_email, normalise_phone

KEY_KINDS = (
    "company", "person", "tel", "email", "telegram", "wechat", "wickr", "signal", "btc", "eth", "tron",
    "address",
)  # fmt: skip
"""Party key kinds (a key is `kind:value`)."""

MIN_NAME_CHARS = 4
"""A name key needs this many letters (after legal forms are stripped): "ABC Co." alone links nothing."""

MIN_ADDRESS_WORDS = 3
"""An address key needs this many words: "Shanghai" or "Room 5" is not an address."""


@dataclass(frozen=True, slots=True, order=True)
class PartyKey:
    """One normalised key of a party: `kind` (see `KEY_KINDS`), `value`, and the nominal field it came from
    (`name`, `phones`, `emails`, `addresses`: what redaction hides), so a key read from an owner-only field
    is never used to link the record for someone who may not see that field."""

    kind: str
    value: str
    field: str

    @property
    def key(self) -> str:
        """`kind:value`, the string stored and compared."""
        return f"{self.kind}:{self.value}"


def _name_value(name: str) -> str | None:
    value = normalise_name(name).key
    return value if sum(c.isalnum() for c in value) >= MIN_NAME_CHARS else None


def company_name(party: Mapping[str, Any], region: str | None) -> Iterator[PartyKey]:
    """Same company: the names are equal once legal forms ("Co., Ltd.", "GmbH", "有限公司") are stripped,
    business words brought to one spelling and Chinese read as pinyin, in any word order (the watchlist's
    normalisation). Very short names (under 4 letters) are not used."""
    if party.get("kind") == "company" and party.get("name") and (value := _name_value(str(party["name"]))):
        yield PartyKey("company", value, "name")


def person_name(party: Mapping[str, Any], region: str | None) -> Iterator[PartyKey]:
    """Same person's name: equal after case, accents and word order are folded ("LI Wei" = "Wei Li")."""
    if party.get("kind") == "person" and party.get("name") and (value := _name_value(str(party["name"]))):
        yield PartyKey("person", value, "name")


def phone_numbers(party: Mapping[str, Any], region: str | None) -> Iterator[PartyKey]:
    """Same phone number: both written numbers are the same E.164 number ("+86 155 0000 1234",
    "0086-155-0000-1234" and "15500001234" are one); national numbers are read in the record's country.
    Invalid numbers (wrong length for their country) are not used."""
    for raw in party.get("phones") or ():
        if value := normalise_phone(str(raw), region) or normalise_phone(str(raw)):
            yield PartyKey("tel", value, "phones")


def email_addresses(party: Mapping[str, Any], region: str | None) -> Iterator[PartyKey]:
    """Same e-mail address, case-insensitive, with "name (at) host [dot] com" obfuscation undone."""
    for raw in party.get("emails") or ():
        if value := normalise_email(str(raw)):
            yield PartyKey("email", value, "emails")


def postal_address(party: Mapping[str, Any], region: str | None) -> Iterator[PartyKey]:
    """Same postal address: the words are equal after case, accents and punctuation are folded, in any order
    ("Rm 5, 12 Jinqiao Rd." = "12 JINQIAO RD RM 5"). Addresses of fewer than 3 words are not used."""
    for raw in party.get("addresses") or ():
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(raw)).casefold())
        words = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c)).split()
        if len(words) >= MIN_ADDRESS_WORDS:
            yield PartyKey("address", " ".join(sorted(words)), "addresses")


_CONTACT_KIND = {"whatsapp": "tel", "signal": "signal", "wechat": "wechat", "wickr": "wickr"}
_CONTACT_KINDS = frozenset(
    {"telegram", "wechat", "wickr", "signal", "btc", "eth", "tron", "whatsapp", "phone"}
)


def messengers_and_wallets(party: Mapping[str, Any], region: str | None) -> Iterator[PartyKey]:
    """Same messenger handle (Telegram, WeChat, Wickr, Signal) or crypto wallet (BTC, ETH, TRON with a valid
    checksum), read from the party's addresses and phone fields as a listing writes them ("WeChat: abc123",
    "t.me/handle", a WhatsApp number). A number behind a messenger label is keyed as the phone number."""
    for field in ("addresses", "phones"):
        for raw in party.get(field) or ():
            for contact in extract_contacts(str(raw), region=region):
                if contact.kind not in _CONTACT_KINDS:
                    continue
                if contact.value.startswith("+"):
                    if field != "phones":
                        yield PartyKey("tel", contact.value, field)
                else:
                    yield PartyKey(_CONTACT_KIND.get(contact.kind, contact.kind), contact.value, field)


KeyRule = Callable[[Mapping[str, Any], str | None], Iterator[PartyKey]]
KEY_RULES: tuple[KeyRule, ...] = (
    company_name,
    person_name,
    phone_numbers,
    email_addresses,
    postal_address,
    messengers_and_wallets,
)
"""Every party key rule, in the order keys are reported."""


def rule_for(kind: str) -> KeyRule:
    """The rule that produces keys of `kind` (its docstring explains the link to the analyst)."""
    for rule in KEY_RULES:
        if kind in _RULE_KINDS[rule.__name__]:
            return rule
    raise KeyError(kind)


_RULE_KINDS: dict[str, frozenset[str]] = {
    "company_name": frozenset({"company"}),
    "person_name": frozenset({"person"}),
    "phone_numbers": frozenset({"tel"}),
    "email_addresses": frozenset({"email"}),
    "postal_address": frozenset({"address"}),
    "messengers_and_wallets": frozenset({"telegram", "wechat", "wickr", "signal", "btc", "eth", "tron"}),
}


def party_keys(party: Mapping[str, Any], *, region: str | None = None) -> list[PartyKey]:
    """Every key of one party (a dict with `kind`, `name`, `phones`, `emails`, `addresses`), distinct,
    sorted. `region` (ISO alpha-2) is the country national phone numbers are read in."""
    found = {k for rule in KEY_RULES for k in rule(party, region)}
    return sorted(found)
