"""Request and response bodies of the hub API (pydantic models; the OpenAPI document is generated from them).

The enumerations (TLP levels, roles, incident types, nominal fields) come from `precwatch.core`, so the API
and the domain cannot drift apart. Models without a docstring are kept that way on purpose: a docstring
becomes the schema's description in the published OpenAPI document.
"""

from precwatch.web.schemas.accounts import MeOut, OrgOut
from precwatch.web.schemas.audit import AuditEntryOut, AuditPage
from precwatch.web.schemas.incidents import (
    BatchGetIn,
    BatchGetOut,
    IdentifiedSubstance,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    IncidentPatch,
    Party,
    PartyOut,
    Place,
    RetractIn,
    Retraction,
    Route,
    incident_out,
)

__all__ = [
    "AuditEntryOut",
    "AuditPage",
    "BatchGetIn",
    "BatchGetOut",
    "IdentifiedSubstance",
    "IncidentIn",
    "IncidentOut",
    "IncidentPage",
    "IncidentPatch",
    "MeOut",
    "OrgOut",
    "Party",
    "PartyOut",
    "Place",
    "RetractIn",
    "Retraction",
    "Route",
    "incident_out",
]
