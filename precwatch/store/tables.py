"""The hub's tables (SQLAlchemy Core). Migrations under `migrations/versions` create exactly these."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
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

correlation_keys = Table(
    "correlation_keys",
    metadata,
    Column("record_kind", String(32), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("key", String(600), primary_key=True),
    Column("public", Boolean, nullable=False),
    Index("ix_correlation_keys_key", "key"),
)
"""The normalised correlation keys of each record (`core.sharing.correlation`); `public` is False for a key
read from an owner-only field."""

watch_rules = Table(
    "watch_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("key", String(400), nullable=False),
    Column("webhook_url", Text, nullable=True),
    Column("webhook_secret", String(100), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("rule_id", Integer, nullable=True),
    Column("record_kind", String(32), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("dedupe", String(400), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("read_at", UtcDateTime(), nullable=True),
    UniqueConstraint("user_id", "dedupe", name="uq_alerts_user_dedupe"),
    Index("ix_alerts_user_id", "user_id", "id"),
)
"""One row per alert and recipient user; `dedupe` makes raising the same alert twice a no-op."""

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("rule_id", Integer, nullable=True),
    Column("url", Text, nullable=False),
    Column("secret", String(100), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_error", Text, nullable=True),
    Column("delivered_at", UtcDateTime(), nullable=True),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)
"""Webhook posts of alerts: `pending` (due at `next_attempt_at`), `delivered` or `dead` (dead-lettered)."""

rescreen_checkpoints = Table(
    "rescreen_checkpoints",
    metadata,
    Column("job", String(200), primary_key=True),
    Column("record_kind", String(32), primary_key=True),
    Column("last_id", String(64), nullable=True),
    Column("processed", Integer, nullable=False),
    Column("alerts", Integer, nullable=False),
    Column("finished_at", UtcDateTime(), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)
"""How far a re-screening job (`old version -> new version`) got through each kind of record."""
