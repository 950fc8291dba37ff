"""Bearer-token authentication: `Authorization: Bearer <token>` to the `Viewer` it belongs to.

Tokens are issued by `precwatch hub create-user` / `issue-token` and stored only as HMAC-SHA256 hashes keyed
with the hub secret. A missing, malformed, unknown, expired or revoked token gets the same 401 with
`WWW-Authenticate: Bearer` (RFC 6750), so a caller learns nothing about which of these it was.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import Hub

REALM = "precwatch-hub"

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token from `precwatch hub create-user` (shown once), sent as `Authorization: Bearer <token>`.",
)


class Unauthorized(HTTPException):
    """401 with the RFC 6750 challenge."""

    def __init__(self, detail: str, error: str | None = None) -> None:
        challenge = f'Bearer realm="{REALM}"' + (f', error="{error}"' if error else "")
        super().__init__(401, detail, headers={"WWW-Authenticate": challenge})


async def get_viewer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Viewer:
    """The authenticated caller, or 401. `ApiGuard` has normally checked the token before the body was read
    and left the viewer in the request state (then this costs nothing: `async`, no trip to the thread pool);
    otherwise (an app without the guard) the token is checked here, in the thread pool."""
    checked: Viewer | None = getattr(request.state, "viewer", None)
    if checked is not None:
        return checked
    if credentials is None:
        raise Unauthorized("authentication required: send Authorization: Bearer <token>")
    hub: Hub = request.app.state.hub
    secret: str = request.app.state.settings.hub.secret.get_secret_value()
    viewer = await anyio.to_thread.run_sync(hub.authenticate, credentials.credentials, secret)
    if viewer is None:
        raise Unauthorized("invalid, expired or revoked token", error="invalid_token")
    request.state.viewer = viewer
    return viewer
