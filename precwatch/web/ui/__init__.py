"""The hub's pages (server-rendered, EN/ES/ZH) under `/ui`: `install(app)` adds them to the app.

Pages sit on the hub's use cases with the signed-in viewer (never on HTTP calls to the API), so they apply
the API's access rules exactly. No page answers without a session: a request without one is sent to sign-in.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from precwatch.web.ui import account, alerts, incidents, kb, market, notifications, render, screening
from precwatch.web.ui.session import NoSession

PREFIX = "/ui"


def router() -> APIRouter:
    """Every page route."""
    pages = APIRouter(prefix=PREFIX, include_in_schema=False)
    pages.include_router(account.router)
    pages.include_router(incidents.router)
    pages.include_router(kb.router)
    pages.include_router(screening.router)
    pages.include_router(market.router)
    pages.include_router(notifications.router)
    pages.include_router(alerts.router)
    return pages


async def _to_signin(request: Request, exc: Exception) -> Response:
    return render.redirect(f"{PREFIX}/sign-in")


def install(app: FastAPI) -> None:
    """Add the pages, their static files and the redirect to sign-in to `app`."""
    app.include_router(router())
    app.mount(f"{PREFIX}/static", StaticFiles(packages=[("precwatch.web", "static")]), name="ui-static")
    app.add_exception_handler(NoSession, _to_signin)
