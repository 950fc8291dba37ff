"""What every use case runs against: the database engine, the knowledge base and how reads are audited.

Each use case opens its own transaction(s) through `begin()`; single-statement reads on the hot path
(authentication, `/me`) use `single_read()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.correlation import Warninglist
from precwatch.core.sharing.tlp import Viewer
from precwatch.hub.token_cache import TokenCache
from precwatch.store import audit, db


@dataclass(frozen=True)
class HubContext:
    """The engine, the knowledge base substances are identified against, and the read-audit durability.

    `durable_read_audit=False` (PostgreSQL only) commits transactions that only record a read without
    waiting for the WAL flush. Audit appends are serialised on the chain head until commit, so this raises
    the rate of audited reads several-fold on slow disks; the price is that a database crash can lose the
    read entries of the last moments (the chain stays intact: entries vanish from the end together with
    the head). Writes always commit durably.
    """

    engine: Engine
    kb: KnowledgeBase
    durable_read_audit: bool = True
    warninglist: Warninglist = field(default_factory=Warninglist)
    """Values never correlated on (the caller loads the bundled one: `precwatch.data.warninglists`)."""
    tokens: TokenCache = field(default_factory=TokenCache)
    """Tokens the database confirmed recently (see `precwatch.hub.token_cache`: security notes there)."""
    _single_reads: Engine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Single-statement reads need no BEGIN/COMMIT round trips on PostgreSQL (one statement is atomic).
        # SQLite keeps the plain engine: its transactions are opened by our own `BEGIN IMMEDIATE`.
        single = (
            self.engine
            if self.engine.dialect.name == "sqlite"
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        object.__setattr__(self, "_single_reads", single)

    def begin(self) -> AbstractContextManager[Connection]:
        """A connection in a new transaction, committed on leaving the block (rolled back on an error)."""
        return self.engine.begin()

    def single_read(self) -> AbstractContextManager[Connection]:
        """A connection for one read statement (autocommit on PostgreSQL)."""
        return self._single_reads.connect()

    def audit_reads(
        self,
        conn: Connection,
        viewer: Viewer,
        action: str,
        reads: Sequence[tuple[str | None, Mapping[str, Any]]],
        *,
        request_id: str | None,
    ) -> None:
        """Append one audit entry per (resource id, detail) in `reads`, the entries `audit_read` would
        append one by one, in one go (`store.audit.append_many`); non-durable commit when so configured."""
        if not reads:
            return
        if not self.durable_read_audit:
            db.commit_without_flush(conn)
        entries = [audit.Entry(action, "incident", rid, request_id, detail) for rid, detail in reads]
        audit.append_many(conn, viewer, entries)

    def audit_read(
        self,
        conn: Connection,
        viewer: Viewer,
        action: str,
        *,
        resource_id: str | None,
        request_id: str | None,
        detail: Mapping[str, Any],
    ) -> None:
        """Append the audit entry of a read of incidents (non-durable commit when so configured)."""
        if not self.durable_read_audit:
            db.commit_without_flush(conn)
        audit.append(
            conn,
            viewer,
            action=action,
            resource="incident",
            resource_id=resource_id,
            request_id=request_id,
            detail=detail,
        )
