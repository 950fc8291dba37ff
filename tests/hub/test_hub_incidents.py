"""Incidents: create, read, update, retract, validation, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest

from precwatch.hub import Forbidden, Hub, IncidentError, NotFound, Retracted, VersionConflict
from tests.support.world import make_world, seizure


def test_create_then_read_returns_every_field_and_the_identified_substances(hub: Hub) -> None:
    w = make_world(hub)
    created = hub.create_incident(w.v["mx_analyst"], seizure(), request_id="r1")
    assert created["version"] == 1 and created["owner_org_id"] == w.orgs["MX"].id
    assert created["owner_user_id"] == w.v["mx_analyst"].user_id and created["retracted"] is False
    read = hub.get_incident(w.v["mx_viewer"], created["id"])
    assert read == created
    body = seizure()
    for key in (
        "type",
        "occurred_on",
        "reported_on",
        "country",
        "place",
        "concealment",
        "declared_cover",
        "narrative",
    ):
        assert read[key] == body[key]
    assert read["quantity"] == 500.0 and read["unit"] == "kg"
    assert read["route"]["transit"] == [{"country": "KR", "port": "Busan"}]
    assert read["parties"][1]["phones"] == ["+52 55 5555 0101"]
    assert {s["substance"] for s in read["substances"]} == {"npp"}  # one entry per mention (name, CAS)
    for npp in read["substances"]:
        assert (npp["cas"], npp["relation"]) == ("39742-60-4", "listed") and npp["evidence"]
        assert body["substances_text"][npp["start"] : npp["end"]] == npp["text"]


def test_reported_on_defaults_to_today_and_absent_fields_are_empty(hub: Hub) -> None:
    w = make_world(hub)
    minimal = {"type": "online-offer", "occurred_on": "2025-01-01", "country": "us"}
    created = hub.create_incident(w.v["us_analyst"], minimal)
    assert created["country"] == "US" and created["tlp"] == "amber"
    assert created["reported_on"] == created["created_at"][:10]
    assert created["parties"] == [] and created["substances"] == [] and created["quantity"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "robbery"}, "type"),
        ({"occurred_on": "14/03/2025"}, "occurred_on"),
        ({"reported_on": "2025-03-01"}, "reported_on"),
        ({"country": "Mexico"}, "country"),
        ({"unit": "barrels"}, "unit"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": float("inf")}, "quantity"),
        ({"quantity": 10**400}, "quantity"),
        ({"quantity": "12"}, "quantity"),
        ({"unit": None}, "unit"),
        ({"quantity": None}, "unit"),
        ({"place": "Manzanillo\x00"}, "place"),
        ({"route": {"origin": {"country": "CN", "port": "x", "berth": 4}}}, "route.origin"),
        ({"tlp": "white"}, "tlp"),
        ({"route": {"transit": [{"country": "XXX"}]}}, "route.transit[0].country"),
        ({"parties": [{"kind": "person", "name": "A", "emails": ["not-an-email"]}]}, "parties[0].emails[0]"),
        ({"parties": [{"kind": "robot", "name": "A"}]}, "parties[0].kind"),
        ({"parties": [{"kind": "person"}]}, "parties[0].name"),
        ({"owner_only": ["passport"]}, "owner_only[0]"),
        ({"tlp": "red", "shared_with_orgs": [1]}, "shared_with_orgs"),
        ({"tlp": "amber", "shared_with_users": [1]}, "shared_with_users"),
        ({"tlp": "amber", "shared_with_orgs": [999]}, "shared_with_orgs"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_bodies_are_refused_naming_the_field(hub: Hub, changes: dict[str, Any], field: str) -> None:
    w = make_world(hub)
    with pytest.raises(IncidentError) as err:
        hub.create_incident(w.v["mx_analyst"], seizure(**changes))
    assert err.value.field == field
    assert hub.count_incidents(w.v["mx_analyst"]) == 0


def test_viewers_cannot_write_and_partners_cannot_change_what_they_see(hub: Hub) -> None:
    w = make_world(hub)
    with pytest.raises(Forbidden):
        hub.create_incident(w.v["mx_viewer"], seizure())
    inc = hub.create_incident(w.v["mx_analyst"], seizure(tlp="amber", shared_with_orgs=[w.orgs["US"].id]))
    with pytest.raises(Forbidden):
        hub.update_incident(w.v["us_analyst"], inc["id"], changes={"narrative": "x"}, expected_version=1)
    with pytest.raises(Forbidden):
        hub.update_incident(w.v["mx_viewer"], inc["id"], changes={"narrative": "x"}, expected_version=1)
    with pytest.raises(Forbidden):
        hub.retract_incident(w.v["us_analyst"], inc["id"], reason="wrong")
    with pytest.raises(NotFound):  # not shared with CN: exactly like a missing record
        hub.update_incident(w.v["cn_analyst"], inc["id"], changes={"narrative": "x"}, expected_version=1)
    with pytest.raises(NotFound):
        hub.update_incident(w.v["cn_analyst"], "0" * 32, changes={"narrative": "x"}, expected_version=1)
    assert hub.get_incident(w.v["cn_analyst"], inc["id"]) is None
    assert hub.get_incident(w.v["cn_analyst"], "no-such-id") is None
    edited = hub.update_incident(
        w.v["mx_analyst2"], inc["id"], changes={"narrative": "colleague edit"}, expected_version=1
    )
    assert edited["version"] == 2  # any analyst of the owner organisation may edit


def test_update_merges_changes_bumps_the_version_and_reidentifies_substances(hub: Hub) -> None:
    w = make_world(hub)
    me = w.v["mx_analyst"]
    inc = hub.create_incident(me, seizure())
    updated = hub.update_incident(
        me,
        inc["id"],
        changes={"substances_text": "4-anilinopiperidine, 3 kg"},
        expected_version=1,
        request_id="r2",
    )
    assert updated["version"] == 2 and updated["place"] == inc["place"]
    assert [s["substance"] for s in updated["substances"]] == ["4-ap"]
    assert updated["updated_at"] > inc["updated_at"] and updated["created_at"] == inc["created_at"]
    with pytest.raises(VersionConflict) as err:
        hub.update_incident(me, inc["id"], changes={"narrative": "stale"}, expected_version=1)
    assert err.value.current_version == 2
    with pytest.raises(IncidentError) as bad:
        hub.update_incident(me, inc["id"], changes={"version": 7}, expected_version=2)
    assert bad.value.field == "version"
    assert hub.get_incident(me, inc["id"]) == updated  # nothing written by the refused updates


def test_retraction_is_visible_to_everyone_it_was_shared_with_and_final(hub: Hub) -> None:
    w = make_world(hub)
    me = w.v["mx_analyst"]
    inc = hub.create_incident(me, seizure(tlp="amber", shared_with_orgs=[w.orgs["US"].id]))
    with pytest.raises(ValueError, match="reason"):
        hub.retract_incident(me, inc["id"], reason="  ")
    with pytest.raises(VersionConflict):
        hub.retract_incident(me, inc["id"], reason="duplicate", expected_version=5)
    retracted = hub.retract_incident(me, inc["id"], reason="duplicate of an earlier report", request_id="r9")
    assert retracted["retracted"] and retracted["version"] == 2
    partner = hub.get_incident(w.v["us_analyst"], inc["id"])
    assert partner is not None and partner["retracted"] is True
    assert partner["retraction_reason"] == "duplicate of an earlier report" and partner["retracted_at"]
    assert hub.get_incident(w.v["cn_analyst"], inc["id"]) is None
    with pytest.raises(Retracted):
        hub.update_incident(me, inc["id"], changes={"narrative": "x"}, expected_version=2)
    with pytest.raises(Retracted):
        hub.retract_incident(me, inc["id"], reason="again")


def test_sharing_can_be_changed_by_an_update(hub: Hub) -> None:
    w = make_world(hub)
    me, us = w.v["mx_analyst"], w.v["us_analyst"]
    inc = hub.create_incident(me, seizure(tlp="amber"))
    assert hub.get_incident(us, inc["id"]) is None
    hub.update_incident(me, inc["id"], changes={"shared_with_orgs": [w.orgs["US"].id]}, expected_version=1)
    assert hub.get_incident(us, inc["id"]) is not None
    hub.update_incident(
        me,
        inc["id"],
        changes={"tlp": "red", "shared_with_orgs": [], "shared_with_users": [us.user_id]},
        expected_version=2,
    )
    assert hub.get_incident(us, inc["id"]) is not None
    assert hub.get_incident(w.v["mx_analyst2"], inc["id"]) is None  # red: named users only
    assert hub.count_incidents(w.v["mx_analyst2"]) == 0
