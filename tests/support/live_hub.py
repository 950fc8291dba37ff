"""A hub served over real HTTP (uvicorn on loopback) with two organisations and analysts' tokens, for the
tests of the jobs that push to it (the hub client, `market push`, `osint ... --push-hub`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from precwatch.hub import Hub, Viewer
from precwatch.settings import load_settings
from tests.support.api import live_server

SECRET = "hub-test-secret-0123456789"


@dataclass
class LiveHub:
    """The base URL of a served hub, the hub under it, and one analyst token per organisation (US, MX)."""

    url: str
    hub: Hub
    tokens: dict[str, str]

    def viewer(self, org: str) -> Viewer:
        found = self.hub.authenticate(self.tokens[org], SECRET)
        assert found is not None
        return found


@contextmanager
def live_hub(hub: Hub, db_url: str) -> Iterator[LiveHub]:
    """`hub` (migrated, on `db_url`) served on a free port, with an analyst in each of US and MX."""
    tokens: dict[str, str] = {}
    for code in ("US", "MX"):
        org = hub.create_org(f"{code} precursor unit", code)
        user = hub.create_user(f"analyst@{code.lower()}.example", org.id, role="analyst")
        _, tokens[code] = hub.issue_token(user.id, datetime.now(UTC) + timedelta(days=1), secret=SECRET)
    with live_server(load_settings(secret=SECRET, database_url=db_url), hub) as url:
        yield LiveHub(url, hub, tokens)
