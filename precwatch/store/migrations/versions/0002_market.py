"""Market monitoring: snapshots, listings, contacts, rejects, analyst judgements.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from precwatch.store.tables import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _snapshot_fk() -> sa.Column[str]:
    return sa.Column(
        "snapshot_id",
        sa.String(300),
        sa.ForeignKey("market_snapshots.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    """Create the market tables."""
    op.create_table(
        "market_snapshots",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("platform", sa.String(200), nullable=False),
        sa.Column("captured_at", sa.String(32), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("read", sa.Integer, nullable=False),
        sa.Column("stored", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("ingested_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "market_listings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _snapshot_fk(),
        sa.Column("listing_key", sa.String(1200), nullable=False),
        sa.Column("listing_id", sa.Text, nullable=False),
        sa.Column("platform", sa.String(200), nullable=False),
        sa.Column("captured_at", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("snapshot_id", "listing_key", name="uq_market_listings_snapshot_key"),
    )
    op.create_index("ix_market_listings_key", "market_listings", ["listing_key"])
    op.create_table(
        "market_contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _snapshot_fk(),
        sa.Column("listing_key", sa.String(1200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(400), nullable=False),
    )
    op.create_index("ix_market_contacts_value", "market_contacts", ["kind", "value"])
    op.create_table(
        "market_rejects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _snapshot_fk(),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
    )
    op.create_table(
        "market_judgements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("a", sa.String(1200), nullable=False),
        sa.Column("b", sa.String(1200), nullable=False),
        sa.Column("same", sa.Boolean, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    """Drop the market tables."""
    for table in (
        "market_judgements",
        "market_rejects",
        "market_contacts",
        "market_listings",
        "market_snapshots",
    ):
        op.drop_table(table)
