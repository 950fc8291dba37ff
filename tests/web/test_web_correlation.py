"""Correlation over HTTP on both databases: normalised keys link records, only for those who may see both,
and owners of records the author may not see are told without learning anything about the partner."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api

API = "/api/v1"


def party(**changes: Any) -> dict[str, Any]:
    p: dict[str, Any] = {
        "kind": "company",
        "role": "consignor",
        "name": "Hubei Amarvel Biotech Co., Ltd.",
        "phones": ["+86 155 0000 1234"],
        "emails": [],
        "addresses": [],
    }
    p.update(changes)
    return p


def plain(**changes: Any) -> dict[str, Any]:
    """A record with one party, no substance and no route (so only the party keys link)."""
    return {"substances_text": "unknown white powder", "route": None, "parties": [party()], **changes}


def correlations(api: Api, user: str, incident_id: str) -> Any:
    return api.get(f"{API}/incidents/{incident_id}/correlations", user)


def test_a_phone_and_a_company_written_differently_link_two_green_records(api: Api) -> None:
    mx = api.create("mx_analyst", **plain())
    written = party(name="HUBEI AMARVEL BIO-TECH COMPANY LIMITED", phones=["0086-155-0000-1234"])
    us = api.create("us_analyst", **plain(parties=[written], country="US"))
    r = correlations(api, "us_analyst", us["id"])
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    assert item["record"]["id"] == mx["id"]
    assert {(k["kind"], k["value"]) for k in item["keys"]} == {
        ("tel", "+8615500001234"),
        ("company", "amarvel biotech hubei"),
    }
    assert all(k["explanation"] for k in item["keys"])
    assert correlations(api, "cn_analyst", mx["id"]).json()["items"][0]["record"]["id"] == us["id"]


def test_an_invisible_match_is_not_shown_and_its_owner_is_told_without_the_partner(api: Api) -> None:
    mx = api.create("mx_analyst", **plain(tlp="amber"))
    us = api.create("us_analyst", **plain(country="US", tlp="amber"))
    assert correlations(api, "us_analyst", us["id"]).json()["items"] == []
    assert correlations(api, "us_analyst", mx["id"]).status_code == 404
    assert correlations(api, "mx_analyst", mx["id"]).json()["items"] == []  # MX may not see the US record
    notices = api.get(f"{API}/alerts", "mx_analyst").json()
    (notice,) = [a for a in notices["items"] if a["kind"] == "owner-notice"]
    assert notice["record_id"] == mx["id"]
    assert "matching company name and phone number" in notice["message"]
    assert us["id"] not in str(notices) and "US" not in notice["message"]
    assert api.get(f"{API}/alerts", "mx_viewer").json()["total"] == 1  # every user of the owner org
    for user in ("us_analyst", "us_admin", "cn_analyst"):
        assert api.get(f"{API}/alerts", user).json()["total"] == 0  # the partner learns nothing
    # the owner shares: now both sides see the link, and no new notice is raised
    r = api.patch("mx_analyst", mx["id"], mx["version"], shared_with_orgs=[api.orgs["US"].id])
    assert r.status_code == 200, r.text
    assert correlations(api, "us_analyst", us["id"]).json()["items"][0]["record"]["id"] == mx["id"]


def test_owner_only_fields_link_only_for_the_owner_organisation(api: Api) -> None:
    mx = api.create("mx_analyst", **plain(owner_only=["phones"], parties=[party(name="Zeta Lab")]))
    us = api.create("us_analyst", **plain(country="US", parties=[party(name="Omega Lab")]))
    assert correlations(api, "us_analyst", us["id"]).json()["items"] == []
    (item,) = correlations(api, "mx_analyst", mx["id"]).json()["items"]
    assert [k["kind"] for k in item["keys"]] == ["tel"]


def test_warninglisted_values_link_nothing(api: Api) -> None:
    courier = party(name="DHL Express (Mexico) S.A. de C.V.", phones=["+1 202 555 0123"], role="carrier")
    a = api.create("mx_analyst", **plain(parties=[courier]))
    api.create("us_analyst", **plain(country="US", parties=[courier]))
    assert correlations(api, "mx_analyst", a["id"]).json()["items"] == []


def test_substance_and_route_keys_and_retraction(api: Api) -> None:
    a = api.create("mx_analyst", parties=[])
    b = api.create("us_analyst", parties=[])
    (item,) = correlations(api, "mx_analyst", a["id"]).json()["items"]
    assert {k["kind"] for k in item["keys"]} == {"substance", "route"}
    r = api.request("POST", f"{API}/incidents/{b['id']}/retract", "us_analyst", json={"reason": "duplicate"})
    assert r.status_code == 200
    assert correlations(api, "mx_analyst", a["id"]).json()["items"] == []


def test_a_key_over_the_fan_out_cap_links_nothing(api: Api) -> None:
    from precwatch.hub import correlation

    ids = [api.create("mx_analyst", **plain())["id"] for _ in range(4)]
    mx = api.hub.get_user_by_email("mx_analyst@mx.example")
    from precwatch.hub import Viewer

    viewer = Viewer(mx.id, mx.org_id, mx.role, mx.email)
    found = correlation.correlations(api.hub.ctx, viewer, "incident", ids[0], cap=2)
    assert found is not None and found["items"] == []
    assert {k["kind"] for k in found["capped"]} == {"tel", "company"}
    assert len(correlation.correlations(api.hub.ctx, viewer, "incident", ids[0], cap=3)["items"]) == 3  # type: ignore[index]
