"""The API's gate: authentication and the request-size limit, before any byte of the body is read.

A pure ASGI middleware (no `BaseHTTPMiddleware`: that buffers bodies). For every `/api/v1` request it:

1. refuses a path or query string holding a NUL character (422): no database accepts NUL in text, and
   PostgreSQL answers it with an error, not an empty result;
2. checks the bearer token (401 with the RFC 6750 challenge when missing, unknown, expired or revoked)
   before the application runs, so a request without a valid token never has its body parsed; a token
   the database confirmed seconds ago is answered in the event loop from the hub's token cache
   (`precwatch.hub.token_cache`), without a trip to the thread pool and the database;
3. refuses a body larger than `web.max_body_bytes`: at once from `Content-Length` (413), and while it
   streams when the length is not announced (chunked), so an oversized body is never held in memory.

The authenticated `Viewer` is left in the request state, where `precwatch.web.auth.get_viewer` finds it.
"""

from __future__ import annotations

import contextlib
import json
from urllib.parse import unquote_to_bytes

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from precwatch.hub import Hub

REALM = "precwatch-hub"
MISSING = "authentication required: send Authorization: Bearer <token>"
INVALID = "invalid, expired or revoked token"


class BodyTooLarge(Exception):
    """The body went past the limit while it was being read."""


async def _answer(
    send: Send, status: int, body: object, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    raw = json.dumps(body).encode()
    start_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*start_headers, *headers]})
    await send({"type": "http.response.body", "body": raw})


def _challenge(error: str | None) -> tuple[tuple[bytes, bytes], ...]:
    value = f'Bearer realm="{REALM}"' + (f', error="{error}"' if error else "")
    return ((b"www-authenticate", value.encode()),)


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else ""
    return None


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _has_nul(scope: Scope) -> bool:
    return "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(scope.get("query_string", b""))


class ApiGuard:
    """Authenticate, bound the body and refuse NUL characters for every request under `prefix`."""

    def __init__(self, app: ASGIApp, *, hub: Hub, secret: str, max_body_bytes: int, prefix: str) -> None:
        self.app, self.hub, self.secret = app, hub, secret
        self.max_body_bytes, self.prefix = max_body_bytes, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            detail = [{"loc": ["query"], "msg": "NUL characters are not allowed", "type": "value_error"}]
            await _answer(send, 422, {"detail": detail})
            return
        token = _bearer(scope)
        if not token:
            await _answer(send, 401, {"detail": MISSING}, _challenge(None))
            return
        viewer = self.hub.cached_viewer(token, self.secret) or await anyio.to_thread.run_sync(
            self.hub.authenticate, token, self.secret
        )
        if viewer is None:
            await _answer(send, 401, {"detail": INVALID}, _challenge("invalid_token"))
            return
        scope.setdefault("state", {})["viewer"] = viewer
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._too_large(send)
            return
        await self._bounded(scope, receive, send)

    async def _too_large(self, send: Send) -> None:
        detail = f"the request body is larger than the hub's limit of {self.max_body_bytes} bytes"
        await _answer(send, 413, {"detail": detail}, ((b"connection", b"close"),))

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, counting the body as it streams; past the limit, answer 413 instead of the app."""
        seen = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if over and not started:
            await self._too_large(send)
