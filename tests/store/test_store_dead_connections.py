"""A pooled PostgreSQL connection the server has ended is replaced at checkout, without a ping.

`make_engine` no longer sends a liveness query on every checkout (`pool_pre_ping`); it asks the socket
instead (`precwatch.store.db.refuse_dead_connections`). These tests end the pooled session from another
connection, as a server restart or an idle timeout would, and check that the next use gets a working one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import Hub
from precwatch.store.db import make_engine
from tests.support.backends import postgres_schema_url


def _terminate(url: str, pid: int) -> None:
    """End backend `pid` as the server would (it sends a FATAL message and closes the socket)."""
    admin = create_engine(url, poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    time.sleep(0.2)  # the close reaches the client's socket


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema_url() as url:
        yield url


def test_no_ping_query_on_checkout(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(pg_url, pool_size=1)
    pings: list[object] = []
    monkeypatch.setattr(engine.dialect, "do_ping", lambda dbapi_conn: pings.append(dbapi_conn) or True)
    try:
        for _ in range(3):
            assert _backend_pid(engine) > 0
        assert pings == []
    finally:
        engine.dispose()


def test_a_dead_pooled_connection_is_replaced(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        first = _backend_pid(engine)
        _terminate(pg_url, first)
        second = _backend_pid(engine)  # would raise OperationalError if the dead one were handed out
        assert second != first
        assert _backend_pid(engine) == second  # the fresh connection is pooled and reused
    finally:
        engine.dispose()


def test_every_dead_connection_of_a_restart_is_replaced(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=3, max_overflow=0)
    try:
        held = [engine.connect() for _ in range(3)]
        pids = [int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in held]
        for c in held:
            c.close()
        for pid in pids:
            _terminate(pg_url, pid)
        fresh = [engine.connect() for _ in range(3)]
        try:
            now = {int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in fresh}
        finally:
            for c in fresh:
                c.close()
        assert not now & set(pids)
    finally:
        engine.dispose()


def test_hub_requests_survive_a_killed_session(pg_url: str, kb: KnowledgeBase) -> None:
    """The hub's use cases (a read and an audited write) answer after their pooled session was ended."""
    hub = Hub.from_url(pg_url, kb, pool_size=1, max_overflow=0)
    try:
        hub.init()
        org = hub.create_org("MX agency", "MX")
        user = hub.create_user("a@mx.example", org.id, role="analyst")
        viewer = Viewer(user.id, org.id, "analyst", user.email)
        _terminate(pg_url, _backend_pid(hub.engine))
        made = hub.create_incident(
            viewer,
            {
                "type": "seizure",
                "occurred_on": "2025-01-02",
                "country": "MX",
                "substances_text": "NPP",
                "tlp": "amber",
            },
        )
        _terminate(pg_url, _backend_pid(hub.engine))
        assert hub.get_incident(viewer, made["id"]) is not None
        assert hub.verify_audit() == []
    finally:
        hub.close()
