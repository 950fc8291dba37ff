"""Alembic environment: runs migrations on the engine passed in `config.attributes["engine"]`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from precwatch.store.search import include_object
from precwatch.store.tables import metadata


def run_migrations_online() -> None:
    """Migrate in one transaction on the configured engine (SQLite and PostgreSQL both have transactional DDL)."""
    engine: Engine = context.config.attributes["engine"]
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=metadata, render_as_batch=True, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported: run `precwatch hub init`")
run_migrations_online()
