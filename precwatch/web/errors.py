"""Hub errors to HTTP answers: one status per error class, and one body for "not found" whatever the cause."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from precwatch.core.sharing.notifications import IllegalTransition
from precwatch.hub.drafts import AlreadyPublished
from precwatch.hub.errors import (
    AlreadyExists,
    Forbidden,
    IdempotencyConflict,
    IncidentError,
    NotFound,
    Retracted,
    VersionConflict,
)

NOT_FOUND_BODY = {"detail": "Not Found"}
"""The body of every 404 for a record, and the same as the one for an unknown path: a missing record, one the
caller may not see, and a URL that matches no route all look alike."""


def not_found() -> JSONResponse:
    """The 404 answer for a record that is missing or not visible (the same as for an unknown path)."""
    return JSONResponse(NOT_FOUND_BODY, status_code=404)


def _version_conflict(exc: VersionConflict) -> JSONResponse:
    body = {
        "detail": f"version mismatch: you sent {exc.expected_version}, the record is now at {exc.current_version}; "
        "re-read it, apply your change and retry",
        "current_version": exc.current_version,
    }
    return JSONResponse(body, status_code=412, headers={"ETag": f'"{exc.current_version}"'})


def _invalid(exc: IncidentError) -> JSONResponse:
    loc: list[str | int] = ["body"]
    for part in exc.field.replace("]", "").split("."):
        name, _, index = part.partition("[")
        loc.append(name)
        if index:
            loc.append(int(index) if index.isdigit() else index)
    return JSONResponse(
        {"detail": [{"loc": loc, "msg": exc.message, "type": "value_error"}]}, status_code=422
    )


def json_safe(value: Any) -> Any:
    """`value` with what strict JSON cannot carry made printable: NaN and infinities as strings, lone
    surrogates as U+FFFD (a 422 quotes the input, and the input may hold either)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


async def _request_invalid(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body, made safe to encode whatever the client sent."""
    assert isinstance(exc, RequestValidationError)
    detail = json_safe(jsonable_encoder(exc.errors()))
    return JSONResponse({"detail": detail}, status_code=422)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on the request's path (Starlette's own 405 names only the first
    matching route's methods); asked of the routes themselves, so included routers count too."""
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.routes):
            allowed.append(method)
    return allowed


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's answer to an `HTTPException`, with a complete `Allow` header on 405."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        headers = {**(exc.headers or {}), "Allow": ", ".join(allowed_methods(request))}
        exc = StarletteHTTPException(405, exc.detail, headers=headers)
    return await http_exception_handler(request, exc)


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, NotFound):
            return not_found()
        if isinstance(exc, VersionConflict):
            return _version_conflict(exc)
        if isinstance(exc, IncidentError):
            return _invalid(exc)
        if isinstance(exc, IdempotencyConflict):  # a 422 has one shape: a list of problems with their place
            problem = {"loc": ["header", "Idempotency-Key"], "msg": str(exc), "type": "idempotency_conflict"}
            return JSONResponse({"detail": [problem]}, status_code=422)
        status = 403 if isinstance(exc, Forbidden) else 409
        return JSONResponse({"detail": str(exc)}, status_code=status)

    async def illegal(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    app.add_exception_handler(IllegalTransition, illegal)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for cls in (
        NotFound,
        VersionConflict,
        IncidentError,
        Forbidden,
        Retracted,
        AlreadyExists,
        IdempotencyConflict,
        AlreadyPublished,
    ):
        app.add_exception_handler(cls, handle)
