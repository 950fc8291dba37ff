"""Page sessions: an API token exchanged at sign-in for a signed, HttpOnly, SameSite=Strict session cookie.

The cookie holds the user id, the expiry and the session's CSRF secret, signed with a key derived from the hub
secret (itsdangerous); it never holds the API token. Each request re-reads the user, so a role change or a
deleted user applies at once. A session ends at sign-out or `SESSION_HOURS` after sign-in. Every form carries the CSRF value and every POST is checked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import Hub
from precwatch.hub.errors import NotFound

COOKIE = "precwatch_session"
LOGIN_CSRF_COOKIE = "precwatch_signin"
SESSION_HOURS = 8
"""The longest a page session lives, whatever the token's own lifetime."""


class NoSession(Exception):
    """The request has no valid session: the page redirects to sign-in."""


@dataclass(frozen=True)
class Session:
    """A signed-in user and the CSRF value of their session."""

    viewer: Viewer
    csrf: str
    expires_at: float


def _serializer(request: Request) -> URLSafeTimedSerializer:
    secret: str = request.app.state.settings.hub.secret.get_secret_value()
    key = hmac.new(secret.encode(), b"precwatch-ui-session", hashlib.sha256).hexdigest()
    return URLSafeTimedSerializer(key, salt="precwatch-session")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def open_session(request: Request, response: Response, user_id: int) -> None:
    """Set the session cookie for `user_id`, expiring `SESSION_HOURS` from now."""
    expires = time.time() + SESSION_HOURS * 3600
    value = _serializer(request).dumps({"u": user_id, "e": expires, "c": secrets.token_urlsafe(24)})
    response.set_cookie(
        COOKIE,
        value,
        max_age=max(1, int(expires - time.time())),
        httponly=True,
        secure=_secure(request),
        samesite="strict",
        path="/",
    )


def close_session(response: Response) -> None:
    """Clear the session cookie (sign-out)."""
    response.delete_cookie(COOKIE, path="/")


def current_session(request: Request) -> Session:
    """The request's session, or `NoSession` (missing, forged, expired cookie or a user gone)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        raise NoSession()
    try:
        data: dict[str, Any] = _serializer(request).loads(raw, max_age=SESSION_HOURS * 3600)
    except BadSignature as exc:
        raise NoSession() from exc
    if float(data["e"]) < time.time():
        raise NoSession()
    hub: Hub = request.app.state.hub
    try:
        user = hub.get_user(int(data["u"]))
    except NotFound as exc:
        raise NoSession() from exc
    return Session(Viewer(user.id, user.org_id, user.role, user.email), str(data["c"]), float(data["e"]))


def csrf_ok(expected: str, given: str | None) -> bool:
    """Whether a form's CSRF value matches the session's (constant-time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def signin_csrf(request: Request, response: Response) -> str:
    """The sign-in form's CSRF value (double-submit cookie: the form and the cookie must agree)."""
    value = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, value, httponly=True, secure=_secure(request), samesite="strict", path="/"
    )
    return value
