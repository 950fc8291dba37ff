"""The hub client against a real hub over HTTP: idempotent writes, publishing, retries and clear failures."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from precwatch.hub import Hub, IncidentFilter
from precwatch.io import hub_client
from precwatch.io.hub_client import HubClient, HubRefused, HubUnavailable
from tests.support.backends import db_url, hub
from tests.support.live_hub import LiveHub, live_hub
from tests.support.samples import seizure

__all__ = ["db_url", "hub"]


@pytest.fixture
def served(hub: Hub, db_url: str) -> Iterator[LiveHub]:
    with live_hub(hub, db_url) as live:
        yield live


class FlakyTransport(httpx.BaseTransport):
    """The real network, except that the first `failures` requests answer 503 without reaching the hub."""

    def __init__(self, failures: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.failures = failures
        self.calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls <= self.failures:
            return httpx.Response(503, json={"detail": "starting"})
        return self.inner.handle_request(request)


def test_a_repeated_create_with_the_same_key_records_once(served: LiveHub) -> None:
    with HubClient(served.url, served.tokens["MX"]) as client:
        first = client.create_incident(seizure(), idempotency_key="k-1")
        again = client.create_incident(seizure(), idempotency_key="k-1")
    assert first["id"] == again["id"] and first["state"] == "published"
    assert served.hub.count_incidents(served.viewer("MX"), IncidentFilter()) == 1


def test_a_draft_is_published_once_even_when_asked_twice(served: LiveHub) -> None:
    body = seizure(tlp="green", shared_with_orgs=[])
    with HubClient(served.url, served.tokens["MX"]) as client:
        draft = client.create_incident(body, idempotency_key="d-1", draft=True)
        assert served.hub.get_incident(served.viewer("US"), draft["id"]) is None
        published = client.publish_incident(draft["id"])
        assert client.publish_incident(draft["id"])["version"] == published["version"] == 2
    assert published["state"] == "published"
    assert served.hub.get_incident(served.viewer("US"), draft["id"]) is not None


def test_5xx_answers_are_retried(served: LiveHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub_client, "BACKOFF_SECONDS", 0.01)
    flaky = FlakyTransport(failures=2)
    client = HubClient(served.url, served.tokens["MX"], retries=3, transport=flaky)
    with client:
        created = client.create_incident(seizure(), idempotency_key="k-2")
    assert flaky.calls == 3 and created["version"] == 1


def test_refusals_are_not_retried_and_say_why(served: LiveHub) -> None:
    flaky = FlakyTransport(failures=0)
    with (
        HubClient(served.url, "not-a-token", transport=flaky) as client,
        pytest.raises(HubRefused) as refused,
    ):
        client.create_incident(seizure(), idempotency_key="k-3")
    assert refused.value.status == 401 and flaky.calls == 1
    with HubClient(served.url, served.tokens["MX"]) as client, pytest.raises(HubRefused, match="country"):
        client.create_incident(seizure(country="Mexico"), idempotency_key="k-4")


def test_an_unreachable_hub_is_named_after_the_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub_client, "BACKOFF_SECONDS", 0.01)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = HubClient(f"http://127.0.0.1:{port}", "t", retries=2, timeout=2)
    with client, pytest.raises(HubUnavailable, match=f"127.0.0.1:{port}.*ConnectError"):
        client.publish_incident("abc")
