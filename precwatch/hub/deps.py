"""Typed dependencies of the hub's routes (yente style): `StoreDep`, `SettingsDep`, `ViewerDep`, `WriterDep`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub.auth import get_viewer
from precwatch.hub.request_id import request_id_of
from precwatch.hub.settings import HubSettings
from precwatch.store import Store


async def get_store(request: Request) -> Store:
    """The store the app was created with."""
    store: Store = request.app.state.store
    return store


async def get_settings(request: Request) -> HubSettings:
    """The settings the app was created with."""
    settings: HubSettings = request.app.state.settings
    return settings


async def get_request_id(request: Request) -> str:
    """This request's id (see `precwatch.hub.request_id`)."""
    return request_id_of(request)


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[HubSettings, Depends(get_settings)]
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
