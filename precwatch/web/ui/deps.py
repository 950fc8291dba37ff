"""Dependencies of the pages: the session (or a redirect to sign-in) and the CSRF check of every form."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request

from precwatch.web.ui.session import Session, csrf_ok, current_session


def get_session(request: Request) -> Session:
    """The signed-in session; `NoSession` (turned into a redirect to sign-in) otherwise."""
    return current_session(request)


SessionDep = Annotated[Session, Depends(get_session)]


def checked_session(session: SessionDep, csrf: Annotated[str, Form()] = "") -> Session:
    """The session of a form POST whose CSRF value matches; 403 otherwise."""
    if not csrf_ok(session.csrf, csrf):
        raise HTTPException(403, "the form's CSRF token is missing or wrong: reload the page and try again")
    return session


FormSessionDep = Annotated[Session, Depends(checked_session)]
