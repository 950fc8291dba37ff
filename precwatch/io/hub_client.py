"""A client of a precwatch hub's REST API (`/api/v1`), for the batch jobs that read from or push to the hub.

`HubClient(base_url, token)` sends `Authorization: Bearer <token>` with every request (httpx). Connect errors,
timeouts and 5xx answers are retried with exponential backoff (`retries` more attempts); when the hub stays
unreachable the call raises `HubUnavailable`, naming the URL and the last error. A refusal (4xx: bad token, no
permission, invalid record, conflict) raises `HubRefused` with the hub's own reason at once: retrying would not
change it. Writes carry an `Idempotency-Key`, so a retry after a lost answer never records twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any

import httpx

API = "/api/v1"
BACKOFF_SECONDS = 0.25
"""The first retry waits this long; each further one twice as long."""
PAGE_SIZE = 200


class HubUnavailable(RuntimeError):
    """The hub could not be reached or kept failing (connection refused, timeout, 5xx) after every retry."""


class HubRefused(RuntimeError):
    """The hub answered with a 4xx: the request itself is wrong (bad token, no permission, invalid record,
    conflict); `status` is the HTTP status and `detail` the hub's reason."""

    def __init__(self, method: str, url: str, status: int, detail: Any) -> None:
        super().__init__(f"{method} {url}: the hub answered {status}: {detail}")
        self.status = status
        self.detail = detail


class HubClient:
    """The hub's API as Python calls, for one hub and one token. Use as a context manager (or call `close()`)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not token.strip():
            raise ValueError("a hub token is required (precwatch hub create-user prints one)")
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token.strip()}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    def __enter__(self) -> HubClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """One API call (`path` under `/api/v1`, or a full path starting with `/api/`), retried on connect
        errors, timeouts and 5xx; the response of a 2xx. Raises `HubUnavailable` when the retries are spent,
        `HubRefused` on a 4xx."""
        path = path if path.startswith("/api/") else f"{API}{path}"
        url = f"{self.base_url}{path}"
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
            try:
                response = self._http.request(method, path, **kw)
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code >= 500:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                raise HubRefused(method, url, response.status_code, _detail(response))
            return response
        raise HubUnavailable(
            f"the hub at {url} is unreachable after {self.retries + 1} attempt(s) ({last}); "
            "check --hub and that `precwatch serve` is running"
        )

    # -- incidents -----------------------------------------------------------------------------------------

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

    # -- notifications -------------------------------------------------------------------------------------

    def iter_notifications(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every notification the token's user may see that matches `filters` (the query parameters of
        `GET /api/v1/notifications`: state, overdue, country, importing_country, exporting_country, substance),
        page after page."""
        params = {k: v for k, v in filters.items() if v is not None}
        offset = 0
        while True:
            page = self._request(
                "GET", "/notifications", params={**params, "limit": PAGE_SIZE, "offset": offset}
            ).json()
            items = page["items"]
            yield from items
            offset += len(items)
            if not items or offset >= int(page["total"]):
                return

    def notifications(self, **filters: Any) -> list[dict[str, Any]]:
        """`iter_notifications` as a list."""
        return list(self.iter_notifications(**filters))

    def notification(self, notification_id: str) -> dict[str, Any] | None:
        """One notification, or None when it is missing or not visible to the token's user."""
        try:
            return dict(self._request("GET", f"/notifications/{notification_id}").json())
        except HubRefused as exc:
            if exc.status == 404:
                return None
            raise


def _detail(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    return body.get("detail", body) if isinstance(body, dict) else body
