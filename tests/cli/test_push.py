"""Pushes to a live hub from the command line: `market push` (online-offer incidents), `osint cluster
--push-hub` (seizure drafts) and `hub publish`, on SQLite and PostgreSQL hubs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from precwatch.cli import main
from precwatch.hub import Hub, IncidentFilter
from tests.support.backends import db_url, hub
from tests.support.live_hub import LiveHub, live_hub

__all__ = ["db_url", "hub"]

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "examples/market"
SEIZURE = ROOT / "tests/data/osint_seizure"
DATES = ("2024-03-01", "2024-06-01", "2024-09-15")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def market_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("market") / "market.db"
    for d in DATES:
        for source, platform in (
            (SAMPLES / "made-in-china" / d, "made-in-china"),
            (SAMPLES / "tradehub" / f"{d}.jsonl", "tradehub"),
        ):
            r = cli("market", "ingest", str(source), "--platform", platform, "--captured-at", d, "--no-systematic",
                    "--db", str(path))  # fmt: skip
            assert r.exit_code == 0, r.output
    return path


@pytest.fixture
def served(hub: Hub, db_url: str) -> Iterator[LiveHub]:
    with live_hub(hub, db_url) as live:
        yield live


def test_market_push_records_each_offer_once(served: LiveHub, market_db: Path) -> None:
    push = ("market", "push", "--hub", served.url, "--token", served.tokens["US"], "--country", "us",
            "--db", str(market_db))  # fmt: skip
    first = cli(*push)
    assert first.exit_code == 0, first.output
    us = served.viewer("US")
    incidents, total = served.hub.list_incidents(us, IncidentFilter(type="online-offer"), limit=500)
    offers = [json.loads(x) for x in cli("market", "offers", "--db", str(market_db)).output.splitlines()]
    named = [o for o in offers if o["matches"]]
    assert total == len(named) > 0
    assert (
        f"{len(offers)} offers read = {len(named)} pushed + {len(offers) - len(named)} not pushed"
        in first.output
    )
    npp = next(
        i for i in incidents if "hengyu-npp" in (i["place"] or "") and i["occurred_on"] == "2024-03-01"
    )
    assert npp["country"] == "US" and npp["tlp"] == "amber" and npp["state"] == "published"
    assert [s["substance"] for s in npp["substances"]][:1] == ["npp"]
    assert npp["parties"][0]["role"] == "vendor" and "stealth-packing" in npp["narrative"]
    again = cli(*push)
    assert again.exit_code == 0, again.output
    assert served.hub.count_incidents(us, IncidentFilter(type="online-offer")) == total
    assert served.hub.count_incidents(served.viewer("MX"), IncidentFilter()) == 0  # amber, not shared


def test_osint_seizures_go_as_drafts_until_published(served: LiveHub, tmp_path: Path) -> None:
    r = cli("osint", "cluster", str(SEIZURE), "--out", str(tmp_path / "c.json"),
            "--push-hub", served.url, "--token", served.tokens["MX"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "1 events read = 1 pushed + 0 not pushed" in r.output
    mx, us = served.viewer("MX"), served.viewer("US")
    (draft,), _ = served.hub.list_incidents(mx, IncidentFilter(), limit=10)
    assert draft["state"] == "draft" and draft["type"] == "seizure" and draft["occurred_on"] == "2024-03-12"
    assert draft["country"] == "MX" and {"npp"} <= {s["substance"] for s in draft["substances"]}
    assert served.hub.get_incident(us, draft["id"]) is None
    again = cli("osint", "cluster", str(SEIZURE), "--out", str(tmp_path / "c.json"),
                "--push-hub", served.url, "--token", served.tokens["MX"])  # fmt: skip
    assert again.exit_code == 0 and served.hub.count_incidents(mx, IncidentFilter()) == 1
    denied = cli("hub", "publish", draft["id"], "--hub", served.url, "--token", served.tokens["US"])
    assert denied.exit_code == 2 and "404" in denied.output
    published = cli("hub", "publish", draft["id"], "--hub", served.url, "--token", served.tokens["MX"])
    assert published.exit_code == 0, published.output
    assert json.loads(published.output.splitlines()[-1]) == {
        "id": draft["id"],
        "state": "published",
        "version": 2,
    }
    seen = served.hub.get_incident(us, draft["id"])
    assert seen is not None and seen["tlp"] == "clear"


def test_a_push_without_a_token_or_hub_is_a_clear_error(tmp_path: Path, market_db: Path) -> None:
    r = cli("market", "push", "--hub", "http://127.0.0.1:9", "--country", "US", "--db", str(market_db))
    assert r.exit_code == 2 and "--token" in r.output
    r = cli("hub", "publish", "x", "--hub", "http://127.0.0.1:9", "--token", "t")
    assert r.exit_code == 2 and "the hub at http://127.0.0.1:9/" in r.output and "unreachable" in r.output


def test_without_country_the_vendors_phones_give_it(served: LiveHub, market_db: Path) -> None:
    r = cli("market", "push", "--hub", served.url, "--token", served.tokens["US"], "--snapshot", "2024-09-15",
            "--db", str(market_db))  # fmt: skip
    assert r.exit_code == 0, r.output
    incidents, total = served.hub.list_incidents(served.viewer("US"), IncidentFilter(), limit=100)
    assert total > 0 and {i["country"] for i in incidents} == {"CN"}  # the sample vendors' phones are +86
    said = " ".join(r.output.split())  # the console wraps long lines
    assert (
        "th-1003: no country: the vendor's phones name none (give --country)" in said
    )  # Quick Chem: Wickr only
    assert "7 offers read = 6 pushed + 1 not pushed" in said
