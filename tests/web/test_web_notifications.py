"""Pre-export notifications over HTTP, on SQLite and PostgreSQL: every transition, deadlines, sides,
illegal moves, optimistic locking, history and the audit chain, and who sees what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.api import Api
from tests.support.notifications import notification

API = "/api/v1/notifications"


def _create(api: Api, user: str = "cn_analyst", **changes: Any) -> dict[str, Any]:
    r = api.request("POST", API, user, json=notification(**changes))
    assert r.status_code == 201, r.text
    assert r.headers["ETag"] == '"1"'
    return dict(r.json())


def _act(api: Api, user: str, nid: str, action: str, version: int, reason: str | None = None) -> Any:
    body = {"reason": reason} if reason is not None else None
    return api.request("POST", f"{API}/{nid}/{action}", user, json=body, headers={"If-Match": f'"{version}"'})


def test_create_resolves_substances_and_sets_the_deadline(api: Api) -> None:
    created = _create(api, response_days=10)
    assert created["state"] == "submitted"
    assert created["exporting_country"] == "CN"
    assert created["importing_country"] == "MX"
    assert created["substances"][0]["cas"] == "39742-60-4"
    assert created["overdue"] is False
    deadline = datetime.fromisoformat(created["deadline_at"])
    assert deadline - datetime.fromisoformat(created["created_at"]) == timedelta(days=10)


def test_unknown_substance_is_refused_naming_the_field(api: Api) -> None:
    body = notification(substances=[{"substance": "unobtainium", "quantity": 1, "unit": "kg"}])
    r = api.request("POST", API, "cn_analyst", json=body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "substances", 0, "substance"]


def test_only_the_exporting_country_notifies_its_exports(api: Api) -> None:
    r = api.request("POST", API, "us_analyst", json=notification())
    assert r.status_code == 403
    assert api.request("POST", API, "mx_viewer", json=notification()).status_code == 403


def test_acknowledge_then_clear(api: Api) -> None:
    n = _create(api)
    r = _act(api, "mx_analyst", n["id"], "acknowledge", 1)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "acknowledged"
    assert r.headers["ETag"] == '"2"'
    r = _act(api, "mx_admin", n["id"], "clear", 2, "importer licensed, quantity plausible")
    assert r.json()["state"] == "cleared"
    history = api.get(f"{API}/{n['id']}/history", "cn_analyst").json()["items"]
    assert [(h["action"], h["from_state"], h["to_state"]) for h in history] == [
        ("create", None, "submitted"),
        ("acknowledge", "submitted", "acknowledged"),
        ("clear", "acknowledged", "cleared"),
    ]
    actions = [e.action for e in api.hub.audit_entries() if e.resource_id == n["id"]]
    assert actions[0] == "notification.create"
    assert "notification.acknowledge" in actions
    assert "notification.clear" in actions
    assert api.hub.verify_audit() == []


def test_objection_needs_a_reason_and_is_final(api: Api) -> None:
    n = _create(api)
    assert _act(api, "mx_analyst", n["id"], "object", 1, "").status_code == 422
    r = _act(api, "mx_analyst", n["id"], "object", 1, "importer unknown to COFEPRIS")
    assert r.status_code == 200
    assert r.json()["state_reason"] == "importer unknown to COFEPRIS"
    for action in ("acknowledge", "clear", "object"):
        r = _act(api, "mx_analyst", n["id"], action, 2, "again")
        assert r.status_code == 409, action
        assert "objected" in r.json()["detail"]
    assert _act(api, "cn_analyst", n["id"], "withdraw", 2, "too late").status_code == 409


def test_withdraw_by_the_exporter_only(api: Api) -> None:
    n = _create(api)
    assert _act(api, "mx_analyst", n["id"], "withdraw", 1, "no").status_code == 403
    assert _act(api, "cn_analyst", n["id"], "clear", 1).status_code == 403
    r = _act(api, "cn_analyst", n["id"], "withdraw", 1, "buyer cancelled the order")
    assert r.json()["state"] == "withdrawn"
    assert _act(api, "mx_analyst", n["id"], "clear", 2).status_code == 409


def test_optimistic_locking(api: Api) -> None:
    n = _create(api)
    no_match = api.request("POST", f"{API}/{n['id']}/acknowledge", "mx_analyst")
    assert no_match.status_code == 428
    assert _act(api, "mx_analyst", n["id"], "acknowledge", 1).status_code == 200
    stale = _act(api, "mx_analyst2", n["id"], "object", 1, "late objection")
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert api.get(f"{API}/{n['id']}", "mx_analyst").json()["state"] == "acknowledged"


def test_overdue_is_computed_from_the_hub_clock(api: Api) -> None:
    waiting = _create(api, response_days=5)
    answered = _create(api, response_days=5)
    assert _act(api, "mx_analyst", answered["id"], "clear", 1).status_code == 200
    acked = _create(api, response_days=30)
    assert _act(api, "mx_analyst", acked["id"], "acknowledge", 1).status_code == 200
    later = datetime.now(UTC) + timedelta(days=6)
    api.hub.clock = lambda: later
    assert api.get(f"{API}/{waiting['id']}", "mx_analyst").json()["overdue"] is True
    assert api.get(f"{API}/{answered['id']}", "mx_analyst").json()["overdue"] is False
    overdue = api.get(API, "mx_analyst", params={"overdue": "true"}).json()
    assert [n["id"] for n in overdue["items"]] == [waiting["id"]]
    assert overdue["total"] == 1
    not_overdue = {n["id"] for n in api.get(API, "mx_analyst", params={"overdue": "false"}).json()["items"]}
    assert not_overdue == {answered["id"], acked["id"]}
    much_later = datetime.now(UTC) + timedelta(days=31)
    api.hub.clock = lambda: much_later
    assert api.get(f"{API}/{acked['id']}", "mx_analyst").json()["overdue"] is True
    assert api.get(API, "mx_analyst", params={"overdue": "true"}).json()["total"] == 2


def test_filters(api: Api) -> None:
    a = _create(api)
    b = _create(api)
    assert _act(api, "mx_analyst", b["id"], "object", 1, "no licence").status_code == 200
    objected = api.get(API, "mx_analyst", params={"state": "objected"}).json()
    assert [n["id"] for n in objected["items"]] == [b["id"]]
    assert api.get(API, "mx_analyst", params={"country": "CN"}).json()["total"] == 2
    assert api.get(API, "mx_analyst", params={"country": "US"}).json()["total"] == 0
    assert api.get(API, "mx_analyst", params={"substance": "npp"}).json()["total"] == 2
    assert api.get(API, "mx_analyst", params={"substance": "unobtainium"}).json()["total"] == 0
    page = api.get(API, "mx_analyst", params={"limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["next"]
    assert {a["id"], b["id"]} == {n["id"] for n in api.get(API, "cn_analyst").json()["items"]}


MX = {"mx_admin", "mx_analyst", "mx_analyst2", "mx_viewer"}
US = {"us_admin", "us_analyst", "us_viewer"}


@pytest.mark.parametrize(
    ("tlp", "extra", "sees"),
    [
        ("amber", {}, {"cn_analyst", *MX}),
        ("amber+strict", {}, {"cn_analyst", *MX}),
        ("amber", {"shared_with_orgs": ["US"]}, {"cn_analyst", *MX, *US}),
        ("green", {}, {"cn_analyst", *MX, *US}),
        ("red", {}, {"cn_analyst"}),
        ("red", {"shared_with_users": ["mx_analyst"]}, {"cn_analyst", "mx_analyst"}),
    ],
)  # fmt: skip
def test_who_sees_what(api: Api, tlp: str, extra: dict[str, list[str]], sees: set[str]) -> None:
    changes: dict[str, Any] = {"tlp": tlp}
    if "shared_with_orgs" in extra:
        changes["shared_with_orgs"] = [api.orgs[o].id for o in extra["shared_with_orgs"]]
    if "shared_with_users" in extra:
        changes["shared_with_users"] = [api.users[u].id for u in extra["shared_with_users"]]
    n = _create(api, **changes)
    nid = n["id"]
    for user in api.tokens:
        visible = user in sees
        one = api.get(f"{API}/{nid}", user)
        assert one.status_code == (200 if visible else 404), (user, one.text)
        if not visible:
            assert one.json() == {"detail": "Not Found"}
        assert (api.get(f"{API}/{nid}/history", user).status_code == 200) is visible
        listed = api.get(API, user).json()
        assert (nid in {i["id"] for i in listed["items"]}) is visible, user
        assert listed["total"] == (1 if visible else 0)
        for action in ("acknowledge", "withdraw"):
            r = _act(api, user, nid, action, 1, "x")
            if not visible:
                # viewers are refused before any lookup (403 whatever the id), so nothing leaks either way
                assert r.status_code == (403 if user.endswith("viewer") else 404), (user, action)
    assert api.get(f"{API}/{nid}", "cn_analyst").json()["state"] in ("submitted", "acknowledged", "withdrawn")
