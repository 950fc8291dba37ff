"""Persistence: SQLAlchemy Core over the caller's connection (a SQLite file or PostgreSQL), with Alembic.

One repository module per aggregate: `accounts` (organisations, users, tokens), `incidents` (incident rows,
shares, the visibility rule in SQL), `audit` (the hash-chained log) and `market` (snapshots, listings,
judgements). `db` makes engines and migrates; `tables` is the schema. Who may do what is decided above
this layer (`precwatch.hub`).
"""

from precwatch.store.models import AuditEntry, IncidentFilter, Org, TokenInfo, TokenOwner, User

__all__ = ["AuditEntry", "IncidentFilter", "Org", "TokenInfo", "TokenOwner", "User"]

from precwatch.store import market as _market  # noqa: F401  (registers the market tables on `metadata`)
