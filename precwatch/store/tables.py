"""The hub's tables (SQLAlchemy Core). Migrations under `migrations/versions` create exactly these."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone: stored naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store: use timezone-aware UTC datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

orgs = Table(
    "orgs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("org_id", Integer, ForeignKey("orgs.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_org_id", Integer, ForeignKey("orgs.id"), nullable=False),
    Column("owner_user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("type", String(32), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("country", String(2), nullable=False),
    Column("tlp", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("quantity", Float, nullable=True),
    Column("unit", String(16), nullable=True),
    Column("substance_ids", Text, nullable=False),
    Column("countries", Text, nullable=False),
    Column("party_names_owner", Text, nullable=False),
    Column("party_names_public", Text, nullable=False),
    Column("search_owner", Text, nullable=False),
    Column("search_public", Text, nullable=False),
    Column("idempotency_key", String(200), nullable=True),
    Column("idempotency_hash", String(64), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("retracted_at", UtcDateTime(), nullable=True),
    Column("retraction_reason", Text, nullable=True),
    Column("state", String(16), nullable=False, server_default="published"),
    UniqueConstraint("owner_org_id", "idempotency_key", name="uq_incidents_idempotency"),
    Index("ix_incidents_occurred_on", "occurred_on"),
    Index("ix_incidents_tlp_owner", "tlp", "owner_org_id"),
)

incident_org_shares = Table(
    "incident_org_shares",
    metadata,
    Column("incident_id", String(32), ForeignKey("incidents.id"), primary_key=True),
    Column("org_id", Integer, ForeignKey("orgs.id"), primary_key=True),
    Index("ix_incident_org_shares_org", "org_id"),
)

incident_user_shares = Table(
    "incident_user_shares",
    metadata,
    Column("incident_id", String(32), ForeignKey("incidents.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Index("ix_incident_user_shares_user", "user_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor_user_id", Integer, nullable=True),
    Column("actor_org_id", Integer, nullable=True),
    Column("action", String(64), nullable=False),
    Column("resource", String(32), nullable=False),
    Column("resource_id", String(64), nullable=True),
    Column("request_id", String(128), nullable=True),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)
"""One row (id 1): the last sequence number and hash. Appends lock it, so the chain never forks."""

notifications = Table(
    "notifications",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_org_id", Integer, ForeignKey("orgs.id"), nullable=False),
    Column("owner_user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("exporting_country", String(2), nullable=False),
    Column("importing_country", String(2), nullable=False),
    Column("state", String(16), nullable=False),
    Column("state_reason", Text, nullable=True),
    Column("tlp", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("substance_ids", Text, nullable=False),
    Column("dispatch_on", Date, nullable=False),
    Column("deadline_at", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_notifications_importing_country", "importing_country"),
    Index("ix_notifications_state_deadline", "state", "deadline_at"),
)
"""Pre-export notifications (`precwatch.store.notifications`); `body` holds the validated fields."""

notification_org_shares = Table(
    "notification_org_shares",
    metadata,
    Column("notification_id", String(32), ForeignKey("notifications.id"), primary_key=True),
    Column("org_id", Integer, ForeignKey("orgs.id"), primary_key=True),
    Index("ix_notification_org_shares_org", "org_id"),
)

notification_user_shares = Table(
    "notification_user_shares",
    metadata,
    Column("notification_id", String(32), ForeignKey("notifications.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Index("ix_notification_user_shares_user", "user_id"),
)

notification_history = Table(
    "notification_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("notification_id", String(32), ForeignKey("notifications.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("action", String(16), nullable=False),
    Column("from_state", String(16), nullable=True),
    Column("to_state", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("actor_user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("actor_org_id", Integer, ForeignKey("orgs.id"), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)
"""Every state change of a notification (creation included), in order."""
