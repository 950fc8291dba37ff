"""The incidents repository: rows and shares, the visibility rule in SQL, versioned updates, list and count."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from precwatch.core.sharing.incidents import IncidentError, validate_incident
from precwatch.core.sharing.tlp import Role, Viewer, can_view
from precwatch.store import IncidentFilter, accounts
from precwatch.store import incidents as repo
from tests.support.samples import seizure

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
LEVELS = ("clear", "green", "amber", "amber+strict", "red")


def _people(engine: Engine) -> dict[str, Viewer]:
    """Two organisations with two users each."""
    people = {}
    with engine.begin() as conn:
        for code in ("MX", "US"):
            org = accounts.insert_org(conn, f"{code} agency", code, created_at=NOW)
            for n, role in enumerate(("analyst", "viewer")):
                r: Role = role  # type: ignore[assignment]
                user = accounts.insert_user(
                    conn, f"{n}@{code.lower()}.example", org.id, role=r, created_at=NOW
                )
                people[f"{code.lower()}{n}"] = Viewer(user.id, org.id, r, user.email)
    return people


def _insert(engine: Engine, owner: Viewer, **changes: Any) -> dict[str, Any]:
    body = validate_incident(seizure(**changes))
    body["substances"] = [{"substance": "npp"}]
    row = {
        "id": uuid.uuid4().hex,
        "owner_org_id": owner.org_id,
        "owner_user_id": owner.user_id,
        "version": 1,
        "idempotency_key": changes.get("narrative"),
        "idempotency_hash": "f" * 64,
        "created_at": NOW,
        "updated_at": NOW,
        "retracted_at": None,
        "retraction_reason": None,
        **repo.derived_columns(body),
    }
    with engine.begin() as conn:
        repo.insert_incident(
            conn, row, org_shares=body["shared_with_orgs"], user_shares=body["shared_with_users"]
        )
    return row


def test_visibility_in_sql_is_the_sharing_policy(engine: Engine) -> None:
    p = _people(engine)
    made = []
    for owner, tlp, share in itertools.product(("mx0", "us0"), LEVELS, (False, True)):
        other = "us" if owner.startswith("mx") else "mx"
        shares: dict[str, Any] = {}
        if share and tlp.startswith("amber"):
            shares = {"shared_with_orgs": [p[f"{other}0"].org_id]}
        elif share and tlp == "red":
            shares = {"shared_with_users": [p[f"{other}1"].user_id]}
        made.append(_insert(engine, p[owner], tlp=tlp, narrative=f"{owner} {tlp} {share}", **shares))
    with engine.connect() as conn:
        for name, viewer in p.items():
            expected = {r["id"] for r in made if can_view(viewer, repo.acl_of(r))}
            assert {r["id"] for r in made if repo.visible_row(conn, viewer, r["id"])} == expected, name
            rows, total = repo.list_visible(conn, viewer, IncidentFilter(), limit=100, offset=0)
            assert {r["id"] for r in rows} == expected and total == len(expected), name
            assert repo.count_visible(conn, viewer, IncidentFilter()) == len(expected), name


def test_rows_read_back_as_incidents_and_idempotency_keys_are_per_organisation(engine: Engine) -> None:
    p = _people(engine)
    row = _insert(engine, p["mx0"], tlp="green", narrative="key-1")
    with engine.connect() as conn:
        found = repo.by_idempotency_key(conn, p["mx0"].org_id, "key-1")
        assert found is not None and found["id"] == row["id"]
        assert repo.by_idempotency_key(conn, p["us0"].org_id, "key-1") is None
        seen = repo.visible_row(conn, p["us1"], row["id"])
        assert seen is not None
        incident = repo.to_incident(seen)
        assert (incident["version"], incident["retracted"], incident["place"]) == (
            1,
            False,
            "Manzanillo port",
        )
        assert incident["substances"] == [{"substance": "npp"}]
        assert incident["created_at"] == NOW.isoformat()
    with pytest.raises(IntegrityError):
        _insert(engine, p["mx0"], tlp="green", narrative="key-1")


def test_updates_happen_only_at_the_expected_version_and_never_after_retraction(engine: Engine) -> None:
    p = _people(engine)
    row = _insert(engine, p["mx0"], tlp="amber", narrative="v1")
    with engine.begin() as conn:
        assert repo.update_at_version(conn, row["id"], expected_version=2, values={"unit": "g"}) is None
        updated = repo.update_at_version(conn, row["id"], expected_version=1, values={"unit": "g"})
        assert updated is not None and (updated["version"], updated["unit"]) == (2, "g")
        repo.write_shares(conn, row["id"], orgs=[p["us0"].org_id], users=[], replace=True)
    with engine.begin() as conn:
        assert repo.visible_row(conn, p["us0"], row["id"]) is not None  # the share row opens it to US
        values = {"retracted_at": NOW, "retraction_reason": "duplicate"}
        assert repo.update_at_version(conn, row["id"], expected_version=2, values=values) is not None
        assert repo.update_at_version(conn, row["id"], expected_version=3, values={"unit": "kg"}) is None
        assert repo.version_state(conn, row["id"]) == (3, NOW)


def test_filters_run_in_sql(engine: Engine) -> None:
    p = _people(engine)
    a = _insert(engine, p["mx0"], tlp="green", narrative="alpha drums")
    b = _insert(engine, p["us0"], tlp="green", narrative="beta", country="US", type="online-offer")
    viewer = p["mx1"]

    def ids(f: IncidentFilter, substance_id: str | None = None) -> set[str]:
        with engine.connect() as conn:
            rows, total = repo.list_visible(conn, viewer, f, substance_id=substance_id, limit=10, offset=0)
            assert total == len(rows) == repo.count_visible(conn, viewer, f, substance_id=substance_id)
        return {r["id"] for r in rows}

    assert ids(IncidentFilter(q="ALPHA")) == {a["id"]}
    assert ids(IncidentFilter(country="us")) == {b["id"]}
    assert ids(IncidentFilter(type="online-offer")) == {b["id"]}
    assert ids(IncidentFilter(owner_org_id=p["mx0"].org_id)) == {a["id"]}
    assert ids(IncidentFilter(substance="NPP"), "npp") == {a["id"], b["id"]}
    assert ids(IncidentFilter(substance="water"), None) == set()  # unresolved: matches nothing
    assert ids(IncidentFilter(retracted=True)) == set()
    with pytest.raises(IncidentError) as err:
        ids(IncidentFilter(q=" ".join(["w"] * (repo.MAX_QUERY_WORDS + 1))))
    assert err.value.field == "q"


def _two_statement_page(
    conn: Any, viewer: Viewer, f: IncidentFilter, *, limit: int, offset: int
) -> tuple[list[str], int]:
    """The list as it was made before the window count: a count statement, then a page statement."""
    from sqlalchemy import select

    shape, values = repo.filter_values(f, None, conn.dialect.name)
    where = [repo.visible_clause(), *repo._clauses(shape)]
    t = repo.incidents.c
    page = (
        select(t.id)
        .where(*where)
        .order_by(t.occurred_on.desc(), t.created_at.desc(), t.id)
        .limit(limit)
        .offset(offset)
    )
    params = {**values, **repo.viewer_params(viewer)}
    ids = [str(i) for i in conn.execute(page, params).scalars()]
    return ids, repo.count_visible(conn, viewer, f)


def test_one_statement_list_gives_the_page_and_total_of_count_plus_page(engine: Engine) -> None:
    """`list_visible` (one statement, a window count) answers exactly as a count and a page did, for every
    viewer, filter, page size and offset, including pages past the end (where the count is asked apart)."""
    p = _people(engine)
    owners = ("mx0", "us0")
    for n in range(24):
        owner = owners[n % 2]
        other = "us" if owner.startswith("mx") else "mx"
        tlp = LEVELS[n % len(LEVELS)]
        shares: dict[str, Any] = {}
        if n % 3 == 0 and tlp.startswith("amber"):
            shares = {"shared_with_orgs": [p[f"{other}0"].org_id]}
        elif n % 3 == 0 and tlp == "red":
            shares = {"shared_with_users": [p[f"{other}1"].user_id]}
        day = f"2025-0{1 + n % 3}-1{n % 2}"  # ties on the date, ordered by the later keys
        country = ("MX", "US", "CN")[n % 3]
        _insert(
            engine, p[owner], tlp=tlp, narrative=f"lot {n} drums", occurred_on=day, country=country, **shares
        )
    filters = (
        IncidentFilter(),
        IncidentFilter(country="MX"),
        IncidentFilter(q="drums"),
        IncidentFilter(q="nothing-here"),
        IncidentFilter(occurred_from=date(2025, 2, 1), party="trading"),
    )
    with engine.connect() as conn:
        for viewer, f, limit, offset in itertools.product(p.values(), filters, (1, 5, 30), (0, 3, 12, 40)):
            rows, total = repo.list_visible(conn, viewer, f, limit=limit, offset=offset)
            assert ([str(r["id"]) for r in rows], total) == _two_statement_page(
                conn, viewer, f, limit=limit, offset=offset
            ), (viewer, f, limit, offset)
