"""Exports over HTTP on SQLite and PostgreSQL: STIX 2.1 validated by `stix2`, MISP events loaded by pymisp,
FtM entities read back by followthemoney; and no export ever holds a record (or an owner-only value) its
caller may not see."""

from __future__ import annotations

import json
from typing import Any

import pytest
import stix2
from followthemoney import model
from pymisp import MISPEvent

from tests.support.api import Api

API = "/api/v1/exports"
HIDDEN_PHONE = "+52 55 5555 0101"


def _stix(api: Api, user: str, **params: str) -> list[dict[str, Any]]:
    r = api.get(f"{API}/stix", user, params=params)
    assert r.status_code == 200, r.text
    assert r.json()["type"] == "bundle"
    if "objects" not in r.json():  # an empty bundle (valid STIX; stix2.parse cannot read it)
        return []
    bundle = stix2.parse(r.text, allow_custom=True)  # validates every object
    return [json.loads(o.serialize()) for o in bundle.objects]


def test_stix_bundle(api: Api) -> None:
    made = api.create("mx_analyst", tlp="amber", shared_with_orgs=[api.orgs["US"].id], owner_only=["phones"])
    objects = _stix(api, "mx_analyst")
    incidents = [o for o in objects if o["type"] == "incident"]
    assert len(incidents) == 1
    assert incidents[0]["x_precwatch_substances"][0]["cas"] == "39742-60-4"
    assert incidents[0]["object_marking_refs"] == [stix2.TLP_AMBER.id]
    assert {o["country"] for o in objects if o["type"] == "location"} == {"CN", "KR", "MX"}
    identities = [o for o in objects if o["type"] == "identity"]
    assert {i["identity_class"] for i in identities} == {"organization", "individual"}
    assert HIDDEN_PHONE in json.dumps(objects)  # the owner sees its own phone
    partner = _stix(api, "us_analyst")
    assert [o["id"] for o in partner if o["type"] == "incident"] == [incidents[0]["id"]]
    assert HIDDEN_PHONE not in json.dumps(partner)
    assert "[redacted]" not in json.dumps(partner)
    assert _stix(api, "cn_analyst") == []
    assert api.get(f"{API}/stix", "cn_analyst", params={"incident": made["id"]}).status_code == 404
    assert len(_stix(api, "us_analyst", incident=made["id"])) > 1


def test_misp_events(api: Api) -> None:
    api.create("mx_analyst", tlp="green")
    api.create("mx_analyst", tlp="amber+strict", owner_only=["phones", "name"])
    r = api.get(f"{API}/misp", "mx_analyst")
    assert r.status_code == 200
    events = []
    for item in r.json()["response"]:
        event = MISPEvent()
        event.load(item)
        events.append(event)
    by_tag = {e.tags[0].name: e for e in events}
    assert set(by_tag) == {"tlp:green", "tlp:amber+strict"}
    assert by_tag["tlp:green"].distribution == 2
    assert by_tag["tlp:amber+strict"].distribution == 0
    green = by_tag["tlp:green"]
    assert any("39742-60-4" in a.value for a in green.attributes)
    assert {o.name for o in green.objects} == {"legal-entity", "person"}
    partner = api.get(f"{API}/misp", "us_analyst").json()["response"]
    assert len(partner) == 1  # the amber+strict one stays home
    assert HIDDEN_PHONE in json.dumps(partner)  # green, nothing marked owner-only


def test_ftm_entities(api: Api) -> None:
    api.create("mx_analyst", owner_only=["phones", "name"])
    r = api.get(f"{API}/ftm", "us_analyst")
    assert r.status_code == 200
    entities = [model.get_proxy(json.loads(line)) for line in r.text.splitlines()]
    assert {e.schema.name for e in entities} == {"Company", "Person"}
    person = next(e for e in entities if e.schema.name == "Person")
    assert person.get("name") == []  # a redacted person's name is left out
    assert person.get("phone") == []
    assert "Rogelio" not in r.text and HIDDEN_PHONE not in r.text
    company = next(e for e in entities if e.schema.name == "Company")
    assert company.get("name") == ["Hubei Brightchem Trading Co"]
    own = [json.loads(line) for line in api.get(f"{API}/ftm", "mx_analyst").text.splitlines()]
    assert "Rogelio Tamayo" in json.dumps(own)


@pytest.mark.parametrize("fmt", ["stix", "misp", "ftm"])
def test_red_records_stay_with_their_users(api: Api, fmt: str) -> None:
    made = api.create("mx_analyst", tlp="red", shared_with_users=[api.users["us_analyst"].id])
    marker = "Hubei Brightchem"
    for user in api.tokens:
        text = api.get(f"{API}/{fmt}", user).text
        assert (marker in text) is (user in ("mx_analyst", "us_analyst")), user
        one = api.get(f"{API}/{fmt}", user, params={"incident": made["id"]})
        assert one.status_code == (200 if user in ("mx_analyst", "us_analyst") else 404), user


def test_exports_are_audited(api: Api) -> None:
    made = api.create("mx_analyst", tlp="amber")
    api.get(f"{API}/stix", "mx_analyst")
    entries = [e for e in api.hub.audit_entries() if e.action == "incident.export"]
    assert entries[-1].detail == {"format": "stix", "ids": [made["id"]]}


def test_a_substance_named_three_ways_is_exported_once(api: Api) -> None:
    text = "N-phenethyl-4-piperidone (NPP), CAS 39742-60-4, and 4-anilinopiperidine"
    made = api.create("mx_analyst", substances_text=text)
    assert len(made["substances"]) > 2  # the record keeps one entry per mention, with its evidence
    (incident,) = [o for o in _stix(api, "mx_analyst") if o["type"] == "incident"]
    assert [s["id"] for s in incident["x_precwatch_substances"]] == ["npp", "4-ap"]
    (event,) = api.get(f"{API}/misp", "mx_analyst").json()["response"]
    texts = [a["value"] for a in event["Event"]["Attribute"] if "KB id" in a.get("comment", "")]
    assert texts == [
        "N-Phenethyl-4-piperidone (CAS 39742-60-4)",
        "N-Phenylpiperidin-4-amine (CAS 23056-29-3)",
    ]
