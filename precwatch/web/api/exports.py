"""Exports: the incidents you may see, redacted for you, as STIX 2.1, MISP events or FollowTheMoney entities.

Thin routes over `Hub.export_incidents` (which selects, redacts and audits) and `precwatch.io.exports`
(which renders). Filters are the incident list's; `incident` exports one incident (404 when you may not see it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from precwatch.hub import IncidentFilter
from precwatch.io.exports.ftm import incident_parties_jsonl
from precwatch.io.exports.misp import events_json
from precwatch.io.exports.stix import bundle_json
from precwatch.web.deps import HubDep, RequestIdDep, ViewerDep
from precwatch.web.errors import NOT_FOUND_BODY, not_found

router = APIRouter(prefix="/exports", tags=["exports"])

Renderer = Callable[[Iterable[Mapping[str, Any]]], str]
FORMATS: dict[str, tuple[Renderer, str]] = {
    "stix": (bundle_json, "application/stix+json;version=2.1"),
    "misp": (events_json, "application/json"),
    "ftm": (incident_parties_jsonl, "application/x-ndjson"),
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "The incident asked for does not exist or you may not see it.",
          "content": {"application/json": {"example": NOT_FOUND_BODY}}},
    422: {"description": "Invalid filters, or more incidents than one export holds."},
}  # fmt: skip

IncidentQ = Annotated[str | None, Query(max_length=64, description="Export this one incident only.")]
SubstanceQ = Annotated[str | None, Query(max_length=200, description="KB id, CAS RN or name.")]
CountryQ = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO alpha-2.")]
SinceQ = Annotated[date | None, Query(description="Occurred on or after.")]
UntilQ = Annotated[date | None, Query(description="Occurred on or before.")]


def export_query(
    incident: IncidentQ = None,
    substance: SubstanceQ = None,
    country: CountryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
) -> tuple[str | None, IncidentFilter]:
    """The query every export takes: one incident, or the incident list's filters."""
    filters = IncidentFilter(substance=substance, country=country, occurred_from=since, occurred_to=until)
    return incident, filters


ExportQueryDep = Annotated[tuple[str | None, IncidentFilter], Depends(export_query)]


def _export(fmt: str, hub: HubDep, viewer: ViewerDep, request_id: str, query: ExportQueryDep) -> Response:
    render, media_type = FORMATS[fmt]
    incident, filters = query
    try:
        found = hub.export_incidents(
            viewer, filters, incident_id=incident, export_format=fmt, request_id=request_id
        )
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    if found is None:
        return not_found()
    return Response(render(found), media_type=media_type)


@router.get("/stix", responses=RESPONSES, summary="Incidents as a STIX 2.1 bundle")
def export_stix(hub: HubDep, viewer: ViewerDep, request_id: RequestIdDep, query: ExportQueryDep) -> Response:
    """A STIX 2.1 bundle (incident, identity, location, relationship objects with TLP markings)."""
    return _export("stix", hub, viewer, request_id, query)


@router.get("/misp", responses=RESPONSES, summary="Incidents as MISP events")
def export_misp(hub: HubDep, viewer: ViewerDep, request_id: RequestIdDep, query: ExportQueryDep) -> Response:
    """MISP events (`{"response": [{"Event": ...}]}`), TLP as tags and distribution."""
    return _export("misp", hub, viewer, request_id, query)


@router.get("/ftm", responses=RESPONSES, summary="Incident parties as FollowTheMoney entities")
def export_ftm(hub: HubDep, viewer: ViewerDep, request_id: RequestIdDep, query: ExportQueryDep) -> Response:
    """The parties of the incidents as FtM entities, one JSON object per line."""
    return _export("ftm", hub, viewer, request_id, query)
