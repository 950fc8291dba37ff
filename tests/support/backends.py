"""Database backends for tests: a fresh SQLite file, or a fresh schema in the PostgreSQL `test` database.

Import the fixtures in a conftest (`from support.backends import db_url, engine, hub`) and every test that
asks for `db_url`, `engine` or `hub` runs once per backend (ids `sqlite` and `postgresql`). Each test gets an empty
database of its own: SQLite in `tmp_path`; PostgreSQL a uniquely named schema (`search_path` set in the URL),
dropped afterwards. Nothing else in the PostgreSQL database is touched.

PostgreSQL is at `PRECWATCH_TEST_PG_URL` (default postgresql+psycopg://postgres@127.0.0.1:5432/test). When it
is unreachable the PostgreSQL cases are skipped, saying why, unless `PRECWATCH_REQUIRE_PG=1` (CI), where
they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.data.warninglists import load_warninglist
from precwatch.hub import Hub
from precwatch.store.db import make_engine, upgrade

PG_URL = os.environ.get("PRECWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _install_pg_trgm(admin: Engine) -> None:
    """pg_trgm in `public`, once per database (on every test schema's search_path), not in a test schema that
    is dropped afterwards. Concurrent workers may race to create it: the loser finds it there."""
    try:
        with admin.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except (IntegrityError, ProgrammingError):
        pass


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use a new, empty schema; the schema is dropped on exit."""
    schema = f"pw_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        _install_pg_trgm(admin)
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("PRECWATCH_REQUIRE_PG") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc.orig}")
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema},public"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the given backend (`sqlite` or `postgresql`), as a SQLAlchemy URL."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
    elif backend == "postgresql":
        with postgres_schema_url() as url:
            yield url
    else:
        raise ValueError(f"unknown backend {backend!r}")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once per backend."""
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a migrated, empty database, once per backend (for the store's repositories)."""
    e = make_engine(db_url)
    upgrade(e)
    try:
        yield e
    finally:
        e.dispose()


@pytest.fixture
def hub(db_url: str, kb: KnowledgeBase) -> Iterator[Hub]:
    """The hub's use cases on a migrated, empty database with the bundled KB, once per backend."""
    h = Hub.from_url(db_url, kb, warninglist=load_warninglist())
    h.init()
    try:
        yield h
    finally:
        h.close()
