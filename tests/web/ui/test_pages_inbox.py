"""The notification inbox and the alerts page: a notification or an alert appears in a page exactly when its
record may be seen by the user (oracle written out independently of the hub), actions are CSRF-protected forms
with the optimistic-lock conflict shown plainly, watch rules are created and deleted from the page."""

from __future__ import annotations

from typing import Any

from tests.support.api import USERS, Api
from tests.support.notifications import notification
from tests.support.pages import Browser

TLPS = ("clear", "green", "amber", "amber+strict", "red")


def notify(api: Api, **changes: Any) -> dict[str, Any]:
    r = api.request("POST", "/api/v1/notifications", "cn_analyst", json=notification(**changes))
    assert r.status_code == 201, r.text
    return dict(r.json())


def sees_notification(user: str, tlp: str) -> bool:
    """CN exports to MX, shared with nobody: TLP as for incidents plus the importing country (unless red)."""
    country = USERS[user][0]
    if tlp in ("clear", "green"):
        return True
    if tlp == "red":
        return user == "cn_analyst"
    return country in ("CN", "MX")


def test_the_inbox_shows_exactly_the_notifications_a_user_may_see(api: Api) -> None:
    made = {tlp: notify(api, tlp=tlp, reference=f"REF-{tlp}-Qx") for tlp in TLPS}
    for user in USERS:
        browser = Browser(api, user)
        inbox = browser.get("/ui/notifications")
        assert inbox.status_code == 200
        for tlp, n in made.items():
            detail = browser.get(f"/ui/notifications/{n['id']}")
            if sees_notification(user, tlp):
                assert n["id"] in inbox.text and f"REF-{tlp}-Qx" in inbox.text, (user, tlp)
                assert detail.status_code == 200 and f"REF-{tlp}-Qx" in detail.text, (user, tlp)
            else:
                assert n["id"] not in inbox.text and f"REF-{tlp}-Qx" not in inbox.text, (user, tlp)
                assert detail.status_code == 404 and f"REF-{tlp}-Qx" not in detail.text, (user, tlp)
                r = browser.post(
                    f"/ui/notifications/{n['id']}/act", {"action": "acknowledge", "version": "1"}
                )
                assert r.status_code == 404, (user, tlp)
        overdue = browser.get("/ui/notifications?overdue=true").text
        assert not any(n["id"] in overdue for n in made.values())


def test_an_importer_objects_with_a_reason_and_a_stale_form_is_refused_plainly(api: Api) -> None:
    n = notify(api)
    importer = Browser(api, "mx_analyst")
    page = importer.get(f"/ui/notifications/{n['id']}").text
    assert 'id="act-object"' in page and 'id="act-withdraw"' not in page  # only the importer's actions
    assert 'id="act-withdraw"' in Browser(api, "cn_analyst").get(f"/ui/notifications/{n['id']}").text
    assert 'id="act-' not in Browser(api, "mx_viewer").get(f"/ui/notifications/{n['id']}").text
    url = f"/ui/notifications/{n['id']}/act"
    assert importer.post(url, {"action": "acknowledge", "version": "1"}, csrf="forged").status_code == 403
    assert importer.post(url, {"action": "object", "version": "1", "reason": ""}).status_code == 422
    r = importer.post(url, {"action": "acknowledge", "version": "1"})
    assert r.status_code == 303
    stale = importer.post(url, {"action": "object", "version": "1", "reason": "importer unknown"})
    assert stale.status_code == 409
    assert "you read version 1; it is now at version 2" in stale.text and "Nothing was done" in stale.text
    r = importer.post(url, {"action": "object", "version": "2", "reason": "importer unknown to COFEPRIS"})
    assert r.status_code == 303
    page = importer.get(f"/ui/notifications/{n['id']}").text
    assert 'data-state="objected"' in page and "importer unknown to COFEPRIS" in page
    assert 'id="act-' not in page  # final
    assert api.get(f"/api/v1/notifications/{n['id']}", "cn_analyst").json()["state"] == "objected"
    listed = importer.get("/ui/notifications?state=objected").text
    assert n["id"] in listed and n["id"] not in importer.get("/ui/notifications?state=submitted").text


def test_the_inbox_in_spanish_and_chinese(api: Api) -> None:
    n = notify(api)
    browser = Browser(api, "mx_analyst")
    assert "Notificaciones previas a la exportación" in browser.get("/ui/notifications?lang=es").text
    assert "出口前通知" in browser.get("/ui/notifications?lang=zh").text
    assert "已提交" in browser.get(f"/ui/notifications/{n['id']}?lang=zh").text


def test_alerts_appear_only_while_their_record_is_visible_and_rules_are_managed_on_the_page(api: Api) -> None:
    us = Browser(api, "us_analyst")
    assert us.post("/ui/watch-rules", {"kind": "substance", "value": "unobtainium"}).status_code == 422
    assert us.post("/ui/watch-rules", {"kind": "substance", "value": "NPP"}, csrf="x").status_code == 403
    assert us.post("/ui/watch-rules", {"kind": "substance", "value": "NPP"}).status_code == 303
    (rule,) = api.get("/api/v1/watch-rules", "us_analyst").json()
    hidden = api.create("mx_analyst", tlp="amber")
    shared = api.create("mx_analyst", tlp="amber", shared_with_orgs=[api.orgs["US"].id])
    page = us.get("/ui/alerts").text
    assert shared["id"] in page and hidden["id"] not in page and 'class="unread"' in page
    assert f'id="rule-{rule["id"]}"' in page
    (alert,) = api.get("/api/v1/alerts", "us_analyst").json()["items"]
    for other in ("mx_analyst", "cn_analyst"):  # alerts and rules are private
        theirs = Browser(api, other)
        assert shared["id"] not in theirs.get("/ui/alerts").text
        assert theirs.post(f"/ui/alerts/{alert['id']}/read", {}).status_code == 404
        assert theirs.post(f"/ui/watch-rules/{rule['id']}/delete", {}).status_code == 404
    assert us.post(f"/ui/alerts/{alert['id']}/read", {}).status_code == 303
    assert 'class="unread"' not in us.get("/ui/alerts").text
    assert api.patch("mx_analyst", shared["id"], 1, shared_with_orgs=[]).status_code == 200
    assert shared["id"] not in us.get("/ui/alerts").text  # no longer shared: the alert is gone
    assert us.post(f"/ui/watch-rules/{rule['id']}/delete", {}).status_code == 303
    assert f'id="rule-{rule["id"]}"' not in us.get("/ui/alerts").text
