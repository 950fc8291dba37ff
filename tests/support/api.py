"""A small hub population for the HTTP tests: three organisations, users of every role, real tokens."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from precwatch.hub import Hub, Org, User
from precwatch.settings import Settings
from precwatch.web.app import create_app
from tests.support.samples import seizure as seizure  # re-exported for the web tests

with warnings.catch_warnings():  # starlette announces a future move of its test client to httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

USERS: dict[str, tuple[str, str]] = {
    "mx_admin": ("MX", "admin"),
    "mx_analyst": ("MX", "analyst"),
    "mx_analyst2": ("MX", "analyst"),
    "mx_viewer": ("MX", "viewer"),
    "us_admin": ("US", "admin"),
    "us_analyst": ("US", "analyst"),
    "us_viewer": ("US", "viewer"),
    "cn_analyst": ("CN", "analyst"),
}


@contextmanager
def open_client(settings: Settings, hub: Hub) -> Iterator[TestClient]:
    """The app on `hub`, behind an in-process HTTP client (lifespan run)."""
    with TestClient(create_app(settings, hub)) as client:
        yield client


@dataclass
class Api:
    """The app behind a test client, the hub under it, and who is on it (with their tokens)."""

    client: TestClient
    hub: Hub
    settings: Settings
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def add_org(self, code: str, name: str | None = None) -> Org:
        org = self.hub.create_org(name or f"{code} agency", code[:2])
        self.orgs[code] = org
        return org

    def add_user(self, name: str, org: str, role: str, *, days: float = 30) -> User:
        user = self.hub.create_user(f"{name}@{org.lower()}.example", self.orgs[org].id, role=role)  # type: ignore[arg-type]
        self.users[name] = user
        self.tokens[name] = self.issue(user.id, days)
        return user

    def issue(self, user_id: int, days: float = 30) -> str:
        expires = datetime.now(UTC) + timedelta(days=days)
        _, raw = self.hub.issue_token(user_id, expires, secret=self.settings.hub.secret.get_secret_value())
        return raw

    def auth(self, user: str, **headers: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}", **headers}

    def request(self, method: str, url: str, user: str, **kwargs: Any) -> httpx.Response:
        headers = self.auth(user, **kwargs.pop("headers", {}))
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, user: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, user, **kwargs)

    def create(self, user: str, **changes: Any) -> dict[str, Any]:
        """POST a seizure (with `changes`) as `user`; the created incident."""
        r = self.request("POST", "/api/v1/incidents", user, json=seizure(**changes))
        assert r.status_code == 201, r.text
        return dict(r.json())

    def patch(self, user: str, incident_id: str, version: int, **changes: Any) -> httpx.Response:
        return self.request(
            "PATCH",
            f"/api/v1/incidents/{incident_id}",
            user,
            json=changes,
            headers={"If-Match": f'"{version}"'},
        )


def make_api(client: TestClient, hub: Hub, settings: Settings) -> Api:
    api = Api(client, hub, settings)
    for code in ("MX", "US", "CN"):
        api.add_org(code)
    for name, (org, role) in USERS.items():
        api.add_user(name, org, role)
    return api


@contextmanager
def live_server(settings: Settings, hub: Hub | None = None) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a background thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP: asyncio sets NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings, hub), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
