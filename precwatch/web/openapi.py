"""The published OpenAPI document: every status code the hub can answer, declared on every operation.

FastAPI documents what a route says (its `response_model`, its `responses=`) and 422; the hub also answers
from its middleware and handlers (401 before anything runs, 413 for a big body, 400 for a malformed one,
403 for a role, 409 for a retracted record, 412/428 for preconditions). `document_errors(app)` adds them
to the generated document once, from these tables, so a route added later is documented the same way.
`If-Match` on PUT, PATCH and DELETE is required (the hub answers 428 without it) and is marked so.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from precwatch.web.pagination import HARD_MAX_PAGE

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {}},
    "required": ["detail"],
}
EVERY_CALL = {
    "400": "Malformed request (e.g. a body that is not JSON).",
    "401": "No token, or an invalid, expired or revoked one (`WWW-Authenticate: Bearer`).",
    "403": "Your role or organisation may not do this.",
    "404": "No such record, or one you may not see (the two are indistinguishable).",
    "413": "The request body is larger than the hub's limit (`max_body_bytes`).",
    "422": "A parameter or body field is invalid (the body says which).",
}
WRITES = {"409": "The record is retracted, or already exists."}
PRECONDITION = {
    "412": "If-Match does not match the current version (the body gives `current_version`).",
    "428": "If-Match is required on this operation.",
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
IF_MATCH_REQUIRED = frozenset({"put", "patch", "delete"})


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


def complete(document: dict[str, Any], prefix: str, *, max_page_size: int) -> dict[str, Any]:
    """`document` with the error answers and required `If-Match` headers of every operation under `prefix`,
    and the hub's configured page size as the `maximum` of every `limit` of the shared `Limit` type."""
    for path, operations in document.get("paths", {}).items():
        if not path.startswith(prefix):
            continue
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            for p in params:
                schema = p.get("schema", {})
                if (
                    p.get("in") == "query"
                    and p.get("name") == "limit"
                    and schema.get("maximum") == HARD_MAX_PAGE
                ):
                    schema["maximum"] = max_page_size
            if_match = [
                p for p in params if p.get("in") == "header" and p.get("name", "").lower() == "if-match"
            ]
            extra = dict(EVERY_CALL)
            if method in WRITE_METHODS:
                extra.update(WRITES)
            if if_match:
                extra.update(PRECONDITION)
                if method in IF_MATCH_REQUIRED:
                    for p in if_match:
                        p["required"] = True
                        p["schema"] = {"type": "string"}
            responses = operation.setdefault("responses", {})
            for status, description in extra.items():
                responses.setdefault(status, _error(description))
    return document


def document_errors(app: FastAPI, prefix: str, *, max_page_size: int) -> None:
    """Make `app.openapi()` return the completed document (built once, then cached like FastAPI's own)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            app.openapi_schema = complete(document, prefix, max_page_size=max_page_size)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
