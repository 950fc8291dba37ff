"""A client of a precwatch hub's REST API (`/api/v1`), for the jobs that push what they find to the hub.

`HubClient(base_url, token)` sends authenticated JSON requests with httpx. Connect errors, timeouts and
5xx answers are retried with exponential backoff (`retries` times); when the hub still cannot be reached
the call raises `HubUnavailable`, naming the URL. A refusal (4xx) raises `HubRefused` with the hub's
reason: retrying it would not help. Writes carry an `Idempotency-Key`, so a retry after a lost answer
never records twice.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx


class HubUnavailable(RuntimeError):
    """The hub could not be reached or kept failing (connection refused, timeout, 5xx) after the retries."""


class HubRefused(RuntimeError):
    """The hub answered with a 4xx: the request itself is wrong (bad token, invalid record, conflict)."""

    def __init__(self, method: str, url: str, status: int, detail: Any) -> None:
        super().__init__(f"{method} {url}: the hub answered {status}: {detail}")
        self.status = status
        self.detail = detail


class HubClient:
    """An authenticated client of one hub; use it as a context manager (or call `close`)."""

    API = "/api/v1"
    BACKOFF = 0.5
    """Seconds before the first retry; doubled for each further one."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    def __enter__(self) -> HubClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """One API call (`path` under `/api/v1`, or a full path starting with `/api/`), retried on connect
        errors, timeouts and 5xx; the response of a 2xx. Raises `HubUnavailable` when the retries are
        spent, `HubRefused` on a 4xx."""
        path = path if path.startswith("/api/") else f"{self.API}{path}"
        url = f"{self.base_url}{path}"
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.BACKOFF * 2 ** (attempt - 1))
            try:
                response = self._http.request(method, path, **kw)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                raise HubRefused(method, url, response.status_code, _detail(response))
            return response
        raise HubUnavailable(f"hub at {self.base_url} unavailable ({method} {url}): {problem}")

    def create_incident(
        self, incident: Mapping[str, Any], *, idempotency_key: str, draft: bool = False
    ) -> dict[str, Any]:
        """Record an incident (`POST /api/v1/incidents`; a `draft` waits for an analyst to publish it).
        Pushing the same key and body again returns the incident first created."""
        response = self._request(
            "POST",
            "/incidents",
            json=dict(incident),
            params={"draft": "true"} if draft else None,
            headers={"Idempotency-Key": idempotency_key},
        )
        created: dict[str, Any] = response.json()
        return created

    def publish_incident(self, incident_id: str) -> dict[str, Any]:
        """Publish a draft incident (`POST /api/v1/incidents/{id}/publish`). An incident that is already
        published (by someone else, or by a retried call whose answer was lost) is returned as it is."""
        try:
            response = self._request("POST", f"/incidents/{incident_id}/publish")
        except HubRefused as refused:
            if refused.status != 409:
                raise
            current: dict[str, Any] = self._request("GET", f"/incidents/{incident_id}").json()
            if current.get("state") != "published":
                raise
            return current
        published: dict[str, Any] = response.json()
        return published


def _detail(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    return body.get("detail", body) if isinstance(body, dict) else body
