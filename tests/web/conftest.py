"""Web tests run over HTTP against the app, on SQLite and on PostgreSQL (fixtures from tests/support/).

`api` is a fresh database, a migrated hub, the app and a small population (organisations MX, US, CN and
users of every role, each with a real token): see `tests/support/api.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from precwatch.hub import Hub
from precwatch.settings import Settings, load_settings
from tests.support.api import Api, make_api, open_client
from tests.support.backends import db_url, hub

SECRET = "hub-test-secret-0123456789"

__all__ = ["db_url", "hub"]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return load_settings(secret=SECRET, database_url=db_url)


@pytest.fixture
def api(hub: Hub, settings: Settings) -> Iterator[Api]:
    with open_client(settings, hub) as client:
        yield make_api(client, hub, settings)
