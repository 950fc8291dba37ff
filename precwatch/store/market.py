"""The market store: snapshots, their listings (with offers read at ingest), contacts, rejects, and
analyst judgements. SQLAlchemy Core over SQLite (default) or PostgreSQL; the schema is migration 0002.

Re-ingesting a snapshot (same platform and capture date) replaces its rows in one transaction, so running
an ingest twice leaves the store as running it once. Judgements are append-only: the latest on a pair wins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
)

from precwatch.core.market.judgements import Judgement
from precwatch.store import db
from precwatch.store.tables import UtcDateTime, metadata

market_snapshots = Table(
    "market_snapshots",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("platform", String(200), nullable=False),
    Column("captured_at", String(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("read", Integer, nullable=False),
    Column("stored", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("ingested_at", UtcDateTime(), nullable=False),
)

market_listings = Table(
    "market_listings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", String(300), ForeignKey("market_snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("listing_key", String(1200), nullable=False),
    Column("listing_id", Text, nullable=False),
    Column("platform", String(200), nullable=False),
    Column("captured_at", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("snapshot_id", "listing_key", name="uq_market_listings_snapshot_key"),
    Index("ix_market_listings_key", "listing_key"),
)

market_contacts = Table(
    "market_contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", String(300), ForeignKey("market_snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("listing_key", String(1200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", String(400), nullable=False),
    Index("ix_market_contacts_value", "kind", "value"),
)

market_rejects = Table(
    "market_rejects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", String(300), ForeignKey("market_snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("file", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", Text, nullable=False),
)

market_judgements = Table(
    "market_judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a", String(1200), nullable=False),
    Column("b", String(1200), nullable=False),
    Column("same", Boolean, nullable=False),
    Column("author", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One ingested snapshot and its counts (`read == stored + rejected`)."""

    id: str
    platform: str
    captured_at: str
    source: str
    read: int
    stored: int
    rejected: int


def snapshot_id(platform: str, captured_at: str) -> str:
    """The id of the snapshot of `platform` captured at `captured_at` (re-ingest replaces it)."""
    return f"{platform}@{captured_at}"


class MarketStore:
    """Snapshots, listings, contacts, rejects and judgements in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> MarketStore:
        return cls(db.make_engine(url))

    def init(self) -> None:
        """Create or upgrade the schema (idempotent)."""
        db.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def replace_snapshot(
        self,
        info: SnapshotInfo,
        listings: Sequence[dict[str, Any]],
        rejects: Sequence[dict[str, Any]],
    ) -> None:
        """Store a snapshot, replacing any earlier ingest of it, in one transaction.

        Each listing is a JSON-ready dict with at least `listing_key`, `listing_id`, `title` and `contacts`
        (`[{"kind", "value"}]`); each reject has `file`, `line`, `reason`, `raw`.
        """
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for table in (market_contacts, market_rejects, market_listings):
                conn.execute(delete(table).where(table.c.snapshot_id == info.id))
            conn.execute(delete(market_snapshots).where(market_snapshots.c.id == info.id))
            conn.execute(
                insert(market_snapshots).values(
                    id=info.id, platform=info.platform, captured_at=info.captured_at, source=info.source,
                    read=info.read, stored=info.stored, rejected=info.rejected, ingested_at=now,
                )
            )  # fmt: skip
            if listings:
                conn.execute(
                    insert(market_listings),
                    [
                        {
                            "snapshot_id": info.id,
                            "listing_key": row["listing_key"],
                            "listing_id": row["listing_id"],
                            "platform": info.platform,
                            "captured_at": row.get("captured_at") or info.captured_at,
                            "title": row.get("title") or "",
                            "data": row,
                        }
                        for row in listings
                    ],
                )
                contacts = [
                    {
                        "snapshot_id": info.id,
                        "listing_key": row["listing_key"],
                        "kind": c["kind"],
                        "value": c["value"],
                    }
                    for row in listings
                    for c in row.get("contacts", ())
                ]
                if contacts:
                    conn.execute(insert(market_contacts), contacts)
            if rejects:
                conn.execute(insert(market_rejects), [{"snapshot_id": info.id, **r} for r in rejects])

    def snapshots(self) -> list[SnapshotInfo]:
        """Every snapshot, oldest capture first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(market_snapshots).order_by(market_snapshots.c.captured_at, market_snapshots.c.id)
            ).mappings()
            return [
                SnapshotInfo(
                    r["id"],
                    r["platform"],
                    r["captured_at"],
                    r["source"],
                    r["read"],
                    r["stored"],
                    r["rejected"],
                )
                for r in rows
            ]

    def listings(self, snapshot: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored listing rows (their JSON `data`, plus `snapshot`), oldest capture first."""
        query = select(market_listings.c.snapshot_id, market_listings.c.data).order_by(
            market_listings.c.captured_at, market_listings.c.snapshot_id, market_listings.c.id
        )
        if snapshot is not None:
            query = query.where(market_listings.c.snapshot_id == snapshot)
        with self.engine.connect() as conn:
            for sid, data in conn.execute(query):
                yield {**data, "snapshot": sid}

    def rejects(self, snapshot: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    market_rejects.c.file,
                    market_rejects.c.line,
                    market_rejects.c.reason,
                    market_rejects.c.raw,
                )
                .where(market_rejects.c.snapshot_id == snapshot)
                .order_by(market_rejects.c.id)
            ).mappings()
            return [dict(r) for r in rows]

    def listing_keys(self, listing_id: str) -> list[str]:
        """The listing keys (`platform|id`) of a listing id, or of a key given whole."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(market_listings.c.listing_key)
                .where(
                    (market_listings.c.listing_id == listing_id)
                    | (market_listings.c.listing_key == listing_id)
                )
                .distinct()
            )
            return sorted(r[0] for r in rows)

    def add_judgement(self, judgement: Judgement) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(market_judgements).values(
                    a=judgement.a, b=judgement.b, same=judgement.same, author=judgement.author,
                    note=judgement.note, created_at=datetime.now(UTC),
                )
            )  # fmt: skip

    def judgements(self) -> list[Judgement]:
        """Every judgement, in the order given."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(market_judgements).order_by(market_judgements.c.id)).mappings()
            return [
                Judgement(
                    r["a"], r["b"], bool(r["same"]), r["author"], r["note"], r["created_at"].isoformat()
                )
                for r in rows
            ]
