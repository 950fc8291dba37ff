"""Property test for notifications: random TLP levels, shares and importing countries; every read endpoint
(one, history, list, count through `total`) and every action must agree with an independent oracle, and an
invisible notification answers exactly like a missing one. The database grows across examples."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api import USERS, Api
from tests.support.notifications import notification

API = "/api/v1/notifications"
NOT_FOUND = {"detail": "Not Found"}
CREATORS = ("mx_analyst", "us_analyst", "cn_analyst")


@dataclass
class Rec:
    id: str
    creator: str
    tlp: str
    importer_country: str
    orgs: set[str]
    users: set[str]


def oracle(user: str, r: Rec) -> bool:
    """Who sees a notification, written out again: TLP as for incidents plus the importing country's orgs."""
    country = USERS[user][0]
    if r.tlp in ("clear", "green"):
        return True
    if r.tlp in ("amber", "amber+strict"):
        return country == USERS[r.creator][0] or country in r.orgs or country == r.importer_country
    return user == r.creator or user in r.users


@st.composite
def records(draw: st.DrawFn) -> tuple[str, str, str, set[str], set[str]]:
    creator = draw(st.sampled_from(CREATORS))
    tlp = draw(st.sampled_from(("clear", "green", "amber", "amber+strict", "red")))
    importer = draw(st.sampled_from(("MX", "US", "CN")).filter(lambda c: c != USERS[creator][0]))
    orgs: set[str] = set()
    users: set[str] = set()
    if tlp in ("amber", "amber+strict"):
        orgs = draw(st.sets(st.sampled_from(("MX", "US", "CN"))))
    if tlp == "red":
        users = draw(st.sets(st.sampled_from(sorted(USERS))))
    return creator, tlp, importer, orgs, users


def test_notifications_never_leak(api: Api) -> None:
    made: list[Rec] = []

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(records())
    def check(spec: tuple[str, str, str, set[str], set[str]]) -> None:
        creator, tlp, importer, orgs, users = spec
        body = notification(
            tlp=tlp,
            exporter={"name": "Exporter Co", "country": USERS[creator][0]},
            importer={"name": "Importer SA", "country": importer},
            shared_with_orgs=[api.orgs[o].id for o in sorted(orgs)],
            shared_with_users=[api.users[u].id for u in sorted(users)],
        )
        r = api.request("POST", API, creator, json=body)
        assert r.status_code == 201, r.text
        made.append(Rec(r.json()["id"], creator, tlp, importer, orgs, users))
        for user in USERS:
            expected = {rec.id for rec in made if oracle(user, rec)}
            listed = api.get(API, user, params={"limit": 200}).json()
            assert {i["id"] for i in listed["items"]} == expected, user
            assert listed["total"] == len(expected)
            rec = made[-1]
            one = api.get(f"{API}/{rec.id}", user)
            history = api.get(f"{API}/{rec.id}/history", user)
            if rec.id in expected:
                assert one.status_code == 200 and history.status_code == 200
            else:
                assert (one.status_code, one.json()) == (404, NOT_FOUND)
                assert (history.status_code, history.json()) == (404, NOT_FOUND)
                if not user.endswith("viewer"):
                    stale = {"If-Match": '"99"', "Content-Type": "application/json"}
                    acted = api.request("POST", f"{API}/{rec.id}/clear", user, headers=stale)
                    assert (acted.status_code, acted.json()) == (404, NOT_FOUND), user

    check()
