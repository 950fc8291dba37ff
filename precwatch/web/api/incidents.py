"""Incidents: create (idempotent), read (ETag), change (If-Match), retract, list, search and batch-get.

Thin routes over `Hub`: the hub's use cases enforce visibility and ownership; these routes translate HTTP
to calls. Route functions are plain `def` because the hub is synchronous (FastAPI runs them in its thread
pool); they return finished responses checked against their `response_model` (see `precwatch.web.validated`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from pydantic import AfterValidator, StringConstraints

from precwatch.core.sharing.incidents import IncidentType
from precwatch.hub import Hub, IncidentFilter, Viewer
from precwatch.web.deps import HubDep, RequestIdDep, SettingsDep, ViewerDep, WriterDep
from precwatch.web.errors import NOT_FOUND_BODY, not_found
from precwatch.web.etag import etag, expected_version
from precwatch.web.pagination import Limit, check_limit, link, next_link
from precwatch.web.params import Country, IdempotencyKey, IsoDate, NoNul, Offset, RecordId, clean_text
from precwatch.web.schemas import (
    BatchGetIn,
    BatchGetOut,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    IncidentPatch,
    RetractIn,
    incident_out,
)
from precwatch.web.validated import Validated

router = APIRouter(prefix="/incidents", tags=["incidents"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such incident, or one you may not see (the two are indistinguishable).",
        "content": {"application/json": {"example": NOT_FOUND_BODY}},
    }
}
IfMatch = Annotated[
    str | None,
    Header(
        description='The version you read (ETag), e.g. "3", or `*` for any current version. Required: 428 '
        "without it, 412 when it does not match the current version.",
    ),
]
IncidentId = Annotated[RecordId, Path(description="The incident's id (32 hex digits).")]
Filter = Annotated[str, StringConstraints(pattern=NoNul), AfterValidator(clean_text)]
"""A free-text filter (no NUL, no lone surrogate)."""


INCIDENT = Validated(IncidentOut)
PAGE = Validated(IncidentPage)
BATCH = Validated(BatchGetOut)


def _with_etag(incident: dict[str, Any], status_code: int = 200, **headers: str) -> Response:
    """The incident as the API shows it, checked against `IncidentOut`, with its version as `ETag`."""
    headers["ETag"] = etag(int(incident["version"]))
    return INCIDENT.response(incident_out(incident), status_code, headers)


def _change(
    hub: Hub,
    viewer: Viewer,
    *,
    incident_id: str,
    changes: dict[str, Any],
    if_match: str | None,
    request_id: str,
) -> Response:
    """PUT and PATCH: the `If-Match` version (428 without, `*` any), the change applied, with its ETag."""
    version = expected_version(if_match)
    updated = hub.update_incident(
        viewer, incident_id, changes=changes, expected_version=version, request_id=request_id
    )
    return _with_etag(updated)


@router.post("", status_code=201, response_model=IncidentOut, summary="Record an incident")
def create_incident(
    body: IncidentIn,
    request: Request,
    hub: HubDep,
    viewer: WriterDep,
    request_id: RequestIdDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        IdempotencyKey | None,
        Header(
            description="Any unique string (e.g. a UUID; 1-200 visible ASCII characters): a retry with the same "
            "key and body, by you or a colleague of your organisation, returns the incident first created "
            "instead of a duplicate; the same key with another body is refused (422).",
        ),
    ] = None,
    draft: Annotated[
        bool,
        Query(
            description="Record it as a draft: seen by your organisation only until an analyst publishes it."
        ),
    ] = False,
) -> Response:
    """Record an incident owned by your organisation (version 1). Analysts and admins only."""
    data = body.model_dump(mode="json", exclude_unset=True)
    created = hub.create_incident(
        viewer, data, idempotency_key=idempotency_key, request_id=request_id, draft=draft
    )
    location = link(settings, request.app.url_path_for("get_incident", incident_id=created["id"]))
    return _with_etag(created, 201, Location=location)


@router.get("", response_model=IncidentPage, summary="List and search incidents")
def list_incidents(
    request: Request,
    hub: HubDep,
    settings: SettingsDep,
    viewer: ViewerDep,
    request_id: RequestIdDep,
    substance: Annotated[
        Filter | None, Query(max_length=500, description="KB id, CAS RN or name (e.g. `npp`, `39742-60-4`).")
    ] = None,
    country: Annotated[
        Country | None, Query(description="Country of the incident or on its route (ISO alpha-2).")
    ] = None,
    type: Annotated[IncidentType | None, Query(description="Incident type.")] = None,
    since: Annotated[IsoDate | None, Query(description="Occurred on or after (YYYY-MM-DD).")] = None,
    until: Annotated[IsoDate | None, Query(description="Occurred on or before (YYYY-MM-DD).")] = None,
    party: Annotated[
        Filter | None,
        Query(
            max_length=500, description="Part of a party name (case and accents ignored; `%`, `_` literal)."
        ),
    ] = None,
    q: Annotated[
        Filter | None,
        Query(
            max_length=1000,
            description="Full-text search: every word must start a word of the record (case and accents "
            "ignored; Han characters as consecutive characters; punctuation, `%`, `_`, `*` never wildcards).",
        ),
    ] = None,
    retracted: Annotated[bool | None, Query(description="true: only retracted; false: only live.")] = None,
    limit: Limit = 50,
    offset: Annotated[Offset, Query(description="Matches to skip (at most 10^9).")] = 0,
) -> Response:
    """The incidents you may see that match every filter given, newest first, one page at a time."""
    check_limit(limit, settings)
    filters = IncidentFilter(
        substance=substance,
        country=country,
        type=type,
        occurred_from=since,
        occurred_to=until,
        party=party,
        q=q,
        retracted=retracted,
    )
    items, total = hub.list_incidents(viewer, filters, limit=limit, offset=offset, request_id=request_id)
    following = None
    if offset + len(items) < total:
        following = next_link(request, settings, limit=limit, offset=offset + limit)
    page = {
        "items": [incident_out(i) for i in items],
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": following,
    }
    return PAGE.response(page)


@router.post(":batch-get", response_model=BatchGetOut, summary="Read several incidents at once")
def batch_get(body: BatchGetIn, hub: HubDep, viewer: ViewerDep, request_id: RequestIdDep) -> Response:
    """Each id you may see, in the order asked; the others (missing or not visible) in `not_found`."""
    items, missing = [], []
    ids = list(dict.fromkeys(body.ids))
    for incident_id, found in zip(ids, hub.get_incidents(viewer, ids, request_id=request_id), strict=True):
        if found is None:
            missing.append(incident_id)
        else:
            items.append(incident_out(found))
    return BATCH.response({"items": items, "not_found": missing})


@router.get("/{incident_id}", response_model=IncidentOut, responses=NOT_FOUND, summary="Read an incident")
def get_incident(
    incident_id: IncidentId, hub: HubDep, viewer: ViewerDep, request_id: RequestIdDep
) -> Response:
    """The incident as you may see it; `ETag` is its version."""
    found = hub.get_incident(viewer, incident_id, request_id=request_id)
    if found is None:
        return not_found()
    return _with_etag(found)


@router.put("/{incident_id}", response_model=IncidentOut, responses=NOT_FOUND, summary="Replace an incident")
def replace_incident(
    incident_id: IncidentId,
    body: IncidentIn,
    hub: HubDep,
    viewer: WriterDep,
    request_id: RequestIdDep,
    if_match: IfMatch = None,
) -> Response:
    """Replace every field (omitted ones are cleared). Needs `If-Match` with the version you read."""
    changes = body.model_dump(mode="json")
    return _change(
        hub, viewer, incident_id=incident_id, changes=changes, if_match=if_match, request_id=request_id
    )


@router.patch("/{incident_id}", response_model=IncidentOut, responses=NOT_FOUND, summary="Change an incident")
def patch_incident(
    incident_id: IncidentId,
    body: IncidentPatch,
    hub: HubDep,
    viewer: WriterDep,
    request_id: RequestIdDep,
    if_match: IfMatch = None,
) -> Response:
    """Change the fields given (top level; `route` and `parties` whole). Needs `If-Match`."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    return _change(
        hub, viewer, incident_id=incident_id, changes=changes, if_match=if_match, request_id=request_id
    )


@router.post(
    "/{incident_id}/retract", response_model=IncidentOut, responses=NOT_FOUND, summary="Retract an incident"
)
def retract_incident(
    incident_id: IncidentId,
    hub: HubDep,
    viewer: WriterDep,
    request_id: RequestIdDep,
    body: Annotated[RetractIn, Body()],
    if_match: Annotated[
        str | None,
        Header(
            description="Optional: the version you read, or `*`; 412 if it does not match.",
        ),
    ] = None,
) -> Response:
    """Withdraw the record with a reason. It stays readable, marked retracted, for everyone it was shared with."""
    version = None if if_match is None else expected_version(if_match)
    retracted = hub.retract_incident(
        viewer, incident_id, reason=body.reason, expected_version=version, request_id=request_id
    )
    return _with_etag(retracted)


@router.post(
    "/{incident_id}/publish",
    response_model=IncidentOut,
    responses=NOT_FOUND,
    summary="Publish a draft incident",
)
def publish_incident(
    incident_id: str,
    hub: HubDep,
    viewer: WriterDep,
    request_id: RequestIdDep,
    if_match: Annotated[
        str | None, Header(description="Optional: the version you read; 412 if stale.")
    ] = None,
) -> Response:
    """Approve a draft: it becomes visible by its TLP to the organisations it is shared with (audited).
    409 when it is not a draft."""
    version = None if if_match is None else expected_version(if_match)
    published = hub.publish_incident(viewer, incident_id, expected_version=version, request_id=request_id)
    return _with_etag(published)
