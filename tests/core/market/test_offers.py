"""Offers: substances by the core engine, trade terms, and seller signals, each with its evidence."""

from __future__ import annotations

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.market.offers import (
    Listing,
    read_destinations,
    read_min_order,
    read_offer,
    read_price,
    read_purity,
)
from precwatch.core.market.signals import SIGNALS, find_signals
from precwatch.core.parties.contacts import Contact


def listing(text: str, contacts: tuple[Contact, ...] = ()) -> Listing:
    return Listing("l1", "p", "p@2024-01-01", "2024-01-01", title="", description=text, contacts=contacts)


def test_substances_terms_and_signals(kb: KnowledgeBase) -> None:
    offer = read_offer(
        listing(
            "4-AP (CAS 23056-29-3) Purity: 99%min. Price US $ 10-50 / Kilogram, MOQ: 1 kg. We ship to Mexico, USA "
            "and Canada. 100% safe delivery, stealth packing, pay with USDT."
        ),
        kb,
    )
    assert offer.substances == {"4-ap"}
    assert {m.method for m in offer.matches} == {"name", "cas"}
    assert offer.purity == 99.0
    assert offer.price is not None and (offer.price.currency, offer.price.low, offer.price.high) == (
        "USD",
        10,
        50,
    )
    assert offer.price.unit == "kilogram"
    assert offer.min_order == "1 kg"
    assert offer.destinations == ("MX", "US", "CA")
    assert [s.code for s in offer.signals] == [
        "delivery-to-mexico",
        "safe-delivery",
        "stealth-packing",
        "crypto-payment",
    ]


def test_masked_precursor_named_systematically_is_identified(kb: KnowledgeBase) -> None:
    offer = read_offer(listing("tert-butyl 4-anilinopiperidine-1-carboxylate 99%, CAS 125541-22-2"), kb)
    assert offer.substances == {"1-boc-4-ap"}


def test_nothing_is_guessed() -> None:
    assert read_purity("white powder") is None
    assert read_price("contact us for the best price") is None
    assert read_min_order("in stock") is None
    assert read_destinations("fast delivery") == ()


def test_structured_price_wins() -> None:
    p = read_price("US $ 1 / kg", "80.00", "USD")
    assert p is not None and (p.low, p.currency) == (80.0, "USD")


def test_every_signal_is_documented_and_found() -> None:
    for code, detector in SIGNALS.items():
        assert detector.__doc__ and len(detector.__doc__) > 40, code
    texts = {
        "delivery-to-mexico": "door to door delivery to Mexico",
        "safe-delivery": "reship if seized",
        "customs-renaming": "we can change the name on the declaration",
        "stealth-packing": "discreet packaging, double-layer bags",
        "crypto-payment": "payment by bitcoin accepted",
        "encrypted-messenger": "contact on wickr",
    }
    for code, text in texts.items():
        assert [s.code for s in find_signals(text)] == [code], text


def test_signals_from_contacts_and_their_absence() -> None:
    wallet = Contact("btc", "1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4th")
    assert [s.code for s in find_signals("", (wallet,))] == ["crypto-payment"]
    assert [s.code for s in find_signals("", (Contact("wickr", "x_y"),))] == ["encrypted-messenger"]
    assert (
        find_signals(
            "Propionyl chloride 99%, 200 kg drum, shipped by sea to Rotterdam. WhatsApp +86 139 1234 5678"
        )
        == []
    )
