"""Watch rules and alerts over HTTP on both databases, and webhook delivery to a real local receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from precwatch.io.webhooks import signature
from tests.support.api import Api

API = "/api/v1"


def watch(api: Api, user: str, kind: str, value: str, **extra: Any) -> dict[str, Any]:
    r = api.request("POST", f"{API}/watch-rules", user, json={"kind": kind, "value": value, **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


def alerts(api: Api, user: str, **params: Any) -> dict[str, Any]:
    r = api.get(f"{API}/alerts", user, params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_rules_of_every_kind_raise_alerts_on_visible_records_only(api: Api) -> None:
    rule = watch(api, "us_analyst", "substance", "39742-60-4")
    assert rule["key"] == "npp" and rule["webhook_secret"] is None
    watch(api, "us_analyst", "country", "South Korea")
    watch(api, "cn_analyst", "party", "+52 55 5555 0101")  # the consignee's phone
    watch(api, "cn_analyst", "text", "false bottom")
    hidden = api.create("mx_analyst", tlp="amber")
    assert alerts(api, "us_analyst")["total"] == 0
    seen = api.create("mx_analyst")
    got = alerts(api, "us_analyst")
    assert got["total"] == got["unread"] == 2
    assert {a["record_id"] for a in got["items"]} == {seen["id"]}
    assert hidden["id"] not in json.dumps(got)
    assert {a["detail"]["rule"]["kind"] for a in alerts(api, "cn_analyst")["items"]} == {"party", "text"}
    assert alerts(api, "mx_analyst")["total"] == 0  # no rules, and an author is not alerted on their own


def test_redacted_values_never_match_a_rule(api: Api) -> None:
    watch(api, "us_analyst", "party", "+52 55 5555 0101")
    api.create("mx_analyst", owner_only=["phones"])
    assert alerts(api, "us_analyst")["total"] == 0


def test_read_unread_and_updates(api: Api) -> None:
    watch(api, "us_analyst", "substance", "NPP")
    created = api.create("mx_analyst")
    (first,) = alerts(api, "us_analyst")["items"]
    assert "New incident" in first["message"] and not first["read"]
    r = api.request("POST", f"{API}/alerts/{first['id']}/read", "us_analyst")
    assert r.status_code == 200 and r.json()["read"] is True
    assert api.request("POST", f"{API}/alerts/{first['id']}/read", "cn_analyst").status_code == 404
    assert api.patch("mx_analyst", created["id"], 1, place="Lazaro Cardenas").status_code == 200
    got = alerts(api, "us_analyst")
    assert (got["total"], got["unread"]) == (2, 1)
    assert "Updated incident" in alerts(api, "us_analyst", unread="true")["items"][0]["message"]
    assert alerts(api, "us_analyst", unread="false")["total"] == 1


def test_an_alert_disappears_when_its_record_is_no_longer_shared(api: Api) -> None:
    watch(api, "us_analyst", "substance", "NPP")
    rec = api.create("mx_analyst", tlp="amber", shared_with_orgs=[api.orgs["US"].id])
    (alert,) = alerts(api, "us_analyst")["items"]
    assert api.patch("mx_analyst", rec["id"], 1, shared_with_orgs=[]).status_code == 200
    assert alerts(api, "us_analyst") == {"items": [], "total": 0, "unread": 0, "limit": 50, "offset": 0}
    assert api.request("POST", f"{API}/alerts/{alert['id']}/read", "us_analyst").status_code == 404


def test_rules_are_private_and_bad_rules_are_refused(api: Api) -> None:
    rule = watch(api, "us_analyst", "country", "MX")
    assert [r["id"] for r in api.get(f"{API}/watch-rules", "us_analyst").json()] == [rule["id"]]
    assert api.get(f"{API}/watch-rules", "mx_analyst").json() == []
    assert api.request("DELETE", f"{API}/watch-rules/{rule['id']}", "mx_analyst").status_code == 404
    assert api.request("DELETE", f"{API}/watch-rules/{rule['id']}", "us_analyst").status_code == 204
    for body in (
        {"kind": "substance", "value": "no such chemical"},
        {"kind": "country", "value": "Atlantis"},
        {"kind": "planet", "value": "x"},
        {"kind": "text", "value": "x", "webhook_url": "ftp://example.org/"},
    ):
        assert api.request("POST", f"{API}/watch-rules", "us_analyst", json=body).status_code == 422, body
    assert api.client.get(f"{API}/alerts").status_code == 401


LOCAL = ("127.0.0.0/8",)
"""The test receiver listens on loopback, which webhooks may reach only when an operator allows it."""


@contextmanager
def receiver(statuses: list[int]) -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A real HTTP server on a free port answering the given statuses in turn (then 200)."""
    received: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(statuses.pop(0) if statuses else 200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def test_webhooks_are_signed_retried_and_dead_lettered(api: Api) -> None:
    with receiver([500]) as (url, received), httpx.Client(timeout=5) as client:
        rule = watch(api, "us_analyst", "substance", "NPP", webhook_url=url)
        secret = rule["webhook_secret"]
        api.create("mx_analyst")
        assert api.hub.deliver_webhooks(client, allowed_networks=LOCAL) == {
            "delivered": 0,
            "retry": 1,
            "dead": 0,
        }
        assert api.hub.deliver_webhooks(client, allowed_networks=LOCAL) == {
            "delivered": 0,
            "retry": 0,
            "dead": 0,
        }
        from datetime import UTC, datetime, timedelta

        from precwatch.hub import webhooks

        later = datetime.now(UTC) + timedelta(minutes=5)
        done = webhooks.deliver_due(api.hub.ctx, client, now=later, allowed_networks=LOCAL)
        assert done == {"delivered": 1, "retry": 0, "dead": 0}
        headers, body = received[-1]
        assert headers["X-Precwatch-Signature"] == signature(
            secret, int(headers["X-Precwatch-Timestamp"]), body
        )
        assert json.loads(body)["kind"] == "watch"
        # an unreachable receiver: dead-lettered after the last attempt
        watch(api, "cn_analyst", "substance", "NPP", webhook_url="http://127.0.0.1:9/nothing")
        api.create("mx_analyst")
        done = webhooks.deliver_due(api.hub.ctx, client, now=later, max_attempts=1, allowed_networks=LOCAL)
        assert done["dead"] == 1
        assert api.hub.webhook_counts()["dead"] == 1


@pytest.mark.parametrize(
    "target",
    ["http://{local}/hook", "http://localhost:{port}/hook", "http://169.254.169.254/latest/meta-data/",
     "http://10.1.2.3/hook", "http://[::1]:{port}/hook", "http://[::ffff:127.0.0.1]:{port}/hook"],
)  # fmt: skip
def test_webhooks_never_reach_the_hubs_own_network_unless_allowed(api: Api, target: str) -> None:
    """A user-chosen URL on localhost, a private network or the cloud metadata address is never posted to:
    the delivery is dead-lettered at once with the reason, and the receiver sees nothing."""
    from sqlalchemy import select

    from precwatch.hub import webhooks
    from precwatch.store.tables import webhook_deliveries

    with receiver([]) as (url, received), httpx.Client(timeout=2) as client:
        port = url.split(":")[2].split("/")[0]
        watch(api, "us_analyst", "substance", "NPP",
              webhook_url=target.format(local=f"127.0.0.1:{port}", port=port))  # fmt: skip
        api.create("mx_analyst")
        assert webhooks.deliver_due(api.hub.ctx, client) == {"delivered": 0, "retry": 0, "dead": 1}
        assert received == []
        with api.hub.ctx.begin() as conn:
            errors = [str(e) for e in conn.execute(select(webhook_deliveries.c.last_error)).scalars()]
        assert errors and "not a public address" in errors[-1]
