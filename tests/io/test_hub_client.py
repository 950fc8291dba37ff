"""`HubClient` against a real hub served by uvicorn over HTTP (SQLite and PostgreSQL): paging, refusals,
retries on 5xx and a clear error when the hub is unreachable; and `precwatch screen --hub` end to end."""

from __future__ import annotations

import csv
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from precwatch.cli import main
from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import Hub
from precwatch.io import hub_client
from precwatch.io.hub_client import HubClient, HubRefused, HubUnavailable
from precwatch.settings import load_settings
from tests.support.api import live_server
from tests.support.backends import db_url, hub
from tests.support.notifications import notification

__all__ = ["db_url", "hub"]
SECRET = "hub-client-test-secret-0123"


class World:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        gac = hub.create_org("GAC", "CN")
        anam = hub.create_org("ANAM", "MX")
        cbp = hub.create_org("CBP", "US")
        self.users: dict[str, Viewer] = {}
        self.tokens: dict[str, str] = {}
        for name, org in (("li", gac), ("ana", anam), ("bo", cbp)):
            user = hub.create_user(f"{name}@{org.name.lower()}.example", org.id, role="analyst")
            self.users[name] = Viewer(user.id, org.id, "analyst", user.email)
            expires = datetime.now(UTC) + timedelta(days=1)
            self.tokens[name] = hub.issue_token(user.id, expires, secret=SECRET)[1]


@pytest.fixture
def served(hub: Hub, db_url: str) -> Iterator[tuple[str, World]]:
    world = World(hub)
    with live_server(load_settings(secret=SECRET, database_url=db_url), hub) as base:
        yield base, world


def test_pages_through_every_visible_notification(
    served: tuple[str, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, world = served
    ids = {world.hub.create_notification(world.users["li"], notification())["id"] for _ in range(5)}
    monkeypatch.setattr(hub_client, "PAGE_SIZE", 2)
    with HubClient(base, world.tokens["ana"]) as client:
        assert {n["id"] for n in client.notifications()} == ids
        assert client.notifications(state="objected") == []
        assert client.notification(next(iter(ids))) is not None
    with HubClient(base, world.tokens["bo"]) as client:  # amber, not for the US
        assert client.notifications() == []
        assert client.notification(next(iter(ids))) is None


def test_a_bad_token_is_refused_at_once(served: tuple[str, World]) -> None:
    base, _ = served
    with HubClient(base, "not-a-token") as client, pytest.raises(HubRefused) as err:
        client.notifications()
    assert err.value.status == 401


class Flaky(httpx.BaseTransport):
    """Answers 503 to the first `failures` requests, then forwards to the real server."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls <= self.failures:
            return httpx.Response(503, json={"detail": "restarting"})
        return self.real.handle_request(request)


def test_5xx_is_retried_with_backoff(served: tuple[str, World], monkeypatch: pytest.MonkeyPatch) -> None:
    base, world = served
    monkeypatch.setattr(hub_client, "BACKOFF_SECONDS", 0.01)
    flaky = Flaky(2)
    with HubClient(base, world.tokens["ana"], retries=3, transport=flaky) as client:
        assert client.notifications() == []
    assert flaky.calls == 3
    with (
        HubClient(base, world.tokens["ana"], retries=1, transport=Flaky(5)) as client,
        pytest.raises(HubUnavailable),
    ):
        client.notifications()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_hub_names_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub_client, "BACKOFF_SECONDS", 0.01)
    url = f"http://127.0.0.1:{_closed_port()}"
    with HubClient(url, "t", retries=2) as client, pytest.raises(HubUnavailable) as err:
        client.notifications()
    assert url in str(err.value)
    assert "3 attempt(s)" in str(err.value)


COLUMNS = ["id", "date", "shipper_name", "shipper_address", "shipper_country", "consignee_name", "consignee_address", "consignee_country", "hs_code", "description", "quantity", "unit", "value_usd", "transport_mode", "port_of_loading", "port_of_discharge"]  # fmt: skip


def _declarations(path: Path) -> None:
    rows = [
        ["D1", "2026-12-08", "Hubei Chemical Trading Co Ltd", "Wuhan", "CN",
         "QUIMICA FARMACEUTICA DEL PACIFICO SA DE CV", "Manzanillo", "MX", "2933.39",
         "N-PHENETHYL-4-PIPERIDONE 25KG", "25", "kg", "9000", "sea", "CNSHA", "MXZLO"],
        ["D2", "2026-12-08", "Hubei Chemical Trading Co Ltd", "Wuhan", "CN", "Laboratorios Orizaba SA", "Orizaba",
         "MX", "2933.39", "NPP 10KG", "10", "kg", "4000", "sea", "CNSHA", "MXZLO"],
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def test_screen_against_the_hub_end_to_end(served: tuple[str, World], tmp_path: Path) -> None:
    base, world = served
    made = world.hub.create_notification(world.users["li"], notification(consignee=None))
    world.hub.act_on_notification(world.users["ana"], made["id"], action="object", reason="no import licence")
    decl = tmp_path / "declarations.csv"
    _declarations(decl)
    out = tmp_path / "out.jsonl"
    args = ["screen", str(decl), "--no-systematic", "--jobs", "1", "--hub", base, "--out", str(out)]
    r = CliRunner().invoke(main, args, env={"PRECWATCH_HUB_TOKEN": world.tokens["ana"]})
    assert r.exit_code == 0, r.output
    assert "1 pre-export notification(s)" in r.stderr
    verdicts = {
        v["id"]: {x["code"]: x["detail"] for x in v["reasons"]}
        for v in map(json.loads, out.read_text().splitlines())
    }
    assert "no import licence" in verdicts["D1"]["notification-objected"]
    assert "no-pre-export-notification" not in verdicts["D1"]
    assert "no-pre-export-notification" in verdicts["D2"]  # another importer: not covered
    # the US user cannot see the notification: for them nothing covers D1 either
    r = CliRunner().invoke(
        main, [*args[:-2], "--out", str(tmp_path / "us.jsonl"), "--token", world.tokens["bo"]]
    )
    us = {
        v["id"]: {x["code"] for x in v["reasons"]}
        for v in map(json.loads, (tmp_path / "us.jsonl").read_text().splitlines())
    }
    assert "notification-objected" not in us["D1"]
    assert "no-pre-export-notification" in us["D1"]


def test_screen_with_an_unreachable_hub_exits_2(tmp_path: Path) -> None:
    decl = tmp_path / "declarations.csv"
    _declarations(decl)
    url = f"http://127.0.0.1:{_closed_port()}"
    r = CliRunner().invoke(main, ["screen", str(decl), "--no-systematic", "--hub", url, "--token", "x"])
    assert r.exit_code == 2
    assert url in r.stderr
