"""Incident pages: the list with filters and search, the detail, and the create and edit forms.

Everything goes through the hub's use cases with the signed-in viewer, so the pages apply exactly the
API's rules: an incident the viewer may not see answers 404 and appears nowhere; partners see redacted
values as redacted. An edit based on an older version is refused and the page says so plainly.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request, Response

from precwatch.core.sharing.incidents import INCIDENT_TYPES, IncidentError
from precwatch.core.sharing.tlp import REDACTED, TLP_LEVELS
from precwatch.hub import Hub
from precwatch.hub.errors import Forbidden, NotFound, Retracted, VersionConflict
from precwatch.store.models import IncidentFilter
from precwatch.web.ui import render
from precwatch.web.ui.deps import SessionDep
from precwatch.web.ui.session import Session, csrf_ok

router = APIRouter()
PAGE = 25
TYPES = INCIDENT_TYPES
FORM_TEXT = ("type", "occurred_on", "reported_on", "country", "place", "substances_text", "unit", "concealment",
             "declared_cover", "narrative", "tlp")  # fmt: skip


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/incidents")
def incident_list(request: Request, session: SessionDep) -> Response:
    """The incidents the viewer may see, filtered (`q`, `substance`, `country`, `type`, dates), 25 a page."""
    qp = request.query_params
    kind = qp.get("type") or None
    flt = IncidentFilter(
        q=qp.get("q") or None,
        substance=qp.get("substance") or None,
        country=(qp.get("country") or "").upper() or None,
        type=next((t for t in TYPES if t == kind), None),
        occurred_from=_date(qp.get("from")),
        occurred_to=_date(qp.get("to")),
        retracted=False,
    )
    offset = max(0, int(qp.get("offset") or 0)) if (qp.get("offset") or "0").isdigit() else 0
    error: str | None = None
    try:
        items, total = _hub(request).list_incidents(session.viewer, flt, limit=PAGE, offset=offset)
    except (IncidentError, ValueError) as exc:
        items, total, error = [], 0, str(exc)
    context = {"viewer": session.viewer, "csrf": session.csrf, "items": items, "total": total, "offset": offset,
               "page": PAGE, "filters": dict(qp), "types": TYPES, "error": error,
               "pager_query": urlencode([(k, v) for k, v in qp.multi_items() if k != "offset"])}  # fmt: skip
    return render.page(request, "incidents.html", context)


def _orgs(request: Request, session: Session) -> list[Any]:
    return [o for o in _hub(request).list_orgs() if o.id != session.viewer.org_id]


def _detail(request: Request, session: SessionDep, incident_id: str) -> dict[str, Any]:
    incident = _hub(request).get_incident(session.viewer, incident_id)
    if incident is None:
        raise HTTPException(404, "Not Found")
    return incident


@router.get("/incidents/new")
def new_form(request: Request, session: SessionDep) -> Response:
    """The form to record an incident."""
    if not session.viewer.can_write:
        raise HTTPException(403, "your role cannot record incidents")
    return _form(request, session, {"tlp": "amber", "type": "seizure"}, error=None)


def _form(
    request: Request, session: Session, values: dict[str, Any], *, error: str | None, status_code: int = 200
) -> Response:
    context = {"viewer": session.viewer, "csrf": session.csrf, "values": values, "error": error,
               "types": TYPES, "tlps": TLP_LEVELS, "orgs": _orgs(request, session)}  # fmt: skip
    return render.page(request, "incident_form.html", context, status_code=status_code)


async def _posted(request: Request, session: Session) -> dict[str, Any]:
    form = await request.form()
    if not csrf_ok(session.csrf, str(form.get("csrf") or "")):
        raise HTTPException(403, "the form's CSRF token is missing or wrong: reload the page and try again")
    body: dict[str, Any] = {k: (str(form.get(k) or "").strip() or None) for k in FORM_TEXT}
    qty = str(form.get("quantity") or "").strip()
    body["quantity"] = float(qty) if qty.replace(".", "", 1).isdigit() else (qty or None)
    body["shared_with_orgs"] = [int(str(v)) for v in form.getlist("shared_with_orgs") if str(v).isdigit()]
    origin, dest = (
        str(form.get("origin") or "").strip().upper(),
        str(form.get("destination") or "").strip().upper(),
    )
    if origin or dest:
        body["route"] = {"origin": {"country": origin} if origin else None,
                         "destination": {"country": dest} if dest else None}  # fmt: skip
    body["_version"] = str(form.get("version") or "")
    return body


@router.post("/incidents/new")
async def create(request: Request, session: SessionDep) -> Response:
    """Record the incident; on a validation error the form comes back with the message."""
    body = await _posted(request, session)
    body.pop("_version")
    try:
        created = _hub(request).create_incident(
            session.viewer, {k: v for k, v in body.items() if v is not None}
        )
    except IncidentError as exc:
        return _form(request, session, body, error=str(exc), status_code=422)
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from exc
    return render.redirect(f"/ui/incidents/{created['id']}")


@router.get("/incidents/{incident_id}")
def detail(request: Request, session: SessionDep, incident_id: str) -> Response:
    """One incident as the viewer may see it; owners also see its audit trail."""
    incident = _detail(request, session, incident_id)
    owner = incident["owner_org_id"] == session.viewer.org_id
    trail = []
    if owner:
        trail = [e for e in _hub(request).audit_entries(0, 10_000) if e.resource_id == incident_id]
    orgs = {o.id: o for o in _hub(request).list_orgs()}
    context = {"viewer": session.viewer, "csrf": session.csrf, "incident": incident, "owner": owner,
               "trail": trail, "orgs": orgs, "redacted": REDACTED}  # fmt: skip
    return render.page(request, "incident.html", context)


@router.get("/incidents/{incident_id}/edit")
def edit_form(request: Request, session: SessionDep, incident_id: str) -> Response:
    """The edit form, carrying the version it was read at."""
    incident = _detail(request, session, incident_id)
    return _form(request, session, _values(incident), error=None)


def _values(incident: dict[str, Any]) -> dict[str, Any]:
    values = dict(incident)
    route = incident.get("route") or {}
    values["origin"] = (route.get("origin") or {}).get("country")
    values["destination"] = (route.get("destination") or {}).get("country")
    return values


@router.post("/incidents/{incident_id}/edit")
async def edit(request: Request, session: SessionDep, incident_id: str) -> Response:
    """Save the changes if nobody saved since the form was read; otherwise show the conflict plainly."""
    body = await _posted(request, session)
    version = body.pop("_version")
    changes = {k: v for k, v in body.items() if v is not None}
    try:
        _hub(request).update_incident(
            session.viewer, incident_id, changes=changes, expected_version=int(version or 0)
        )
    except VersionConflict as exc:
        values = {**body, "id": incident_id, "version": exc.current_version}
        conflict = {"expected": exc.expected_version, "current": exc.current_version}
        return _form(request, session, values | {"conflict": conflict}, error="conflict", status_code=409)
    except IncidentError as exc:
        return _form(request, session, {**body, "id": incident_id, "version": version}, error=str(exc),
                     status_code=422)  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "Not Found") from exc
    except (Forbidden, Retracted) as exc:
        raise HTTPException(403, str(exc)) from exc
    return render.redirect(f"/ui/incidents/{incident_id}")
