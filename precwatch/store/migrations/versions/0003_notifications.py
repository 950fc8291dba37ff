"""Pre-export notifications: the notifications, whom they are shared with, and their state history.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from precwatch.store.tables import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _notification_fk() -> sa.Column[str]:
    return sa.Column("notification_id", sa.String(32), sa.ForeignKey("notifications.id"), primary_key=True)


def upgrade() -> None:
    """Create the notification tables."""
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_org_id", sa.Integer, sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("owner_user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("exporting_country", sa.String(2), nullable=False),
        sa.Column("importing_country", sa.String(2), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("state_reason", sa.Text, nullable=True),
        sa.Column("tlp", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("substance_ids", sa.Text, nullable=False),
        sa.Column("dispatch_on", sa.Date, nullable=False),
        sa.Column("deadline_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_notifications_importing_country", "notifications", ["importing_country"])
    op.create_index("ix_notifications_state_deadline", "notifications", ["state", "deadline_at"])
    op.create_table(
        "notification_org_shares",
        _notification_fk(),
        sa.Column("org_id", sa.Integer, sa.ForeignKey("orgs.id"), primary_key=True),
    )
    op.create_index("ix_notification_org_shares_org", "notification_org_shares", ["org_id"])
    op.create_table(
        "notification_user_shares",
        _notification_fk(),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
    )
    op.create_index("ix_notification_user_shares_user", "notification_user_shares", ["user_id"])
    op.create_table(
        "notification_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("notification_id", sa.String(32), sa.ForeignKey("notifications.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("actor_user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("actor_org_id", sa.Integer, sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_notification_history_notification_id", "notification_history", ["notification_id"])


def downgrade() -> None:
    """Drop the notification tables."""
    for table in (
        "notification_history",
        "notification_user_shares",
        "notification_org_shares",
        "notifications",
    ):
        op.drop_table(table)
