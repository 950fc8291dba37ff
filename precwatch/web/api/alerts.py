"""Correlations of an incident, watch rules and alerts: thin routes over `Hub`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response

from precwatch.core.sharing.alerts import WatchRuleError
from precwatch.web.deps import HubDep, RequestIdDep, ViewerDep
from precwatch.web.errors import NOT_FOUND_BODY, not_found
from precwatch.web.schemas.alerts import AlertOut, AlertPage, CorrelationsOut, WatchRuleIn, WatchRuleOut
from precwatch.web.validated import Validated

router = APIRouter(tags=["alerts"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such record, or one you may not see (the two are indistinguishable).",
        "content": {"application/json": {"example": NOT_FOUND_BODY}},
    }
}
CORRELATIONS = Validated(CorrelationsOut)
RULE = Validated(WatchRuleOut)
RULES = Validated(list[WatchRuleOut])
ALERT = Validated(AlertOut)
PAGE = Validated(AlertPage)


@router.get(
    "/incidents/{incident_id}/correlations",
    response_model=CorrelationsOut,
    responses=NOT_FOUND,
    summary="Records sharing a normalised key with an incident",
    tags=["incidents"],
)
def incident_correlations(
    incident_id: str, hub: HubDep, viewer: ViewerDep, request_id: RequestIdDep
) -> Response:
    """Other records you may see that share a key (phone as E.164, company name without legal form,
    substance, route ...) with this incident, on keys whose field you may see in both records."""
    found = hub.correlations(viewer, "incident", incident_id, request_id=request_id)
    if found is None:
        return not_found()
    return CORRELATIONS.response(found)


@router.post("/watch-rules", status_code=201, response_model=WatchRuleOut, summary="Watch for records")
def create_watch_rule(body: WatchRuleIn, hub: HubDep, viewer: ViewerDep) -> Response:
    """Subscribe to new or changed records you may see that name a substance, a country, a party or
    words. With `webhook_url`, each alert is also posted there, signed with the `webhook_secret` returned
    once here."""
    try:
        rule = hub.create_watch_rule(viewer, kind=body.kind, value=body.value, webhook_url=body.webhook_url)
    except WatchRuleError as exc:
        raise HTTPException(
            422, [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]
        ) from exc
    except ValueError as exc:
        raise HTTPException(
            422, [{"loc": ["body", "webhook_url"], "msg": str(exc), "type": "value_error"}]
        ) from exc
    return RULE.response(rule, 201)


@router.get("/watch-rules", response_model=list[WatchRuleOut], summary="Your watch rules")
def list_watch_rules(hub: HubDep, viewer: ViewerDep) -> Response:
    """Your own watch rules, oldest first."""
    return RULES.response(hub.watch_rules(viewer))


@router.delete("/watch-rules/{rule_id}", status_code=204, responses=NOT_FOUND, summary="Stop watching")
def delete_watch_rule(rule_id: Id, hub: HubDep, viewer: ViewerDep) -> Response:
    """Delete one of your watch rules (its alerts stay)."""
    hub.delete_watch_rule(viewer, rule_id)
    return Response(status_code=204)


@router.get("/alerts", response_model=AlertPage, summary="Your alerts")
def list_alerts(
    hub: HubDep,
    viewer: ViewerDep,
    unread: Annotated[bool | None, Query(description="true: only unread; false: only read.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Alerts on records you may see, newest first: `watch` (a record matched one of your rules),
    `owner-notice` (a partner's record you cannot see matched yours), `rescreen` (a record would have
    matched under a new knowledge-base version)."""
    items, total, unread_count = hub.alerts(viewer, unread=unread, limit=limit, offset=offset)
    return PAGE.response(
        {"items": items, "total": total, "unread": unread_count, "limit": limit, "offset": offset}
    )


@router.post("/alerts/{alert_id}/read", response_model=AlertOut, responses=NOT_FOUND, summary="Mark read")
def mark_alert_read(alert_id: Id, hub: HubDep, viewer: ViewerDep) -> Response:
    """Mark one of your alerts read."""
    return ALERT.response(hub.mark_alert_read(viewer, alert_id))
