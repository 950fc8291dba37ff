"""Signed-in page clients for the web UI tests: each user gets its own cookie jar over the same app."""

from __future__ import annotations

import re
import warnings
from typing import Any

import httpx

from tests.support.api import Api

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF value of the first form in `html`."""
    found = CSRF.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


class Browser:
    """One user's pages: a client with its own cookies, signed in with the user's API token."""

    def __init__(self, api: Api, user: str | None = None) -> None:
        self.api = api
        self.client = TestClient(api.client.app, base_url="https://testserver", follow_redirects=False)  # type: ignore[arg-type]
        self.csrf = ""
        if user is not None:
            r = self.sign_in(api.tokens[user])
            assert r.status_code == 303, r.text

    def sign_in(self, token: str) -> httpx.Response:
        form = self.client.get("/ui/sign-in")
        return self.client.post("/ui/sign-in", data={"token": token, "csrf": csrf_of(form.text)})

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        r = self.client.get(url, **kwargs)
        if r.status_code == 200 and 'name="csrf"' in r.text:
            self.csrf = csrf_of(r.text)
        return r

    def post(self, url: str, data: dict[str, Any], *, csrf: str | None = None) -> httpx.Response:
        if not self.csrf:
            self.get("/ui/")
        return self.client.post(url, data={**data, "csrf": self.csrf if csrf is None else csrf})
