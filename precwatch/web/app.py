"""The hub's web application: `create_app(settings)` builds one FastAPI app over one `Hub`.

Nothing is read from the environment here: the caller builds `Settings` (see `precwatch.settings`) and
passes it in. Every route under `/api/v1` needs a valid bearer token (the dependency is attached to the
whole API router, so a route added later cannot forget it); `/healthz`, `/docs` and `/openapi.json` are open.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import PlainTextResponse
from sqlalchemy.engine import make_url

from precwatch import __version__
from precwatch.data import load_kb
from precwatch.data.warninglists import load_warninglist
from precwatch.hub import Hub
from precwatch.settings import Settings, load_settings
from precwatch.store.db import make_engine
from precwatch.web import api_docs, errors
from precwatch.web.api import alerts, audit, exports, incidents, me, notifications
from precwatch.web.auth import get_viewer
from precwatch.web.guard import ApiGuard
from precwatch.web.openapi import document_errors
from precwatch.web.request_id import RequestIdMiddleware
from precwatch.web.ui import install as install_pages

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
    api.include_router(notifications.router)
    api.include_router(exports.router)
    api.include_router(alerts.router)
    return api


def open_hub(settings: Settings) -> Hub:
    """The hub on `settings.hub.database_url` with the bundled knowledge base. PostgreSQL keeps
    `db_pool_size` connections open, so the worker threads never wait for (or churn through) connections."""
    url = settings.hub.database_url
    if make_url(url).get_backend_name() == "sqlite":
        engine = make_engine(url)
    else:
        engine = make_engine(url, pool_size=settings.hub.db_pool_size, max_overflow=4)
    hub = Hub(
        engine,
        load_kb(),
        durable_read_audit=settings.hub.durable_read_audit,
        warninglist=load_warninglist(),
        token_cache_seconds=settings.hub.token_cache_seconds,
    )
    hub.notification_response_days = settings.hub.notification_response_days
    return hub


def create_app(settings: Settings, hub: Hub | None = None) -> FastAPI:
    """The hub app on `hub` (default: a new hub on `settings.hub.database_url`, closed on shutdown).

    The schema must exist (`precwatch hub init`); the app does not migrate on its own.
    """
    owned = hub is None
    the_hub = open_hub(settings) if hub is None else hub

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web.threads
        yield
        if owned:
            the_hub.close()

    app = FastAPI(
        title="precwatch hub",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.hub = the_hub
    app.add_middleware(
        ApiGuard,
        hub=the_hub,
        secret=settings.hub.secret.get_secret_value(),
        max_body_bytes=settings.web.max_body_bytes,
        prefix=API_PREFIX,
    )
    app.add_middleware(RequestIdMiddleware)
    errors.install(app)
    app.include_router(api_router())
    install_pages(app)
    api_docs.install(app)
    document_errors(app, API_PREFIX, max_page_size=settings.web.max_page_size)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app


def settle_heap(app: FastAPI) -> None:
    """Prepare a server process for steady latency: collect, then `gc.freeze()` (the KB is loaded already).

    Everything alive at startup (the knowledge base, the framework, the compiled SQL) is moved to the
    permanent generation, so the collector never walks it again. Without this every full collection walks
    ~120,000 startup objects and stops all the worker's threads for ~60 ms, several times a minute under
    load: that pause, not the work, set the tail latency. Only for processes that serve (not tests).
    """
    gc.collect()
    gc.freeze()


def create_app_from_env() -> FastAPI:
    """`create_app` on settings read from the environment now."""
    return create_app(load_settings())


def serving_app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call: `create_app_from_env`, then `settle_heap`."""
    app = create_app_from_env()
    settle_heap(app)
    return app
