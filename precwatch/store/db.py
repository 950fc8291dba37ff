"""Engines and schema migrations: SQLite (file, serialised writers) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import select
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_S = 30.0
"""How long a SQLite writer waits for the write lock before failing."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`. SQLite: WAL, foreign keys, and `BEGIN IMMEDIATE` on every transaction, so
    writers queue for the lock up front (no deadlocked upgrades from read to write); a `postgresql://`
    URL uses psycopg 3, and every pooled connection is checked for life at checkout without a round trip
    (`refuse_dead_connections`)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "checkout", refuse_dead_connections)
        return engine
    if parsed.database in (None, "", ":memory:"):
        raise ValueError("the hub needs a SQLite file (an in-memory database is private to one connection)")
    engine = create_engine(
        parsed,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _readable(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def refuse_dead_connections(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """Pool `checkout` hook (PostgreSQL): a pooled connection the server has closed is replaced before use.

    An idle connection has nothing to read: PostgreSQL speaks only when asked. When the server ends a
    session (restart, `pg_terminate_backend`, idle timeout) it sends its last error message and closes the
    socket, so the socket becomes readable. Checking that is one `poll()` system call (~2 us), where
    `pool_pre_ping` sent a query and waited for its answer on every checkout (a round trip, 2-3 per API
    request). Raising `DisconnectionError` makes the pool drop this connection and hand out a fresh one
    (SQLAlchemy retries the checkout). A connection that dies mid-statement fails that statement, as it
    did with the ping; a silent network partition (no close ever arrives) hangs a ping as it hangs a query.
    """
    if dbapi_conn.closed:
        raise DisconnectionError("the connection is closed")
    if _readable(dbapi_conn.fileno()):
        raise DisconnectionError("the server closed the connection (or sent an unrequested message)")


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that needs no alembic.ini: scripts ship inside the package."""
    from alembic.config import Config  # imported here: only migrations need Alembic (~0.3 s to load)

    cfg = Config()
    cfg.set_main_option("script_location", "precwatch.store:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to `revision` (`base` drops every table)."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None: not initialised)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def commit_without_flush(conn: Connection) -> None:
    """PostgreSQL: let this transaction commit without waiting for the WAL flush (`SET LOCAL
    synchronous_commit = off`); a crash may lose it, never break it. No effect on other backends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL synchronous_commit = off"))
