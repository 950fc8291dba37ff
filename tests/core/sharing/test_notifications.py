"""The pre-export notification state machine, deadlines and sides (pure core)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.notification_body import NotificationError, validate_notification
from precwatch.core.sharing.notifications import (
    ACTIONS,
    STATES,
    IllegalTransition,
    Parties,
    allowed_actions,
    apply,
    deadline_of,
    is_overdue,
    may_act,
    sees,
)
from precwatch.core.sharing.tlp import RecordAcl, Viewer
from tests.support.notifications import notification

LEGAL = {
    ("submitted", "acknowledge"): "acknowledged",
    ("submitted", "clear"): "cleared",
    ("submitted", "object"): "objected",
    ("submitted", "withdraw"): "withdrawn",
    ("acknowledged", "clear"): "cleared",
    ("acknowledged", "object"): "objected",
    ("acknowledged", "withdraw"): "withdrawn",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action(state: str, action: str) -> None:
    if (state, action) in LEGAL:
        new, reason = apply(action, state, "no licence on file")
        assert new == LEGAL[(state, action)]
        assert reason == "no licence on file"
    else:
        with pytest.raises(IllegalTransition) as err:
            apply(action, state, "because")
        assert f"cannot {action} a notification that is {state}" in str(err.value)


def test_final_states_allow_nothing() -> None:
    for state in ("cleared", "objected", "withdrawn"):
        assert allowed_actions(state) == ()
        with pytest.raises(IllegalTransition, match="nothing"):
            apply("clear", state)


@pytest.mark.parametrize("action", ["object", "withdraw"])
def test_objection_and_withdrawal_need_a_reason(action: str) -> None:
    with pytest.raises(NotificationError, match="reason"):
        apply(action, "submitted", "   ")
    with pytest.raises(NotificationError, match="reason"):
        apply(action, "submitted", None)


def test_unknown_action() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        apply("approve", "submitted")


def test_overdue_only_while_waiting_and_past_the_deadline() -> None:
    created = datetime(2026, 12, 1, tzinfo=UTC)
    deadline = deadline_of(created, 15)
    assert deadline == created + timedelta(days=15)
    assert not is_overdue("submitted", deadline, deadline)
    assert is_overdue("submitted", deadline, deadline + timedelta(seconds=1))
    assert is_overdue("acknowledged", deadline, deadline + timedelta(days=1))
    for state in ("cleared", "objected", "withdrawn"):
        assert not is_overdue(state, deadline, deadline + timedelta(days=100))


def _parties(tlp: str = "amber", **acl: object) -> Parties:
    return Parties(RecordAcl(owner_org_id=1, owner_user_id=10, tlp=tlp, **acl), importing_country="MX")  # type: ignore[arg-type]


def test_the_importing_country_sees_amber_but_not_red() -> None:
    mx = Viewer(user_id=20, org_id=2, role="analyst", email="a@mx")
    us = Viewer(user_id=30, org_id=3, role="analyst", email="a@us")
    assert sees(mx, "MX", _parties("amber"))
    assert sees(mx, "MX", _parties("amber+strict"))
    assert not sees(us, "US", _parties("amber"))
    assert not sees(mx, "MX", _parties("red"))
    assert sees(mx, "MX", _parties("red", shared_with_users=frozenset({20})))


def test_sides() -> None:
    exporter = Viewer(user_id=10, org_id=1, role="analyst", email="e@cn")
    importer = Viewer(user_id=20, org_id=2, role="analyst", email="i@mx")
    viewer = Viewer(user_id=21, org_id=2, role="viewer", email="v@mx")
    other = Viewer(user_id=30, org_id=3, role="admin", email="a@us")
    p = _parties()
    assert may_act(exporter, "CN", p, "withdraw") is None
    assert "only withdraw" in str(may_act(exporter, "CN", p, "clear"))
    assert may_act(importer, "MX", p, "object") is None
    assert "only the exporter withdraws" in str(may_act(importer, "MX", p, "withdraw"))
    assert "cannot answer" in str(may_act(viewer, "MX", p, "acknowledge"))
    assert "only the exporting organisation" in str(may_act(other, "US", p, "clear"))


def test_body_resolves_substances_against_the_kb(kb: KnowledgeBase) -> None:
    body = validate_notification(notification(), kb, default_response_days=15)
    assert body["substances"][0]["substance"] == kb.lookup("39742-60-4").id  # type: ignore[union-attr]
    assert body["point_of_entry"] == {"country": "MX", "port": "MXZLO"}
    assert body["response_days"] == 15


def test_body_refuses_an_unknown_substance(kb: KnowledgeBase) -> None:
    bad = notification(substances=[{"substance": "unobtainium", "quantity": 1, "unit": "kg"}])
    with pytest.raises(NotificationError) as err:
        validate_notification(bad, kb, default_response_days=15)
    assert err.value.field == "substances[0].substance"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"substances": []}, "substances"),
        ({"transport": "teleport"}, "transport"),
        ({"importer": {"name": "X", "country": "Mexico"}}, "importer.country"),
        ({"dispatch_on": "2026-13-01"}, "dispatch_on"),
        ({"response_days": 0}, "response_days"),
        ({"tlp": "red", "shared_with_orgs": [2]}, "shared_with_orgs"),
        ({"substances": [{"substance": "npp", "quantity": -1, "unit": "kg"}]}, "substances[0].quantity"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_body_errors_name_the_field(kb: KnowledgeBase, changes: dict[str, object], field: str) -> None:
    with pytest.raises(NotificationError) as err:
        validate_notification(notification(**changes), kb, default_response_days=15)
    assert err.value.field == field
