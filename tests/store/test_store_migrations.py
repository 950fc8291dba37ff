"""Migrations: from empty to head on SQLite and PostgreSQL, idempotent, matching the tables, reversible."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from precwatch.store import audit
from precwatch.store.db import alembic_config, current_revision, downgrade, make_engine, upgrade
from precwatch.store.search import include_object
from precwatch.store.tables import metadata


def head_revision(engine: Engine) -> str:
    """The one head of the migration chain (a second head would be a broken chain)."""
    (head,) = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    return str(head)


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert inspect(engine).get_table_names() == []
        upgrade(engine)
        assert current_revision(engine) == head_revision(engine)
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
        upgrade(engine)  # a second run changes nothing
        assert current_revision(engine) == head_revision(engine)
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_tables_the_store_queries(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diffs = compare_metadata(context, metadata)
    assert diffs == []


def test_downgrade_to_base_removes_everything(engine: Engine) -> None:
    downgrade(engine, "base")
    assert [t for t in inspect(engine).get_table_names() if t != "alembic_version"] == []
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)


def test_the_database_refuses_to_change_or_delete_audit_entries(engine: Engine) -> None:
    with engine.begin() as conn:
        audit.append(conn, None, action="org.create", resource="org", resource_id="1")
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert len(audit.entries(conn)) == 1
