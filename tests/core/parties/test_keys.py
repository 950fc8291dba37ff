"""Normalised party keys: the same phone, company or address written differently gives the same key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.parties.keys import party_keys


def keys(**party: object) -> set[str]:
    return {k.key for k in party_keys(party)}


def test_phones_written_differently_share_the_e164_key() -> None:
    for written in ("+86 155 0000 1234", "0086-155-0000-1234", "15500001234", "(+86) 155-0000-1234"):
        assert "tel:+8615500001234" in keys(kind="person", name="X", phones=[written]), written


def test_company_names_meet_without_legal_forms_and_in_any_order() -> None:
    a = keys(kind="company", name="HUBEI AMARVEL BIOTECH CO., LTD.")
    b = keys(kind="company", name="Hubei Amarvel Bio-tech Company Limited")
    assert a & b and next(iter(a)).startswith("company:")


def test_emails_addresses_messengers_and_wallets() -> None:
    found = keys(
        kind="company",
        name="ABC Co., Ltd.",
        emails=["Sales (at) Brightchem [dot] cn"],
        addresses=["Rm 5, 12 Jinqiao Rd., Shanghai", "WeChat: chemsales88"],
    )
    assert "email:sales@brightchem.cn" in found
    assert "address:12 5 jinqiao rd rm shanghai" in found
    assert "wechat:chemsales88" in found
    assert not any(k.startswith("company:") for k in found)  # "ABC" is too short to link anything


@given(st.text(max_size=40))
def test_keys_never_fail_and_are_deterministic(text: str) -> None:
    party = {"kind": "company", "name": text or "x", "phones": [text], "emails": [text], "addresses": [text]}
    assert party_keys(party) == party_keys(dict(party))
