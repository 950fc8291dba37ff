"""Draft incidents over HTTP: seen by the owner organisation only until an analyst publishes them."""

from __future__ import annotations

from precwatch.hub import IncidentFilter
from tests.support.api import Api, seizure

URL = "/api/v1/incidents"


def _draft(api: Api, user: str = "mx_analyst", **changes: object) -> dict[str, object]:
    r = api.request("POST", URL, user, params={"draft": "true"}, json=seizure(**changes))
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_draft_is_invisible_outside_the_owner_org_whatever_its_tlp(api: Api) -> None:
    draft = _draft(api, tlp="clear", shared_with_orgs=[])
    assert draft["state"] == "draft"
    assert api.get(f"{URL}/{draft['id']}", "mx_viewer").json()["state"] == "draft"
    for outsider in ("us_analyst", "us_admin", "cn_analyst"):
        assert api.get(f"{URL}/{draft['id']}", outsider).status_code == 404
        page = api.get(URL, outsider).json()
        assert draft["id"] not in {i["id"] for i in page["items"]} and page["total"] == 0
        batch = api.request("POST", f"{URL}:batch-get", outsider, json={"ids": [draft["id"]]}).json()
        assert batch["not_found"] == [draft["id"]]
    us = api.hub.get_user_by_email("us_analyst@us.example")
    viewer = api.hub.authenticate(api.tokens["us_analyst"], api.settings.hub.secret.get_secret_value())
    assert viewer is not None and viewer.user_id == us.id
    assert api.hub.count_incidents(viewer, IncidentFilter()) == 0


def test_publishing_shares_the_draft_and_is_audited(api: Api) -> None:
    draft = _draft(api, tlp="green", shared_with_orgs=[])
    path = f"{URL}/{draft['id']}/publish"
    assert api.request("POST", path, "mx_viewer").status_code == 403
    assert api.request("POST", path, "us_analyst").status_code == 404  # another org's draft: not there
    r = api.request("POST", path, "mx_analyst2")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "published" and r.json()["version"] == 2 and r.headers["ETag"] == '"2"'
    assert api.get(f"{URL}/{draft['id']}", "us_analyst").json()["state"] == "published"
    again = api.request("POST", path, "mx_analyst")
    assert again.status_code == 409 and "not a draft" in again.json()["detail"]
    entries = [e for e in api.hub.audit_entries() if e.resource_id == draft["id"]]
    assert [e.action for e in entries if e.action != "incident.read"] == [
        "incident.create",
        "incident.publish",
    ]
    publish = entries[-1]
    assert publish.actor_user_id == api.users["mx_analyst2"].id and publish.detail["version"] == 2
    assert api.hub.verify_audit() == []


def test_a_stale_if_match_and_a_published_incident_are_refused(api: Api) -> None:
    draft = _draft(api)
    stale = api.request("POST", f"{URL}/{draft['id']}/publish", "mx_analyst", headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    direct = api.create("mx_analyst")
    assert direct["state"] == "published"
    assert api.request("POST", f"{URL}/{direct['id']}/publish", "mx_analyst").status_code == 409


def test_the_same_idempotency_key_for_a_draft_and_a_published_record_is_a_conflict(api: Api) -> None:
    headers = {"Idempotency-Key": "feed-1"}
    first = api.request("POST", URL, "mx_analyst", params={"draft": "true"}, json=seizure(), headers=headers)
    replay = api.request("POST", URL, "mx_analyst", params={"draft": "true"}, json=seizure(), headers=headers)
    assert first.status_code == replay.status_code == 201 and first.json()["id"] == replay.json()["id"]
    published = api.request("POST", URL, "mx_analyst", json=seizure(), headers=headers)
    assert published.status_code == 422


def test_a_draft_alerts_partners_only_once_published(api: Api) -> None:
    r = api.request("POST", "/api/v1/watch-rules", "us_analyst", json={"kind": "substance", "value": "NPP"})
    assert r.status_code == 201, r.text
    draft = _draft(api, tlp="green", shared_with_orgs=[])
    assert api.get("/api/v1/alerts", "us_analyst").json()["total"] == 0
    assert api.request("POST", f"{URL}/{draft['id']}/publish", "mx_analyst").status_code == 200
    items = api.get("/api/v1/alerts", "us_analyst").json()["items"]
    assert [a["record_id"] for a in items] == [draft["id"]]
