"""The pre-export notification inbox: the notifications the viewer may see (filters: state, overdue), each
with its deadline, and the detail page with its history and the actions the viewer's side may take.

Everything goes through the hub's use cases with the signed-in viewer, so the pages apply exactly the API's
rules: a notification the viewer may not see answers 404 and appears nowhere. Each action is a form carrying
the CSRF value and the version it was read at; if somebody acted in the meantime, nothing is done and the page
says so plainly (HTTP 409).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request, Response

from precwatch.core.sharing.notifications import (
    ACTIONS,
    STATES,
    TRANSITIONS,
    IllegalTransition,
    allowed_actions,
)
from precwatch.hub import Hub, NotificationFilter
from precwatch.hub.errors import Forbidden, NotFound, VersionConflict
from precwatch.web.ui import render
from precwatch.web.ui.deps import FormSessionDep, SessionDep
from precwatch.web.ui.session import Session

router = APIRouter()
PAGE = 25
NEEDS_REASON = ("object", "withdraw")


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


@router.get("/notifications")
def inbox(request: Request, session: SessionDep) -> Response:
    """The notifications the viewer may see, earliest deadline first, filtered by `state` and `overdue`."""
    qp = request.query_params
    state = next((s for s in STATES if s == qp.get("state")), None)
    overdue = {"true": True, "false": False}.get(qp.get("overdue") or "")
    raw_offset = qp.get("offset") or "0"
    offset = int(raw_offset) if raw_offset.isdigit() else 0
    flt = NotificationFilter(state=state, overdue=overdue)
    items, total = _hub(request).list_notifications(session.viewer, flt, limit=PAGE, offset=offset)
    context = {"viewer": session.viewer, "csrf": session.csrf, "items": items, "total": total, "offset": offset,
               "page": PAGE, "filters": dict(qp), "states": STATES,
               "pager_query": urlencode([(k, v) for k, v in qp.multi_items() if k != "offset"])}  # fmt: skip
    return render.page(request, "notifications.html", context)


def _detail(
    request: Request, session: Session, notification_id: str, *, error: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    hub = _hub(request)
    found = hub.get_notification(session.viewer, notification_id)
    history = hub.notification_history(session.viewer, notification_id)
    if found is None or history is None:
        raise HTTPException(404, "Not Found")
    orgs = {o.id: o for o in hub.list_orgs()}
    own = found["owner_org_id"] == session.viewer.org_id
    country = orgs[session.viewer.org_id].country if session.viewer.org_id in orgs else ""
    side = "exporter" if own else ("importer" if country == found["importing_country"] else None)
    mine = [a for a in allowed_actions(found["state"]) if TRANSITIONS[a].side == side]
    actions = mine if session.viewer.can_write else []
    context = {"viewer": session.viewer, "csrf": session.csrf, "n": found, "history": history, "orgs": orgs,
               "actions": actions, "needs_reason": NEEDS_REASON, "error": error}  # fmt: skip
    return render.page(request, "notification.html", context, status_code=status_code)


@router.get("/notifications/{notification_id}")
def detail(request: Request, session: SessionDep, notification_id: str) -> Response:
    """One notification: parties, substances, deadline, state, history and the viewer's possible actions."""
    return _detail(request, session, notification_id)


@router.post("/notifications/{notification_id}/act")
def act(
    request: Request,
    session: FormSessionDep,
    notification_id: str,
    action: Annotated[str, Form()],
    version: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Take `action` at the version the page was read at; a conflict or a refusal comes back on the page."""
    if action not in ACTIONS:
        raise HTTPException(422, f"unknown action {action!r}")
    try:
        _hub(request).act_on_notification(
            session.viewer,
            notification_id,
            action=action,
            reason=reason.strip() or None,
            expected_version=int(version) if version.isdigit() else None,
        )
    except NotFound as exc:
        raise HTTPException(404, "Not Found") from exc
    except VersionConflict as exc:
        conflict = {"kind": "conflict", "expected": exc.expected_version, "current": exc.current_version}
        return _detail(request, session, notification_id, error=conflict, status_code=409)
    except Forbidden as exc:
        return _detail(request, session, notification_id, error={"kind": "refused", "message": str(exc)},
                       status_code=403)  # fmt: skip
    except IllegalTransition as exc:
        return _detail(request, session, notification_id, error={"kind": "refused", "message": str(exc)},
                       status_code=409)  # fmt: skip
    except ValueError as exc:
        return _detail(request, session, notification_id, error={"kind": "refused", "message": str(exc)},
                       status_code=422)  # fmt: skip
    return render.redirect(f"/ui/notifications/{notification_id}")
