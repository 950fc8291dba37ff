"""The audit log: every write and every amber/red read, in the write's transaction; tampering found by seq."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from precwatch.hub import Hub
from tests.support.world import World, make_world, seizure


def _activity(hub: Hub) -> World:
    w = make_world(hub)
    me, us = w.v["mx_analyst"], w.v["us_analyst"]
    amber = hub.create_incident(me, seizure(tlp="amber", shared_with_orgs=[w.orgs["US"].id]), request_id="c1")
    green = hub.create_incident(me, seizure(), request_id="c2")
    hub.get_incident(us, amber["id"], request_id="read-amber")
    hub.get_incident(us, green["id"], request_id="read-green")
    hub.update_incident(me, amber["id"], changes={"narrative": "more"}, expected_version=1, request_id="u1")
    hub.list_incidents(us, request_id="list-1")
    hub.retract_incident(me, green["id"], reason="wrong port", request_id="x1")
    return w


def test_writes_and_amber_red_reads_are_logged_with_who_what_and_request_id(hub: Hub) -> None:
    w = _activity(hub)
    entries = hub.audit_entries()
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    mine = [(e.action, e.request_id) for e in entries if e.resource == "incident"]
    assert mine == [
        ("incident.create", "c1"),
        ("incident.create", "c2"),
        ("incident.read", "read-amber"),  # the green read is not logged
        ("incident.update", "u1"),
        ("incident.list", "list-1"),
        ("incident.retract", "x1"),
    ]
    read = next(e for e in entries if e.action == "incident.read")
    assert (read.actor_user_id, read.actor_org_id) == (w.v["us_analyst"].user_id, w.orgs["US"].id)
    assert read.detail["tlp"] == "amber" and read.at.endswith("+00:00")
    update = next(e for e in entries if e.action == "incident.update")
    assert update.detail == {"version": 2, "changed": ["narrative"], "tlp": "amber"}
    assert [e.action for e in entries[:3]] == ["org.create"] * 3
    assert hub.audit_entries(after_seq=len(entries) - 1) == entries[-1:]
    assert {e.actor_org_id for e in hub.audit_entries(org_id=w.orgs["US"].id)} == {w.orgs["US"].id}
    assert hub.verify_audit() == []


def test_a_failed_write_leaves_no_audit_entry(hub: Hub) -> None:
    w = make_world(hub)
    before = len(hub.audit_entries())
    with pytest.raises(ValueError):
        hub.create_incident(w.v["mx_analyst"], seizure(tlp="amber", shared_with_orgs=[12345]))
    assert len(hub.audit_entries()) == before


def _tamper(hub: Hub, *statements: str) -> None:
    """Run SQL as someone with DDL rights would: first lift the append-only triggers."""
    with hub.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        for statement in statements:
            conn.exec_driver_sql(statement)


def _found(hub: Hub) -> dict[str, tuple[int, ...]]:
    return {p.kind: p.seqs for p in hub.verify_audit()}


def test_an_edited_detail_is_found(hub: Hub) -> None:
    _activity(hub)
    _tamper(hub, """UPDATE audit_log SET detail = '{"tlp":"green","version":1}' WHERE seq = 12""")
    problems = hub.verify_audit()
    assert [(p.kind, p.seqs) for p in problems] == [("edited", (12,))]
    assert "seq 12" in str(problems[0])


def test_an_edited_actor_is_found(hub: Hub) -> None:
    _activity(hub)
    _tamper(hub, "UPDATE audit_log SET actor_user_id = 999 WHERE seq = 11")
    assert _found(hub) == {"edited": (11,)}


def test_a_deleted_entry_is_found(hub: Hub) -> None:
    _activity(hub)
    _tamper(hub, "DELETE FROM audit_log WHERE seq = 10")
    assert _found(hub) == {"deleted": (10,)}


def test_entries_deleted_from_the_end_are_found(hub: Hub) -> None:
    _activity(hub)
    last = len(hub.audit_entries())
    _tamper(hub, f"DELETE FROM audit_log WHERE seq >= {last - 1}")
    assert _found(hub) == {"deleted": (last - 1, last)}


def test_two_swapped_entries_are_found(hub: Hub) -> None:
    _activity(hub)
    _tamper(
        hub,
        "UPDATE audit_log SET seq = -11 WHERE seq = 11",
        "UPDATE audit_log SET seq = 11 WHERE seq = 12",
        "UPDATE audit_log SET seq = 12 WHERE seq = -11",
    )
    assert _found(hub) == {"reordered": (11, 12)}


def test_reads_are_audited_the_same_with_non_durable_read_audit(hub: Hub) -> None:
    fast = Hub(hub.engine, hub.kb, durable_read_audit=False)
    w = make_world(fast)
    inc = fast.create_incident(w.v["mx_analyst"], seizure(tlp="red"))
    assert fast.get_incident(w.v["mx_analyst"], inc["id"], request_id="fast-read") is not None
    fast.list_incidents(w.v["mx_analyst"], request_id="fast-list")
    assert [e.request_id for e in fast.audit_entries()[-2:]] == ["fast-read", "fast-list"]
    assert fast.verify_audit() == []


def test_the_head_can_be_kept_outside_and_checked_later(hub: Hub) -> None:
    _activity(hub)
    seq, digest = hub.audit_head()
    assert (seq, digest) == (hub.audit_entries()[-1].seq, hub.audit_entries()[-1].hash)
    hub.create_org("Later", "GT")
    assert hub.verify_audit([(seq, digest)]) == []
    assert [p.kind for p in hub.verify_audit([(seq, "0" * 64)])] == ["anchor"]
