"""Posting alerts to webhooks with httpx: an HMAC-SHA256 signature, a timeout, and the retry schedule.

Each post carries `X-Precwatch-Timestamp` (Unix seconds), `X-Precwatch-Delivery` (the delivery id) and
`X-Precwatch-Signature: sha256=<hex>`, the HMAC-SHA256 with the rule's secret of `"{timestamp}.{body}"`.
A receiver recomputes it (`signature`) and refuses stale timestamps, so a captured post cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import httpx

USER_AGENT = "precwatch-webhooks/1"
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)


class WebhookError(Exception):
    """A post that did not succeed (connection error, timeout, or a non-2xx answer)."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>`: the HMAC-SHA256 of `"{timestamp}." + body` keyed with `secret`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int, *, base: timedelta = BASE_DELAY) -> timedelta:
    """The wait after the `attempts`-th failure: base, 2 x base, 4 x base ... at most `MAX_DELAY`."""
    delay: timedelta = base * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_DELAY)


def post(
    client: httpx.Client, url: str, body: bytes, *, secret: str, timestamp: int, delivery_id: int
) -> None:
    """POST `body` (JSON) to `url`, signed. Raises `WebhookError` unless the receiver answers 2xx."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Precwatch-Timestamp": str(timestamp),
        "X-Precwatch-Delivery": str(delivery_id),
        "X-Precwatch-Signature": signature(secret, timestamp, body),
    }
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    if not response.is_success:
        raise WebhookError(f"HTTP {response.status_code}: {response.text[:200]}")
