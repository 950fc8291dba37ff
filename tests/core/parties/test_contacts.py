"""Contacts: phones to E.164 however written, obfuscated e-mails, messenger handles, wallets with checksums."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.parties.contacts import (
    Contact,
    contacts_from_field,
    extract_contacts,
    normalise_email,
    normalise_phone,
)
from precwatch.core.parties.wallets import btc_address, eth_address, find_wallets, tron_address

FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")


def kinds(text: str, **kw: str) -> list[tuple[str, str]]:
    return [(c.kind, c.value) for c in extract_contacts(text, **kw)]


@pytest.mark.parametrize(
    "written",
    [
        "+86 138 1234 5678", "+86-138-1234-5678", "(+86) 138-1234-5678", "0086 13812345678",
        "0086-138-1234-5678", "+8613812345678", "+86 (138) 1234 5678", "+86 138.1234.5678",
        "+86 138 1234 5678".translate(FULL_WIDTH),
    ],
)  # fmt: skip
def test_a_mobile_number_written_many_ways_is_one_e164_number(written: str) -> None:
    assert normalise_phone(written) == "+8613812345678"
    assert kinds(f"Tel: {written}") == [("phone", "+8613812345678")]


def test_a_bare_country_code_number_is_read_only_beside_a_label() -> None:
    assert kinds("WhatsApp: 8613812345678") == [("whatsapp", "+8613812345678")]
    assert kinds("order no. 8613812345678 shipped") == []


@pytest.mark.parametrize(
    "label", ["WhatsApp", "whats app", "Whats-App", "WA", "whatsapp/tel", "WhatsApp/Tel"]
)
def test_whatsapp_labels_written_apart_or_abbreviated(label: str) -> None:
    assert kinds(f"{label}: +86 139 1234 5678") == [("whatsapp", "+8613912345678")]


def test_a_label_does_not_reach_past_another_value() -> None:
    found = kinds("WhatsApp: +86 139 1234 5678, Tel: +86 27 8736 6298")
    assert found == [("whatsapp", "+8613912345678"), ("phone", "+862787366298")]


def test_invalid_numbers_are_dropped() -> None:
    assert normalise_phone("+86 123") is None
    assert normalise_phone("+1 000 000 0000") is None
    assert kinds("Tel: +86 1") == []


def test_national_numbers_need_a_region_except_china_mobiles() -> None:
    assert kinds("Tel: 027 8736 6298") == []
    assert kinds("Tel: 027 8736 6298", region="CN") == [("phone", "+862787366298")]
    assert kinds("WhatsApp: 158 1111 2222") == [("whatsapp", "+8615811112222")]
    assert kinds("wechat 15811112222") == [("wechat", "+8615811112222")]


def test_spelled_out_email_obfuscation() -> None:
    assert kinds("email sales at hbchem dot com") == [("email", "sales@hbchem.com")]
    assert kinds("we meet at noon. come") == []


@pytest.mark.parametrize(
    "written",
    [
        "sales@hbchem.com", "SALES@HBCHEM.COM", "sales(at)hbchem(dot)com", "sales [at] hbchem [dot] com",
        "sales{at}hbchem.com", "sales ＠ hbchem.com".replace(" ", ""), "mailto:sales@hbchem.com",
    ],
)  # fmt: skip
def test_emails_obfuscated_or_not(written: str) -> None:
    assert normalise_email(written) == "sales@hbchem.com"
    assert ("email", "sales@hbchem.com") in kinds(f"contact {written} today")


def test_messenger_handles() -> None:
    assert kinds("Telegram: @chem_sales01") == [("telegram", "chem_sales01")]
    assert kinds("join https://t.me/ChemSales02") == [("telegram", "chemsales02")]
    assert kinds("wechat: wxid_abc123") == [("wechat", "wxid_abc123")]
    assert kinds("微信：hb_chem2023") == [("wechat", "hb_chem2023")]
    assert kinds("Wickr me: chemking88") == [("wickr", "chemking88")]
    assert kinds("Signal: +1 415 555 2671") == [("signal", "+14155552671")]
    assert kinds("wa.me/8613912345678") == [("whatsapp", "+8613912345678")]


def test_an_email_is_not_a_telegram_handle() -> None:
    assert kinds("mail john.doe@gmail.com") == [("email", "john.doe@gmail.com")]


def test_websites_are_hosts() -> None:
    assert kinds("see https://WWW.AtunChemical.com/products?id=3") == [("url", "atunchemical.com")]
    assert kinds("Website: atunchemical.com") == [("url", "atunchemical.com")]


def test_one_number_as_phone_and_whatsapp_has_one_key() -> None:
    assert Contact("phone", "+8613812345678").key == Contact("whatsapp", "+8613812345678").key


def test_structured_fields_say_what_to_expect() -> None:
    assert contacts_from_field("whatsapp", "8613912345678") == [
        Contact("whatsapp", "+8613912345678", "8613912345678")
    ]
    assert contacts_from_field("telegram", "t.me/abc_def")[0].value == "abc_def"
    assert contacts_from_field("telephone", "86-27-8736-6298")[0].value == "+862787366298"
    assert contacts_from_field("email", "a (at) b [dot] com")[0].value == "a@b.com"


# Wallets: real published addresses (OFAC SDN remarks, BIP-173 test vectors, EIP-55 examples).
def test_bitcoin_legacy_and_bech32_checksums() -> None:
    assert btc_address("1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4th") == "1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4th"
    assert btc_address("1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4tx") is None  # one character off
    assert (
        btc_address("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
        == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    )
    assert btc_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5") is None


def test_ethereum_eip55() -> None:
    good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert eth_address(good) == good
    assert eth_address(good.lower()) == good  # no checksum given: valid, shown checksummed
    assert eth_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") is None  # wrong case = bad checksum


def test_tron_base58check() -> None:
    assert tron_address("TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq") == "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"
    assert tron_address("TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzr") is None
    assert [k for k, _, _ in find_wallets("pay TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq")] == ["tron"]


_DIGITS = st.text("0123456789", min_size=8, max_size=8)


@given(_DIGITS, st.sampled_from([" ", "-", ".", ""]), st.sampled_from(["+86 ", "0086 ", "(+86) ", "+86-"]))
def test_any_separator_and_prefix_give_the_same_number(digits: str, sep: str, prefix: str) -> None:
    written = f"{prefix}139{sep}{digits[:4]}{sep}{digits[4:]}"
    canonical = normalise_phone(f"+86139{digits}")  # None where the numbering plan has no such number
    assert canonical in (None, f"+86139{digits}")
    assert normalise_phone(written) == canonical
    assert normalise_phone(written.translate(FULL_WIDTH)) == canonical
    assert normalise_phone(f"139{digits}") == canonical  # a China mobile without +86


@given(st.text(max_size=200))
def test_extraction_never_fails_and_values_are_normalised(text: str) -> None:
    for c in extract_contacts(text):
        assert c.kind in (
            "phone",
            "email",
            "whatsapp",
            "telegram",
            "wechat",
            "wickr",
            "signal",
            "btc",
            "eth",
            "tron",
            "url",
        )
        if c.kind == "email":
            assert c.value == c.value.lower() and "@" in c.value
        if c.value.startswith("+"):
            assert normalise_phone(c.value) == c.value


@given(
    st.from_regex(r"[a-z][a-z0-9._]{1,15}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{1,10}", fullmatch=True),
)
def test_obfuscated_emails_round_trip(user: str, host: str) -> None:
    user = user.strip(".")
    if not user or ".." in user:
        return
    assert normalise_email(f"{user} (at) {host} [dot] com") == f"{user}@{host}.com"
