"""Hub tests run over HTTP against the app, on SQLite and on PostgreSQL (fixtures from tests/backends.py).

`hub` is a fresh database, a migrated store, the app and a small population (organisations MX, US, CN and
users of every role, each with a real token): see `hub_world.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hub_world import Hub, make_hub, open_client

from precwatch.hub.settings import HubSettings, load_settings
from precwatch.store import Store
from tests.backends import db_url, store

SECRET = "hub-test-secret-0123456789"

__all__ = ["db_url", "store"]


@pytest.fixture
def settings(db_url: str) -> HubSettings:
    return load_settings(secret=SECRET, database_url=db_url)


@pytest.fixture
def hub(store: Store, settings: HubSettings) -> Iterator[Hub]:
    with open_client(settings, store) as client:
        yield make_hub(client, store, settings)
