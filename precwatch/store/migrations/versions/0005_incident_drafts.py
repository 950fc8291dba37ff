"""Draft incidents: a `state` column (draft until an analyst publishes; existing incidents are published).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `incidents.state` (every existing incident is published)."""
    op.add_column("incidents", sa.Column("state", sa.String(16), nullable=False, server_default="published"))


def downgrade() -> None:
    """Drop `incidents.state`; refused while drafts exist (they would become visible to partners)."""
    drafts = op.get_bind().execute(sa.text("SELECT count(*) FROM incidents WHERE state = 'draft'")).scalar()
    if drafts:
        raise RuntimeError(f"{drafts} draft incidents exist: publish or delete them before downgrading")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("state")
