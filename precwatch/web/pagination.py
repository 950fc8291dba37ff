"""Pages and links shared by every list route: the page-size check and the `next` and `Location` URLs.

Links are built from the configured `web.public_url` (or left relative when it is unset), never from the
client's `Host` header, so a forged header cannot plant another site's address in a response.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError

from precwatch.settings import Settings

HARD_MAX_PAGE = 500
"""No setting can raise the page size past this (`web.max_page_size` is at most 500)."""

Limit = Annotated[
    int, Query(ge=1, le=HARD_MAX_PAGE, description="Page size, 1 to the hub's max_page_size (default 200).")
]


def check_limit(limit: int, settings: Settings) -> int:
    """`limit` if the hub allows pages that large; else 422 (a larger page is refused, never clamped)."""
    maximum = settings.web.max_page_size
    if limit > maximum:
        error = {
            "loc": ["query", "limit"],
            "msg": f"Input should be less than or equal to {maximum}",
            "type": "less_than_equal",
            "input": limit,
        }
        raise RequestValidationError([error])
    return limit


def link(settings: Settings, path: str, query: dict[str, Any] | None = None) -> str:
    """The URL of `path` (and `query`) on this hub: absolute under `web.public_url`, else relative."""
    base = (settings.web.public_url or "").rstrip("/")
    return f"{base}{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")


def next_link(request: Request, settings: Settings, **changes: Any) -> str:
    """The URL of this request with `changes` to its query (e.g. the next `offset`)."""
    query: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, []).append(value)
    query.update({k: [str(v)] for k, v in changes.items()})
    return link(settings, request.url.path, query)
