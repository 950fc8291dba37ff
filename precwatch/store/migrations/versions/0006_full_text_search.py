"""Full-text search on incidents (`precwatch.store.search`): tsvector + GIN and pg_trgm on PostgreSQL, FTS5 on SQLite.

Existing rows are re-tokenised (Han and kana characters become words of their own) and indexed here; new,
changed and deleted rows are kept in the index by the database itself (generated columns on PostgreSQL,
triggers on SQLite). These objects are not in the SQLAlchemy metadata (`search.include_object`).

SQLite: the FTS5 rows are keyed by `incidents.rowid`. A later migration that rebuilds `incidents` with
`batch_alter_table` (copy and rename) drops the triggers and may renumber rows: it must recreate the
triggers and repopulate `incidents_fts` (`sqlite_objects` and `backfill_sqlite` below).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from precwatch.store.search import FTS_TABLE, FTS_TOKENIZER, index_text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_owner, search_public, tokenize='{FTS_TOKENIZER}')",
    f"""CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_owner, search_public)
        VALUES (new.rowid, new.search_owner, new.search_public);
    END""",
    f"""CREATE TRIGGER incidents_fts_update AFTER UPDATE OF search_owner, search_public ON incidents BEGIN
        UPDATE {FTS_TABLE} SET search_owner = new.search_owner, search_public = new.search_public
        WHERE rowid = old.rowid;
    END""",
    f"""CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.rowid;
    END""",
]

_PG_TRGM_MISSING = (
    "full-text search needs the PostgreSQL extension pg_trgm (in the postgresql-contrib package): "
    "install it, or have a superuser run `CREATE EXTENSION pg_trgm` in this database, then migrate again"
)


def _retokenise(conn: sa.Connection) -> None:
    """Rewrite the stored search text of existing rows in the indexed form (`search.index_text`)."""
    rows = conn.execute(sa.text("SELECT id, search_owner, search_public FROM incidents")).all()
    changed = [
        {"id": r.id, "o": index_text(r.search_owner), "p": index_text(r.search_public)}
        for r in rows
        if (index_text(r.search_owner), index_text(r.search_public)) != (r.search_owner, r.search_public)
    ]
    if changed:
        conn.execute(
            sa.text("UPDATE incidents SET search_owner = :o, search_public = :p WHERE id = :id"), changed
        )


def _pg_trgm(conn: sa.Connection) -> None:
    """Make sure pg_trgm is installed and usable from this schema, or fail saying what to do."""
    installed = conn.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if installed is None:
        available = conn.execute(
            sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        ).first()
        if available is None:
            raise RuntimeError(_PG_TRGM_MISSING)
        with conn.begin_nested():
            try:
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            except sa.exc.DBAPIError as exc:
                raise RuntimeError(f"{_PG_TRGM_MISSING} ({exc.orig})") from exc
    visible = conn.execute(
        sa.text("SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops' AND pg_opclass_is_visible(oid)")
    ).first()
    if visible is None:
        raise RuntimeError(
            "pg_trgm is installed in a schema that is not on this connection's search_path: "
            "add that schema (usually `public`) to the search_path of the hub's database user"
        )


def backfill_sqlite(conn: sa.Connection) -> None:
    """Index every incident in the FTS5 table (after creating it, or after a rebuild of `incidents`)."""
    conn.execute(sa.text(f"DELETE FROM {FTS_TABLE}"))
    conn.execute(
        sa.text(
            f"INSERT INTO {FTS_TABLE}(rowid, search_owner, search_public) "
            "SELECT rowid, search_owner, search_public FROM incidents"
        )
    )


def upgrade() -> None:
    """Re-tokenise existing rows, then create the indexes (PostgreSQL) or the FTS5 table and triggers (SQLite)."""
    conn = op.get_bind()
    _retokenise(conn)
    if conn.dialect.name == "postgresql":
        _pg_trgm(conn)
        for audience in ("owner", "public"):
            op.execute(
                f"ALTER TABLE incidents ADD COLUMN search_{audience}_tsv tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('simple', search_{audience})) STORED"
            )
            op.execute(
                f"CREATE INDEX ix_incidents_search_{audience}_tsv ON incidents USING gin (search_{audience}_tsv)"
            )
            op.execute(
                f"CREATE INDEX ix_incidents_party_names_{audience}_trgm ON incidents "
                f"USING gin (party_names_{audience} gin_trgm_ops)"
            )
    else:
        for statement in _SQLITE_CREATE:
            op.execute(statement)
        backfill_sqlite(conn)


def downgrade() -> None:
    """Drop the search objects (the stored search text keeps its indexed form: `LIKE` still finds words)."""
    if op.get_bind().dialect.name == "postgresql":
        for audience in ("owner", "public"):
            op.execute(f"DROP INDEX IF EXISTS ix_incidents_party_names_{audience}_trgm")
            op.execute(f"DROP INDEX IF EXISTS ix_incidents_search_{audience}_tsv")
            op.execute(f"ALTER TABLE incidents DROP COLUMN IF EXISTS search_{audience}_tsv")
    else:
        for trigger in ("incidents_fts_insert", "incidents_fts_update", "incidents_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
