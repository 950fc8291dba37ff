"""Migrations: from empty to head on SQLite and PostgreSQL, idempotent, matching the tables, reversible."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from precwatch.store import Store
from precwatch.store.db import current_revision, downgrade, make_engine, upgrade
from precwatch.store.tables import metadata


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert inspect(engine).get_table_names() == []
        upgrade(engine)
        assert current_revision(engine) == "0002"
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
        upgrade(engine)  # a second run changes nothing
        assert current_revision(engine) == "0002"
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_tables_the_store_queries(store: Store) -> None:
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


def test_downgrade_to_base_removes_everything(store: Store) -> None:
    downgrade(store.engine, "base")
    assert [t for t in inspect(store.engine).get_table_names() if t != "alembic_version"] == []
    store.init()
    assert current_revision(store.engine) == "0002"


def test_the_database_refuses_to_change_or_delete_audit_entries(store: Store) -> None:
    store.create_org("Org A", "MX")
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert len(store.audit_entries()) == 1
