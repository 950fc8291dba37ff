"""Correlation keys of a record, the warninglist, the fan-out cap and who may see a link."""

from __future__ import annotations

from precwatch.core.sharing.correlation import (
    RecordAcl,
    capped,
    link_visible,
    needs_owner_notice,
    owner_notice_message,
    record_keys,
)
from precwatch.core.sharing.tlp import Viewer
from precwatch.data.warninglists import load_warninglist

MX = Viewer(1, 1, "analyst", "a@mx")
US = Viewer(2, 2, "analyst", "b@us")


def incident(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "country": "MX",
        "substances": [{"substance": "npp"}, {"substance": "acetone"}],
        "route": {
            "origin": {"country": "CN", "port": "Shanghai"},
            "destination": {"country": "MX", "port": "Manzanillo"},
        },
        "parties": [
            {"kind": "company", "name": "DHL Express", "phones": [], "emails": [], "addresses": []},
            {"kind": "person", "name": "Li Wei", "phones": ["+86 155 0000 1234", "+1 202 555 0123"]},
        ],
        "owner_only": ["phones"],
        "narrative": "buyer's telegram: t.me/precursorking",
    }
    body.update(changes)
    return body


def test_record_keys_with_the_warninglist_applied() -> None:
    found = {k.key: k.public for k in record_keys(incident(), warninglist=load_warninglist())}
    assert found["substance:npp"] and found["route:CN shanghai > MX manzanillo"]
    assert found["tel:+8615500001234"] is False  # phones are owner-only here
    assert found["telegram:precursorking"] is True
    assert "person:li wei" in found
    # ubiquitous: a solvent, a global courier, a fictional 555-01xx number
    assert not {"substance:acetone", "company:dhl express", "tel:+12025550123"} & set(found)


def test_without_a_warninglist_everything_is_a_key() -> None:
    found = {k.key for k in record_keys(incident())}
    assert {"substance:acetone", "company:dhl express", "tel:+12025550123"} <= found


def test_country_pairs_alone_are_no_route_key() -> None:
    route = {"origin": {"country": "CN", "port": None}, "destination": {"country": "MX", "port": None}}
    assert not [k for k in record_keys(incident(route=route)) if k.kind == "route"]


def test_fan_out_cap() -> None:
    assert capped({"a": 51, "b": 50}, cap=50) == {"a"}


def test_links_need_both_records_and_both_fields_visible() -> None:
    mine = RecordAcl(1, 1, "green")
    theirs_amber = RecordAcl(2, 2, "amber")
    theirs_green = RecordAcl(2, 2, "green")
    assert link_visible(US, this=mine, this_public=True, other=theirs_amber, other_public=True)
    assert not link_visible(MX, this=mine, this_public=True, other=theirs_amber, other_public=True)
    assert not link_visible(US, this=mine, this_public=False, other=theirs_green, other_public=True)
    assert link_visible(MX, this=mine, this_public=False, other=theirs_green, other_public=True)


def test_owner_notice_only_when_the_author_cannot_see_the_match() -> None:
    assert needs_owner_notice(MX, RecordAcl(2, 2, "amber"))
    assert not needs_owner_notice(MX, RecordAcl(2, 2, "green"))
    assert not needs_owner_notice(MX, RecordAcl(1, 3, "red"))  # the author's own organisation
    message = owner_notice_message(["tel", "company"], "incident abc")
    assert "matching company name and phone number" in message and "abc" in message
