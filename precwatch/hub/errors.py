"""Errors the hub's use cases raise on purpose; the web layer maps each to one HTTP status."""

from __future__ import annotations

from precwatch.core.sharing.incidents import IncidentError


class HubError(Exception):
    """Base class of every error a use case raises on purpose."""


class NotFound(HubError):
    """No such record, or one the caller may not see (the two are indistinguishable on purpose). HTTP 404."""


class Forbidden(HubError):
    """The caller sees the record but may not do this (a viewer writing, a partner editing). HTTP 403."""


class VersionConflict(HubError):
    """The record changed since the caller read it; `current_version` is the version now stored. HTTP 412/409."""

    def __init__(self, incident_id: str, expected_version: int, current_version: int) -> None:
        super().__init__(
            f"incident {incident_id}: expected version {expected_version}, current version is {current_version}"
        )
        self.incident_id = incident_id
        self.expected_version = expected_version
        self.current_version = current_version


class IdempotencyConflict(HubError):
    """The idempotency key was already used by this organisation for a different request body. HTTP 409/422."""


class AlreadyExists(HubError):
    """A unique name is taken (an organisation name, a user e-mail). HTTP 409."""


class Retracted(HubError):
    """The incident is retracted: it can be read but no longer changed. HTTP 409."""


InvalidIncident = IncidentError
"""Invalid incident data; `.field` names the offending field (e.g. `parties[1].emails[0]`). HTTP 422."""

__all__ = [
    "AlreadyExists",
    "Forbidden",
    "HubError",
    "IdempotencyConflict",
    "IncidentError",
    "InvalidIncident",
    "NotFound",
    "Retracted",
    "VersionConflict",
]
