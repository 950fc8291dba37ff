"""Incidents over HTTP: create, read, change, retract, list, filter, page, search, idempotency, ETags."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api, seizure

API = "/api/v1/incidents"


def ids(page: dict[str, Any]) -> list[str]:
    return [i["id"] for i in page["items"]]


def test_create_read_replace_patch_round_trip(api: Api) -> None:
    created = api.create("mx_analyst")
    assert created["version"] == 1 and created["owner_org_id"] == api.orgs["MX"].id
    assert created["retracted"] is None
    assert {s["substance"] for s in created["substances"]} == {"npp"}
    assert created["route"]["transit"] == [{"country": "KR", "port": "Busan"}]
    r = api.get(f"{API}/{created['id']}", "mx_viewer")
    assert r.status_code == 200 and r.headers["ETag"] == '"1"'
    assert r.json() == created

    # PATCH changes only what it names; re-identification follows the substance text.
    r = api.patch("mx_analyst", created["id"], 1, substances_text="4-AP and 1-boc-4-piperidone", quantity=2.5)
    assert r.status_code == 200, r.text
    patched = r.json()
    assert r.headers["ETag"] == '"2"' and patched["version"] == 2
    assert {s["substance"] for s in patched["substances"]} >= {"4-ap", "1-boc-4-piperidone"}
    assert patched["quantity"] == 2.5 and patched["narrative"] == created["narrative"]

    # PUT replaces the whole record: what it leaves out is cleared.
    body = {"type": "online-offer", "occurred_on": "2025-04-01", "country": "US", "tlp": "green"}
    r = api.request("PUT", f"{API}/{created['id']}", "mx_analyst", json=body, headers={"If-Match": '"2"'})
    assert r.status_code == 200, r.text
    replaced = r.json()
    assert (replaced["type"], replaced["country"], replaced["version"]) == ("online-offer", "US", 3)
    assert replaced["parties"] == [] and replaced["narrative"] is None and replaced["substances"] == []
    assert api.get(f"{API}/{created['id']}", "cn_analyst").json() == replaced


def test_bad_bodies_are_refused_naming_the_field(api: Api) -> None:
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        (seizure(type="smuggling"), ["body", "type"]),
        (seizure(country="Mexico"), ["body", "country"]),
        (seizure(occurred_on="14/03/2025"), ["body", "occurred_on"]),
        (seizure(tlp="amber", shared_with_users=[1]), ["body", "shared_with_users"]),
        (seizure(tlp="red", shared_with_orgs=[1]), ["body", "shared_with_orgs"]),
        (seizure(tlp="amber", shared_with_orgs=[999_999]), ["body", "shared_with_orgs"]),
        (seizure(quantity=3, unit=None), ["body", "unit"]),
        (seizure(parties=[{"kind": "person", "name": "X", "emails": ["not-an-address"]}]), ["body", "parties", 0, "emails", 0]),
        (seizure(colour="blue"), ["body", "colour"]),
    ]  # fmt: skip
    for body, loc in cases:
        r = api.request("POST", API, "mx_analyst", json=body)
        assert r.status_code == 422, (loc, r.text)
        assert r.json()["detail"][0]["loc"] == loc, r.json()
    assert api.get(API, "mx_analyst").json()["total"] == 0


def test_if_match_is_required_and_checked(api: Api) -> None:
    incident = api.create("mx_analyst")
    url = f"{API}/{incident['id']}"
    r = api.request("PATCH", url, "mx_analyst", json={"place": "x"})
    assert r.status_code == 428, r.text
    assert api.request("PUT", url, "mx_analyst", json=seizure()).status_code == 428
    # A tag no version can match is a failed precondition (412), not a missing one (RFC 9110 13.1.1).
    for tag in ("abc", '"1", "2"', 'W/"1"', '"0"', '"99999999999999999999"'):
        r = api.request("PATCH", url, "mx_analyst", json={"place": "x"}, headers={"If-Match": tag})
        assert r.status_code == 412, (tag, r.text)
        assert r.json()["current_version"] == 1
        r = api.request("PUT", url, "mx_analyst", json=seizure(), headers={"If-Match": tag})
        assert r.status_code == 412, (tag, r.text)
    assert api.patch("mx_analyst", incident["id"], 1, place="Colima").status_code == 200
    stale = api.patch("mx_analyst", incident["id"], 1, place="Lost update")
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2 and stale.headers["ETag"] == '"2"'
    assert api.patch("mx_analyst", incident["id"], 2, place="Manzanillo").json()["version"] == 3
    assert (
        api.request("PATCH", url, "mx_analyst", json={"place": "W"}, headers={"If-Match": "*"}).json()[
            "version"
        ]
        == 4
    )
    assert api.get(url, "mx_analyst").json()["place"] == "W"


def test_missing_records_answer_404_on_every_incident_route(api: Api) -> None:
    url = f"{API}/{'f' * 32}"
    answers = [
        api.get(url, "mx_analyst"),
        api.patch("mx_analyst", "f" * 32, 1, place="x"),
        api.request("PUT", url, "mx_analyst", json=seizure(), headers={"If-Match": '"1"'}),
        api.request("POST", f"{url}/retract", "mx_analyst", json={"reason": "x"}),
    ]
    assert [(a.status_code, a.json()) for a in answers] == [(404, {"detail": "Not Found"})] * 4
    # ... and the same as a URL that matches no route at all.
    unrouted = api.get("/api/v1/incidents/a/b/c", "mx_analyst")
    assert (unrouted.status_code, unrouted.json()) == (404, {"detail": "Not Found"})


def test_retraction_is_visible_to_everyone_it_was_shared_with(api: Api) -> None:
    us, cn = api.orgs["US"].id, api.orgs["CN"].id
    incident = api.create("mx_analyst", tlp="amber", shared_with_orgs=[us])
    url = f"{API}/{incident['id']}"
    assert api.request("POST", f"{url}/retract", "mx_analyst", json={"reason": " "}).status_code == 422
    r = api.request("POST", f"{url}/retract", "mx_analyst", json={"reason": "duplicate of a CBP report"})
    assert r.status_code == 200 and r.json()["version"] == 2
    for user in ("us_viewer", "us_analyst", "mx_viewer"):
        seen = api.get(url, user).json()
        assert seen["retracted"]["reason"] == "duplicate of a CBP report"
        assert seen["retracted"]["at"]
        listed = api.get(API, user, params={"retracted": "true"}).json()
        assert ids(listed) == [incident["id"]]
        assert api.get(API, user, params={"retracted": "false"}).json()["total"] == 0
    assert api.get(url, "cn_analyst").status_code == 404
    assert cn not in incident["shared_with_orgs"]
    # A retracted record cannot change any more.
    assert api.patch("mx_analyst", incident["id"], 2, place="x").status_code == 409
    again = api.request("POST", f"{url}/retract", "mx_analyst", json={"reason": "again"})
    assert again.status_code == 409


def test_idempotent_create(api: Api) -> None:
    key = {"Idempotency-Key": "3f1c6d5e-retry-me"}
    first = api.request("POST", API, "mx_analyst", json=seizure(), headers=key)
    again = api.request("POST", API, "mx_analyst2", json=seizure(), headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert api.get(API, "mx_analyst").json()["total"] == 1
    other_body = api.request("POST", API, "mx_analyst", json=seizure(place="Veracruz"), headers=key)
    assert other_body.status_code == 422 and "idempotency" in other_body.json()["detail"][0]["msg"].lower()
    # Keys belong to the organisation: the same key elsewhere is another request.
    us = api.request("POST", API, "us_analyst", json=seizure(), headers=key)
    assert us.status_code == 201 and us.json()["id"] != first.json()["id"]
    assert (
        api.request(
            "POST", API, "mx_analyst", json=seizure(), headers={"Idempotency-Key": "k" * 201}
        ).status_code
        == 422
    )
    assert api.get(API, "cn_analyst").json()["total"] == 2


def test_filters(api: Api) -> None:
    npp = api.create("mx_analyst", occurred_on="2025-01-10")
    boc = api.create(
        "us_analyst",
        type="online-offer",
        occurred_on="2025-02-20",
        reported_on=None,
        country="US",
        substances_text="1-boc-4-piperidone 99% purity, CAS 79099-07-3",
        route={"origin": {"country": "IN"}, "transit": [], "destination": {"country": "US"}},
        parties=[{"kind": "company", "role": "vendor", "name": "Shijiazhuang Silver Crane Chemical"}],
        narrative="Offer on a B2B marketplace with a WhatsApp contact.",
    )
    lab = api.create(
        "cn_analyst",
        type="illicit-lab",
        occurred_on="2025-03-30",
        reported_on=None,
        country="CN",
        route=None,
        substances_text="aniline",
        parties=[],
    )
    cases: dict[str, tuple[dict[str, str], list[str]]] = {
        "substance by id": ({"substance": "npp"}, [npp["id"]]),
        "substance by CAS": ({"substance": "79099-07-3"}, [boc["id"]]),
        "substance by name": ({"substance": "1-Boc-4-piperidone"}, [boc["id"]]),
        "unknown substance": ({"substance": "water"}, []),
        "country of the incident": ({"country": "CN"}, [lab["id"], npp["id"]]),
        "country on the route": ({"country": "KR"}, [npp["id"]]),
        "type": ({"type": "online-offer"}, [boc["id"]]),
        "since": ({"since": "2025-02-20"}, [lab["id"], boc["id"]]),
        "until": ({"until": "2025-02-19"}, [npp["id"]]),
        "date range": ({"since": "2025-02-01", "until": "2025-03-01"}, [boc["id"]]),
        "party": ({"party": "silver crane"}, [boc["id"]]),
        "party, accents and case": ({"party": "ROGÉLIO"}, [npp["id"]]),
        "search": ({"q": "whatsapp marketplace"}, [boc["id"]]),
        "search, no match": ({"q": "whatsapp x-ray"}, []),
        "combined": ({"country": "MX", "type": "seizure", "q": "drums"}, [npp["id"]]),
    }
    for label, (params, expected) in cases.items():
        page = api.get(API, "mx_viewer", params=params).json()
        assert (ids(page), page["total"]) == (expected, len(expected)), label
    assert api.get(API, "mx_viewer", params={"type": "smuggling"}).status_code == 422
    assert api.get(API, "mx_viewer", params={"since": "yesterday"}).status_code == 422
    assert api.get(API, "mx_viewer", params={"country": "kr"}).status_code == 422  # ISO codes are upper-case


def test_pagination_walks_every_record_once(api: Api) -> None:
    made = {api.create("mx_analyst", occurred_on=f"2025-01-{d:02d}")["id"] for d in range(1, 12)}
    seen: list[str] = []
    url: str | None = f"{API}?limit=4&country=MX"
    pages = 0
    while url:
        page = api.get(url, "us_viewer").json()
        assert page["total"] == 11 and page["limit"] == 4
        seen += ids(page)
        url = page["next"]
        pages += 1
    assert pages == 3 and len(seen) == 11 and set(seen) == made
    dates = [api.get(f"{API}/{i}", "us_viewer").json()["occurred_on"] for i in seen]
    assert dates == sorted(dates, reverse=True)
    past_end = api.get(API, "us_viewer", params={"offset": 50}).json()
    assert past_end["items"] == [] and past_end["total"] == 11 and past_end["next"] is None
    biggest = api.settings.web.max_page_size
    assert api.get(API, "us_viewer", params={"limit": biggest}).json()["limit"] == biggest
    for too_big in (biggest + 1, 100_000, 2**63):  # refused, not clamped
        assert api.get(API, "us_viewer", params={"limit": too_big}).status_code == 422
    assert api.get(API, "us_viewer", params={"limit": 0}).status_code == 422


def test_partners_see_owner_only_fields_redacted(api: Api) -> None:
    us = api.orgs["US"].id
    parties = seizure()["parties"]
    parties[0]["owner_only"] = ["emails"]
    incident = api.create(
        "mx_analyst", tlp="amber", shared_with_orgs=[us], owner_only=["phones", "name"], parties=parties
    )
    own = api.get(f"{API}/{incident['id']}", "mx_viewer").json()
    assert own["parties"][1]["name"] == "Rogelio Tamayo" and own["parties"][0]["emails"] == [
        "sales@brightchem.example"
    ]
    partner = api.get(f"{API}/{incident['id']}", "us_viewer").json()
    company, person = partner["parties"]
    assert company["name"] == "Hubei Brightchem Trading Co"  # a company's name is not personal data
    assert company["emails"] == ["[redacted]"]
    assert person["name"] == "[redacted]" and person["phones"] == ["[redacted]"]
    assert person["emails"] == ["rtamayo@mail.example"]  # not marked owner-only
    text = api.get(API, "us_viewer").text
    assert "Tamayo" not in text and "5555" not in text and "sales@" not in text
    assert api.get(API, "us_viewer", params={"party": "tamayo"}).json()["total"] == 0
    assert api.get(API, "us_viewer", params={"q": "5555"}).json()["total"] == 0
    assert api.get(API, "mx_viewer", params={"party": "tamayo"}).json()["total"] == 1


def test_batch_get_reports_missing_and_invisible_ids_alike(api: Api) -> None:
    green = api.create("mx_analyst")
    red = api.create("mx_analyst", tlp="red", shared_with_users=[api.users["mx_admin"].id])
    amber = api.create("us_analyst", tlp="amber")
    asked = [amber["id"], green["id"], "0" * 32, red["id"], green["id"]]
    r = api.request("POST", f"{API}:batch-get", "mx_admin", json={"ids": asked})
    assert r.status_code == 200
    assert [i["id"] for i in r.json()["items"]] == [green["id"], red["id"]]
    assert r.json()["not_found"] == [amber["id"], "0" * 32]
    r = api.request("POST", f"{API}:batch-get", "mx_viewer", json={"ids": asked})
    assert [i["id"] for i in r.json()["items"]] == [green["id"]]
    assert r.json()["not_found"] == [amber["id"], "0" * 32, red["id"]]
    assert api.request("POST", f"{API}:batch-get", "mx_viewer", json={"ids": []}).status_code == 422
