"""Sharing policy: who sees a record (against an independent oracle) and what partners see of it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.sharing.tlp import (
    REDACTED,
    ROLES,
    TLP_LEVELS,
    RecordAcl,
    Viewer,
    can_edit,
    can_view,
    redact,
)

MX_ANALYST = Viewer(1, 10, "analyst", "a@mx")
MX_VIEWER = Viewer(2, 10, "viewer", "v@mx")
US_ANALYST = Viewer(3, 20, "analyst", "a@us")
CN_ANALYST = Viewer(4, 30, "analyst", "a@cn")
MX_ADMIN = Viewer(5, 10, "admin", "adm@mx")


def acl(tlp: str, orgs: set[int] = frozenset(), users: set[int] = frozenset()) -> RecordAcl:  # type: ignore[assignment]
    return RecordAcl(10, 1, tlp, frozenset(orgs), frozenset(users))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (acl("clear"), {1, 2, 3, 4, 5}),
        (acl("green"), {1, 2, 3, 4, 5}),
        (acl("amber"), {1, 2, 5}),
        (acl("amber", {20}), {1, 2, 3, 5}),
        (acl("amber+strict", {30}), {1, 2, 4, 5}),
        (acl("red"), {1}),
        (acl("red", users={3}), {1, 3}),
        (acl("red", users={5}), {1, 5}),
    ],
)
def test_visibility_matrix(record: RecordAcl, expected: set[int]) -> None:
    everyone = [MX_ANALYST, MX_VIEWER, US_ANALYST, CN_ANALYST, MX_ADMIN]
    assert {v.user_id for v in everyone if can_view(v, record)} == expected


def test_only_writers_of_the_owner_org_who_see_it_may_edit() -> None:
    assert can_edit(MX_ANALYST, acl("amber"))
    assert can_edit(MX_ADMIN, acl("green"))
    assert not can_edit(MX_VIEWER, acl("green"))
    assert not can_edit(US_ANALYST, acl("amber", {20}))
    assert not can_edit(MX_ADMIN, acl("red"))  # red and not named: the admin does not even see it
    assert can_edit(MX_ADMIN, acl("red", users={5}))


INCIDENT = {
    "owner_only": ["phones"],
    "parties": [
        {
            "kind": "company",
            "name": "Acme Chem",
            "phones": ["+86 1"],
            "emails": ["x@acme.example"],
            "owner_only": ["name"],
        },
        {
            "kind": "person",
            "name": "Ana Ruiz",
            "phones": ["+52 1", "+52 2"],
            "emails": ["ana@mail.example"],
            "addresses": ["Calle 1"],
            "owner_only": ["emails", "name", "addresses"],
        },
    ],
}


def test_partners_see_owner_only_fields_redacted_and_the_owner_sees_all() -> None:
    record = acl("green")
    assert redact(INCIDENT, MX_VIEWER, record) == INCIDENT
    seen = redact(INCIDENT, US_ANALYST, record)
    company, person = seen["parties"]
    assert company["name"] == "Acme Chem"  # company names are not personal data
    assert company["phones"] == [REDACTED] and company["emails"] == ["x@acme.example"]
    assert person["name"] == REDACTED
    assert person["phones"] == [REDACTED, REDACTED]
    assert person["emails"] == [REDACTED] and person["addresses"] == [REDACTED]
    assert INCIDENT["parties"][1]["name"] == "Ana Ruiz"  # the input is not modified


def _oracle(viewer: Viewer, record: RecordAcl) -> bool:
    """The design's sentence, spelt out as the set of people who may see the record."""
    audience: set[tuple[str, int]]
    if record.tlp == "red":
        audience = {("user", record.owner_user_id)} | {("user", u) for u in record.shared_with_users}
        return ("user", viewer.user_id) in audience
    if record.tlp.startswith("amber"):
        audience = {("org", record.owner_org_id)} | {("org", o) for o in record.shared_with_orgs}
        return ("org", viewer.org_id) in audience
    return record.tlp in ("clear", "green")


ids = st.integers(min_value=1, max_value=6)
viewers = st.builds(Viewer, ids, ids, st.sampled_from(ROLES), st.just("u@x"))
records = st.builds(
    RecordAcl,
    ids,
    ids,
    st.sampled_from(TLP_LEVELS),
    st.frozensets(ids, max_size=4),
    st.frozensets(ids, max_size=4),
)


@given(viewers, records)
def test_can_view_agrees_with_the_oracle(viewer: Viewer, record: RecordAcl) -> None:
    assert can_view(viewer, record) == _oracle(viewer, record)
    if can_edit(viewer, record):
        assert can_view(viewer, record) and viewer.org_id == record.owner_org_id and viewer.role != "viewer"


@given(viewers, records)
def test_a_partner_never_sees_an_owner_only_value(viewer: Viewer, record: RecordAcl) -> None:
    seen = redact(INCIDENT, viewer, record)
    text = repr(seen)
    if viewer.org_id != record.owner_org_id:
        for secret in ("+52 1", "+86 1", "Ana Ruiz", "ana@mail.example", "Calle 1"):
            assert secret not in text
    else:
        assert seen == INCIDENT
