"""Sign-in (an API token exchanged for a session cookie), sign-out and the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from precwatch.hub import Hub
from precwatch.web.ui import render
from precwatch.web.ui.dashboard import summarise
from precwatch.web.ui.deps import FormSessionDep, SessionDep
from precwatch.web.ui.session import LOGIN_CSRF_COOKIE, close_session, csrf_ok, open_session, signin_csrf

router = APIRouter()


def _signin_page(
    request: Request, *, error: str | None = None, status_code: int = 200, token: str = ""
) -> Response:
    holder = Response()
    csrf = signin_csrf(request, holder)
    response = render.page(
        request,
        "signin.html",
        {"csrf": csrf, "error": error, "viewer": None, "token": token},
        status_code=status_code,
    )
    for value in holder.headers.getlist("set-cookie"):
        response.headers.append("set-cookie", value)
    return response


@router.get("/sign-in")
def signin_form(request: Request) -> Response:
    """The sign-in form: paste the API token `precwatch hub create-user` printed."""
    return _signin_page(request)


@router.post("/sign-in")
def signin(
    request: Request, token: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    """Check the token; on success open a session and go to the dashboard."""
    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf):
        return _signin_page(request, error="csrf", status_code=403)
    hub: Hub = request.app.state.hub
    secret: str = request.app.state.settings.hub.secret.get_secret_value()
    viewer = hub.authenticate(token.strip(), secret)
    if viewer is None:
        return _signin_page(request, error="token", status_code=401)
    response = render.redirect("/ui/")
    open_session(request, response, viewer.user_id)
    return response


@router.get("/sign-in/link")
def signin_link(request: Request, token: str = "") -> Response:
    """The sign-in form with the token filled in (the link `make demo-hub` prints); it still needs a click."""
    return _signin_page(request, token=token)


@router.post("/sign-out")
def signout(session: FormSessionDep) -> Response:
    """End the session."""
    response = render.redirect("/ui/sign-in")
    close_session(response)
    return response


@router.get("/")
def dashboard(request: Request, session: SessionDep) -> Response:
    """Counts, substances per month, origin → destination flows and recent partner activity."""
    hub: Hub = request.app.state.hub
    board = summarise(hub, session.viewer)
    orgs = {o.id: o for o in hub.list_orgs()}
    return render.page(
        request,
        "dashboard.html",
        {"viewer": session.viewer, "csrf": session.csrf, "board": board, "orgs": orgs},
    )
