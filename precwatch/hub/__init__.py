"""The sharing hub's use cases, framework-free: accounts, incidents under TLP, and the audit log.

`Hub(engine, kb)` is the facade the CLI and the web app call; each method authorises (`core.sharing`),
validates, identifies substances, persists (`precwatch.store`) and audits in one transaction. Nothing here
reads settings or the environment, and no web framework is imported.
"""

from precwatch.core.sharing.audit_chain import Problem
from precwatch.core.sharing.tlp import RecordAcl, Viewer
from precwatch.hub.drafts import AlreadyPublished
from precwatch.hub.errors import (
    AlreadyExists,
    Forbidden,
    HubError,
    IdempotencyConflict,
    IncidentError,
    InvalidIncident,
    NotFound,
    Retracted,
    VersionConflict,
)
from precwatch.hub.service import Hub
from precwatch.store.models import AuditEntry, IncidentFilter, Org, TokenInfo, User
from precwatch.store.notifications import NotificationFilter

__all__ = [
    "AlreadyExists",
    "AlreadyPublished",
    "AuditEntry",
    "Forbidden",
    "Hub",
    "HubError",
    "IdempotencyConflict",
    "IncidentError",
    "IncidentFilter",
    "InvalidIncident",
    "NotFound",
    "NotificationFilter",
    "Org",
    "Problem",
    "RecordAcl",
    "Retracted",
    "TokenInfo",
    "User",
    "VersionConflict",
    "Viewer",
]
