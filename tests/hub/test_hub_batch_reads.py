"""A batch read (`Hub.get_incidents`): one statement and one audit transaction, the same answers and the
same audit entries as one `get_incident` per id."""

from __future__ import annotations

from typing import Any

from precwatch.hub import Hub
from tests.support.world import make_world, seizure

LEVELS = ("clear", "green", "amber", "amber+strict", "red")


def _said(entry: Any) -> tuple[Any, ...]:
    """What an audit entry says, leaving out its position and time (seq, at, hashes)."""
    return (
        entry.actor_user_id,
        entry.actor_org_id,
        entry.action,
        entry.resource,
        entry.resource_id,
        entry.detail,
    )


def test_batch_read_answers_and_audits_exactly_as_reads_one_by_one(hub: Hub) -> None:
    w = make_world(hub)
    mx, us = w.v["mx_analyst"], w.v["us_analyst"]
    ids = []
    for n, tlp in enumerate(LEVELS * 2):
        owner = mx if n % 2 == 0 else us
        body = seizure(tlp=tlp, narrative=f"lot {n}")
        if tlp.startswith("amber") and n % 3 == 0:
            body["shared_with_orgs"] = [w.orgs["CN"].id]
        if tlp == "red":
            body["shared_with_users"] = [w.v["us_viewer"].user_id]
        ids.append(hub.create_incident(owner, body)["id"])
    hub.retract_incident(mx, ids[2], reason="duplicate")
    asked = [ids[3], "f" * 32, *ids, ids[0], ids[4]]  # a missing id, and ids asked twice
    for viewer in w.v.values():
        start = hub.audit_head()[0]
        one_by_one = [hub.get_incident(viewer, i, request_id="one") for i in dict.fromkeys(asked)]
        middle = hub.audit_head()[0]
        batch = hub.get_incidents(viewer, list(dict.fromkeys(asked)), request_id="one")
        assert batch == one_by_one
        singles = hub.audit_entries(start, 1000)[: middle - start]
        batched = hub.audit_entries(middle, 1000)
        assert [_said(e) for e in batched] == [_said(e) for e in singles]
        assert {e.request_id for e in batched} <= {"one"}
    assert hub.verify_audit() == []


def test_batch_read_of_nothing_visible_writes_no_audit_entry(hub: Hub) -> None:
    w = make_world(hub)
    made = hub.create_incident(w.v["mx_analyst"], seizure(tlp="red"))
    start = hub.audit_head()[0]
    assert hub.get_incidents(w.v["cn_analyst"], [made["id"], "0" * 32]) == [None, None]
    assert hub.get_incidents(w.v["cn_analyst"], []) == []
    assert hub.audit_head()[0] == start
