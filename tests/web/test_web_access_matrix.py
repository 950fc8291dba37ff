"""Property test: random organisations, users, TLP levels, shares and redactions; every read endpoint (and
every write endpoint, with a stale version so nothing changes) must agree with an independent oracle;
correlations, alerts and owner notices too.

Nothing may leak: a record answers 404 (the same body as a missing one) exactly when the oracle says it is
invisible; lists, counts, searches and batch reads hold exactly the visible records; partners get exactly the
oracle's redaction, and no owner-only value appears anywhere in any response to them. The database keeps
growing across examples, so later users are also checked against every earlier record.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api import Api

API = "/api/v1/incidents"
TLPS = ("clear", "green", "amber", "amber+strict", "red")
ROLES = ("admin", "analyst", "viewer")
NOMINAL = ("name", "addresses", "phones", "emails")
NOT_FOUND = {"detail": "Not Found"}


@dataclass
class U:
    key: str
    id: int
    org: int
    role: str


@dataclass
class Rec:
    id: str
    org: int
    creator: int
    tlp: str
    orgs: set[int]
    users: set[int]
    owner_only: list[str]
    parties: list[dict[str, Any]]
    marker: str
    retracted: bool = False
    hidden_values: list[str] = field(default_factory=list)


def oracle_visible(u: U, r: Rec) -> bool:
    """TLP as the design states it, written out again independently of precwatch.core.sharing.tlp."""
    if r.tlp in ("clear", "green"):
        return True
    if r.tlp in ("amber", "amber+strict"):
        return u.org == r.org or u.org in r.orgs
    return u.id == r.creator or u.id in r.users


def oracle_parties(u: U, r: Rec) -> list[dict[str, Any]]:
    """The parties as `u` must see them: owner organisation everything, partners owner-only values redacted."""
    if u.org == r.org:
        return r.parties
    out = []
    for p in r.parties:
        hidden = set(r.owner_only) | set(p["owner_only"])
        q = dict(p)
        if "name" in hidden and p["kind"] == "person":
            q["name"] = "[redacted]"
        for f in ("addresses", "phones", "emails"):
            if f in hidden:
                q[f] = ["[redacted]"] * len(p[f])
        out.append(q)
    return out


def hidden_from_partners(r: Rec) -> list[str]:
    values = []
    for p in r.parties:
        hidden = set(r.owner_only) | set(p["owner_only"])
        if "name" in hidden and p["kind"] == "person":
            values.append(p["name"])
        for f in ("addresses", "phones", "emails"):
            if f in hidden:
                values += p[f]
    return values


party_st = st.fixed_dictionaries(
    {"kind": st.sampled_from(("company", "person")), "owner_only": st.sets(st.sampled_from(NOMINAL))}
)
record_st = st.fixed_dictionaries(
    {
        "org": st.integers(0, 2),
        "creator": st.integers(0, 10),
        "tlp": st.sampled_from(TLPS),
        "share_orgs": st.sets(st.integers(0, 2)),
        "share_users": st.sets(st.integers(0, 10), max_size=3),
        "owner_only": st.sets(st.sampled_from(NOMINAL)),
        "parties": st.lists(party_st, max_size=2),
        "retract": st.booleans(),
    }
)
world_st = st.fixed_dictionaries(
    {
        "orgs": st.integers(2, 3),
        "extra_roles": st.lists(st.lists(st.sampled_from(ROLES), max_size=2), min_size=3, max_size=3),
        "records": st.lists(record_st, min_size=1, max_size=4),
    }
)


class Matrix:
    """The population and records created so far in this database, and the checks."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.counter = itertools.count(1)
        self.records: list[Rec] = []

    def mark(self, prefix: str) -> str:
        return f"{prefix}{next(self.counter):06d}q"

    def add_users(self, world: dict[str, Any]) -> list[U]:
        users: list[U] = []
        for o in range(world["orgs"]):
            org_key = self.mark("org")
            org = self.api.add_org(org_key, f"Agency {org_key}")
            for role in ["analyst", *world["extra_roles"][o]]:
                key = self.mark("u")
                user = self.api.add_user(key, org_key, role)
                users.append(U(key, user.id, org.id, role))
                rule = {"kind": "text", "value": "record"}  # every record's narrative is "record <marker>"
                assert self.api.request("POST", "/api/v1/watch-rules", key, json=rule).status_code == 201
        return users

    def create(self, spec: dict[str, Any], users: list[U]) -> Rec:
        writers = [u for u in users if u.role != "viewer"]
        creator = writers[spec["creator"] % len(writers)]
        orgs = sorted({u.org for u in users})
        tlp = spec["tlp"]
        share_orgs = (
            {orgs[i % len(orgs)] for i in spec["share_orgs"]} - {creator.org}
            if tlp.startswith("amber")
            else set()
        )
        share_users = {users[i % len(users)].id for i in spec["share_users"]} if tlp == "red" else set()
        parties = []
        for p in spec["parties"]:
            kind = p["kind"]
            parties.append(
                {
                    "kind": kind,
                    "role": "consignee",
                    "name": f"{'Person' if kind == 'person' else 'Company'} {self.mark('nm')}",
                    "addresses": [f"{self.mark('ad')} Street 1"],
                    "phones": [f"+52 55 77{next(self.counter):07d}"],
                    "emails": [f"{self.mark('em')}@mail.example"],
                    "owner_only": sorted(p["owner_only"]),
                }
            )
        marker = self.mark("mk")
        body = {
            "type": "seizure",
            "occurred_on": "2025-05-01",
            "country": "MX",
            "substances_text": "NPP",
            "narrative": f"record {marker} 记录",
            "tlp": tlp,
            "shared_with_orgs": sorted(share_orgs),
            "shared_with_users": sorted(share_users),
            "owner_only": sorted(spec["owner_only"]),
            "parties": parties,
        }
        r = self.api.request("POST", API, creator.key, json=body)
        assert r.status_code == 201, r.text
        rec = Rec(
            r.json()["id"],
            creator.org,
            creator.id,
            tlp,
            share_orgs,
            share_users,
            body["owner_only"],
            parties,
            marker,
        )
        rec.hidden_values = hidden_from_partners(rec)
        if spec["retract"]:
            r = self.api.request(
                "POST", f"{API}/{rec.id}/retract", creator.key, json={"reason": f"withdrawn {marker}"}
            )
            assert r.status_code == 200, r.text
            rec.retracted = True
        self.records.append(rec)
        return rec

    def leaks(self, u: U, text: str) -> list[str]:
        """Owner-only values of other organisations' records found in a response to `u`."""
        return [v for r in self.records if r.org != u.org for v in r.hidden_values if v in text]

    def check_user(self, u: U, new: list[Rec]) -> None:
        api = self.api
        visible = [r for r in self.records if oracle_visible(u, r)]
        expected_ids = {r.id for r in visible}
        # Single reads of this example's records, and "write" attempts at a stale version (nothing changes).
        for r in new:
            got = api.get(f"{API}/{r.id}", u.key)
            stale = {"If-Match": '"999"'}
            patch = api.request("PATCH", f"{API}/{r.id}", u.key, json={"place": "x"}, headers=stale)
            retract = api.request("POST", f"{API}/{r.id}/retract", u.key, json={"reason": "x"}, headers=stale)
            if not oracle_visible(u, r):
                assert (got.status_code, got.json()) == (404, NOT_FOUND)
                expected_write = 403 if u.role == "viewer" else 404
                assert patch.status_code == retract.status_code == expected_write
                if expected_write == 404:
                    assert patch.json() == retract.json() == NOT_FOUND
                continue
            assert got.status_code == 200, got.text
            seen = got.json()
            assert seen["parties"] == oracle_parties(u, r)
            assert (seen["retracted"] is not None) == r.retracted
            owner_writer = u.org == r.org and u.role != "viewer"
            assert patch.status_code == (
                409 if owner_writer and r.retracted else 412 if owner_writer else 403
            )
            assert retract.status_code == patch.status_code
            assert not self.leaks(u, got.text)
        # Correlations: 404 exactly when invisible; only visible records, nothing redacted leaks.
        for r in new:
            corr = api.get(f"{API}/{r.id}/correlations", u.key)
            if r.id not in expected_ids:
                assert (corr.status_code, corr.json()) == (404, NOT_FOUND)
                continue
            assert corr.status_code == 200, corr.text
            assert {i["record"]["id"] for i in corr.json()["items"]} <= expected_ids
            assert not self.leaks(u, corr.text)
        # Alerts (watch rules and owner notices): only on records the user may see, nothing leaks.
        alerts = api.get("/api/v1/alerts", u.key, params={"limit": 500})
        assert alerts.status_code == 200
        assert {a["record_id"] for a in alerts.json()["items"]} <= expected_ids
        assert alerts.json()["total"] == len(alerts.json()["items"])
        assert not self.leaks(u, alerts.text)
        assert not [r.marker for r in self.records if r.id not in expected_ids and r.marker in alerts.text]
        # Every record so far: one batch read, one full list, a search per record marker.
        batch = api.request(
            "POST", f"{API}:batch-get", u.key, json={"ids": [r.id for r in self.records[-100:]]}
        )
        assert {i["id"] for i in batch.json()["items"]} == {
            r.id for r in self.records[-100:] if r.id in expected_ids
        }
        assert not self.leaks(u, batch.text)
        page = api.get(API, u.key, params={"limit": 200})
        assert page.json()["total"] == len(expected_ids)
        assert {i["id"] for i in page.json()["items"]} == expected_ids
        assert not self.leaks(u, page.text)
        assert api.get(API, u.key, params={"retracted": "true"}).json()["total"] == sum(
            r.retracted for r in visible
        )
        for r in new:
            found = api.get(API, u.key, params={"q": r.marker}).json()
            assert [i["id"] for i in found["items"]] == ([r.id] if r.id in expected_ids else [])
            # A word prefix (full-text search) and a Han phrase: still only what the user may see, count included.
            for q in (r.marker[:-1], r.marker[:-1] + " 记录"):
                found = api.get(API, u.key, params={"q": q}).json()
                assert found["total"] == len(found["items"]) == int(r.id in expected_ids), q
            for value in r.hidden_values[:1]:
                searchable = r.id in expected_ids and u.org == r.org
                assert api.get(API, u.key, params={"q": value}).json()["total"] == int(searchable), value
        if u.role == "admin":
            entries = api.get("/api/v1/audit", u.key, params={"limit": 1000}).json()["entries"]
            assert {e["actor_org_id"] for e in entries} <= {u.org}
            assert not self.leaks(u, json.dumps(entries))
        else:
            assert api.get("/api/v1/audit", u.key).status_code == 403


def test_access_matrix_nothing_leaks(api: Api) -> None:
    matrix = Matrix(api)

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(world=world_st)
    def check(world: dict[str, Any]) -> None:
        users = matrix.add_users(world)
        new = [matrix.create(spec, users) for spec in world["records"]]
        for u in users:
            matrix.check_user(u, new)

    check()
    assert len(matrix.records) >= 8
