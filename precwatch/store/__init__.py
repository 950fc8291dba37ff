"""Persistence for the hub: the `Store` port over SQLAlchemy Core (SQLite file or PostgreSQL), with Alembic."""

from precwatch.core.sharing.audit_chain import Problem
from precwatch.core.sharing.tlp import RecordAcl, Viewer
from precwatch.store.errors import (
    AlreadyExists,
    Forbidden,
    IdempotencyConflict,
    IncidentError,
    InvalidIncident,
    NotFound,
    Retracted,
    StoreError,
    VersionConflict,
)
from precwatch.store.models import AuditEntry, IncidentFilter, Org, TokenInfo, User
from precwatch.store.store import Store, hash_token

__all__ = [
    "AlreadyExists",
    "AuditEntry",
    "Forbidden",
    "IdempotencyConflict",
    "IncidentError",
    "IncidentFilter",
    "InvalidIncident",
    "NotFound",
    "Org",
    "Problem",
    "RecordAcl",
    "Retracted",
    "Store",
    "StoreError",
    "TokenInfo",
    "User",
    "VersionConflict",
    "Viewer",
    "hash_token",
]

from precwatch.store import market as _market  # noqa: F401  (registers the market tables on `metadata`)
