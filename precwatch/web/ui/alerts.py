"""The alerts page: the viewer's alerts (unread first, each marked read with one click) and their watch
rules (create, delete).

Alerts come from the hub's use cases with the signed-in viewer, so an alert on a record the viewer may no
longer see is not shown (and cannot be marked read), exactly as in the API. Rules are private to their user.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response

from precwatch.core.sharing.alerts import WATCH_KINDS, WatchRuleError
from precwatch.hub import Hub
from precwatch.hub.errors import Forbidden, NotFound
from precwatch.web.ui import render
from precwatch.web.ui.deps import FormSessionDep, SessionDep
from precwatch.web.ui.session import Session

router = APIRouter()
SHOWN = 200
"""The most alerts of each group (unread, read) one page shows."""


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def _page(
    request: Request, session: Session, *, error: str | None = None, values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    hub = _hub(request)
    unread, _, unread_count = hub.alerts(session.viewer, unread=True, limit=SHOWN)
    read, read_total, _ = hub.alerts(session.viewer, unread=False, limit=SHOWN)
    context = {"viewer": session.viewer, "csrf": session.csrf, "unread": unread, "read": read,
               "unread_count": unread_count, "read_total": read_total, "rules": hub.watch_rules(session.viewer),
               "kinds": WATCH_KINDS, "error": error, "values": values or {}}  # fmt: skip
    return render.page(request, "alerts.html", context, status_code=status_code)


@router.get("/alerts")
def alerts(request: Request, session: SessionDep) -> Response:
    """The viewer's alerts, unread first (newest first in each group), and their watch rules."""
    return _page(request, session)


@router.post("/alerts/{alert_id}/read")
def mark_read(request: Request, session: FormSessionDep, alert_id: int) -> Response:
    """Mark one of the viewer's alerts read (404 for another's, or one whose record is no longer visible)."""
    try:
        _hub(request).mark_alert_read(session.viewer, alert_id)
    except NotFound as exc:
        raise HTTPException(404, "Not Found") from exc
    return render.redirect("/ui/alerts")


@router.post("/watch-rules")
def create_rule(
    request: Request,
    session: FormSessionDep,
    kind: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
) -> Response:
    """Add a watch rule; a bad one comes back on the page with the reason."""
    try:
        _hub(request).create_watch_rule(session.viewer, kind=kind, value=value.strip())
    except WatchRuleError as exc:
        return _page(request, session, error=f"{exc.field}: {exc.message}", values={"kind": kind, "value": value},
                     status_code=422)  # fmt: skip
    except Forbidden as exc:
        return _page(request, session, error=str(exc), values={"kind": kind, "value": value}, status_code=403)
    return render.redirect("/ui/alerts")


@router.post("/watch-rules/{rule_id}/delete")
def delete_rule(request: Request, session: FormSessionDep, rule_id: int) -> Response:
    """Delete one of the viewer's watch rules (its alerts stay)."""
    try:
        _hub(request).delete_watch_rule(session.viewer, rule_id)
    except NotFound as exc:
        raise HTTPException(404, "Not Found") from exc
    return render.redirect("/ui/alerts")
