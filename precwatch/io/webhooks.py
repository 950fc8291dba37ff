"""Posting alerts to webhooks with httpx: an HMAC-SHA256 signature, a timeout, and the retry schedule.

Each post carries `X-Precwatch-Timestamp` (Unix seconds), `X-Precwatch-Delivery` (the delivery id) and
`X-Precwatch-Signature: sha256=<hex>`, the HMAC-SHA256 with the rule's secret of `"{timestamp}.{body}"`.
A receiver recomputes it (`signature`) and refuses stale timestamps, so a captured post cannot be replayed.

Webhook URLs are chosen by hub users, so the worker would otherwise post wherever they point, including the
hub's own network (the database, a cloud metadata service at 169.254.169.254, an admin port on localhost).
Before each post the host is resolved and every address must be public (`ipaddress.is_global`) or inside a
network the operator allowed (`PRECWATCH_HUB_WEBHOOK_ALLOWED_NETWORKS`); otherwise the post is refused with
`WebhookRefused` and never retried. The check runs just before the connection, so a name that is re-pointed
between the check and the connect (DNS rebinding) is a residual risk: deployments that need more put the
worker behind an egress proxy.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

import httpx

USER_AGENT = "precwatch-webhooks/1"
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class WebhookError(Exception):
    """A post that did not succeed (connection error, timeout, or a non-2xx answer)."""


class WebhookRefused(WebhookError):
    """A post never attempted: the URL's host is not a public address and not in an allowed network."""


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDR networks (`10.0.0.0/8`, `127.0.0.1`, `fd00::/8`) from text; raises `ValueError` naming the bad one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP network: {value!r} ({exc})") from exc
    return tuple(networks)


def check_destination(url: str, allowed: tuple[Network, ...] = ()) -> None:
    """Refuse `url` unless every address its host resolves to is public or inside an `allowed` network.

    Raises:
        WebhookRefused: the host does not resolve, or resolves to a loopback, private, link-local, reserved
            or other non-public address outside `allowed`.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise WebhookRefused(f"{host!r} does not resolve: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_global or any(address in network for network in allowed):
            continue
        raise WebhookRefused(
            f"{host!r} resolves to {address}, which is not a public address; an operator may allow its "
            "network with PRECWATCH_HUB_WEBHOOK_ALLOWED_NETWORKS"
        )


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>`: the HMAC-SHA256 of `"{timestamp}." + body` keyed with `secret`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int, *, base: timedelta = BASE_DELAY) -> timedelta:
    """The wait after the `attempts`-th failure: base, 2 x base, 4 x base ... at most `MAX_DELAY`."""
    delay: timedelta = base * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_DELAY)


def post(
    client: httpx.Client,
    url: str,
    body: bytes,
    *,
    secret: str,
    timestamp: int,
    delivery_id: int,
    allowed: tuple[Network, ...] = (),
) -> None:
    """POST `body` (JSON) to `url`, signed, after `check_destination`.

    Raises:
        WebhookRefused: the destination is not public and not allowed (nothing was sent).
        WebhookError: the receiver did not answer 2xx.
    """
    check_destination(url, allowed)
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
