"""Migrations: from empty to head on SQLite and PostgreSQL, idempotent, matching the tables, reversible."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, insert, inspect, text
from sqlalchemy.exc import DBAPIError

from precwatch.core.sharing.incidents import search_text, validate_incident
from precwatch.core.sharing.tlp import Viewer
from precwatch.store import IncidentFilter, accounts, audit
from precwatch.store import incidents as repo
from precwatch.store.db import alembic_config, current_revision, downgrade, make_engine, upgrade
from precwatch.store.search import include_object
from precwatch.store.tables import incidents, metadata
from tests.support.samples import seizure

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


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


def test_full_text_search_migration_indexes_existing_incidents(db_url: str) -> None:
    """Rows written before 0006 (search text as 0005 stored it) are found by the new search after upgrading,
    and rows written after it too; a downgrade and upgrade again loses nothing."""
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0005")
        with engine.begin() as conn:
            org = accounts.insert_org(conn, "MX agency", "MX", created_at=NOW)
            user = accounts.insert_user(conn, "a@mx.example", org.id, role="analyst", created_at=NOW)
            viewer = Viewer(user.id, org.id, "analyst", user.email)
            for n, narrative in enumerate(("湖北嘉运化工 shipment", "routine drums")):
                body = _body(narrative)
                row = {**_incident_row(body, viewer, n), "search_owner": search_text(body, owner=True)}
                row["search_public"] = search_text(body, owner=False)  # the 0005 form: Han runs unsplit
                conn.execute(insert(incidents), row)

        def found(q: str) -> int:
            with engine.connect() as conn:
                return repo.count_visible(conn, viewer, IncidentFilter(q=q))

        upgrade(engine)
        assert (found("嘉运"), found("shipm"), found("drum"), found("化工 routine")) == (1, 1, 2, 0)
        with engine.begin() as conn:
            body = _body("嘉运 again")
            conn.execute(insert(incidents), {**_incident_row(body, viewer, 2), **repo.derived_columns(body)})
        assert found("嘉运") == 2
        downgrade(engine, "0005")
        upgrade(engine)
        assert (found("嘉运"), found("again")) == (2, 1)
    finally:
        engine.dispose()


def _body(narrative: str) -> dict[str, Any]:
    body = validate_incident(seizure(narrative=narrative, tlp="green"))
    body["substances"] = [{"substance": "npp"}]
    return body


def _incident_row(body: dict[str, Any], viewer: Viewer, n: int) -> dict[str, Any]:
    return {
        **repo.derived_columns(body),
        "id": f"inc{n}",
        "owner_org_id": viewer.org_id,
        "owner_user_id": viewer.user_id,
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
    }
