"""Pre-export notifications: create, read (ETag), list with filters, act (If-Match), history.

Thin routes over `Hub`; the hub's use cases enforce visibility, sides and the state machine.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response

from precwatch.core.sharing.notifications import State
from precwatch.hub import Hub, NotificationFilter, Viewer
from precwatch.web.deps import HubDep, RequestIdDep, SettingsDep, ViewerDep, WriterDep
from precwatch.web.errors import NOT_FOUND_BODY, not_found
from precwatch.web.etag import etag, expected_version
from precwatch.web.pagination import Limit, check_limit, link, next_link
from precwatch.web.params import Country, Offset, RecordId
from precwatch.web.schemas.notifications import (
    HistoryOut,
    NotificationIn,
    NotificationOut,
    NotificationPage,
    TransitionIn,
)
from precwatch.web.validated import Validated

router = APIRouter(prefix="/notifications", tags=["notifications"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such notification, or one you may not see (the two are indistinguishable).",
        "content": {"application/json": {"example": NOT_FOUND_BODY}},
    },
    409: {"description": "The notification's state does not allow this action."},
    412: {"description": "The notification changed since you read it (If-Match is stale)."},
    428: {"description": "If-Match is missing."},
}
IfMatch = Annotated[
    str | None,
    Header(description='The version you read (ETag), e.g. "2". Required; 428 without, 412 if stale.'),
]

NotificationId = Annotated[RecordId, Path(description="The notification's id.")]

NOTIFICATION = Validated(NotificationOut)
PAGE = Validated(NotificationPage)
HISTORY = Validated(HistoryOut)


def _with_etag(notification: dict[str, Any], status_code: int = 200, **headers: str) -> Response:
    headers["ETag"] = etag(int(notification["version"]))
    return NOTIFICATION.response(notification, status_code, headers)


@router.post("", status_code=201, response_model=NotificationOut, summary="Notify an export")
def create_notification(
    body: NotificationIn,
    request: Request,
    hub: HubDep,
    viewer: WriterDep,
    request_id: RequestIdDep,
    settings: SettingsDep,
) -> Response:
    """Send a pre-export notification from your organisation (the exporting country's authority)."""
    data = body.model_dump(mode="json", exclude_unset=True)
    created = hub.create_notification(viewer, data, request_id=request_id)
    location = link(settings, request.app.url_path_for("get_notification", notification_id=created["id"]))
    return _with_etag(created, 201, Location=location)


@router.get("", response_model=NotificationPage, summary="List notifications")
def list_notifications(
    request: Request,
    hub: HubDep,
    settings: SettingsDep,
    viewer: ViewerDep,
    request_id: RequestIdDep,
    state: Annotated[State | None, Query(description="Only this state.")] = None,
    overdue: Annotated[bool | None, Query(description="true: only overdue; false: only the others.")] = None,
    country: Annotated[
        Country | None, Query(description="Exporting or importing country (ISO alpha-2).")
    ] = None,
    importing_country: Annotated[Country | None, Query()] = None,
    exporting_country: Annotated[Country | None, Query()] = None,
    substance: Annotated[str | None, Query(description="KB id, CAS RN or name.")] = None,
    limit: Limit = 50,
    offset: Annotated[Offset, Query()] = 0,
) -> Response:
    """The notifications you may see that match every filter given, earliest deadline first."""
    limit = check_limit(limit, settings)
    filters = NotificationFilter(
        state=state,
        overdue=overdue,
        country=country,
        substance=substance,
        importing_country=importing_country,
        exporting_country=exporting_country,
    )
    items, total = hub.list_notifications(viewer, filters, limit=limit, offset=offset, request_id=request_id)
    following = None
    if offset + len(items) < total:
        following = next_link(request, settings, limit=limit, offset=offset + limit)
    return PAGE.response(
        {"items": items, "total": total, "limit": limit, "offset": offset, "next": following}
    )


@router.get(
    "/{notification_id}", response_model=NotificationOut, responses=NOT_FOUND, summary="Read a notification"
)
def get_notification(
    notification_id: NotificationId, hub: HubDep, viewer: ViewerDep, request_id: RequestIdDep
) -> Response:
    """The notification, with `overdue` computed now; `ETag` is its version."""
    found = hub.get_notification(viewer, notification_id, request_id=request_id)
    return not_found() if found is None else _with_etag(found)


@router.get(
    "/{notification_id}/history",
    response_model=HistoryOut,
    responses=NOT_FOUND,
    summary="A notification's history",
)
def notification_history(notification_id: NotificationId, hub: HubDep, viewer: ViewerDep) -> Response:
    """Every state change, oldest first: who did what, when, and why."""
    found = hub.notification_history(viewer, notification_id)
    return not_found() if found is None else HISTORY.response({"items": found})


def _act(
    hub: Hub, viewer: Viewer, notification_id: str, *, action: str, body: TransitionIn | None, if_match: str | None,
    request_id: str,
) -> Response:  # fmt: skip
    version = expected_version(if_match)
    moved = hub.act_on_notification(
        viewer,
        notification_id,
        action=action,
        reason=body.reason if body else None,
        expected_version=version,
        request_id=request_id,
    )
    return _with_etag(moved)


OptionalReason = Annotated[TransitionIn | None, Body()]


@router.post("/{notification_id}/acknowledge", response_model=NotificationOut, responses=NOT_FOUND,
             summary="Acknowledge a notification")  # fmt: skip
def acknowledge(
    notification_id: NotificationId, hub: HubDep, viewer: WriterDep, request_id: RequestIdDep,
    body: OptionalReason = None, if_match: IfMatch = None,
) -> Response:  # fmt: skip
    """The importing country confirms receipt (from `submitted`)."""
    return _act(
        hub,
        viewer,
        notification_id,
        action="acknowledge",
        body=body,
        if_match=if_match,
        request_id=request_id,
    )


@router.post("/{notification_id}/clear", response_model=NotificationOut, responses=NOT_FOUND,
             summary="Clear a notification")  # fmt: skip
def clear(
    notification_id: NotificationId, hub: HubDep, viewer: WriterDep, request_id: RequestIdDep,
    body: OptionalReason = None, if_match: IfMatch = None,
) -> Response:  # fmt: skip
    """The importing country has no objection (from `submitted` or `acknowledged`; final)."""
    return _act(
        hub, viewer, notification_id, action="clear", body=body, if_match=if_match, request_id=request_id
    )


@router.post("/{notification_id}/object", response_model=NotificationOut, responses=NOT_FOUND,
             summary="Object to a notification")  # fmt: skip
def object_to(
    notification_id: NotificationId, hub: HubDep, viewer: WriterDep, request_id: RequestIdDep,
    body: Annotated[TransitionIn, Body()], if_match: IfMatch = None,
) -> Response:  # fmt: skip
    """The importing country objects, with a reason (from `submitted` or `acknowledged`; final)."""
    return _act(
        hub, viewer, notification_id, action="object", body=body, if_match=if_match, request_id=request_id
    )


@router.post("/{notification_id}/withdraw", response_model=NotificationOut, responses=NOT_FOUND,
             summary="Withdraw a notification")  # fmt: skip
def withdraw(
    notification_id: NotificationId, hub: HubDep, viewer: WriterDep, request_id: RequestIdDep,
    body: Annotated[TransitionIn, Body()], if_match: IfMatch = None,
) -> Response:  # fmt: skip
    """The exporting organisation withdraws it, with a reason (while unanswered; final)."""
    return _act(
        hub, viewer, notification_id, action="withdraw", body=body, if_match=if_match, request_id=request_id
    )
