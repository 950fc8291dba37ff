"""Request ids: every request gets one, every response says it, and the audit log records it.

A client may send its own `X-Request-ID` (up to 64 letters, digits, `.`, `_`, `-`); anything else is replaced
by a fresh random id, so a caller cannot inject text into the audit log through this header.
"""

from __future__ import annotations

import re
import uuid

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id(offered: str | None) -> str:
    """The client's id when it is well formed, else a new random one (32 hex digits)."""
    if offered is not None and _VALID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI middleware: puts the id in `request.state.request_id` and in the response header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                offered = value.decode("latin-1")
                break
        request_id = new_request_id(offered)
        scope.setdefault("state", {})["request_id"] = request_id
        raw = request_id.encode("ascii")

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", raw)]
            await send(message)

        await self.app(scope, receive, send_with_id)


def request_id_of(request: Request) -> str:
    """The id the middleware gave this request."""
    return str(request.state.request_id)
