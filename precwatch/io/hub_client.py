"""A client of the sharing hub's REST API (httpx), for screening and other batch jobs.

`HubClient(base_url, token)` sends `Authorization: Bearer <token>` with every request. Connection errors,
timeouts and 5xx answers are retried with exponential backoff (`retries` more attempts); when the hub stays
unreachable, `HubUnavailable` names the URL and the last error. Other refusals (401, 403, 422) raise
`HubRequestError` with the hub's own message at once: retrying would not change them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import httpx

BACKOFF_SECONDS = 0.25
"""The first retry waits this long; each further one twice as long."""
PAGE_SIZE = 200


class HubUnavailable(RuntimeError):
    """The hub could not be reached (or kept failing) after every retry."""


class HubRequestError(RuntimeError):
    """The hub refused the request (bad token, no permission, invalid input); `status` is the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class HubClient:
    """The hub's API as Python calls. Use as a context manager (or call `close()`)."""

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
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """Send one request, retrying connection errors, timeouts and 5xx answers with backoff."""
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
                raise HubRequestError(
                    response.status_code,
                    f"the hub at {url} answered {response.status_code}: {_detail(response)}",
                )
            return response
        raise HubUnavailable(
            f"the hub at {url} is unreachable after {self.retries + 1} attempt(s) ({last}); "
            "check --hub and that `precwatch serve` is running"
        )

    # -- notifications -------------------------------------------------------------------------------------

    def iter_notifications(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every notification the token's user may see that matches `filters` (the query parameters of
        `GET /api/v1/notifications`: state, overdue, country, importing_country, exporting_country, substance),
        page after page."""
        params = {k: v for k, v in filters.items() if v is not None}
        offset = 0
        while True:
            page = self._request(
                "GET", "/api/v1/notifications", params={**params, "limit": PAGE_SIZE, "offset": offset}
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
            return dict(self._request("GET", f"/api/v1/notifications/{notification_id}").json())
        except HubRequestError as exc:
            if exc.status == 404:
                return None
            raise


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    detail = body.get("detail") if isinstance(body, dict) else body
    return str(detail)[:500]
