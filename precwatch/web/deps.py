"""Typed dependencies of the API routes (yente style): `HubDep`, `SettingsDep`, `ViewerDep`, `WriterDep`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import Hub
from precwatch.settings import Settings
from precwatch.web.auth import get_viewer
from precwatch.web.request_id import request_id_of


async def get_hub(request: Request) -> Hub:
    """The hub the app was created with."""
    hub: Hub = request.app.state.hub
    return hub


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_request_id(request: Request) -> str:
    """This request's id (see `precwatch.web.request_id`)."""
    return request_id_of(request)


HubDep = Annotated[Hub, Depends(get_hub)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RequestIdDep = Annotated[str, Depends(get_request_id)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]


async def require_writer(viewer: ViewerDep) -> Viewer:
    """The caller, who must be allowed to write (an admin or analyst): viewers get 403."""
    if not viewer.can_write:
        raise HTTPException(403, f"role {viewer.role!r} cannot write; analysts and admins can")
    return viewer


async def require_admin(viewer: ViewerDep) -> Viewer:
    """The caller, who must be an admin of their organisation: others get 403."""
    if viewer.role != "admin":
        raise HTTPException(403, "only admins may do this")
    return viewer


WriterDep = Annotated[Viewer, Depends(require_writer)]
AdminDep = Annotated[Viewer, Depends(require_admin)]
