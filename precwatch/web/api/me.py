"""Who am I, and which organisations are on the hub (to name in `shared_with_orgs`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from precwatch.web.deps import HubDep, ViewerDep
from precwatch.web.schemas import MeOut, OrgOut
from precwatch.web.validated import Validated

router = APIRouter(tags=["me"])
ME = Validated(MeOut)


@router.get("/me", response_model=MeOut, summary="The user this token belongs to")
def me(hub: HubDep, viewer: ViewerDep) -> Response:
    """Your user id, e-mail, role and organisation."""
    org = hub.get_org(viewer.org_id)
    return ME.response(
        {
            "user_id": viewer.user_id,
            "email": viewer.email,
            "role": viewer.role,
            "org": {"id": org.id, "name": org.name, "country": org.country},
        }
    )


@router.get("/orgs", response_model=list[OrgOut], summary="Organisations on the hub")
def orgs(hub: HubDep, viewer: ViewerDep) -> list[dict[str, Any]]:
    """Every organisation on the hub (id, name, country): the ids to put in `shared_with_orgs`."""
    return [{"id": o.id, "name": o.name, "country": o.country} for o in hub.list_orgs()]
