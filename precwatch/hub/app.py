"""The hub's web application: `create_app(settings)` builds one FastAPI app over one `Store`.

Nothing is read from the environment here: the caller builds `HubSettings` (see `precwatch.hub.settings`)
and passes it in. Every route under `/api/v1` needs a valid bearer token (the dependency is attached to the
whole API router, so a route added later cannot forget it); `/healthz`, `/docs` and `/openapi.json` are open.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import PlainTextResponse

from precwatch import __version__
from precwatch.hub import errors
from precwatch.hub.auth import get_viewer
from precwatch.hub.request_id import RequestIdMiddleware
from precwatch.hub.routers import audit, incidents, me
from precwatch.hub.settings import HubSettings
from precwatch.store import Store

API_PREFIX = "/api/v1"
PUBLIC_PATHS = frozenset({"/healthz", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"})
"""The only routes answered without a token (pinned by a test)."""

DESCRIPTION = """\
Share precursor incidents between agencies under the Traffic Light Protocol.

Every `/api/v1` request carries `Authorization: Bearer <token>` (issued by `precwatch hub create-user`).
A record you may not see answers 404 exactly like a missing one and never appears in lists or counts.
Changes need `If-Match` with the version (ETag) you read.
"""


def api_router() -> APIRouter:
    """Every API route, all behind the bearer-token dependency."""
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(get_viewer)])
    api.include_router(incidents.router)
    api.include_router(audit.router)
    api.include_router(me.router)
    return api


def create_app(settings: HubSettings, store: Store | None = None) -> FastAPI:
    """The hub app on `store` (default: a new store on `settings.database_url`, closed on shutdown).

    The schema must exist (`precwatch hub init`); the app does not migrate on its own.
    """
    owned = store is None
    hub_store = Store.from_url(settings.database_url) if store is None else store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hub_store.kb  # noqa: B018  load the knowledge base before the first request, not during it
        yield
        if owned:
            hub_store.close()

    app = FastAPI(
        title="precwatch hub",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = hub_store
    app.add_middleware(RequestIdMiddleware)
    errors.install(app)
    app.include_router(api_router())

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app
