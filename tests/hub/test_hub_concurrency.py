"""Concurrent writers: optimistic versions, idempotent creates and audit appends that never fork."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import text

from precwatch.hub import Hub, IdempotencyConflict, VersionConflict
from tests.support.world import make_world, seizure


def _race(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in n threads released together; each result is a value or the exception raised."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        barrier.wait()
        try:
            return work(i)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_two_concurrent_updates_at_one_version_exactly_one_wins_and_nothing_is_lost(hub: Hub) -> None:
    w = make_world(hub)
    a, b = w.v["mx_analyst"], w.v["mx_analyst2"]
    inc = hub.create_incident(a, seizure(narrative="original"))
    edits = [(a, {"narrative": "edit by a"}), (b, {"place": "edit by b"})]
    results = _race(
        2, lambda i: hub.update_incident(edits[i][0], inc["id"], changes=edits[i][1], expected_version=1)
    )
    winners = [r for r in results if isinstance(r, dict)]
    losers = [r for r in results if isinstance(r, VersionConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert winners[0]["version"] == 2 and losers[0].current_version == 2
    # the loser re-reads and applies its change on top: both edits survive
    lost = edits[results.index(losers[0])]
    hub.update_incident(lost[0], inc["id"], changes=lost[1], expected_version=losers[0].current_version)
    final = hub.get_incident(a, inc["id"])
    assert final is not None and final["version"] == 3
    assert (final["narrative"], final["place"]) == ("edit by a", "edit by b")
    updates = [e for e in hub.audit_entries() if e.action == "incident.update"]
    assert [e.detail["version"] for e in updates] == [2, 3]


def test_idempotent_create(hub: Hub) -> None:
    w = make_world(hub)
    me = w.v["mx_analyst"]
    first = hub.create_incident(me, seizure(), idempotency_key="k-1")
    again = hub.create_incident(w.v["mx_analyst2"], seizure(), idempotency_key="k-1")
    assert again == first
    with pytest.raises(IdempotencyConflict):
        hub.create_incident(me, seizure(narrative="something else"), idempotency_key="k-1")
    other_org = hub.create_incident(w.v["us_analyst"], seizure(), idempotency_key="k-1")
    assert other_org["id"] != first["id"]  # keys are per organisation
    assert hub.count_incidents(me) == 2
    secret = hub.create_incident(me, seizure(tlp="red"), idempotency_key="k-red")
    with pytest.raises(IdempotencyConflict):  # a colleague who cannot see the red record learns nothing of it
        hub.create_incident(w.v["mx_analyst2"], seizure(tlp="red"), idempotency_key="k-red")
    assert hub.create_incident(me, seizure(tlp="red"), idempotency_key="k-red") == secret


def test_concurrent_creates_with_one_idempotency_key_make_one_incident(hub: Hub) -> None:
    w = make_world(hub)
    results = _race(4, lambda i: hub.create_incident(w.v["mx_analyst"], seizure(), idempotency_key="same"))
    assert all(isinstance(r, dict) for r in results), results
    assert len({r["id"] for r in results}) == 1
    assert hub.count_incidents(w.v["mx_analyst"]) == 1


def test_concurrent_writers_and_audited_readers_keep_one_unbroken_chain(hub: Hub) -> None:
    w = make_world(hub)
    amber = hub.create_incident(w.v["mx_analyst"], seizure(tlp="amber", shared_with_orgs=[w.orgs["US"].id]))
    users = ["mx_analyst", "us_analyst", "us_viewer", "mx_analyst2", "cn_analyst", "mx_admin"]

    def work(i: int) -> int:
        viewer = w.v[users[i]]
        for k in range(5):
            if viewer.can_write and k % 2 == 0:
                hub.create_incident(viewer, seizure(narrative=f"t{i} k{k}"), request_id=f"t{i}-{k}")
            else:
                hub.get_incident(viewer, amber["id"], request_id=f"t{i}-{k}")
        return i

    before = len(hub.audit_entries())
    assert _race(len(users), work) == list(range(len(users)))
    entries = hub.audit_entries(limit=10_000)
    expected_new = sum(3 if w.v[u].can_write else 0 for u in users) + sum(
        (2 if w.v[u].can_write else 5) for u in users if w.v[u].org_id != w.orgs["CN"].id
    )
    assert len(entries) - before == expected_new
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert hub.verify_audit() == []


_WRITER = """
import sys
from precwatch.core.sharing.tlp import Viewer
from precwatch.data import load_kb
from precwatch.hub import Hub
url, incident_id, user_id, org_id, tag = sys.argv[1:6]
hub = Hub.from_url(url, load_kb())
viewer = Viewer(int(user_id), int(org_id), "analyst", "x@example")
for k in range(10):
    assert hub.get_incident(viewer, incident_id, request_id=f"{tag}-{k}") is not None
hub.close()
"""


def test_audit_appends_from_separate_processes_never_fork_the_chain(hub: Hub, db_url: str) -> None:
    w = make_world(hub)
    inc = hub.create_incident(w.v["mx_analyst"], seizure(tlp="amber", shared_with_orgs=[w.orgs["US"].id]))
    before = len(hub.audit_entries())
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, db_url, inc["id"], str(v.user_id), str(v.org_id), name],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, v in (("mx", w.v["mx_analyst2"]), ("us", w.v["us_analyst"]))
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    entries = hub.audit_entries(limit=10_000)
    assert len(entries) - before == 20
    assert {e.request_id.split("-")[0] for e in entries[before:] if e.request_id} == {"mx", "us"}
    assert hub.verify_audit() == []


def test_a_writer_committing_between_our_read_and_our_write_wins(hub: Hub) -> None:
    """The version check is in the UPDATE itself: a change committed after our read still makes ours lose."""
    w = make_world(hub)
    me = w.v["mx_analyst"]
    inc = hub.create_incident(me, seizure())
    other = hub.engine.connect()
    other.begin()
    other.execute(text("UPDATE incidents SET version = version + 1 WHERE id = :id"), {"id": inc["id"]})
    with ThreadPoolExecutor(1) as pool:
        ours = pool.submit(
            hub.update_incident, me, inc["id"], changes={"narrative": "ours"}, expected_version=1
        )
        if (
            hub.engine.dialect.name == "postgresql"
        ):  # wait until our UPDATE is queued behind the other's row lock
            with hub.engine.connect() as probe:
                for _ in range(3000):  # a bound, not a timing assertion: normally the first few polls see it
                    waiting = probe.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            "AND query LIKE 'UPDATE incidents SET %'"
                        )
                    ).scalar_one()
                    probe.rollback()
                    if waiting:
                        break
                    time.sleep(0.01)
                else:
                    pytest.fail("our UPDATE never queued behind the other writer's row lock")
        other.commit()
        other.close()
        with pytest.raises(VersionConflict) as err:
            ours.result(timeout=60)
    assert err.value.current_version == 2
    final = hub.get_incident(me, inc["id"])
    assert final is not None and final["narrative"] == seizure()["narrative"]
