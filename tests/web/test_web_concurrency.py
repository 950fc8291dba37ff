"""Concurrent changes over real HTTP (uvicorn on loopback): the version check lets exactly one writer win,
and a writer that re-reads and retries loses nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from precwatch.hub import Hub
from precwatch.settings import Settings
from tests.support.api import Api, live_server


@pytest.fixture
def base_url(api: Api, settings: Settings, hub: Hub) -> Iterator[str]:
    with live_server(settings, hub) as url:
        yield url


def client(api: Api, base_url: str, user: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers=api.auth(user), timeout=30)


def test_two_writers_at_the_same_version_exactly_one_wins_and_the_other_retries(
    api: Api, base_url: str
) -> None:
    incident = api.create("mx_analyst", narrative="start")
    url = f"/api/v1/incidents/{incident['id']}"
    rounds = 4
    for n in range(rounds):
        barrier = threading.Barrier(2)

        def write(user: str, field: str, value: Any, barrier: threading.Barrier = barrier) -> tuple[int, int]:
            with client(api, base_url, user) as c:
                version = c.get(url).json()["version"]
                barrier.wait()
                first = c.patch(url, json={field: value}, headers={"If-Match": f'"{version}"'})
                if first.status_code == 412:  # re-read, re-apply, retry: the change is not lost
                    current = first.json()["current_version"]
                    retry = c.patch(url, json={field: value}, headers={"If-Match": f'"{current}"'})
                    assert retry.status_code == 200, retry.text
                return first.status_code, version

        with ThreadPoolExecutor(2) as pool:
            a = pool.submit(write, "mx_analyst", "place", f"place {n}")
            b = pool.submit(write, "mx_analyst2", "concealment", f"concealment {n}")
            (status_a, seen_a), (status_b, seen_b) = a.result(), b.result()
        assert seen_a == seen_b == 1 + 2 * n
        assert sorted([status_a, status_b]) == [200, 412]
        final = api.get(url, "mx_viewer").json()
        assert (final["place"], final["concealment"]) == (f"place {n}", f"concealment {n}")
        assert final["version"] == 3 + 2 * n
    entries = api.hub.audit_entries(0, 10_000)
    assert sum(e.action == "incident.update" for e in entries) == 2 * rounds
    assert api.hub.verify_audit() == []


def test_many_writers_appending_with_retries_lose_nothing(api: Api, base_url: str) -> None:
    incident = api.create("mx_analyst", narrative="log:")
    url = f"/api/v1/incidents/{incident['id']}"
    writers = 6

    def append(n: int) -> int:
        conflicts = 0
        with client(api, base_url, "mx_analyst" if n % 2 else "mx_admin") as c:
            while True:
                current = c.get(url)
                narrative = current.json()["narrative"] + f" w{n}"
                r = c.patch(url, json={"narrative": narrative}, headers={"If-Match": current.headers["ETag"]})
                if r.status_code == 200:
                    return conflicts
                assert r.status_code == 412, r.text
                conflicts += 1

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(append, range(writers)))
    final = api.get(url, "mx_viewer").json()
    assert sorted(final["narrative"].split()[1:]) == sorted(f"w{n}" for n in range(writers))
    assert final["version"] == 1 + writers
    assert api.hub.verify_audit() == []
